"""The main window: the story editor with Continue / Stop / Retry / Undo, its docks and menus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QStackedWidget, QToolBar,
    QVBoxLayout, QWidget,
)

from storyteller.engine.context import ContextBuilder
from storyteller.engine.continuation import ContinuationPlan, accept_continuation, plan_continuation
from storyteller.engine.storyformats import export_markdown, export_text, import_kobold, import_text
from storyteller.engine.errors import StorytellerError
from storyteller.engine.history import ChooseVersion, SetPinned, span_edit
from storyteller.engine.story import Story
from storyteller.engine.storyfile import SUFFIX, Autosaver, load_story, save_story, write_atomic

from .editor import StoryEditor
from .messages import error_text
from .undo import StoryUndoStack
from .worker import EngineClient

MAX_RECENT = 8


class MainWindow(QMainWindow):
    story_replaced = Signal()
    generation_done = Signal(str)  # the text that went into the story ("" if nothing)

    def __init__(self, client: EngineClient, settings: QSettings, autosaver: Autosaver | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.client = client
        self.qsettings = settings
        self.autosaver = autosaver or Autosaver()
        self.story = Story()
        self.path: Path | None = None
        self.builder: ContextBuilder | None = None
        self._plan: ContinuationPlan | None = None
        self._candidates: list[str] = []
        self._from_editor = False
        self._settings_dirty = False  # notes and sampling edits are saved live, outside undo
        self._requested_model = ""  # the model being loaded, remembered in the settings once it loads

        self.editor = StoryEditor()
        self.editor.user_edit.connect(self._apply_user_edit)
        self.undo_stack = StoryUndoStack(self.story, self._story_changed, self)
        self.undo_stack.cleanChanged.connect(self._update_title)

        self.banner = self._make_banner()
        self.alternatives = self._make_alternatives_bar()
        writing = QWidget()
        column = QVBoxLayout(writing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.editor, 1)
        column.addWidget(self.alternatives)
        self.views = QStackedWidget()
        self.views.addWidget(writing)
        self.setCentralWidget(self.views)

        self._make_actions()
        self._make_docks()
        self.status_model = QLabel(self.tr("Loading model…"))
        self.status_model.setObjectName("modelStatus")
        self.statusBar().addPermanentWidget(self.status_model)

        client.model_loading.connect(self._on_model_loading)
        client.model_loaded.connect(self._on_model_loaded)
        client.model_failed.connect(self._on_model_failed)
        client.delta.connect(self._on_delta)
        client.finished.connect(self._on_finished)
        client.failed.connect(self._on_failed)
        client.busy_changed.connect(self._update_actions)

        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(int(self.autosaver.interval * 1000))
        self._autosave_timer.timeout.connect(self._autosave_if_dirty)
        self._autosave_timer.start()

        self.resize(1200, 800)
        self.set_story(Story(generation=self.default_settings()), None)

    # -- building the window ----------------------------------------------------------------------

    def _make_banner(self) -> QWidget:
        banner = QWidget()
        banner.setObjectName("demoBanner")
        banner.setStyleSheet("#demoBanner { background: #fff4d6; border-bottom: 1px solid #e8d9a8; }")
        row = QHBoxLayout(banner)
        self.banner_label = QLabel(self.tr(
            "You are using the small built-in demo model: it writes rough Korean. "
            "Download KoGPT2 for real stories."))
        self.banner_label.setWordWrap(True)
        self.banner_button = QPushButton(self.tr("Download KoGPT2…"))
        self.banner_button.clicked.connect(self.open_model_manager)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.banner_button)
        banner.hide()
        return banner

    def _make_alternatives_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("alternativesBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(4, 2, 4, 2)
        self.previous_version = QPushButton("◀")
        self.next_version = QPushButton("▶")
        self.version_label = QLabel()
        self.pin_button = QPushButton(self.tr("Pin"))
        self.pin_button.setCheckable(True)
        self.pin_button.setToolTip(self.tr("A pinned continuation is kept: Retry will not replace it."))
        self.previous_version.setToolTip(self.tr("Previous version of the last continuation"))
        self.next_version.setToolTip(self.tr("Next version of the last continuation"))
        self.previous_version.clicked.connect(lambda: self.browse_version(-1))
        self.next_version.clicked.connect(lambda: self.browse_version(+1))
        self.pin_button.toggled.connect(self.set_pinned)
        row.addWidget(QLabel(self.tr("Last continuation:")))
        for widget in (self.previous_version, self.version_label, self.next_version, self.pin_button):
            row.addWidget(widget)
        row.addStretch(1)
        return bar

    def _action(self, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.continue_action = self._action(self.tr("Continue"), self.continue_story,
                                            [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")], "continue")
        self.stop_action = self._action(self.tr("Stop"), self.stop, "Esc", "stop")
        self.retry_action = self._action(self.tr("Retry"), self.retry, "Ctrl+R", "retry")
        self.undo_action = self._action(self.tr("Undo"), self.undo_stack.undo, QKeySequence.StandardKey.Undo, "undo")
        self.redo_action = self._action(self.tr("Redo"), self.undo_stack.redo,
                                        [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], "redo")
        self.undo_stack.canUndoChanged.connect(self._update_actions)
        self.undo_stack.canRedoChanged.connect(self._update_actions)

        toolbar = QToolBar(self.tr("Story"))
        toolbar.setObjectName("storyToolbar")
        for action in (self.continue_action, self.stop_action, self.retry_action, self.undo_action, self.redo_action):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

        menu = self.menuBar().addMenu(self.tr("&File"))
        # Replacing the story while a continuation streams in would put it into the wrong story.
        self.story_replacing_actions = [
            self._action(self.tr("&New"), self.new_story, QKeySequence.StandardKey.New, "new"),
            self._action(self.tr("&Open…"), self.open_dialog, QKeySequence.StandardKey.Open, "open"),
            self._action(self.tr("Import text or KoboldAI story…"), self.import_dialog, name="import"),
        ]
        menu.addActions(self.story_replacing_actions[:2])
        self.recent_menu = menu.addMenu(self.tr("Open &recent"))
        menu.addAction(self._action(self.tr("&Save"), self.save, QKeySequence.StandardKey.Save, "save"))
        menu.addAction(self._action(self.tr("Save &as…"), self.save_as, QKeySequence.StandardKey.SaveAs, "saveAs"))
        menu.addSeparator()
        menu.addAction(self.story_replacing_actions[2])
        menu.addAction(self._action(self.tr("Export as text or Markdown…"), self.export_dialog, name="export"))
        menu.addSeparator()
        menu.addAction(self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit, "quit"))
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        generate = self.menuBar().addMenu(self.tr("&Generate"))
        for action in (self.continue_action, self.stop_action, self.retry_action):
            generate.addAction(action)
        self.keep_partial_action = QAction(self.tr("Keep partial text when stopped"), self)
        self.keep_partial_action.setCheckable(True)
        self.keep_partial_action.setChecked(self.qsettings.value("generation/keep_partial", True, type=bool))
        self.keep_partial_action.toggled.connect(lambda on: self.qsettings.setValue("generation/keep_partial", on))
        generate.addAction(self.keep_partial_action)
        self.models_menu = self.menuBar().addMenu(self.tr("&Models"))
        self.models_menu.addAction(self._action(self.tr("Model manager…"), self.open_model_manager, name="models"))
        self.models_menu.addAction(self._action(self.tr("Fine-tune on my texts…"), self.open_fine_tune, name="fineTune"))
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._update_recent_menu()

    def _make_docks(self) -> None:
        """Filled in by app.py's panels (sampling, notes, next words, context)."""

    # -- story and file handling ----------------------------------------------------------------

    def set_story(self, story: Story, path: Path | None) -> None:
        if self.client.busy:  # a late finish must not land in the new story
            self.client.cancel()
            self._plan = None
        if self.editor.streaming:
            self.editor.end_stream()
        self.story, self.path = story, path
        self.undo_stack.clear()
        self.undo_stack.story = story
        self.undo_stack.setClean()
        self._settings_dirty = False
        self.editor.set_story(story)
        self._update_title()
        self._update_actions()
        self.story_replaced.emit()

    def is_modified(self) -> bool:
        return self._settings_dirty or not self.undo_stack.isClean()

    def mark_settings_changed(self) -> None:
        self._settings_dirty = True
        self._update_title()

    def maybe_discard(self) -> bool:
        """Ask before unsaved changes are lost; True to go on."""
        if not self.is_modified():
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("The story has unsaved changes. Save them first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._discard_recovery()
            return True
        return False

    def new_story(self) -> None:
        if self.maybe_discard():
            self.set_story(Story(generation=self.default_settings()), None)

    def default_settings(self):
        """App-wide defaults for new stories: the settings last chosen in the sampling panel."""
        import json

        from storyteller.engine.settings import GenerationSettings

        try:
            return GenerationSettings.from_json(json.loads(str(self.qsettings.value("generation/defaults", "{}"))))
        except (StorytellerError, ValueError, TypeError):
            return GenerationSettings()

    def open_dialog(self) -> None:
        if not self.maybe_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Open story"), self._last_dir(),
                                              self.tr("Stories (*.story.json)"))
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        try:
            story = load_story(path)
        except StorytellerError as error:
            self.show_error(self.tr("The story could not be opened"), error_text(error))
            return False
        self.set_story(story, path)
        self._remember_recent(path)
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save story"), self._suggested_name(),
                                              self.tr("Stories (*.story.json)"))
        if not name:
            return False
        path = Path(name)
        if not path.name.endswith(SUFFIX):
            path = path.with_name(path.name.removesuffix(".json") + SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        self.editor.commit_composition()
        try:
            save_story(self.story, path)
        except StorytellerError as error:
            self.show_error(self.tr("The story could not be saved"), error_text(error))
            return False
        self.path = path
        self.undo_stack.setClean()
        self._settings_dirty = False
        self._discard_recovery()
        self._remember_recent(path)
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved to %1").replace("%1", str(path)), 4000)
        return True

    def import_dialog(self) -> None:
        if not self.maybe_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import"), self._last_dir(),
                                              self.tr("Text or KoboldAI story (*.txt *.json)"))
        if not name:
            return
        try:
            story = import_text(Path(name)) if name.endswith(".txt") else import_kobold(Path(name))
        except StorytellerError as error:
            self.show_error(self.tr("The file could not be imported"), error_text(error))
            return
        self.set_story(story, None)

    def export_dialog(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(self, self.tr("Export"), self._suggested_name(".txt"),
                                                   self.tr("Text (*.txt);;Markdown (*.md)"))
        if not name:
            return
        markdown = name.endswith(".md") or "*.md" in chosen
        content = export_markdown(self.story) if markdown else export_text(self.story)
        try:
            write_atomic(Path(name), content.encode("utf-8"))
        except OSError as error:
            self.show_error(self.tr("The story could not be exported"), str(error))

    def _suggested_name(self, suffix: str = SUFFIX) -> str:
        stem = self.story.title or (self.path.name.removesuffix(SUFFIX) if self.path else self.tr("story"))
        return str(Path(self._last_dir()) / f"{stem}{suffix}")

    def _last_dir(self) -> str:
        return str(self.path.parent) if self.path else str(self.qsettings.value("files/last_dir", Path.home()))

    def recent_files(self) -> list[str]:
        value = self.qsettings.value("files/recent", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        self.qsettings.setValue("files/recent", recent[:MAX_RECENT])
        self.qsettings.setValue("files/last_dir", str(path.parent))
        self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        for name in self.recent_files():
            action = self.recent_menu.addAction(name)
            action.triggered.connect(self._open_recent)
            action.setData(name)
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def _open_recent(self) -> None:
        action = self.sender()
        if action is not None and self.maybe_discard():
            self.open_path(Path(action.data()))

    def _update_title(self, *_) -> None:
        name = self.path.name.removesuffix(SUFFIX) if self.path else (self.story.title or self.tr("Untitled"))
        app_name = self.tr("Storyteller")
        self.setWindowTitle(f"{name}[*] — {app_name}")
        self.setWindowModified(self.is_modified())

    # -- edits ------------------------------------------------------------------------------------

    def _apply_user_edit(self, spans) -> None:
        self._from_editor = True  # the document already shows this edit: no re-render
        try:
            if len(spans) > 1:
                self.undo_stack.beginMacro(self.tr("edit"))
            for start, end, text in spans:
                command = span_edit(self.story, start, end, text)
                if command is not None:
                    self.undo_stack.apply(command, mergeable=len(spans) == 1)
            if len(spans) > 1:
                self.undo_stack.endMacro()
        finally:
            self._from_editor = False

    def _story_changed(self, command=None) -> None:
        if not self._from_editor and not self.editor.streaming:
            self.editor.render_story()
        self._update_actions()

    def browse_version(self, step: int) -> None:
        index = self._last_model_index()
        if index is None:
            return
        piece = self.story.pieces[index]
        target = piece.chosen + step
        if 0 <= target < len(piece.versions):
            self.undo_stack.apply(ChooseVersion(index, piece.chosen, target))

    def set_pinned(self, pinned: bool) -> None:
        index = self._last_model_index()
        if index is not None and self.story.pieces[index].pinned != pinned:
            self.undo_stack.apply(SetPinned(index, pinned))

    def _last_model_index(self) -> int | None:
        index = self.story.last_model_piece()
        return index if index is not None and index == len(self.story.pieces) - 1 else None

    # -- generation -------------------------------------------------------------------------------

    def continue_story(self) -> None:
        self._start_generation(retry=False)

    def retry(self) -> None:
        self._start_generation(retry=True)

    def stop(self) -> None:
        if self.client.busy:
            self.client.cancel()
            self.statusBar().showMessage(self.tr("Stopping…"))

    def _start_generation(self, retry: bool) -> None:
        if self.client.busy or self.builder is None:
            return
        self.editor.commit_composition()
        try:
            self._plan = self.plan(retry)
        except StorytellerError as error:
            self.show_error(self.tr("Cannot continue"), error_text(error))
            return
        count = self._plan.request.settings.num_candidates
        self._candidates = [""] * count
        # A retry's new version streams in place of the old one, which leaves the editor meanwhile.
        self.editor.render_story(upto=self._plan.retry_index)
        self.editor.begin_stream()
        self.client.generate(self._plan.request)
        self.statusBar().showMessage(self.tr("Writing…"))

    def plan(self, retry: bool) -> ContinuationPlan:
        """The continuation request for the story as it is, with its own settings and steering."""
        return plan_continuation(self.story, self.builder, retry=retry)

    def _on_delta(self, request_id: int, candidate: int, text: str) -> None:
        self._candidates[candidate] += text
        if candidate == 0:
            self.editor.append_stream(text)

    def _on_finished(self, request_id: int, result) -> None:
        plan, self._plan = self._plan, None
        if plan is None:  # the story was replaced while this was being written: drop it
            self._update_actions()
            return
        stopped = result.cancelled
        chosen = 0
        if len(result.texts) > 1 and not stopped:
            chosen = self.pick_candidate(result.texts)
        keep = chosen is not None and (not stopped or self.keep_partial_action.isChecked())
        self.editor.end_stream()
        text = accept_continuation(self.story, self.undo_stack.apply, plan, result, chosen) if keep else ""
        self.editor.render_story(keep_cursor=False)
        if text:
            self._autosave()
        message = self.tr("Stopped.") if stopped else self.tr("Done.")
        if plan.context.dropped_story_tokens:
            message += " " + self.tr("The beginning of the story no longer fits the model's context.")
        self.statusBar().showMessage(message, 5000)
        self._update_actions()
        self.generation_done.emit(text)

    def pick_candidate(self, texts: list[str]) -> int | None:
        from .candidates import CandidatesDialog

        dialog = CandidatesDialog(texts, self)
        return dialog.selected if dialog.exec() else None

    def _on_failed(self, request_id: int, message: str) -> None:
        if self.editor.streaming:
            self.editor.end_stream()
        self._plan = None
        self.show_error(self.tr("Generation failed"), message)
        self._update_actions()

    # -- model ------------------------------------------------------------------------------------

    def _on_model_loading(self, name: str) -> None:
        self._requested_model = name
        self.builder = None
        self.status_model.setText(self.tr("Loading model %1…").replace("%1", name or self.tr("(default)")))
        self._update_actions()

    def _on_model_loaded(self, info) -> None:
        if self._requested_model:
            self.qsettings.setValue("model/name", self._requested_model)
        self.builder = ContextBuilder(self.client.loaded.tokenizer, info.n_positions)
        self.status_model.setText(self.tr("Model: %1 on %2").replace("%1", info.name).replace("%2", info.device))
        self.banner.setVisible(info.builtin)
        self._update_actions()

    def _on_model_failed(self, message: str) -> None:
        if self.client.loaded is not None and self.client.model_info is not None:
            info = self.client.model_info  # the worker still has the model it had: keep using it
            self.builder = ContextBuilder(self.client.loaded.tokenizer, info.n_positions)
            self.status_model.setText(self.tr("Model: %1 on %2").replace("%1", info.name).replace("%2", info.device))
        else:
            self.status_model.setText(self.tr("No model loaded"))
        self.show_error(self.tr("The model could not be loaded"), message)
        self._update_actions()

    def open_model_manager(self) -> None:
        from .models_dialog import ModelManager

        ModelManager(self.client, self.qsettings, self).exec()

    def open_fine_tune(self) -> None:
        from .train_dialog import TrainDialog

        dialog = TrainDialog(self.client, self)
        dialog.model_ready.connect(self.switch_model)
        dialog.exec()

    def switch_model(self, name: str) -> None:
        self.client.load_model(name, str(self.qsettings.value("model/device", "auto")))

    # -- state ------------------------------------------------------------------------------------

    def _update_actions(self, *_) -> None:
        busy = self.client.busy
        ready = self.builder is not None and not busy
        self.continue_action.setEnabled(ready)
        self.stop_action.setEnabled(busy)
        for action in self.story_replacing_actions:
            action.setEnabled(not busy)
        self.recent_menu.setEnabled(not busy and bool(self.recent_files()))
        last = self._last_model_index()
        self.retry_action.setEnabled(ready and last is not None and not self.story.pieces[last].pinned)
        self.undo_action.setEnabled(not busy and self.undo_stack.canUndo())
        self.redo_action.setEnabled(not busy and self.undo_stack.canRedo())
        self.alternatives.setVisible(last is not None)
        if last is not None:
            piece = self.story.pieces[last]
            self.version_label.setText(f"{piece.chosen + 1} / {len(piece.versions)}")
            self.previous_version.setEnabled(not busy and piece.chosen > 0)
            self.pin_button.setEnabled(not busy)
            self.next_version.setEnabled(not busy and piece.chosen < len(piece.versions) - 1)
            self.pin_button.blockSignals(True)
            self.pin_button.setChecked(piece.pinned)
            self.pin_button.blockSignals(False)

    def show_error(self, title: str, message: str) -> None:
        self.statusBar().showMessage(title, 8000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorDialog")
        box.open()
        self.last_error = box

    def _autosave_if_dirty(self) -> None:
        if self.is_modified() and self.story.pieces:
            self._autosave()

    def _discard_recovery(self) -> None:
        try:
            self.autosaver.discard(self.story)
        except OSError:
            pass  # a recovery copy we cannot delete is offered once more next time: harmless

    def _autosave(self) -> None:
        try:
            self.autosaver.save_now(self.story, self.path)
        except OSError as error:
            self.statusBar().showMessage(
                self.tr("Autosave failed (%1): save your story yourself.").replace("%1", error.strerror or str(error)),
                10_000)

    def closeEvent(self, event) -> None:
        if self.client.busy:
            self.client.cancel()
        if not self.maybe_discard():
            event.ignore()
            return
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.setValue("window/state", self.saveState())
        event.accept()
