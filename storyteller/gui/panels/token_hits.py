"""Tokens under the mouse: a generated token's likeliest alternatives as a tooltip, a right-click
menu to choose one, and the colour-by-probability tints, on any text widget that shows generated
text (the editor, the Play transcript, the candidates dialog). The records and what choosing does
belong to controllers/token_alternatives.py."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication, QMenu, QTextEdit, QToolTip

from storyteller.engine.decode.requests import TokenRecord
from storyteller.gui.common.theme import Tints, tints_for

LIKELY, UNCERTAIN = 0.5, 0.1  # colour bands of the overlay
OVERLAY_MARK = QTextFormat.Property.UserProperty + 15  # on the overlay's formats


def shown(text: str) -> str:
    """A token's text made visible: spaces and line breaks are what tell ' 바다' from '바다'."""
    return text.replace(" ", "␣").replace("\n", "↵") or "∅"


def percent(probability: float) -> str:
    return f"{probability * 100:.1f}%" if probability >= 0.001 else "<0.1%"


def band_colour(probability: float, tints: Tints) -> str:
    if probability >= LIKELY:
        return tints.likely_token
    return tints.uncertain_token if probability >= UNCERTAIN else tints.unlikely_token


def record_at(records: list[TokenRecord], offset: int) -> int | None:
    """The index of the record whose text holds character `offset`."""
    return next((i for i, r in enumerate(records) if r.start <= offset < r.end), None)


def character_at(widget, pos: QPoint) -> int | None:
    """The document position of the character under `pos` (viewport coordinates), if any:
    the cursor nearest to the point, moved back one when the point lies left of it."""
    cursor = widget.cursorForPosition(pos)
    position = cursor.position()
    if pos.x() < widget.cursorRect(cursor).left():
        position -= 1
    if position < 0 or position >= widget.document().characterCount() - 1:
        return None
    rect = widget.cursorRect(cursor)
    if abs(pos.y() - rect.center().y()) > rect.height():
        return None  # beyond the end of a line
    return position


class TokenHits(QObject):
    """Tooltips, a choice menu and the overlay on one text widget whose characters are spans
    (start, records) given by `spans()`: (offset in the widget, records) per generated text."""

    def __init__(self, widget, spans, choose=None):
        super().__init__(widget)
        self.widget, self.spans, self.choose = widget, spans, choose
        widget.viewport().installEventFilter(self)
        widget.viewport().setMouseTracking(True)

    def hit(self, pos: QPoint):
        """(span number, record index, record) under `pos`, or None."""
        position = character_at(self.widget, pos)
        if position is None:
            return None
        for number, (start, records) in enumerate(self.spans()):
            index = record_at(records, position - start)
            if index is not None:
                return number, index, records[index]
        return None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            found = self.hit(event.pos())
            if found is None:
                QToolTip.hideText()
                return False
            QToolTip.showText(event.globalPos(), self.tooltip(found[2]), self.widget.viewport())
            return True
        if event.type() == QEvent.Type.ContextMenu and self.choose is not None:
            found = self.hit(event.pos())
            if found is not None:
                self.menu(*found).exec(event.globalPos())
                return True
        return False

    def tooltip(self, record: TokenRecord) -> str:
        rows = "".join(
            f"<tr><td>{'▶ ' if c.token_id == record.token_id else ''}{html.escape(shown(c.text))}</td>"
            f"<td align='right' style='padding-left:16px'>{percent(c.probability)}</td></tr>"
            for c in record.alternatives
        )
        title = self.tr("Written: %1 (%2)").replace("%1", html.escape(self.token_text(record))) \
            .replace("%2", percent(record.probability))
        return f"<b>{title}</b><table cellpadding='1'>{rows}</table>"

    def token_text(self, record: TokenRecord) -> str:
        """The token as written (its text in the widget, which is where the record came from)."""
        for start, records in self.spans():
            if record in records:
                return shown(self.widget.toPlainText()[max(0, start + record.start) : start + record.end])
        return ""

    def menu(self, number: int, index: int, record: TokenRecord) -> QMenu:
        menu = QMenu(self.widget)
        menu.setObjectName("tokenAlternatives")
        title = menu.addAction(self.tr("Instead of %1, write:").replace("%1", self.token_text(record)))
        title.setEnabled(False)
        for choice in record.alternatives:
            if choice.token_id == record.token_id:
                continue
            action = menu.addAction(f"{shown(choice.text)}\t{percent(choice.probability)}")
            action.triggered.connect(lambda _=False, c=choice: self.choose(number, index, c))
        if isinstance(self.widget, QTextEdit):
            menu.addSeparator()
            for action in self.widget.createStandardContextMenu().actions():
                action.setParent(menu)
                menu.addAction(action)
        return menu

    def show_overlay(self, on: bool) -> None:
        """Tint each generated token by its probability (extra selections: the text is untouched)."""
        # Other extra selections (the find bar's matches) stay; ours are marked to be told apart.
        selections = [s for s in self.widget.extraSelections() if not s.format.hasProperty(OVERLAY_MARK)]
        if on:
            tints = tints_for(QApplication.palette())
            length = self.widget.document().characterCount() - 1
            for start, records in self.spans():
                for record in records:
                    begin, end = max(0, start + record.start), min(length, start + record.end)
                    if end <= begin:
                        continue
                    selection = QTextEdit.ExtraSelection()
                    cursor = QTextCursor(self.widget.document())
                    cursor.setPosition(begin)
                    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                    fmt = QTextCharFormat()
                    fmt.setProperty(OVERLAY_MARK, True)
                    fmt.setBackground(QColor(band_colour(record.probability, tints)))
                    selection.cursor, selection.format = cursor, fmt
                    selections.append(selection)
        self.widget.setExtraSelections(selections)
