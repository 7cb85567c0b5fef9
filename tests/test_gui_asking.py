"""The small text dialogs (a model's name on import, a preset's name) are wide enough for their title
and a name: QInputDialog alone made them about 200 px, and the Korean title was cut (issue 27)."""

from __future__ import annotations

from storyteller.gui.common.asking import MIN_WIDTH, text_dialog


def test_a_name_dialog_fits_its_korean_title_and_a_name(qtbot):
    title = "모델 가져오기: 이야기꾼에서 쓸 이름을 정하세요"
    dialog = text_dialog(None, title, "이야기꾼에서 쓸 이름:", "kogpt2-base-v2-내-문체")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    metrics = dialog.fontMetrics()
    assert dialog.width() >= MIN_WIDTH
    assert dialog.width() >= metrics.horizontalAdvance(title) + 100
    assert dialog.textValue() == "kogpt2-base-v2-내-문체" and dialog.windowTitle() == title
