"""Bans that hold in any tokenization and spacing, Korean word forms through Kiwi, phrase bias,
and their settings (story file, CLI)."""

from __future__ import annotations

import json
import re

import numpy
import pytest
import torch
from hypothesis import HealthCheck, given, settings, strategies

from storyteller.engine.core.errors import SettingError
from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.phrase_bans import PhraseBans, PhraseBias, collapse, spacing_variants
from storyteller.engine.decode.requests import GenerationRequest
from storyteller.engine.korean.words import ban_phrases
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.steering import SteeringSettings, parse_phrase_bias
from tests.helpers.cli import storyteller

PROMPT = "그날 밤 우리는 마을을 떠났다."


def occurs(phrase: str, text: str) -> bool:
    """Does `phrase` (in any spacing of its words) begin a word of `text`, whitespace collapsed?"""
    spaced = r"\s*".join(re.escape(word) for word in phrase.split())
    return re.search(rf"(?<![^\W_]){spaced}", text) is not None


def texts_of(tokenizer, *pieces):
    return [tokenizer.convert_tokens_to_ids(piece) for piece in pieces]


def test_a_ban_forbids_every_token_that_would_complete_the_phrase(kogpt2_tokenizer):
    bans = PhraseBans(kogpt2_tokenizer, ["바다"])
    sea, sea_object, da, other = texts_of(kogpt2_tokenizer, "▁바다", "▁바다를", "다", "▁우리")
    after_ba = kogpt2_tokenizer.encode("그는 바")  # ▁바: the rest can come as 다, 다가, 다를 …
    assert {sea, sea_object} <= set(bans.forbidden(kogpt2_tokenizer.encode("그는")))
    assert da in bans.forbidden(after_ba) and other not in bans.forbidden(after_ba)
    assert da not in bans.forbidden(kogpt2_tokenizer.encode("그는 가"))
    assert da not in bans.forbidden(kogpt2_tokenizer.encode("그는 밤바"))  # 바다 inside a word is another word
    # The same on a torch batch and on numpy: only indexing and .tolist()
    ids = [after_ba[-2:], kogpt2_tokenizer.encode("그는 가")[-2:]]
    for scores, input_ids in ((torch.zeros(2, len(kogpt2_tokenizer)), torch.tensor(ids)),
                              (numpy.zeros((2, len(kogpt2_tokenizer)), numpy.float32), numpy.array(ids))):
        out = bans(input_ids, scores)
        assert out[0, da] == float("-inf") and out[1, da] == 0 and out[0, other] == 0


def test_multi_word_phrases_hold_in_any_spacing(kogpt2_tokenizer):
    assert spacing_variants(" 푸른   바다 ") == ["푸른 바다", "푸른바다"]
    bans = PhraseBans(kogpt2_tokenizer, ["푸른 바다"])
    (sea,) = texts_of(kogpt2_tokenizer, "▁바다")
    glued = kogpt2_tokenizer.convert_tokens_to_ids("바다")
    for text in ("그는 푸른", "그는 푸른\n", "그는 푸른  "):
        assert sea in bans.forbidden(kogpt2_tokenizer.encode(text)), text
    assert glued in bans.forbidden(kogpt2_tokenizer.encode("그는 푸른"))  # 푸른바다
    dots = PhraseBans(kogpt2_tokenizer, ["..."])  # punctuation is banned anywhere, not only at a word start
    (dot,) = texts_of(kogpt2_tokenizer, ".")
    assert dot in dots.forbidden(kogpt2_tokenizer.encode("그는 웃었다.."))
    assert sea not in bans.forbidden(kogpt2_tokenizer.encode("그는 검은"))


def test_phrase_bias_raises_the_start_and_the_rest_of_a_phrase(kogpt2_tokenizer):
    bias = PhraseBias(kogpt2_tokenizer, {"푸른 바다": 3.0})
    (blue, sea, lone) = texts_of(kogpt2_tokenizer, "▁푸른", "▁바다", "▁푸")
    assert bias.weights(kogpt2_tokenizer.encode("그는")) == {blue: 3.0}  # ▁푸 alone begins too much
    assert bias.weights(kogpt2_tokenizer.encode("그는 푸른"))[sea] == 3.0
    ids = numpy.array([kogpt2_tokenizer.encode("그는")])
    scores = bias(ids, numpy.zeros((1, len(kogpt2_tokenizer)), numpy.float32))
    assert scores[0, blue] == 3.0 and scores[0, lone] == 0 and numpy.count_nonzero(scores) == 1


def generate(loaded, steering, seed, count=4, tokens=30):
    settings = GenerationSettings(max_new_tokens=tokens, seed=seed, num_candidates=count, top_k=0, top_p=1.0,
                                  temperature=1.0, repetition_penalty=1.0)
    return Generator(loaded).generate(GenerationRequest(PROMPT, settings, steering=steering))


BANNABLE = ["바다", "푸른 바다", "그는", "사랑", "다시 한번"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phrase=strategies.sampled_from(BANNABLE), seed=strategies.integers(0, 2**31 - 1))
def test_a_banned_phrase_never_appears_however_hard_it_is_pushed(tiny_loaded, phrase, seed):
    """A strong phrase bias toward the phrase pushes every token that spells it, in any split;
    with the phrase also banned, none of the sampled candidates contains it (15 x 8 x 25 = 3,000
    tokens per run)."""
    pushed = SteeringSettings(phrase_bias=(f"{phrase}=+9",))
    result = generate(tiny_loaded, pushed.replace(banned=(phrase,)), seed, count=8, tokens=25)
    assert result.new_tokens > 0
    for text in result.texts:
        assert not occurs(phrase, collapse(PROMPT[-1] + text)), text


