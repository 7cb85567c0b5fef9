"""Token alternatives: while a continuation is written, each token's probability and the k
likeliest tokens at its place, from the scores the sampler drew from (after every sampling rule),
as NovelAI's Token Probabilities and Mikupad show them. Nothing is recomputed afterwards.

The scores are the logits stage's numpy rows (processors.py), softmaxed in float64 with its softmax.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from storyteller.engine.core.numeric import softmax
from storyteller.engine.decode.phrase_bans import vocabulary
from storyteller.engine.decode.requests import TokenAlternatives, TokenChoice, TokenRecord

REPORTED_ALTERNATIVES = 8  # what the app asks for: enough to choose from, few enough to read


def top_choices(row, k: int) -> tuple[list[int], list[float], np.ndarray]:
    """(ids of the k likeliest tokens, their probabilities, the whole row's probabilities) from one
    row of scores (-inf where a rule removed a token), likeliest first, impossible tokens left out."""
    probs = softmax(np.asarray(row, dtype=np.float64))
    top = np.argpartition(-probs, min(k, probs.shape[-1]) - 1)[:k]
    top = top[np.argsort(-probs[top], kind="stable")]
    ids, values = top.tolist(), probs[top].tolist()
    kept = [(i, p) for i, p in zip(ids, values) if p > 0]
    return [i for i, _ in kept], [p for _, p in kept], probs


class AlternativesRecorder:
    """Makes one TokenRecord per generated token of each candidate, keeping them for the result."""

    def __init__(self, tokenizer, k: int, count: int):
        self.k = k  # 0: record nothing (the request did not ask)
        self.records: list[list[TokenRecord]] = [[] for _ in range(count)] if k else []
        self._texts = vocabulary(tokenizer).raw if k else []  # each token's text as it reads after others
        self._ends = [0] * count

    def events(self, candidate: int, token: int, scores, decoder):
        """The TokenAlternatives event for `token` (none unless asked for)."""
        if self.k:
            yield TokenAlternatives(candidate, self.record(candidate, token, scores, decoder))

    def record(self, candidate: int, token: int, scores, decoder) -> TokenRecord:
        """The record of `token`, just pushed to `decoder` (the candidate's StreamDecoder), drawn
        from the row of processed `scores`."""
        ids, values, probs = top_choices(scores, self.k)
        choices = tuple(TokenChoice(i, self._texts[i], p) for i, p in zip(ids, values))
        # A token ending inside a character (a split multi-byte one) has no text of its own yet.
        end = max(self._ends[candidate], len(decoder.text().rstrip("\ufffd")))
        record = TokenRecord(self._ends[candidate], end, token, float(probs[token]), choices)
        self._ends[candidate] = end
        self.records[candidate].append(record)
        return record


def records_within(records: list[TokenRecord], generated: str, kept: str) -> list[TokenRecord]:
    """The records that still describe `kept`, the text that went into the story from the
    generated text (tidying cuts an unfinished sentence or a stop string off its end): those
    before the first place the two differ."""
    same = 0
    limit = min(len(generated), len(kept))
    while same < limit and generated[same] == kept[same]:
        same += 1
    return [r for r in records if r.end <= same and r.end > r.start]


def with_choice(records: list[TokenRecord], index: int, choice: TokenChoice, rest: list[TokenRecord]):
    """The records of a piece whose token `index` was replaced by `choice` and whose text after it
    was written anew (`rest`, counted from the end of the chosen token's text)."""
    old = records[index]
    chosen = TokenRecord(old.start, old.start + len(choice.text), choice.token_id, choice.probability,
                         old.alternatives)
    shift = chosen.end
    return records[:index] + [chosen] + [replace(r, start=r.start + shift, end=r.end + shift) for r in rest]
