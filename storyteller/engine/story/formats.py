"""Export to .txt and .md; import .txt and .md, KoboldAI saves and NovelAI / KoboldAI Lite scenarios, so their users
can move over (.docx and .epub manuscripts: manuscript.py).

Imported stories start from the Default preset, as new ones do (a KoboldAI save holds no sampling)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from storyteller.engine.core.errors import tr
from storyteller.engine.core.strict_json import JsonReader, load_json_file, read_file
from storyteller.engine.settings.presets import new_story_settings
from storyteller.engine.story.document import Author, Mode, Piece, Story, WorldInfoEntry, normalize_text
from storyteller.engine.story.file import StoryFileError
from storyteller.engine.story.scenarios import (
    Placeholder,
    Scenario,
    ScenarioError,
    collect_placeholders,
    is_scenario_json,
    load_scenario,
    map_texts,
    read_json,
    read_placeholder,
)


def export_text(story: Story) -> str:
    return story.text().strip() + "\n"


def export_markdown(story: Story) -> str:
    """Title as a heading; player actions as block quotes so they stand apart from the prose."""
    heading = f"# {story.title}\n\n" if story.title else ""
    body = []
    for piece in story.pieces:
        if piece.author is Author.PLAYER:
            action = piece.text.strip()
            body.append("\n\n" + "\n".join(f"> {line.lstrip('> ')}" for line in action.splitlines()) + "\n\n")
        else:
            body.append(piece.text)
    text = re.sub(r"\n{3,}", "\n\n", "".join(body)).strip()
    # Markdown joins single newlines into one paragraph; a trailing double space keeps the break.
    text = re.sub(r"(?<=[^\n>])\n(?=[^\n])", "  \n", text)
    return heading + text + "\n"


def import_text(path: Path) -> Story:
    """A .txt or .md file: each paragraph (a non-empty line) becomes a writer piece; past MAX_PIECES
    paragraphs, consecutive ones share a piece so that there are at most that many. Markdown's first
    `# heading` is the title. UTF-8 (with or without a BOM), or UTF-16 or UTF-32 with their BOM; control
    characters no editor shows are dropped; a file with NUL characters is not text and is refused."""
    path = Path(path)
    text = _INVISIBLE.sub("", _decode_text(read_file(path, StoryFileError), path)).replace("\xa0", " ")
    # Split at every kind of line break, no-break spaces made spaces: the pieces are normalized text.
    paragraphs = list(filter(None, map(str.strip, text.splitlines())))
    title = _title_from(path)
    if path.suffix.lower() == ".md" and paragraphs and paragraphs[0].startswith("# "):
        title = paragraphs.pop(0)[2:].strip() or title
    size = -(-len(paragraphs) // MAX_PIECES)  # paragraphs a piece: 1 up to MAX_PIECES of them
    texts = ["\n".join(paragraphs[start:start + size]) for start in range(0, len(paragraphs), size or 1)]
    pieces = [Piece(Author.WRITER, [t + ("\n" if i < len(texts) - 1 else "")]) for i, t in enumerate(texts)]
    return Story(title=title, pieces=pieces, generation=new_story_settings())


# A text of a million short lines would make a story too slow to save, open and show.
MAX_PIECES = 10_000
# C0 controls but tab and the line breaks, and DEL: no editor shows them and manuscripts cannot hold them.
_INVISIBLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _decode_text(raw: bytes, path: Path) -> str:
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise StoryFileError(
            tr("{path} is not UTF-8 text (invalid byte at position {position}); save it as UTF-8 and import again."),
            path=path, position=error.start,
        ) from None
    if "\x00" in text:
        raise StoryFileError(
            tr("{path} holds NUL characters at position {position}: it is not a text file, or it is UTF-16 text "
               "without a byte order mark. Save it as UTF-8 and import again."),
            path=path, position=text.index("\x00"),
        )
    return text


def import_kobold(path: Path) -> Story:
    """A KoboldAI story save: `prompt`, `actions`, `memory`, `authorsnote`, `worldinfo`.

    Both the classic client's list of actions and KoboldAI United's `{"actions": {"0":
    {"Selected Text": …, "Options": […]}}}` are read; United's options become alternatives.
    """
    path = Path(path)
    data = load_json_file(path, StoryFileError)
    if not isinstance(data, dict) or "actions" not in data:
        raise StoryFileError(tr("{path} is not a KoboldAI story file: it has no \"actions\"."), path=path)
    reader = JsonReader(str(path), StoryFileError)
    story = Story(title=_title_from(path), generation=new_story_settings())
    prompt = normalize_text(reader.string(_get(data, "prompt", ""), "prompt"))
    if prompt:
        story.pieces.append(Piece.of(Author.WRITER, prompt))
    for versions, chosen in _kobold_actions(reader, data["actions"]):
        story.pieces.append(Piece(Author.MODEL, versions, chosen))
    _kobold_notes(story, data, reader)
    return story


def _kobold_notes(story: Story, data: dict, reader: JsonReader) -> None:
    """Memory, author's note and world info of a KoboldAI (or KoboldAI Lite) save or scenario."""
    story.memory = reader.string(_get(data, "memory", ""), "memory")
    story.authors_note = reader.string(_get(data, "authorsnote", ""), "authorsnote")
    template = reader.string(_get(data, "anotetemplate", ""), "anotetemplate")
    if "<|>" in template:
        story.authors_note_template = template.replace("<|>", "{note}")
    for index, item in enumerate(reader.array(_get(data, "worldinfo", []), "worldinfo")):
        where = f"worldinfo[{index}]"
        entry = reader.object(item, where)
        keys = _keys(reader.string(_get(entry, "key", ""), f"{where}.key"))
        always_on = reader.boolean(_get(entry, "constant", False), f"{where}.constant")
        if not keys and not always_on:
            continue  # KoboldAI keeps an empty placeholder entry at the end
        selective = reader.boolean(_get(entry, "selective", False), f"{where}.selective")
        story.world_info.append(WorldInfoEntry(
            keys=keys,
            secondary_keys=_keys(reader.string(_get(entry, "keysecondary", ""), f"{where}.keysecondary"))
            if selective else [],
            content=reader.string(_get(entry, "content", ""), f"{where}.content"),
            always_on=always_on,
            comment=reader.string(_get(entry, "comment", ""), f"{where}.comment"),
        ))


