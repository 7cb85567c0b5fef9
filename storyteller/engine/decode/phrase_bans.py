"""Bans that hold and phrase bias: phrases matched on the text, whatever tokens spell it.

A ban used to forbid a word's canonical token sequences only; the model could still write it
through another split (바+다 instead of 바다) or across a line break. Here a phrase is matched on
the decoded text itself, with every run of whitespace read as one space, so "푸른 바다" is also
"푸른\\n바다" (and, as a variant, "푸른바다"). An occurrence starts a word (at the text's start, or
after whitespace or punctuation) and may go on with anything: a ban on 바다 covers 바다를 and
바다에서, not 밤바다's 바다 inside a word.

Why look ahead rather than back off (KoboldCpp rewinds when a banned phrase appears): rewinding
needs the decode loop's cache and sampler, and this is a plain logits stage. Looking ahead is
exact here because every KoGPT2 token is whole characters: at each step the text so far ends
with some beginning of a phrase (or none), and a next token completes the phrase exactly when
its text starts with the rest of it. The tokens starting with any text are one range of the
sorted vocabulary (bisect), so a step costs a few dictionary look-ups per phrase.

Both processors run in the decode loop's numpy logits stage (processors.py).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re

import numpy as np

from storyteller.engine.korean.words import ban_phrases
from storyteller.engine.settings.steering import SteeringSettings

_WHITESPACE = re.compile(r"\s+")
# Words of a multi-word phrase may be written apart or together (띄어쓰기 varies): up to this
# many words get every spacing as a variant (2^(n-1) of them).
MAX_SPACING_VARIANTS_WORDS = 6


def collapse(text: str) -> str:
    """Every run of whitespace as one space: the form phrases are matched in."""
    return _WHITESPACE.sub(" ", text)


def spacing_variants(phrase: str) -> list[str]:
    """`phrase` (collapsed, stripped) with each gap between its words kept or closed."""
    words = collapse(phrase).strip().split(" ")
    if len(words) == 1 or len(words) > MAX_SPACING_VARIANTS_WORDS:
        return [" ".join(words)] if words != [""] else []
    return [words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:]))
            for gaps in itertools.product((" ", ""), repeat=len(words) - 1)]


def _starts_word(text: str, position: int) -> bool:
    return position == 0 or not text[position - 1].isalnum()


class Vocabulary:
    """The text each token adds to the decoded text (`raw`; `texts`: collapsed), and the tokens
    starting with a text."""

    def __init__(self, tokenizer):
        pieces = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
        from storyteller.engine.models.tokenizer import decode

        # A SentencePiece ▁ is a space in the decoded text; decode() restores what the normaliser changed.
        self.raw = [" " + decode(tokenizer, [i]) if p.startswith("▁") else decode(tokenizer, [i])
                    for i, p in enumerate(pieces)]
        self.texts = [collapse(text) for text in self.raw]
        self._sorted = {}
        self._ranges: dict[tuple[str, bool], list[int]] = {}

    def starting_with(self, prefix: str, after_space: bool) -> list[int]:
        """Tokens whose text starts with `prefix`; `after_space`: the text ends with a space, which
        absorbs a token's leading space (whitespace runs are one space)."""
        key = (prefix, after_space)
        if key not in self._ranges:
            if after_space not in self._sorted:
                texts = [t[1:] if after_space and t.startswith(" ") else t for t in self.texts]
                order = sorted(range(len(texts)), key=texts.__getitem__)
                self._sorted[after_space] = ([texts[i] for i in order], order)
            texts, order = self._sorted[after_space]
            low = bisect.bisect_left(texts, prefix)
            high = bisect.bisect_left(texts, prefix + "\U0010ffff")
            self._ranges[key] = order[low:high]
        return self._ranges[key]

    def containing_words(self, phrases: list[str]) -> list[int]:
        """Tokens holding one of `phrases` at a word start after their first character (one token
        can write " 바다" or "(바다" whole). One regex over the vocabulary: a few tens of ms."""
        if not phrases:
            return []
        def either(items):
            return "|".join(re.escape(p) for p in sorted(items, key=len, reverse=True)) or "(?!)"

        words = [p for p in phrases if p[0].isalnum()]  # after a character that is not a letter or digit
        pattern = re.compile(rf"(?<![^\W_])(?:{either(words)})|{either([p for p in phrases if p not in words])}")
        return [token for token, text in enumerate(self.texts) if pattern.search(text, 1)]


@functools.lru_cache(maxsize=4)
def vocabulary(tokenizer) -> Vocabulary:
    return Vocabulary(tokenizer)


