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
    from PySide6.QtCore import QEventLoop, QTimer

    for _ in range(rounds):
        app.processEvents()
        # An event loop of its own, not QTest.qWait: that one keeps the GIL while it waits, and the
        # model thread (loading, writing) starved: a Continue took minutes or never finished.
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


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

    from storyteller.engine.settings.steering import SteeringSettings
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
    world_info_shots(app, window)
    version_tree_shot(app, window)

    window.document.mark_saved()  # File > New from scenario, a shipped starter chosen and a name typed
    window.files.new_from_scenario()
    picker = window.files.scenario_picker
    picker.select(next(i for i, s in enumerate(picker.scenarios) if s.key == "novel-regression"))
    picker.fields["주인공"].setText("윤서진")
    settle(app, window)
    picker.grab().save(str(DOCS / "scenario-dialog-ko.png"))
    picker.reject()

    window.document.mark_saved()
    window.client.shutdown()
    shots = ("main-window-ko.png", "steering-panel-ko.png", "scenario-dialog-ko.png")
    print("wrote " + ", ".join(str(DOCS / shot) for shot in shots) + " and the world-info and version-tree shots")
    return 0


def world_info_shots(app, window) -> None:
    """The world-info editor with an exclusion key and an order, and why each entry is in or out."""
    from PySide6.QtWidgets import QDialog

    notes = window.notes
    notes.recursion.setValue(1)
    notes.entries.setCurrentRow(0)
    notes.exclude.setText("꿈")
    notes.order.setValue(150)
    settle(app, window)
    notes.grab().save(str(DOCS / "world-info-editor.png"))
    window.context_bar.show_sent_text()
    dialog = window.context_bar.findChild(QDialog, "contextDialog")
    settle(app, window)
    dialog.grab().save(str(DOCS / "context-viewer-world-info.png"))
    dialog.close()


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