# -- scenarios --------------------------------------------------------------------------------------
# Their formats as their apps' public code writes them: NovelAI's `Scenario` class (scenarioVersion,
# prompt, context [memory, author's note], lorebook.entries with keys/text/displayName, placeholders
# with key/defaultValue/description) and KoboldAI Lite's scenarios and saves (prompt, memory,
# authorsnote, worldinfo; opmode 2 adventure, 3 chat; {{user}} and {{char}} stand for chatname and
# chatopponent). Their sampling is made for other models, so the story gets the app's defaults.

KOBOLD_MODES = {2: Mode.ADVENTURE, 3: Mode.CHAT}
# Lite fills these with the chat names; here they become placeholders the writer is asked for.
KOBOLD_NAMES = {"{{user}}": ("user", "chatname", "사용자"), "{{char}}": ("char", "chatopponent", "AI")}


def import_scenario(path: Path) -> Scenario:
    """A Storyteller scenario, a NovelAI `.scenario` or a KoboldAI Lite scenario or save (JSON)."""
    path = Path(path)
    data = read_json(path)
    if is_scenario_json(data):
        return load_scenario(path)
    reader = JsonReader(str(path), ScenarioError)
    if isinstance(data, dict) and "scenarioVersion" in data:
        return novelai_scenario(data, path, reader)
    if isinstance(data, dict) and any(key in data for key in ("prompt", "memory", "worldinfo", "actions")):
        return kobold_scenario(data, path, reader)
    raise ScenarioError(
        tr("{path} is not a scenario Storyteller reads: not a Storyteller scenario (.scenario.json), a NovelAI "
           ".scenario, or a KoboldAI Lite scenario or save (.json)."),
        path=path,
    )


def novelai_scenario(data: dict, path: Path, reader: JsonReader) -> Scenario:
    texts = [
        reader.string(_get(reader.object(entry, f"context[{index}]"), "text", ""), f"context[{index}].text")
        for index, entry in enumerate(reader.array(_get(data, "context", []), "context"))
    ]
    story = Story(
        title=reader.string(_get(data, "title", ""), "title"),
        memory=texts[0] if texts else "",
        authors_note=texts[1] if len(texts) > 1 else "",
    )
    lorebook = reader.object(_get(data, "lorebook", {}), "lorebook")
    for index, item in enumerate(reader.array(_get(lorebook, "entries", []), "lorebook.entries")):
        where = f"lorebook.entries[{index}]"
        entry = reader.object(item, where)
        story.world_info.append(WorldInfoEntry(
            keys=[key for key in reader.strings(_get(entry, "keys", []), f"{where}.keys") if key.strip()],
            content=reader.string(_get(entry, "text", ""), f"{where}.text"),
            always_on=reader.boolean(_get(entry, "forceActivation", False), f"{where}.forceActivation"),
            enabled=reader.boolean(_get(entry, "enabled", True), f"{where}.enabled"),
            comment=reader.string(_get(entry, "displayName", ""), f"{where}.displayName"),
        ))
    placeholders = [
        read_placeholder(reader, reader.object(item, f"placeholders[{index}]"), f"placeholders[{index}]",
                         ("key", "defaultValue", "description"))
        for index, item in enumerate(reader.array(_get(data, "placeholders", []), "placeholders"))
    ]
    return _imported(story, reader.string(_get(data, "prompt", ""), "prompt"),
                     reader.string(_get(data, "description", ""), "description"), placeholders, path)


