"""Start-up as a new user sees it: from launching `storyteller` to the window, and to the model ready.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--compare OTHER_CHECKOUT]

Each run starts the real app (`storyteller.cli.main([])`, what the README's `scripts/start.sh` runs)
in a fresh interpreter with empty settings, data and model folders (so the demo model loads, on
the int8 ONNX export that ships with it, and the first-start introduction is offered), offscreen.
Times are from the launch of the process: the window counts as shown at the first turn of the
event loop after `show()`, the model as ready when the window's client reports it loaded, and the
first words when a line typed at that moment has been continued (8 tokens, through the editor, the
Continue action and the model thread, as a writer gets them). The same checkout started with
`--runtime torch` (the demo on PyTorch, as before its export shipped) is the reference, run
interleaved so that both see the same machine load; with `--compare`, another checkout (e.g. the
main branch before a change) runs in the same rounds.
Target (issue 11): model ready <= 2 s after the window shows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs inside the app's process: the real entry point, with the window's moments recorded.
DRIVER = """
import os, sys, time, json
launched = float(sys.argv[1])
app_args = json.loads(sys.argv[2])
from storyteller.gui import app

moments = {}
build_window = app.build_window

def finish(error=None):
    moments["error"] = error
    print("STARTUP " + json.dumps(moments), flush=True)
    os._exit(0)

def ready(info):
    moments["ready_s"] = time.time() - launched
    runtime = window.client.loaded.runtime if window.client.loaded is not None else None
    moments["runtime"] = runtime.name if runtime is not None else "torch"
    moments["torch_loaded"] = "torch" in sys.modules
    moments["transformers_model_code_loaded"] = "transformers.models.gpt2.modeling_gpt2" in sys.modules
    # The writer types a line and presses Continue at once: 8 tokens.
    window.story.generation = window.story.generation.replace(max_new_tokens=8, min_new_tokens=8, seed=1)
    window.editor.setFocus()
    window.editor.insertPlainText(PROMPT)
    window.writing.continue_story()

def written(text):
    moments["written_s"] = time.time() - launched
    moments["torch_loaded_after_writing"] = "torch" in sys.modules
    finish(None if text else "nothing was written")

def build_and_watch(settings):
    global window
    from PySide6.QtCore import QTimer
    window = build_window(settings)
    QTimer.singleShot(0, lambda: moments.setdefault("window_s", time.time() - launched))
    window.client.model_loaded.connect(ready)
    window.client.model_failed.connect(finish)
    window.writing.generation_done.connect(written)
    window.client.failed.connect(lambda request, message: finish(message))
    return window

PROMPT = "옛날 옛적에 깊은 산속에 나무꾼이 살았다."
app.build_window = build_and_watch
from storyteller.cli import main
main(app_args)
"""


def one_run(checkout: Path, app_args: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PYTHONPATH=str(checkout), QT_QPA_PLATFORM="offscreen")
        for name in ("CONFIG", "DATA", "MODELS"):
            env[f"STORYTELLER_{name}_DIR"] = str(Path(home) / name.lower())
        launched = time.time()
        done = subprocess.run([sys.executable, "-c", DRIVER, str(launched), json.dumps(app_args)], cwd=checkout,
                              env=env, capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("STARTUP ")]
    if not lines:
        raise RuntimeError(f"{checkout}: the app did not report (exit {done.returncode}):\n{done.stderr[-2000:]}")
    moments = json.loads(lines[0].removeprefix("STARTUP "))
    if moments["error"]:
        raise RuntimeError(f"{checkout}: the model failed to load: {moments['error']}")
    moments["load_average"] = os.getloadavg()[0]  # the machine's load over the last minute, at the end
    return moments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another checkout to measure the same way, interleaved")
    args = parser.parse_args()

    # label: (checkout, the app's arguments)
    starts = {"this checkout, PyTorch": (ROOT, ["--runtime", "torch"]), "this checkout": (ROOT, [])}
    if args.compare:
        starts = {f"{args.compare}": (args.compare.resolve(), []), **starts}
    runs: dict[str, list[dict]] = {label: [] for label in starts}
    for _ in range(args.runs):
        for label, (checkout, app_args) in starts.items():
            runs[label].append(one_run(checkout, app_args))

    loads = [m["load_average"] for moments in runs.values() for m in moments]
    print(f"median of {args.runs} runs, demo model, offscreen, fresh settings; load average "
          f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores\n")
    width = max(len(label) for label in starts)
    print(f"{'start':<{width}}  window shown  model ready  ready - shown  first words  runtime  torch imported")
    for label, moments in runs.items():
        shown = statistics.median(m["window_s"] for m in moments)
        ready = statistics.median(m["ready_s"] for m in moments)
        gap = statistics.median(m["ready_s"] - m["window_s"] for m in moments)
        written = statistics.median(m["written_s"] for m in moments)
        torch = "yes" if all(m["torch_loaded"] for m in moments) else "no" if not any(
            m["torch_loaded"] for m in moments) else "sometimes"
        runtime = "/".join(sorted({m["runtime"] for m in moments}))
        print(f"{label:<{width}}  {shown:>10.2f} s  {ready:>9.2f} s  {gap:>11.2f} s  {written:>9.2f} s  "
              f"{runtime:<7}  {torch}")
    print("\nfirst words: the writer types a line and presses Continue when the model is ready; 8 tokens written")
    print("torch imported: by the time the model was ready")
    print("target: model ready <= 2 s after the window shows")


if __name__ == "__main__":
    main()
