"""The engine's story edits on Qt's undo stack: one history for typing and generations."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from storyteller.engine.story.document import Story
from storyteller.engine.story.history import Command

_MERGE_ID = 1


class StoryCommand(QUndoCommand):
    def __init__(self, story: Story, command: Command, on_change, mergeable: bool):
        super().__init__(command.label)
        self.story, self.command, self.on_change, self.mergeable = story, command, on_change, mergeable

    def redo(self):
        self.command.apply(self.story)
        self.on_change(self.command)

    def undo(self):
        self.command.revert(self.story)
        self.on_change(self.command)

    def id(self):
        return _MERGE_ID if self.mergeable else -1

    def mergeWith(self, other):
        return isinstance(other, StoryCommand) and other.mergeable and self.command.merge(other.command)


class StoryUndoStack(QUndoStack):
    """Pushes engine commands; `changed(command)` lets the views refresh after each step."""

    def __init__(self, story: Story, on_change, parent=None):
        super().__init__(parent)
        self.story = story
        self._on_change = on_change

    def apply(self, command: Command, *, mergeable: bool = False) -> None:
        self.push(StoryCommand(self.story, command, self._on_change, mergeable))

    def continues_burst(self, command: Command) -> bool:
        """Does `command` continue the last step's editing burst (the same version of the piece)?
        A save does not end a burst: typing on after it extends the same version, as its own undo
        step (QUndoStack never merges into the saved state, so undo still returns to what was saved)."""
        if self.index() == 0:
            return False
        last = self.command(self.index() - 1)
        return isinstance(last, StoryCommand) and last.mergeable and last.command.can_merge(command)
