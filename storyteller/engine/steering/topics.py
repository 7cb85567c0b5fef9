"""Topic word lists: plain text files a writer can read and edit.

Built-in lists live in resources/steering/topics/; the writer's own in `<data dir>/topics/`
(a file there with a built-in's name replaces it). Format: `# name: 바다`, `# name_en: Sea`,
`# description: …` header lines, then one word or phrase per line; blank lines and other `#`
lines are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storyteller.engine.core.errors import SettingError, tr
from storyteller.engine.core.paths import data_dir, resource


@dataclass(frozen=True)
class TopicList:
    id: str
    name: str
    name_en: str
    description: str
    words: tuple[str, ...]
    path: Path
    builtin: bool


def user_topics_dir() -> Path:
    return data_dir() / "topics"


def read_topic_list(path: Path, builtin: bool = False) -> TopicList:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingError(tr("Cannot read the topic list {path}: {reason}"),
                           path=str(path), reason=str(error)) from error
    header, words = {}, []
    for line in lines:
        line = line.strip()
        if line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            if colon:
                header.setdefault(key.strip().lower(), value.strip())
        elif line and line not in words:
            words.append(line)
    if not words:
        raise SettingError(tr("The topic list {path} has no words: write one word per line."), path=str(path))
    return TopicList(
        id=path.stem,
        name=header.get("name", path.stem),
        name_en=header.get("name_en", header.get("name", path.stem)),
        description=header.get("description", ""),
        words=tuple(words),
        path=path,
        builtin=builtin,
    )


def read_topic_lists() -> tuple[dict[str, TopicList], dict[str, SettingError]]:
    """Every topic list by id, built-in first, the writer's own replacing or adding to them; and,
    by id, the error of each file that cannot be read (one broken file hides only itself)."""
    found: dict[str, TopicList] = {}
    problems: dict[str, SettingError] = {}
    for folder, builtin in ((resource("steering", "topics"), True), (user_topics_dir(), False)):
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            try:
                found[path.stem] = read_topic_list(path, builtin)
                problems.pop(path.stem, None)
            except SettingError as error:
                found.pop(path.stem, None)  # the writer meant to replace it: say why it is not used
                problems[path.stem] = error
    return found, problems


def topic_words(ids, extra_words=()) -> list[str]:
    """The words of the named lists plus `extra_words`, without duplicates."""
    lists, problems = read_topic_lists() if ids else ({}, {})
    words: list[str] = []
    for topic_id in ids:
        if topic_id in problems:
            raise problems[topic_id]
        if topic_id not in lists:
            raise SettingError(
                tr("There is no topic list named {name}. Known lists: {known}. Add your own as a .txt file in {folder}."),  # noqa: E501 (one translatable string)
                name=topic_id, known=", ".join(sorted(lists)), folder=str(user_topics_dir()),
            )
        words += lists[topic_id].words
    words += list(extra_words)
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))
