"""The Help menu: the keyboard shortcuts (read from the window's menus, where each shortcut is declared
once, on its action: shortcuts.py), the introduction shown at first launch, and the README."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from storyteller.engine.core import paths
from storyteller.gui.common.shortcuts import menu_shortcuts


def readme_path() -> Path:
    """The README beside resources/: in a checkout, and in the packaged app (packaging/storyteller.spec)."""
    return paths.RESOURCES.parent / "README.md"


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [(self.tr("Story editor"), self.tr("Move the focus to the next or previous control"),
                 self.tr("Tab, Shift+Tab")), *menu_shortcuts(window)]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Action"), self.tr("Keys")])
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)  # Qt's own is not translated
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addWidget(buttons)
        self.resize(620, 520)


class HelpMenu(QMenu):
    """The shortcuts dialog lists those of the menus of `window`; `show_intro` opens the introduction."""

    def __init__(self, window: QMainWindow, show_intro: Callable[[], QDialog]):
        super().__init__(window)
        self.setObjectName("helpMenu")
        self.setTitle(self.tr("&Help"))
        self.window_ = window
        self.shortcuts_action = self.addAction(self.tr("&Keyboard shortcuts…"), self.show_shortcuts)
        self.shortcuts_action.setObjectName("keyboardShortcuts")
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        window.addAction(self.shortcuts_action)  # works while the menu is closed
        self.intro_action = self.addAction(self.tr("&Introduction…"), show_intro)
        self.intro_action.setObjectName("introduction")
        self.readme_action = self.addAction(self.tr("Read &me (README)"), self.open_readme)
        self.readme_action.setObjectName("readme")
        self.readme_action.setEnabled(readme_path().is_file())

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.window_).open()  # the window owns it

    def open_readme(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(readme_path())))
