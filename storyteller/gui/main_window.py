"""The main window: it builds the widgets and connects their signals; the panels follow the story's
one `changed` signal. The work is done by helpers it owns, each in a module of its own and given what
it uses (_make_controllers): the story and its undo history (document/document.py), files (files.py),
Continue / Retry / Stop (writing.py), adventure play (adventure.py), the model (model_status.py),
next words (next_words.py), token alternatives (token_alternatives.py)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.story.document import Story
from storyteller.engine.story.file import Autosaver
from storyteller.gui.background.worker import EngineClient
from storyteller.gui.common.messages import error_text, show_error
from storyteller.gui.common.settings_keys import GENERATION_DEFAULTS, KEEP_PARTIAL, MODEL_NAME
from storyteller.gui.common.shortcuts import keys_text, shortcut_action
from storyteller.gui.controllers.adventure import AdventurePlay
from storyteller.gui.controllers.appearance import Appearance
from storyteller.gui.controllers.dock_layout import DockLayout, DockScrollArea
from storyteller.gui.controllers.files import StoryFiles, display_name
from storyteller.gui.controllers.model_status import ModelStatus
from storyteller.gui.controllers.mood_head import MoodHeadTraining
from storyteller.gui.controllers.next_words import NextWords
from storyteller.gui.controllers.token_alternatives import TokenAlternatives
from storyteller.gui.controllers.writing import WritingSession
from storyteller.gui.dialogs.intro import IntroDialog
from storyteller.gui.document.counts import WordCountLabel
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.document.editor import StoryEditor
from storyteller.gui.document.title import TitleField
from storyteller.gui.menus.help import HelpMenu
from storyteller.gui.menus.language import SettingsMenu
from storyteller.gui.panels.chat import ChatView
from storyteller.gui.panels.context_view import ContextBar
from storyteller.gui.panels.find import FindBar
from storyteller.gui.panels.next_words import NextWordsPanel
from storyteller.gui.panels.notes import NotesPanel
from storyteller.gui.panels.play import PlayView
from storyteller.gui.panels.sampling import SamplingPanel
from storyteller.gui.panels.steering import SteeringPanel
from storyteller.gui.panels.version_tree import VersionTreePanel

CONTEXT_PAUSE_MS = 250  # tokenizing a long story on every keystroke would lag


class MainWindow(QMainWindow):
    def __init__(self, client: EngineClient, settings: QSettings, autosaver: Autosaver | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.client = client
        self.qsettings = settings
        self.document = StoryDocument(self)
        self.undo_stack = self.document.undo_stack
        self._from_editor = False  # the editor already shows the edit being applied: no re-render
        self.last_error = None

        self._make_widgets()
        self._make_docks()
        self._make_controllers(autosaver)
        self._make_actions()
        self._make_editing_basics()
        self.menuBar().addMenu(SettingsMenu(settings, self.statusBar(), self))
        self.help_menu = HelpMenu(self, self.show_intro)
        self.menuBar().addMenu(self.help_menu)
        self._connect_signals()
        self.resize(1200, 800)
        self.dock_layout.capture_defaults()  # now that the toolbar is there too
        self.dock_layout.arrange()
        self.set_story(Story(generation=self.files.default_settings()), None)

    @property
    def story(self) -> Story:
        return self.document.story

    # -- building the window ----------------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.editor = StoryEditor()
        self.banner = QWidget()
        self.banner.setObjectName("demoBanner")
        self.banner.setStyleSheet("#demoBanner { background: #fff4d6; border-bottom: 1px solid #e8d9a8; }")
        self.banner_label = QLabel(self.tr(
            "You are using the small built-in demo model: it writes rough Korean. "
            "Download KoGPT2 for real stories."))
        self.banner_label.setWordWrap(True)
        self.banner_button = QPushButton(self.tr("Download KoGPT2…"))
        row = QHBoxLayout(self.banner)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.banner_button)
        self.banner.hide()

        self.versions_bar = QWidget()
        self.versions_bar.setObjectName("versionsBar")
        # Buttons for the actions of the same name (_make_version_actions), which carry the shortcuts.
        self.previous_version, self.next_version, self.pin_button = QToolButton(), QToolButton(), QToolButton()
        self.version_label = QLabel()
        row = QHBoxLayout(self.versions_bar)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(QLabel(self.tr("Last continuation:")))
        for widget in (self.previous_version, self.version_label, self.next_version, self.pin_button):
            row.addWidget(widget)
        row.addStretch(1)

        writing = QWidget()
        column = QVBoxLayout(writing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.editor, 1)
        column.addWidget(self.versions_bar)
        self.play = PlayView()
        self.views = QStackedWidget()
        self.views.addWidget(writing)
        self.views.addWidget(self.play)
        self.chat = ChatView()
        self.views.addWidget(self.chat)
        self.setCentralWidget(self.views)
        self.mode_tabs = QTabBar()
        self.mode_tabs.setObjectName("modeTabs")
        self.mode_tabs.addTab(self.tr("Write"))
        self.mode_tabs.addTab(self.tr("Play"))
        self.mode_tabs.addTab(self.tr("Chat"))
        self.mode_corner = QWidget()  # a margin, or the menu bar's edge clips the last tab
        row = QHBoxLayout(self.mode_corner)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(self.mode_tabs)
        self.menuBar().setCornerWidget(self.mode_corner, Qt.Corner.TopRightCorner)

        self.status_model = QLabel(self.tr("Loading model…"))
        self.status_model.setObjectName("modelStatus")
        self.statusBar().addPermanentWidget(self.status_model)
        self._context_timer = QTimer(self)
        self._context_timer.setSingleShot(True)
        self._context_timer.setInterval(CONTEXT_PAUSE_MS)

    def _make_controllers(self, autosaver: Autosaver | None) -> None:
        """The window's jobs (controllers/), each given what it uses: here is who depends on whom."""
        client, document, settings = self.client, self.document, self.qsettings
        status_bar, show_error, editor = self.statusBar(), self.show_error, self.editor
        self.keep_partial_action = QAction(self.tr("Keep partial text when stopped"), self)
        self.keep_partial_action.setCheckable(True)
        self.keep_partial_action.setChecked(KEEP_PARTIAL.read(settings))
        self.recent_menu = QMenu(self.tr("Open &recent"), self)
        self.model = ModelStatus(client, settings, document, self.status_model, self.sampling, self.steering,
                                 status_bar, show_error, self)
        status_bar.addPermanentWidget(self.model.switch_button)
        self.files = StoryFiles(document, settings, editor, self.set_story, self.recent_menu, status_bar, show_error,
                                self, autosaver)
        self.token_alternatives = TokenAlternatives(client, document, self.model, settings, editor,
                                                    self.play.transcript, self.keep_partial_action, status_bar,
                                                    show_error, self)
        self.writing = WritingSession(client, document, self.model, editor, self.token_alternatives.pick_candidate,
                                      self.keep_partial_action, self.steering, status_bar, show_error, self)
        self.adventure = AdventurePlay(document, client, self.model, self.writing, self.files.maybe_discard,
                                       self.set_story, self.play, self.chat, self.views, self.mode_tabs, status_bar,
                                       show_error, self)
        self.next_words = NextWords(client, document, self.model, editor, self.next_words_panel, self)
        self.mood_training = MoodHeadTraining(self.steering, client, lambda: self.story.text())

    def _action(self, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = shortcut_action(self, text, slot, shortcut, name)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        files, writing = self.files, self.writing
        self.continue_action = self._action(self.tr("Continue"), writing.continue_story,
                                            [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")], "continue")
        self.stop_action = self._action(self.tr("Stop"), writing.stop, "Esc", "stop")
        self.retry_action = self._action(self.tr("Retry"), writing.retry, "Ctrl+R", "retry")
        self.undo_action = self._action(self.tr("Undo"), self.undo_stack.undo, QKeySequence.StandardKey.Undo, "undo")
        self.redo_action = self._action(self.tr("Redo"), self.undo_stack.redo,
                                        [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], "redo")
        self.editor.set_undo_actions(self.undo_action, self.redo_action)  # its right-click menu's too
        toolbar = QToolBar(self.tr("Story"))
        toolbar.setObjectName("storyToolbar")
        for action in (self.continue_action, self.stop_action, self.retry_action, self.undo_action, self.redo_action):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

        menu = self.menuBar().addMenu(self.tr("&File"))
        # Replacing the story while a continuation streams in would put it into the wrong story.
        self.story_replacing_actions = [
            self._action(self.tr("&New"), files.new_story, QKeySequence.StandardKey.New, "new"),
            self._action(self.tr("&Open…"), files.open_dialog, QKeySequence.StandardKey.Open, "open"),
            self._action(self.tr("Import text or KoboldAI story…"), files.import_dialog, name="import"),
            self._action(self.tr("New from scenario…"), files.new_from_scenario, name="newFromScenario"),
            self._action(self.tr("Import scenario…"), files.import_scenario_dialog, name="importScenario"),
        ]
        menu.addActions(self.story_replacing_actions[:2])
        menu.addAction(self.story_replacing_actions[3])
        menu.addMenu(self.recent_menu)
        menu.addAction(self._action(self.tr("&Save"), files.save, QKeySequence.StandardKey.Save, "save"))
        menu.addAction(self._action(self.tr("Save &as…"), files.save_as, QKeySequence.StandardKey.SaveAs, "saveAs"))
        menu.addAction(self._action(self.tr("Save as scenario…"), files.save_as_scenario, name="saveAsScenario"))
        menu.addSeparator()
        menu.addActions([self.story_replacing_actions[2], self.story_replacing_actions[4]])
        menu.addAction(self._action(self.tr("Export as text, Markdown, Word or EPUB…"), files.export_dialog,
                                    name="export"))
        menu.addSeparator()
        menu.addAction(self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit, "quit"))
        self.edit_menu = edit = self.menuBar().addMenu(self.tr("&Edit"))
        edit.addActions([self.undo_action, self.redo_action])
        edit.addAction(self._make_insert_tab_action())
        generate = self.menuBar().addMenu(self.tr("&Generate"))
        generate.addActions([self.continue_action, self.stop_action, self.retry_action])
        generate.addAction(self.keep_partial_action)
        self.models_menu = self.menuBar().addMenu(self.tr("&Models"))
        self.models_menu.addAction(
            self._action(self.tr("Model manager…"), self.model.open_model_manager, name="models")
        )
        self.models_menu.addAction(self._action(self.tr("Fine-tune on my texts…"), self.model.open_fine_tune,
                                                name="fineTune"))
        self.models_menu.addAction(self._action(self.tr("Servers…"), self.model.open_servers, name="servers"))
        self.models_menu.addMenu(self.model.backend_menu)
        self._make_version_actions(generate)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._make_view_actions(self.view_menu)
        files.fill_recent_menu()

    # -- editing basics: find and replace, the title, the word count, text size and theme ----------

    def _make_editing_basics(self) -> None:
        column = self.editor.parentWidget().layout()
        self.title_field = TitleField(self.document)
        column.insertWidget(column.indexOf(self.editor), self.title_field)
        self.title_field.returnPressed.connect(self.editor.setFocus)  # Enter: on to the story
        self.find_bar = FindBar(self.editor, self.document)
        column.insertWidget(column.indexOf(self.editor) + 1, self.find_bar)
        self.word_count = WordCountLabel(self.document)
        self.statusBar().insertPermanentWidget(0, self.word_count)
        find = self.find_bar
        self.find_actions = [
            self._action(self.tr("&Find…"), find.open_find, QKeySequence.StandardKey.Find, "find"),
            self._action(self.tr("&Replace…"), lambda: find.open_find(replacing=True), "Ctrl+H", "replace"),
            self._action(self.tr("Find next"), find.find_next, QKeySequence.StandardKey.FindNext, "findNext"),
            self._action(self.tr("Find previous"), find.find_previous, QKeySequence.StandardKey.FindPrevious,
                         "findPrevious"),
        ]
        self.edit_menu.addSeparator()
        self.edit_menu.addActions(self.find_actions)
        self.appearance = Appearance(self.qsettings, self.editor, self.play, self.banner, self.document, self)
        self.addActions([self.appearance.bigger_action, self.appearance.smaller_action,
                         self.appearance.reset_size_action])
        self.view_menu.addSeparator()
        self.appearance.fill_menu(self.view_menu)
        self.view_menu.addAction(self.token_alternatives.overlay_action)

    # -- keyboard: every shortcut is declared on an action here and shown in a menu (Help > Keyboard shortcuts) --

    def _make_version_actions(self, menu) -> None:
        """◀ ▶ and Pin of the last continuation: actions with shortcuts, shown as the bar's buttons."""
        writing = self.writing
        self.previous_version_action = self._action(self.tr("Previous version"), lambda: writing.browse_version(-1),
                                                    "Ctrl+[", "previousVersion")
        self.previous_version_action.setToolTip(self.tr("Previous version of the last continuation"))
        self.next_version_action = self._action(self.tr("Next version"), lambda: writing.browse_version(+1),
                                                "Ctrl+]", "nextVersion")
        self.next_version_action.setToolTip(self.tr("Next version of the last continuation"))
        self.pin_action = self._action(self.tr("Pin the last continuation"), writing.set_pinned, "Ctrl+Shift+P",
                                       "pin")
        self.pin_action.setCheckable(True)
        self.pin_action.setToolTip(self.tr("A pinned continuation is kept: Retry will not replace it."))
        menu.addSeparator()
        for action, button, label in ((self.previous_version_action, self.previous_version, "◀"),
                                      (self.next_version_action, self.next_version, "▶"),
                                      (self.pin_action, self.pin_button, self.tr("Pin"))):
            action.setIconText(label)
            action.setToolTip(f"{action.toolTip()} ({keys_text(action)})")
            button.setDefaultAction(action)
            menu.addAction(action)

    def _make_view_actions(self, menu) -> None:
        # One action per view tab (Write, Play, ...), Ctrl+1, Ctrl+2, ... in tab order.
        self.view_actions = QActionGroup(self)
        for index in range(self.mode_tabs.count()):
            action = self._action(self.mode_tabs.tabText(index),
                                  lambda _=False, i=index: self.mode_tabs.setCurrentIndex(i),
                                  f"Ctrl+{index + 1}", f"view{index}")
            action.setCheckable(True)
            action.setChecked(index == self.mode_tabs.currentIndex())
            self.view_actions.addAction(action)
            menu.addAction(action)
        self.mode_tabs.currentChanged.connect(lambda index: self.view_actions.actions()[index].setChecked(True))
        menu.addSeparator()
        self.context_text_action = self._action(self.tr("Text sent to the model…"), self.context_bar.show_sent_text,
                                                "Ctrl+Shift+M", "contextText")
        menu.addAction(self.context_text_action)
        tree_menu = menu.addMenu(self.tr("Version tree"))
        tree_menu.addAction(self._action(self.tr("Show the version tree"), self.version_tree.show_in, "Ctrl+Shift+T",
                                         "versionTree"))
        tree_menu.addActions(self.version_tree.tree_actions)
        menu.addSeparator()
        menu.addActions([dock.toggleViewAction() for dock in self.docks])
        menu.addSeparator()
        menu.addAction(self._action(self.tr("Reset layout"), lambda: self.dock_layout.reset(self.qsettings),
                                    name="resetLayout"))

    def _make_insert_tab_action(self) -> QAction:
        # Tab moves the focus out of the editor (StoryEditor); a writer who wants a tab character types Ctrl+Tab.
        # The key works in the editor only: elsewhere a tab would land unseen in the story.
        action = self._action(self.tr("Insert a tab character"), self._insert_tab, "Ctrl+Tab", "insertTab")
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.removeAction(action)  # not the window's: the editor's (and the Edit menu's)
        self.editor.addAction(action)
        return action

    def _insert_tab(self) -> None:
        if self.views.currentWidget() is self.editor.parentWidget() and not self.editor.streaming:
            self.editor.setFocus()
            self.editor.insertPlainText("\t")

    def _make_docks(self) -> None:
        self.sampling = SamplingPanel(self.qsettings)
        self.notes = NotesPanel()
        self.next_words_panel = NextWordsPanel()
        self.context_bar = ContextBar()
        self.steering = SteeringPanel()
        self._mood_stale = False  # the story changed while the meter was out of sight
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.next_words_panel)
        column.addWidget(self.context_bar)
        self.docks = [
            self._dock(self.tr("Sampling"), "samplingDock", DockScrollArea(self.sampling), right),
            self._dock(self.tr("Steering"), "steeringDock", DockScrollArea(self.steering), right),
            self._dock(
                self.tr("Memory and world info"),
                "notesDock",
                DockScrollArea(self.notes),
                Qt.DockWidgetArea.LeftDockWidgetArea,
            ),
            self._dock(
                self.tr("Next words and context"), "contextDock", bottom, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
        ]
        self.version_tree = VersionTreePanel(self.document)
        self.docks.append(self._dock(self.tr("Version tree"), "versionTreeDock", self.version_tree, right))
        self.dock_layout = DockLayout(self, self.docks[2], [*self.docks[:2], self.docks[4]], self.docks[3])

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _connect_signals(self) -> None:
        document, client, model, writing, adventure = (
            self.document,
            self.client,
            self.model,
            self.writing,
            self.adventure,
        )
        # The story: every view follows its one `changed` signal; live edits of notes and settings join it.
        document.changed.connect(self._story_changed)
        document.changed.connect(adventure.story_changed)
        document.modified_changed.connect(self._update_title)
        self.editor.user_edit.connect(self._apply_user_edit)
        self.sampling.changed.connect(self._sampling_changed)
        self.steering.changed.connect(self._steering_changed)
        self.notes.changed.connect(self._notes_changed)
        self._context_timer.timeout.connect(self._refresh_context)
        client.mood.connect(self.steering.set_mood)
        self.steering.shown.connect(self._measure_mood_if_stale)
        document.changed.connect(lambda _: self.steering.set_length(self.story.generation.max_new_tokens))
        # Writing and playing.
        self.keep_partial_action.toggled.connect(lambda on: KEEP_PARTIAL.write(self.qsettings, on))
        writing.generation_done.connect(model.remember_backend)  # before the autosave copies the story
        writing.generation_done.connect(adventure.generation_done)
        writing.generation_done.connect(self.files.autosave_continuation)
        writing.generation_done.connect(self._measure_mood)
        self.mode_tabs.currentChanged.connect(adventure.show_view)
        self.play.action.connect(adventure.take_turn)
        self.play.new_adventure.connect(adventure.start_adventure)
        self.play.stop_requested.connect(writing.stop)
        client.delta.connect(adventure.stream)
        client.busy_changed.connect(self.play.set_busy)
        self.play.turn_length_changed.connect(adventure.set_play_turn_length)
        self.chat.message.connect(adventure.take_turn)
        self.chat.new_chat.connect(adventure.start_chat)
        self.chat.names_edited.connect(adventure.rename_speakers)
        self.chat.turn_length_changed.connect(adventure.set_chat_turn_length)
        self.chat.stop_requested.connect(writing.stop)
        client.busy_changed.connect(self.chat.set_busy)
        client.busy_changed.connect(self.version_tree.set_busy)
        # The model and what may be done now.
        self.banner_button.clicked.connect(model.open_model_manager)
        model.ready.connect(self._model_ready)
        document.changed.connect(model.story_changed)  # a story written with a server offers it again
        client.model_loading.connect(self._update_actions)
        client.model_failed.connect(self._update_actions)
        client.busy_changed.connect(self._update_actions)
        self.undo_stack.canUndoChanged.connect(self._update_actions)
        self.undo_stack.canRedoChanged.connect(self._update_actions)

    # -- the story --------------------------------------------------------------------------------

    def set_story(self, story: Story, path: Path | None) -> None:
        self.writing.drop()
        self.document.replace(story, path)

    def _story_changed(self, change: StoryChange) -> None:
        if StoryChange.NEW in change:
            self.editor.set_story(self.story)
            self.sampling.set_settings(self.story.generation)
            self.steering.set_settings(self.story.steering)  # the story-file loader validated it
            self.notes.set_story(self.story)
            self._measure_mood()
        elif StoryChange.TEXT in change and not self._from_editor and not self.editor.streaming:
            self.editor.render_story()
        if change & (StoryChange.NEW | StoryChange.GENERATION | StoryChange.NOTES):
            self._refresh_context()
        elif StoryChange.TEXT in change:
            self._context_timer.start()
        self._update_actions()

    def _sampling_changed(self, settings) -> None:
        self.story.generation = settings
        GENERATION_DEFAULTS.write(self.qsettings, json.dumps(settings.to_json()))
        self.document.edited(StoryChange.GENERATION)

    def _steering_changed(self, settings) -> None:
        self.story.steering = settings
        self.document.edited(StoryChange.STEERING)

    def _notes_changed(self) -> None:
        self.document.edited(StoryChange.NOTES)  # the panel wrote them into the story already

    def _apply_user_edit(self, spans) -> None:
        self._from_editor = True
        try:
            self.document.apply_typing(spans)
        finally:
            self._from_editor = False

    # -- panels that read the model as well as the story ---------------------------------------

    def _refresh_context(self) -> None:
        builder = self.model.builder
        if builder is None:
            self.context_bar.set_context(None)
            return
        try:
            self.context_bar.set_context(builder.build(self.story))
        except StorytellerError as error:
            self.context_bar.set_context(None, error_text(error))

    def _measure_mood(self, *_) -> None:
        # Only while the meter is on screen: a reading runs a 128-token pass on the model thread,
        # which would delay a Continue nobody asked it to.
        self._mood_stale = not self.steering.isVisible()
        if not self._mood_stale:
            self.client.measure_mood(self.story.text())

    def _measure_mood_if_stale(self) -> None:
        if self._mood_stale:
            self._measure_mood()

    def _model_ready(self, info) -> None:
        self.banner.setVisible(info.builtin)
        self.sampling.set_context_limit(info.n_positions)
        self._refresh_context()
        self.next_words.schedule()
        self._measure_mood()
        self._update_actions()

    # -- state ------------------------------------------------------------------------------------

    def _update_actions(self, *_) -> None:
        busy = self.client.busy
        ready = self.model.builder is not None and not busy
        self.continue_action.setEnabled(ready)
        self.stop_action.setEnabled(busy)
        for action in self.story_replacing_actions:
            action.setEnabled(not busy)
        self.recent_menu.setEnabled(not busy and bool(self.files.recent_files()))
        self.mode_tabs.setEnabled(not busy)  # a switch mid-continuation would change the story being written
        self.view_actions.setEnabled(not busy)
        last = self.writing.last_continuation()
        self.retry_action.setEnabled(ready and last is not None and not self.story.pieces[last].pinned)
        self.undo_action.setEnabled(not busy and self.undo_stack.canUndo())
        self.redo_action.setEnabled(not busy and self.undo_stack.canRedo())
        self.versions_bar.setVisible(last is not None)
        piece = self.story.pieces[last] if last is not None else None
        if piece is not None:
            self.version_label.setText(f"{piece.chosen + 1} / {len(piece.versions)}")
        self.previous_version_action.setEnabled(piece is not None and not busy and piece.chosen > 0)
        self.next_version_action.setEnabled(piece is not None and not busy and piece.chosen < len(piece.versions) - 1)
        self.pin_action.setEnabled(piece is not None and not busy)
        self.pin_action.blockSignals(True)
        self.pin_action.setChecked(piece is not None and piece.pinned)
        self.pin_action.blockSignals(False)

    def _update_title(self, *_) -> None:
        name = display_name(self.story, self.document.path) or self.tr("Untitled")
        # Qt appends the application's display name ("이야기꾼 Storyteller") to a title that lacks it
        # (QPlatformWindow::formatWindowTitle): ending with it ourselves keeps it from showing twice.
        app_name = QGuiApplication.applicationDisplayName() or self.tr("Storyteller")
        self.setWindowTitle(f"{name}[*] — {app_name}")
        self.setWindowModified(self.document.is_modified())

    def show_intro(self) -> IntroDialog:
        """The introduction (Help menu, and at the first launch: intro.offer_intro), opened over the window."""
        info = self.client.model_info
        model = info.name if info is not None else (MODEL_NAME.read(self.qsettings) or "demo")
        keys = [self.continue_action, self.retry_action, self.stop_action, self.undo_action,
                self.previous_version_action, self.next_version_action, self.pin_action]
        dialog = IntroDialog(model, keys, self.qsettings, self.files.open_example, self)
        dialog.open()
        return dialog

    def show_error(self, title: str, error: BaseException | str) -> None:
        """Where the window's helpers report errors; the box stays reachable as `last_error`."""
        self.statusBar().showMessage(title, 8000)
        self.last_error = show_error(self, title, error)

    def closeEvent(self, event) -> None:
        if self.client.busy:
            self.client.cancel()
        if not self.files.maybe_discard():
            event.ignore()
            return
        self.mood_training.cancel()
        self.dock_layout.save(self.qsettings)
        event.accept()
