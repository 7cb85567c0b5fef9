"""Export to .txt and .md; import .txt, KoboldAI saves and NovelAI / KoboldAI Lite scenarios, so their users
can move over (.docx and .epub manuscripts: manuscript.py).

Imported stories start from the Default preset, as new ones do (a KoboldAI save holds no sampling)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storyteller.engine.core.errors import tr
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
    """A .txt file: each paragraph (a non-empty line) becomes a writer piece."""
    path = Path(path)
    raw = _read(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoryFileError(
            tr("{path} is not UTF-8 text (invalid byte at position {position}); save it as UTF-8 and import again."),
            path=path, position=error.start,
        ) from None
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    pieces = [Piece.of(Author.WRITER, p + ("\n" if i < len(paragraphs) - 1 else "")) for i, p in enumerate(paragraphs)]
    return Story(title=_title_from(path), pieces=pieces, generation=new_story_settings())


def import_kobold(path: Path) -> Story:
    """A KoboldAI story save: `prompt`, `actions`, `memory`, `authorsnote`, `worldinfo`.

    Both the classic client's list of actions and KoboldAI United's `{"actions": {"0":
    {"Selected Text": …, "Options": […]}}}` are read; United's options become alternatives.
    """
    path = Path(path)
    try:
        data = json.loads(_read(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoryFileError(
            tr("{path} is not a KoboldAI story file ({reason})."), path=path, reason=str(error)
        ) from None
    if not isinstance(data, dict) or "actions" not in data:
        raise StoryFileError(tr("{path} is not a KoboldAI story file: it has no \"actions\"."), path=path)
    story = Story(title=_title_from(path), generation=new_story_settings())
    prompt = _text(data.get("prompt", ""), "prompt", path)
    if prompt:
        story.pieces.append(Piece.of(Author.WRITER, prompt))
    for versions, chosen in _kobold_actions(data["actions"], path):
        story.pieces.append(Piece(Author.MODEL, versions, chosen))
    _kobold_notes(story, data, path)
    return story


def _kobold_notes(story: Story, data: dict, path: Path) -> None:
    """Memory, author's note and world info of a KoboldAI (or KoboldAI Lite) save or scenario."""
    story.memory = _text(data.get("memory", ""), "memory", path)
    story.authors_note = _text(data.get("authorsnote", ""), "authorsnote", path)
    template = data.get("anotetemplate")
    if isinstance(template, str) and "<|>" in template:
        story.authors_note_template = template.replace("<|>", "{note}")
    for entry in data.get("worldinfo") or []:
        if not isinstance(entry, dict) or not (entry.get("key") or entry.get("constant")):
            continue  # KoboldAI keeps an empty placeholder entry at the end
        story.world_info.append(
            WorldInfoEntry(
                keys=_keys(entry.get("key", "")),
                secondary_keys=_keys(entry.get("keysecondary", "")) if entry.get("selective") else [],
                content=_text(entry.get("content", ""), "worldinfo content", path),
                always_on=bool(entry.get("constant", False)),
                comment=str(entry.get("comment") or ""),
            )
        )


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
    data = read_json(path, tr("a scenario"))
    if is_scenario_json(data):
        return load_scenario(path)
    if isinstance(data, dict) and "scenarioVersion" in data:
        return novelai_scenario(data, path)
    if isinstance(data, dict) and any(key in data for key in ("prompt", "memory", "worldinfo", "actions")):
        return kobold_scenario(data, path)
    raise ScenarioError(
        tr("{path} is not a scenario Storyteller reads: not a Storyteller scenario (.scenario.json), a NovelAI "
           ".scenario, or a KoboldAI Lite scenario or save (.json)."),
        path=path,
    )


