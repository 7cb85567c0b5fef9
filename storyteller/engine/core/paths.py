"""Where Storyteller keeps its files, from platformdirs, each overridable for tests and power users."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "storyteller"
# A checkout or install: resources/ beside the package. A PyInstaller build (packaging/storyteller.spec):
# resources/ in the bundle's data folder, sys._MEIPASS (read-only, e.g. /opt/storyteller/_internal).
RESOURCES = (Path(sys._MEIPASS) if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS")
             else Path(__file__).resolve().parents[3]) / "resources"

# Environment overrides win over settings, which win over the platform default.
MODELS_DIR_ENV = "STORYTELLER_MODELS_DIR"
DATA_DIR_ENV = "STORYTELLER_DATA_DIR"
CONFIG_DIR_ENV = "STORYTELLER_CONFIG_DIR"


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def data_dir() -> Path:
    return _from_env(DATA_DIR_ENV, platformdirs.user_data_path(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _from_env(CONFIG_DIR_ENV, platformdirs.user_config_path(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What can be computed again (the mood head's cached features): the OS may purge it."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def models_dir(setting: str | os.PathLike | None = None) -> Path:
    """The model store. Fine-tuned models live here too, so it is a data directory, not a cache
    the OS may purge."""
    default = Path(setting).expanduser() if setting else data_dir() / "models"
    return _from_env(MODELS_DIR_ENV, default)


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)
