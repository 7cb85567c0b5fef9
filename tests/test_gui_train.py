"""The fine-tune dialog on a tiny real training run: a loss curve with a point per logged step,
the held-out perplexity at the end, the fine-tune's license, and cleaning up what runs leave."""

import pytest

from storyteller.engine.models.store import ModelStore
from storyteller.engine.training.trainer import app_training_dir
from tests.helpers.paths import ARTIFACTS

pytestmark = pytest.mark.timeout(300)

TEXT = "\n".join(
    ["바닷가 마을에 늙은 어부가 살았다. 그는 매일 새벽 배를 띄웠다.",
     "파도가 높은 날에도 그는 그물을 던졌다. 마을 사람들은 그를 걱정했다."] * 40
)
SHOTS = ARTIFACTS / "shots"  # screenshots for people to look at, taken when the folder exists


@pytest.fixture
def dialog(qtbot, window):
    from storyteller.gui.dialogs.training import TrainDialog

    dialog = TrainDialog(window.client, window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_fine_tune_draws_its_loss_curve_reports_perplexity_and_inherits_the_license(
    qtbot, dialog, isolated, questions
):
    texts = isolated / "texts.txt"
    texts.write_text(TEXT, encoding="utf-8")
    dialog.dataset.setText(str(texts))
    dialog.base.setCurrentText("demo")
    dialog.name.setText("my-style")
    dialog.epochs.setValue(4)
    dialog.curve.add(1, 9.0)  # a curve left from an earlier run
    dialog.curve.add(2, 8.0)

    with qtbot.waitSignal(dialog.trained, timeout=240_000):
        dialog.start.click()

    steps = [step for step, _ in dialog.curve.points]
    assert len(steps) >= 5 and steps == sorted(set(steps))  # a point per logged step, none twice
    assert (1, 9.0) not in dialog.curve.points  # the old run's curve is gone
    assert len({loss for _, loss in dialog.curve.points}) > 1  # a curve, not a flat point
    assert "my-style is ready" in dialog.status.text() and "held-out" in dialog.status.text()
    assert ModelStore().get("my-style").license == ModelStore().get("demo").license  # the base model's
    assert not (app_training_dir() / "my-style").exists()  # the store keeps the model; no checkpoints behind
    assert not dialog.clean_up.isEnabled()
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "fine-tune-dialog-done.png"))


def test_leftover_training_files_are_shown_with_their_size_and_deleted_on_request(dialog, questions):
    stopped = app_training_dir() / "stopped-run" / "checkpoints" / "checkpoint-4"
    stopped.mkdir(parents=True)
    (stopped / "optimizer.pt").write_bytes(b"\0" * 3_000_000)
    dialog._show_leftovers()
    assert "3 MB" in dialog.leftovers.text() and dialog.clean_up.isEnabled()

    dialog.clean_up.click()
    assert questions and not (app_training_dir() / "stopped-run").exists()
    assert not dialog.clean_up.isEnabled() and "Deleted 3 MB" in dialog.status.text()


def test_progress_is_told_in_the_dialogs_words(dialog):
    from storyteller.engine.training.trainer import TrainProgress

    progress = TrainProgress(3, 8, 0.5, 2.5, 12.0, seconds_elapsed=10.0, seconds_left=75.0)
    assert dialog._describe(progress) == "step 3 of 8 · loss 2.500 · held-out perplexity 12.0 · about 1 min 15 s left"
