"""Undo and redo for story edits: typing, accepting, retrying, choosing, pinning.

Each edit is a small command that can apply and revert itself; consecutive typing in one piece
merges into one step. The GUI wraps these same commands in QUndoCommands, so the app and the
engine share one notion of an edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from .story import Author, Piece, Story


class Command:
    label = "edit"

    def apply(self, story: Story) -> None:
        raise NotImplementedError

    def revert(self, story: Story) -> None:
        raise NotImplementedError

    def merge(self, other: Command) -> bool:
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
class AddVersion(Command):
    """Retry: a new version of a model piece, chosen; the old ones stay as alternatives, and so
    do `others` (the candidates not chosen), added after it."""

    index: int
    text: str
    previous_choice: int = 0
    label: str = "retry"
    others: tuple[str, ...] = ()

    def apply(self, story):
        piece = story.pieces[self.index]
        self.previous_choice = piece.chosen
        piece.versions.append(self.text)
        piece.chosen = len(piece.versions) - 1
        piece.versions.extend(self.others)

    def revert(self, story):
        piece = story.pieces[self.index]
        del piece.versions[len(piece.versions) - 1 - len(self.others):]
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


@dataclass
class ReplacePieces(Command):
    """Swap pieces[index : index + len(old)] for `new`: the general text edit (see span_edit)."""

    index: int
    old: list[Piece]
    new: list[Piece]
    label: str = "typing"

    def apply(self, story):
        story.pieces[self.index : self.index + len(self.old)] = _copies(self.new)

    def revert(self, story):
        story.pieces[self.index : self.index + len(self.new)] = _copies(self.old)

    def merge(self, other):
        """Typing in one piece: consecutive single-piece edits become one undo step."""
        if (isinstance(other, ReplacePieces) and other.index == self.index and len(self.new) == 1
                and len(other.old) == 1 and len(other.new) == 1 and other.old[0] == self.new[0]
                and self.new[0].author is other.new[0].author):
            self.new = other.new
            return True
        return False


def _copies(pieces: list[Piece]) -> list[Piece]:
    return [Piece(p.author, list(p.versions), p.chosen, p.pinned) for p in pieces]


def span_edit(story: Story, start: int, end: int, text: str) -> ReplacePieces | None:
    """The command that replaces story.text()[start:end] with `text`, as a writer typing would.

    Text typed inside a piece joins that piece (editing model text keeps it the model's); text
    typed at a boundary joins a neighbouring writer piece, or becomes a new writer piece.
    Pieces left empty disappear.
    """
    if start == end and not text:
        return None
    bounds, position = [], 0
    for piece in story.pieces:
        bounds.append((position, position + len(piece.text)))
        position += len(piece.text)
    touched = [i for i, (a, b) in enumerate(bounds) if a < end and b > start]
    if not touched:  # a pure insertion at a boundary (or into an empty story)
        before = next((i for i, (a, b) in enumerate(bounds) if b == start and a < b), None)
        after = next((i for i, (a, b) in enumerate(bounds) if a == start and a < b), None)
        if before is not None and story.pieces[before].author is Author.WRITER:
            touched = [before]
        elif after is not None and story.pieces[after].author is Author.WRITER:
            touched = [after]
        else:
            index = len(story.pieces) if after is None else after
            return ReplacePieces(index, [], [Piece.of(Author.WRITER, text)])
    first, last = touched[0], touched[-1]
    old = _copies(story.pieces[first : last + 1])
    head = old[0].text[: max(0, start - bounds[first][0])]
    tail = old[-1].text[max(0, end - bounds[last][0]) :]
    if len(old) == 1:
        merged = _copies(old)
        merged[0].text = head + text + tail
        new = [p for p in merged if p.text]
    else:
        first_piece, last_piece = _copies([old[0]])[0], _copies([old[-1]])[0]
        first_piece.text, last_piece.text = head + text, tail
        new = [p for p in (first_piece, last_piece) if p.text]
    return ReplacePieces(first, old, new)
