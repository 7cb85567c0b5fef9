"""Makes trimming.jsonl from the shared corpora (run once; the tests read the JSONL, never the corpora).

    python tests/data/korean/make_sets.py CORPORA   # the folder holding koconovel/ and more/ud_korean_sentences/

Each case is a text a model could have stopped writing in, and what trimming it should keep:
- KoCoNovel (one paragraph a line): two whole paragraphs, then the next one cut before its first
  sentence mark (so no sentence of it is complete): keep the two paragraphs and the line break.
  Or three whole paragraphs that end in a mark: keep them all.
- UD Korean (KAIST, GSD; one sentence a line, split by the treebanks' annotators): two sentences,
  then a third cut at a random character: keep the two. Or three whole sentences: keep them all.
"""

import json
import random
import re
import sys
from pathlib import Path

ENDS = re.compile(r"[.!?][\"'”’」』)]*$")


def novel_cases(lines, rng, count):
    cases = []
    while len(cases) < count:
        i = rng.randrange(2, len(lines))
        before, line = lines[i - 2 : i], lines[i]
        if any(x.startswith("###") for x in before + [line]) or not all(ENDS.search(x) for x in before):
            continue
        head = "\n".join(before) + "\n"
        if len(cases) % 4 == 3:
            if ENDS.search(line):
                cases.append({"source": "koconovel", "text": head + line, "keep": head + line})
            continue
        first_mark = min([m.start() for m in re.finditer(r"[.!?]", line)] or [len(line)])
        if first_mark < 4:
            continue
        cut = rng.randrange(2, first_mark)
        cases.append({"source": "koconovel", "text": head + line[:cut], "keep": head})
    return cases


def ud_cases(lines, rng, count):
    cases = []
    while len(cases) < count:
        i = rng.randrange(0, len(lines) - 3)
        one, two, three = lines[i : i + 3]
        if not (ENDS.search(one) and ENDS.search(two)) or len(three) < 6:
            continue
        head = f"{one} {two}"
        if len(cases) % 4 == 3:
            if ENDS.search(three):
                cases.append({"source": "ud_korean", "text": f"{head} {three}", "keep": f"{head} {three}"})
            continue
        cut = rng.randrange(2, len(three) - 2)
        cases.append({"source": "ud_korean", "text": f"{head} {three[:cut]}", "keep": head})
    return cases


def main(corpora: Path) -> None:
    rng = random.Random(15)
    novels = [x for x in (corpora / "koconovel/koconovel_all.txt").read_text().splitlines() if x.strip()]
    ud = [x for x in (corpora / "more/ud_korean_sentences/text.txt").read_text().splitlines() if x.strip()]
    cases = novel_cases(novels, rng, 200) + ud_cases(ud, rng, 200)
    out = Path(__file__).with_name("trimming.jsonl")
    out.write_text("".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases))
    print(f"{len(cases)} cases written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
