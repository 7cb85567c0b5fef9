"""Starting the desktop app: Qt application, translations, settings, the engine thread, recovery."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from storyteller.engine import paths


def settings_path() -> Path:
    return paths.config_dir() / "storyteller.ini"


def make_settings():
    from PySide6.QtCore import QSettings

    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def install_translator(app, language: str) -> str:
    """Korean or English UI: the system locale unless the settings say otherwise."""
    from PySide6.QtCore import QLocale, QTranslator

    if language in ("", "system"):
        language = "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"
    if language == "ko":
        translator = QTranslator(app)
        if translator.load(str(paths.resource("translations", "storyteller_ko.qm"))):
            app.installTranslator(translator)
            app._storyteller_translator = translator  # keep it alive
    return language


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="storyteller", description="이야기꾼 desktop app")
    parser.add_argument("story", nargs="?", help="a .story.json to open")
    parser.add_argument("--model", help="model to load (name or folder)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"])
    parser.add_argument("--language", choices=["system", "ko", "en"])
    return parser.parse_args(argv)


def run(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    args = parse_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Storyteller")
    app.setApplicationDisplayName("이야기꾼 Storyteller")
    settings = make_settings()
    install_translator(app, args.language or str(settings.value("ui/language", "system")))
    window = build_window(settings)
    window.show()
    model = args.model or str(settings.value("model/name", "") or "")
    window.client.load_model(model or None, args.device or str(settings.value("model/device", "auto")))
    if args.story:
        window.open_path(Path(args.story))
    else:
        window.offer_recovery()
    code = app.exec()
    window.client.shutdown()
    return code


def build_window(settings):
    from .panels import StorytellerWindow
    from .worker import EngineClient

    window = StorytellerWindow(EngineClient(), settings)
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
        window.restoreState(settings.value("window/state"))
    return window
