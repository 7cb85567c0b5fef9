"""The full app window: the main window plus its docks (sampling, notes, next words, context)
and the adventure play view, wired to the story and the engine."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDockWidget, QMessageBox, QScrollArea, QTabBar, QVBoxLayout, QWidget

from storyteller.engine.errors import StorytellerError
from storyteller.engine.history import InsertPiece
from storyteller.engine.modes import InputKind, player_piece
from storyteller.engine.story import Author, Mode, Piece, Story

from .context_view import ContextBar
from .main_window import MainWindow
from .messages import error_text
from .notes import NotesPanel
from .play import PlayView
from .sampling import SamplingPanel
from .steering import SteeringPanel
from .suggestions import NextWordsPanel

SUGGEST_PAUSE_MS = 700
CONTEXT_PAUSE_MS = 250


class StorytellerWindow(MainWindow):
    def _make_docks(self) -> None:
        self.sampling = SamplingPanel(self.qsettings)
        self.sampling.changed.connect(self._sampling_changed)
        self.notes = NotesPanel()
        self.notes.changed.connect(self._notes_changed)
        self.next_words = NextWordsPanel()
        self.next_words.chosen.connect(self._insert_word)
        self.context_bar = ContextBar()
        self.steering = SteeringPanel()
        self.steering.changed.connect(self._steering_changed)

        sampling_dock = self._dock(self.tr("Sampling"), "samplingDock", _scrolling(self.sampling),
                                   Qt.DockWidgetArea.RightDockWidgetArea)
        steering_dock = self._dock(self.tr("Steering"), "steeringDock", _scrolling(self.steering),
                                   Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(sampling_dock, steering_dock)
        sampling_dock.raise_()
        self._dock(self.tr("Memory and world info"), "notesDock", _scrolling(self.notes),
                   Qt.DockWidgetArea.LeftDockWidgetArea)
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.next_words)
        column.addWidget(self.context_bar)
        self._dock(self.tr("Next words and context"), "contextDock", bottom, Qt.DockWidgetArea.BottomDockWidgetArea)

        self.play = PlayView()
        self.play.action.connect(self.play_action)
        self.play.new_adventure.connect(self.start_adventure)
        self.play.stop_requested.connect(self.stop)
        self.views.addWidget(self.play)
        self.mode_tabs = QTabBar()
        self.mode_tabs.setObjectName("modeTabs")
        self.mode_tabs.addTab(self.tr("Write"))
        self.mode_tabs.addTab(self.tr("Play"))
        self.mode_tabs.currentChanged.connect(self.show_view)
        self.menuBar().setCornerWidget(self.mode_tabs, Qt.Corner.TopRightCorner)
        self._make_settings_menu()

        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_PAUSE_MS)
        self._suggest_timer.timeout.connect(self._refresh_suggestions)
        self._context_timer = QTimer(self)
        self._context_timer.setSingleShot(True)
        self._context_timer.setInterval(CONTEXT_PAUSE_MS)
        self._context_timer.timeout.connect(self._refresh_context)
        self.editor.textChanged.connect(self._story_text_changed)
        self.editor.cursorPositionChanged.connect(self._suggest_timer.start)
        self.client.suggestions.connect(self.next_words.show_choices)
        self.client.delta.connect(self._play_delta)
        self.client.busy_changed.connect(self.play.set_busy)
        self.story_replaced.connect(self._on_story_replaced)
        self.generation_done.connect(self._after_generation)
        self.client.finished.connect(self._note_speed)
        self.client.progress.connect(self._show_progress)
        self.client.mood.connect(self.steering.set_mood)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def _make_settings_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Settings"))
        language = menu.addMenu(self.tr("Language (after restart)"))
        group = QActionGroup(self)
        current = str(self.qsettings.value("ui/language", "system"))
        for code, title in (("system", self.tr("System")), ("ko", "한국어"), ("en", "English")):
            action = QAction(title, self, checkable=True)
            action.setChecked(code == current)
            action.setData(code)
            action.triggered.connect(self._set_language)
            group.addAction(action)
            language.addAction(action)

    def _set_language(self) -> None:
        self.qsettings.setValue("ui/language", self.sender().data())
        self.statusBar().showMessage(self.tr("The language changes when Storyteller restarts."), 5000)

    # -- keeping the panels in step with the story ------------------------------------------------

    def _on_story_replaced(self) -> None:
        self.sampling.set_settings(self.story.generation)
        self.steering.set_settings(self.story.steering)
        self.client.measure_mood(self.story.text())
        self.notes.set_story(self.story)
        self.mode_tabs.setCurrentIndex(1 if self.story.mode is Mode.ADVENTURE else 0)
        self.play.clear_stream()
        self.play.show_story(self.story)
        self._refresh_context()

    def _story_changed(self, command=None) -> None:
        super()._story_changed(command)
        if self.views.currentIndex() == 1:
            self.play.show_story(self.story)
        self._context_timer.start()

    def _on_model_loaded(self, info) -> None:
        super()._on_model_loaded(info)
        self.sampling.set_context_limit(info.n_positions)
        self._refresh_context()
        self._suggest_timer.start()
        self.client.measure_mood(self.story.text())

    def _sampling_changed(self, settings) -> None:
        self.story.generation = settings
        self.qsettings.setValue("generation/defaults", json.dumps(settings.to_json()))
        self.mark_settings_changed()
        self._refresh_context()

    def _steering_changed(self, settings) -> None:
        self.story.steering = settings
        self.mark_settings_changed()

    def _note_speed(self, request_id: int, result) -> None:
        """Plain decoding's speed feeds PPLM's estimate; a steered result says what steering did."""
        if result.steering is None and result.new_tokens:
            self.steering.set_speed(1000 * result.seconds / result.new_tokens, self.story.generation.max_new_tokens)
        fell_back = (result.steering or {}).get("budget_fallback_at_token")
        if fell_back:
            self.statusBar().showMessage(
                self.tr("PPLM reached its time limit at token %1 and went on with the fast method.")
                .replace("%1", str(fell_back)), 8000)

    def _show_progress(self, request_id: int, progress) -> None:
        left = progress.seconds / progress.step * (progress.total - progress.step)
        self.statusBar().showMessage(
            self.tr("Steering: token %1 of at most %2, about %3 s left")
            .replace("%1", str(progress.step)).replace("%2", str(progress.total)).replace("%3", f"{left:.0f}"))

    def _notes_changed(self) -> None:
        self.mark_settings_changed()
        self._refresh_context()

    def _story_text_changed(self) -> None:
        if not self.editor.streaming:
            self._context_timer.start()  # tokenizing a long story on every keystroke would lag
            self._suggest_timer.start()

    def _refresh_context(self, *_) -> None:
        if self.builder is None:
            self.context_bar.set_context(None)
            return
        try:
            self.context_bar.set_context(self.builder.build(self.story))
        except StorytellerError as error:
            self.context_bar.set_context(None, error_text(error))

    def _refresh_suggestions(self) -> None:
        if self.builder is None or self.client.busy or self.editor.streaming:
            return
        # The story as it would be if it ended at the cursor; at the end this is exactly the
        # continuation's prompt, so the suggestion's prefill also readies the next Continue.
        position, pieces = self.editor.textCursor().position(), []
        for piece in self.story.pieces:
            if position <= 0:
                break
            pieces.append(Piece(piece.author, [piece.text[:position]]))
            position -= len(piece.text)
        shown = dataclasses.replace(self.story, pieces=pieces)
        try:
            prompt = self.builder.build(shown).text
        except StorytellerError:
            return
        self.client.suggest(prompt, 5)

    def _insert_word(self, text: str) -> None:
        if self.editor.streaming:
            return
        cursor = self.editor.textCursor()
        if cursor.position() == 0 or self.editor.toPlainText()[cursor.position() - 1 : cursor.position()] in (" ", "\n"):
            text = text.lstrip(" ")
        cursor.insertText(text)
        self.editor.setFocus()

    def _after_generation(self, text: str) -> None:
        self.play.clear_stream()
        self.play.show_story(self.story)
        self.client.measure_mood(self.story.text())

    # -- adventure play ----------------------------------------------------------------------------

    def show_view(self, index: int) -> None:
        self.views.setCurrentIndex(index)
        if index == 1:
            if self.story.mode is not Mode.ADVENTURE and self.story.pieces:
                answer = QMessageBox.question(
                    self, self.tr("Play this story?"),
                    self.tr("Switch this story to adventure mode? Your actions will be added as > lines."))
                if answer != QMessageBox.StandardButton.Yes:
                    self.mode_tabs.setCurrentIndex(0)
                    return
            self.story.mode = Mode.ADVENTURE
            self.play.show_story(self.story)
            self.play.input.setFocus()
        elif self.story.mode is Mode.ADVENTURE and not self.story.pieces:
            self.story.mode = Mode.STORY

    def play_action(self, text: str, kind: InputKind) -> None:
        if self.client.busy or self.builder is None:
            return
        self.story.mode = Mode.ADVENTURE
        self.undo_stack.apply(InsertPiece(len(self.story.pieces), player_piece(self.story, text, kind)))
        self.continue_story()

    def start_adventure(self, opening: str) -> None:
        if self.client.busy or not self.maybe_discard():
            return
        story = Story(mode=Mode.ADVENTURE, generation=self.story.generation, title=self.tr("Adventure"))
        story.pieces.append(Piece.of(Author.WRITER, opening + "\n"))
        self.set_story(story, None)
        self.mode_tabs.setCurrentIndex(1)
        self.continue_story()

    def _play_delta(self, request_id: int, candidate: int, text: str) -> None:
        if candidate == 0 and self.views.currentIndex() == 1:
            self.play.stream(self.story, text)

    # -- recovery ----------------------------------------------------------------------------------

    def offer_recovery(self) -> None:
        pending = self.autosaver.pending()
        if not pending:
            return
        file, story, original = pending[0]
        name = story.title or (Path(original).name if original else self.tr("an untitled story"))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Recover unsaved work?"),
                          self.tr("Storyteller closed before “%1” was saved. Recover it?").replace("%1", name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard, self)
        box.setObjectName("recoveryDialog")
        box.finished.connect(lambda result: self._recover(result, file, story, original))
        box.open()

    def _recover(self, result: int, file: Path, story: Story, original: str | None) -> None:
        if result == QMessageBox.StandardButton.Yes:
            self.set_story(story, Path(original) if original else None)
            self.mark_settings_changed()  # recovered work is unsaved until the writer saves
        else:
            file.unlink(missing_ok=True)


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area
