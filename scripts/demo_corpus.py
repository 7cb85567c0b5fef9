"""The demo model's training data (issue 13): openly licensed Korean from the shared corpora, as a
data mixture for `storyteller train` (engine/training/data.py), held out by source.

    .venv/bin/python scripts/demo_corpus.py --work W [--corpora ../shared/data/corpora]

Writes W/train/<source>.txt and W/held_out/<source>.txt (documents separated by blank lines),
W/held_out_stories/<id>.txt (the three whole stories kept out, one file each, for per-story
figures) and W/mixture.json with each source's weight, genre, license and origin. Nothing here
is needed to run or test the app: only to reproduce the demo model.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = ROOT.parent / "shared" / "data" / "corpora"

# Three whole stories the model never sees, by three authors (현진건, 이효석, 윤백남): the same as the
# first demo model's, so that figures compare.
HELD_OUT_STORIES = ("1", "12", "33")
HOLD_OUT_EVERY = 50  # every 50th document of every other source is held out (2 %)
MIN_SHARED_LINE = 10  # characters


@dataclass(frozen=True)
class CorpusSource:
    name: str
    genre: str
    weight: float  # passes per round: the stories are weighted up so that the model stays a storyteller
    license: str
    origin: str


# From more/README.md and each folder's LICENSE/SOURCE.md; koconovel, nsmc and chatbot_data from their READMEs.
SOURCES = (
    CorpusSource("koconovel", "stories (public-domain short stories)", 4, "CC BY-SA 4.0 (stories public domain)",
                 "KoCoNovel, github.com/storidient/KoCoNovel"),
    CorpusSource("boddari_fairytale", "stories (fairy tales)", 3,
                 "공유마당 기증저작물 자유이용 / copyright expired / CC BY 4.0", "yiunsr/boddari@9d21b9ef7e70"),
    CorpusSource("nsmc_synopses", "stories (film synopses)", 3, "CC0 1.0", "e9t/nsmc (synopses)"),
    CorpusSource("nsmc_full", "reviews (informal)", 0.06, "CC0 1.0", "e9t/nsmc@cc0670e872d4"),
    CorpusSource("boddari_book_reviews", "essays (book reviews)", 1,
                 "CC BY (국회도서관 서평) + CC BY 2.0 KR (에이콘출판사)", "yiunsr/boddari@9d21b9ef7e70"),
    CorpusSource("boddari_unesco", "expository (reports)", 0.5, "CC BY-SA 3.0 IGO", "yiunsr/boddari@9d21b9ef7e70"),
    CorpusSource("boddari_wikinews", "news", 1, "CC BY 2.5", "yiunsr/boddari@9d21b9ef7e70"),
    CorpusSource("ntrex_ko", "news (translated)", 1, "CC BY-SA 4.0", "MicrosoftTranslator/NTREX@8561f6a622db"),
    CorpusSource("klue_dev_sentences", "mixed sentences", 1, "CC BY-SA 4.0", "KLUE-benchmark/KLUE@3efd98708a40"),
    CorpusSource("kornlu_sentences", "mixed sentences (translated)", 1, "CC BY-SA 4.0",
                 "kakaobrain/KorNLUDatasets@0df0fe7d496e"),
    CorpusSource("ud_korean_sentences", "mixed sentences", 1, "CC BY-SA 4.0",
                 "UD_Korean-Kaist@ef244243b578 + UD_Korean-GSD@925eec22693d"),
    CorpusSource("chatbot_data", "dialogue (question and answer)", 1, "MIT", "songys/Chatbot_data"),
    CorpusSource("smilestyle_dialogue", "dialogue (multi-turn)", 1, "CC BY-NC 4.0 (non-commercial)",
                 "smilegate-ai/korean_smile_style_dataset@b362299d1ac9"),
    CorpusSource("xpersona_ko_dialogue", "dialogue (translated)", 1, "MIT", "HLTCHKUST/Xpersona@1da049a1bbf3"),
    CorpusSource("3i4k_utterances", "dialogue (utterances)", 0.5, "CC BY-SA 4.0", "warnikchow/3i4k@cfa90c15f808"),
    CorpusSource("question_pair", "dialogue (questions)", 0.5, "MIT", "songys/Question_pair@e84b6f0e784c"),
)


def read_stories(koconovel: Path) -> list[dict]:
    text = (koconovel / "koconovel_all.txt").read_text(encoding="utf-8")
    stories = []
    for match in re.finditer(r"^### (\S+)\t([^\t\n]*)\t([^\n]*)\n(.*?)(?=^### |\Z)", text, re.M | re.S):
        story_id, title, author, body = match.groups()
        stories.append({"id": story_id, "title": title, "author": author.strip(), "text": body.strip()})
    return stories


def documents_of(name: str, corpora: Path) -> list[str]:
    """The documents of one source, as the text a model should read (dialogue turns on lines)."""
    if name == "nsmc_synopses":
        return [entry["synopsis"].strip() for entry in json.loads((corpora / "nsmc/synopses.json").read_text("utf-8"))]
    if name == "chatbot_data":
        with (corpora / "chatbot_data/ChatbotData.csv").open(encoding="utf-8") as stream:
            return [f"{row['Q'].strip()}\n{row['A'].strip()}" for row in csv.DictReader(stream)]
    lines = (corpora / "more" / name / "text.txt").read_text(encoding="utf-8").splitlines()
    return ["\n".join(turn.strip() for turn in line.split("\t") if turn.strip()) for line in lines if line.strip()]


def write_documents(path: Path, documents: list[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A blank line separates documents, so none may hold one.
    cleaned = [re.sub(r"\n\s*\n+", "\n", d).strip() for d in documents if d.strip()]
    path.write_text("\n\n".join(cleaned) + "\n", encoding="utf-8")
    return len(cleaned)


def prepare(work: Path, corpora: Path) -> Path:
    split = {}
    for source in SOURCES:
        if source.name == "koconovel":
            stories = read_stories(corpora / "koconovel")
            if len(stories) != 50:
                sys.exit(f"expected 50 KoCoNovel stories in {corpora / 'koconovel'}, found {len(stories)}")
            train = [s["text"] for s in stories if s["id"] not in HELD_OUT_STORIES]
            held = [s for s in stories if s["id"] in HELD_OUT_STORIES]
            for story in held:
                write_documents(work / "held_out_stories" / f"{story['id']}.txt", [story["text"]])
            (work / "held_out_stories" / "stories.json").write_text(
                json.dumps([{k: s[k] for k in ("id", "title", "author")} for s in held], ensure_ascii=False, indent=1),
                encoding="utf-8")
            held = [s["text"] for s in held]
        else:
            documents = documents_of(source.name, corpora)
            held = documents[::HOLD_OUT_EVERY]
            train = [d for i, d in enumerate(documents) if i % HOLD_OUT_EVERY]
        split[source.name] = (train, held)
    shared = train_what_training_has_seen(split, keep={"koconovel"})  # whole stories, kept out by title
    entries = []
    for source in SOURCES:
        train, unseen = split[source.name]
        # Shuffled once: a round shorter than a pass reads the start of each file, which should be a
        # sample of the whole source, not its first reviews or first book.
        random.Random(f"demo/{source.name}").shuffle(train)
        kept = write_documents(work / "train" / f"{source.name}.txt", train)
        write_documents(work / "held_out" / f"{source.name}.txt", unseen)
        print(f"{source.name}: {kept} training documents, {len(unseen)} held out "
              f"({shared[source.name]} more shared a line with training text)", file=sys.stderr)
        entries.append({"name": source.name, "train": f"train/{source.name}.txt",
                        "held_out": f"held_out/{source.name}.txt", "weight": source.weight, "genre": source.genre,
                        "license": source.license, "origin": source.origin})
    mixture = work / "mixture.json"
    mixture.write_text(json.dumps({"format": "storyteller-mixture", "version": 1, "eval_blocks_per_source": 6,
                                   "sources": entries}, ensure_ascii=False, indent=1), encoding="utf-8")
    return mixture


def train_what_training_has_seen(split: dict[str, tuple[list[str], list[str]]], keep=()) -> dict[str, int]:
    """Move into training every held-out document that shares a line with a training document
    (in place; sources in `keep` are left alone) and return how many moved from each source.

    The dialogue sets share questions (question_pair's are chatbot_data's, about 70 % of held-out
    lines): such a document is not unseen text. Moving one adds its lines to what training has, so
    the check repeats until none moves."""
    seen = {line for train, _ in split.values() for document in train for line in _lines(document)}
    moved = dict.fromkeys(split, 0)
    moving = True
    while moving:
        moving = False
        for name, (train, held) in split.items():
            if name in keep:
                continue
            for document in [d for d in held if seen.intersection(_lines(d))]:
                held.remove(document)
                train.append(document)
                seen |= _lines(document)
                moved[name] += 1
                moving = True
    return moved


def _lines(document: str) -> set[str]:
    """A document's lines long enough to tell a shared sentence from a shared greeting."""
    return {line.strip() for line in document.splitlines() if len(line.strip()) >= MIN_SHARED_LINE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = parser.parse_args()
    print(prepare(args.work, args.corpora))


if __name__ == "__main__":
    main()
