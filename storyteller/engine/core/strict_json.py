"""Reading files from outside: story files, scenarios, other apps' saves, model folders' JSON.

Nothing such a file holds is trusted. `read_file` reads a regular file of bounded size (never a folder,
a device or a pipe, which could block or never end); `parse_json` turns its bytes into JSON values or
a clear error (not UTF-8, empty, cut short, not JSON, nested too deeply, NaN or an endless number, an
unpaired surrogate that could never be saved again); `JsonReader` checks each value's type where it is
used and names the file and the field in its message:

    reader = JsonReader(str(path), ScenarioError)
    entry = reader.object(item, f"placeholders[{index}]")
    key = reader.string(entry.get("key"), f"placeholders[{index}].key")

Every failure is the caller's StorytellerError subclass (`error`), so a door that reads outside JSON
raises nothing else.
"""

from __future__ import annotations

import json
import math
import re
import stat
from enum import Enum
from pathlib import Path

from storyteller.engine.core.errors import StorytellerError, tr

# Bigger than any story, scenario or tokenizer file; a file this large is not one.
MAX_FILE_BYTES = 512 * 1024 * 1024
# Python refuses to turn longer digit strings into numbers (a ValueError): longer ones are no settings.
_MAX_DIGITS = 4000
# A \uD800-\uDFFF escape: the only way a lone surrogate gets into JSON text decoded as UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _NotJson(ValueError):
    """A value Python's json accepts but JSON does not (NaN, Infinity, an endless number)."""


def read_file(path: Path, error: type[StorytellerError] = StorytellerError, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file `path` (a link is followed), at most `limit` of them."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise error(tr("{path} is not a file (it is a folder, a device or a pipe); choose a file."), path=path)
        if info.st_size > limit:
            raise error(tr("{path} is too large to read ({size} MB; at most {limit} MB)."),
                        path=path, size=info.st_size // 2**20, limit=limit // 2**20)
        return path.read_bytes()
    except FileNotFoundError:
        raise error(tr("The file {path} does not exist."), path=path) from None
    except OSError as problem:
        reason = problem.strerror or str(problem)
        raise error(tr("{path} cannot be read: {reason}."), path=path, reason=reason) from None
    except ValueError as problem:  # a NUL in the path: no file has such a name
        raise error(tr("{path} cannot be read: {reason}."), path=path, reason=str(problem)) from None


def parse_json(raw: bytes, name: str, error: type[StorytellerError] = StorytellerError, *,
               empty: str = "", cut_short: str = ""):
    """The JSON value of `raw` (UTF-8, a BOM allowed), or `error` naming the file `name` and the fault.
    `empty` and `cut_short` replace the general messages for an empty file and one that ends too early."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise error(tr("{name} is not UTF-8 text (invalid byte at position {position})."),
                    name=name, position=problem.start) from None
    if not text.strip():
        raise error(empty or tr("{name} is empty: there is nothing in it to read."), name=name)
    try:
        data = json.loads(text, parse_constant=_not_a_number, parse_int=_whole_number, parse_float=_finite_number)
    except json.JSONDecodeError as problem:
        if problem.msg.startswith("Unterminated string") or problem.pos >= len(text.rstrip()):
            raise error(cut_short or tr("{name} is not valid JSON (line {line}, column {column}): the file ends "
                                        "too early, as if it was cut off."),
                        name=name, line=problem.lineno, column=problem.colno) from None
        raise error(tr("{name} is not valid JSON (line {line}, column {column}: {reason})."),
                    name=name, line=problem.lineno, column=problem.colno, reason=problem.msg) from None
    except _NotJson as problem:
        raise error(tr("{name} is not valid JSON: {value} is not a number JSON allows."),
                    name=name, value=str(problem)) from None
    except RecursionError:
        raise error(tr("{name} is nested too deeply to be read."), name=name) from None
    if _SURROGATE_ESCAPE.search(text):
        _check_surrogates(data, name, error)
    return data


def _not_a_number(text: str):
    raise _NotJson(text)


def _whole_number(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise _NotJson(f"{text[:12]}… ({len(text)} digits)")
    return int(text)


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJson(text)
    return value


def _check_surrogates(data, name: str, error: type[StorytellerError]) -> None:
    """An escaped half of a surrogate pair, alone, is a string no UTF-8 file can hold: saving it later would
    fail. Refused here, naming where it is."""
    stack = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                field = f"{where}.{key}" if where else str(key)
                if not _encodable(key):
                    where_key = where or "the file"
                    raise error(tr("{name}: a key in \"{field}\" is not valid Unicode text (it holds half of a "
                                   "surrogate pair)."), name=name, field=where_key)
                stack.append((item, field))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]") for index, item in enumerate(value))
        elif isinstance(value, str) and not _encodable(value):
            raise error(tr("{name}: \"{field}\" is not valid Unicode text (it holds half of a surrogate pair)."),
                        name=name, field=where or "the file")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_json_file(path: Path, error: type[StorytellerError] = StorytellerError, limit: int = MAX_FILE_BYTES):
    """`read_file` then `parse_json`, the file named by its path."""
    return parse_json(read_file(path, error, limit), str(path), error)


class JsonReader:
    """Type checks that name the file and the field in their message, raising `error`."""

    def __init__(self, name: str, error: type[StorytellerError] = StorytellerError):
        self.name = name
        self.error = error

    def fail(self, template: str, field: str, value, **params) -> StorytellerError:
        """`template` says what `field` must be; it gets the file's name, the field and the wrong value."""
        return self.error(template, name=self.name, field=field, type=type(value).__name__, value=short(value),
                          **params)

    def check_format(self, obj: dict, format_name: str, supported: int, *, not_ours: str, newer: str) -> None:
        """`obj` names `format_name` and a version this Storyteller reads (1 to `supported`); else the
        message `not_ours` or `newer` (each format words them its own way)."""
        if obj.get("format") != format_name:
            raise self.error(not_ours, name=self.name, format=format_name)
        version = obj.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.error(tr("{name} has no valid \"version\" number."), name=self.name)
        if version > supported:
            raise self.error(newer, name=self.name, version=version, supported=supported)

    def object(self, value, field: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(tr("{name}: \"{field}\" must be an object, not {type} {value}."), field, value)
        return value

    def array(self, value, field: str) -> list:
        if not isinstance(value, list):
            raise self.fail(tr("{name}: \"{field}\" must be a list, not {type} {value}."), field, value)
        return value

    def string(self, value, field: str) -> str:
        if not isinstance(value, str):
            raise self.fail(tr("{name}: \"{field}\" must be text, not {type} {value}."), field, value)
        return value

    def strings(self, value, field: str) -> list[str]:
        return [self.string(item, f"{field}[{index}]") for index, item in enumerate(self.array(value, field))]

    def boolean(self, value, field: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(tr("{name}: \"{field}\" must be true or false, not {type} {value}."), field, value)
        return value

    def integer(self, value, field: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(
                tr("{name}: \"{field}\" must be a whole number from {low} to {high}, not {type} {value}."),
                field, value, low=low, high=high,
            )
        return value

    def choice(self, value, field: str, enum: type[Enum]):
        allowed = [member.value for member in enum]
        if isinstance(value, (dict, list)) or value not in allowed:
            raise self.fail(tr('{name}: "{field}" must be one of {choices}, not {type} {value}.'),
                            field, value, choices=", ".join(map(str, allowed)))
        return enum(value)


def short(value) -> str:
    """The value as a message shows it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
