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


def token_alternative_shots(app, window) -> None:
    """The last continuation coloured by probability, with one token's alternatives menu open."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter, QTextCursor

    alternatives, editor = window.token_alternatives, window.editor
    alternatives.overlay_action.setChecked(True)
    settle(app, window)
    start, records = alternatives.spans(editor)[-1]
    record = max(records[len(records) // 3 :], key=lambda r: (len(r.alternatives) > 3, r.end - r.start > 1,
                                                                -max(c.probability for c in r.alternatives)))
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start + record.start + 1)
    point = editor.cursorRect(cursor).center()
    menu = alternatives.editor_hits.menu(*alternatives.editor_hits.hit(point))
    menu.popup(editor.viewport().mapToGlobal(point + QPoint(4, 8)))
    settle(app, window)
    area = editor.parentWidget()
    image = area.grab()
    painter = QPainter(image)
    painter.drawPixmap(area.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    image.save(str(DOCS / "token-alternatives-ko.png"))
    menu.close()


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

    token_alternative_shots(app, window)

    window.document.mark_saved()
    window.client.shutdown()
    print(f"wrote {DOCS / 'main-window-ko.png'} and {DOCS / 'steering-panel-ko.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
