"""Sampling presets, declared once in the engine: what new and imported stories start from."""

from __future__ import annotations

import json

from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.presets import (
    DEFAULT_PRESET,
    PRESETS,
    apply_preset,
    matching_preset,
    new_story_settings,
    same_sampling,
)
from storyteller.engine.story.file import load_story, save_story
from storyteller.engine.story.formats import import_kobold, import_text


def test_imported_stories_start_from_the_default_preset_and_keep_it_when_saved(tmp_path):
    text = tmp_path / "소설.txt"
    text.write_text("첫 문단.\n둘째 문단.\n", encoding="utf-8")
    kobold = tmp_path / "kobold.json"
    kobold.write_text(json.dumps({"prompt": "옛날에", "actions": ["호랑이가 왔다."]}), encoding="utf-8")
    for story in (import_text(text), import_kobold(kobold)):
        assert story.generation == PRESETS[DEFAULT_PRESET] == new_story_settings()
        assert story.generation.temperature < 1.0 and story.generation.repetition_penalty > 1.0
        saved = tmp_path / "saved.story.json"
        save_story(story, saved)  # what `storyteller generate --story` continues with
        assert load_story(saved).generation == PRESETS[DEFAULT_PRESET]


def test_a_preset_sets_sampling_and_leaves_the_storys_own_stops():
    story = GenerationSettings(temperature=1.5, stop_strings=("\n>",), min_new_tokens=70, max_new_tokens=100)
    steady = apply_preset(PRESETS["steady"], story)
    assert steady.stop_strings == ("\n>",) and steady.min_new_tokens == 60  # within the preset's length
    assert same_sampling(steady, PRESETS["steady"]) and matching_preset(steady, PRESETS) == "steady"


def test_matching_tells_an_edited_preset_from_the_preset():
    default = PRESETS["default"]
    assert matching_preset(default.replace(temperature=0.8000000001), PRESETS) == "default"  # spin-box rounding
    assert matching_preset(default.replace(temperature=0.81), PRESETS) is None
    assert matching_preset(default.replace(seed=3), PRESETS) is None
    assert matching_preset(GenerationSettings(), PRESETS) is None  # neutral settings are no preset
