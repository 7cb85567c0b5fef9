from pathlib import Path

import pytest

from storyteller.engine.core.errors import SettingError
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import settings_of
from storyteller.engine.settings.steering import LatentOptions, SteeringSettings
from storyteller.engine.settings.table import BEGIN, END, settings_table
from storyteller.engine.settings.training import TrainConfig


def test_defaults_are_neutral():
    settings = GenerationSettings()
    assert (settings.top_k, settings.top_p, settings.typical_p, settings.repetition_penalty) == (0, 1.0, 1.0, 1.0)
    assert (settings.repetition_penalty_slope, settings.no_repeat_ngram_size) == (0.0, 0)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("temperature", 0.0, "temperature must be between 0.05 and 5.0"),
        ("top_p", 1.5, "top_p must be between 0.01 and 1.0"),
        ("top_k", -1, "top_k must be between 0 and 51200"),
        ("top_k", 2.5, "top_k must be a whole number"),
        ("max_new_tokens", "80", "max_new_tokens must be a number"),
        ("repetition_penalty", float("nan"), "repetition_penalty must be a number"),
        ("num_candidates", True, "num_candidates must be a number"),
        ("greedy", 1, "greedy must be true or false"),
        ("stop_strings", ("",), "stop_strings must be a list of non-empty strings"),
    ],
)
def test_bad_values_name_the_setting_and_its_range(name, value, message):
    with pytest.raises(SettingError, match=message):
        GenerationSettings(**{name: value})


def test_min_cannot_exceed_max():
    with pytest.raises(SettingError, match="min_new_tokens"):
        GenerationSettings(max_new_tokens=10, min_new_tokens=11)


def test_json_round_trip_and_unknown_keys():
    settings = GenerationSettings(temperature=0.7, top_k=50, stop_strings=("\n\n",), seed=3)
    assert GenerationSettings.from_json(settings.to_json()) == settings
    with pytest.raises(SettingError, match="Unknown generation setting"):
        GenerationSettings.from_json({"temprature": 1.0})


def test_whole_floats_become_ints():
    assert GenerationSettings(top_k=40.0).top_k == 40
    assert isinstance(GenerationSettings(top_k=40.0).top_k, int)


def test_describe_lists_every_setting_with_help():
    described = {entry.name: entry for entry in GenerationSettings.describe()}
    assert described["top_p"].low == 0.01 and described["top_p"].help


def test_the_readme_settings_table_is_made_from_the_declarations():
    """Regenerate it with `python -m storyteller.engine.settings.table` after changing a setting."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"{BEGIN}\n{settings_table()}\n{END}" in readme


def test_every_shown_setting_declares_a_label_and_help():
    for cls in (GenerationSettings, SteeringSettings):
        for item in settings_of(cls):
            assert item.label and item.help, item.name


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SteeringSettings(latent=LatentOptions(iterations=0)), "latent.iterations must be between 1 and 10"),
        (lambda: SteeringSettings(max_seconds=4000), "steering.max_seconds must be between 0.0 and 3600.0"),
        (lambda: SteeringSettings(topic_method="magic"), "steering.topic_method must be one of bias, pplm"),
        (lambda: TrainConfig("data", "out", learning_rate=2.0), "learning_rate must be between"),
        (lambda: TrainConfig("data", "out", device="tpu"), "device must be one of auto, cpu, cuda, mps"),
    ],
)
def test_steering_and_training_settings_are_checked_against_their_declarations(make, message):
    with pytest.raises(SettingError, match=message):
        make()


def test_a_message_names_a_setting_as_each_front_end_shows_it():
    """Issue 27: the CLI said max_new_tokens where its flag is --length (and the app, where its slider says
    Length). A message's setting is a SettingName: the engine's English and a file say the field, the CLI
    the flag, the GUI the label (translated, gui/common/messages.py)."""
    from storyteller.cli.common import message
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.settings.schema import SettingName

    with pytest.raises(SettingError) as raised:
        GenerationSettings(max_new_tokens=10, min_new_tokens=20)
    error = raised.value
    assert str(error) == "min_new_tokens (20) must not exceed max_new_tokens (10)."
    assert message(error) == "--min_length (20) must not exceed --length (10)."
    assert error.params["length"] == SettingName("max_new_tokens", "--length", "Length")
    assert error.params["minimum"].label == "Minimum length"
    with pytest.raises(SettingError) as raised:
        SteeringSettings(topic_strength=3)
    assert message(raised.value) == "--steer-strength must be between 0.0 and 1.0; 3 is out of range."
    assert raised.value.params["name"].label == "Strength" and "steering.topic_strength" in str(raised.value)
    assert "{length}" in Generator.context_limit and "max_new_tokens" not in Generator.context_limit
