"""The story's files: new, open, save, import, export, scenarios, recent files, autosave and recovery."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStatusBar, QWidget

from storyteller.engine.core.atomic import write_atomic
from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.presets import apply_preset, new_story_settings
from storyteller.engine.story.document import Story
from storyteller.engine.story.file import SUFFIX, Autosaver, load_story, save_story
from storyteller.engine.story.formats import export_markdown, export_text, import_kobold, import_scenario, import_text
from storyteller.engine.story.manuscripts import WRITERS, export_manuscript
from storyteller.engine.story.scenarios import library, save_scenario, shipped_dir, user_dir, user_path_for
from storyteller.gui.background.ops import BackgroundOp
from storyteller.gui.common.messages import ErrorReporter
from storyteller.gui.common.settings_keys import GENERATION_DEFAULTS, LAST_DIR, RECENT_FILES
from storyteller.gui.dialogs.intro import EXAMPLE
from storyteller.gui.dialogs.scenarios import SaveScenarioDialog, ScenarioPicker
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.document.editor import StoryEditor

MAX_RECENT = 8
# Export formats by file ending; the dialog's filter names them.
EXPORT_ENDINGS = (".txt", ".md", ".docx", ".epub")
# With nonstop typing the copy is still written after this many pauses' worth of seconds.
AUTOSAVE_LONGEST_WAIT = 2


def display_name(story: Story, path: Path | None) -> str:
    """What to call a story in titles: its title, else its file's name as the writer would say it
    (안개_낀_고개.story.json is "안개 낀 고개"); empty for an untitled, unsaved story."""
    if story.title:
        return story.title
    return path.name.removesuffix(SUFFIX).removesuffix(".json").replace("_", " ").strip() if path else ""


class StoryFiles(QObject):
    """The files of the story of `document`: a story read or made replaces the open one through
    `set_story(story, path)`; the `editor` hands over any text still being composed before a save; the
    recent files fill `recent_menu`; messages go to `status_bar`, errors to `show_error(title, error)`,
    dialogs over `parent`."""

    def __init__(self, document: StoryDocument, settings: QSettings, editor: StoryEditor,
                 set_story: Callable[[Story, Path | None], None], recent_menu: QMenu, status_bar: QStatusBar,
                 show_error: ErrorReporter, parent: QWidget, autosaver: Autosaver | None = None):
        super().__init__(parent)
        self.document, self.qsettings, self.editor = document, settings, editor
        self.set_story, self.recent_menu = set_story, recent_menu
        self.status_bar, self.show_error = status_bar, show_error
        self.autosaver = autosaver or Autosaver()
        # Debounced: the recovery copy is written once the writer pauses, and at the latest
        # AUTOSAVE_LONGEST_WAIT pauses into nonstop typing, never on the keystroke itself.
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.timeout.connect(self._autosave_due)
        self._unsaved_since: float | None = None  # the first edit the recovery copy lacks
        self.document.changed.connect(self._edited)
        self.export_op: BackgroundOp | None = None
        QCoreApplication.instance().aboutToQuit.connect(self.finish_exports)

    # -- replacing the story ----------------------------------------------------------------------

    def maybe_discard(self) -> bool:
        """Ask before unsaved changes are lost; True to go on."""
        if not self.document.is_modified():
            return True
        answer = QMessageBox.question(
            self.parent(), self.tr("Unsaved changes"),
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

    def default_settings(self) -> GenerationSettings:
        """What new and imported stories start from: the sampling last chosen in the sampling
        panel (without that story's own stops), or the Default preset before any choice."""
        saved = GENERATION_DEFAULTS.read(self.qsettings)
        if not saved:
            return new_story_settings()
        try:
            return apply_preset(GenerationSettings.from_json(json.loads(str(saved))), new_story_settings())
        except (StorytellerError, ValueError, TypeError):
            return new_story_settings()

    def open_dialog(self) -> None:
        if not self.maybe_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self.parent(), self.tr("Open story"), self._last_dir(),
                                              self.tr("Stories (*.story.json)"))
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        try:
            story = load_story(path)
        except StorytellerError as error:
            self.show_error(self.tr("The story could not be opened"), error)
            return False
        self.set_story(story, path)
        self._remember_recent(path)
        return True

    def open_example(self) -> None:
        """The example story as a new, untitled one: saving asks where, so the shipped file stays as it is."""
        if not self.maybe_discard():
            return
        try:
            story = load_story(EXAMPLE)
        except StorytellerError as error:
            self.show_error(self.tr("The example story could not be opened"), error)
            return
        self.set_story(story, None)

    def import_dialog(self) -> None:
        if not self.maybe_discard():
            return
        name, _ = QFileDialog.getOpenFileName(self.parent(), self.tr("Import"), self._last_dir(),
                                              self.tr("Text, Markdown or KoboldAI story (*.txt *.md *.json)"))
        if not name:
            return
        try:
            story = import_text(Path(name)) if name.lower().endswith((".txt", ".md")) else import_kobold(Path(name))
        except StorytellerError as error:
            self.show_error(self.tr("The file could not be imported"), error)
            return
        story.generation = self.default_settings()
        self.set_story(story, None)

    # -- writing files ----------------------------------------------------------------------------

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        name, _ = QFileDialog.getSaveFileName(self.parent(), self.tr("Save story"), self._suggested_name(),
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
            save_story(self.document.story, path)
        except StorytellerError as error:
            self.show_error(self.tr("The story could not be saved"), error)
            return False
        self.document.mark_saved(path)
        self._discard_recovery()
        self._remember_recent(path)
        self.status_bar.showMessage(self.tr("Saved to %1").replace("%1", str(path)), 4000)
        return True

    def export_dialog(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self.parent(), self.tr("Export"), self._suggested_name(".txt"),
            self.tr("Text (*.txt);;Markdown (*.md);;Word document (*.docx);;EPUB e-book (*.epub)"))
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in EXPORT_ENDINGS:  # the writer typed a bare name: the chosen filter's ending
            path = path.with_name(path.name + next((e for e in EXPORT_ENDINGS if f"*{e}" in chosen), ".txt"))
        self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the story to `path` in the format its ending names. A manuscript is made on a thread
        of its own from a copy of the story (a novel's .docx takes seconds); `export_op` is that work."""
        story, ending = self.document.story, path.suffix.lower()
        if ending in WRITERS:
            if self.export_op is not None:
                self.export_op.wait(60_000)  # one at a time: the next may be to the same file
            snapshot, title = copy.deepcopy(story), display_name(story, self.document.path)
            self.status_bar.showMessage(self.tr("Exporting to %1…").replace("%1", str(path)))
            self.export_op = BackgroundOp(self, lambda progress, cancel: export_manuscript(snapshot, path, title),
                                          what=self.tr("The export"))
            self.export_op.on_success(self._exported).on_failure(self._export_failed).run()
            return
        try:
            content = export_markdown(story) if ending == ".md" else export_text(story)
            write_atomic(path, content.encode("utf-8"))
        except OSError as error:
            self._export_failed(error)
            return
        self._exported(path)

    def _exported(self, path: Path) -> None:
        self.status_bar.showMessage(self.tr("Exported to %1").replace("%1", str(path)), 4000)

    def _export_failed(self, error: BaseException | str) -> None:
        self.status_bar.clearMessage()
        self.show_error(self.tr("The story could not be exported"), error)

    def finish_exports(self) -> None:
        """Let a manuscript being written finish (at quit: a thread must not outlive its window)."""
        if self.export_op is not None:
            self.export_op.wait(60_000)

    # -- scenarios --------------------------------------------------------------------------------

    def new_from_scenario(self, select: str | None = None) -> None:
        """Choose a scenario (`select`: the path of the one to show first), fill in its placeholders, start."""
        if not self.maybe_discard():
            return
        self.scenario_picker = ScenarioPicker(self.parent(), library(), select)
        self.scenario_picker.accepted.connect(self._start_from_scenario)
        self.scenario_picker.open()

    def _start_from_scenario(self) -> None:
        picker = self.scenario_picker
        try:
            story = picker.scenario().start(picker.values(), self.default_settings())
        except StorytellerError as error:
            self.show_error(self.tr("The story could not be started"), error)
            return
        self.set_story(story, None)

    def save_as_scenario(self) -> None:
        self.editor.commit_composition()
        story = self.document.story
        self.scenario_saver = SaveScenarioDialog(self.parent(), story, display_name(story, self.document.path))
        self.scenario_saver.accepted.connect(self._save_scenario)
        self.scenario_saver.open()

    def _save_scenario(self) -> None:
        scenario = self.scenario_saver.scenario()
        path = user_path_for(scenario.title)
        if path.exists() and QMessageBox.question(
            self.parent(), self.tr("Replace the scenario?"),
            self.tr("You already have a scenario called “%1”. Replace it?").replace("%1", scenario.title),
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            save_scenario(scenario, path)
        except StorytellerError as error:
            self.show_error(self.tr("The scenario could not be saved"), error)
            return
        self.status_bar.showMessage(self.tr("Saved the scenario to %1").replace("%1", str(path)), 6000)

    def import_scenario_dialog(self) -> None:
        """A NovelAI or KoboldAI Lite scenario (or one of ours) joins the writer's scenarios, then starts."""
        name, _ = QFileDialog.getOpenFileName(
            self.parent(), self.tr("Import scenario"), self._last_dir(),
            self.tr("Scenarios (*.scenario.json *.scenario *.json)"))
        if name:
            self.import_scenario_from(Path(name))

    def import_scenario_from(self, path: Path) -> None:
        try:
            scenario = import_scenario(path)
            in_library = scenario.path is not None and scenario.path.parent.resolve() in (
                user_dir().resolve(), shipped_dir().resolve())
            saved = scenario.path if in_library else save_scenario(scenario, user_path_for(scenario.title, unique=True))
        except StorytellerError as error:
            self.show_error(self.tr("The scenario could not be imported"), error)
            return
        self.status_bar.showMessage(self.tr("Imported into your scenarios: %1").replace("%1", str(saved)),
                                            6000)
        self.new_from_scenario(select=str(saved))

    def _suggested_name(self, suffix: str = SUFFIX) -> str:
        path = self.document.path
        stem = self.document.story.title or (path.name.removesuffix(SUFFIX) if path else self.tr("story"))
        return str(Path(self._last_dir()) / f"{stem}{suffix}")

    def _last_dir(self) -> str:
        path = self.document.path
        return str(path.parent) if path else LAST_DIR.read(self.qsettings) or str(Path.home())

    # -- recent files -----------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        return [str(name) for name in RECENT_FILES.read(self.qsettings)]

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self.recent_files() if p != str(path)]
        RECENT_FILES.write(self.qsettings, recent[:MAX_RECENT])
        LAST_DIR.write(self.qsettings, str(path.parent))
        self.fill_recent_menu()

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for name in self.recent_files():
            action = menu.addAction(name)
            action.triggered.connect(self._open_recent)
            action.setData(name)
        menu.setEnabled(bool(self.recent_files()))

    def _open_recent(self) -> None:
        action = self.sender()
        if action is not None and self.maybe_discard():
            self.open_path(Path(action.data()))

    # -- autosave and recovery --------------------------------------------------------------------

    def _edited(self, change) -> None:
        if StoryChange.NEW in change:  # another story: nothing of it is unsaved yet
            self._autosave_timer.stop()
            self._unsaved_since = None
            return
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        pause = self.autosaver.interval
        latest = self._unsaved_since + AUTOSAVE_LONGEST_WAIT * pause - now
        self._autosave_timer.start(int(1000 * max(0.0, min(pause, latest))))

    def _autosave_due(self) -> None:
        self._unsaved_since = None
        self.autosave_if_modified()

    def autosave_if_modified(self) -> None:
        if self.document.is_modified() and self.document.story.pieces:
            self.autosave()

    def autosave(self) -> None:
        try:
            self.autosaver.save_now(self.document.story, self.document.path)
        except OSError as error:
            self.status_bar.showMessage(
                self.tr("Autosave failed (%1): save your story yourself.").replace("%1", error.strerror or str(error)),
                10_000)

    def autosave_continuation(self, text: str) -> None:
        if text:  # a continuation is minutes of the computer's work: keep it even before a save
            self.autosave()

    def _discard_recovery(self) -> None:
        try:
            self.autosaver.discard(self.document.story)
        except OSError:
            pass  # a recovery copy we cannot delete is offered once more next time: harmless

    def offer_recovery(self) -> None:
        pending = self.autosaver.pending()
        if not pending:
            return
        file, story, original = pending[0]
        name = display_name(story, Path(original) if original else None) or self.tr("an untitled story")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Recover unsaved work?"),
                          self.tr("Storyteller closed before “%1” was saved. Recover it?").replace("%1", name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard, self.parent())
        box.setObjectName("recoveryDialog")
        box.finished.connect(lambda result: self._recover(result, file, story, original))
        box.open()

    def _recover(self, result: int, file: Path, story: Story, original: str | None) -> None:
        if result == QMessageBox.StandardButton.Yes:
            self.set_story(story, Path(original) if original else None)
            self.document.mark_modified()  # recovered work is unsaved until the writer saves
        else:
            file.unlink(missing_ok=True)
