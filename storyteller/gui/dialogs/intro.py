"""The one-screen introduction shown at first launch (and from Help > Introduction): the model in
use and how to get KoGPT2, the main keys, the UI's language and where to change it, and the
example story to start from."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMainWindow, QVBoxLayout

from storyteller.engine.core import paths
from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.story.file import load_story
from storyteller.gui.common.settings_keys import INTRO_SHOWN, LANGUAGE, MODEL_NAME
from storyteller.gui.common.shortcuts import keys_text, plain

EXAMPLE = paths.resource("examples", "안개_낀_고개.story.json")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def offer_intro(window: QMainWindow, settings: QSettings) -> QDialog | None:
    """At the first launch only: the introduction, once (the flag is set when it is shown)."""
    if INTRO_SHOWN.read(settings):
        return None
    INTRO_SHOWN.write(settings, True)
    dialog = IntroDialog(window)
    dialog.open()
    return dialog


def open_example(window: QMainWindow) -> None:
    """The example as a new, untitled story: saving asks where, so the shipped file stays as it is."""
    if not window.files.maybe_discard():
        return
    try:
        story = load_story(EXAMPLE)
    except StorytellerError as error:
        window.show_error(QApplication.translate("IntroDialog", "The example story could not be opened"), error)
        return
    window.set_story(story, None)


class IntroDialog(QDialog):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("introDialog")
        self.setWindowTitle(self.tr("Welcome to Storyteller"))
        text = QLabel(self._text())
        text.setObjectName("introText")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox()
        self.example_button = buttons.addButton(self.tr("Open the example story"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.example_button.setObjectName("openExample")
        self.close_button = buttons.addButton(self.tr("Start with an empty page"),
                                              QDialogButtonBox.ButtonRole.RejectRole)
        self.example_button.setDefault(True)
        buttons.accepted.connect(self._open_example)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(text)
        column.addWidget(buttons)
        self.setMaximumWidth(640)

    def _open_example(self) -> None:
        self.accept()
        open_example(self.window_)

    def _text(self) -> str:
        window = self.window_
        info = window.client.model_info
        model = info.name if info is not None else (MODEL_NAME.read(window.qsettings) or "demo")
        keys = "".join(f"<tr><td>{escape(plain(action.text()))}</td>"
                       f"<td>&nbsp;&nbsp;<b>{keys_text(action)}"
                       "</b></td></tr>"
                       for action in (window.continue_action, window.retry_action, window.stop_action,
                                      window.undo_action, window.previous_version_action,
                                      window.next_version_action, window.pin_action))
        app = QApplication.instance()
        language = str(app.property("storytellerLanguage") or "en")
        if LANGUAGE.read(window.qsettings) in ("", "system"):
            language_line = self.tr("The window speaks %1 because your system does.")
        else:
            language_line = self.tr("The window speaks %1, as chosen in the settings.")
        parts = [
            "<h2>" + self.tr("Welcome to Storyteller (이야기꾼)") + "</h2>",
            "<p>" + self.tr("Write the beginning of a story; the model continues it. Keep what you like, "
                            "change anything, or retry for another version.") + "</p>",
            "<p>" + self.tr("Model in use: <b>%1</b>.").replace("%1", escape(model)) + " "
            + self.tr("The small built-in demo model writes rough Korean. For real stories, download "
                      "KoGPT2 once: <b>Models → Model manager… → Download KoGPT2…</b>.") + "</p>",
            "<p>" + self.tr("Main keys:") + f"</p><table>{keys}</table>",
            "<p>" + self.tr("Tab moves to the next control; Help → Keyboard shortcuts lists them all.") + "</p>",
            "<p>" + language_line.replace("%1", LANGUAGE_NAMES.get(language, language)) + " "
            + self.tr("Change it in <b>Settings → Language</b> (after a restart).") + "</p>",
            "<p>" + self.tr("To see what it can do, open the example story “%1”.").replace("%1", self._example_title())
            + "</p>",
        ]
        return "".join(parts)

    @staticmethod
    def _example_title() -> str:
        try:
            return escape(load_story(EXAMPLE).title)
        except StorytellerError:
            return EXAMPLE.name
