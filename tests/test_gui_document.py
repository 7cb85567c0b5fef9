"""The story's one `changed` signal: emitted by the undo stack and by live edits, saying what changed."""

from __future__ import annotations

from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.history import InsertPiece


def test_undo_steps_and_live_edits_say_what_changed_and_whether_it_is_saved(qapp):
    from storyteller.gui.document.document import StoryChange, StoryDocument

    document = StoryDocument()
    changes, modified = [], []
    document.changed.connect(changes.append)
    document.modified_changed.connect(modified.append)

    document.undo_stack.apply(InsertPiece(0, Piece.of(Author.WRITER, "하나.")))
    document.undo_stack.undo()
    assert changes == [StoryChange.TEXT, StoryChange.TEXT] and modified == [True, False]
    assert not document.is_modified()

    document.story.memory = "배경: 바다."
    document.edited(StoryChange.NOTES)
    assert changes[-1] == StoryChange.NOTES and document.is_modified() and modified[-1] is True

    story = Story()
    document.replace(story, None)
    assert document.story is story and document.undo_stack.story is story
    assert changes[-1] == StoryChange.REPLACED and StoryChange.NEW in changes[-1] and StoryChange.TEXT in changes[-1]
    assert not document.is_modified() and modified[-1] is False
