"""Retake the README's screenshots (docs/*.png): the real window in Korean, offscreen, with the embedded
demo model continuing the example story. Settings and recovery copies go to a temporary folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/readme_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLE = ROOT / "resources" / "examples" / "안개_낀_고개.story.json"


def settle(app, window, rounds: int = 30) -> None:
    """Let pending layouts and debounced panels (context bar, counts, next words) catch up."""
    from PySide6.QtTest import QTest

    for _ in range(rounds):
        app.processEvents()
        QTest.qWait(20)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = tempfile.mkdtemp(prefix="storyteller-shots-")
    for kind in ("CONFIG", "DATA", "MODELS"):
        os.environ[f"STORYTELLER_{kind}_DIR"] = os.path.join(scratch, kind.lower())
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication, QDockWidget

    from storyteller.engine.steering import SteeringSettings
    from storyteller.gui.app import build_window, install_translator, make_settings

    app = QApplication([])
    install_translator(app, "ko")
    window = build_window(make_settings())
    window.resize(1280, 820)
    window.show()
    loaded = []
    window.client.model_loaded.connect(loaded.append)
    window.client.load_model("demo", "cpu")
    while not loaded:
        settle(app, window, 5)
    window.files.open_path(EXAMPLE)
    window.story.generation = window.story.generation.replace(seed=7)
    done = []
    window.writing.generation_done.connect(lambda *_: done.append(True))
    window.continue_action.trigger()
    while not done:
        settle(app, window, 5)
    settle(app, window)
    DOCS.mkdir(exist_ok=True)
    window.grab().save(str(DOCS / "main-window-ko.png"))

    window.steering.set_settings(SteeringSettings(topics=("sea",), topic_strength=0.6, mood=0.5))
    steering_dock = window.findChild(QDockWidget, "steeringDock")
    steering_dock.raise_()
    window.client.measure_mood(window.story.text())
    settle(app, window, 60)
    steering_dock.grab().save(str(DOCS / "steering-panel-ko.png"))

    version_tree_shot(app, window)

    window.document.mark_saved()
    window.client.shutdown()
    print(f"wrote {DOCS / 'main-window-ko.png'}, {DOCS / 'steering-panel-ko.png'} and {DOCS / 'version-tree-ko.png'}")
    return 0


def version_tree_shot(app, window) -> None:
    """The version tree with branches at three places: a retry, a continuation of it retried, and the
    opening's first words changed by the writer (the old text kept as a version)."""
    from PySide6.QtGui import QTextCursor

    for action, seed in ((window.retry_action, 8), (window.continue_action, 9), (window.retry_action, 10)):
        window.story.generation = window.story.generation.replace(seed=seed, max_new_tokens=40)
        done = []

        def finished(*_, done=done):
            done.append(True)

        window.writing.generation_done.connect(finished)
        action.trigger()
        while not done:
            settle(app, window, 5)
        window.writing.generation_done.disconnect(finished)
    window.editor.setFocus()
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor, 2)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText("그해 가을")
    window.version_tree.show_in()
    settle(app, window, 40)
    window.grab().save(str(DOCS / "version-tree-ko.png"))


if __name__ == "__main__":
    sys.exit(main())