def kobold_scenario(data: dict, path: Path, reader: JsonReader) -> Scenario:
    settings = reader.object(_get(data, "savedsettings", {}), "savedsettings")
    where, mode = ("opmode", data) if data.get("opmode") is not None else ("savedsettings.opmode", settings)
    opmode = reader.integer(_get(mode, "opmode", 1), where, -(2**31), 2**31)
    story = Story(title=reader.string(_get(data, "title", ""), "title"), mode=KOBOLD_MODES.get(opmode, Mode.STORY))
    _kobold_notes(story, data, reader)
    opening = reader.string(_get(data, "prompt", ""), "prompt")
    if "actions" in data:  # a save: its story so far is the opening (the chosen text of each action)
        opening += "".join(versions[chosen] for versions, chosen in _kobold_actions(reader, data["actions"]))
    if story.mode is Mode.CHAT:
        story.chat_user_name, story.chat_ai_name = "{{user}}", "{{char}}"
    used = set()

    def as_placeholders(text: str) -> str:
        for marker, (key, _, _) in KOBOLD_NAMES.items():
            if marker in text:
                used.add(marker)
                text = text.replace(marker, f"${{{key}}}")
        return text

    opening = map_texts(story, opening, as_placeholders)
    placeholders = []
    for marker, (key, name_field, fallback) in KOBOLD_NAMES.items():
        if marker in used:
            own = data.get(name_field) is not None
            name = reader.string(_get(data if own else settings, name_field, ""),
                                 name_field if own else f"savedsettings.{name_field}").strip()
            placeholders.append(Placeholder(key, name or fallback))
    return _imported(story, opening, reader.string(_get(data, "desc", ""), "desc"), placeholders, path)


def _imported(story: Story, opening: str, description: str, placeholders: list[Placeholder], path: Path) -> Scenario:
    scenario = Scenario(
        title=story.title or _title_from(path), story=story, opening=normalize_text(opening),
        description=description, placeholders=placeholders, keeps_settings=False,
    )
    collect_placeholders(scenario)
    return scenario


def _kobold_actions(reader: JsonReader, actions):
    """(versions, chosen) of each action: the classic list of texts, or United's numbered objects."""
    if isinstance(actions, list):
        for index, action in enumerate(actions):
            yield [normalize_text(reader.string(action, f"actions[{index}]"))], 0
        return
    if not isinstance(actions, dict):
        raise reader.fail(tr("{name}: \"{field}\" must be a list or an object, not {type} {value}."),
                          "actions", actions)
    where = "actions.actions" if "actions" in actions else "actions"
    items = reader.object(actions.get("actions", actions), where)
    numbered = sorted((int(key), key) for key in items if re.fullmatch(r"[0-9]{1,9}", key))
    for _, key in numbered:
        action = reader.object(items[key], f"{where}.{key}")
        selected = reader.string(_get(action, "Selected Text", ""), f"{where}.{key}.Selected Text")
        others = []
        for index, option in enumerate(reader.array(_get(action, "Options", []), f"{where}.{key}.Options")):
            text = reader.string(_get(reader.object(option, f"{where}.{key}.Options[{index}]"), "text", ""),
                                 f"{where}.{key}.Options[{index}].text")
            if text != selected and text not in others:
                others.append(text)
        yield [normalize_text(text) for text in (selected, *others)], 0


def _get(obj: dict, key: str, default):
    """`obj[key]`, or `default` when it is missing or null (other apps write null for "not set")."""
    value = obj.get(key)
    return default if value is None else value


def _keys(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def _title_from(path: Path) -> str:
    name = path.name
    for suffix in (".story.json", ".scenario.json", ".scenario", ".json", ".txt", ".md"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
