import torch
from transformers import RepetitionPenaltyLogitsProcessor

from storyteller.engine.processors import RangedRepetitionPenalty, build_processors
from storyteller.engine.settings import GenerationSettings


def scores_and_ids():
    torch.manual_seed(0)
    return torch.tensor([[5, 9, 2, 9, 7, 1]]), torch.randn(1, 12)


def test_full_range_without_slope_equals_the_flat_penalty():
    ids, scores = scores_and_ids()
    flat = RepetitionPenaltyLogitsProcessor(1.7)(ids, scores.clone())
    ranged = RangedRepetitionPenalty(1.7, penalty_range=0, slope=0)(ids, scores.clone())
    assert torch.equal(flat, ranged)


def test_neutral_range_and_slope_build_transformers_own_processor():
    processors = build_processors(
        GenerationSettings(repetition_penalty=1.5), prompt_length=3, stop_ids=[1], banned_ids=[]
    )
    assert [type(p) for p in processors] == [RepetitionPenaltyLogitsProcessor]


def test_range_limits_the_penalty_to_recent_tokens():
    ids, scores = scores_and_ids()
    out = RangedRepetitionPenalty(2.0, penalty_range=3, slope=0)(ids, scores.clone())
    for token in (9, 7, 1):
        assert out[0, token] != scores[0, token]
    for token in (5, 2, 0):
        assert out[0, token] == scores[0, token]


def test_slope_penalises_recent_tokens_more():
    ids = torch.tensor([[3, 4, 5, 6]])
    scores = torch.ones(1, 8)
    out = RangedRepetitionPenalty(3.0, penalty_range=4, slope=1.0)(ids, scores.clone())
    penalties = (scores / out)[0, [3, 4, 5, 6]]
    assert penalties[0] == 1.0 and torch.isclose(penalties[-1], torch.tensor(3.0))
    assert torch.all(penalties[1:] > penalties[:-1])


def test_a_repeated_token_takes_its_most_recent_penalty():
    ids = torch.tensor([[3, 4, 5, 3]])
    scores = torch.ones(1, 8)
    out = RangedRepetitionPenalty(3.0, penalty_range=4, slope=1.0)(ids, scores.clone())
    assert torch.isclose(scores[0, 3] / out[0, 3], torch.tensor(3.0))


def test_warpers_only_when_sampling_and_not_neutral():
    sampled = build_processors(
        GenerationSettings(temperature=0.7, top_k=50, top_p=0.95, typical_p=0.9),
        prompt_length=3, stop_ids=[1], banned_ids=[0],
    )
    names = [type(p).__name__ for p in sampled]
    assert names == ["SuppressTokensLogitsProcessor", "TemperatureLogitsWarper", "TopKLogitsWarper",
                     "TopPLogitsWarper", "TypicalLogitsWarper"]
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
