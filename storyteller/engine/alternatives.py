"""Token alternatives: while a continuation is written, each token's probability and the k
likeliest tokens at its place, from the scores the sampler drew from (after every sampling rule),
as NovelAI's Token Probabilities and Mikupad show them. Nothing is recomputed afterwards.

The scores may be a torch tensor or a numpy array (the loop's logits stage is moving to numpy):
a row is read as numpy (a CPU tensor converts without a copy) and softmaxed there.
"""

from __future__ import annotations

from dataclasses import replace

from .phrase_bans import vocabulary
from .requests import TokenAlternatives, TokenChoice, TokenRecord

REPORTED_ALTERNATIVES = 8  # what the app asks for: enough to choose from, few enough to read


def probabilities(row):
    """Softmax of one row of scores (-inf where a rule removed a token), as float64 numpy."""
    import numpy  # here: the GUI thread imports this module for records_within, before any model

    if hasattr(row, "detach"):
        row = row.detach().float().cpu().numpy()
    row = numpy.asarray(row, dtype=numpy.float64)
    exp = numpy.exp(row - row.max())
    return exp / exp.sum()


def likeliest(probs, k: int) -> list[int]:
    """The ids of the k largest probabilities, likeliest first, leaving out impossible tokens."""
    import numpy

    k = min(k, probs.shape[-1])
    top = numpy.argpartition(-probs, k - 1)[:k]
    top = top[numpy.argsort(-probs[top], kind="stable")]
    return [int(i) for i in top if probs[i] > 0]


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
        probs = probabilities(scores)
        choices = tuple(TokenChoice(i, self._texts[i], float(probs[i])) for i in likeliest(probs, self.k))
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
