"""Generation settings: one validated object shared by the GUI sliders, the CLI flags and stories.

Each field is the setting's one declaration (engine/settings/schema.py): range, neutral value (the value
that switches its rule off), label, help, where the seed project's script named it differently its
command-line flag, and how each server API receives it (`servers=`): the body key and value it is
sent as, that Storyteller applies it around the server, or that the server ignores it. Adding a
sampling setting is its declaration here and its rule in engine/decode/processors.py; the servers'
request bodies and the settings they ignore follow from the declaration.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields

from storyteller.engine.core.errors import SettingError, tr
from storyteller.engine.settings.schema import (
    IGNORED,
    Handled,
    SentAs,
    Setting,
    WireRequest,
    check_fields,
    everywhere,
    named,
    on_servers,
    setting,
    settings_of,
)


def _unless_greedy(greedy_value, own=None):
    """A value transform: `greedy_value` for a greedy request, else the setting's value (through `own`)."""
    def convert(value, wire: WireRequest):
        if wire.settings.greedy:
            return greedy_value
        return own(value) if own is not None else value
    return convert


def _penalty_window(tokens: int, wire: WireRequest) -> int:
    """llama.cpp's repeat_last_n: our 0 means the whole text, its 0 means off, so 0 becomes the context."""
    return tokens or wire.n_ctx or 4096


def _text_stops(limit: int | None = None):
    """Stop strings sent where the prompt is text (at most `limit`); with our ids we stop ourselves."""
    def convert(stops, wire: WireRequest):
        return list(stops)[:limit] if wire.text_prompt and stops else None
    return convert


_MINIMUM_BY_BAN = Handled("the end token is banned until the minimum is written, then the rest is asked for",
                          with_our_ids=True)


