"""Starting the desktop app: Qt application, translations, settings, the engine thread, recovery."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storyteller.engine.core import paths
from storyteller.engine.core.device import DEVICE_CHOICES
from storyteller.engine.models.runtimes import RUNTIME_CHOICES


def settings_path() -> Path:
    return paths.config_dir() / "storyteller.ini"


def make_settings():
    from PySide6.QtCore import QSettings

    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def install_translator(app, language: str) -> str:
    """Korean or English UI: the system locale unless the settings say otherwise."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if language in ("", "system"):
        language = "ko" if QLocale.system().language() == QLocale.Language.Korean else "en"
    if language == "ko":
        # Ours, and Qt's own for the widgets' built-in menus and buttons (the editor's Undo, Cut,
        # Paste…), which were left in English.
        qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        app._storyteller_translators = []  # keep them alive
        for file in (paths.resource("translations", "storyteller_ko.qm"), Path(qt_translations) / "qtbase_ko.qm"):
            translator = QTranslator(app)
            if translator.load(str(file)):
                app.installTranslator(translator)
                app._storyteller_translators.append(translator)
    app.setProperty("storytellerLanguage", language)  # for what Qt's translator cannot pick (topic names)
    return language


def remove_translators(app) -> None:
    """Back to the English UI (tests switch languages within one process)."""
    for translator in getattr(app, "_storyteller_translators", []):
        app.removeTranslator(translator)
    app._storyteller_translators = []
    app.setProperty("storytellerLanguage", "en")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="storyteller", description="이야기꾼 desktop app")
    parser.add_argument("story", nargs="?", help="a .story.json to open")
    parser.add_argument("--model", help="model to load (name or folder)")
    parser.add_argument("--device", choices=DEVICE_CHOICES)
    parser.add_argument("--runtime", choices=RUNTIME_CHOICES)
    parser.add_argument("--language", choices=["system", "ko", "en"])
    parser.add_argument("--self-test", metavar="RESULT_FILE", nargs="?", const="storyteller-self-test.json",
                        help="start, load the demo model, write a few tokens, save a JSON result and exit "
                             "(0 on success): a smoke test for installed builds")
    return parser.parse_args(argv)


def run(argv: list[str]) -> int:
    import time

    from PySide6.QtWidgets import QApplication

    from storyteller.gui.common.settings_keys import LANGUAGE, MODEL_DEVICE, MODEL_NAME, MODEL_RUNTIME

    started = time.perf_counter()
    args = parse_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Storyteller")
    app.setApplicationDisplayName("이야기꾼 Storyteller")
    settings = make_settings()
    install_translator(app, args.language or LANGUAGE.read(settings))
    window = build_window(settings)
    window.show()
    if args.self_test:
        return self_test(app, window, Path(args.self_test), args.model or "demo", args.device or "cpu", started)
    model = args.model or MODEL_NAME.read(settings)
    window.client.load_model(model or None, args.device or MODEL_DEVICE.read(settings),
                             args.runtime or MODEL_RUNTIME.read(settings))
    open_first(window, settings, args.story)
    code = app.exec()
    window.client.shutdown()
    return code


def open_first(window, settings, story: str | None) -> None:
    """What the window starts with: the story asked for on the command line; else work to recover and,
    at the very first launch, the introduction."""
    from storyteller.gui.dialogs.intro import offer_intro

    if story:
        window.files.open_path(Path(story))
    else:
        window.files.offer_recovery()
        offer_intro(settings, window.show_intro)


def build_window(settings):
    from storyteller.gui.background.worker import EngineClient
    from storyteller.gui.main_window import MainWindow

    window = MainWindow(EngineClient(), settings)
    window.dock_layout.restore(settings)
    return window


def self_test(app, window, result_file: Path, model: str, device: str, started: float) -> int:
    """Load a model in the real window, continue a prompt through the real worker, record it."""
    import json
    import time

    from PySide6.QtCore import QTimer

    from storyteller.engine.story.document import Author, Piece, Story

    outcome = {"ok": False, "model": model, "platform": app.platformName()}

    def finish(ok: bool, **details) -> None:
        outcome.update(ok=ok, seconds=round(time.perf_counter() - started, 2), **details)
        result_file.write_text(json.dumps(outcome, ensure_ascii=False, indent=2), encoding="utf-8")
        app.exit(0 if ok else 1)

    def loaded(info) -> None:
        outcome["window_shown_s"] = window_shown
        runtime = window.client.loaded.runtime if window.client.loaded is not None else None
        outcome["runtime"] = runtime.name if runtime is not None else "torch"  # the demo ships int8 ONNX
        story = Story(pieces=[Piece.of(Author.WRITER, "옛날 옛적에")])
        story.generation = story.generation.replace(max_new_tokens=8, min_new_tokens=8, seed=1)
        story.tidy.trim_incomplete_sentence = False
        window.set_story(story, None)
        window.writing.continue_story()

    window_shown = round(time.perf_counter() - started, 2)
    window.client.model_loaded.connect(loaded)
    window.client.model_failed.connect(lambda message: finish(False, error=message))
    window.writing.generation_done.connect(lambda text: finish(bool(text), text=window.story.text()))
    window.client.failed.connect(lambda request, message: finish(False, error=message))
    QTimer.singleShot(600_000, lambda: finish(False, error="timed out after 10 minutes"))
    window.client.load_model(model, device)
    code = app.exec()
    window.client.shutdown()
    window.document.mark_saved()  # nothing to ask about when the test window closes
    return code
