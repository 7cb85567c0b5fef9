"""The logits stage on numpy: penalties, bans and sampling rules, in `generate()`'s order.

Every rule works on a batch x vocab float32 `scores` array and the batch x length int64 `input_ids`
so far, with transformers' semantics (tests/test_processors.py checks each against transformers'
own processor on the same input). They are written here by hand because transformers' processors
require torch, and importing torch alone (~4.4 s here) is twice the app's whole start-up budget:
a plain continuation on ONNX Runtime must decode without it. The one rule no library has, the
KoboldAI repetition penalty with a range and a slope, is here too.

A processor is any callable `(input_ids, scores) -> scores` on numpy arrays; it may change
`scores` in place. Steering's logits stage (DecodeHooks.logits_processors) plugs in the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from storyteller.engine.core.numeric import log_softmax, softmax
from storyteller.engine.settings.generation import GenerationSettings

Processor = Callable[[np.ndarray, np.ndarray], np.ndarray]

NEG_INF = np.float32(-np.inf)


class Processors(list):
    """The request's rules in order; calling it runs them all."""

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        for processor in self:
            scores = processor(input_ids, scores)
        return scores


def _penalise(scores: np.ndarray, penalties: np.ndarray) -> np.ndarray:
    """CTRL's rule: a negative score is multiplied by the penalty, a positive one divided."""
    return np.where(scores < 0, scores * penalties, scores / penalties).astype(scores.dtype, copy=False)


class RepetitionPenalty:
    """transformers' RepetitionPenaltyLogitsProcessor: every token of the text so far (prompt
    included) is penalised once, however often it occurs."""

    def __init__(self, penalty: float):
        self.penalty = np.float32(penalty)

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        vocab = scores.shape[-1]
        for row, ids in enumerate(input_ids):
            seen = np.unique(ids[ids < vocab])  # ids past the output vocabulary cannot be generated
            scores[row, seen] = _penalise(scores[row, seen], self.penalty)
        return scores


class RangedRepetitionPenalty:
    """Repetition penalty over the last `penalty_range` tokens, stronger for recent ones.

    transformers only has the flat penalty over the whole text. This is KoboldAI's rule: the
    position weight runs from -1 (oldest in range) to 1 (newest) and is bent by `slope`
    (1: linear, larger: a steeper step in the middle); the penalty goes from 1 to `penalty`
    along it. A token seen several times takes its strongest (most recent) penalty, which
    makes the result independent of order.
    """

    def __init__(self, penalty: float, penalty_range: int, slope: float):
        self.penalty = penalty
        self.penalty_range = penalty_range
        self.slope = slope

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if self.penalty_range:
            input_ids = input_ids[:, -self.penalty_range :]
        length = input_ids.shape[1]
        if self.slope and length > 1:
            span = self.penalty_range or length
            position = np.arange(span - length, span, dtype=np.float32)
            weight = position / np.float32(span - 1) * 2 - 1
            weight = self.slope * weight / (1 + np.abs(weight) * (self.slope - 1))
            penalties = (1 + (weight + 1) / 2 * (self.penalty - 1)).astype(np.float32)
        else:
            penalties = np.full(length, self.penalty, dtype=np.float32)
        per_token = np.ones_like(scores)
        for row, ids in enumerate(input_ids):
            np.maximum.at(per_token[row], ids, penalties)
        return _penalise(scores, per_token)


class NoRepeatNGram:
    """transformers' NoRepeatNGramLogitsProcessor: a token that would repeat an n-gram of the
    text so far (prompt included) is forbidden."""

    def __init__(self, ngram_size: int):
        self.size = ngram_size

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        length = input_ids.shape[-1]
        if length < self.size:
            return scores
        windows = sliding_window_view(input_ids, self.size, axis=1)  # batch x positions x n
        prefix = input_ids[:, length + 1 - self.size :]
        matches = (windows[..., :-1] == prefix[:, None, :]).all(axis=-1)
        vocab = scores.shape[-1]
        for row in range(scores.shape[0]):
            banned = windows[row, matches[row], -1]
            scores[row, banned[banned < vocab]] = NEG_INF
        return scores


class MinNewTokens:
    """transformers' MinNewTokensLengthLogitsProcessor: no end token before `min_new_tokens`
    tokens were written after the prompt."""

    def __init__(self, prompt_length: int, min_new_tokens: int, stop_ids: Sequence[int]):
        self.prompt_length = prompt_length
        self.min_new_tokens = min_new_tokens
        self.stop_ids = list(stop_ids)

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if input_ids.shape[-1] - self.prompt_length < self.min_new_tokens:
            scores[:, self.stop_ids] = NEG_INF
        return scores


class SuppressTokens:
    """transformers' SuppressTokensLogitsProcessor: these tokens are never written."""

    def __init__(self, token_ids: Sequence[int]):
        self.token_ids = list(token_ids)

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        scores[:, self.token_ids] = NEG_INF
        return scores


class Temperature:
    """transformers' TemperatureLogitsWarper."""

    def __init__(self, temperature: float):
        self.temperature = temperature

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        return scores / np.float32(self.temperature)


