"""Bans, phrase bias and token alternatives, measured against plain decoding in the same run.

    .venv/bin/python benchmarks/bench_phrase_bans.py [--model demo] [--seeds 3] [--tokens 40] [--candidates 4]

Each condition continues the same prompts with the same seeds. Columns: how often the watched
phrases begin a word of the output (the bans' target: it must be 0 with the ban), the mean
probability the chosen tokens had (from the recorded alternatives, where recorded) and ms/token.
The first request of a condition pays its one-time set-up (the vocabulary's texts, Kiwi), so
each condition is warmed up once before it is timed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyteller.engine.decode.generator import Generator  # noqa: E402
from storyteller.engine.decode.phrase_bans import collapse  # noqa: E402
from storyteller.engine.decode.requests import GenerationRequest  # noqa: E402
from storyteller.engine.models.loading import open_model  # noqa: E402
from storyteller.engine.settings.generation import GenerationSettings  # noqa: E402
from storyteller.engine.settings.steering import SteeringSettings  # noqa: E402

PROMPTS = [
    "그날 밤 우리는 마을을 떠났다.",
    "해가 서쪽 능선에 걸릴 무렵, 돌쇠는 지게를 지고 고개를 넘고 있었다.",
    "그녀는 창문을 열고 오래도록 바다를 바라보았다.",
]
# What the demo model writes often: a pronoun, a noun and a verb (있다: 있었다, 있는, 있고 …).
BANNED = ("그는", "사람", "있다")
WATCHED = r"(?<![^\W_])(그는|사람|있었|있는|있고|있어|있다|있을|있던|있지)"


def run(generator, steering, args, alternatives=0):
    hits, tokens, seconds, probabilities = 0, 0, 0.0, []
    for prompt in PROMPTS:
        for seed in range(args.seeds):
            settings = GenerationSettings(max_new_tokens=args.tokens, seed=seed, num_candidates=args.candidates)
            request = GenerationRequest(prompt, settings, steering=steering, report_alternatives=alternatives)
            started = time.perf_counter()
            result = generator.generate(request)
            seconds += time.perf_counter() - started
            tokens += result.new_tokens
            hits += sum(len(re.findall(WATCHED, collapse(prompt[-1] + text))) for text in result.texts)
            probabilities += [r.probability for records in result.alternatives for r in records]
    mean = f"{statistics.mean(probabilities):.3f}" if probabilities else "–"
    return hits, tokens, mean, 1000 * seconds / max(1, tokens)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="demo")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=40)
    parser.add_argument("--candidates", type=int, default=4)
    args = parser.parse_args()
    _, loaded = open_model(args.model, "cpu")
    generator = Generator(loaded)
    conditions = [
        ("plain", None, 0),
        ("alternatives recorded (k=8)", None, 8),
        (f"ban {', '.join(BANNED)}", SteeringSettings(banned=BANNED), 0),
        ("phrase bias 그는=-3, 푸른 바다=+3", SteeringSettings(phrase_bias=("그는=-3", "푸른 바다=+3")), 0),
        ("ban + alternatives", SteeringSettings(banned=BANNED), 8),
    ]
    print(f"{args.model}: {len(PROMPTS)} prompts x {args.seeds} seeds x {args.candidates} candidates, "
          f"{args.tokens} tokens\n")
    print("| condition | watched phrases written | tokens | mean p(chosen) | ms/token |")
    print("|---|---:|---:|---:|---:|")
    for name, steering, alternatives in conditions:
        generator.generate(GenerationRequest(PROMPTS[0], GenerationSettings(max_new_tokens=2), steering=steering,
                                             report_alternatives=alternatives))  # set-up, untimed
        hits, tokens, mean, ms = run(generator, steering, args, alternatives)
        print(f"| {name} | {hits} | {tokens} | {mean} | {ms:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
