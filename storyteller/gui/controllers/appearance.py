"""How the window looks, as the writer chose it: the editor's text size and the theme, both kept
in the settings (View menu)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from storyteller.gui.common.fonts import EDITOR_POINT_SIZE, korean_font
from storyteller.gui.common.settings_keys import FONT_SIZE, THEME
from storyteller.gui.common.shortcuts import shortcut_action
from storyteller.gui.common.theme import THEMES, apply_theme, banner_style, tints_for
from storyteller.gui.document.document import StoryDocument
from storyteller.gui.document.editor import StoryEditor
from storyteller.gui.panels.play import PlayView


class Appearance(QObject):
    """The editor's text size (the Play transcript's too) and the theme, which also tints the editor and
    the demo banner and redraws the transcript; `document` is the story the transcript shows."""

    def __init__(self, settings: QSettings, editor: StoryEditor, play: PlayView, banner: QWidget,
                 document: StoryDocument, parent: QObject):
        super().__init__(parent)
        self.settings, self.editor, self.play, self.banner, self.document = settings, editor, play, banner, document
        self.bigger_action = shortcut_action(self, self.tr("Bigger text"), lambda: self.change_size(+1),
                                             [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")], "biggerText")
        self.smaller_action = shortcut_action(self, self.tr("Smaller text"), lambda: self.change_size(-1),
                                              [QKeySequence.StandardKey.ZoomOut], "smallerText")
        self.reset_size_action = shortcut_action(self, self.tr("Reset text size"), self.reset_size, "Ctrl+0",
                                                 "resetTextSize")
        names = {"system": self.tr("System"), "light": self.tr("Light"), "dark": self.tr("Dark")}
        self.theme_actions = QActionGroup(self)
        for name in THEMES:
            action = QAction(names[name], self)
            action.setObjectName(f"theme_{name}")
            action.setCheckable(True)
            action.setData(name)
            self.theme_actions.addAction(action)
        self.theme_actions.triggered.connect(lambda action: self.set_theme(action.data()))
        self._set_size(FONT_SIZE.read(settings), remember=False)
        self.set_theme(THEME.read(settings), remember=False)

    def fill_menu(self, menu: QMenu) -> None:
        """The text size and theme entries; the window holds the size actions for their shortcuts."""
        menu.addActions([self.bigger_action, self.smaller_action, self.reset_size_action])
        themes = menu.addMenu(self.tr("Theme"))
        themes.addActions(self.theme_actions.actions())

    def change_size(self, step: int) -> None:
        self._set_size(self.editor.point_size() + step)

    def reset_size(self) -> None:
        self._set_size(EDITOR_POINT_SIZE)

    def _set_size(self, points: int, remember: bool = True) -> None:
        points = self.editor.set_point_size(points)
        self.play.transcript.setFont(korean_font(points))  # the story as played, at the same size
        if remember:
            FONT_SIZE.write(self.settings, points)

    def theme(self) -> str:
        return self.theme_actions.checkedAction().data()

    def set_theme(self, name: str, remember: bool = True) -> None:
        name = name if name in THEMES else "system"
        apply_theme(name)
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == name)
        tints = tints_for(QApplication.palette())
        self.editor.set_tints(tints)
        self.banner.setStyleSheet(banner_style(tints))
        self.play.show_story(self.document.story)
        if remember:
            THEME.write(self.settings, name)
