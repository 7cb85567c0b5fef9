"""Training the loaded model's mood head from the steering panel, in the background: what
`storyteller train-head` does, with the panel's button, progress bar and status line."""

from __future__ import annotations

from PySide6.QtCore import QObject

from storyteller.engine.core.errors import TrainingCancelled
from storyteller.gui.background.ops import BackgroundOp


class MoodHeadTraining(QObject):
    """Trains a head for the client's model on the shipped reviews and measures the story again
    when it is ready. The model is loaded a second time on the work thread: the worker's copy may be
    writing meanwhile, with steering hooks attached to its blocks."""

    def __init__(self, panel, client, story_text):
        super().__init__(panel)
        self.panel, self.client, self.story_text = panel, client, story_text
        self._op: BackgroundOp | None = None
        panel.train_head.clicked.connect(self.start)
        client.model_loaded.connect(self._update_button)
        client.model_loading.connect(self._update_button)
        client.model_failed.connect(self._update_button)

    @property
    def running(self) -> bool:
        return self._op is not None and self._op.running

    def start(self) -> None:
        if self.running or self.client.loaded is None:
            return
        path, device = self.client.loaded.path, self.client.loaded.device.name

        def train(progress, cancel):
            from storyteller.engine.core.paths import cache_dir
            from storyteller.engine.models.loading import load_model
            from storyteller.engine.steering import mood

            loaded = load_model(path, device)
            return mood.train_head(
                loaded, mood.default_reviews(), mood.user_heads_dir(loaded.path),
                cache_dir=cache_dir() / "features", cancel=cancel,
                progress=lambda stage, done, total: progress((stage, done, total)),
            )

        self._op = BackgroundOp(self, train, what=self.tr("Training the mood head"), cancelled_by=TrainingCancelled)
        self._op.on_progress(self._on_progress).on_success(self._on_done).on_failure(self._on_failed)
        self._op.on_cancel(lambda: self._finish(self.tr("Training the mood head was stopped.")))
        self._op.finished.connect(self._update_button)
        self.panel.head_progress.setRange(0, 0)  # busy until the first report
        self.panel.head_progress.show()
        self._show(self.tr("Loading the model for training…"))
        self._op.run()
        self._update_button()

    def cancel(self) -> None:
        """Stop a training run (the window is closing): the head is only written at the end."""
        if self.running:
            self._op.cancel()
            self._op.wait(10_000)

    def _on_progress(self, report) -> None:
        stage, done, total = report
        self.panel.head_progress.setRange(0, total)
        self.panel.head_progress.setValue(done)
        title = self.tr("Reading the reviews") if stage == "features" else self.tr("Training the head")
        self._show(f"{title}: {done}/{total}")

    def _on_done(self, card) -> None:
        accuracy = card["accuracy"]["held_out"]
        self._finish(self.tr("The mood head is ready (%1 right on reviews it did not learn from).")
                     .replace("%1", f"{accuracy:.0%}"))
        self.client.measure_mood(self.story_text())  # the worker looks for a missing head again

    def _on_failed(self, message: str) -> None:
        self._finish(message)

    def _show(self, text: str) -> None:
        self.panel.head_status.setText(text)
        self.panel.head_status.show()

    def _finish(self, text: str) -> None:
        self.panel.head_progress.hide()
        self._show(text)

    def _update_button(self, *_) -> None:
        ready = self.client.loaded is not None and not self.client.loading
        self.panel.train_head.setEnabled(ready and not self.running)
