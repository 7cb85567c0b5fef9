"""Scenarios: story templates to start new stories from, with placeholders filled in at the start.

A scenario holds what a story starts with (memory, author's note, world info, mode, chat names,
sampling and steering settings, and an opening text) but no story of its own. Any of its texts may
hold placeholders, NovelAI's syntax, so its scenarios keep theirs:

    ${주인공}                       a value asked for when the story starts
    ${주인공[민수]}                  ... with a default
    ${주인공[민수]:주인공의 이름}     ... with a default and what to ask
    ${주인공:주인공의 이름}           ... with what to ask but no default

A definition may appear once (anywhere); every other use is a plain `${주인공}`. Loading a scenario
moves the definitions into its `placeholders` list and leaves plain uses in the text.

Files (`NAME.scenario.json`, UTF-8 JSON) are versioned and loaded strictly like story files; the
template's settings are a story file's fields (nested, with the story format's own version, so a
story-format migration applies to them too):

    {"format": "storyteller-scenario", "version": 1, "title": "…", "description": "…",
     "placeholders": [{"key": "주인공", "default": "민수", "description": "주인공의 이름"}],
     "opening": "${주인공}은 …",
     "story": {"format": "storyteller-story", "version": 1, "mode": "story", "memory": "…", …}}

A template without "generation" leaves the sampling to the app's defaults when a story starts.
Shipped scenarios live in resources/scenarios/, the writer's own in <data dir>/scenarios/.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from storyteller.engine.core import paths
from storyteller.engine.core.atomic import write_atomic
from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.core.strict_json import JsonReader, load_json_file
from storyteller.engine.korean.analysis import PAIRED_PARTICLES, particle_form
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.presets import new_story_settings
from storyteller.engine.story.document import Author, Mode, Piece, Story, normalize_text
from storyteller.engine.story.file import StoryFileError, _Reader, story_from_json, story_to_json
from storyteller.engine.story.world_info import Matching

FORMAT = "storyteller-scenario"
VERSION = 1
SUFFIX = ".scenario.json"
_MAX_STEM_BYTES = 180

# `${key}`, `${key[default]}`, `${key:description}`, `${key[default]:description}`; NovelAI also allows an
# order (`${2#key}`) and a long description after a second colon, both accepted and not used here.
_PART = r"[^:@\[\]^{|}]"
PLACEHOLDER = re.compile(rf"\$\{{(?:\d+#)?({_PART}+?)(?:\[({_PART}*)\])?(?::({_PART}*))?(?::{_PART}*)?\}}")


class ScenarioError(StoryFileError):
    """A scenario cannot be read, written or started."""


@dataclass
class Placeholder:
    key: str
    default: str = ""
    description: str = ""  # what the app asks; the key when empty


@dataclass
class Scenario:
    title: str
    story: Story  # the template: everything but the text; its texts may hold placeholders
    opening: str = ""
    description: str = ""
    placeholders: list[Placeholder] = field(default_factory=list)
    keeps_settings: bool = True  # False: a story started from it gets the app's sampling defaults
    path: Path | None = None  # the file it was read from
    shipped: bool = False

    @property
    def key(self) -> str:
        """The name the CLI and the Play view know it by: its file's name without the suffix."""
        return self.path.name.removesuffix(SUFFIX) if self.path else self.title

    def missing(self, values: Mapping[str, str]) -> list[Placeholder]:
        """The placeholders that have neither a value in `values` nor a default."""
        return [p for p in self.placeholders if not (values.get(p.key) or "").strip() and not p.default]

    def start(self, values: Mapping[str, str] | None = None, generation: GenerationSettings | None = None) -> Story:
        """A new story from the template, each placeholder replaced by its value or default.

        `generation` is what the story gets when the scenario keeps no sampling of its own (the app's
        defaults; the Default preset when not given)."""
        values = dict(values or {})
        missing = self.missing(values)
        if missing:
            raise ScenarioError(
                tr("The scenario \"{title}\" needs a value for {keys}: give one (e.g. --set {example}=…)."),
                title=self.title, keys=", ".join(f"${{{p.key}}}" for p in missing), example=missing[0].key,
            )
        filled = {p.key: (values.get(p.key) or "").strip() or p.default for p in self.placeholders}
        story = copy.deepcopy(self.story)
        opening = map_texts(story, self.opening, lambda text: fill(text, filled))
        story.id = uuid.uuid4().hex
        story.title = story.title or self.title
        if opening:  # the template holds no pieces (the loader and scenario_from_story see to it)
            story.pieces.append(Piece.of(Author.WRITER, opening))
        if not self.keeps_settings:
            story.generation = generation or new_story_settings()
        return story


