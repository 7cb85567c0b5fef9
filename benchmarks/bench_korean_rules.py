"""Kiwi against the hand-written Korean rules it replaced (issue 15), on the shipped test sets.

    .venv/bin/python benchmarks/bench_korean_rules.py [--show 5]

- Trimming an unfinished sentence: tests/data/korean/trimming.jsonl (KoCoNovel paragraphs and
  UD Korean sentences, cut where a model might stop; see its README): exact-match accuracy.
- World-info keys: tests/data/korean/world_info_keys.jsonl (an 어절 that starts with the key,
  labelled by hand: the key with particles, or another word): accuracy of substring, the old
  whole-word regex and Kiwi's morphemes.
- Particle forms: the 받침 arithmetic the app uses (korean.particle_form) against Kiwi's join on the
  nouns of the key set.
Prints each figure and the cases where the two disagree.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyteller.engine.korean.analysis import PAIRED_PARTICLES, analyzer, particle_form, word_spans  # noqa: E402
from storyteller.engine.korean.words import particles  # noqa: E402
from storyteller.engine.story.modes import past_closers, trim_incomplete_sentence  # noqa: E402

DATA = ROOT / "tests/data/korean"

# -- the rules before issue 15, kept here only to compare against ----------------------------------
OLD_ENDERS = ("다.", "요.", "까?", ".", "!", "?", "…", "。")
# Kiwi's tag for each particle pair's first form, to ask its join which form follows a word.
KIWI_TAGS = {"이": "JKS", "은": "JX", "을": "JKO", "과": "JC", "으로": "JKB", "이나": "JX", "이랑": "JC", "아": "JKV"}


def old_trim(text: str) -> str:
    best = max((text.rfind(e) + len(e) for e in OLD_ENDERS if text.rfind(e) >= 0), default=-1)
    return text[: past_closers(text, best)] if best >= 0 else text


def old_whole_word(text: str, key: str, at: int) -> bool:
    return any(m.start() == at for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", text))


def arithmetic_paired(word: str) -> list[str]:
    return [particle_form(word, first) for first, _ in PAIRED_PARTICLES]


def kiwi_paired(word: str) -> list[str]:
    return [analyzer().join([(word, "NNG"), (first, KIWI_TAGS[first])])[len(word):] for first, _ in PAIRED_PARTICLES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=5, help="how many differing cases to print")
    args = parser.parse_args()
    started = time.perf_counter()
    analyzer()
    print(f"Kiwi loaded in {time.perf_counter() - started:.1f} s", end="")
    started = time.perf_counter()
    analyzer().split_into_sents("철수가 왔다. 영희는 웃었다")  # its first split builds more of its model
    print(f", its first sentence split took {time.perf_counter() - started:.1f} s (the app warms both up in the "
          "background)")

    cases = [json.loads(line) for line in (DATA / "trimming.jsonl").read_text().splitlines()]
    print(f"\nTrimming an unfinished sentence ({len(cases)} cases):")
    for source in ("koconovel", "ud_korean", None):
        chosen = [c for c in cases if source in (None, c["source"])]
        old = sum(old_trim(c["text"]) == c["keep"] for c in chosen)
        started = time.perf_counter()
        new = sum(trim_incomplete_sentence(c["text"]) == c["keep"] for c in chosen)
        ms = 1000 * (time.perf_counter() - started) / len(chosen)
        print(f"  {source or 'all':<10} hand-written {old / len(chosen):6.1%}   Kiwi {new / len(chosen):6.1%}"
              f"   ({ms:.2f} ms a case)")
    shown = 0
    for c in cases:
        old, new = old_trim(c["text"]), trim_incomplete_sentence(c["text"])
        if old != new and shown < args.show:
            shown += 1
            print(f"    …{c['text'][-60:]!r}\n      hand-written …{old[-40:]!r} | Kiwi …{new[-40:]!r}"
                  f" | right: {'Kiwi' if new == c['keep'] else 'hand-written' if old == c['keep'] else 'neither'}")

    keys = [json.loads(line) for line in (DATA / "world_info_keys.jsonl").read_text().splitlines()]
    positive = sum(k["is_key"] for k in keys)
    print(f"\nWorld-info keys ({len(keys)} 어절 that start with the key, {positive} are the key):")
    methods = {
        "substring": lambda k: True,
        "old whole word": lambda k: old_whole_word(k["text"], k["key"], k["at"]),
        "Kiwi morphemes": lambda k: any(s == k["at"] for s, _ in word_spans(k["text"], k["key"])),
    }
    for name, method in methods.items():
        said = [method(k) for k in keys]
        right = sum(s == k["is_key"] for s, k in zip(said, keys))
        false_pos = sum(s and not k["is_key"] for s, k in zip(said, keys))
        false_neg = sum(k["is_key"] and not s for s, k in zip(said, keys))
        print(f"  {name:<15} {right / len(keys):6.1%} right ({false_pos} wrongly matched, {false_neg} missed)")
    wrong = [k for k in keys if methods["Kiwi morphemes"](k) != k["is_key"]]
    for k in wrong[: args.show]:
        print(f"    Kiwi wrong: key {k['key']} in {k['word']} ({'is' if k['is_key'] else 'is not'} the key)")

    nouns = sorted({k["key"] for k in keys} | {k["word"] for k in keys if not k["is_key"]})
    nouns = [n for n in nouns if "가" <= n[-1] <= "힣"]
    agree = sum(arithmetic_paired(n) == kiwi_paired(n) for n in nouns)
    print(f"\nParticle forms: the 받침 arithmetic (korean.particle_form) and Kiwi's join agree on {agree} of "
          f"{len(nouns)} Hangul words")
    for word in ("AI", "3", "Tom"):
        print(f"  {word}: Kiwi reads it as {analyzer().join([(word, 'NNG'), ('이', 'JKS')])!r}; "
              f"both forms are kept: {particles(word)[:2]}")


if __name__ == "__main__":
    main()
