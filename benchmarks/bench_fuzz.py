"""Every door a file comes in by, fuzzed (issue 29): story files, scenarios (ours, NovelAI, KoboldAI Lite),
KoboldAI saves, .txt and .md, model folders (config.json, tokenizer.json, the safetensors header,
pytorch_model.bin, links), and a server's answers (a real misbehaving server of the tests'). The long
mode of tests/test_untrusted_*.py and tests/test_server_answers.py.

    .venv/bin/python benchmarks/bench_fuzz.py [--cases 1000] [--door NAME …] [--seed 0]

Per door: the cases tried, how many imported, how many ended in a clear StorytellerError, how many in a
traceback (target 0), how many failed imports changed a file they were given or could write (target 0),
and the slowest case (target under 2 s). Tracebacks and changed files are printed below the table.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.helpers.doors import model_doors, server_doors, story_doors  # noqa: E402
from tests.helpers.tiny_models import save_tiny_gpt2  # noqa: E402

SLOWEST_TARGET = 2.0


def run_door(name: str, cases, door, count: int, workdir: Path, random_seed: int) -> dict:
    found = {"cases": 0, "ok": 0, "clean": 0, "traceback": 0, "changed": 0, "slowest": 0.0, "problems": []}

    @seed(random_seed)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases)
    def one(case):
        outcome = door(workdir, case)
        found["cases"] += 1
        found[outcome.kind] += 1
        found["slowest"] = max(found["slowest"], outcome.seconds)
        if outcome.changed:
            found["changed"] += 1
        if (outcome.kind == "traceback" or outcome.changed) and len(found["problems"]) < 5:
            found["problems"].append((outcome, case))

    one()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases per door (default 1000)")
    parser.add_argument("--door", action="append", help="only this door (repeatable); see the table for names")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fuzz-") as scratch:
        scratch = Path(scratch)
        os.environ["STORYTELLER_DATA_DIR"] = str(scratch / "data")  # imported scenarios go to data/scenarios
        os.environ["HF_HUB_OFFLINE"] = "1"
        model = save_tiny_gpt2(scratch / "tiny")
        doors = {**story_doors(), **model_doors(model), **server_doors()}
        chosen = args.door or list(doors)
        print(f"{'door':26} {'cases':>6} {'imported':>9} {'clean':>6} {'traceback':>9} {'changed':>7} {'slowest':>8}")
        missed, problems = False, []
        for name in chosen:
            cases, door = doors[name]
            workdir = scratch / "work"
            found = run_door(name, cases, door, args.cases, workdir, args.seed)
            print(f"{name:26} {found['cases']:6} {found['ok']:9} {found['clean']:6} {found['traceback']:9} "
                  f"{found['changed']:7} {found['slowest']:7.2f}s", flush=True)
            missed |= bool(found["traceback"] or found["changed"] or found["slowest"] >= SLOWEST_TARGET)
            problems += [(name, *problem) for problem in found["problems"]]
        for name, outcome, case in problems:
            print(f"\n--- {name}: {outcome.kind}, changed {outcome.changed}\ncase: {case!r}"[:2000])
            if outcome.error is not None:
                traceback.print_exception(outcome.error)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