# -- placeholders ---------------------------------------------------------------------------------


# A particle right after a placeholder is written for some value; it is made to fit the value that
# fills it (민수는, 지훈은).
_PARTICLE = "|".join(sorted((form for pair in PAIRED_PARTICLES for form in pair), key=len, reverse=True))  # 으로, 로
_FILLED = re.compile(PLACEHOLDER.pattern + f"(?:({_PARTICLE})(?![가-힣]))?")


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each placeholder whose key has a value replaced, and the particle after it made to
    fit the value; placeholders without a value stay as they are."""

    def replace(match: re.Match) -> str:
        key, particle = match.group(1).strip(), match.group(4)
        if key not in values:
            return match.group(0)
        value = values[key]
        return value + ((particle_form(value, particle) or particle) if particle else "")

    return _FILLED.sub(replace, text)


def collect_placeholders(scenario: Scenario) -> None:
    """Move the definitions in the scenario's texts into `placeholders` (the first definition of a
    key wins over later ones, a declared one over all), leaving plain `${key}` uses in the texts."""
    known = {p.key: p for p in scenario.placeholders}

    def extract(text: str) -> str:
        def plain(match: re.Match) -> str:
            key, default, description = (part.strip() if part else "" for part in match.groups())
            if not key:  # `${ }` names nothing: left as it is, in the text and when it is filled
                return match.group(0)
            found = known.get(key)
            if found is None:
                found = known[key] = Placeholder(key)
                scenario.placeholders.append(found)
            found.default = found.default or default
            found.description = found.description or description
            return f"${{{key}}}"

        return PLACEHOLDER.sub(plain, text)

    scenario.opening = map_texts(scenario.story, scenario.opening, extract)


def map_texts(story: Story, opening: str, change: Callable[[str], str]) -> str:
    """Apply `change` to every text of the template where a placeholder may stand; returns the
    changed opening."""
    story.title = change(story.title)
    story.memory = change(story.memory)
    story.authors_note = change(story.authors_note)
    story.chat_user_name = change(story.chat_user_name)
    story.chat_ai_name = change(story.chat_ai_name)
    for entry in story.world_info:
        entry.keys = [change(key) for key in entry.keys]
        entry.secondary_keys = [change(key) for key in entry.secondary_keys]
        entry.content = change(entry.content)
        entry.comment = change(entry.comment)
    return change(opening)


# -- from a story ---------------------------------------------------------------------------------


def scenario_from_story(story: Story, title: str = "", description: str = "") -> Scenario:
    """The story as a template: its text becomes the opening; `${…}` in it become placeholders."""
    template = copy.deepcopy(story)
    template.pieces = []
    scenario = Scenario(title=title.strip() or story.title or "시나리오", story=template,
                        opening=story.text(), description=description.strip())
    collect_placeholders(scenario)
    return scenario


# -- files ----------------------------------------------------------------------------------------


def scenario_to_json(scenario: Scenario) -> dict:
    story = story_to_json(scenario.story)
    for own in ("id", "pieces"):  # a template has neither: each story started from it gets its own
        story.pop(own, None)
    if not scenario.keeps_settings:
        story.pop("generation", None)
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": scenario.title,
        "description": scenario.description,
        "placeholders": [
            {"key": p.key, "default": p.default, "description": p.description} for p in scenario.placeholders
        ],
        "opening": scenario.opening,
        "story": story,
    }


def save_scenario(scenario: Scenario, path: Path) -> Path:
    path = Path(path)
    data = json.dumps(scenario_to_json(scenario), ensure_ascii=False, indent=1).encode("utf-8")
    try:
        write_atomic(path, data)
    except OSError as error:
        raise ScenarioError(
            tr("The scenario could not be saved to {path}: {reason}."), path=path, reason=error.strerror or str(error)
        ) from error
    scenario.path = path
    return path


def read_json(path: Path):
    """A scenario-like file's JSON, read as strictly as any file from outside (engine/core/strict_json.py)."""
    return load_json_file(path, ScenarioError)


def read_placeholder(reader: JsonReader, entry: dict, field: str, names: tuple[str, str, str]) -> Placeholder:
    """A declared placeholder from the object `entry`, its key, default and description under `names`
    (a missing or null default or description is empty); a key that no `${…}` can hold is refused."""
    key_name, default_name, description_name = names
    key = reader.string(entry.get(key_name), f"{field}.{key_name}").strip()
    match = PLACEHOLDER.fullmatch(f"${{{key}}}")
    if match is None or match.group(1).strip() != key:
        raise ScenarioError(
            tr("{name}: \"{field}\" is \"{key}\"; a placeholder's key is a name without : [ ] {{ }} | @ ^."),
            name=reader.name, field=f"{field}.{key_name}", key=key,
        )
    default, description = (reader.string(_or_empty(entry.get(part)), f"{field}.{part}")
                            for part in (default_name, description_name))
    return Placeholder(key, default, description)


