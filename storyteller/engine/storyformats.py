"""Export to .txt and .md; import .txt and KoboldAI saves, so their users can move over.

Imported stories start from the Default preset, as new ones do (a KoboldAI save holds no sampling)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import tr
from .presets import new_story_settings
from .story import Author, Piece, Story, WorldInfoEntry, normalize_text
from .storyfile import StoryFileError


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
    return story


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
    for suffix in (".story.json", ".json", ".txt"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
