"""Cutting text from the left to fit a token budget, in a way that keeps prompt caches useful.

A cut shifts every later token's position, so the model must prefill everything again. So a
cut goes deep (to TRIM_TARGET of the budget, at a paragraph or sentence boundary) and is
remembered: while the growing text still fits behind the same cut, the same cut is used, and
the following requests reuse the cached keys/values.
"""

from __future__ import annotations

from storyteller.engine.korean.analysis import sentence_starts

TRIM_TARGET = 0.75
# Where trimmed text may start, best first; between the line breaks and the spaces come the
# sentence starts Kiwi finds (see boundary_after).
PARAGRAPH_BOUNDARIES = ("\n\n", "\n")


class LeftTrimmer:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self._cut: str | None = None  # the text dropped by the last cut

    def fit(self, text: str, budget: int) -> tuple[list[int], str, int]:
        """(ids of the kept text, the dropped text, how many of the text's tokens it dropped),
        keeping at most `budget` ids. The count comes from the tokenization already made here,
        so callers need not tokenize the dropped text again."""
        ids = self.tokenizer.encode(text) if text else []
        if len(ids) <= budget:
            return ids, "", 0
        if budget <= 0:
            return [], text, len(ids)
        if self._cut is not None and text.startswith(self._cut):
            kept = self.tokenizer.encode(text[len(self._cut) :])
            if 0 < len(kept) <= budget:
                return kept, self._cut, len(ids) - len(kept)
        offsets = self.tokenizer(text, return_offsets_mapping=True)["offset_mapping"]
        earliest = offsets[len(ids) - max(1, int(budget * TRIM_TARGET))][0]
        latest = offsets[len(ids) - max(1, budget // 2)][0]
        cut = boundary_after(text, earliest, latest)
        kept = self.tokenizer.encode(text[cut:])
        while len(kept) > budget and cut < len(text):  # tokenisation at the new start can differ
            cut = boundary_after(text, cut + 1, len(text))
            kept = self.tokenizer.encode(text[cut:])
        self._cut = text[:cut]
        return kept, self._cut, len(ids) - len(kept)


def boundary_after(text: str, start: int, limit: int) -> int:
    """The first paragraph, sentence or word boundary in [start, limit), best kind first."""
    limit = max(start, limit)
    for boundary in PARAGRAPH_BOUNDARIES:
        found = text.find(boundary, start, limit)
        if found >= 0:
            return found + len(boundary)
    sentences = sentence_starts(text, start, limit)
    if sentences:
        return sentences[0]
    found = text.find(" ", start, limit)
    return found + 1 if found >= 0 else start
