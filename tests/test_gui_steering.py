"""The steering panel and mood meter, driven through the real window and worker thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from storyteller.engine.steering import SteeringSettings
from storyteller.engine.storyfile import load_story
from tests.helpers.gui import continue_and_wait, type_text
from tests.helpers.paths import ARTIFACTS, ROOT

pytestmark = pytest.mark.timeout(240)


def tick_topic(panel, topic_id: str) -> None:
    for row in range(panel.topics.count()):
        item = panel.topics.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == topic_id:
            item.setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"no topic {topic_id}")


def test_steering_panel_saves_into_the_story_and_comes_back(qtbot, window, isolated):
    panel = window.steering
    assert panel.topics.count() >= 8 and panel.estimate.text() == "Steering is off."
    tick_topic(panel, "sea")
    panel.strength.setValue(60)
    panel.topic_method.setCurrentIndex(panel.topic_method.findData("pplm"))
    panel.words.setText("철수, 영희 ,")
    panel.words.editingFinished.emit()
    panel.mood.setValue(-40)
    assert window.story.steering == SteeringSettings(
        topics=("sea",), words=("철수", "영희"), topic_strength=0.6, topic_method="pplm", mood=-0.4)
    assert "slower" in panel.estimate.text() and window.isWindowModified()

    path = isolated / "steered.story.json"
    window.files.save_to(path)
    assert load_story(path).steering.topics == ("sea",)
    panel.set_settings(SteeringSettings())
    window.files.open_path(path)
    assert panel.strength.value() == 60 and panel.words.text() == "철수, 영희" and panel.mood.value() == -40
    assert panel.topic_method.currentData() == "pplm"


def test_pplm_continuation_reports_progress_and_the_meter_reads_the_story(qtbot, window, isolated):
    from storyteller.engine.model import load_model
    from storyteller.engine.steering.mood import train_head, user_heads_dir

    reviews = isolated / "reviews.tsv"
    lines = (ROOT / "resources" / "steering" / "sentiment" / "nsmc_test.tsv").read_text(encoding="utf-8").splitlines()
    reviews.write_text("\n".join(lines[:121]) + "\n", encoding="utf-8")
    loaded = load_model(window.client.model_info.path, "cpu")
    train_head(loaded, reviews, user_heads_dir(loaded.path), cache_dir=isolated / "cache", epochs=20)

    window.editor.setFocus()
    type_text(window.editor, "바닷가 마을에 아침이 왔다.")
    panel = window.steering
    tick_topic(panel, "sea")
    panel.strength.setValue(80)
    panel.topic_method.setCurrentIndex(panel.topic_method.findData("pplm"))
    steps = []
    window.client.progress.connect(lambda request_id, progress: steps.append(progress.step))
    # the meter was asked at start, before the head existed; wait for the reading after writing
    with qtbot.waitSignal(
        window.client.mood, timeout=60_000, check_params_cb=lambda b, note: b is not None
    ) as measured:
        text = continue_and_wait(qtbot, window)
    assert text and steps and steps == sorted(steps)
    brightness, note = measured.args
    assert brightness is not None and 0 <= brightness <= 1 and note == "", note
    assert panel.meter.isEnabled()
    assert panel.meter.value() == round(brightness * 100)


def test_panel_names_topic_files_it_cannot_use(qtbot, isolated):
    from storyteller.gui.steering import SteeringPanel

    (isolated / "data" / "topics").mkdir(parents=True)
    (isolated / "data" / "topics" / "empty.txt").write_text("# name: 빈 목록\n", encoding="utf-8")
    panel = SteeringPanel()
    qtbot.addWidget(panel)
    assert panel.topics.count() >= 8  # the other lists are still offered
    assert not panel.topic_problems.isHidden() and "empty.txt has no words" in panel.topic_problems.text()


def test_meter_says_how_to_get_a_mood_head(qtbot, window):
    with qtbot.waitSignal(window.client.mood, timeout=30_000) as measured:
        window.client.measure_mood("햇살이 따뜻했다.")
    assert measured.args[0] is None and "train-head" in measured.args[1]
    assert not window.steering.meter.isEnabled() and "train-head" in window.steering.meter_note.text()


def test_steering_panel_screenshot_in_korean(qtbot, isolated, tiny_model_dir, questions):
    from PySide6.QtWidgets import QApplication, QDockWidget

    from storyteller.gui.app import build_window, install_translator, make_settings

    app = QApplication.instance()
    install_translator(app, "ko")
    win = build_window(make_settings())
    qtbot.addWidget(win)
    try:
        win.resize(1280, 820)
        win.show()
        win.steering.set_settings(SteeringSettings(topics=("sea",), topic_strength=0.6, mood=0.5))
        win.steering.set_mood(0.72)
        steering_dock = win.findChild(QDockWidget, "steeringDock")
        steering_dock.raise_()
        qtbot.wait(200)
        assert win.steering.topic_method.itemText(0) != "Word bias (fast)"  # translated
        ARTIFACTS.mkdir(exist_ok=True)
        image = steering_dock.grab().toImage()
        assert image.save(str(ARTIFACTS / "steering-panel-ko.png"))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20  # not blank
    finally:
        win.client.shutdown()
        app.removeTranslator(app._storyteller_translator)
        app.setProperty("storytellerLanguage", "en")

