"""The same story continued locally and through llama.cpp's server, on the same weights.

    .venv/bin/python benchmarks/bench_server.py [--model NAME_OR_PATH] [--tokens 48] [--repeats 3]

The model (default: KoGPT2's exact shape with random weights, or an installed KoGPT2; `--model demo`
for the small demo model) is exported with `export_gguf` (what `storyteller models export-gguf`
writes) and served by the upstream llama-server from the xllamacpp wheel, with as many threads as
the local loop uses. Both sides run the same request through the same shell (RequestRunner): a
~900-token story continued from scratch (time to first token, fresh), then continued again after
accepting the continuation (time to first token with the prompt cache: ours, and the server's
cache_prompt), and ms/token while writing. Prints both columns side by side.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_generate import kogpt2_shaped_model, story_of  # noqa: E402

from storyteller.engine.core.device import cpu_thread_count  # noqa: E402
from storyteller.engine.core.errors import ModelError  # noqa: E402
from storyteller.engine.decode.generator import Generator  # noqa: E402
from storyteller.engine.decode.requests import GenerationRequest  # noqa: E402
from storyteller.engine.models.catalogue import KOGPT2_REPO  # noqa: E402
from storyteller.engine.models.gguf_export import export_gguf  # noqa: E402
from storyteller.engine.models.loading import load_model, open_model  # noqa: E402
from storyteller.engine.servers import ServerEntry, connect  # noqa: E402
from storyteller.engine.settings.generation import GenerationSettings  # noqa: E402
from tests.helpers.llama_server import LlamaServer  # noqa: E402


def open_the_model(name: str | None, scratch: Path):
    """(loaded model, label): the one asked for, else an installed KoGPT2, else its shape with random
    weights (speed does not depend on them), kept in `scratch` for the export."""
    try:
        entry, loaded = open_model(name or KOGPT2_REPO, "cpu")
        return loaded, entry.name
    except ModelError as error:
        if name:
            raise
        print(f"(KoGPT2 not used: {error})")
    return load_model(kogpt2_shaped_model(scratch / "random"), "cpu"), "KoGPT2 shape, random weights"


def measure(runner, story: str, tokens: int, repeats: int) -> dict[str, float]:
    """Fresh time to first token, then `repeats` accept-and-continue rounds: their time to first
    token and ms/token (the first token's time left out)."""
    settings = GenerationSettings(max_new_tokens=tokens, min_new_tokens=0, seed=1, top_k=50, top_p=0.95,
                                  temperature=0.7, repetition_penalty=1.2)
    fresh = runner.generate(GenerationRequest(story, settings))
    text = story + fresh.texts[0]
    continuing, per_token, reused = [], [], []
    for _ in range(repeats):
        result = runner.generate(GenerationRequest(text, settings))
        continuing.append(result.time_to_first_token)
        per_token.append(1000 * (result.seconds - result.time_to_first_token) / max(1, result.new_tokens - 1))
        reused.append(result.reused_tokens)
        text += result.texts[0]
    return {
        "prompt tokens (fresh)": fresh.prompt_tokens,
        "first token, fresh (ms)": 1000 * fresh.time_to_first_token,
        "first token, continuing (ms)": 1000 * statistics.median(continuing),
        "prompt tokens reused when continuing": statistics.median(reused),
        "ms/token while writing": statistics.median(per_token),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="installed model name or folder (default: KoGPT2 or its shape)")
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--story-tokens", type=int, default=900)
    args = parser.parse_args()
    threads = cpu_thread_count()
    with tempfile.TemporaryDirectory() as scratch:
        loaded, label = open_the_model(args.model, Path(scratch))
        room = loaded.n_positions - args.tokens * (args.repeats + 2)  # the continuations must fit too
        story = story_of(loaded.tokenizer, min(args.story_tokens, room))
        gguf = export_gguf(loaded.path, Path(scratch) / "model.gguf")
        local = measure(Generator(loaded), story, args.tokens, args.repeats)
        with LlamaServer(gguf, threads=threads) as server:
            on_server = connect(ServerEntry("bench", server.url), tokenizer=loaded.tokenizer)
            try:
                remote = measure(on_server, story, args.tokens, args.repeats)
            finally:
                on_server.close()
    print(f"model: {label}; {args.tokens} tokens a continuation, median of {args.repeats}; "
          f"{threads} CPU thread(s) on both sides; server: llama.cpp (xllamacpp), same weights as GGUF")
    print(f"{'measure':40} {'local':>10} {'server':>10}")
    for name, value in local.items():
        print(f"{name:40} {value:10.1f} {remote[name]:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
