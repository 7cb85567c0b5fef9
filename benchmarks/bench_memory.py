"""The app's memory as a writer uses it (issue 28): RSS once the model is ready, after opening a
story with world info, after a Continue, and after the mood meter reads; for the demo and for
KoGPT2's shape (random weights, built and optimized here once), on the int8 ONNX export and, for
reference, on PyTorch; with whether torch was imported by then.

    .venv/bin/python benchmarks/bench_memory.py [--models demo,kogpt2] [--runtimes onnx,torch]
                                               [--scratch DIR] [--json FILE]
                                               [--checkout OTHER_CHECKOUT --kogpt2 OPTIMIZED_FOLDER]

Each run is a fresh interpreter running the real window offscreen (storyteller.gui.app.build_window,
as tests/test_layers.py does) with empty settings and data folders and one thread
(STORYTELLER_THREADS=1), driven the way the app is: the engine client loads the model, Kiwi loads
in the background as the app's start does (the reading waits for it), the files controller opens a
.story.json with world info and its prompt is warmed up as the app does, Continue goes through the
writing controller (40 tokens), and the meter is read through the client as the steering panel asks
for it. RSS and its peak come from /proc/self/status. The KoGPT2-shaped model (and its int8 export,
through `storyteller models optimize`'s own code with its quality gate) is built in --scratch once
and reused while it is valid (4-5 minutes on 2 cores); its mood head is random (the meter's cost
does not depend on its weights), the demo's is the one it ships with. With --checkout, the app of
another checkout (e.g. main before a change) runs instead, with its own demo and, for KoGPT2's
shape, the folder given by --kogpt2 (optimized by that checkout's `storyteller models optimize`).

Targets: KoGPT2's shape on int8 with a story open and the meter showing <= 600 MB, the demo <= 400 MB,
and torch never imported on that path.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS_MB = {"demo": 400, "kogpt2": 600}  # int8 ONNX, story open and the meter read
CONTINUE_TOKENS = 40

# Runs inside the app's process: the window, driven step by step; prints one JSON line.
DRIVER = r"""
import json, sys, threading, time

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

model, runtime, story_file, tokens = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def status(key):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(key)) / 1024


stages = {}


def record(stage, **extra):
    stages[stage] = {"rss_mb": round(status("VmRSS:")), "torch": "torch" in sys.modules, **extra}


def wait(signal, seconds, until=None):
    # Runs the event loop until `signal` is emitted (or `until()` holds), for at most `seconds`.
    got = []
    loop = QEventLoop()

    def heard(*args):
        got.append(args)
        loop.quit()

    signal.connect(heard)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    if until is None or not until():
        loop.exec()
    signal.disconnect(heard)
    return got[0] if got else None


def settle(seconds=0.5):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def kiwi_ready():
    return not any(thread.name == "kiwi-load" for thread in threading.enumerate())


app = QApplication([])
from storyteller.gui.app import build_window, make_settings

window = build_window(make_settings())
window.show()
settle()
record("window")
client = window.client
client.load_model(model, "cpu", runtime)
if wait(client.model_loaded, 600) is None:
    raise SystemExit("the model did not load")
settle()
while not kiwi_ready():  # the app preloads Kiwi once the model is ready
    settle(0.2)
settle()
record("ready", runtime=client.loaded.runtime.name if client.loaded.runtime is not None else "torch")

window.files.open_path(__import__("pathlib").Path(story_file))
wait(client.warmed, 300)  # the app prefills the story's prompt in the background
settle()
context = window.context_bar.context
record("story open", context_tokens=context.used if context else None,
       world_info=len(context.world_info_titles) if context else None)

window.story.generation = window.story.generation.replace(max_new_tokens=tokens, min_new_tokens=tokens, seed=1)
window.writing.continue_story()
if wait(window.writing.generation_done, 600) is None:
    raise SystemExit("the Continue did not finish")
settle()
record("Continue")

