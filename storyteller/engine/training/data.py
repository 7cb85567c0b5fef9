"""Pretraining data that does not fit in memory: a mixture of text sources, streamed, weighted and
packed into blocks (issue 13).

A mixture is a JSON file naming its sources; each source is a UTF-8 text file whose documents are
separated by blank lines (a story keeps its paragraphs on single lines; a dialogue its turns), with
a weight (how many times a pass over the mixture reads it: 3 reads a small story collection three
times, 0.25 a random quarter of a large review set) and optionally a held-out file of the same kind,
which only measures the model. Paths are relative to the JSON file.

    {"format": "storyteller-mixture", "version": 1, "eval_blocks_per_source": 8,
     "sources": [{"name": "stories", "train": "train/stories.txt", "held_out": "held_out/stories.txt",
                  "weight": 3, "genre": "narrative", "license": "CC BY-SA 4.0", "origin": "…"}]}

transformers' Trainer and `datasets` both expect a dataset they can index or load whole; this
streams (a long run reads tens of millions of tokens) and interleaves sources by weight, which
neither offers for plain files, hence the few lines by hand.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

from storyteller.engine.core.errors import TrainingError, tr

MIXTURE_FORMAT = "storyteller-mixture"
MIXTURE_VERSION = 1
SHUFFLE_BUFFER = 256  # documents mixed within a source, so one review site's run does not fill a batch


@dataclass(frozen=True)
class Source:
    name: str
    train: Path
    held_out: Path | None
    weight: float
    genre: str = ""
    license: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Mixture:
    path: Path
    sources: tuple[Source, ...]
    eval_blocks_per_source: int = 8

    def describe(self) -> str:
        """One line per source for the model card."""
        return "; ".join(
            f"{s.name} ({s.genre or 'text'}, weight {s.weight:g}, {s.license or 'license not given'})"
            for s in self.sources
        )


def is_mixture(path: Path) -> bool:
    path = Path(path)
    return path.suffix == ".json" and not path.name.endswith(".story.json")


def load_mixture(path: Path) -> Mixture:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TrainingError(tr("The data mixture {path} cannot be read: {error}"), path=path, error=error) from None
    if not isinstance(data, dict) or data.get("format") != MIXTURE_FORMAT:
        raise TrainingError(
            tr("{path} is not a data mixture (a JSON file with \"format\": \"{format}\")."),
            path=path, format=MIXTURE_FORMAT,
        )
    if data.get("version") != MIXTURE_VERSION:
        raise TrainingError(
            tr("The data mixture {path} has version {version}; this Storyteller reads version {supported}."),
            path=path, version=data.get("version"), supported=MIXTURE_VERSION,
        )
    sources = []
    for index, entry in enumerate(data.get("sources") or []):
        name = str(entry.get("name") or f"source {index + 1}")
        if any(source.name == name for source in sources):
            raise TrainingError(
                tr("Two sources in {path} are named {name}: give each its own name."), name=name, path=path
            )
        weight = entry.get("weight", 1)
        if not isinstance(weight, (int, float)) or not 0 < weight <= 1000:
            raise TrainingError(
                tr("Source {name} in {path} has weight {weight}; give a number above 0 (at most 1000)."),
                name=name, path=path, weight=weight,
            )
        files = {}
        for key in ("train", "held_out"):
            if entry.get(key) is None:
                continue
            file = (path.parent / entry[key]).resolve()
            if not file.is_file():
                raise TrainingError(
                    tr("Source {name} in {path}: the file {file} does not exist."), name=name, path=path, file=file
                )
            files[key] = file
        if "train" not in files:
            raise TrainingError(tr("Source {name} in {path} names no \"train\" file."), name=name, path=path)
        sources.append(Source(name, files["train"], files.get("held_out"), float(weight), str(entry.get("genre", "")),
                              str(entry.get("license", "")), str(entry.get("origin", ""))))
    if not sources:
        raise TrainingError(tr("The data mixture {path} lists no sources."), path=path)
    return Mixture(path, tuple(sources), int(data.get("eval_blocks_per_source", 8)))


def documents(file: Path) -> Iterator[str]:
    """The documents of a source file (separated by blank lines), read line by line."""
    lines: list[str] = []
    with Path(file).open(encoding="utf-8-sig") as stream:
        for line in stream:
            line = line.strip()
            if line:
                lines.append(line)
            elif lines:
                yield "\n".join(lines)
                lines = []
    if lines:
        yield "\n".join(lines)


def _weighted_documents(source: Source, rng: random.Random) -> Iterator[str]:
    """`weight` passes over the source: whole passes read every document, the fraction a random share."""
    whole, fraction = divmod(source.weight, 1)
    for passes in range(math.ceil(source.weight)):
        buffer: list[str] = []
        for document in documents(source.train):
            if passes < whole or rng.random() < fraction:
                buffer.append(document)
            if len(buffer) >= SHUFFLE_BUFFER:
                yield buffer.pop(rng.randrange(len(buffer)))
        rng.shuffle(buffer)
        yield from buffer


def interleaved_documents(mixture: Mixture, seed: int) -> Iterator[tuple[str, str]]:
    """(source name, document) for one pass over the mixture, each next document drawn from a
    source with probability in proportion to the documents it has left to give, so that any stretch
    of the pass (a round shorter than a pass) reads each source in its weighted share of text: drawn
    by what is left in bytes instead, a source of long documents (stories) filled most of it."""
    rng = random.Random(seed)
    streams = {s.name: _weighted_documents(s, random.Random(f"{seed}/{s.name}")) for s in mixture.sources}
    left = {s.name: s.weight * document_count(s.train) for s in mixture.sources}
    while streams:
        names = list(streams)
        name = rng.choices(names, weights=[max(left[n], 1.0) for n in names])[0]
        document = next(streams[name], None)
        if document is None:
            del streams[name]
            continue
        left[name] -= 1
        yield name, document


@functools.lru_cache(maxsize=256)
def _counted(file: str, size: int, modified: float) -> int:
    return sum(1 for _ in documents(Path(file)))


def document_count(file: Path) -> int:
    """How many documents a source file holds (counted once per version of the file)."""
    status = Path(file).stat()
    return _counted(str(file), status.st_size, status.st_mtime)


def pack(texts, tokenizer, block_size: int) -> Iterator[list[int]]:
    """Texts joined by the end-of-text token and cut into blocks of `block_size` (GPT-2's recipe)."""
    buffer: list[int] = []
    for text in texts:
        buffer.extend(tokenizer.encode(text))
        buffer.append(tokenizer.eos_token_id)
        while len(buffer) >= block_size:
            yield buffer[:block_size]
            del buffer[:block_size]


class MixtureStream(torch.utils.data.IterableDataset):
    """Training blocks from the mixture, pass after pass (each pass shuffled with its own seed)."""

    def __init__(self, mixture: Mixture, tokenizer, block_size: int, seed: int):
        self.mixture, self.tokenizer, self.block_size, self.seed = mixture, tokenizer, block_size, seed

    def __iter__(self):
        # One stream over pass after pass: a mixture smaller than a block still fills blocks.
        for block in pack(self._texts(), self.tokenizer, self.block_size):
            ids = torch.tensor(block)
            yield {"input_ids": ids, "labels": ids.clone()}

    def _texts(self) -> Iterator[str]:
        if not any(document_count(source.train) for source in self.mixture.sources):  # else it waits forever
            raise TrainingError(tr("The data mixture {path} has no text to train on."), path=self.mixture.path)
        for passes in itertools.count():  # a pass may draw nothing from a source of weight below 1: read on
            for _, document in interleaved_documents(self.mixture, self.seed + passes):
                yield document


def held_out_blocks(mixture: Mixture, tokenizer, block_size: int) -> dict[str, list[list[int]]]:
    """Up to `eval_blocks_per_source` blocks of each source's held-out file, by source name."""
    found = {}
    for source in mixture.sources:
        if source.held_out is None:
            continue
        blocks = []
        for block in pack(documents(source.held_out), tokenizer, block_size):
            blocks.append(block)
            if len(blocks) >= mixture.eval_blocks_per_source:
                break
        if blocks:
            found[source.name] = blocks
    return found
