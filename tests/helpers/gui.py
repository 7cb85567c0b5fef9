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


def release_modifiers(widget) -> None:
    """Let go of Shift, Ctrl, Alt and Meta. QTest tracks held modifiers app-wide: a shortcut whose key
    release went to a dialog it opened leaves the modifier 'held', and later clicks and selections
    (QTableView.selectRow toggles with Ctrl held) would act on that in other tests."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    for key in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
        QTest.keyRelease(widget, key)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier
