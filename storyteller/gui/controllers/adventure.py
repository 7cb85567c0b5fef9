"""Play and Chat: the Write / Play / Chat switch, the player's turns, new adventures and chats,
the speakers' names and each mode's turn length."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QStatusBar, QTabBar, QWidget

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.requests import TextDelta
from storyteller.engine.story.document import Mode, Story
from storyteller.engine.story.history import InsertPiece
from storyteller.engine.story.modes import InputKind, chat_names, player_piece
from storyteller.gui.background.worker import EngineClient
from storyteller.gui.common.messages import ErrorReporter
from storyteller.gui.controllers.model_status import ModelStatus
from storyteller.gui.controllers.writing import WritingSession
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.panels.chat import ChatView
from storyteller.gui.panels.play import PlayView

WRITE, PLAY, CHAT = 0, 1, 2  # the window's views and mode tabs
VIEW_MODES = {PLAY: Mode.ADVENTURE, CHAT: Mode.CHAT}
MODE_VIEWS = {Mode.STORY: WRITE, Mode.ADVENTURE: PLAY, Mode.CHAT: CHAT}


class AdventurePlay(QObject):
    """Plays the story of `document` in the `play` and `chat` views of `views`, switched by `mode_tabs`:
    a turn is continued by the `writing` session once the engine `client` is free and `model` ready; a
    new adventure or chat replaces the story through `set_story(story, path)` once `maybe_discard()`
    says the old one may go. Messages go to `status_bar`, errors to `show_error(title, error)`,
    questions over `parent`."""

    def __init__(self, document: StoryDocument, client: EngineClient, model: ModelStatus, writing: WritingSession,
                 maybe_discard: Callable[[], bool], set_story: Callable[[Story, Path | None], None], play: PlayView,
                 chat: ChatView, views: QStackedWidget, mode_tabs: QTabBar, status_bar: QStatusBar,
                 show_error: ErrorReporter, parent: QWidget):
        super().__init__(parent)
        self.document, self.client, self.model, self.writing = document, client, model, writing
        self.maybe_discard, self.set_story = maybe_discard, set_story
        self.play, self.chat, self.views, self.mode_tabs = play, chat, views, mode_tabs
        self.status_bar, self.show_error = status_bar, show_error
        self.turn_views = {PLAY: self.play, CHAT: self.chat}

    def show_view(self, index: int) -> None:
        story = self.document.story
        mode = VIEW_MODES.get(index)
        if mode is not None and story.mode is not mode and story.pieces and not self._switch_confirmed(mode):
            self.mode_tabs.setCurrentIndex(self.views.currentIndex())  # the view still shown
            return
        self.views.setCurrentIndex(index)
        if mode is not None:
            changed = story.mode is not mode
            story.mode = mode
            if changed and story.pieces:
                self.document.edited(StoryChange.NOTES)
            self.turn_views[index].show_story(story)
            self.turn_views[index].input.setFocus()
        elif not story.pieces:
            story.mode = Mode.STORY

    def _switch_confirmed(self, mode: Mode) -> bool:
        if mode is Mode.ADVENTURE:
            title = self.tr("Play this story?")
            text = self.tr("Switch this story to adventure mode? Your actions will be added as > lines.")
        else:
            title = self.tr("Chat in this story?")
            text = self.tr("Switch this story to chat mode? Your messages will be added as lines that start "
                           "with your name.")
        return QMessageBox.question(self.parent(), title, text) == QMessageBox.StandardButton.Yes

    def take_turn(self, text: str, kind: InputKind = InputKind.DO) -> None:
        if self.client.busy or self.model.builder is None:
            # Not now: the turn stays in its input to send again.
            self.status_bar.showMessage(self.tr("The model is not ready yet: send your turn again in a "
                                                        "moment."), 5000)
            return
        view = self._current_turn_view()
        if view is not None:
            view.input.clear()
        story = self.document.story
        story.mode = VIEW_MODES.get(self.views.currentIndex(), Mode.ADVENTURE)
        self.document.undo_stack.apply(InsertPiece(len(story.pieces), player_piece(story, text, kind)))
        self.writing.continue_story()

    def start_adventure(self, genre: str) -> None:
        if self.client.busy or not self.maybe_discard():
            return
        old = self.document.story
        story = self.play.genres[genre].start(generation=old.generation)  # a shipped scenario: no placeholders
        story.play_turn_length = old.play_turn_length
        self.set_story(story, None)
        self.mode_tabs.setCurrentIndex(PLAY)
        self.writing.continue_story()

    def start_chat(self) -> None:
        """An empty chat that keeps the names, reply length and settings of the one before."""
        if self.client.busy or not self.maybe_discard():
            return
        old = self.document.story
        self.set_story(Story(mode=Mode.CHAT, generation=old.generation, title=self.tr("Chat"),
                                    chat_user_name=old.chat_user_name, chat_ai_name=old.chat_ai_name,
                                    chat_turn_length=old.chat_turn_length), None)
        self.chat.input.setFocus()

    def rename_speakers(self, user: str, ai: str) -> None:
        story = self.document.story
        try:
            names = chat_names(user, ai)
        except StorytellerError as error:
            self.chat.set_names(story)
            self.show_error(self.tr("Cannot use these names"), error)
            return
        if names != (story.chat_user_name, story.chat_ai_name):
            story.chat_user_name, story.chat_ai_name = names
            self.document.edited(StoryChange.NOTES)
        self.chat.set_names(story)

    def set_play_turn_length(self, length: int) -> None:
        self.document.story.play_turn_length = length
        self.document.edited(StoryChange.GENERATION)

    def set_chat_turn_length(self, length: int) -> None:
        self.document.story.chat_turn_length = length
        self.document.edited(StoryChange.GENERATION)

    def _current_turn_view(self):
        return self.turn_views.get(self.views.currentIndex())

    def story_changed(self, change: StoryChange) -> None:
        story = self.document.story
        if StoryChange.NEW in change:
            self.chat.set_names(story)  # a name field being edited must not carry the old story's name over
            self.mode_tabs.setCurrentIndex(MODE_VIEWS[story.mode])
            for view in self.turn_views.values():
                view.clear_stream()
                view.show_story(story)
        elif change & (StoryChange.TEXT | StoryChange.NOTES) and self._current_turn_view() is not None:
            self._current_turn_view().show_story(story)

    def stream(self, request_id: int, delta: TextDelta) -> None:
        view = self._current_turn_view()
        if delta.candidate == 0 and view is not None and self.writing.is_writing():
            view.stream(self.document.story, delta.text)

    def generation_done(self, text: str) -> None:
        for view in self.turn_views.values():
            view.clear_stream()
        if self._current_turn_view() is not None:
            self._current_turn_view().show_story(self.document.story)
