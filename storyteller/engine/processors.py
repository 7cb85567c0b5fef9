"""The logits pipeline: transformers' processors, in `generate()`'s order, plus the one rule no
library provides (KoboldAI-style repetition penalty with a range and a slope)."""

from __future__ import annotations

import torch
from transformers import (
    LogitsProcessor,
    LogitsProcessorList,
    MinNewTokensLengthLogitsProcessor,
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
    SuppressTokensLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
    TypicalLogitsWarper,
)

from .settings import GenerationSettings


class RangedRepetitionPenalty(LogitsProcessor):
    """Repetition penalty over the last `penalty_range` tokens, stronger for recent ones.

    transformers only has the flat penalty over the whole text. This is KoboldAI's rule: the
    position weight runs from -1 (oldest in range) to 1 (newest) and is bent by `slope`
    (1: linear, larger: a steeper step in the middle); the penalty goes from 1 to `penalty`
    along it. A token seen several times takes its strongest (most recent) penalty, which
    makes the result independent of scatter order.
    """

    def __init__(self, penalty: float, penalty_range: int, slope: float):
        self.penalty = penalty
        self.penalty_range = penalty_range
        self.slope = slope

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if self.penalty_range:
            input_ids = input_ids[:, -self.penalty_range :]
        length = input_ids.shape[1]
        if self.slope and length > 1:
            span = self.penalty_range or length
            position = torch.arange(span - length, span, device=scores.device, dtype=scores.dtype)
            weight = position / (span - 1) * 2 - 1
            weight = self.slope * weight / (1 + weight.abs() * (self.slope - 1))
            penalties = 1 + (weight + 1) / 2 * (self.penalty - 1)
        else:
            penalties = torch.full((length,), self.penalty, device=scores.device, dtype=scores.dtype)
        per_token = torch.ones_like(scores)
        per_token.scatter_reduce_(1, input_ids, penalties.expand_as(input_ids).contiguous(), reduce="amax")
        return torch.where(scores < 0, scores * per_token, scores / per_token)


def build_processors(
    settings: GenerationSettings,
    *,
    prompt_length: int,
    stop_ids: list[int],
    banned_ids: list[int],
    extra: list[LogitsProcessor] = (),
    device: str = "cpu",
) -> LogitsProcessorList:
    """Processors for one request. `extra` (steering's logits stage) runs after the penalties and
    bans and before temperature and truncation, so that a bias is shaped by them like the model's
    own preferences. A setting at its declared neutral value adds no processor."""
    applies = settings.applies
    processors = LogitsProcessorList()
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
            processors.append(RepetitionPenaltyLogitsProcessor(settings.repetition_penalty))
    if applies("no_repeat_ngram_size"):
        processors.append(NoRepeatNGramLogitsProcessor(settings.no_repeat_ngram_size))
    if applies("min_new_tokens") and stop_ids:
        processors.append(
            MinNewTokensLengthLogitsProcessor(prompt_length, settings.min_new_tokens, stop_ids, device=device)
        )
    if banned_ids:
        processors.append(SuppressTokensLogitsProcessor(banned_ids))
    processors.extend(extra)
    if not settings.greedy:
        if applies("temperature"):
            processors.append(TemperatureLogitsWarper(settings.temperature))
        if applies("top_k"):
            processors.append(TopKLogitsWarper(settings.top_k))
        if applies("top_p"):
            processors.append(TopPLogitsWarper(settings.top_p))
        if applies("typical_p"):
            processors.append(TypicalLogitsWarper(settings.typical_p))
    return processors
