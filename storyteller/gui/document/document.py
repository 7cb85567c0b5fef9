"""The open story as the window holds it: the story, its file, its undo history, whether it has
unsaved changes, and one `changed` signal that every view subscribes to (the idea of napari's
evented model and Anki's OpChanges: views are told what changed, nobody refreshes them by hand)."""

from __future__ import annotations

from enum import Flag, auto
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from storyteller.engine.story.document import Story
from storyteller.engine.story.history import as_new_version, span_edit
from storyteller.gui.document.undo import StoryUndoStack


class StoryChange(Flag):
    TEXT = auto()  # the pieces: typing, undo and redo, continuations, versions, pins
    TYPING = auto()  # with TEXT: the writer's own edit in the editor (not undo, redo or the model)
    GENERATION = auto()  # the sampling settings
    STEERING = auto()
    NOTES = auto()  # memory, author's note, world info
    NEW = auto()  # another story took this one's place: views reload what they show of it
    REPLACED = NEW | TEXT | GENERATION | STEERING | NOTES


class StoryDocument(QObject):
    changed = Signal(object)  # StoryChange
    modified_changed = Signal(bool)  # also emitted when the file changes, so titles follow

    def __init__(self, parent=None):
        super().__init__(parent)
        self.story = Story()
        self.path: Path | None = None
        # Pieces change through the undo stack; notes and settings are saved live, outside undo.
        self.undo_stack = StoryUndoStack(self.story, self._command_done, self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._live_edits_unsaved = False
        self._typing = False

    def replace(self, story: Story, path: Path | None) -> None:
        self.story, self.path = story, path
        self.undo_stack.clear()
        self.undo_stack.story = story
        self.mark_saved()
        self.changed.emit(StoryChange.REPLACED)

    def apply_typing(self, spans) -> None:
        """The editor's edit, (start, end, new text) spans of the old text, as undo steps: typing
        merges into one step; several spans at once (a drag and drop) are one step.

        An editing burst (typing until anything else happens; a save does not count) is one node of
        the version tree: its first edit makes a new version of the piece it changes
        (history.as_new_version), the following ones merge into it. A save splits the burst's undo
        steps, not its version: saving after each sentence must not copy the paragraph each time."""
        if len(spans) > 1:
            self.undo_stack.beginMacro(self.tr("edit"))
        self._typing = True
        try:
            first = True
            for start, end, text in spans:
                command = span_edit(self.story, start, end, text)
                if command is None:
                    continue
                if first and (len(spans) > 1 or not self.undo_stack.continues_burst(command)):
                    command = as_new_version(command)
                first = False
                self.undo_stack.apply(command, mergeable=len(spans) == 1)
        finally:
            self._typing = False
        if len(spans) > 1:
            self.undo_stack.endMacro()

    def edited(self, change: StoryChange) -> None:
        """A live edit of notes or settings, already made to the story."""
        self._live_edits_unsaved = True
        self.changed.emit(change)
        self.modified_changed.emit(True)

    def is_modified(self) -> bool:
        return self._live_edits_unsaved or not self.undo_stack.isClean()

    def mark_modified(self) -> None:
        """Unsaved although nothing was edited here (recovered work)."""
        self._live_edits_unsaved = True
        self.modified_changed.emit(True)

    def mark_saved(self, path: Path | None = None) -> None:
        if path is not None:
            self.path = path
        self.undo_stack.setClean()
        self._live_edits_unsaved = False
        self.modified_changed.emit(False)

    def _command_done(self, command) -> None:
        self.changed.emit(StoryChange.TEXT | StoryChange.TYPING if self._typing else StoryChange.TEXT)

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(self.is_modified())
