"""The app's fonts: Korean-capable families first, at the sizes the editor and panels use."""

from __future__ import annotations

from PySide6.QtGui import QFont

KOREAN_FONTS = ["Noto Sans KR", "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", "sans-serif"]
EDITOR_POINT_SIZE = 13  # the editor's default; the writer makes it bigger or smaller (View menu)
MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 40


def korean_font(point_size: int = EDITOR_POINT_SIZE) -> QFont:
    font = QFont()
    font.setFamilies(KOREAN_FONTS)
    font.setPointSize(point_size)
    return font
