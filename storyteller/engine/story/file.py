"""`.story.json` files: a versioned UTF-8 JSON schema, strict loading, atomic saving, autosave.

Loading never modifies the file and turns every problem (not UTF-8, not JSON, a newer version,
a wrong type) into a StoryFileError that names it. Saving writes a temporary file in the same
directory, flushes and fsyncs it, then renames it over the old one: at every moment the file on
disk is either the old or the new complete story.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path

from storyteller.engine.core import paths
from storyteller.engine.core.atomic import write_atomic
from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.core.strict_json import JsonReader, parse_json, read_file
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import setting_of
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.story.document import (
    Author,
    Mode,
    Piece,
    Story,
    StoryServer,
    TidyOptions,
    WorldInfoEntry,
    normalize_text,
)
from storyteller.engine.story.world_info import Matching

FORMAT = "storyteller-story"
# 2: a version not chosen keeps the story that followed it ("branches": the version tree). A version 1
# file is a tree already, with no branches: its pieces and their versions load as they are.
VERSION = 2
SUFFIX = ".story.json"


class StoryFileError(StorytellerError):
    """A story file cannot be read or written."""


# -- writing --------------------------------------------------------------------------------------


def story_to_json(story: Story) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "id": story.id,
        "title": story.title,
        "mode": story.mode.value,
        "memory": story.memory,
        "authors_note": {
            "text": story.authors_note,
            "depth": story.authors_note_depth,
            "template": story.authors_note_template,
        },
        "world_info": {
            "scan_depth": story.world_info_scan_depth,
            # Keys match as words or as text: the words mode took the place of the whole-word one.
            "whole_word": story.world_info_matching is Matching.WORDS,
            **_unless_default(story, {"recursion": "world_info_recursion", "budget": "world_info_budget",
                                      "dynamic_scan": "world_info_dynamic_scan"}),
            "entries": [
                {
                    "keys": entry.keys,
                    "secondary_keys": entry.secondary_keys,
                    "content": entry.content,
                    "always_on": entry.always_on,
                    "enabled": entry.enabled,
                    "comment": entry.comment,
                    **_unless_default(entry, {"exclude_keys": "exclude_keys", "order": "order"}),
                }
                for entry in story.world_info
            ],
        },
        "chat": {
            "user_name": story.chat_user_name, "ai_name": story.chat_ai_name, "turn_length": story.chat_turn_length,
        },
        "play": {"turn_length": story.play_turn_length},
        "generation": story.generation.to_json(),
        # Steering left as it is saves as {}, as it always has.
        "steering": story.steering.to_json() if story.steering != SteeringSettings() else {},
        "tidy": {spec.name: getattr(story.tidy, spec.name) for spec in fields(TidyOptions)},
        # Optional: a story written locally has no "backend" key (files before servers had none).
        **({"backend": {"server": story.backend.server, "model": story.backend.model}} if story.backend else {}),
        "pieces": pieces_to_json(story.pieces),
    }


def _unless_default(obj, keys: dict[str, str]) -> dict:
    """{file key: value} of the fields (named by `keys`) that differ from their defaults: optional
    keys, so that files without these features stay as they were."""
    defaults = type(obj)(**({"keys": [], "content": ""} if isinstance(obj, WorldInfoEntry) else {}))
    return {key: getattr(obj, name) for key, name in keys.items() if getattr(obj, name) != getattr(defaults, name)}


def pieces_to_json(pieces: list[Piece]) -> list[dict]:
    """The pieces of a path, each with the branches of its versions not chosen (when it has any)."""
    saved = []
    for piece in pieces:
        data = {"author": piece.author.value, "versions": piece.versions, "chosen": piece.chosen,
                "pinned": piece.pinned}
        branches = [{"version": version, "pieces": pieces_to_json(rest)}
                    for version, rest in sorted(piece.branches.items()) if rest]
        if branches:
            data["branches"] = branches
        saved.append(data)
    return saved


def save_story(story: Story, path: Path) -> None:
    data = json.dumps(story_to_json(story), ensure_ascii=False, indent=1).encode("utf-8")
    try:
        write_atomic(Path(path), data)
    except OSError as error:
        raise StoryFileError(
            tr("The story could not be saved to {path}: {reason}."), path=path, reason=error.strerror or str(error)
        ) from error


# -- reading --------------------------------------------------------------------------------------


def load_story(path: Path) -> Story:
    path = Path(path)
    return story_from_bytes(read_file(path, StoryFileError), str(path))


def story_from_bytes(raw: bytes, name: str = "the story file") -> Story:
    data = parse_json(
        raw, name, StoryFileError,
        empty=tr("{name} is empty: it holds no story. Open another file, or a backup copy of this one."),
        cut_short=tr("{name} is not valid JSON (line {line}, column {column}): the file ends too early, as if it "
                     "was cut off while being written. Open a backup copy, or the recovery copy the app offers."),
    )
    return story_from_json(data, name)


def story_from_json(data, name: str = "the story file") -> Story:
    try:
        return _story_from_json(data, name)
    except RecursionError:  # branches within branches, deeper than Python recurses
        raise StoryFileError(tr("{name} is nested too deeply to be a story file."), name=name) from None


def _story_from_json(data, name: str) -> Story:
    reader = _Reader(name)
    obj = reader.object(data, "the file")
    reader.check_format(
        obj, FORMAT, VERSION,
        not_ours=tr("{name} is not a Storyteller story (its \"format\" is not \"{format}\")."),
        newer=tr(
            "{name} was saved by a newer Storyteller (story format version {version}; this one reads up to "
            "{supported}). Update Storyteller to open it."
        ),
    )
    note = reader.object(obj.get("authors_note", {}), "authors_note")
    world = reader.object(obj.get("world_info", {}), "world_info")
    chat = reader.object(obj.get("chat", {}), "chat")
    play = reader.object(obj.get("play", {}), "play")  # files before turn lengths have none: defaults
    tidy = reader.object(obj.get("tidy", {}), "tidy")
    defaults = Story()
    generation = reader.settings(obj.get("generation", {}), "generation", GenerationSettings)
    steering = reader.settings(obj.get("steering", {}), "steering", SteeringSettings)
    story = Story(
        id=_valid_id(reader.string(obj.get("id", defaults.id), "id")) or defaults.id,
        title=reader.string(obj.get("title", ""), "title"),
        mode=reader.choice(obj.get("mode", "story"), "mode", Mode),
        memory=reader.string(obj.get("memory", ""), "memory"),
        authors_note=reader.string(note.get("text", ""), "authors_note.text"),
        authors_note_depth=reader.declared(
            note.get("depth", defaults.authors_note_depth), "authors_note.depth", "authors_note_depth"
        ),
        authors_note_template=reader.string(
            note.get("template", defaults.authors_note_template), "authors_note.template"
        ),
        world_info_scan_depth=reader.declared(
            world.get("scan_depth", defaults.world_info_scan_depth), "world_info.scan_depth", "world_info_scan_depth"
        ),
        # whole_word used to be a regex that missed 철수가; it now means words with their particles.
        world_info_matching=Matching.WORDS if reader.boolean(world.get("whole_word", False), "world_info.whole_word")
        else Matching.TEXT,
        world_info_recursion=reader.declared(
            world.get("recursion", defaults.world_info_recursion), "world_info.recursion", "world_info_recursion"
        ),
        world_info_budget=reader.declared(
            world.get("budget", defaults.world_info_budget), "world_info.budget", "world_info_budget"
        ),
        world_info_dynamic_scan=reader.boolean(
            world.get("dynamic_scan", defaults.world_info_dynamic_scan), "world_info.dynamic_scan"
        ),
        world_info=[
            reader.world_info(entry, i)
            for i, entry in enumerate(reader.array(world.get("entries", []), "world_info.entries"))
        ],
        chat_user_name=reader.string(chat.get("user_name", defaults.chat_user_name), "chat.user_name"),
        chat_ai_name=reader.string(chat.get("ai_name", defaults.chat_ai_name), "chat.ai_name"),
        chat_turn_length=reader.declared(
            chat.get("turn_length", defaults.chat_turn_length), "chat.turn_length", "chat_turn_length"
        ),
        play_turn_length=reader.declared(
            play.get("turn_length", defaults.play_turn_length), "play.turn_length", "play_turn_length"
        ),
        generation=generation,
        steering=steering,
        tidy=TidyOptions(
            **{
                spec.name: reader.boolean(tidy.get(spec.name, spec.default), f"tidy.{spec.name}")
                for spec in fields(TidyOptions)
            }
        ),
        pieces=reader.pieces(obj.get("pieces", []), "pieces"),
        backend=reader.backend(obj.get("backend")),
    )
    return story


class _Reader(JsonReader):
    """The strict reader (engine/core/strict_json.py) and the story file's own structures."""

    def __init__(self, name: str, error: type[StoryFileError] = StoryFileError):
        super().__init__(name, error)

    def settings(self, value, field: str, kind: type[GenerationSettings] | type[SteeringSettings]):
        """`kind` from the object `field`: a setting this Storyteller does not know means a newer one saved
        it (settings join without a new format version); a wrong value names the field."""
        obj = self.object(value, field)
        unknown = _unknown_settings(kind, obj, field)
        if unknown:
            raise self.error(
                tr("{name} was saved by a newer Storyteller (it has settings this one does not know: {names}). "
                   "Update Storyteller to open it."),
                name=self.name, names=", ".join(unknown),
            )
        try:
            return kind.from_json(obj)
        except (TypeError, ValueError) as error:  # SettingError is a ValueError
            template = (tr("{name}: its generation settings are invalid: {error}") if kind is GenerationSettings
                        else tr("{name}: its steering settings are invalid: {error}"))
            raise self.error(template, name=self.name, error=error) from None

    def declared(self, value, field: str, name: str) -> int:
        """A whole number in the range Story declares for its field `name`."""
        return self.declared_in(Story, value, field, name)

    def declared_in(self, owner: type, value, field: str, name: str) -> int:
        """A whole number in the range `owner` declares for its field `name`."""
        declared = setting_of(owner, name)
        return self.integer(value, field, declared.low, declared.high)

    def pieces(self, value, field: str) -> list[Piece]:
        return [self.piece(piece, f"{field}[{i}]") for i, piece in enumerate(self.array(value, field))]

    def piece(self, value, field: str) -> Piece:
        obj = self.object(value, field)
        versions = [normalize_text(v) for v in self.strings(obj.get("versions"), f"{field}.versions")]
        if not versions:
            raise self.error(
                tr('{name}: "{field}.versions" must hold at least one text.'), name=self.name, field=field
            )
        chosen = self.integer(obj.get("chosen", 0), f"{field}.chosen", 0, len(versions) - 1)
        branches = {}
        for i, branch in enumerate(self.array(obj.get("branches", []), f"{field}.branches")):
            where = f"{field}.branches[{i}]"
            branch = self.object(branch, where)
            version = self.integer(branch.get("version"), f"{where}.version", 0, len(versions) - 1)
            if version == chosen or version in branches:
                raise self.error(
                    tr('{name}: "{field}.version" must be a version that is not chosen and has no other branch.'),
                    name=self.name, field=where,
                )
            branches[version] = self.pieces(branch.get("pieces", []), f"{where}.pieces")
        return Piece(
            author=self.choice(obj.get("author"), f"{field}.author", Author),
            versions=versions,
            chosen=chosen,
            pinned=self.boolean(obj.get("pinned", False), f"{field}.pinned"),
            branches={version: rest for version, rest in branches.items() if rest},
        )

    def backend(self, value) -> StoryServer | None:
        if value is None:
            return None
        obj = self.object(value, "backend")
        server = self.string(obj.get("server"), "backend.server")
        if not server.strip():
            raise self.error(tr('{name}: "backend.server" must name a server.'), name=self.name)
        return StoryServer(server, self.string(obj.get("model", ""), "backend.model"))

    def world_info(self, value, index: int) -> WorldInfoEntry:
        field = f"world_info.entries[{index}]"
        obj = self.object(value, field)
        return WorldInfoEntry(
            keys=self.strings(obj.get("keys", []), f"{field}.keys"),
            content=self.string(obj.get("content", ""), f"{field}.content"),
            secondary_keys=self.strings(obj.get("secondary_keys", []), f"{field}.secondary_keys"),
            always_on=self.boolean(obj.get("always_on", False), f"{field}.always_on"),
            enabled=self.boolean(obj.get("enabled", True), f"{field}.enabled"),
            comment=self.string(obj.get("comment", ""), f"{field}.comment"),
            exclude_keys=self.strings(obj.get("exclude_keys", []), f"{field}.exclude_keys"),
            order=self.declared_in(WorldInfoEntry, obj.get("order", 100), f"{field}.order", "order"),
        )


