"""How responsive the app stays while it writes: a 10 ms QTimer probe on the GUI thread during a
continuation on a KoGPT2-shaped model (random weights unless KoGPT2 is installed).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui_latency.py [--tokens 64]

Prints the probe's lateness (p50, p99, max) while generating, and with the app idle as the
reference in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()

    from bench_generate import kogpt2_shaped_model, story_of
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.models.store import ModelStore
    from storyteller.engine.settings.generation import GenerationSettings
    from storyteller.gui.background.worker import EngineClient
    from tests.helpers.event_loop_probe import LatenessProbe

    app = QApplication([])
    client = EngineClient()
    with tempfile.TemporaryDirectory() as scratch:
        try:
            model = str(ModelStore().get("kogpt2-base-v2").path)
        except Exception:
            model = str(kogpt2_shaped_model(Path(scratch) / "random"))
        wait(client.model_loaded, lambda: client.load_model(model, "cpu"))

    def probe_while(start, done_signal) -> list[float]:
        with LatenessProbe() as probe:
            wait(done_signal, start)
        return probe.lateness

    idle_done = QTimer()
    idle_done.setSingleShot(True)
    idle_done.setInterval(2000)
    idle = probe_while(idle_done.start, idle_done.timeout)
    prompt = story_of(client.loaded.tokenizer, 300)
    settings = GenerationSettings(max_new_tokens=args.tokens, min_new_tokens=args.tokens, seed=1, top_k=50)
    busy = probe_while(lambda: client.generate(GenerationRequest(prompt, settings)), client.finished)
    info = client.model_info
    print(f"model: {info.name} on {info.device}; {args.tokens} tokens after a 300-token prompt")
    print(f"{'probe lateness (ms)':<22} {'p50':>7} {'p99':>7} {'max':>7} {'ticks':>6}")
    for name, values in (("idle", idle), ("while generating", busy)):
        q = statistics.quantiles(values, n=100)
        print(f"{name:<22} {1000 * q[49]:>7.1f} {1000 * q[98]:>7.1f} {1000 * max(values):>7.1f} {len(values):>6}")
    client.shutdown()
    del app


def wait(signal, start) -> None:
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    signal.connect(loop.quit)
    start()
    loop.exec()


if __name__ == "__main__":
    main()
