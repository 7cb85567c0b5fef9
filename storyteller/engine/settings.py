"""Generation settings: one validated object shared by the GUI sliders, the CLI flags and stories.

Each field documents its range and its neutral value; a neutral value switches its rule off.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, fields

from .errors import SettingError, tr


def _setting(default, kind, low=None, high=None, *, neutral=None, help=""):
    return field(
        default=default,
        metadata={"kind": kind, "low": low, "high": high, "neutral": neutral, "help": help},
    )


@dataclass
class GenerationSettings:
    max_new_tokens: int = _setting(80, int, 1, 1024, help="How many tokens to write at most.")
    min_new_tokens: int = _setting(
        0, int, 0, 1024, neutral=0, help="Do not stop (end of text) before this many tokens."
    )
    temperature: float = _setting(
        1.0, float, 0.05, 5.0, neutral=1.0,
        help="Higher is more surprising, lower more predictable.",
    )
    top_k: int = _setting(
        0, int, 0, 51200, neutral=0, help="Choose only among the k likeliest tokens (0: off)."
    )
    top_p: float = _setting(
        1.0, float, 0.01, 1.0, neutral=1.0,
        help="Choose among the likeliest tokens that cover this share of probability (1: off).",
    )
    typical_p: float = _setting(
        1.0, float, 0.01, 1.0, neutral=1.0,
        help="Prefer tokens about as surprising as usual for the text (1: off).",
    )
    repetition_penalty: float = _setting(
        1.0, float, 1.0, 5.0, neutral=1.0,
        help="Make tokens already in the text less likely (1: off). KoGPT2 loops without it.",
    )
    repetition_penalty_range: int = _setting(
        0, int, 0, 4096, neutral=0,
        help="Penalise only the last N tokens of the text (0: the whole text).",
    )
    repetition_penalty_slope: float = _setting(
        0.0, float, 0.0, 10.0, neutral=0.0,
        help="Penalise recent tokens more than old ones (0: all alike).",
    )
    no_repeat_ngram_size: int = _setting(
        0, int, 0, 20, neutral=0, help="Never repeat a run of this many tokens (0: off)."
    )
    seed: int | None = _setting(
        None, int, 0, 2**31 - 1, neutral=None, help="Same seed and text give the same result (empty: random)."
    )
    num_candidates: int = _setting(1, int, 1, 16, help="How many continuations to write at once.")
    stop_strings: tuple[str, ...] = _setting((), tuple, help="Stop writing when one of these appears.")
    greedy: bool = _setting(False, bool, help="Always take the likeliest token (no sampling).")

    def __post_init__(self):
        self.validate()

    def validate(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            meta = spec.metadata
            kind = meta["kind"]
            if value is None and spec.default is None:
                continue
            if kind is tuple:
                if isinstance(value, list):
                    value = tuple(value)
                    object.__setattr__(self, spec.name, value)
                if not isinstance(value, tuple) or not all(isinstance(s, str) and s for s in value):
                    raise SettingError(
                        tr("{name} must be a list of non-empty strings, not {value}."), name=spec.name, value=repr(value)
                    )
                continue
            if kind is bool:
                if not isinstance(value, bool):
                    raise SettingError(tr("{name} must be true or false, not {value}."), name=spec.name, value=repr(value))
                continue
            check_number(spec.name, value, meta["low"], meta["high"], whole=kind is int)
            object.__setattr__(self, spec.name, kind(value))
        if self.min_new_tokens > self.max_new_tokens:
            raise SettingError(
                tr("min_new_tokens ({min_new_tokens}) must not exceed max_new_tokens ({max_new_tokens})."),
                min_new_tokens=self.min_new_tokens, max_new_tokens=self.max_new_tokens,
            )

    def replace(self, **changes) -> "GenerationSettings":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["stop_strings"] = list(self.stop_strings)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "GenerationSettings":
        if not isinstance(data, dict):
            raise SettingError(tr("Generation settings must be an object, not {type}."), type=type(data).__name__)
        known = {spec.name for spec in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingError(tr("Unknown generation setting(s): {names}."), names=", ".join(unknown))
        return cls(**data)

    @staticmethod
    def describe() -> list[dict]:
        """Name, default, range and help of every setting, for UIs and documentation."""
        return [
            {"name": spec.name, "default": spec.default, **spec.metadata} for spec in fields(GenerationSettings)
        ]


def check_number(name: str, value, low, high, *, whole: bool = False) -> None:
    """Raise a SettingError naming the setting, its range and the value unless `value` is a number
    (a whole one with `whole`) from `low` to `high`."""
    about = {"name": name, "low": low, "high": high, "value": repr(value)}
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingError(tr("{name} must be a number between {low} and {high}, not {value}."), **about)
    if whole and not float(value).is_integer():
        raise SettingError(tr("{name} must be a whole number between {low} and {high}, not {value}."), **about)
    if not math.isfinite(value):
        raise SettingError(tr("{name} must be a number between {low} and {high}, not {value}."), **about)
    if not low <= value <= high:
        raise SettingError(tr("{name} must be between {low} and {high}; {value} is out of range."), **about)