class _Matcher:
    """Where the text's end stands against the phrases: which beginnings of them it ends with."""

    def __init__(self, tokenizer, phrases: list[str]):
        self.vocab = vocabulary(tokenizer)
        self.phrases = sorted({p for p in phrases if p})
        self.depth = max((len(p) for p in self.phrases), default=0) + 2  # tokens: each writes ≥ 1 character

    def tail(self, ids: list[int]) -> str:
        return collapse("".join(self.vocab.texts[i] for i in ids))

    def begun(self, tail: str):
        """(phrase, characters of it already written) for every phrase the tail has begun at a
        word start, 0 included where the tail ends at a word boundary."""
        boundary = not tail or not tail[-1].isalnum()
        for phrase in self.phrases:
            anywhere = not phrase[0].isalnum()  # a phrase opening with punctuation ("…") starts no word
            if boundary or anywhere:
                yield phrase, 0
            for size in range(1, len(phrase)):
                if tail.endswith(phrase[:size]) and (anywhere or _starts_word(tail, len(tail) - size)):
                    yield phrase, size


@functools.lru_cache(maxsize=8)
def phrase_bans(tokenizer, phrases: tuple[str, ...]) -> PhraseBans:
    """The ban processor for `phrases`, kept: building one scans the vocabulary, and every
    continuation of a story with bans asks for the same (it holds no state of a request)."""
    return PhraseBans(tokenizer, phrases)


@functools.lru_cache(maxsize=8)
def phrase_bias(tokenizer, biases: tuple[tuple[str, float], ...]) -> PhraseBias:
    return PhraseBias(tokenizer, dict(biases))


class PhraseBans(_Matcher):
    """The logits stage that makes banned phrases impossible: each step, every token that would
    complete a banned phrase gets -inf."""

    def __init__(self, tokenizer, phrases):
        variants = [v for phrase in phrases for v in spacing_variants(phrase)]
        super().__init__(tokenizer, variants)
        self._inside = self.vocab.containing_words(self.phrases)
        self._forbidden: dict[tuple, list[int]] = {}

    def forbidden(self, ids: list[int]) -> list[int]:
        """Tokens that must not follow the text of `ids` (the last `depth` are enough), sorted.
        The answer depends only on which phrase beginnings the text ends with: kept per such state."""
        tail = self.tail(ids)
        state = (tuple(self.begun(tail)), tail.endswith(" "))
        if state not in self._forbidden:
            found = set(self._inside)
            for phrase, size in state[0]:
                found.update(self.vocab.starting_with(phrase[size:], state[1]))
            self._forbidden[state] = sorted(found)
        return self._forbidden[state]

    def __call__(self, input_ids, scores):
        for row, ids in enumerate(input_ids[:, -self.depth :].tolist()):
            found = self.forbidden(ids)
            if found:
                scores[row, found] = float("-inf")
        return scores


class PhraseBias(_Matcher):
    """NovelAI's phrase bias: a phrase made likelier (bias > 0) or rarer (< 0) as a whole. The
    token that starts the phrase gets the bias if it writes at least two of its characters (a
    lone syllable starts countless other words); once begun, each token that goes on with it
    does."""

    def __init__(self, tokenizer, biases: dict[str, float]):
        self.biases = {v: bias for phrase, bias in biases.items() for v in spacing_variants(phrase)}
        super().__init__(tokenizer, list(self.biases))

    def weights(self, ids: list[int]) -> dict[int, float]:
        tail = self.tail(ids)
        after_space = tail.endswith(" ")
        weights: dict[int, float] = {}
        for phrase, size in self._begun_or_spaced(tail, after_space):
            rest = phrase[size:]
            written = 2 if size == 0 else 1  # characters of the phrase the token must write
            tokens = set(self.vocab.starting_with(rest, after_space))  # finish it (and maybe more)
            for end in range(1, len(rest)):  # or write a part of it
                if len(rest[:end].strip()) >= min(written, len(phrase.replace(" ", ""))):
                    tokens.update(t for t in self.vocab.starting_with(rest[:end], after_space)
                                  if rest.startswith(self._text(t, after_space)))
            bias = self.biases[phrase.lstrip(" ")]
            for token in tokens:
                current = weights.get(token)
                weights[token] = bias if current is None or abs(bias) > abs(current) else current
        return weights

    def _begun_or_spaced(self, tail: str, after_space: bool):
        """The phrases begun, and each phrase with a space in front: a token's own space starts a word."""
        yield from self.begun(tail)
        if not after_space:
            for phrase in self.phrases:
                yield " " + phrase, 0

    def _text(self, token: int, after_space: bool) -> str:
        text = self.vocab.texts[token]
        return text[1:] if after_space and text.startswith(" ") else text

    def __call__(self, input_ids, scores):
        for row, ids in enumerate(input_ids[:, -self.depth :].tolist()):
            weights = self.weights(ids)
            if weights:
                tokens = list(weights)
                scores[row, tokens] += np.asarray(list(weights.values()), dtype=scores.dtype)
        return scores


def phrase_processors(settings: SteeringSettings, tokenizer) -> list:
    """The logits processors for `settings`' phrase bias and bans, after any steerer's bias:
    matched on the text rather than on token sequences, on numpy (no torch)."""
    processors = []
    if settings.phrase_bias:
        processors.append(phrase_bias(tokenizer, tuple(settings.phrase_biases().items())))
    if settings.banned:
        processors.append(phrase_bans(tokenizer, tuple(ban_phrases(settings.banned))))
    return processors
