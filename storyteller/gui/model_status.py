"""Which model the window writes with: its status line and demo banner, the context builder for
it, the model name remembered for the next start, and the dialogs that change it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from storyteller.engine.context import ContextBuilder

from .messages import error_text


class ModelStatus(QObject):
    """Works for the window: its model label, demo banner and error display."""

    ready = Signal(object)  # ModelInfo: a model is loaded and `builder` reads for it

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.client = window.client
        self.qsettings = window.qsettings
        self.builder: ContextBuilder | None = None  # for the loaded model
        self._requested = ""  # the model being loaded, remembered in the settings once it loads
        self.client.model_loading.connect(self._loading)
        self.client.model_loaded.connect(self._loaded)
        self.client.model_failed.connect(self._failed)
        self.client.finished.connect(self._served)

    def _loading(self, name: str) -> None:
        self._requested = name
        self.builder = None
        self.window.status_model.setText(self.tr("Loading model %1…").replace("%1", name or self.tr("(default)")))

    def _loaded(self, info) -> None:
        if self._requested:
            self.qsettings.setValue("model/name", self._requested)
        self._use(info)
        self.window.banner.setVisible(info.builtin)
        self.ready.emit(info)

    def _failed(self, message: str) -> None:
        if self.client.loaded is not None and self.client.model_info is not None:
            self._use(self.client.model_info)  # the worker still has the model it had: keep using it
        else:
            self.window.status_model.setText(self.tr("No model loaded"))
        self.window.show_error(self.tr("The model could not be loaded"), message)

    def _use(self, info) -> None:
        self.builder = ContextBuilder(self.client.loaded.tokenizer, info.n_positions)
        runtime = self.client.loaded.runtime
        self._show_model(info, runtime.name if runtime is not None else "torch")
        notice = self.client.loaded.notice
        self.window.status_model.setToolTip(error_text(notice) if notice is not None else "")

    def _served(self, request_id: int, result) -> None:
        """The runtime that wrote the last result: steering inside the model runs on PyTorch."""
        if self.client.model_info is not None:
            self._show_model(self.client.model_info, result.runtime)

    def _show_model(self, info, runtime: str) -> None:
        device = self._device_text(self.client.loaded.device)
        runtime_text = self.tr("int8 ONNX") if runtime == "onnx" else self.tr("PyTorch")
        self.window.status_model.setText(
            self.tr("Model: %1 on %2 · %3").replace("%1", info.name).replace("%2", device).replace("%3", runtime_text))

    def _device_text(self, device) -> str:
        """The engine's DeviceInfo in the UI's language."""
        if device.name == "cpu":
            from storyteller.engine.device import cpu_thread_count

            return self.tr("CPU (%n threads)", "", cpu_thread_count())
        if device.name == "mps":
            return self.tr("Apple GPU (Metal)")
        return self.tr("GPU: %1").replace("%1", device.description.removeprefix("GPU: "))

    def open_model_manager(self) -> None:
        from .models_dialog import ModelManager

        ModelManager(self.client, self.qsettings, self.window).exec()

    def open_fine_tune(self) -> None:
        from .train_dialog import TrainDialog

        dialog = TrainDialog(self.client, self.window)
        dialog.model_ready.connect(self.switch_model)
        dialog.exec()

    def switch_model(self, name: str) -> None:
        self.client.load_model(name, str(self.qsettings.value("model/device", "auto")),
                               str(self.qsettings.value("model/runtime", "auto")))
