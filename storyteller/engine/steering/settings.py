"""What the writer asked steering to do: plain, validated data (no torch), saved in the story as
`story.steering` and built into the decode loop's hooks on the worker thread (see build.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..errors import SettingError, tr
from ..settings import check_number

TOPIC_METHODS = ("bias", "pplm")  # cheap token bias, or the PPLM bag-of-words loss
MOOD_METHODS = ("vector", "pplm")  # cheap activation vector, or the PPLM discriminator loss
# Each method's slowdown against plain decoding, as benchmarks/bench_steering.py measures it
# (PPLM perturbs the upper third of the blocks); the UI warns with these before Continue.
METHOD_COST = {"bias": 1.05, "vector": 1.0, "pplm": 4.0}


@dataclass
class LatentOptions:
    """PPLM's knobs (Dathathri et al. 2020), with their defaults for a Korean GPT-2."""

    iterations: int = 3  # gradient steps per token
    step_size: float = 0.1  # per gradient step, as a share of the keys/values' size, at strength 1
    gm_scale: float = 0.9  # weight of the steered distribution in the geometric mix
    kl_scale: float = 0.01  # keeps the steered distribution near the model's own
    grad_length: int = 40  # perturb for this many tokens, then only mix (cost drops to ~1.5x)
    window: int = 32  # prompt positions whose keys/values may be perturbed, besides new ones
    layers: int = 0  # upper blocks perturbed (0: a third of the model, at least one)

    _RANGES = {
        "iterations": (1, 10), "step_size": (0.0001, 1.0), "gm_scale": (0.0, 1.0), "kl_scale": (0.0, 10.0),
        "grad_length": (0, 1024), "window": (0, 1024), "layers": (0, 96),
    }  # fmt: skip

    def validate(self) -> None:
        for name, (low, high) in self._RANGES.items():
            check_number(f"latent.{name}", getattr(self, name), low, high, whole=isinstance(low, int))


@dataclass
class SteeringSettings:
    topics: tuple[str, ...] = ()  # ids of topic word lists (see topics.py)
    words: tuple[str, ...] = ()  # the writer's own topic words
    banned: tuple[str, ...] = ()  # words never to write
    topic_strength: float = 0.0  # 0..1; 0 switches topic steering off
    topic_method: str = "bias"
    mood: float = 0.0  # -1 (dark) .. 1 (bright); 0 switches mood steering off
    mood_method: str = "vector"
    max_seconds: float = 0.0  # PPLM's time budget per continuation; beyond it, the cheap method (0: none)
    latent: LatentOptions = field(default_factory=LatentOptions)

    def __post_init__(self):
        self.validate()

    def validate(self) -> None:
        for name in ("topics", "words", "banned"):
            value = getattr(self, name)
            if isinstance(value, list):
                value = tuple(value)
                setattr(self, name, value)
            if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
                raise SettingError(tr("steering.{name} must be a list of words, not {value}."), name=name, value=repr(value))
            setattr(self, name, tuple(item.strip() for item in value if item.strip()))
        check_number("steering.topic_strength", self.topic_strength, 0.0, 1.0)
        check_number("steering.mood", self.mood, -1.0, 1.0)
        check_number("steering.max_seconds", self.max_seconds, 0.0, 3600.0)
        for name, choices in (("topic_method", TOPIC_METHODS), ("mood_method", MOOD_METHODS)):
            if getattr(self, name) not in choices:
                raise SettingError(
                    tr("steering.{name} must be one of {choices}, not {value}."),
                    name=name, choices=", ".join(choices), value=repr(getattr(self, name)),
                )
        if isinstance(self.latent, dict):
            self.latent = _from_dict(LatentOptions, self.latent, "steering.latent")
        self.latent.validate()

    @property
    def steers_topic(self) -> bool:
        return self.topic_strength > 0 and bool(self.topics or self.words)

    @property
    def steers_mood(self) -> bool:
        return self.mood != 0

    @property
    def active(self) -> bool:
        return self.steers_topic or self.steers_mood or bool(self.banned)

    @property
    def cost(self) -> float:
        """Expected slowdown against plain decoding (latent losses share one optimisation)."""
        methods = ([self.topic_method] if self.steers_topic else []) + ([self.mood_method] if self.steers_mood else [])
        return max((METHOD_COST[m] for m in methods), default=1.0)

    @property
    def uses_latent(self) -> bool:
        return (self.steers_topic and self.topic_method == "pplm") or (self.steers_mood and self.mood_method == "pplm")

    def replace(self, **changes) -> "SteeringSettings":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        for name in ("topics", "words", "banned"):
            data[name] = list(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> "SteeringSettings":
        return _from_dict(cls, data or {}, "steering")


def _from_dict(cls, data, what: str):
    if not isinstance(data, dict):
        raise SettingError(tr("{what} must be an object, not {type}."), what=what, type=type(data).__name__)
    known = {spec.name for spec in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingError(tr("Unknown {what} setting(s): {names}."), what=what, names=", ".join(unknown))
    return cls(**data)

