"""The GPU path, checked in one run (issue 26): what nothing here has run before, for a session that is
lent a CUDA machine for a few minutes. One command, one results file:

    .venv/bin/python benchmarks/gpu_check.py --device cuda --out gpu-check.json     # on the GPU machine
    .venv/bin/python benchmarks/gpu_check.py --device cpu --shape tiny --out x.json  # here: the same steps

Steps, each timed and recorded (a failing step is recorded and the rest still run):
1. device: `pick_device("auto")` picks the GPU and half precision (bf16 where the card does it well);
2. load: a KoGPT2-shaped model (random weights) loads on the device in that precision;
3. speed: our decode loop against transformers' generate() on the same card and model, greedy,
   at 32 and 900 tokens of past: decode ms/token ((total - first token) / (tokens - 1), so the
   prefill is not counted) and the 900-token prefill;
4. pplm: a continuation steered toward a topic with PPLM (the latent stage, gradients on the GPU);
5. oom: the card filled first, then loading and generating must end in the app's DeviceError
   ("does not fit" / "ran out of memory", which tell the writer to choose the CPU), not a crash.
   On the CPU there is no card to fill: the step says so.
The whole run is meant to take under 8 minutes on an H100-class card (about 1 minute there).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHAPES = {  # over KoGPT2's config (resources/tokenizer/kogpt2/config.json)
    "kogpt2": {},
    "tiny": {"n_embd": 64, "n_layer": 2, "n_head": 2},  # for checking the script itself on a CPU
}
PAST_LENGTHS = (32, 900)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    parser.add_argument("--shape", choices=SHAPES, default="kogpt2")
    parser.add_argument("--tokens", type=int, default=64, help="tokens written per timed continuation")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True, help="the results file (JSON)")
    args = parser.parse_args(argv)

    import torch

    report = {"device": args.device, "shape": args.shape, "python": platform.python_version(),
              "torch": torch.__version__, "steps": {}}
    if args.device == "cuda" and not torch.cuda.is_available():
        report["error"] = "no CUDA device: torch.cuda.is_available() is False"
        return _write(args.out, report, ok=False)
    with tempfile.TemporaryDirectory() as scratch:
        folder = random_model(Path(scratch) / "model", args.shape)
        state: dict = {}
        for name, step in (("device", check_device), ("load", check_load), ("speed", check_speed),
                           ("pplm", check_pplm), ("oom", check_out_of_memory)):
            started = time.perf_counter()
            try:
                result = step(args, folder, state)
                report["steps"][name] = {"ok": True, **result}
            except Exception as error:  # a failed step is a finding: record it and go on
                report["steps"][name] = {"ok": False, "error": f"{type(error).__name__}: {error}",
                                         "traceback": traceback.format_exc(limit=6)}
            report["steps"][name]["seconds"] = round(time.perf_counter() - started, 2)
            print(f"{name}: {json.dumps(report['steps'][name], ensure_ascii=False)[:400]}", flush=True)
    return _write(args.out, report, ok=all(step["ok"] for step in report["steps"].values()))


def _write(path: Path, report: dict, ok: bool) -> int:
    report["ok"] = ok
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{path}: {'all steps passed' if ok else 'some steps FAILED'}")
    return 0 if ok else 1


def random_model(folder: Path, shape: str) -> Path:
    """A model folder of KoGPT2's shape (or a tiny one) with random weights and KoGPT2's tokenizer."""
    import shutil

    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    tokenizer = ROOT / "resources" / "tokenizer" / "kogpt2"
    config = GPT2Config.from_json_file(tokenizer / "config.json")
    for key, value in SHAPES[shape].items():
        setattr(config, key, value)
    torch.manual_seed(0)
    GPT2LMHeadModel(config).save_pretrained(folder, safe_serialization=True)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (tokenizer / name).is_file():
            shutil.copy(tokenizer / name, folder / name)
    return folder


def check_device(args, folder, state) -> dict:
    from storyteller.engine.core.device import available_devices, pick_device

    info = pick_device("auto")
    found = {"available": available_devices(), "auto": info.name, "dtype": str(info.dtype),
             "description": info.description}
    expected = args.device
    if info.name != expected:
        raise AssertionError(f"auto picked {info.name}, expected {expected}: {found}")
    return found


def check_load(args, folder, state) -> dict:
    import torch

    from storyteller.engine.models.loading import load_model

    loaded = load_model(folder, args.device)
    parameter = next(loaded.model.parameters())
    want = loaded.device.dtype
    if parameter.dtype != want or parameter.device.type != args.device:
        raise AssertionError(f"weights are {parameter.dtype} on {parameter.device}, expected {want} on {args.device}")
    if args.device == "cuda" and want not in (torch.float16, torch.bfloat16):
        raise AssertionError(f"GPU weights in {want}, expected half precision")
    state["loaded"] = loaded
    return {"dtype": str(parameter.dtype), "parameters": sum(p.numel() for p in loaded.model.parameters())}


def _story(tokenizer, tokens: int) -> str:
    sentence = "나무꾼은 새벽마다 산에 올라 나무를 했다. 어머니는 아궁이 앞에서 그가 돌아오기를 기다렸다. "
    text = sentence
    while len(tokenizer.encode(text)) < tokens:
        text += sentence
    ids = tokenizer.encode(text)[:tokens]
    return tokenizer.decode(ids)


def _sync(device: str) -> None:
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def check_speed(args, folder, state) -> dict:
    import torch

    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.settings.generation import GenerationSettings

    loaded = state["loaded"]
    generator = Generator(loaded)
    settings = GenerationSettings(max_new_tokens=args.tokens, min_new_tokens=args.tokens, greedy=True, seed=1)
    figures = {}
    for past in PAST_LENGTHS:
        prompt = _story(loaded.tokenizer, past)
        ours, hf = [], []
        prefill = []
        for _ in range(args.repeats):
            generator.forget_cache()
            _sync(args.device)
            result = generator.generate(GenerationRequest(prompt, settings))
            _sync(args.device)
            tokens = result.new_tokens
            ours.append((result.seconds - result.time_to_first_token) / max(1, tokens - 1) * 1000)
            prefill.append(result.time_to_first_token * 1000)
            ids = torch.tensor([loaded.tokenizer.encode(prompt)], device=args.device)
            with torch.inference_mode():
                timings = []
                for new in (1, args.tokens):
                    _sync(args.device)
                    started = time.perf_counter()
                    loaded.model.generate(ids, max_new_tokens=new, min_new_tokens=new, do_sample=False,
                                          pad_token_id=loaded.tokenizer.pad_token_id)
                    _sync(args.device)
                    timings.append(time.perf_counter() - started)
            hf.append((timings[1] - timings[0]) / (args.tokens - 1) * 1000)
        best_ours, best_hf = min(ours), min(hf)
        figures[f"past_{past}"] = {
            "ours_ms_per_token": round(best_ours, 3), "generate_ms_per_token": round(best_hf, 3),
            "speedup_vs_generate": round(best_hf / best_ours, 2), "prefill_ms": round(min(prefill), 2),
        }
    return figures


def check_pplm(args, folder, state) -> dict:
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.settings.generation import GenerationSettings
    from storyteller.engine.settings.steering import SteeringSettings
    from storyteller.engine.steering import steering_hooks

    loaded = state["loaded"]
    steering = SteeringSettings(topics=("food",), topic_strength=1.0, topic_method="pplm", max_seconds=120)
    length = min(args.tokens, 32)
    settings = GenerationSettings(max_new_tokens=length, min_new_tokens=length // 2, seed=1)
    result = Generator(loaded, steer=steering_hooks).generate(
        GenerationRequest(_story(loaded.tokenizer, 64), settings, steering=steering))
    report = result.steering or {}
    if not result.new_tokens:
        raise AssertionError("PPLM wrote nothing")
    return {"tokens": result.new_tokens, "ms_per_token": round(result.seconds / result.new_tokens * 1000, 2),
            "steering": {key: value for key, value in report.items() if isinstance(value, int | float | str | bool)}}


def check_out_of_memory(args, folder, state) -> dict:
    """Fill the card, then load and generate: each must end in the app's DeviceError."""
    if args.device != "cuda":
        return {"skipped": "no card to fill on the CPU"}
    import gc

    import torch

    from storyteller.engine.core.errors import DeviceError
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.models.loading import load_model
    from storyteller.engine.settings.generation import GenerationSettings

    loaded = state.pop("loaded")
    generator = Generator(loaded)
    ballast = []
    try:
        free, _ = torch.cuda.mem_get_info()
        block = 256 * 2**20
        while free > 2 * block:  # plain allocations (no managed memory), until less than 512 MB is left
            ballast.append(torch.empty(block, dtype=torch.uint8, device="cuda"))
            free, _ = torch.cuda.mem_get_info()
        outcome = {"left_free_mb": round(free / 2**20)}
        try:
            many = GenerationSettings(max_new_tokens=512, num_candidates=64, seed=1)
            generator.generate(GenerationRequest(_story(loaded.tokenizer, 900), many))
            outcome["generate"] = "fit (no out-of-memory to report)"
        except DeviceError as error:
            outcome["generate"] = f"DeviceError: {error}"
        ballast.append(torch.empty(max(0, free - 64 * 2**20), dtype=torch.uint8, device="cuda"))
        try:
            load_model(folder, "cuda")
            outcome["load"] = "fit (no out-of-memory to report)"
        except DeviceError as error:
            outcome["load"] = f"DeviceError: {error}"
        return outcome
    finally:
        ballast.clear()
        del generator, loaded
        gc.collect()
        torch.cuda.empty_cache()


if __name__ == "__main__":
    raise SystemExit(main())
