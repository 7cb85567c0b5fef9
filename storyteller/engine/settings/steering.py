"""What the writer asked steering to do: plain, validated data (no torch), saved in the story as
`story.steering` and built into the decode loop's hooks on the worker thread (see build.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from storyteller.engine.core.errors import SettingError, tr
from storyteller.engine.settings.schema import check_fields, setting

TOPIC_METHODS = ("bias", "pplm")  # cheap token bias, or the PPLM bag-of-words loss
MOOD_METHODS = ("vector", "pplm")  # cheap activation vector, or the PPLM discriminator loss
# Each method's slowdown against plain decoding, as benchmarks/bench_steering.py measures it
# (PPLM perturbs the upper third of the blocks); the UI warns with these before Continue.
METHOD_COST = {"bias": 1.05, "vector": 1.0, "pplm": 4.0}
LIST_FIELDS = ("topics", "words", "banned", "phrase_bias")

# Logit bias at strength 1 for a topic word at a word start. +4 makes a word about 50x likelier:
# strong enough to move a story toward the topic, weak enough that grammar still wins.
TOPIC_BIAS_AT_FULL_STRENGTH = 4.0


@dataclass
class LatentOptions:
    """PPLM's knobs (Dathathri et al. 2020), with their defaults for a Korean GPT-2."""

    iterations: int = setting(3, int, 1, 10, help="gradient steps per token")
    step_size: float = setting(
        0.1, float, 0.0001, 1.0, help="per gradient step, as a share of the keys/values' size, at strength 1"
    )
    gm_scale: float = setting(0.9, float, 0.0, 1.0, help="weight of the steered distribution in the geometric mix")
    kl_scale: float = setting(0.01, float, 0.0, 10.0, help="keeps the steered distribution near the model's own")
    grad_length: int = setting(
        40, int, 0, 1024, help="perturb for this many tokens, then only mix (cost drops to ~1.5x)"
    )
    window: int = setting(
        32, int, 0, 1024, help="prompt positions whose keys/values may be perturbed, besides new ones"
    )
    layers: int = setting(0, int, 0, 96, help="upper blocks perturbed (0: a third of the model, at least one)")

    def validate(self) -> None:
        check_fields(self, "latent.")


@dataclass
class SteeringSettings:
    topics: tuple[str, ...] = setting(
        (), tuple, label=tr("Topics"), help=tr("Steer toward these topic lists (see `storyteller topics`)."),
        flag="steer-topic",
    )
    words: tuple[str, ...] = setting(
        (), tuple, label=tr("Words"), help=tr("Steer toward these words of your own, e.g. names."),
        flag="steer-words", comma_list=True,
    )
    banned: tuple[str, ...] = setting(
        (), tuple, label=tr("Never write"),
        help=tr("Words and phrases never to write, however the model spells them; a Korean noun also with "
                "its particles, a verb or adjective (먹다) in every form."),
        flag="steer-ban", comma_list=True,
    )
    phrase_bias: tuple[str, ...] = setting(
        (), tuple, label=tr("Phrase bias"),
        help=tr("Make a whole phrase likelier or rarer, as phrase=bias from -10 to 10, e.g. 푸른 바다=+2."),
        flag="phrase-bias",
    )
    topic_strength: float = setting(
        0.0, float, 0.0, 1.0, neutral=0.0, label=tr("Strength"),
        help=tr("How hard to push toward the topic (0: off)."), flag="steer-strength",
    )
    topic_method: str = setting(
        "bias", str, choices=TOPIC_METHODS, label=tr("Method"),
        help=tr("Word bias makes the topic's words likelier at no cost. PPLM nudges the model's memory of the "
                "story toward the topic at every word: more natural, several times slower."),
        flag="steer-method",
    )
    mood: float = setting(
        0.0, float, -1.0, 1.0, neutral=0.0, label=tr("Mood"),
        help=tr("Below 0 darker, above 0 brighter (0: off)."), flag="steer-mood",
    )
    mood_method: str = setting(
        "vector", str, choices=MOOD_METHODS, label=tr("Mood method"),
        help=tr("The mood vector costs nothing; the PPLM mood head is more precise and several times slower."),
        flag="steer-mood-method",
    )
    max_seconds: float = setting(
        0.0,
        float,
        0.0,
        3600.0,
        neutral=0.0,
        label=tr("PPLM time limit"),
        help=tr(
            "If PPLM would take longer than this many seconds, it switches to the fast method midway (0: no limit)."
        ),
        flag="steer-max-seconds",
    )
    latent: LatentOptions = field(default_factory=LatentOptions)

    def __post_init__(self):
        self.validate()

    def validate(self) -> None:
        for name in LIST_FIELDS:
            value = getattr(self, name)
            if isinstance(value, list):
                value = tuple(value)
                setattr(self, name, value)
            if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
                raise SettingError(
                    tr("steering.{name} must be a list of words, not {value}."), name=name, value=repr(value)
                )
            setattr(self, name, tuple(item.strip() for item in value if item.strip()))
        for entry in self.phrase_bias:
            parse_phrase_bias(entry)
        check_fields(self, "steering.")
        if not isinstance(self.latent, LatentOptions):  # from a file: an object, or an error naming the field
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
        return self.steers_topic or self.steers_mood or bool(self.banned) or bool(self.phrase_bias)

    def phrase_biases(self) -> dict[str, float]:
        """The phrase bias entries as {phrase: bias} (a later entry for a phrase wins)."""
        return dict(parse_phrase_bias(entry) for entry in self.phrase_bias)

    @property
    def cost(self) -> float:
        """Expected slowdown against plain decoding (latent losses share one optimisation)."""
        methods = ([self.topic_method] if self.steers_topic else []) + ([self.mood_method] if self.steers_mood else [])
        return max((METHOD_COST[m] for m in methods), default=1.0)

    @property
    def uses_latent(self) -> bool:
        return (self.steers_topic and self.topic_method == "pplm") or (self.steers_mood and self.mood_method == "pplm")

    def replace(self, **changes) -> SteeringSettings:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        for name in LIST_FIELDS:
            data[name] = list(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> SteeringSettings:
        return _from_dict(cls, data or {}, "steering")


def _from_dict(cls, data, what: str):
    if not isinstance(data, dict):
        raise SettingError(tr("{what} must be an object, not {type}."), what=what, type=type(data).__name__)
    known = {spec.name for spec in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingError(tr("Unknown {what} setting(s): {names}."), what=what, names=", ".join(unknown))
    return cls(**data)


BIAS_LIMIT = 10.0


def parse_phrase_bias(entry: str) -> tuple[str, float]:
    """("푸른 바다", 2.0) from "푸른 바다=+2"; a SettingError saying what is wrong otherwise."""
    phrase, sep, number = entry.rpartition("=")
    try:
        bias = float(number) if sep else None
    except ValueError:
        bias = None
    if not phrase.strip() or bias is None or not -BIAS_LIMIT <= bias <= BIAS_LIMIT:
        raise SettingError(
            tr("Phrase bias \"{entry}\" must be a phrase, '=' and a number from {low} to {high}, e.g. 푸른 바다=+2."),
            entry=entry, low=-BIAS_LIMIT, high=BIAS_LIMIT,
        )
    return " ".join(phrase.split()), bias  # whitespace runs as one space, as bans match text
