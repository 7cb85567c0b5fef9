"""The model manager against the local stand-in for the hub: license first, progress, cancel and
resume, then the new model is listed and used."""

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QMessageBox

from storyteller.engine.models import hub as hub_download
from storyteller.engine.models.catalogue import KNOWN_MODELS, KOGPT2_REPO
from storyteller.engine.models.store import ModelStore
from storyteller.gui.common.settings_keys import MODEL_NAME
from tests.helpers.hubserver import TINY_BIN_REPO
from tests.helpers.paths import ARTIFACTS

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def kogpt2_on_the_hub(hub, tiny_repo_dirs, monkeypatch):
    hub.add_repo(KOGPT2_REPO, tiny_repo_dirs[TINY_BIN_REPO], commit=KNOWN_MODELS[KOGPT2_REPO].revision)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setattr(hub_download, "CHUNK_SIZE", 16 * 1024)
    return hub


def test_download_shows_the_license_progress_cancel_resume_and_use(qtbot, window, kogpt2_on_the_hub, monkeypatch):
    from storyteller.gui.dialogs.models import ModelManager

    shown = []
    def answer(box):  # yes to the license; no to optimizing right after the download (tests/test_runtimes_gui.py)
        shown.append(box.text())
        no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        return no if box.objectName() == "optimizeQuestion" else yes

    monkeypatch.setattr(QMessageBox, "exec", answer)
    manager = ModelManager(window.client, window.qsettings, window)
    qtbot.addWidget(manager)
    manager.show()
    assert manager.download_button.isEnabled()

    # The local server is faster than the GUI thread's queue of progress updates, so the cancel
    # is made where the bytes arrive (the worker thread), through the same Event the button sets.
    real_download = manager.store.download

    def download_cancelled_mid_weights(repo_id, *, progress, cancel, **kwargs):
        def watch(update):
            progress(update)
            if update.file.endswith(".bin") and update.file_bytes_done > 0:
                cancel.set()

        return real_download(repo_id, progress=watch, cancel=cancel, **kwargs)

    monkeypatch.setattr(manager.store, "download", download_cancelled_mid_weights)
    with qtbot.waitSignal(manager.paused, timeout=60_000):
        manager.download_button.click()
    monkeypatch.setattr(manager.store, "download", real_download)
    assert "CC-BY-NC-SA 4.0" in shown[0] and "non-commercial" in shown[0]
    assert "resume" in manager.progress_label.text()
    assert "kogpt2-base-v2" not in [e.name for e in ModelStore().list()]
    manager.cancel_event.clear()
    manager.cancel_button.setEnabled(True)
    manager.cancel_button.click()  # the button sets that Event
    assert manager.cancel_event.is_set()

    with qtbot.waitSignal(manager.installed, timeout=60_000):
        manager.start_download(KOGPT2_REPO)
    ranges = [r.range for r in kogpt2_on_the_hub.gets("pytorch_model.bin")]
    assert ranges[-1] and ranges[-1].startswith("bytes=") and not ranges[-1].startswith("bytes=0-")  # resumed
    assert manager.progress.value() == manager.progress.maximum()
    names = [manager.table.item(row, 0).text() for row in range(manager.table.rowCount())]
    assert "kogpt2-base-v2" in names
    assert not manager.download_button.isEnabled()
    assert "int8 version of kogpt2-base-v2" in shown[-1]  # optimizing was offered at once

    manager.table.selectRow(names.index("kogpt2-base-v2"))
    with qtbot.waitSignal(window.client.model_loaded, timeout=60_000) as loaded:
        manager.use_button.click()
    assert loaded.args[0].name == "kogpt2-base-v2"
    assert MODEL_NAME.read(window.qsettings) == "kogpt2-base-v2"
    assert not window.banner.isVisible()


def test_a_model_that_cannot_load_is_a_message_not_a_traceback(qtbot, window):
    with qtbot.waitSignal(window.client.model_failed, timeout=60_000) as failed:
        window.client.load_model("no-such-model", "cpu")
    assert "No model named 'no-such-model'" in failed.args[0] and "Traceback" not in failed.args[0]
    assert window.last_error.isVisible() and "no-such-model" in window.last_error.text()
    # The model loaded before still works, and the failed name is not remembered for next time.
    assert window.continue_action.isEnabled() and "tiny" in window.status_model.text()
    assert MODEL_NAME.read(window.qsettings) != "no-such-model"



SHOTS = ARTIFACTS / "shots"  # screenshots for people to look at, taken when the folder exists


def _inside(widget, dialog) -> bool:
    """`widget` lies wholly inside `dialog`'s own area (nothing cut off at its edges)."""
    return dialog.rect().contains(QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size()))


def test_a_failed_download_keeps_the_dialog_on_the_screen_and_can_be_retried(
    qtbot, window, hub, tiny_repo_dirs, monkeypatch
):
    """The hub lacks KoGPT2's pinned revision: the long message wraps inside the dialog, the dialog stays
    within the screen's free area with every button reachable, and Download works again at once."""
    from storyteller.gui.dialogs.models import ModelManager

    hub.add_repo(KOGPT2_REPO, tiny_repo_dirs[TINY_BIN_REPO])  # at another commit than the pinned one
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "open", lambda box: None)  # the error box itself is not under test
    manager = ModelManager(window.client, window.qsettings, window)
    qtbot.addWidget(manager)
    manager.show()
    screen = manager.screen().availableGeometry()
    with qtbot.waitSignal(manager.failed, timeout=60_000) as failed:
        manager.download_button.click()
    assert len(failed.args[0]) > 100  # one line of it was wider than the screen before it wrapped
    qtbot.wait(50)  # the layout settles
    assert manager.width() <= screen.width() and manager.height() <= screen.height()
    assert manager.progress_label.text() == failed.args[0]
    for button in (manager.use_button, manager.import_button, manager.remove_button, manager.cancel_button,
                   manager.download_button):
        assert _inside(button, manager), button.text()
    assert manager.download_button.isEnabled()
    if SHOTS.is_dir():
        manager.grab().save(str(SHOTS / "models-dialog-failed-download-800x600.png"))

    hub.add_repo(KOGPT2_REPO, tiny_repo_dirs[TINY_BIN_REPO], commit=KNOWN_MODELS[KOGPT2_REPO].revision)
    with qtbot.waitSignal(manager.installed, timeout=60_000):
        manager.download_button.click()  # retried without reopening the dialog


def test_remove_is_not_offered_for_the_built_in_demo(qtbot, window, isolated):
    from storyteller.gui.dialogs.models import ModelManager

    manager = ModelManager(window.client, window.qsettings, window)
    qtbot.addWidget(manager)
    names = [manager.table.item(row, 0).text() for row in range(manager.table.rowCount())]
    manager.table.selectRow(names.index("demo"))
    assert not manager.remove_button.isEnabled()
    assert "built into Storyteller" in manager.remove_button.toolTip()