@dataclass
class GenerationSettings:
    max_new_tokens: int = setting(
        80, int, 1, 1024, label=tr("Length"), help=tr("How many tokens to write at most each time."), flag="length",
        servers=on_servers(llama_cpp=SentAs("n_predict"), vllm=SentAs("max_tokens"), openai=SentAs("max_tokens")),
    )
    # No neutral value: 0 is not "off" but half the length (`least_new_tokens`).
    min_new_tokens: int = setting(
        0, int, 0, 1024, label=tr("Minimum length"),
        help=tr("Do not end the text before this many tokens (0: at least half the length)."),
        flag="min_length",
        servers=on_servers(llama_cpp=_MINIMUM_BY_BAN, vllm=SentAs("min_tokens"), openai=_MINIMUM_BY_BAN),
    )
    temperature: float = setting(
        1.0, float, 0.05, 5.0, neutral=1.0, label=tr("Temperature"),
        help=tr("Higher is more surprising, lower more predictable."),
        servers=everywhere(SentAs("temperature", _unless_greedy(0.0))),
    )
    top_k: int = setting(
        0, int, 0, 51200, neutral=0, label=tr("Top-k"), help=tr("Choose only among the k likeliest words (0: off)."),
        servers=on_servers(llama_cpp=SentAs("top_k", _unless_greedy(1)),
                           vllm=SentAs("top_k", _unless_greedy(1, lambda k: k or -1)),  # vLLM's off is -1
                           openai=IGNORED),
    )
    top_p: float = setting(
        1.0, float, 0.01, 1.0, neutral=1.0, label=tr("Top-p"),
        help=tr("Choose among the likeliest words that together cover this share of probability (1: off)."),
        servers=everywhere(SentAs("top_p", _unless_greedy(1.0))),
    )
    typical_p: float = setting(
        1.0, float, 0.01, 1.0, neutral=1.0, label=tr("Typical-p"),
        help=tr("Prefer words about as surprising as usual for the text (1: off)."),
        servers=on_servers(llama_cpp=SentAs("typical_p"), vllm=IGNORED, openai=IGNORED),
    )
    repetition_penalty: float = setting(
        1.0, float, 1.0, 5.0, neutral=1.0, label=tr("Repetition penalty"),
        help=tr("Make words already in the text less likely (1: off). KoGPT2 loops without it."),
        servers=on_servers(llama_cpp=SentAs("repeat_penalty"), vllm=SentAs("repetition_penalty"), openai=IGNORED),
    )
    repetition_penalty_range: int = setting(
        0, int, 0, 4096, neutral=0, label=tr("Penalty range"),
        help=tr("Penalise only the last N tokens of the text (0: the whole text)."),
        servers=on_servers(llama_cpp=SentAs("repeat_last_n", _penalty_window), vllm=IGNORED, openai=IGNORED),
    )
    repetition_penalty_slope: float = setting(
        0.0, float, 0.0, 10.0, neutral=0.0, label=tr("Penalty slope"),
        help=tr("Penalise recent words more than old ones (0: all alike)."),
        servers=everywhere(IGNORED),
    )
    no_repeat_ngram_size: int = setting(
        0, int, 0, 20, neutral=0, label=tr("No-repeat n-gram"),
        help=tr("Never repeat a run of this many tokens (0: off)."),
        servers=everywhere(IGNORED),
    )
    seed: int | None = setting(
        None, int, 0, 2**31 - 1, label=tr("Seed"),
        help=tr("The same seed and text give the same result. Without one, each run differs."),
        servers=everywhere(SentAs("seed", lambda _, wire: wire.seed)),  # the one chosen, if none is set
    )
    num_candidates: int = setting(
        1, int, 1, 16, label=tr("Candidates"), help=tr("How many continuations to write at once, to pick from."),
        flag="num_return_sequences",
        servers=everywhere(Handled("one request per candidate, each with the next seed")),
    )
    stop_strings: tuple[str, ...] = setting(
        (), tuple, label=tr("Stop at"), help=tr("Stop writing when one of these texts appears."), flag="stop",
        # Applied here too (stopping.py), as the text or ids come; OpenAI takes four.
        servers=on_servers(llama_cpp=SentAs("stop", _text_stops()), vllm=SentAs("stop", _text_stops()),
                           openai=SentAs("stop", _text_stops(4))),
    )
    greedy: bool = setting(
        False, bool, label=tr("Greedy"), help=tr("Always take the likeliest word (no sampling)."),
        servers=everywhere(Handled("as temperature 0, top-k 1 and top-p 1 (see those)")),
    )

    def __post_init__(self):
        self.validate()

    def validate(self) -> None:
        if isinstance(self.stop_strings, list):
            self.stop_strings = tuple(self.stop_strings)
        if not isinstance(self.stop_strings, tuple) or not all(isinstance(s, str) and s for s in self.stop_strings):
            raise SettingError(
                tr("{name} must be a list of non-empty strings, not {value}."),
                name=named(GenerationSettings, "stop_strings"), value=repr(self.stop_strings),
            )
        check_fields(self)
        if self.min_new_tokens > self.max_new_tokens:
            raise SettingError(
                tr("{minimum} ({min_new_tokens}) must not exceed {length} ({max_new_tokens})."),
                minimum=named(GenerationSettings, "min_new_tokens"), min_new_tokens=self.min_new_tokens,
                length=LENGTH, max_new_tokens=self.max_new_tokens,
            )

    @property
    def least_new_tokens(self) -> int:
        """The fewest tokens a request writes before the model may end the text: the minimum asked for,
        else half the length (at least one). A continuation that ends before it writes anything is never
        what was asked for, and a model trained on short texts (reviews, chat lines) often ends the
        document right after the prompt's sentence: the demo model wrote nothing for 6 of 8 seeds of one
        prompt. Every request runs with it (engine/decode/runner.py), on every front end and server."""
        return self.min_new_tokens or max(1, self.max_new_tokens // 2)

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
LENGTH = named(GenerationSettings, "max_new_tokens")  # how messages name the length to write

# The seed project's generate script defaults, which the CLI and trained models' generation_config
# start from; every other rule starts neutral (off).
SEED_DEFAULTS = GenerationSettings(max_new_tokens=100, temperature=0.7, top_k=50, top_p=0.95, repetition_penalty=1.2)
