"""How late a 10 ms QTimer on the GUI thread fires: the measure of how responsive the app stays
while the worker thread writes (tests/test_gui.py and benchmarks/bench_gui_latency.py).

It lives with the test helpers, not in the app (nothing in the app measures itself) nor in benchmarks/
(the tests must not depend on the benchmarks); the benchmark imports it from the checkout's root."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class LatenessProbe:
    """Inside `with LatenessProbe() as probe:`, `probe.lateness` collects each tick's delay in seconds."""

    def __init__(self, interval_ms: int = 10):
        self.lateness: list[float] = []
        self._interval = interval_ms / 1000
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, now - self._last - self._interval))
        self._last = now

    def __enter__(self) -> LatenessProbe:
        self._last = time.perf_counter()
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.stop()
