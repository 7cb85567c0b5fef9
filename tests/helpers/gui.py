"""Driving the window as a writer does: typing Korean, continuing and waiting for the text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def type_text(widget, text: str) -> None:
    """Type like a keyboard does, one key event per character (QTest.keyClicks is ASCII only)."""
    for char in text:
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def continue_and_wait(qtbot, win, action=None):
    with qtbot.waitSignal(win.writing.generation_done, timeout=60_000) as blocker:
        (action or win.continue_action).trigger()
    return blocker.args[0]
