"""Keyboard shortcuts, declared once each on an action (shortcut_action), and read off the window's
actions for the Help menu's list and the introduction's main keys."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


def shortcut_action(parent: QObject, text: str, slot, shortcut=None, name: str = "") -> QAction:
    """An action that calls `slot`, named `name`, with `shortcut` (a key sequence, a standard key, or a
    list of key sequences) working anywhere in the window once the window holds it (addAction)."""
    action = QAction(text, parent)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    return action


def plain(text: str) -> str:
    """A menu text as it reads: without its mnemonic (a Korean "(&F)" as well as an English "&") and the …
    of a dialog."""
    text = re.sub(r"\s*\(&\w\)", "", text)
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
    """The action's shortcuts as this platform writes them; a standard key the platform lacks is left out."""
    return ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
                     if not key.isEmpty())


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action in the window's menus that has a shortcut."""
    return [(path, plain(action.text()), keys_text(action)) for path, action in menu_actions(window)
            if keys_text(action)]
