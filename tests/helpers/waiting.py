"""Waiting for something to happen outside Qt's event loop (a server, a thread, another process): ask
until it has, up to a deadline, instead of sleeping a guessed time. GUI tests use qtbot.waitUntil."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.01) -> bool:
    """Whether `condition()` came true within `timeout` seconds; it is asked every `interval` seconds,
    and once more at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
    return True
