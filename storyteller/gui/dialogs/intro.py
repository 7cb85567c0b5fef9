"""The one-screen introduction shown at first launch (and from Help > Introduction): the model in
use and how to get KoGPT2, the main keys, the UI's language and where to change it, and the
example story to start from."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from storyteller.engine.core import paths
from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.story.file import load_story
from storyteller.gui.common.settings_keys import INTRO_SHOWN, LANGUAGE
from storyteller.gui.common.shortcuts import keys_text, plain

EXAMPLE = paths.resource("examples", "안개_낀_고개.story.json")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def offer_intro(settings: QSettings, show_intro: Callable[[], QDialog]) -> QDialog | None:
    """At the first launch only: the introduction (`show_intro` opens it), once (the flag is set when it
    is shown)."""
    if INTRO_SHOWN.read(settings):
        return None
    INTRO_SHOWN.write(settings, True)
    return show_intro()


class IntroDialog(QDialog):
    """`model`: the name of the model in use; `keys`: the actions whose shortcuts it lists; `settings`
    tell whether the writer chose the UI's language; `open_example` opens the example story."""

    def __init__(self, model: str, keys: list[QAction], settings: QSettings, open_example: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.model, self.keys, self.settings, self.open_example = model, keys, settings, open_example
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
        self.open_example()

    def _text(self) -> str:
        keys = "".join(f"<tr><td>{escape(plain(action.text()))}</td>"
                       f"<td>&nbsp;&nbsp;<b>{keys_text(action)}"
                       "</b></td></tr>"
                       for action in self.keys)
        app = QApplication.instance()
        language = str(app.property("storytellerLanguage") or "en")
        if LANGUAGE.read(self.settings) in ("", "system"):
            language_line = self.tr("The window speaks %1 because your system does.")
        else:
            language_line = self.tr("The window speaks %1, as chosen in the settings.")
        parts = [
            "<h2>" + self.tr("Welcome to Storyteller (이야기꾼)") + "</h2>",
            "<p>" + self.tr("Write the beginning of a story; the model continues it. Keep what you like, "
                            "change anything, or retry for another version.") + "</p>",
            "<p>" + self.tr("Model in use: <b>%1</b>.").replace("%1", escape(self.model)) + " "
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
