"""One declaration per setting: a dataclass field made with `setting()`, whose metadata holds its
kind, range, neutral value, label, help, command-line flag and, for generation settings, how each
server API receives it (`servers=`, see `on_servers`).

Everything else is derived from it: validation (`check_fields`), the story file's fields, the CLI
flags and their help (storyteller/cli), the GUI's controls and tooltips (storyteller/gui), the
README's settings table (settings_table.py), the servers' request bodies and the settings each
kind of server ignores (engine/servers), and how a message names a setting on each front end
(`SettingName`). Labels and help the app shows are English marked
with `tr()`, which the GUI translates as it translates error templates; help only the CLI shows
(training's, PPLM's) stays plain English, like the rest of the CLI.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields

from storyteller.engine.core.errors import SettingError, tr


@dataclass(frozen=True)
class Setting:
    """What one declared field is: the record UIs and documentation read."""

    name: str
    default: object
    kind: type  # int, float, bool, str or tuple (a list of strings)
    low: float | None = None
    high: float | None = None
    neutral: object = None  # the value that switches the setting's rule off (None: it has none)
    label: str = ""
    help: str = ""
    flag: str | None = None  # command-line flag without "--", where it differs from the name
    choices: tuple[str, ...] = ()
    comma_list: bool = False  # a list the CLI takes as one comma-separated argument (else repeated flags)
    servers: Mapping[str, ServerWire] = field(default_factory=dict, compare=False)  # see on_servers

    @property
    def cli_flag(self) -> str:
        return self.flag or self.name

    def named(self, prefix: str = "") -> SettingName:
        """This setting as a message names it (a message's parameter): see SettingName."""
        return SettingName(prefix + self.name, f"--{self.cli_flag}", self.label)


@dataclass(frozen=True)
class SettingName:
    """A setting named in a message, as each front end shows it: a StorytellerError's parameter that the
    engine's English (str(error)) fills with the story file's `field` ("max_new_tokens", "steering.mood":
    the word a file uses), the CLI with the `flag` it takes ("--length", cli/common.message), and the GUI
    with the `label` on its control ("Length"), translated. No front end shows another's word for it."""

    field: str
    flag: str = ""
    label: str = ""  # tr()-marked

    def __format__(self, spec: str) -> str:
        return format(self.field, spec)

    def __str__(self) -> str:
        return self.field


def named(cls, name: str, prefix: str = "") -> SettingName:
    """Setting `name` of the declaring class `cls` as a message names it."""
    return setting_of(cls, name).named(prefix)


def setting(default=MISSING, kind=str, low=None, high=None, *, default_factory=MISSING, **about):
    """A dataclass field declaring a setting; `about` takes Setting's other attributes (neutral,
    label, help, flag, choices, comma_list, servers)."""
    return field(default=default, default_factory=default_factory,
                 metadata={"setting": {"kind": kind, "low": low, "high": high, **about}})


# -- how servers receive a setting ------------------------------------------------------------------

# The server APIs a generation setting declares itself for, named as ServerInfo.flavour names them.
# llama.cpp reads its own keys on both its routes (/completion and /v1/completions).
LLAMA_CPP = "llama.cpp"
VLLM = "vLLM"
OPENAI_COMPATIBLE = "OpenAI-compatible"  # what any server with /v1/completions takes
SERVER_APIS = (LLAMA_CPP, VLLM, OPENAI_COMPATIBLE)


@dataclass(frozen=True)
class WireRequest:
    """What a value transform (`SentAs.convert`) may look at besides the setting's own value."""

    settings: object  # the request's GenerationSettings
    seed: int  # this request's seed (the one chosen, plus the candidate's number)
    n_ctx: int | None  # the server's context size, where it says
    text_prompt: bool  # the prompt goes as text, not as our token ids


@dataclass(frozen=True)
class SentAs:
    """The API takes the setting as the body's `key`; `convert(value, wire_request)` makes the value
    sent (default: the value as it is), None leaving the key out of that request."""

    key: str
    convert: Callable[[object, WireRequest], object] | None = None

    def ignored_with(self, our_ids: bool) -> bool:
        return False


@dataclass(frozen=True)
class Handled:
    """The API has no key of its own for the setting, and it works all the same: Storyteller applies it
    around the server, or it shapes other keys (`how` says which). `with_our_ids`: only where the
    server shares our tokenizer (we send and read token ids); otherwise the API ignores it."""

    how: str
    with_our_ids: bool = False

    def ignored_with(self, our_ids: bool) -> bool:
        return self.with_our_ids and not our_ids


@dataclass(frozen=True)
class Ignored:
    """The API cannot do it: the UI marks the setting as ignored by such a server."""

    def ignored_with(self, our_ids: bool) -> bool:
        return True


IGNORED = Ignored()
ServerWire = SentAs | Handled | Ignored


def on_servers(*, llama_cpp: ServerWire, vllm: ServerWire, openai: ServerWire) -> dict[str, ServerWire]:
    """A generation setting's `servers=`: how each server API receives it, all three said."""
    return {LLAMA_CPP: llama_cpp, VLLM: vllm, OPENAI_COMPATIBLE: openai}


def everywhere(wire: ServerWire) -> dict[str, ServerWire]:
    """`servers=` for a setting every server API receives the same way."""
    return on_servers(llama_cpp=wire, vllm=wire, openai=wire)


# -- reading declarations ---------------------------------------------------------------------------


def settings_of(cls) -> list[Setting]:
    """The declared settings of a dataclass (or of an instance), in declaration order."""
    found = []
    for spec in fields(cls):
        if "setting" not in spec.metadata:
            continue
        default = spec.default if spec.default_factory is MISSING else spec.default_factory()  # MISSING: required
        found.append(Setting(spec.name, default, **spec.metadata["setting"]))
    return found


def setting_of(cls, name: str) -> Setting:
    return next(item for item in settings_of(cls) if item.name == name)


def check_fields(obj, prefix: str = "") -> None:
    """Check every declared number, flag and choice of `obj` (a None stays None where that is the
    default), and store numbers as their declared kind (40.0 → 40). Lists are the class's own
    business: their rules differ (stop strings must not be empty, word lists are stripped)."""
    for item in settings_of(obj):
        value = getattr(obj, item.name)
        name = item.named(prefix)
        if value is None and item.default is None:
            continue
        if item.kind is bool:
            if not isinstance(value, bool):
                raise SettingError(tr("{name} must be true or false, not {value}."), name=name, value=repr(value))
        elif item.choices:
            if value not in item.choices:
                raise SettingError(tr("{name} must be one of {choices}, not {value}."),
                                   name=name, choices=", ".join(item.choices), value=repr(value))
        elif item.kind in (int, float) and item.low is not None:
            check_number(name, value, item.low, item.high, whole=item.kind is int)
            object.__setattr__(obj, item.name, item.kind(value))


def check_number(name: str | SettingName, value, low, high, *, whole: bool = False) -> None:
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
