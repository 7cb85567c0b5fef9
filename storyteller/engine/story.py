"""The story document: pieces by author with alternatives, memory, author's note, world info,
mode and per-story settings. Pure data plus the rules that read it; files live in storyfile.py,
edits with undo in history.py."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from enum import Enum

from .errors import tr
from .schema import setting
from .settings import GenerationSettings
from .steering.settings import SteeringSettings


_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\xa0": " "})


def normalize_text(text: str) -> str:
    """Line breaks as \n and no-break spaces as spaces: what a text editor shows, so the story
    and its editor always hold the same characters (web-copied text brings \xa0 and \r\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)


class Author(str, Enum):
    WRITER = "writer"
    MODEL = "model"
    PLAYER = "player"  # an adventure action or a chat turn typed by the player


class Mode(str, Enum):
    STORY = "story"
    ADVENTURE = "adventure"
    CHAT = "chat"


@dataclass
class Piece:
    """A stretch of text by one author, with every version of it: retry adds one, and so does each
    burst of editing it. `chosen` is the one in the story, `pinned` protects it from retry.

    The story is one path through a tree (see engine/tree.py): `Story.pieces` are the chosen
    versions, and each version not chosen keeps in `branches` the story that followed it when it
    was left (a version with no entry ends there). Choosing a version brings its branch back."""

    author: Author
    versions: list[str]
    chosen: int = 0
    pinned: bool = False
    branches: dict[int, list[Piece]] = field(default_factory=dict)

    @classmethod
    def of(cls, author: Author, text: str) -> Piece:
        return cls(Author(author), [normalize_text(text)])

    def copy(self) -> Piece:
        """A copy to edit: its own versions and branch table. The pieces in the branches are shared,
        not copied: every edit of them is an undo step, undone before this copy's own step is, so
        they are as they were whenever the copy is put back (and typing stays fast in a big tree)."""
        return Piece(self.author, list(self.versions), self.chosen, self.pinned, dict(self.branches))

    @property
    def text(self) -> str:
        return self.versions[self.chosen]

    @text.setter
    def text(self, value: str) -> None:
        self.versions[self.chosen] = value


@dataclass
class WorldInfoEntry:
    """Background the model gets only while the story mentions it.

    Keys match as substrings by default, because Korean particles attach to names: the key 철수
    must match 철수가 and 철수는. With secondary keys, one of them must match too.
    """

    keys: list[str]
    content: str
    secondary_keys: list[str] = field(default_factory=list)
    always_on: bool = False
    enabled: bool = True
    comment: str = ""

    def matches(self, text: str, whole_word: bool = False) -> bool:
        if not self.enabled:
            return False
        if self.always_on:
            return True
        found = any(_contains(text, key, whole_word) for key in self.keys)
        if found and self.secondary_keys:
            return any(_contains(text, key, whole_word) for key in self.secondary_keys)
        return found


def _contains(text: str, key: str, whole_word: bool) -> bool:
    key = key.strip()
    if not key:
        return False
    if not whole_word:
        return key.casefold() in text.casefold()
    return re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text, re.IGNORECASE) is not None


@dataclass
class TidyOptions:
    trim_incomplete_sentence: bool = True
    remove_blank_lines: bool = False
    strip_special_tokens: bool = True


@dataclass
class Story:
    title: str = ""
    pieces: list[Piece] = field(default_factory=list)
    memory: str = ""
    authors_note: str = ""
    authors_note_depth: int = setting(
        3, int, 0, 1_000_000, label=tr("Depth (paragraphs)"),
        help=tr("How many paragraphs before the end of the story the note is inserted (0: after the last one)."),
    )
    authors_note_template: str = "[작가 노트: {note}]"
    world_info: list[WorldInfoEntry] = field(default_factory=list)
    world_info_scan_depth: int = setting(
        3, int, 0, 1_000_000, label=tr("Scan depth"),
        help=tr("How many pieces at the end are searched for keys (0: all)."),
    )
    world_info_whole_word: bool = False
    mode: Mode = Mode.STORY
    chat_user_name: str = "사용자"
    chat_ai_name: str = "AI"
    # A turn is shorter than a writing Length: the model answers, then the player acts again.
    play_turn_length: int = setting(
        60, int, 1, 1024, label=tr("Turn length"),
        help=tr("How many tokens the model writes at most after each action in Play."),
    )
    chat_turn_length: int = setting(
        40, int, 1, 1024, label=tr("Reply length"),
        help=tr("How many tokens the model writes at most for each reply in Chat."),
    )
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    steering: SteeringSettings = field(default_factory=SteeringSettings)
    tidy: TidyOptions = field(default_factory=TidyOptions)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    def plain_text(self) -> str:
        return self.text().strip()

    def last_model_piece(self) -> int | None:
        for index in range(len(self.pieces) - 1, -1, -1):
            if self.pieces[index].author is Author.MODEL:
                return index
        return None

    def matched_world_info(self) -> list[WorldInfoEntry]:
        depth = self.world_info_scan_depth
        scanned = "".join(p.text for p in self.pieces[-depth:]) if depth else self.text()
        return [entry for entry in self.world_info if entry.matches(scanned, self.world_info_whole_word)]

    def authors_note_text(self) -> str:
        note = self.authors_note.strip()
        if not note:
            return ""
        template = self.authors_note_template
        return template.replace("{note}", note) if "{note}" in template else f"{template} {note}"
