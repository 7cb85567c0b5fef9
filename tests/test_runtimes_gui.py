"""The model manager's Optimize button, the runtime choice and the status line saying which runtime
wrote, driven as a writer would."""

from __future__ import annotations

import pytest

from tests.helpers.gui import continue_and_wait
from tests.helpers.paths import ARTIFACTS

pytestmark = pytest.mark.timeout(300)


def test_optimize_with_progress_then_write_on_int8_onnx(qtbot, window, tiny_model_dir):
    from storyteller.engine.models.store import ModelStore
    from storyteller.gui.common.settings_keys import MODEL_RUNTIME
    from storyteller.gui.dialogs.models import ModelManager

    ModelStore().import_folder(tiny_model_dir, "tiny-store")
    manager = ModelManager(window.client, window.qsettings, window)
    qtbot.addWidget(manager)
    manager.show()
    names = [manager.table.item(row, 0).text() for row in range(manager.table.rowCount())]
    manager.table.selectRow(names.index("tiny-store"))
    assert manager.optimize_button.isEnabled() and manager.optimize_button.text() == "Optimize"
    assert "faster" in manager.optimize_button.toolTip()

    steps = []
    manager.progress.valueChanged.connect(steps.append)
    with qtbot.waitSignal(manager.optimized, timeout=240_000):
        manager.optimize_button.click()
        assert not manager.use_button.isEnabled() and manager.cancel_button.text() == "Cancel optimizing"
    assert steps[-1] == 1000 and len(set(steps)) >= 4  # export, optimize, quantize, check, done
    assert "is optimized" in manager.progress_label.text() and "greedy tokens matching" in manager.progress_label.text()
    assert manager.optimize_button.text() == "Optimize again"
    assert "perplexity change" in manager.optimize_button.toolTip()
    ARTIFACTS.mkdir(exist_ok=True)
    manager.grab().save(str(ARTIFACTS / "models-dialog-optimized.png"))

    assert manager.runtime.currentData() == "auto"
    with qtbot.waitSignal(window.client.model_loaded, timeout=60_000):
        manager.use_button.click()
    assert window.qsettings.contains(MODEL_RUNTIME.name) and MODEL_RUNTIME.read(window.qsettings) == "auto"
    assert "int8 ONNX" in window.status_model.text()
    result = continue_and_wait(qtbot, window)
    assert result
    assert "int8 ONNX" in window.status_model.text()


def test_the_runtime_choice_is_remembered_and_used(qtbot, window, tiny_model_dir):
    from storyteller.engine.models.store import ModelStore
    from storyteller.gui.common.settings_keys import MODEL_RUNTIME
    from storyteller.gui.dialogs.models import ModelManager

    ModelStore().import_folder(tiny_model_dir, "tiny-store")
    manager = ModelManager(window.client, window.qsettings, window)
    qtbot.addWidget(manager)
    names = [manager.table.item(row, 0).text() for row in range(manager.table.rowCount())]
    manager.table.selectRow(names.index("tiny-store"))
    manager.runtime.setCurrentIndex(manager.runtime.findData("onnx"))
    with qtbot.waitSignal(window.client.model_failed, timeout=60_000) as failed:
        manager.use_button.click()  # not optimized: refused with the way out, not silently PyTorch
    assert MODEL_RUNTIME.read(window.qsettings) == "onnx"
    assert "not been optimized" in failed.args[0] and "Optimize" in failed.args[0]
    assert "PyTorch" in window.status_model.text()  # the model it had stays