client.measure_mood(window.story.text())
reading = wait(client.mood, 600)
settle()
record("meter", brightness=reading[0] if reading else None, note=reading[1] if reading else "no reading")
client.shutdown()
print("MEMORY " + json.dumps({"stages": stages, "peak_mb": round(status("VmHWM:"))}), flush=True)
"""

STORY_SENTENCES = [  # 선녀와 나무꾼, told again: every world-info key below comes up
    "옛날 깊은 산골에 가난한 나무꾼이 홀어머니를 모시고 살았다.",
    "어느 날 나무꾼이 산에서 나무를 하는데 사슴 한 마리가 헐레벌떡 뛰어왔다.",
    "“나무꾼님, 사냥꾼에게 쫓기고 있어요. 제발 숨겨 주세요.”",
    "나무꾼은 사슴을 나뭇단 속에 감추고 시치미를 뗐다.",
    "곧이어 활을 든 사냥꾼이 나타나 사슴이 어디로 갔느냐고 물었다.",
    "나무꾼이 저쪽 골짜기를 가리키자 사냥꾼은 그리로 달려갔다.",
    "사슴은 은혜를 갚겠다며 선녀들이 목욕하러 내려오는 연못을 일러 주었다.",
    "보름달이 뜨는 밤, 나무꾼은 바위 뒤에 숨어 선녀의 날개옷을 감추었다.",
]

WORLD_INFO = [
    (["나무꾼"], "나무꾼: 마흔이 넘도록 장가를 못 간 가난한 총각. 어머니와 단둘이 산다."),
    (["사슴"], "사슴: 말을 하는 산의 사슴. 은혜를 갚을 줄 안다."),
    (["선녀"], "선녀: 하늘나라에 사는 여인들. 날개옷이 없으면 하늘로 돌아가지 못한다."),
    (["사냥꾼"], "사냥꾼: 활을 든 거친 사내."),
]


def write_story(path: Path, sentences: int = 160) -> Path:
    """A story of about 2,000 KoGPT2 tokens (more than either model's context: the start is cut at
    a sentence, as a long story's is), with world info whose keys it mentions."""
    from storyteller.engine.story.document import Author, Piece, Story, WorldInfoEntry
    from storyteller.engine.story.file import save_story

    text = ""
    for index in range(sentences):
        text += STORY_SENTENCES[index % len(STORY_SENTENCES)] + ("\n" if index % 5 == 4 else " ")
    story = Story(pieces=[Piece.of(Author.WRITER, text)],
                  world_info=[WorldInfoEntry(keys=keys, content=content) for keys, content in WORLD_INFO])
    save_story(story, path)
    return path


def kogpt2_shape(scratch: Path) -> Path:
    """KoGPT2's config with random weights and its tokenizer, optimized to int8 (with the quality
    gate, as `storyteller models optimize` does), and a random mood head; reused while valid."""
    from storyteller.engine.models.runtimes.optimized import export_status

    folder = scratch / "kogpt2-shape"
    if not (folder / "model.safetensors").is_file():
        import torch
        from transformers import GPT2Config, GPT2LMHeadModel

        config = GPT2Config.from_json_file(ROOT / "resources/tokenizer/kogpt2/config.json")
        torch.manual_seed(0)
        GPT2LMHeadModel(config).save_pretrained(folder)
        (folder / "tokenizer.json").write_bytes((ROOT / "resources/tokenizer/kogpt2/tokenizer.json").read_bytes())
    if not export_status(folder).usable:
        from storyteller.engine.models.runtimes.optimize import optimize_model

        print("(optimizing KoGPT2's shape to int8: a few minutes)", file=sys.stderr, flush=True)
        optimize_model(folder)
    head = folder / "mood_head.safetensors"
    if not head.is_file():
        import numpy as np
        from safetensors.numpy import save_file

        random = np.random.default_rng(0)
        save_file({"weight": random.normal(0, 0.05, (2, 768)).astype(np.float32),
                   "bias": np.zeros(2, dtype=np.float32)}, str(head))
    return folder


def one_run(checkout: Path, model: str, runtime: str, story: Path) -> dict:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PYTHONPATH=str(checkout), QT_QPA_PLATFORM="offscreen", STORYTELLER_THREADS="1")
        for name in ("CONFIG", "DATA", "MODELS"):
            env[f"STORYTELLER_{name}_DIR"] = str(Path(home) / name.lower())
        done = subprocess.run([sys.executable, "-c", DRIVER, model, runtime, str(story), str(CONTINUE_TOKENS)],
                              cwd=checkout, env=env, capture_output=True, text=True, timeout=1800)
    lines = [line for line in done.stdout.splitlines() if line.startswith("MEMORY ")]
    if not lines:
        raise RuntimeError(f"{model} on {runtime}: the app did not report (exit {done.returncode}):\n"
                           f"{done.stderr[-3000:]}")
    return json.loads(lines[0].removeprefix("MEMORY "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="demo,kogpt2", help="demo, kogpt2 or both (comma-separated)")
    parser.add_argument("--runtimes", default="onnx,torch", help="onnx, torch or both (comma-separated)")
    parser.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "storyteller-bench-memory",
                        help="where KoGPT2's shape and its export are kept between runs")
    parser.add_argument("--json", type=Path, help="also write the readings here")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="run this checkout's app (default: this one)")
    parser.add_argument("--kogpt2", type=Path, help="a KoGPT2-shaped folder, optimized, instead of --scratch's")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    story = write_story(args.scratch / "story-with-world-info.story.json")
    checkout = args.checkout.resolve()
    paths = {"demo": str(checkout / "resources/models/demo")}
    models = args.models.split(",")
    if "kogpt2" in models:
        paths["kogpt2"] = str(args.kogpt2 or kogpt2_shape(args.scratch))
    results = [{"model": model, "runtime": runtime, **one_run(checkout, paths[model], runtime, story)}
               for model in models for runtime in args.runtimes.split(",")]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    report(results)


def report(results: list[dict]) -> None:
    stages = ["window", "ready", "story open", "Continue", "meter"]
    print(f"RSS in MB, real window offscreen, one thread; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores (a shared machine)\n")
    print(f"{'model':<8} {'runtime':<8}" + "".join(f"{stage:>12}" for stage in stages)
          + f"{'peak':>8}  torch imported (at: ready / meter)  meter")
    for result in results:
        got = result["stages"]
        torch = " / ".join("yes" if got[stage]["torch"] else "no" for stage in ("ready", "meter"))
        brightness = got["meter"].get("brightness")
        meter = f"{brightness:.2f}" if brightness is not None else repr(got["meter"].get("note"))
        readings = "".join(f"{got[stage]['rss_mb']:>12}" for stage in stages)
        print(f"{result['model']:<8} {result['runtime']:<8}{readings}{result['peak_mb']:>8}  {torch:<34} {meter}")
    print(f"\nwindow: shown, no model; ready: the model and Kiwi loaded; story open: a story of ~2,000 tokens with "
          f"4 world-info entries, its prompt warmed up; Continue: {CONTINUE_TOKENS} tokens; meter: the mood meter read")
    for result in results:
        if result["runtime"] == "onnx" and result["model"] in TARGETS_MB:
            meter = result["stages"]["meter"]
            target = TARGETS_MB[result["model"]]
            ok = meter["rss_mb"] <= target and not any(stage["torch"] for stage in result["stages"].values())
            print(f"target {result['model']} on int8: meter showing <= {target} MB, no torch: "
                  f"{'met' if ok else 'MISSED'} ({meter['rss_mb']} MB)")


if __name__ == "__main__":
    main()
