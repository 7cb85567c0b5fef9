"""Sampling presets: ready-made generation settings, declared once for every front end.

New and imported stories start from DEFAULT_PRESET (the declared values of GenerationSettings
are neutral: every rule off, which makes KoGPT2 ramble and loop). The GUI shows the presets by
their translated titles and says which one a story's settings match.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields

from storyteller.engine.core.errors import tr
from storyteller.engine.settings.generation import GenerationSettings

DEFAULT_PRESET = "default"

# Keys stay stable (saved nowhere but compared and looked up); TITLES are what people read.
PRESETS: dict[str, GenerationSettings] = {
    "default": GenerationSettings(temperature=0.8, top_k=50, top_p=0.95, repetition_penalty=1.2,
                                  repetition_penalty_range=512, max_new_tokens=80),
    "creative": GenerationSettings(temperature=1.1, top_k=0, top_p=0.92, typical_p=0.95,
                                   repetition_penalty=1.3, repetition_penalty_range=512,
                                   repetition_penalty_slope=0.7, max_new_tokens=80),
    "steady": GenerationSettings(temperature=0.6, top_k=30, top_p=0.9, repetition_penalty=1.5,
                                 no_repeat_ngram_size=3, max_new_tokens=60),
}
TITLES = {"default": tr("Default"), "creative": tr("Creative"), "steady": tr("Steady")}

# A story's own settings, which a preset leaves as they are.
STORY_OWN = ("stop_strings", "min_new_tokens")


def new_story_settings() -> GenerationSettings:
    """What a story starts from when nobody chose otherwise."""
    return PRESETS[DEFAULT_PRESET]


def apply_preset(preset: GenerationSettings, current: GenerationSettings) -> GenerationSettings:
    """`preset`'s sampling with the story's own stops (and minimum length, within the new length)."""
    return preset.replace(stop_strings=current.stop_strings,
                          min_new_tokens=min(current.min_new_tokens, preset.max_new_tokens))


def same_sampling(a: GenerationSettings, b: GenerationSettings) -> bool:
    """Whether `a` and `b` sample alike: every setting a preset sets is equal (floats as the
    spin boxes round them)."""
    for spec in fields(GenerationSettings):
        if spec.name in STORY_OWN:
            continue
        x, y = getattr(a, spec.name), getattr(b, spec.name)
        if isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6):
                return False
        elif x != y:
            return False
    return True


def matching_preset(settings: GenerationSettings, presets: Mapping[str, GenerationSettings]) -> str | None:
    """The name of the first of `presets` that `settings` sample like, or None."""
    return next((name for name, preset in presets.items() if same_sampling(settings, preset)), None)