def _valid_id(value: str) -> str | None:
    """Story ids name recovery files, so only plain ids are kept; others get a fresh one."""
    return value if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value) else None


def _unknown_settings(kind: type, obj: dict, field: str) -> list[str]:
    """The keys of `obj` that name no field of the dataclass `kind`, nested settings (steering.latent)
    included, each as its path in the file."""
    known = {spec.name: spec for spec in fields(kind)}
    unknown = [f"{field}.{key}" for key in obj if key not in known]
    for key, value in obj.items():
        nested = known[key].default_factory if key in known else MISSING
        if isinstance(value, dict) and nested is not MISSING and is_dataclass(nested):
            unknown += _unknown_settings(nested, value, f"{field}.{key}")
    return unknown


# -- autosave and recovery ------------------------------------------------------------------------


# Seconds of quiet after an edit before the recovery copy is written: a crash loses little more.
AUTOSAVE_PAUSE_SECONDS = 2.0


class Autosaver:
    """Copies of unsaved work in the data directory, offered for recovery at the next start.

    `save_now` after each accepted generation and once the writer pauses for `interval` seconds
    (the app's debounced timer); `maybe_save` for a loop without a timer (it writes at most every
    `interval` seconds while there are changes). A clean save or close discards the copy.
    """

    def __init__(self, directory: Path | None = None, interval: float = AUTOSAVE_PAUSE_SECONDS):
        self.directory = Path(directory) if directory else paths.data_dir() / "recovery"
        self.interval = interval
        self._last_save = 0.0

    def path_for(self, story: Story) -> Path:
        return self.directory / f"{story.id}{SUFFIX}"

    def save_now(self, story: Story, original: Path | None = None) -> Path:
        data = story_to_json(story)
        data["recovery"] = {"original_path": str(original) if original else None, "saved_at": time.time()}
        target = self.path_for(story)
        write_atomic(target, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        self._last_save = time.monotonic()
        return target

    def maybe_save(self, story: Story, original: Path | None = None) -> Path | None:
        if time.monotonic() - self._last_save >= self.interval:
            return self.save_now(story, original)
        return None

    def discard(self, story: Story) -> None:
        self.path_for(story).unlink(missing_ok=True)

    def pending(self) -> list[tuple[Path, Story, str | None]]:
        """Recoverable stories: (recovery file, story, path it was last saved to), newest first.
        Unreadable copies are skipped, never deleted."""
        found = []
        if not self.directory.is_dir():
            return found
        for file in sorted(self.directory.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True):
            try:
                data = json.loads(file.read_bytes().decode("utf-8"))
                original = (data.pop("recovery", None) or {}).get("original_path")
                found.append((file, story_from_json(data, str(file)), original))
            except (StoryFileError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
                continue
        return found
