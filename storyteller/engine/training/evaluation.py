"""Measures of how good a language model's Korean is, for model cards (issue 13): perplexity in
blocks of the model's context next to a unigram baseline fitted on a weighted data mixture, and
the fluency of a text as a Korean morphological analyzer scores it.

Fluency: Kiwi (kiwipiepy) analyses a text into morphemes and scores its best analysis with a log
probability (its language model's and the morpheme dictionary's). Real Korean analyses into known
words with likely neighbours and scores high; strings of syllables that form no words score low.
`fluency` divides the top analysis' score by the number of non-space characters, so that texts of
different lengths compare: on held-out KoCoNovel stories it gives about -3.6 per character, on the
same text with its syllables shuffled about -8.6. The text is analysed whole, line breaks and all;
scores depend on Kiwi's model, so figures compare only under the same kiwipiepy version.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from storyteller.engine.korean.analysis import analyzer, sentence_spans

if TYPE_CHECKING:
    from transformers import PreTrainedModel

    from storyteller.engine.training.data import Mixture

COUNT_CHUNK = 1 << 20  # token ids gathered before each bincount, so a 50 MB source never sits in a list


def _is_hangul_syllable(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def non_space_characters(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def fluency(text: str) -> float | None:
    """Kiwi's log-score of the top analysis of `text` per non-space character (higher is more
    fluent), or None for a text with no such character."""
    characters = non_space_characters(text)
    if not characters:
        return None
    _tokens, score = analyzer().analyze(text, top_n=1)[0]
    return score / characters


def shuffle_syllables(text: str, rng: random.Random) -> str:
    """`text` with its Hangul syllables shuffled among their places; spaces, line breaks,
    punctuation, digits and Latin letters stay where they were (the same length and shape)."""
    syllables = [char for char in text if _is_hangul_syllable(char)]
    rng.shuffle(syllables)
    shuffled = iter(syllables)
    return "".join(next(shuffled) if _is_hangul_syllable(char) else char for char in text)


@dataclass(frozen=True)
class UnigramBaseline:
    """Token frequencies (weighted counts, any real number), add-one smoothed over `len(counts)`
    token ids: the baseline a language model must beat."""

    counts: np.ndarray

    def log_probabilities(self) -> np.ndarray:
        smoothed = self.counts + 1.0
        return np.log(smoothed / smoothed.sum())

    def perplexity(self, ids: list[int]) -> float:
        if not ids:
            raise ValueError("no tokens to measure")
        return math.exp(-float(self.log_probabilities()[np.asarray(ids)].mean()))


def weighted_unigram(texts: Iterable[tuple[str, float]], tokenizer, vocab_size: int,
                     end_of_text: bool = True) -> UnigramBaseline:
    """A unigram fitted on (text, weight) pairs: each text's tokens count `weight` times (and its
    end-of-text token, as training packs documents with one)."""
    counts = np.zeros(vocab_size, dtype=np.float64)
    pending: dict[float, list[int]] = {}
    for text, weight in texts:
        ids = pending.setdefault(weight, [])
        ids.extend(tokenizer.encode(text))
        if end_of_text and tokenizer.eos_token_id is not None:
            ids.append(tokenizer.eos_token_id)
        if len(ids) >= COUNT_CHUNK:
            counts += weight * np.bincount(ids, minlength=vocab_size)[:vocab_size]
            ids.clear()
    for weight, ids in pending.items():
        if ids:
            counts += weight * np.bincount(ids, minlength=vocab_size)[:vocab_size]
    return UnigramBaseline(counts)


def mixture_unigram(mixture: Mixture, tokenizer, vocab_size: int) -> UnigramBaseline:
    """The unigram of a mixture's training files as a pass over the mixture reads them: each
    source's documents counted `weight` times (0.12 reads about an eighth of it: its expected
    counts), with the end-of-text token packing puts after each document."""
    from storyteller.engine.training.data import documents  # imports torch: only when fitting

    return weighted_unigram(
        ((document, source.weight) for source in mixture.sources for document in documents(source.train)),
        tokenizer, vocab_size,
    )


def packed_ids(texts: Iterable[str], tokenizer, limit: int | None = None) -> list[int]:
    """The token ids of `texts` joined by the end-of-text token as training packs them, cut after
    `limit` tokens."""
    ids: list[int] = []
    for text in texts:
        if ids and tokenizer.eos_token_id is not None:
            ids.append(tokenizer.eos_token_id)
        ids.extend(tokenizer.encode(text))
        if limit is not None and len(ids) >= limit:
            return ids[:limit]
    return ids


def blocks_of(ids: list[int], block_size: int) -> list[list[int]]:
    """Non-overlapping blocks of the model's context; a last block of one token predicts nothing
    and is dropped."""
    return [ids[start : start + block_size] for start in range(0, len(ids), block_size)
            if len(ids) - start >= 2]


def predicted_ids(blocks: list[list[int]]) -> list[int]:
    """The tokens a model scores in `blocks` (all but each block's first): what a baseline must
    be measured on to compare."""
    return [token for block in blocks for token in block[1:]]


def model_perplexity(model: PreTrainedModel, blocks: list[list[int]]) -> float:
    """Token-level perplexity of `model` over `blocks`, each read from a fresh context."""
    import torch

    total, count = 0.0, 0
    model.eval()
    with torch.inference_mode():
        for block in blocks:
            chunk = torch.tensor([block], device=model.device)
            total += model(input_ids=chunk, labels=chunk).loss.float().item() * (len(block) - 1)
            count += len(block) - 1
    if not count:
        raise ValueError("no tokens to measure")
    return math.exp(min(total / count, 50.0))


def prompts_with_sequels(texts: list[str], count: int, sentences: int = 3,
                         room: int = 3) -> list[tuple[str, str]]:
    """`count` (prompt, what follows it) pairs spread evenly over `texts`: each prompt is
    `sentences` consecutive sentences (Kiwi's), the sequel is the rest of its text, with at least
    `room` more sentences. More pairs than places repeat places."""
    places = []
    for text in texts:
        spans = sentence_spans(text)
        for first in range(len(spans) - sentences - room + 1):
            end = spans[first + sentences - 1][1]
            places.append((text[spans[first][0] : end], text[end:]))
    if not places:
        raise ValueError(f"no text holds {sentences + room} sentences")
    return [places[int(index * len(places) / count) % len(places)] for index in range(count)]
