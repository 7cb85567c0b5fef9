"""Settings > Language: the choice is applied at the next start (app.install_translator)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from storyteller.gui.common.settings_keys import LANGUAGE


class SettingsMenu(QMenu):
    """The language kept in `settings`; `status_bar` says when it applies."""

    def __init__(self, settings: QSettings, status_bar: QStatusBar, parent: QWidget):
        super().__init__(parent)
        self.setTitle(self.tr("&Settings"))
        self.settings, self.status_bar = settings, status_bar
        language = self.addMenu(self.tr("Language (after restart)"))
        group = QActionGroup(self)
        current = LANGUAGE.read(settings)
        for code, title in (("system", self.tr("System")), ("ko", "한국어"), ("en", "English")):
            action = QAction(title, self, checkable=True)
            action.setChecked(code == current)
            action.setData(code)
            action.triggered.connect(self._set_language)
            group.addAction(action)
            language.addAction(action)

    def _set_language(self) -> None:
        LANGUAGE.write(self.settings, self.sender().data())
        self.status_bar.showMessage(self.tr("The language changes when Storyteller restarts."), 5000)