class TopK:
    """transformers' TopKLogitsWarper: tokens scoring below the k-th highest are removed (ties kept)."""

    def __init__(self, top_k: int):
        self.top_k = top_k

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        k = min(self.top_k, scores.shape[-1])
        kth = np.partition(scores, -k, axis=-1)[:, -k, None]
        scores[scores < kth] = NEG_INF
        return scores


class TopP:
    """transformers' TopPLogitsWarper: the likeliest tokens covering `top_p` of the probability
    are kept (the likeliest always), the rest removed.

    Only the finite scores are sorted: removed tokens have probability 0 and stay removed, so the
    cumulative sums are the same as over the whole vocabulary, and after top-k this sorts k
    numbers instead of the vocabulary."""

    def __init__(self, top_p: float):
        self.top_p = top_p

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        for row in scores:
            alive = np.flatnonzero(np.isfinite(row))
            order = alive[np.argsort(row[alive], kind="stable")]  # ascending, like transformers
            cumulative = np.cumsum(softmax(row[order]))
            remove = cumulative <= 1 - self.top_p
            remove[-1:] = False
            row[order[remove]] = NEG_INF
        return scores


class Typical:
    """transformers' TypicalLogitsWarper (locally typical sampling, Meister et al. 2022): keep the
    tokens whose surprise is closest to the distribution's entropy, up to `mass` of probability."""

    def __init__(self, mass: float):
        self.mass = mass

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        normalized = log_softmax(scores)
        p = np.exp(normalized)
        with np.errstate(invalid="ignore"):  # -inf * 0 for removed tokens, skipped by nansum
            entropy = -np.nansum(normalized * p, axis=-1, keepdims=True)
        shifted = np.abs(-normalized - entropy)
        order = np.argsort(shifted, axis=-1, kind="stable")
        sorted_shifted = np.take_along_axis(shifted, order, axis=-1)
        cumulative = np.cumsum(softmax(np.take_along_axis(scores, order, axis=-1)), axis=-1)
        last = np.minimum((cumulative < self.mass).sum(axis=-1), scores.shape[-1] - 1)
        remove = sorted_shifted > sorted_shifted[np.arange(len(last)), last][:, None]
        remove[:, :1] = False  # the most typical token always stays
        unsorted = np.empty_like(remove)
        np.put_along_axis(unsorted, order, remove, axis=-1)
        scores[unsorted] = NEG_INF
        return scores


def build_processors(
    settings: GenerationSettings,
    *,
    prompt_length: int,
    stop_ids: list[int],
    banned_ids: list[int],
    extra: Sequence[Processor] = (),
) -> Processors:
    """Processors for one request. `extra` (steering's logits stage) runs after the penalties and
    bans and before temperature and truncation, so that a bias is shaped by them like the model's
    own preferences. A setting at its declared neutral value adds no processor; the minimum length is
    taken as it is (the runner has already made a minimum of 0 into half the length)."""
    applies = settings.applies
    processors = Processors()
    if applies("repetition_penalty"):
        if applies("repetition_penalty_range") or applies("repetition_penalty_slope"):
            processors.append(
                RangedRepetitionPenalty(
                    settings.repetition_penalty,
                    settings.repetition_penalty_range,
                    settings.repetition_penalty_slope,
                )
            )
        else:
            processors.append(RepetitionPenalty(settings.repetition_penalty))
    if applies("no_repeat_ngram_size"):
        processors.append(NoRepeatNGram(settings.no_repeat_ngram_size))
    if settings.min_new_tokens and stop_ids:
        processors.append(MinNewTokens(prompt_length, settings.min_new_tokens, stop_ids))
    if banned_ids:
        processors.append(SuppressTokens(banned_ids))
    processors.extend(extra)
    if not settings.greedy:
        if applies("temperature"):
            processors.append(Temperature(settings.temperature))
        if applies("top_k"):
            processors.append(TopK(settings.top_k))
        if applies("top_p"):
            processors.append(TopP(settings.top_p))
        if applies("typical_p"):
            processors.append(Typical(settings.typical_p))
    return processors


def sample(scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One token per row drawn from softmax(scores) with the request's seeded generator (inverse
    transform: one uniform number per row, so the same seed gives the same tokens on any runtime).
    Removed tokens (-inf) have probability 0 and are never drawn; only the others are summed (after
    top-k, 50 numbers instead of the vocabulary; skipping zeros changes no partial sum)."""
    draws = rng.random(scores.shape[0])
    chosen = np.empty(scores.shape[0], dtype=np.int64)
    for row, (row_scores, draw) in enumerate(zip(scores, draws)):
        alive = np.flatnonzero(np.isfinite(row_scores))
        cumulative = np.cumsum(softmax(row_scores[alive].astype(np.float64)))
        # a draw rounded up to the total would land past the end: take the last possible token then
        chosen[row] = alive[min(int(np.searchsorted(cumulative, draw * cumulative[-1], side="right")), len(alive) - 1)]
    return chosen


def greedy(scores: np.ndarray) -> np.ndarray:
    return scores.argmax(axis=-1).astype(np.int64)