def _or_empty(value):
    return "" if value is None else value


def is_scenario_json(data) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def load_scenario(path: Path, shipped: bool = False) -> Scenario:
    path = Path(path)
    scenario = scenario_from_json(read_json(path), str(path))
    scenario.path, scenario.shipped = path, shipped
    return scenario


def scenario_from_json(data, name: str = "the scenario file") -> Scenario:
    reader = _Reader(name, ScenarioError)
    obj = reader.object(data, "the file")
    reader.check_format(
        obj, FORMAT, VERSION,
        not_ours=tr("{name} is not a Storyteller scenario (its \"format\" is not \"{format}\")."),
        newer=tr("{name} was saved by a newer Storyteller (scenario format version {version}; this one reads up to "
                 "{supported}). Update Storyteller to use it."),
    )
    template = reader.object(obj.get("story", {"format": "storyteller-story", "version": 1}), "story")
    story = story_from_json(template, f"{name} (\"story\")")
    world = template.get("world_info")
    if not (isinstance(world, dict) and "whole_word" in world):
        # A scenario starts new stories, and new stories match keys as words (with their particles),
        # blank or not; only a story file without the field is an old one that matched text.
        story.world_info_matching = Matching.WORDS
    if story.pieces:
        raise ScenarioError(
            tr("{name}: the story of a scenario holds no pieces; put the text that starts it in \"opening\"."),
            name=name,
        )
    placeholders = []
    for index, item in enumerate(reader.array(obj.get("placeholders", []), "placeholders")):
        entry = reader.object(item, f"placeholders[{index}]")
        placeholders.append(read_placeholder(reader, entry, f"placeholders[{index}]",
                                             ("key", "default", "description")))
    scenario = Scenario(
        title=reader.string(obj.get("title", ""), "title").strip() or Path(name).name.removesuffix(SUFFIX),
        story=story,
        opening=normalize_text(reader.string(obj.get("opening", ""), "opening")),
        description=reader.string(obj.get("description", ""), "description"),
        placeholders=placeholders,
        keeps_settings="generation" in template,
    )
    collect_placeholders(scenario)
    return scenario


# -- the library: shipped and the writer's own ------------------------------------------------------


def shipped_dir() -> Path:
    return paths.resource("scenarios")


def user_dir() -> Path:
    return paths.data_dir() / "scenarios"


@dataclass
class Library:
    scenarios: list[Scenario]  # shipped first, then the writer's own, each by file name
    problems: list[StorytellerError]  # files that could not be read: shown, never deleted

    def find(self, name: str) -> Scenario:
        """A scenario by its key (file name without the suffix) or title."""
        for scenario in self.scenarios:
            if name in (scenario.key, scenario.title):
                return scenario
        raise ScenarioError(
            tr("There is no scenario named \"{name}\". `storyteller scenario list` shows them; a file path works too."),
            name=name,
        )


def library() -> Library:
    scenarios, problems = [], []
    for folder, shipped in ((shipped_dir(), True), (user_dir(), False)):
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob(f"*{SUFFIX}")):
            try:
                scenarios.append(load_scenario(file, shipped=shipped))
            except StorytellerError as error:
                problems.append(error)
    return Library(scenarios, problems)


def adventure_starters() -> dict[str, Scenario]:
    """The shipped adventure scenarios, by key: the Play view's genres."""
    return {s.key: s for s in library().scenarios if s.shipped and s.story.mode is Mode.ADVENTURE}


def user_path_for(title: str, unique: bool = False) -> Path:
    """Where the writer's scenario of this title is saved: a file name made from the title; with
    `unique`, one no file has yet (제목-2, 제목-3, …)."""
    stem = re.sub(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+', "_", title.strip()).strip("._")[:80]
    while len(stem.encode("utf-8")) > _MAX_STEM_BYTES:  # a file name is at most 255 bytes, a temporary's too
        stem = stem[:-1]
    stem = stem or "scenario"
    path, number = user_dir() / f"{stem}{SUFFIX}", 2
    while unique and path.exists():
        path, number = user_dir() / f"{stem}-{number}{SUFFIX}", number + 1
    return path
