"""Undo and redo for story edits: typing, accepting, retrying, choosing, pinning, notes.

Each edit is a small command that can apply and revert itself; consecutive typing in one piece
merges into one step. The GUI wraps these same commands in QUndoCommands, so the app and the
engine share one notion of an edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from .story import Piece, Story


class Command:
    label = "edit"

    def apply(self, story: Story) -> None:
        raise NotImplementedError

    def revert(self, story: Story) -> None:
        raise NotImplementedError

    def merge(self, other: "Command") -> bool:
        """Absorb `other` (which came right after) into this command; True if done."""
        return False


@dataclass
class InsertPiece(Command):
    index: int
    piece: Piece
    label: str = "add text"

    def apply(self, story):
        story.pieces.insert(self.index, self.piece)

    def revert(self, story):
        del story.pieces[self.index]


@dataclass
class RemovePiece(Command):
    index: int
    piece: Piece | None = None
    label: str = "delete text"

    def apply(self, story):
        self.piece = story.pieces.pop(self.index)

    def revert(self, story):
        story.pieces.insert(self.index, self.piece)


@dataclass
class EditText(Command):
    """Replace the chosen version's text of one piece (typing merges into one step)."""

    index: int
    old: str
    new: str
    label: str = "typing"

    def apply(self, story):
        story.pieces[self.index].text = self.new

    def revert(self, story):
        story.pieces[self.index].text = self.old

    def merge(self, other):
        if isinstance(other, EditText) and other.index == self.index and other.old == self.new:
            self.new = other.new
            return True
        return False


@dataclass
class AddVersion(Command):
    """Retry: a new version of a model piece, chosen; the old ones stay as alternatives."""

    index: int
    text: str
    previous_choice: int = 0
    label: str = "retry"

    def apply(self, story):
        piece = story.pieces[self.index]
        self.previous_choice = piece.chosen
        piece.versions.append(self.text)
        piece.chosen = len(piece.versions) - 1

    def revert(self, story):
        piece = story.pieces[self.index]
        piece.versions.pop()
        piece.chosen = self.previous_choice


@dataclass
class ChooseVersion(Command):
    index: int
    old: int
    new: int
    label: str = "choose version"

    def apply(self, story):
        story.pieces[self.index].chosen = self.new

    def revert(self, story):
        story.pieces[self.index].chosen = self.old


@dataclass
class SetPinned(Command):
    index: int
    pinned: bool
    label: str = "pin"

    def apply(self, story):
        story.pieces[self.index].pinned = self.pinned

    def revert(self, story):
        story.pieces[self.index].pinned = not self.pinned


@dataclass
class SetField(Command):
    """Memory, author's note, title …: any plain attribute of the story."""

    name: str
    old: object
    new: object
    label: str = "change setting"

    def apply(self, story):
        setattr(story, self.name, self.new)

    def revert(self, story):
        setattr(story, self.name, self.old)

    def merge(self, other):
        if isinstance(other, SetField) and other.name == self.name and isinstance(self.new, str):
            self.new = other.new
            return True
        return False


class History:
    def __init__(self, story: Story):
        self.story = story
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_at: int | None = 0
        self._merge_allowed = False

    def do(self, command: Command, *, merge: bool = True) -> None:
        command.apply(self.story)
        self._undone.clear()
        if self._clean_at is not None and self._clean_at > len(self._done):
            self._clean_at = None  # the saved state was undone and can no longer be reached
        if merge and self._merge_allowed and self._done and len(self._done) != self._clean_at:
            if self._done[-1].merge(command):
                return
        self._done.append(command)
        self._merge_allowed = True

    def break_merge(self) -> None:
        """The next edit starts a new undo step (e.g. after the cursor moved)."""
        self._merge_allowed = False

    def undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done.pop()
        command.revert(self.story)
        self._undone.append(command)
        self._merge_allowed = False
        return command

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        command.apply(self.story)
        self._done.append(command)
        self._merge_allowed = False
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def mark_clean(self) -> None:
        self._clean_at = len(self._done)
        self._merge_allowed = False

    @property
    def is_clean(self) -> bool:
        return self._clean_at == len(self._done)
