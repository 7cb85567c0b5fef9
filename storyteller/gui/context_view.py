"""A bar of what the model reads: memory, world info, story, author's note and room left.
Click it to see the exact text sent."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QVBoxLayout, QWidget

from storyteller.engine.context import BuiltContext

from .editor import korean_font

COLORS = {"memory": "#c98c2a", "world_info": "#4f8a3a", "story": "#3b6fb6", "authors_note": "#9b4fb0",
          "free": "#e3e3e3"}


class ContextBar(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("contextBar")
        self.context: BuiltContext | None = None
        self.error = ""
        self.setMinimumHeight(34)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def names(self) -> dict[str, str]:
        return {"memory": self.tr("memory"), "world_info": self.tr("world info"), "story": self.tr("story"),
                "authors_note": self.tr("author's note"), "free": self.tr("free")}

    def set_context(self, context: BuiltContext | None, error: str = "") -> None:
        self.context, self.error = context, error
        if context is not None:
            totals = context.tokens_by_kind()
            parts = [f"{self.names()[k]} {v}" for k, v in totals.items()]
            tip = self.tr("Tokens the model reads (of %1): ").replace("%1", str(context.budget)) + ", ".join(parts)
            if context.dropped_story_tokens:
                tip += "\n" + self.tr("Left out: the story's first %1 tokens.").replace(
                    "%1", str(context.dropped_story_tokens))
            self.setToolTip(tip + "\n" + self.tr("Click to see the exact text."))
        else:
            self.setToolTip(error)
        self.update()

    def segments(self) -> list[tuple[str, int]]:
        """(kind, tokens) in the order the model reads them, then the room left: the author's note
        is drawn where it sits in the story, which after a long story may be its very top."""
        if self.context is None:
            return []
        return [(part.kind, part.tokens) for part in self.context.parts if part.tokens] + [
            ("free", self.context.tokens_by_kind()["free"])]

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        if self.context is None:
            painter.fillRect(rect, QColor("#f5d5d5" if self.error else "#eeeeee"))
            painter.setPen(QColor("#333333"))  # the fill stays light in a dark theme: the text stays dark
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.error[:120] or self.tr("No model yet"))
            return
        budget = max(1, self.context.budget)
        x = rect.left()
        for kind, count in self.segments():
            width = rect.width() * count / budget
            segment = QRectF(x, rect.top(), width, rect.height())
            painter.fillRect(segment, QColor(COLORS[kind]))
            if width > 60:
                painter.setPen(QColor("white" if kind != "free" else "#555555"))
                painter.drawText(segment, Qt.AlignmentFlag.AlignCenter, f"{self.names()[kind]} {count}")
            x += width

    def mousePressEvent(self, event) -> None:
        self.show_sent_text()

    def show_sent_text(self) -> None:
        if self.context is not None:
            dialog = QDialog(self)
            dialog.setWindowTitle(self.tr("Text sent to the model"))
            view = QPlainTextEdit(self.context.describe() + "\n\n" + self.context.text)
            view.setReadOnly(True)
            view.setFont(korean_font(11))
            QVBoxLayout(dialog).addWidget(view)
            dialog.resize(700, 500)
            dialog.open()