def test_without_the_ban_the_pushed_phrase_does_appear(tiny_loaded):
    """The property test above is not vacuous: the same push writes the phrases when they are not banned."""
    for phrase in BANNABLE:
        texts = generate(tiny_loaded, SteeringSettings(phrase_bias=(f"{phrase}=+9",)), seed=7).texts
        assert any(occurs(phrase, collapse(PROMPT[-1] + text)) for text in texts), phrase


# -- Korean forms (Kiwi) ---------------------------------------------------------------------------


def test_a_banned_verb_covers_its_inflected_forms_and_a_noun_its_particles(kogpt2_tokenizer):
    eat = ban_phrases(["먹다"])
    for written in ("먹었다", "먹고", "먹어서", "먹는", "먹은", "먹을", "먹으면", "먹지"):
        assert any(written.startswith(form) for form in eat), written
    assert not any("먹구름".startswith(form) for form in eat)  # the bare stem is not banned
    hear = ban_phrases(["듣다"])  # ㄷ-irregular: 들어, 들었다
    assert any("들었다".startswith(form) for form in hear) and any("듣고".startswith(form) for form in hear)
    white = ban_phrases(["하얗다"])  # ㅎ-irregular: 하얀, 하얘
    assert any("하얀".startswith(form) for form in white)
    assert ban_phrases(["바다"]) == ["바다"]  # 바다를, 바다에서 … begin with it
    bans = PhraseBans(kogpt2_tokenizer, ban_phrases(["먹다", "바다"]))
    for text, banned_next in (("그는 밥을", "▁먹은"), ("그는 밥을", "▁먹고"), ("그는", "▁바다를"),
                              ("그는", "▁바다에서")):
        token = kogpt2_tokenizer.convert_tokens_to_ids(banned_next)
        assert token != kogpt2_tokenizer.unk_token_id and token in bans.forbidden(kogpt2_tokenizer.encode(text))


def test_korean_forms_never_appear_in_generated_text(tiny_loaded):
    steering = SteeringSettings(banned=("먹다",), phrase_bias=("먹었다=+9", "먹고=+9"))
    for seed in range(3):
        for text in generate(tiny_loaded, steering, seed).texts:
            assert not re.search(r"(?<![^\W_])(먹었|먹고)", collapse(PROMPT[-1] + text)), text


# -- settings ----------------------------------------------------------------------------------------


def test_phrase_bias_entries_are_validated_and_round_trip():
    assert parse_phrase_bias(" 푸른  바다 =+2") == ("푸른 바다", 2.0)
    steering = SteeringSettings(banned=("바다",), phrase_bias=["푸른 바다=-1.5"])
    assert steering.active and steering.phrase_biases() == {"푸른 바다": -1.5}
    assert SteeringSettings.from_json(json.loads(json.dumps(steering.to_json()))) == steering
    assert SteeringSettings.from_json({}).phrase_bias == ()  # files without the key
    for bad in ("푸른 바다", "=2", "바다=much", "바다=+50"):
        with pytest.raises(SettingError, match="e.g. 푸른 바다=\\+2"):
            SteeringSettings(phrase_bias=(bad,))


def test_cli_ban_and_phrase_bias_flags(tiny_model_dir, tmp_path):
    """The flags reach the request (the pushed phrase without a ban is the engine test's business)."""
    base = ["generate", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--length", "12", "--seed", "3", "--json"]
    done = storyteller(*base, "--phrase-bias", "바다=+9", "--steer-ban", "바다", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "바다" not in json.loads(done.stdout)["texts"][0]
    bad = storyteller(*base, "--phrase-bias", "바다", tmp_path=tmp_path)
    assert bad.returncode == 2 and "must be a phrase, '=' and a number" in bad.stderr


def test_the_steering_dock_edits_bans_and_phrase_bias(qtbot):
    from storyteller.gui.panels.steering import SteeringPanel

    panel = SteeringPanel()
    qtbot.addWidget(panel)
    panel.set_settings(SteeringSettings(banned=("바다", "먹다"), phrase_bias=("푸른 바다=+2",)))
    assert panel.banned.text() == "바다, 먹다" and panel.phrase_bias.text() == "푸른 바다=+2"
    panel.phrase_bias.setText("푸른 바다=+2, 검은 숲")  # the second entry lacks its number
    with qtbot.assertNotEmitted(panel.changed):
        panel.phrase_bias.editingFinished.emit()
    assert "검은 숲" in panel.phrase_problem.text() and not panel.phrase_problem.isHidden()
    assert panel.phrase_bias.text() == "푸른 바다=+2, 검은 숲"  # kept to fix, not lost
    panel.phrase_bias.setText("푸른 바다=+2, 검은 숲=-3")
    with qtbot.waitSignal(panel.changed) as changed:
        panel.phrase_bias.editingFinished.emit()
    assert changed.args[0].phrase_biases() == {"푸른 바다": 2.0, "검은 숲": -3.0}
    assert changed.args[0].banned == ("바다", "먹다") and panel.phrase_problem.isHidden()


def test_story_files_keep_bans_and_phrase_bias(tmp_path):
    from storyteller.engine.story.document import Story
    from storyteller.engine.story.file import load_story, save_story

    story = Story(steering=SteeringSettings(banned=("먹다", "푸른 바다"), phrase_bias=("검은 숲=-3",)))
    save_story(story, tmp_path / "s.story.json")
    loaded = load_story(tmp_path / "s.story.json")
    assert loaded.steering.banned == ("먹다", "푸른 바다") and loaded.steering.phrase_bias == ("검은 숲=-3",)
    data = json.loads((tmp_path / "s.story.json").read_text(encoding="utf-8"))
    del data["steering"]["phrase_bias"]  # a file from before phrase bias: none
    (tmp_path / "old.story.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_story(tmp_path / "old.story.json").steering.phrase_bias == ()
