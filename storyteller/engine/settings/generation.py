"""Generation settings: one validated object shared by the GUI sliders, the CLI flags and stories.

Each field is the setting's one declaration (engine/settings/schema.py): range, neutral value (the value
that switches its rule off), label, help and, where the seed project's script named it
differently, its command-line flag.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields

from storyteller.engine.core.errors import SettingError, tr
from storyteller.engine.settings.schema import Setting, check_fields, setting, settings_of


@dataclass
class GenerationSettings:
    max_new_tokens: int = setting(
        80, int, 1, 1024, label=tr("Length"), help=tr("How many tokens to write at most each time."), flag="length",
    )
    min_new_tokens: int = setting(
        0, int, 0, 1024, neutral=0, label=tr("Minimum length"),
        help=tr("Do not end the text before this many tokens (0: a Continue writes at least half its length)."),
        flag="min_length",
    )
    temperature: float = setting(
        1.0, float, 0.05, 5.0, neutral=1.0, label=tr("Temperature"),
        help=tr("Higher is more surprising, lower more predictable."),
    )
    top_k: int = setting(
        0, int, 0, 51200, neutral=0, label=tr("Top-k"), help=tr("Choose only among the k likeliest words (0: off)."),
    )
    top_p: float = setting(
        1.0, float, 0.01, 1.0, neutral=1.0, label=tr("Top-p"),
        help=tr("Choose among the likeliest words that together cover this share of probability (1: off)."),
    )
    typical_p: float = setting(
        1.0, float, 0.01, 1.0, neutral=1.0, label=tr("Typical-p"),
        help=tr("Prefer words about as surprising as usual for the text (1: off)."),
    )
    repetition_penalty: float = setting(
        1.0, float, 1.0, 5.0, neutral=1.0, label=tr("Repetition penalty"),
        help=tr("Make words already in the text less likely (1: off). KoGPT2 loops without it."),
    )
    repetition_penalty_range: int = setting(
        0, int, 0, 4096, neutral=0, label=tr("Penalty range"),
        help=tr("Penalise only the last N tokens of the text (0: the whole text)."),
    )
    repetition_penalty_slope: float = setting(
        0.0, float, 0.0, 10.0, neutral=0.0, label=tr("Penalty slope"),
        help=tr("Penalise recent words more than old ones (0: all alike)."),
    )
    no_repeat_ngram_size: int = setting(
        0,
        int,
        0,
        20,
        neutral=0,
        label=tr("No-repeat n-gram"),
        help=tr("Never repeat a run of this many tokens (0: off)."),
    )
    seed: int | None = setting(
        None, int, 0, 2**31 - 1, label=tr("Seed"),
        help=tr("The same seed and text give the same result. Without one, each run differs."),
    )
    num_candidates: int = setting(
        1, int, 1, 16, label=tr("Candidates"), help=tr("How many continuations to write at once, to pick from."),
        flag="num_return_sequences",
    )
    stop_strings: tuple[str, ...] = setting(
        (), tuple, label=tr("Stop at"), help=tr("Stop writing when one of these texts appears."), flag="stop",
    )
    greedy: bool = setting(False, bool, label=tr("Greedy"), help=tr("Always take the likeliest word (no sampling)."))

    def __post_init__(self):
        self.validate()

    def validate(self) -> None:
        if isinstance(self.stop_strings, list):
            self.stop_strings = tuple(self.stop_strings)
        if not isinstance(self.stop_strings, tuple) or not all(isinstance(s, str) and s for s in self.stop_strings):
            raise SettingError(
                tr("{name} must be a list of non-empty strings, not {value}."),
                name="stop_strings", value=repr(self.stop_strings),
            )
        check_fields(self)
        if self.min_new_tokens > self.max_new_tokens:
            raise SettingError(
                tr("min_new_tokens ({min_new_tokens}) must not exceed max_new_tokens ({max_new_tokens})."),
                min_new_tokens=self.min_new_tokens, max_new_tokens=self.max_new_tokens,
            )

    def applies(self, name: str) -> bool:
        """Whether setting `name` changes anything: its value is not its declared neutral one."""
        return getattr(self, name) != _NEUTRAL[name]

    def replace(self, **changes) -> GenerationSettings:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["stop_strings"] = list(self.stop_strings)
        return data

    @classmethod
    def from_json(cls, data: dict) -> GenerationSettings:
        if not isinstance(data, dict):
            raise SettingError(tr("Generation settings must be an object, not {type}."), type=type(data).__name__)
        known = {spec.name for spec in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingError(tr("Unknown generation setting(s): {names}."), names=", ".join(unknown))
        return cls(**data)

    @staticmethod
    def describe() -> list[Setting]:
        """Every setting's declaration, for UIs and documentation."""
        return settings_of(GenerationSettings)


_NEUTRAL = {item.name: item.neutral for item in settings_of(GenerationSettings)}

# The seed project's generate script defaults, which the CLI and trained models' generation_config
# start from; every other rule starts neutral (off).
SEED_DEFAULTS = GenerationSettings(max_new_tokens=100, temperature=0.7, top_k=50, top_p=0.95, repetition_penalty=1.2)
