"""Every key the app keeps in its QSettings (storyteller.ini), declared once: its name, its default
and the type it is read as. Every read and write goes through these declarations
(tests/test_gui_settings_keys.py fails on a key typed anywhere else)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

from storyteller.gui.common.fonts import EDITOR_POINT_SIZE


@dataclass(frozen=True)
class Key:
    name: str
    default: Any = None
    type: type | None = None  # what QSettings converts the stored value to; None: as stored (bytes of a state)

    def read(self, settings: QSettings) -> Any:
        if self.type is None:
            return settings.value(self.name, self.default)
        return settings.value(self.name, self.default, type=self.type)

    def write(self, settings: QSettings, value: Any) -> None:
        settings.setValue(self.name, value)

    def remove(self, settings: QSettings) -> None:
        settings.remove(self.name)


# The model: the local one last loaded (its name is saved once it has loaded), on which device and
# runtime (Model manager), and the server written with last ("": the local model).
MODEL_NAME = Key("model/name", "", str)
MODEL_DEVICE = Key("model/device", "auto", str)
MODEL_RUNTIME = Key("model/runtime", "auto", str)
MODEL_SERVER = Key("model/server", "", str)
FOLLOW_STORY_SERVER = Key("servers/follow_story", False, bool)  # switch to a story's server without asking

# Writing: what new stories start from (the sampling last chosen, as JSON), and Stop's choice.
GENERATION_DEFAULTS = Key("generation/defaults", "", str)
KEEP_PARTIAL = Key("generation/keep_partial", True, bool)
SAMPLING_PRESETS = Key("sampling/presets", "{}", str)  # the writer's own presets, as JSON
SAMPLING_BASED_ON = Key("sampling/based_on", "{}", str)  # the preset behind the last edit, as JSON

# Files: the recent ones, newest first, and the folder of the last one ("": the home folder).
RECENT_FILES = Key("files/recent", [], list)
LAST_DIR = Key("files/last_dir", "", str)

# How the window looks and speaks.
FONT_SIZE = Key("view/font_size", EDITOR_POINT_SIZE, int)
THEME = Key("view/theme", "system", str)
PROBABILITY_COLOURS = Key("view/probability_colours", False, bool)
LANGUAGE = Key("ui/language", "system", str)  # "system", "ko" or "en", applied at the next start
INTRO_SHOWN = Key("intro/shown", False, bool)
WINDOW_GEOMETRY = Key("window/geometry")
WINDOW_STATE = Key("window/state")  # the docks' places (QMainWindow.saveState)
