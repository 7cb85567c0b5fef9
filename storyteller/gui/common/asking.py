"""Asking the writer for a short text (a model's name, a preset's name) in a dialog sized for it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QWidget

# QInputDialog on its own is about 200 px wide: a Korean title was cut off, and a name barely fit.
MIN_WIDTH = 420


def text_dialog(parent: QWidget | None, title: str, label: str, text: str = "") -> QInputDialog:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    metrics = dialog.fontMetrics()
    width = max(MIN_WIDTH, metrics.horizontalAdvance(title) + 160, metrics.horizontalAdvance(label) + 80)
    # The dialog's layout fixes its size to its contents (setMinimumWidth on the dialog is overridden):
    # widen the field it holds (setTextValue made it).
    dialog.findChild(QLineEdit).setMinimumWidth(width)
    return dialog


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """The text the writer typed, or None when they cancelled."""
    dialog = text_dialog(parent, title, label, text)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
