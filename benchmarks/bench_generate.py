"""Our decode loop against transformers' generate(), in one process, on a KoGPT2-shaped model,
on each runtime (PyTorch fp32 and int8 ONNX Runtime, engine/runtimes).

    .venv/bin/python benchmarks/bench_generate.py [--model NAME_OR_PATH] [--shape kogpt2|774m]
        [--tokens 64] [--repeats 3] [--no-quality]

Uses an installed KoGPT2 when there is one, else the shape's random weights (speed does not depend
on the weights; --shape 774m is GPT-2 large's: 36 layers, 1280 wide, about 10 GB of RAM to export).
Prints ms/token at batch 1, time to first token for a 900-token story from scratch and when
continuing it with the prompt cache, the first Continue after opening the story with and without
background prefill (Generator.warm), CPU thread counts, and peak RSS; then the runtimes side by
side (ms/token and its ratio to generate() fp32 measured in the same run, 900-token prefill, RSS),
and, on the demo model, the int8 export's perplexity change and greedy match against fp32.
Targets: our loop >= 1.0x generate's throughput; continuing starts in <= 5% of a fresh prefill; the
first Continue after opening a story starts in <= 0.3 s once background prefill has run; int8 ONNX
>= 4x generate() fp32, its 900-token prefill <= 45 % of fp32's, perplexity within 1 %.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from transformers import GPT2Config, GPT2LMHeadModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyteller.engine.core.device import cpu_thread_count  # noqa: E402
from storyteller.engine.core.errors import ModelError  # noqa: E402
from storyteller.engine.decode.generator import Generator  # noqa: E402
from storyteller.engine.decode.requests import GenerationRequest  # noqa: E402
from storyteller.engine.models.catalogue import KNOWN_MODELS, KOGPT2_REPO  # noqa: E402
from storyteller.engine.models.loading import LoadedModel, load_model, open_model  # noqa: E402
from storyteller.engine.settings.generation import GenerationSettings  # noqa: E402

STORY_SENTENCES = [
    "나무꾼은 새벽마다 산에 올라 나무를 했다.",
    "어머니는 아궁이 앞에서 그가 돌아오기를 기다렸다.",
    "그날따라 안개가 짙어 길이 보이지 않았다.",
    "멀리서 사슴 한 마리가 숨을 헐떡이며 달려왔다.",
    "“살려 주세요. 사냥꾼이 쫓아오고 있어요.”",
]


SHAPES = {"kogpt2": {}, "774m": {"n_embd": 1280, "n_layer": 36, "n_head": 20}}  # over KoGPT2's config


def kogpt2_shaped_model(folder: Path, shape: str = "kogpt2") -> Path:
    config = GPT2Config.from_json_file(ROOT / "resources/tokenizer/kogpt2/config.json")
    for key, value in SHAPES[shape].items():
        setattr(config, key, value)
    torch.manual_seed(0)
    GPT2LMHeadModel(config).save_pretrained(folder)
    (folder / "tokenizer.json").write_bytes((ROOT / "resources/tokenizer/kogpt2/tokenizer.json").read_bytes())
    return folder


def open_kogpt2_or_its_shape(scratch: Path, shape: str) -> tuple[LoadedModel, str]:
    """The installed KoGPT2 (for the KoGPT2 shape), else the shape with random weights (speed does
    not depend on them); with the label to print."""
    if shape == "kogpt2":
        try:
            entry, loaded = open_model(KOGPT2_REPO, runtime="torch")
            return loaded, entry.name
        except ModelError as error:
            print(f"({KNOWN_MODELS[KOGPT2_REPO].name} not used: {error})")
    return load_model(kogpt2_shaped_model(scratch / "random", shape), runtime="torch"), f"{shape} shape, random weights"


def build_int8_export(folder: Path, destination: Path) -> None:
    """The export `storyteller models optimize` makes, without its quality gate (random weights have
    no quality to keep). Run in a child process, so its memory does not count as the runtime's."""
    import torch as child_torch
    from transformers import AutoModelForCausalLM

    from storyteller.engine.models.runtimes.onnx_export import export_gpt2, optimize_graph, quantize_int8

    model = AutoModelForCausalLM.from_pretrained(folder, dtype=child_torch.float32).eval()
    work = destination.parent / "work"
    work.mkdir()
    export_gpt2(model, work / "raw.onnx")
    optimize_graph(work / "raw.onnx", work / "fused.onnx", model.config.n_head, model.config.n_embd)
    quantize_int8(work / "fused.onnx", destination)


