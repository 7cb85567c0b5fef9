"""The Help menu: the keyboard shortcuts (read from the window's menus, where each shortcut is declared
once, on its action), the introduction shown at first launch, and the README."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QMainWindow, QMenu, QTableWidget, QTableWidgetItem,
    QVBoxLayout,
)

from storyteller.engine import paths


def readme_path() -> Path:
    """The README beside resources/: in a checkout, and in the packaged app (packaging/storyteller.spec)."""
    return paths.RESOURCES.parent / "README.md"


def plain(text: str) -> str:
    """A menu text as it reads: without the & of its mnemonic and the … of a dialog."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def menu_actions(window: QMainWindow) -> list[tuple[str, QAction]]:
    """(menu path, action) for every action in the window's menus and their submenus."""
    found = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {plain(action.menu().title())}")
            elif not action.isSeparator():
                found.append((path, action))

    for action in window.menuBar().actions():
        if action.menu() is not None:
            walk(action.menu(), plain(action.menu().title()))
    return found


def keys_text(action: QAction) -> str:
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action in the window's menus that has a shortcut."""
    return [(path, plain(action.text()), keys_text(action)) for path, action in menu_actions(window)
            if action.shortcuts()]


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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addWidget(buttons)
        self.resize(620, 520)


class HelpMenu(QMenu):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setObjectName("helpMenu")
        self.setTitle(self.tr("&Help"))
        self.window_ = window
        self.shortcuts_action = self.addAction(self.tr("&Keyboard shortcuts…"), self.show_shortcuts)
        self.shortcuts_action.setObjectName("keyboardShortcuts")
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        window.addAction(self.shortcuts_action)  # works while the menu is closed
        self.intro_action = self.addAction(self.tr("&Introduction…"), self.show_intro)
        self.intro_action.setObjectName("introduction")
        self.readme_action = self.addAction(self.tr("Read &me (README)"), self.open_readme)
        self.readme_action.setObjectName("readme")
        self.readme_action.setEnabled(readme_path().is_file())
        self.dialog: QDialog | None = None  # the last one opened, for tests

    def show_shortcuts(self) -> None:
        self.dialog = ShortcutsDialog(self.window_)
        self.dialog.open()

    def open_readme(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(readme_path())))

    def show_intro(self) -> None:
        from .intro import IntroDialog

        self.dialog = IntroDialog(self.window_)
        self.dialog.open()
