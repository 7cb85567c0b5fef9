"""Undo and redo for story edits: typing, accepting, retrying, choosing, pinning, and moving in
and pruning the version tree (engine/story/tree.py).

Each edit is a small command that can apply and revert itself; consecutive typing in one piece
merges into one step. The GUI wraps these same commands in QUndoCommands, so the app and the
engine share one notion of an edit. Every command that grows the tree (a continuation, a retry, a
burst of editing: see `as_new_version`) is one undo step, so undoing it returns to the node before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.tree import Address, choose, current_address, go_to, locate, owner, snapshot


class Command:
    label = "edit"

    def apply(self, story: Story) -> None:
        raise NotImplementedError

    def revert(self, story: Story) -> None:
        raise NotImplementedError

    def can_merge(self, other: Command) -> bool:
        """Could `other`, coming right after, be absorbed into this command (one editing burst)?"""
        return False

    def merge(self, other: Command) -> bool:
        """Absorb `other` (which came right after) into this command; True if done."""
        if not self.can_merge(other):
            return False
        self.absorb(other)
        return True

    def absorb(self, other: Command) -> None:
        raise NotImplementedError


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
    """Retry: a new version of a model piece, chosen; the old ones stay as alternatives (each with
    the story that followed it), and so do `others` (the candidates not chosen), added after it."""

    index: int
    text: str
    previous_choice: int = 0
    label: str = "retry"
    others: tuple[str, ...] = ()

    def apply(self, story):
        piece = story.pieces[self.index]
        self.previous_choice = piece.chosen
        piece.versions.extend([self.text, *self.others])
        choose(story.pieces, self.index, len(piece.versions) - 1 - len(self.others))

    def revert(self, story):
        piece = story.pieces[self.index]
        added = len(piece.versions) - 1 - len(self.others)
        choose(story.pieces, self.index, self.previous_choice)
        del piece.versions[added:]
        for version in [v for v in piece.branches if v >= added]:
            del piece.branches[version]


@dataclass
class ChooseVersion(Command):
    """Another version of a piece; the story after the old one stays with it (tree.choose)."""

    index: int
    old: int
    new: int
    label: str = "choose version"

    def apply(self, story):
        choose(story.pieces, self.index, self.new)

    def revert(self, story):
        choose(story.pieces, self.index, self.old)


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
    # The pieces this step put into the story and took out of it, as objects: redo puts the same
    # ones back, so later steps (which edit them in place, and were undone first) find them again.
    _put: list[Piece] | None = field(default=None, repr=False, compare=False)
    _taken: list[Piece] = field(default_factory=list, repr=False, compare=False)

    def apply(self, story):
        if self._put is None:
            self._put = _copies(self.new)
        self._taken = story.pieces[self.index : self.index + len(self.old)]
        story.pieces[self.index : self.index + len(self.old)] = self._put

    def revert(self, story):
        story.pieces[self.index : self.index + len(self._put)] = self._taken

    def can_merge(self, other):
        """Typing in one piece: consecutive single-piece edits become one undo step."""
        return (isinstance(other, ReplacePieces) and other.index == self.index and len(self.new) == 1
                and len(other.old) == 1 and len(other.new) == 1 and other.old[0] == self.new[0]
                and self.new[0].author is other.new[0].author)

    def absorb(self, other):
        self.new, self._put = other.new, other._put


def _copies(pieces: list[Piece]) -> list[Piece]:
    return [piece.copy() for piece in pieces]


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


# -- the version tree -----------------------------------------------------------------------------


@dataclass
class Revise(Command):
    """A burst of editing that starts in pieces[index], as a new version of that piece: the text as
    it was stays the version before, followed by the story as it read then (a snapshot of it); the
    new version goes on with the edited pieces and the story after them. Later keystrokes of the
    same burst merge into it, so the burst is one node and one undo step."""

    index: int
    old: list[Piece]  # the pieces the first edit touched, as they were
    new: list[Piece]  # what replaced them; new[0] holds the new version's text
    label: str = "typing"
    previous_choice: int = 0
    # As ReplacePieces: the same objects on every redo (the pieces after the first, and the snapshot).
    _put: list[Piece] | None = field(default=None, repr=False, compare=False)
    _taken: list[Piece] = field(default_factory=list, repr=False, compare=False)
    _before: list[Piece] | None = field(default=None, repr=False, compare=False)
    _piece: Piece | None = field(default=None, repr=False, compare=False)  # the piece given a version
    _swapped: bool = field(default=False, repr=False, compare=False)  # a merged keystroke put a copy there

    def apply(self, story):
        pieces = story.pieces
        piece = self._piece = pieces[self.index]
        self._swapped = False
        self.previous_choice = piece.chosen
        if self._put is None:
            self._put, self._before = _copies(self.new[1:]), snapshot(pieces[self.index + 1:])
        self._taken = pieces[self.index + 1 : self.index + len(self.old)]
        pieces[self.index + 1 : self.index + len(self.old)] = self._put
        piece.versions.append(self.new[0].text)
        piece.chosen = len(piece.versions) - 1
        if self._before:
            piece.branches[self.previous_choice] = self._before

    def revert(self, story):
        pieces = story.pieces
        if self._swapped:  # the piece was put back as it was when the keystroke merged
            pieces[self.index] = self._piece
            self._swapped = False
        else:
            self._unversion(self._piece)
        pieces[self.index + 1 : self.index + 1 + len(self._put)] = self._taken

    def _unversion(self, piece: Piece) -> None:
        piece.branches.pop(self.previous_choice, None)
        del piece.versions[-1]
        piece.chosen = self.previous_choice

    def can_merge(self, other):
        return (isinstance(other, ReplacePieces) and other.index == self.index and len(other.old) == 1
                and len(other.new) == 1 and other.old[0].text == self.new[0].text
                and other.new[0].author is self.new[0].author)

    def absorb(self, other):
        """The keystroke replaced the piece by an edited copy, which stays in the story; the piece
        itself is made as it was before this step, for undo to put back (the steps before this one
        know that object)."""
        if not self._swapped:
            self._unversion(self._piece)
            self._swapped = True
        self.new = [other.new[0], *self.new[1:]]


def as_new_version(command: Command) -> Command:
    """The first edit of a burst as a node of the tree: an edit that changes a piece's text (typing
    into it, deleting in it, replacing a stretch that starts in it) becomes a new version of that
    piece (Revise). Text typed where no piece takes it is a new piece, a node already; an edit that
    removes the first piece it touches entirely stays a plain edit (undo brings it back)."""
    if (isinstance(command, ReplacePieces) and command.old and command.new
            and command.new[0].author is command.old[0].author):
        return Revise(command.index, command.old, command.new)
    return command


@dataclass
class Jump(Command):
    """Go to a node: the story becomes the path through it (tree.go_to). Undo goes back."""

    address: Address
    label: str = "go to version"
    before: Address = ()
    remembered: tuple[int, ...] = ()  # the choices the pieces on the way had, for an exact undo

    def apply(self, story):
        self.before = current_address(story.pieces)
        self.remembered = tuple(_piece_at(story.pieces, self.address[:depth + 1]).chosen
                                for depth in range(len(self.address)))
        go_to(story.pieces, self.address)

    def revert(self, story):
        go_to(story.pieces, self.before)
        for depth in reversed(range(len(self.address))):  # the branch left goes back to where it was
            found, index = locate(story.pieces, self.address[:depth + 1])
            choose(found, index, self.remembered[depth])


def _piece_at(pieces: list[Piece], address: Address) -> Piece:
    found, index = locate(pieces, address)
    return found[index]


@dataclass
class Prune(Command):
    """Remove a node and everything after it. A version with siblings goes alone (a neighbour takes
    its place on the path if it was there); a piece's only version takes its piece and the rest of
    that list with it. Undo puts it all back, as it was."""

    address: Address
    label: str = "prune"
    _removed: tuple = ()

    def apply(self, story):
        found, index = locate(story.pieces, self.address)
        piece, version = found[index], self.address[-1]
        if len(piece.versions) == 1:
            # A branch list is replaced, never cut in place: copies kept by earlier undo steps share it.
            held_by = owner(story.pieces, self.address)
            self._removed = ("pieces", found if held_by else found[index:], index)
            if held_by is None:
                del found[index:]
            elif index:
                held_by[0].branches[held_by[1]] = found[:index]
            else:
                del held_by[0].branches[held_by[1]]
            return
        was_chosen = version == piece.chosen
        if was_chosen:  # the path goes on through a neighbour
            choose(found, index, version - 1 if version else 1)
        text, branch = piece.versions.pop(version), piece.branches.pop(version, [])
        piece.branches = {v - (v > version): rest for v, rest in piece.branches.items()}
        piece.chosen -= piece.chosen > version
        self._removed = ("version", text, branch, was_chosen)

    def revert(self, story):
        if self._removed[0] == "pieces":
            _, found, index = self._removed
            held_by = owner(story.pieces, self.address)  # found again: typing replaces pieces by copies
            if held_by is None:
                story.pieces.extend(found)
            else:
                held_by[0].branches[held_by[1]] = found
            return
        _, text, branch, was_chosen = self._removed
        version = self.address[-1]
        found, index = locate(story.pieces, self.address[:-1] + (0,))
        piece = found[index]
        piece.versions.insert(version, text)
        piece.branches = {v + (v >= version): rest for v, rest in piece.branches.items()}
        if branch:
            piece.branches[version] = branch
        piece.chosen += piece.chosen >= version
        if was_chosen:
            choose(found, index, version)
