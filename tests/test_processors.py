"""The numpy logits stage: each rule agrees with transformers' own processor on the same input,
the KoboldAI ranged penalty behaves as documented, and sampling is seeded."""

import numpy as np
import pytest
import torch
from transformers import (
    MinNewTokensLengthLogitsProcessor,
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
    SuppressTokensLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
    TypicalLogitsWarper,
)

from storyteller.engine.decode.processors import (
    MinNewTokens,
    NoRepeatNGram,
    RangedRepetitionPenalty,
    RepetitionPenalty,
    SuppressTokens,
    Temperature,
    TopK,
    TopP,
    Typical,
    build_processors,
    sample,
)
from storyteller.engine.settings.generation import GenerationSettings

VOCAB = 300


def batch(seed: int, rows: int = 3, length: int = 40):
    """Random ids with repeats (so n-grams recur) and scores of both signs, some already removed."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, 25, size=(rows, length)).astype(np.int64)
    ids[:, -3:] = ids[:, 5:8]  # the last two tokens continue an earlier trigram
    scores = (rng.standard_normal((rows, VOCAB)) * 3).astype(np.float32)
    scores[:, rng.integers(0, VOCAB, 20)] = -np.inf
    return ids, scores


PAIRS = [
    (RepetitionPenalty(1.3), RepetitionPenaltyLogitsProcessor(1.3)),
    (RepetitionPenalty(0.8), RepetitionPenaltyLogitsProcessor(0.8)),
    (NoRepeatNGram(3), NoRepeatNGramLogitsProcessor(3)),
    (NoRepeatNGram(1), NoRepeatNGramLogitsProcessor(1)),
    (MinNewTokens(30, 15, [1, 7]), MinNewTokensLengthLogitsProcessor(30, 15, [1, 7])),
    (MinNewTokens(30, 5, [1, 7]), MinNewTokensLengthLogitsProcessor(30, 5, [1, 7])),
    (SuppressTokens([0, 3, 299]), SuppressTokensLogitsProcessor([0, 3, 299])),
    (Temperature(0.7), TemperatureLogitsWarper(0.7)),
    (TopK(10), TopKLogitsWarper(10)),
    (TopK(VOCAB * 2), TopKLogitsWarper(VOCAB * 2)),
    (TopP(0.9), TopPLogitsWarper(0.9)),
    (TopP(0.01), TopPLogitsWarper(0.01)),
    (Typical(0.9), TypicalLogitsWarper(0.9)),
    (Typical(0.2), TypicalLogitsWarper(0.2)),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda p: f"{type(p).__name__}")
def test_each_rule_agrees_with_transformers(ours, theirs, seed):
    ids, scores = batch(seed)
    expected = theirs(torch.from_numpy(ids), torch.from_numpy(scores.copy())).numpy()
    got = ours(ids, scores.copy())
    assert got.dtype == np.float32
    np.testing.assert_array_equal(np.isinf(got), np.isinf(expected))  # the same tokens removed
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-6)


def test_the_whole_pipeline_agrees_with_transformers_in_generates_order():
    settings = GenerationSettings(repetition_penalty=1.2, no_repeat_ngram_size=2, min_new_tokens=20,
                                  temperature=0.8, top_k=40, top_p=0.9, typical_p=0.95)
    ours = build_processors(settings, prompt_length=30, stop_ids=[1], banned_ids=[0, 2])
    theirs = [RepetitionPenaltyLogitsProcessor(1.2), NoRepeatNGramLogitsProcessor(2),
              MinNewTokensLengthLogitsProcessor(30, 20, [1]), SuppressTokensLogitsProcessor([0, 2]),
              TemperatureLogitsWarper(0.8), TopKLogitsWarper(40), TopPLogitsWarper(0.9), TypicalLogitsWarper(0.95)]
    for seed in range(5):
        ids, scores = batch(seed)
        expected = torch.from_numpy(scores.copy())
        for processor in theirs:
            expected = processor(torch.from_numpy(ids), expected)
        got = ours(ids, scores.copy())
        np.testing.assert_array_equal(np.isinf(got), np.isinf(expected.numpy()))
        finite = np.isfinite(got)
        np.testing.assert_allclose(got[finite], expected.numpy()[finite], rtol=1e-5)


def scores_and_ids():
    rng = np.random.default_rng(0)
    return np.array([[5, 9, 2, 9, 7, 1]]), rng.standard_normal((1, 12)).astype(np.float32)


def test_full_range_without_slope_equals_the_flat_penalty():
    ids, scores = scores_and_ids()
    flat = RepetitionPenaltyLogitsProcessor(1.7)(torch.from_numpy(ids), torch.from_numpy(scores.copy())).numpy()
    ranged = RangedRepetitionPenalty(1.7, penalty_range=0, slope=0)(ids, scores.copy())
    np.testing.assert_array_equal(flat, ranged)


def test_ranged_penalty_with_slope_matches_the_torch_version_it_replaced():
    """The rule as it was written on torch before the loop moved to numpy (scatter_reduce amax)."""
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 50, size=(2, 60))
    scores = rng.standard_normal((2, 50)).astype(np.float32)
    penalty, penalty_range, slope = 1.8, 32, 2.5
    recent = torch.from_numpy(ids)[:, -penalty_range:]
    position = torch.arange(0, penalty_range, dtype=torch.float32)
    weight = position / (penalty_range - 1) * 2 - 1
    weight = slope * weight / (1 + weight.abs() * (slope - 1))
    penalties = 1 + (weight + 1) / 2 * (penalty - 1)
    per_token = torch.ones(2, 50)
    per_token.scatter_reduce_(1, recent, penalties.expand_as(recent).contiguous(), reduce="amax")
    t = torch.from_numpy(scores)
    expected = torch.where(t < 0, t * per_token, t / per_token).numpy()
    got = RangedRepetitionPenalty(penalty, penalty_range, slope)(ids, scores.copy())
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_neutral_range_and_slope_build_the_flat_penalty():
    processors = build_processors(
        GenerationSettings(repetition_penalty=1.5), prompt_length=3, stop_ids=[1], banned_ids=[]
    )
    assert [type(p) for p in processors] == [RepetitionPenalty]


def test_range_limits_the_penalty_to_recent_tokens():
    ids, scores = scores_and_ids()
    out = RangedRepetitionPenalty(2.0, penalty_range=3, slope=0)(ids, scores.copy())
    for token in (9, 7, 1):
        assert out[0, token] != scores[0, token]
    for token in (5, 2, 0):
        assert out[0, token] == scores[0, token]


def test_slope_penalises_recent_tokens_more():
    ids = np.array([[3, 4, 5, 6]])
    scores = np.ones((1, 8), dtype=np.float32)
    out = RangedRepetitionPenalty(3.0, penalty_range=4, slope=1.0)(ids, scores.copy())
    penalties = (scores / out)[0, [3, 4, 5, 6]]
    assert penalties[0] == 1.0 and np.isclose(penalties[-1], 3.0)
    assert np.all(penalties[1:] > penalties[:-1])


def test_a_repeated_token_takes_its_most_recent_penalty():
    ids = np.array([[3, 4, 5, 3]])
    scores = np.ones((1, 8), dtype=np.float32)
    out = RangedRepetitionPenalty(3.0, penalty_range=4, slope=1.0)(ids, scores.copy())
    assert np.isclose(scores[0, 3] / out[0, 3], 3.0)


def test_warpers_only_when_sampling_and_not_neutral():
    sampled = build_processors(
        GenerationSettings(temperature=0.7, top_k=50, top_p=0.95, typical_p=0.9),
        prompt_length=3, stop_ids=[1], banned_ids=[0],
    )
    assert [type(p) for p in sampled] == [SuppressTokens, Temperature, TopK, TopP, Typical]
    greedy = build_processors(GenerationSettings(greedy=True, top_k=50), prompt_length=3, stop_ids=[1], banned_ids=[])
    assert len(greedy) == 0


def test_each_rule_is_built_only_away_from_its_settings_declared_neutral_value():
    base = GenerationSettings(repetition_penalty=1.5, max_new_tokens=1024)  # range and slope shape this penalty

    def built(settings):
        return [type(p) for p in build_processors(settings, prompt_length=3, stop_ids=[1], banned_ids=[])]

    for item in GenerationSettings.describe():
        if item.neutral is None:
            continue
        away = item.high if item.high != item.neutral else item.low
        assert built(base.replace(**{item.name: away})) != built(base.replace(**{item.name: item.neutral})), item.name
    assert built(GenerationSettings()) == []


def test_sampling_follows_the_distribution_and_its_seed():
    scores = np.array([[np.log(0.1), np.log(0.6), -np.inf, np.log(0.3)]], dtype=np.float32)
    draws = np.concatenate([sample(scores, np.random.default_rng(seed)) for seed in range(2000)])
    assert 2 not in draws  # probability 0 is never drawn
    shares = np.bincount(draws, minlength=4) / len(draws)
    np.testing.assert_allclose(shares, [0.1, 0.6, 0.0, 0.3], atol=0.04)
    twice = [sample(np.repeat(scores, 3, axis=0), np.random.default_rng(7)).tolist() for _ in range(2)]
    assert twice[0] == twice[1]


def test_a_single_possible_token_is_always_drawn():
    scores = np.full((2, 50), -np.inf, dtype=np.float32)
    scores[:, 49] = 0.0
    for seed in range(50):
        assert sample(scores, np.random.default_rng(seed)).tolist() == [49, 49]