def novelai_scenario(data: dict, path: Path) -> Scenario:
    context = data.get("context") or []
    if not isinstance(context, list):
        raise ScenarioError(tr("{path}: \"{field}\" must be a list."), path=path, field="context")
    texts = [_text(entry.get("text", ""), "context.text", path) for entry in context if isinstance(entry, dict)]
    story = Story(
        title=_text(data.get("title", ""), "title", path),
        memory=texts[0] if texts else "",
        authors_note=texts[1] if len(texts) > 1 else "",
    )
    lorebook = data.get("lorebook") or {}
    for entry in (lorebook.get("entries") or []) if isinstance(lorebook, dict) else []:
        if not isinstance(entry, dict):
            continue
        keys = [key for key in entry.get("keys") or [] if isinstance(key, str) and key.strip()]
        story.world_info.append(WorldInfoEntry(
            keys=keys,
            content=_text(entry.get("text", ""), "lorebook.entries.text", path),
            always_on=bool(entry.get("forceActivation", False)),
            enabled=entry.get("enabled", True) is not False,
            comment=str(entry.get("displayName") or ""),
        ))
    placeholders = [
        Placeholder(str(item["key"]).strip(), str(item.get("defaultValue") or ""), str(item.get("description") or ""))
        for item in data.get("placeholders") or []
        if isinstance(item, dict) and str(item.get("key") or "").strip()
    ]
    return _imported(story, data.get("prompt", ""), data.get("description", ""), placeholders, path)


def kobold_scenario(data: dict, path: Path) -> Scenario:
    settings = data.get("savedsettings") if isinstance(data.get("savedsettings"), dict) else {}
    story = Story(title=str(data.get("title") or ""),
                  mode=KOBOLD_MODES.get(data.get("opmode", settings.get("opmode")), Mode.STORY))
    _kobold_notes(story, data, path)
    opening = _text(data.get("prompt", ""), "prompt", path)
    if "actions" in data:  # a save: its story so far is the opening (the chosen text of each action)
        opening += "".join(versions[chosen] for versions, chosen in _kobold_actions(data["actions"], path))
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
            name = data.get(name_field, settings.get(name_field))
            placeholders.append(Placeholder(key, name.strip() if isinstance(name, str) and name.strip() else fallback))
    return _imported(story, opening, data.get("desc", ""), placeholders, path)


def _imported(story: Story, opening, description, placeholders: list[Placeholder], path: Path) -> Scenario:
    scenario = Scenario(
        title=story.title or _title_from(path), story=story,
        opening=normalize_text(_text(opening, "prompt", path)),
        description=description if isinstance(description, str) else "",
        placeholders=placeholders, keeps_settings=False,
    )
    collect_placeholders(scenario)
    return scenario


def _kobold_actions(actions, path: Path):
    if isinstance(actions, list):
        for action in actions:
            yield [normalize_text(_text(action, "actions", path))], 0
        return
    if isinstance(actions, dict):
        items = actions.get("actions", actions)
        numbered = sorted(((int(k), v) for k, v in items.items() if str(k).isdigit()), key=lambda kv: kv[0])
        for _, action in numbered:
            if not isinstance(action, dict):
                continue
            selected = _text(action.get("Selected Text", ""), "actions", path)
            others = [
                o.get("text")
                for o in action.get("Options", [])
                if isinstance(o, dict) and isinstance(o.get("text"), str)
            ]
            others = [o for o in others if o != selected]
            yield [normalize_text(t) for t in (selected, *others)], 0
        return
    raise StoryFileError(tr("{path}: \"actions\" must be a list or an object."), path=path)


def _keys(value) -> list[str]:
    return [key.strip() for key in str(value).split(",") if key.strip()]


def _text(value, field: str, path: Path) -> str:
    if not isinstance(value, str):
        raise StoryFileError(
            tr("{path}: \"{field}\" must be text, not {type}."), path=path, field=field, type=type(value).__name__
        )
    return value


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise StoryFileError(
            tr("{path} cannot be read: {reason}."), path=path, reason=error.strerror or str(error)
        ) from None


def _title_from(path: Path) -> str:
    name = path.name
    for suffix in (".story.json", ".scenario.json", ".scenario", ".json", ".txt"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