def int8_onnx_of(loaded: LoadedModel, scratch: Path) -> tuple[LoadedModel, float]:
    """`loaded` on its int8 ONNX export, built in a child process; and the MB its session added."""
    import multiprocessing

    from storyteller.engine.models.runtimes.onnx_runtime import OnnxRuntime

    started = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(target=build_int8_export,
                                                         args=(loaded.path, scratch / "int8.onnx"))
    child.start()
    child.join()
    assert child.exitcode == 0, "building the int8 export failed"
    print(f"(int8 export built in {time.perf_counter() - started:.0f} s)")
    layers, heads, width = (loaded.config[key] for key in ("n_layer", "n_head", "n_embd"))
    before = rss_mb()  # measured here: what the process freed since the last reading must not count
    runtime = OnnxRuntime(scratch / "int8.onnx", layers, heads, width // heads)
    return dataclasses.replace(loaded, runtime=runtime), rss_mb() - before


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def story_of(tokenizer, tokens: int) -> str:
    text, index = "", 0
    while len(tokenizer.encode(text)) < tokens:
        text += STORY_SENTENCES[index % len(STORY_SENTENCES)] + (" " if index % 4 != 3 else "\n")
        index += 1
    return text


def timed(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_up_rows(generator: Generator, story: str, repeats: int) -> list[tuple[str, str, str]]:
    """The first Continue after opening `story`: its first token with a cold cache, and after the
    app's background prefill has run; and how long a Continue arriving mid-warm-up may wait (one chunk)."""
    request = GenerationRequest(story, GenerationSettings(greedy=True, max_new_tokens=1))
    cold, warm, warm_ups = [], [], []
    for _ in range(repeats):
        generator.forget_cache()
        cold.append(generator.generate(request).time_to_first_token)
        generator.forget_cache()
        start = time.perf_counter()
        warm_up = generator.warm(request)
        warm_ups.append((time.perf_counter() - start, warm_up))
        start = time.perf_counter()
        result = generator.generate(request)
        warm.append(time.perf_counter() - start)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    warm_up_s = statistics.median(seconds for seconds, _ in warm_ups)
    chunks = warm_ups[-1][1].chunks
    return [
        (f"first Continue after opening a {result.prompt_tokens}-token story", f"{1000 * cold_s:.0f} ms",
         "no background prefill"),
        ("first Continue after opening, prefilled", f"{1000 * warm_s:.0f} ms",
         f"target <= 300 ms; {result.reused_tokens} tokens reused"),
        ("background prefill of that story", f"{1000 * warm_up_s:.0f} ms", f"{chunks} chunks"),
        ("longest wait of a Continue during it", f"{1000 * warm_up_s / chunks:.0f} ms", "one chunk"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="installed model or folder (default: KoGPT2 if installed, else random)")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shape", choices=SHAPES, default="kogpt2", help="random-weight shape without --model")
    parser.add_argument("--no-quality", action="store_true", help="skip the demo model's int8 quality figures")
    args = parser.parse_args()
    scratch_dir = tempfile.TemporaryDirectory()
    scratch = Path(scratch_dir.name)

    if args.model:
        _, loaded = open_model(args.model, runtime="torch")
        label = args.model
    else:
        loaded, label = open_kogpt2_or_its_shape(scratch, args.shape)
    tokenizer, model = loaded.tokenizer, loaded.model
    print(f"model: {label}  device: {loaded.device.description}  torch {torch.__version__}\n")

    prompt = story_of(tokenizer, 40)
    settings = GenerationSettings(greedy=True, max_new_tokens=args.tokens, repetition_penalty=1.2)
    generator = Generator(loaded)
    prompt_ids = torch.tensor([tokenizer.encode(prompt)])

    def ours():
        generator.forget_cache()
        result = generator.generate(GenerationRequest(prompt, settings))
        assert result.new_tokens == args.tokens, result.stop_reasons

    def reference():
        model.generate(
            prompt_ids, attention_mask=torch.ones_like(prompt_ids), do_sample=False, max_new_tokens=args.tokens,
            min_new_tokens=args.tokens, repetition_penalty=1.2, pad_token_id=tokenizer.pad_token_id,
            suppress_tokens=loaded.banned_ids,
        )

    ours(), reference()  # warm up
    ours_ms = 1000 * timed(ours, args.repeats) / args.tokens
    reference_ms = 1000 * timed(reference, args.repeats) / args.tokens

    story = story_of(tokenizer, 900)
    one_token = GenerationSettings(greedy=True, max_new_tokens=1)

    def fresh_prefill():
        generator.forget_cache()
        return generator.generate(GenerationRequest(story, one_token)).time_to_first_token

    def continued():
        generator.forget_cache()
        accepted = generator.generate(GenerationRequest(story, settings.replace(max_new_tokens=30)))
        start = time.perf_counter()
        again = generator.generate(GenerationRequest(story + accepted.texts[0], one_token))
        return time.perf_counter() - start, again.reused_tokens, again.prompt_tokens

    fresh = statistics.median(fresh_prefill() for _ in range(args.repeats))
    runs = [continued() for _ in range(args.repeats)]
    continue_s = statistics.median(run[0] for run in runs)
    reused, prompt_tokens = runs[-1][1], runs[-1][2]

    thread_rows = []
    if loaded.device.name == "cpu":
        chosen = torch.get_num_threads()
        for threads in sorted({1, 2, cpu_thread_count()}):
            torch.set_num_threads(threads)
            thread_rows.append((threads, 1000 * timed(ours, 1) / args.tokens))
        torch.set_num_threads(chosen)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("ms/token, batch 1 (ours)", f"{ours_ms:.1f}", ""),
        ("ms/token, batch 1 (generate)", f"{reference_ms:.1f}", ""),
        ("throughput ours / generate", f"{reference_ms / ours_ms:.2f}x", "target >= 1.0x"),
        (f"first token, {prompt_tokens}-token story, fresh", f"{1000 * fresh:.0f} ms", ""),
        ("first token, continuing (cache reused)", f"{1000 * continue_s:.0f} ms", f"{reused} tokens reused"),
        ("continuing / fresh", f"{100 * continue_s / fresh:.1f}%", "target <= 5%"),
        *[(f"ms/token with {t} CPU thread(s)", f"{ms:.1f}", "chosen" if t == cpu_thread_count() else "")
          for t, ms in thread_rows],
        *warm_up_rows(generator, story, args.repeats),
        ("peak RSS", f"{peak_mb:.0f} MB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    compare_runtimes(loaded, scratch, prompt, story, settings, reference, args)
    if not args.no_quality:
        demo_quality(scratch)


def compare_runtimes(loaded, scratch, prompt, story, settings, reference, args) -> None:
    """The runtimes side by side, each through the one decode loop, in this process, in
    interleaved rounds with generate() fp32 (other processes share this machine's cores)."""
    print("\nruntimes (same process, interleaved rounds; generate() fp32 is the reference)")
    torch_rss = rss_mb()
    onnx_loaded, onnx_rss = int8_onnx_of(loaded, scratch)  # onnx_rss: what the session added to this process
    generators = {"PyTorch fp32": Generator(loaded), "ONNX Runtime int8": Generator(onnx_loaded)}
    decode_ms = {name: [] for name in ["generate() fp32", *generators]}
    prefill_s = {name: [] for name in generators}
    served = {}
    for _ in range(args.repeats + 1):  # the first round warms up
        start = time.perf_counter()
        reference()
        decode_ms["generate() fp32"].append(1000 * (time.perf_counter() - start) / args.tokens)
        for name, generator in generators.items():
            generator.forget_cache()
            result = generator.generate(GenerationRequest(prompt, settings))
            assert result.new_tokens == args.tokens, result.stop_reasons
            served[name] = result.runtime
            decode_ms[name].append(1000 * result.seconds / args.tokens)  # like generate(): prefill included
            generator.forget_cache()
            prefill_s[name].append(
                generator.generate(GenerationRequest(story, settings.replace(max_new_tokens=1))).time_to_first_token)
    median = {name: statistics.median(values[1:]) for name, values in decode_ms.items()}
    prefill = {name: statistics.median(values[1:]) for name, values in prefill_s.items()}
    print(f"{'runtime':<20} {'served by':>9} {'ms/token':>9} {'vs generate':>11} {'prefill 900':>11} "
          f"{'vs fp32':>8} {'RSS MB':>7}")
    print(f"{'generate() fp32':<20} {'-':>9} {median['generate() fp32']:>9.1f} {'1.00x':>11}")
    rss = {"PyTorch fp32": torch_rss, "ONNX Runtime int8": onnx_rss}
    for name in generators:
        print(f"{name:<20} {served[name]:>9} {median[name]:>9.1f} {median['generate() fp32'] / median[name]:>10.2f}x "
              f"{1000 * prefill[name]:>9.0f}ms {100 * prefill[name] / prefill['PyTorch fp32']:>7.0f}% "
              f"{rss[name]:>7.0f}")
    print("RSS: the whole process with the PyTorch model loaded; for ONNX, what its session added "
          f"(it needs no PyTorch model). Peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def demo_quality(scratch: Path) -> None:
    """The demo model's int8 export against its fp32 weights (what `models optimize` checks)."""
    import os

    from storyteller.engine.models.runtimes.optimize import optimize_model
    from storyteller.engine.models.store import ModelStore

    os.environ["STORYTELLER_DATA_DIR"] = str(scratch / "data")  # leave the user's exports alone
    result = optimize_model(ModelStore().get("demo").path)
    quality = result.quality
    print(f"\ndemo model, int8 ONNX vs fp32 on resources/evaluation ({quality.tokens} tokens, 5 prompts x 32 greedy):")
    print(f"perplexity {quality.perplexity_fp32:.2f} -> {quality.perplexity_int8:.2f} "
          f"({100 * quality.perplexity_change:+.3f} %, target within 1 %); "
          f"greedy tokens matching fp32: {100 * quality.greedy_match:.1f} %")


if __name__ == "__main__":
    main()
