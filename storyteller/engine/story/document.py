"""The story document: pieces by author with alternatives, memory, author's note, world info,
mode and per-story settings. Pure data plus the rules that read it; files live in storyfile.py,
edits with undo in history.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import Enum

from storyteller.engine.core.errors import tr
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import setting
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.story.world_info import Matching, Reason, evaluate, scan


def normalize_text(text: str) -> str:
    """Line breaks as \n and no-break spaces as spaces: what a text editor shows, so the story
    and its editor always hold the same characters (web-copied text brings \xa0 and \r\n)."""
    # str.replace, not str.translate: translate costs ~0.1 µs a character, most of a 10 MB import.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.replace("\xa0", " ")


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

    The story is one path through a tree (see engine/story/tree.py): `Story.pieces` are the chosen
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
    """Background the model gets only while the story mentions it (see world_info.py).

    With secondary keys, one of them must be there too; with exclusion keys, none of them may be.
    Entries are written in ascending `order` (the highest nearest the story), and when the
    world-info budget runs out the lowest orders are left out first.
    """

    keys: list[str]
    content: str
    secondary_keys: list[str] = field(default_factory=list)
    always_on: bool = False
    enabled: bool = True
    comment: str = ""
    exclude_keys: list[str] = field(default_factory=list)
    order: int = setting(
        100, int, -10_000, 10_000, label=tr("Order"),
        help=tr("Entries are written lowest order first, the highest nearest the story; when the world info "
                "budget is spent, the lowest orders are left out first."),
    )

    def matches(self, text: str, matching: Matching = Matching.TEXT) -> bool:
        if not self.enabled:
            return False
        return self.always_on or evaluate(self, text, matching)[0] is Reason.KEY


@dataclass(frozen=True)
class StoryServer:
    """The server a story was last continued with (a Story without one was written locally); the
    story file keeps it under "backend"."""

    server: str  # its name in the server registry (storyteller/engine/servers/registry.py)
    model: str = ""  # the model the server served ("": the server's only or default one)


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
    # New stories match keys as words; files from before keep matching text (storyfile.py).
    world_info_matching: Matching = Matching.WORDS
    world_info_recursion: int = setting(
        0, int, 0, 10, label=tr("Recursion depth"),
        help=tr("How many times the text of entries found may bring in further entries (0: only the story's "
                "text is searched)."),
    )
    world_info_budget: int = setting(
        0, int, 0, 100_000, label=tr("World info budget"),
        help=tr("The most tokens world info may take; entries beyond it are left out, lowest order first "
                "(0: no limit)."),
    )
    # Entries whose keys the model writes join the context for the rest of the continuation.
    world_info_dynamic_scan: bool = True
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
    backend: StoryServer | None = None
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
        """The entries the story's text brings in (before the world-info budget)."""
        return [status.entry for status in scan(self) if status.active]

    def authors_note_text(self) -> str:
        note = self.authors_note.strip()
        if not note:
            return ""
        template = self.authors_note_template
        return template.replace("{note}", note) if "{note}" in template else f"{template} {note}"
