"""Fine-tune: pick texts, train in the background with a progress bar and a loss curve, then
switch to the new model."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.models.store import ModelStore, name_from
from storyteller.engine.settings.schema import setting_of
from storyteller.engine.training.trainer import (
    TrainConfig,
    TrainingCancelled,
    app_training_dir,
    remove_training_leftovers,
    train,
    training_leftovers,
)
from storyteller.gui.background.ops import BackgroundOp
from storyteller.gui.common.messages import show_error
from storyteller.gui.common.setting_widgets import label, spin_box


class LossCurve(QWidget):
    """Training loss over steps, drawn as a line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: list[tuple[int, float]] = []
        self.setMinimumHeight(140)

    def add(self, step: int, loss: float) -> None:
        """One logged step; a second report of the same step (an evaluation's) replaces the first."""
        if self.points and self.points[-1][0] == step:
            self.points[-1] = (step, loss)
        else:
            self.points.append((step, loss))
        self.update()

    def clear(self) -> None:
        self.points.clear()
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if len(self.points) < 2:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("The loss curve appears here."))
            return
        steps = [p[0] for p in self.points]
        losses = [p[1] for p in self.points]
        low, high = min(losses), max(losses)
        span_x, span_y = max(1, max(steps) - min(steps)), max(1e-6, high - low)
        width, height = self.width() - 20, self.height() - 20
        line = QPolygonF([
            QPointF(10 + width * (s - min(steps)) / span_x, 10 + height * (1 - (v - low) / span_y))
            for s, v in self.points
        ])
        painter.setPen(QPen(QColor("#3b6fb6"), 2))
        painter.drawPolyline(line)
        painter.setPen(QColor("#555555"))
        painter.drawText(12, 22, f"{high:.2f}")
        painter.drawText(12, self.height() - 12, f"{low:.2f}")


