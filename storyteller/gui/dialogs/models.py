"""The model manager: installed models, KoGPT2 download with progress / cancel / resume, import,
remove, optimize (int8 ONNX, see engine/runtimes), and the device and runtime to run on."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from storyteller.engine.core.errors import DownloadCancelled, StorytellerError
from storyteller.engine.models.catalogue import KNOWN_MODELS, KOGPT2_REPO
from storyteller.engine.models.runtimes import RUNTIME_CHOICES, RUNTIME_LABELS
from storyteller.engine.models.store import UNKNOWN_LICENSE, ModelStore
from storyteller.gui.background.ops import BackgroundOp
from storyteller.gui.common.asking import ask_text
from storyteller.gui.common.messages import error_text, show_error, translated
from storyteller.gui.common.settings_keys import MODEL_DEVICE, MODEL_RUNTIME


class ModelManager(QDialog):
    # Emitted in the GUI thread once the dialog has taken the worker's news in (tests wait on these).
    installed = Signal(str)
    progressed = Signal(object)  # DownloadProgress
    paused = Signal()
    failed = Signal(str)
    optimized = Signal(str)  # the model's name, once its int8 export is installed

    def __init__(self, client, settings: QSettings, parent=None, store: ModelStore | None = None):
        super().__init__(parent)
        self.setObjectName("modelManager")
        self.setWindowTitle(self.tr("Models"))
        self.client, self.qsettings = client, settings
        self.store = store or ModelStore()
        self.cancel_event = threading.Event()  # the Cancel button sets it; downloads and imports share it
        self._op: BackgroundOp | None = None  # downloads and imports take minutes: never on the GUI thread
        self._busy = False

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("modelTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Source"), self.tr("License"), self.tr("Size")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.device = QComboBox()
        self.device.setObjectName("device")
        names = {
            "auto": self.tr("Auto"),
            "cpu": self.tr("CPU"),
            "cuda": self.tr("GPU (CUDA)"),
            "mps": self.tr("GPU (Apple)"),
        }
        from storyteller.engine.core.device import (  # torch: loaded by now, on the worker
            DEVICE_CHOICES,
            available_devices,
        )

        available = available_devices()
        for key in DEVICE_CHOICES:
            if key == "auto" or key in available:
                self.device.addItem(names[key], key)
        current = MODEL_DEVICE.read(settings)
        self.device.setCurrentIndex(max(0, self.device.findData(current)))
        self.device.setToolTip(self.tr("Available here: %1").replace("%1", ", ".join(available)))

        self.runtime = QComboBox()
        self.runtime.setObjectName("runtime")
        for key in RUNTIME_CHOICES:
            self.runtime.addItem(translated(RUNTIME_LABELS[key]), key)
        self.runtime.setCurrentIndex(max(0, self.runtime.findData(MODEL_RUNTIME.read(settings))))

        self.use_button = QPushButton(self.tr("Use selected model"))
        self.use_button.setObjectName("useModel")
        self.download_button = QPushButton(self.tr("Download KoGPT2…"))
        self.download_button.setObjectName("downloadKogpt2")
        self.import_button = QPushButton(self.tr("Import folder…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.optimize_button = QPushButton(self.tr("Optimize"))
        self.optimize_button.setObjectName("optimizeModel")
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.cancel_button.setObjectName("cancelDownload")
        self.progress = QProgressBar()
        self.progress.setObjectName("downloadProgress")
        self.progress_label = QLabel()
        self.progress_label.setObjectName("downloadMessage")
        self.progress_label.setWordWrap(True)  # a failed download's message is long: it wraps, never widens
        self.store_label = QLabel(self.tr("Models are kept in %1").replace("%1", str(self.store.root)))
        self.store_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.use_button, self.download_button, self.import_button, self.optimize_button,
                       self.remove_button):
            buttons.addWidget(button)
        device_row = QHBoxLayout()
        device_row.addWidget(QLabel(self.tr("Run on")))
        device_row.addWidget(self.device)
        device_row.addWidget(QLabel(self.tr("Runtime")))
        device_row.addWidget(self.runtime)
        device_row.addStretch(1)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        # A message scrolls inside a box of bounded height: however long it is, the dialog does not
        # grow and its buttons stay on the screen.
        self.message_area = QScrollArea()
        self.message_area.setObjectName("downloadMessageArea")
        self.message_area.setWidget(self.progress_label)
        self.message_area.setWidgetResizable(True)
        self.message_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.message_area.setMaximumHeight(6 * self.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(device_row)
        layout.addLayout(progress_row)
        layout.addWidget(self.message_area)
        layout.addWidget(self.store_label)

        self.use_button.clicked.connect(self.use_selected)
        self.download_button.clicked.connect(self.ask_download)
        self.import_button.clicked.connect(self.ask_import)
        self.remove_button.clicked.connect(self.remove_selected)
        self.optimize_button.clicked.connect(self.optimize_selected)
        self.cancel_button.clicked.connect(self.cancel_event.set)
        self._set_busy(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh()
        self.resize(self._fit_to_screen(QSize(760, 420)))

    def _fit_to_screen(self, size: QSize) -> QSize:
        """`size`, no larger than the screen's free area (taskbars and panels excluded)."""
        screen = self.screen() or (self.parentWidget().screen() if self.parentWidget() else None)
        if screen is None:
            return size
        available = screen.availableGeometry().size()
        self.setMaximumSize(available)
        return size.boundedTo(available)

    def refresh(self) -> None:
        entries = self.store.list()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            size = sum(f.stat().st_size for f in Path(entry.path).glob("*") if f.is_file())
            license = self.tr("unknown — check the model page") if entry.license == UNKNOWN_LICENSE else entry.license
            values = [entry.name, self._describe_source(entry), license, f"{size / 1e6:.0f} MB"]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(self._describe(entry, value))
                self.table.setItem(row, column, item)
        installed = {entry.name for entry in entries}
        self.download_button.setEnabled(KNOWN_MODELS[KOGPT2_REPO].name not in installed)
        current = self.client.model_info.name if self.client.model_info else None
        for row, entry in enumerate(entries):
            if entry.name == current:
                self.table.selectRow(row)

    def _describe_source(self, entry) -> str:
        if entry.builtin:
            return self.tr("built-in demo")
        kind, _, where = entry.source.partition(":")
        described = {
            "imported": self.tr("imported from %1"),
            "hub": self.tr("Hugging Face Hub: %1"),
            "folder": self.tr("folder %1"),
        }
        return described[kind].replace("%1", where) if kind in described and where else entry.source

    def _describe(self, entry, shown: str) -> str:
        """A row's tooltip in the UI's language: the manifests' descriptions are English."""
        if entry.builtin:
            return self.tr("A small Korean demo model built into Storyteller, trained on KoCoNovel stories. "
                           "Download KoGPT2 for real stories.")
        known = next((model for model in KNOWN_MODELS.values() if model.name == entry.name), None)
        if known is not None and entry.source.startswith("hub:"):
            return translated(known.description)  # tr()-marked in the catalogue
        return shown

    def _selected_entry(self):
        name = self.selected_name()
        return next((entry for entry in self.store.list() if entry.name == name), None) if name else None

    def _selection_changed(self) -> None:
        """Remove is offered only for what can be removed: the built-in demo ships with the app."""
        entry = self._selected_entry()
        builtin = entry is not None and entry.builtin
        self.remove_button.setEnabled(not self._busy and entry is not None and not builtin)
        self.remove_button.setToolTip(
            self.tr("The demo model is built into Storyteller and cannot be removed.") if builtin else "")
        self._show_optimized(entry)

    def _show_optimized(self, entry) -> None:
        """The Optimize button says whether the selected model has a usable int8 version."""
        self.optimize_button.setEnabled(not self._busy and entry is not None)
        if entry is None:
            self.optimize_button.setToolTip("")
            return
        from storyteller.engine.models.runtimes.optimized import export_status

        status = export_status(entry.path)
        self.optimize_button.setText(self.tr("Optimize again") if status.usable else self.tr("Optimize"))
        if status.usable:
            quality = status.manifest["quality"]
            tip = (self.tr("Optimized: perplexity change %1 %, greedy tokens matching %2 %.")
                   .replace("%1", f"{100 * quality['perplexity_change']:+.3f}")
                   .replace("%2", f"{100 * quality['greedy_match']:.0f}"))
        elif status.state == "missing":
            tip = self.tr("Make an int8 version of this model that writes 3-5 times faster on this computer's CPU "
                          "(a few minutes, once).")
        else:
            tip = self.tr("The optimized version cannot be used: %1. Optimize again to rebuild it.").replace(
                "%1", error_text(status.reason))
        self.optimize_button.setToolTip(tip)

    def optimize_selected(self) -> None:
        entry = self._selected_entry()
        if entry is not None:
            self.start_optimize(entry.name)

    def start_optimize(self, name: str) -> None:
        from storyteller.engine.models.runtimes.optimize import OptimizeCancelled, optimize_model

        entry = self.store.get(name)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Optimizing %1…").replace("%1", name))
        self._set_busy(True)
        self.cancel_button.setText(self.tr("Cancel optimizing"))
        self._op = BackgroundOp(self, lambda progress, cancel: optimize_model(entry.path, progress, cancel),
                                what=self.tr("Optimizing"), cancel_event=self.cancel_event,
                                cancelled_by=OptimizeCancelled)
        self._op.on_progress(lambda update: self._on_optimize_progress(name, update))
        self._op.on_success(lambda result: self._on_optimized(name, result)).on_failure(self._on_failed)
        self._op.on_cancel(self._on_optimize_cancelled).run()

    def _on_optimize_progress(self, name: str, update) -> None:
        steps = {
            "export": self.tr("exporting to ONNX"),
            "optimize": self.tr("fusing the graph"),
            "quantize": self.tr("quantizing to int8"),
            "check": self.tr("checking it against the original"),
            "save": self.tr("saving"),
            "done": self.tr("done"),
        }
        self.progress.setValue(int(1000 * update.fraction))
        self.progress_label.setText(self.tr("Optimizing %1: %2…").replace("%1", name).replace("%2", steps[update.step]))

    def _on_optimized(self, name: str, result) -> None:
        self._set_busy(False)
        self.progress.setValue(1000)
        quality = result.quality
        self.progress_label.setText(
            self.tr("%1 is optimized: perplexity change %2 %, greedy tokens matching %3 %.")
            .replace("%1", name).replace("%2", f"{100 * quality.perplexity_change:+.3f}")
            .replace("%3", f"{100 * quality.greedy_match:.0f}"))
        self.refresh()
        current = self.client.model_info.name if self.client.model_info else None
        if name == current:  # switch the open model to its fast version now
            self.client.load_model(name, MODEL_DEVICE.read(self.qsettings), MODEL_RUNTIME.read(self.qsettings))
        self.optimized.emit(name)

    def _on_optimize_cancelled(self) -> None:
        self._set_busy(False)
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Optimizing was cancelled; nothing was kept."))
        self.refresh()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).text() if rows else None

    def use_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        device, runtime = self.device.currentData(), self.runtime.currentData()
        MODEL_DEVICE.write(self.qsettings, device)  # the name is saved once it has loaded
        MODEL_RUNTIME.write(self.qsettings, runtime)
        self.client.load_model(name, device, runtime)
        self.accept()

    def ask_download(self) -> None:
        known = KNOWN_MODELS[KOGPT2_REPO]
        text = (
            self.tr(
                "KoGPT2 (%1) by SK Telecom, about %2 MB.\n\nLicense: %3 — you may use it for non-commercial purposes, "
                "must credit SK Telecom, and must share adaptations under the same license.\n\nDownload it now?"
            )
            .replace("%1", known.repo_id)
            .replace("%2", str(known.size_hint_bytes // 1_000_000))
            .replace("%3", known.license)
        )
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Download KoGPT2"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("licenseDialog")
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.start_download(KOGPT2_REPO)

    def start_download(self, repo_id: str) -> None:
        self.progress_label.setText(self.tr("Connecting…"))
        self._run(lambda progress, cancel: self.store.download(repo_id, progress=progress, cancel=cancel),
                  self.tr("The download"), DownloadCancelled)

    def ask_import(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder with config.json, weights and tokenizer"))
        if not folder:
            return
        name = ask_text(self, self.tr("Import model"), self.tr("Name in Storyteller:"), Path(folder).name)
        if name is not None:
            self.progress.setRange(0, 0)
            self.progress_label.setText(self.tr("Importing…"))
            self._run(lambda progress, cancel: self.store.import_folder(Path(folder), name.strip() or None),
                      self.tr("The import"))

    def _run(self, work, what: str, cancelled_by=()) -> None:
        self._set_busy(True)
        self._op = BackgroundOp(self, work, what=what, cancel_event=self.cancel_event, cancelled_by=cancelled_by)
        self._op.on_progress(self._on_progress).on_success(self._on_done).on_failure(self._on_failed)
        self._op.on_cancel(self._on_cancelled).run()

    def remove_selected(self) -> None:
        entry = self._selected_entry()
        if entry is None or entry.builtin:
            return
        name = entry.name
        if (
            QMessageBox.question(
                self, self.tr("Remove model"), self.tr("Remove %1 from this computer?").replace("%1", name)
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        try:
            self.store.remove(name)
        except StorytellerError as error:
            show_error(self, self.tr("Remove model"), error)
        self.refresh()

    def _on_progress(self, progress) -> None:
        total = max(1, progress.total_bytes)
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * progress.total_bytes_done / total))
        self.progress_label.setText(
            f"{progress.file}: {progress.total_bytes_done / 1e6:.1f} / {progress.total_bytes / 1e6:.1f} MB")
        self.progressed.emit(progress)

    def _on_done(self, entry) -> None:
        name = entry.name
        self._set_busy(False)
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.progress_label.setText(self.tr("%1 is installed.").replace("%1", name))
        self.refresh()
        self.installed.emit(name)
        if name == KNOWN_MODELS[KOGPT2_REPO].name:
            self.offer_optimize(name)

    def offer_optimize(self, name: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Optimize %1").replace("%1", name),
            self.tr("Make an int8 version of %1 now? It writes 3-5 times faster on this computer's CPU. "
                    "It takes a few minutes, once; you can also do it later with Optimize.").replace("%1", name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self,
        )
        box.setObjectName("optimizeQuestion")
        if box.exec() == QMessageBox.StandardButton.Yes:
            self.start_optimize(name)

    def _on_failed(self, message: str) -> None:
        self._set_busy(False)
        self.progress.setRange(0, 1000)
        self.progress_label.setText(message)
        self.refresh()  # Download is offered again at once: a failed download can be retried
        self.failed.emit(message)
        show_error(self, self.tr("Models"), message)

    def _on_cancelled(self) -> None:
        self._set_busy(False)
        self.progress_label.setText(self.tr("Download paused. Start it again to resume where it stopped."))
        self.refresh()
        self.paused.emit()

    def _set_busy(self, busy: bool) -> None:
        self.cancel_button.setEnabled(busy)
        if not busy:
            self.cancel_button.setText(self.tr("Cancel download"))
        for button in (self.use_button, self.import_button, self.optimize_button):
            button.setEnabled(not busy)
        if busy:
            self.download_button.setEnabled(False)
        self._busy = busy
        self._selection_changed()

    def done(self, result: int) -> None:
        if self._op is not None:
            self._op.cancel()
            self._op.wait(30_000)
        super().done(result)
