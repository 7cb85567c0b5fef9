"""Adventure play: the Write / Play switch, the player's turns and new adventures."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from storyteller.engine.history import InsertPiece
from storyteller.engine.modes import InputKind, player_piece
from storyteller.engine.story import Author, Mode, Piece, Story

from .document import StoryChange

WRITE, PLAY = 0, 1  # the window's views and mode tabs


class AdventurePlay(QObject):
    """Works for the window: its play view, mode tabs and writing session."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.play = window.play

    def show_view(self, index: int) -> None:
        story = self.document.story
        self.window.views.setCurrentIndex(index)
        if index == PLAY:
            if story.mode is not Mode.ADVENTURE and story.pieces:
                answer = QMessageBox.question(
                    self.window, self.tr("Play this story?"),
                    self.tr("Switch this story to adventure mode? Your actions will be added as > lines."))
                if answer != QMessageBox.StandardButton.Yes:
                    self.window.mode_tabs.setCurrentIndex(WRITE)
                    return
            story.mode = Mode.ADVENTURE
            self.play.show_story(story)
            self.play.input.setFocus()
        elif story.mode is Mode.ADVENTURE and not story.pieces:
            story.mode = Mode.STORY

    def take_turn(self, text: str, kind: InputKind) -> None:
        if self.window.client.busy or self.window.model.builder is None:
            return
        story = self.document.story
        story.mode = Mode.ADVENTURE
        self.document.undo_stack.apply(InsertPiece(len(story.pieces), player_piece(story, text, kind)))
        self.window.writing.continue_story()

    def start_adventure(self, opening: str) -> None:
        if self.window.client.busy or not self.window.files.maybe_discard():
            return
        story = Story(mode=Mode.ADVENTURE, generation=self.document.story.generation, title=self.tr("Adventure"))
        story.pieces.append(Piece.of(Author.WRITER, opening + "\n"))
        self.window.set_story(story, None)
        self.window.mode_tabs.setCurrentIndex(PLAY)
        self.window.writing.continue_story()

    def story_changed(self, change: StoryChange) -> None:
        story = self.document.story
        if StoryChange.NEW in change:
            self.window.mode_tabs.setCurrentIndex(PLAY if story.mode is Mode.ADVENTURE else WRITE)
            self.play.clear_stream()
            self.play.show_story(story)
        elif StoryChange.TEXT in change and self.window.views.currentIndex() == PLAY:
            self.play.show_story(story)

    def stream(self, request_id: int, candidate: int, text: str) -> None:
        if candidate == 0 and self.window.views.currentIndex() == PLAY:
            self.play.stream(self.document.story, text)

    def generation_done(self, text: str) -> None:
        self.play.clear_stream()
        self.play.show_story(self.document.story)