class TrainDialog(QDialog):
    trained = Signal(str)  # GUI thread: the new model is in the store
    model_ready = Signal(str)  # the writer chose to switch to it

    def __init__(self, client, parent=None):
        super().__init__(parent)
        self.setObjectName("trainDialog")
        self.setWindowTitle(self.tr("Fine-tune a model on your texts"))
        self.client = client
        self.cancel_event = threading.Event()
        self._op: BackgroundOp | None = None
        self.dataset = QLineEdit()
        self.dataset.setPlaceholderText(self.tr("A .txt file, a folder of .txt files, or a .story.json"))
        browse_file = QPushButton(self.tr("File…"))
        browse_folder = QPushButton(self.tr("Folder…"))
        browse_file.clicked.connect(self._pick_file)
        browse_folder.clicked.connect(self._pick_folder)
        data_row = QHBoxLayout()
        data_row.addWidget(self.dataset, 1)
        data_row.addWidget(browse_file)
        data_row.addWidget(browse_folder)
        self.base = QComboBox()
        for entry in ModelStore().list():
            self.base.addItem(entry.name)
        current = client.model_info.name if client.model_info else None
        if current is not None and self.base.findText(current) >= 0:
            self.base.setCurrentIndex(self.base.findText(current))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. my-style"))
        epochs, learning_rate = setting_of(TrainConfig, "num_train_epochs"), setting_of(TrainConfig, "learning_rate")
        self.epochs = spin_box(epochs)
        self.learning_rate = spin_box(learning_rate, decimals=6)
        self.learning_rate.setSingleStep(1e-5)
        form = QFormLayout()
        form.addRow(self.tr("Texts"), data_row)
        form.addRow(self.tr("Base model"), self.base)
        form.addRow(self.tr("Name of the new model"), self.name)
        form.addRow(label(epochs), self.epochs)
        form.addRow(label(learning_rate), self.learning_rate)
        self.leftovers = QLabel()
        self.leftovers.setObjectName("trainingLeftovers")
        self.leftovers.setWordWrap(True)
        self.clean_up = QPushButton(self.tr("Delete…"))
        self.clean_up.setObjectName("deleteTrainingLeftovers")
        self.clean_up.setToolTip(self.tr("Delete the files of training runs that were stopped or failed"))
        self.clean_up.clicked.connect(self.delete_leftovers)
        leftover_row = QHBoxLayout()
        leftover_row.addWidget(self.leftovers, 1)
        leftover_row.addWidget(self.clean_up)
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.curve = LossCurve()
        self.start = QPushButton(self.tr("Start training"))
        self.stop = QPushButton(self.tr("Stop"))
        self.close_button = QPushButton(self.tr("Close"))
        self.start.clicked.connect(self.start_training)
        self.stop.clicked.connect(self.cancel_event.set)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.start, self.stop, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.curve, 1)
        layout.addLayout(leftover_row)
        layout.addLayout(buttons)

        self.stop.setEnabled(False)
        self._eval_perplexity: float | None = None
        self._show_leftovers()
        self.resize(640, 520)

    def _pick_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Texts to learn from"), str(Path.home()),
                                              self.tr("Texts (*.txt *.story.json)"))
        if name:
            self.dataset.setText(name)

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of .txt files"), str(Path.home()))
        if folder:
            self.dataset.setText(folder)

    def config(self) -> TrainConfig:
        name = name_from(self.name.text().strip() or f"{self.base.currentText()}-tuned")
        return TrainConfig(
            dataset_path=self.dataset.text().strip(),
            output_dir=str(app_training_dir() / name),
            model=self.base.currentText(),
            name=name,
            overwrite_output_dir=True,
            num_train_epochs=self.epochs.value(),
            learning_rate=self.learning_rate.value(),
            block_size=min(512, self.client.model_info.n_positions) if self.client.model_info else 512,
            save_steps=100,
        )

    def start_training(self) -> None:
        if not self.dataset.text().strip():
            show_error(self, self.windowTitle(), self.tr("Choose the texts to learn from first."))
            return
        self.curve.clear()
        self._eval_perplexity = None
        self.clean_up.setEnabled(False)
        self.start.setEnabled(False)
        self.stop.setEnabled(True)
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Preparing the texts…"))
        config = self.config()

        def train_and_register(progress, cancel):
            final = train(config, progress=progress, cancel=cancel)
            entry = ModelStore().import_folder(final, name=config.name)
            shutil.rmtree(config.output_dir, ignore_errors=True)  # the store has its own copy now
            return entry

        self._op = BackgroundOp(self, train_and_register, what=self.tr("Training"), cancel_event=self.cancel_event,
                                cancelled_by=TrainingCancelled)
        self._op.on_progress(self._on_progress).on_success(self._on_done).on_failure(self._on_failed)
        self._op.on_cancel(self._on_cancelled).run()

    def _on_progress(self, progress) -> None:
        self.progress.setRange(0, max(1, progress.max_steps))
        self.progress.setValue(progress.step)
        self.status.setText(self._describe(progress))
        if progress.loss is not None:
            self.curve.add(progress.step, progress.loss)
        if progress.eval_perplexity is not None:
            self._eval_perplexity = progress.eval_perplexity

    def _describe(self, progress) -> str:
        """TrainProgress in the UI's language (its describe() is the CLI's English line)."""
        parts = [self.tr("step %1 of %2").replace("%1", str(progress.step)).replace("%2", str(progress.max_steps))]
        if progress.loss is not None:
            parts.append(self.tr("loss %1").replace("%1", f"{progress.loss:.3f}"))
        if progress.eval_perplexity is not None:
            parts.append(self.tr("held-out perplexity %1").replace("%1", f"{progress.eval_perplexity:.1f}"))
        if progress.seconds_left is not None:
            parts.append(self.tr("about %1 left").replace("%1", self._duration(int(progress.seconds_left))))
        return " · ".join(parts)

    def _duration(self, seconds: int) -> str:
        if seconds >= 3600:
            return self.tr("%1 h %2 min").replace("%1", str(seconds // 3600)).replace("%2", str(seconds % 3600 // 60))
        if seconds >= 60:
            return self.tr("%1 min %2 s").replace("%1", str(seconds // 60)).replace("%2", str(seconds % 60))
        return self.tr("%1 s").replace("%1", str(seconds))

    def _on_done(self, entry) -> None:
        name = entry.name
        self._idle()
        self.progress.setValue(self.progress.maximum())
        ready = self.tr("%1 is ready.").replace("%1", name)
        if self._eval_perplexity is not None:
            measured = self.tr("Perplexity on held-out text: %1 (lower is better).")
            ready += " " + measured.replace("%1", f"{self._eval_perplexity:.1f}")
        self.status.setText(ready)
        self.trained.emit(name)
        answer = QMessageBox.question(self, self.windowTitle(), self.tr("Switch to %1 now?").replace("%1", name))
        if answer == QMessageBox.StandardButton.Yes:
            self.model_ready.emit(name)

    def _on_failed(self, message: str) -> None:
        self._idle()
        self.status.setText(message)
        show_error(self, self.windowTitle(), message)

    def _on_cancelled(self) -> None:
        self._idle()
        self.status.setText(self.tr("Training stopped."))

    def _idle(self) -> None:
        self.start.setEnabled(True)
        self.stop.setEnabled(False)
        self.progress.setRange(0, 1)
        self._show_leftovers()

    def _show_leftovers(self) -> None:
        """What stopped and failed runs left on disk, and the button that deletes it."""
        size = sum(leftover.size_bytes for leftover in training_leftovers())
        self.leftovers.setText(
            self.tr("Stopped or failed training runs take %1 MB.").replace("%1", f"{size / 1e6:,.0f}") if size
            else self.tr("No files are left from earlier training runs."))
        self.clean_up.setEnabled(bool(size))

    def delete_leftovers(self) -> None:
        question = self.tr("Delete the files that stopped or failed training runs left in %1? "
                           "Your models stay.").replace("%1", str(app_training_dir()))
        if QMessageBox.question(self, self.windowTitle(), question) != QMessageBox.StandardButton.Yes:
            return
        freed = remove_training_leftovers()
        self._show_leftovers()
        self.status.setText(self.tr("Deleted %1 MB.").replace("%1", f"{freed / 1e6:,.0f}"))

    def done(self, result: int) -> None:
        if self._op is not None:
            self._op.cancel()
            self._op.wait(60_000)
        super().done(result)
