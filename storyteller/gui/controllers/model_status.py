"""Which model the window writes with: its status line, the context builder for
it, the model name remembered for the next start, the dialogs that change it, and the one-click
switch between the local model and the servers (storyteller/engine/servers), which the story
remembers and offers again when it is opened."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QStatusBar, QToolButton, QWidget

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.story.context import ContextBuilder
from storyteller.engine.story.document import StoryServer
from storyteller.gui.background.worker import EngineClient
from storyteller.gui.common.messages import ErrorReporter, error_text
from storyteller.gui.common.settings_keys import (
    FOLLOW_STORY_SERVER,
    MODEL_DEVICE,
    MODEL_NAME,
    MODEL_RUNTIME,
    MODEL_SERVER,
)
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.panels.sampling import SamplingPanel
from storyteller.gui.panels.steering import SteeringPanel


class ModelStatus(QObject):
    """Says in `label` which model or server the engine `client` writes with, and offers the switch
    between them (`switch_button`, `backend_menu`); marks in the `sampling` and `steering` panels what a
    server ignores; keeps the backend that wrote the story of `document`. Dialogs open over `parent`."""

    ready = Signal(object)  # ModelInfo: a model is loaded and `builder` reads for it

    def __init__(self, client: EngineClient, settings: QSettings, document: StoryDocument, label: QLabel,
                 sampling: SamplingPanel, steering: SteeringPanel, status_bar: QStatusBar, show_error: ErrorReporter,
                 parent: QWidget):
        super().__init__(parent)
        self.client, self.qsettings, self.document = client, settings, document
        self.label, self.sampling, self.steering = label, sampling, steering
        self.status_bar, self.show_error = status_bar, show_error
        self.builder: ContextBuilder | None = None  # for the loaded model
        self._requested = ""  # the model being loaded, remembered in the settings once it loads
        # The server the writer last wrote with: connected to once the local model has loaded at start
        # (the local one stays loaded for switching back).
        self._reconnect = MODEL_SERVER.read(self.qsettings)
        self.client.model_loading.connect(self._loading)
        self.client.model_loaded.connect(self._loaded)
        self.client.model_failed.connect(self._failed)
        # "Write with": the local model and every registered server, one click each (Models menu
        # and the button beside the status line).
        self.backend_menu = QMenu(self.tr("Write with"), parent)
        self.backend_menu.setObjectName("backendMenu")
        self.backend_menu.aboutToShow.connect(self.fill_backend_menu)
        self.switch_button = QToolButton()
        self.switch_button.setObjectName("switchBackend")
        self.switch_button.setText(self.tr("Switch"))
        self.switch_button.setToolTip(self.tr("Write with the local model or a server"))
        self.switch_button.setMenu(self.backend_menu)
        self.switch_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.client.finished.connect(self._served)

    def _loading(self, name: str) -> None:
        self.builder = None
        if self.client.connecting:
            text = self.tr("Connecting to %1…").replace("%1", self.client.connecting)
        else:
            self._requested = name
            text = self.tr("Loading model %1…").replace("%1", name or self.tr("(default)"))
        self.label.setText(text)

    def _loaded(self, info) -> None:
        if info.server:
            MODEL_SERVER.write(self.qsettings, info.server)
        elif not self._reconnect:
            MODEL_SERVER.remove(self.qsettings)
        if not info.server and self._requested:
            MODEL_NAME.write(self.qsettings, self._requested)
        self._use(info)
        self.ready.emit(info)
        if self._reconnect:
            name, self._reconnect = self._reconnect, ""
            self.use_server(name)

    def _failed(self, message: str) -> None:
        if self.client.tokenizer is not None and self.client.model_info is not None:
            self._use(self.client.model_info)  # the worker still has the backend it had: keep using it
        else:
            self.label.setText(self.tr("No model loaded"))
        if self.client.connecting:
            title = self.tr("Could not connect to the server %1").replace("%1", self.client.connecting)
            if not self.client.server:  # the local model writes: the next start stays local, without this error
                MODEL_SERVER.remove(self.qsettings)
        else:
            title = self.tr("The model could not be loaded")
        self.show_error(title, message)

    def _use(self, info) -> None:
        self.builder = ContextBuilder(self.client.tokenizer, info.n_positions)
        loaded = self.client.loaded  # None while a server writes
        runtime = loaded.runtime.name if loaded is not None and loaded.runtime is not None else "torch"
        self.label.setText(self.backend_text(info, runtime))
        notice = loaded.notice if loaded is not None and not info.server else None
        self.label.setToolTip(error_text(notice) if notice is not None else info.path)
        self._show_server_limits(info)

    def _served(self, request_id: int, result) -> None:
        """The runtime that wrote the last result: steering inside the model runs on PyTorch."""
        info = self.client.model_info
        if info is not None and not info.server:
            self.label.setText(self.backend_text(info, result.runtime))

    def backend_text(self, info, runtime: str = "torch") -> str:
        """The status line: which model writes, and where ("llama.cpp · EXAONE at gpu-box:8080", or
        "Model: kogpt2 on CPU (1 thread) · int8 ONNX")."""
        if info.server:
            api = {"OpenAI-compatible": self.tr("OpenAI-compatible")}.get(info.api, info.api)
            # llama.cpp names its model by the file it loaded: the file name says enough
            model = info.name.replace("\\", "/").rsplit("/", 1)[-1]
            return (self.tr("%1 · %2 at %3").replace("%1", api)
                    .replace("%2", model or self.tr("(server's model)")).replace("%3", info.host))
        device = self._device_text(self.client.loaded.device)
        runtime_text = self.tr("int8 ONNX") if runtime == "onnx" else self.tr("PyTorch")
        text = self.tr("Model: %1 on %2 · %3")
        return text.replace("%1", info.name).replace("%2", device).replace("%3", runtime_text)

    def _show_server_limits(self, info) -> None:
        """What the server in use does not do: its ignored settings, and steering that needs the local model."""
        reason = self.tr("The server %1 ignores this setting.").replace("%1", info.server) if info.server else ""
        self.sampling.mark_ignored(info.ignored_settings, reason)
        self.steering.set_server(info.server, info.steers_words)

    def _device_text(self, device) -> str:
        """The engine's DeviceInfo in the UI's language."""
        if device.name == "cpu":
            from storyteller.engine.core.device import cpu_thread_count

            return self.tr("CPU (%n threads)", "", cpu_thread_count())
        if device.name == "mps":
            return self.tr("Apple GPU (Metal)")
        return self.tr("GPU: %1").replace("%1", device.description.removeprefix("GPU: "))

    def open_model_manager(self) -> None:
        from storyteller.gui.dialogs.models import ModelManager

        ModelManager(self.client, self.qsettings, self.parent()).exec()

    def open_fine_tune(self) -> None:
        from storyteller.gui.dialogs.training import TrainDialog

        dialog = TrainDialog(self.client, self.parent())
        dialog.model_ready.connect(self.switch_model)
        dialog.exec()

    def switch_model(self, name: str) -> None:
        self.client.load_model(name, MODEL_DEVICE.read(self.qsettings), MODEL_RUNTIME.read(self.qsettings))

    # -- servers ------------------------------------------------------------------------------------

    def open_servers(self) -> None:
        from storyteller.gui.dialogs.servers import ServersDialog

        dialog = ServersDialog(self.qsettings, self.parent(), needed_tokens=self.needed_tokens)
        dialog.use_server.connect(self.use_server)
        dialog.exec()

    def needed_tokens(self) -> int | None:
        """Tokens the story needs in any context: its memory and author's note plus the Length
        (None before a model's tokenizer can count them)."""
        if self.client.tokenizer is None:
            return None
        story = self.document.story
        fixed = "\n".join(part for part in (story.memory, story.authors_note_text()) if part.strip())
        return (len(self.client.tokenizer.encode(fixed)) if fixed else 0) + story.generation.max_new_tokens

    def use_server(self, name: str, model: str = "") -> None:
        """Write through server `name`, asking it for `model` ("": the model its entry names)."""
        if not self.client.busy:
            self.client.connect_server(name, model)

    def use_local(self) -> None:
        if not self.client.busy:
            self.client.use_local(MODEL_NAME.read(self.qsettings), MODEL_DEVICE.read(self.qsettings),
                                  MODEL_RUNTIME.read(self.qsettings))

    def fill_backend_menu(self) -> None:
        """The local model and every registered server, the one writing checked."""
        from storyteller.engine.servers.registry import load_servers

        menu = self.backend_menu
        menu.clear()
        group = QActionGroup(menu)
        info, busy = self.client.model_info, self.client.busy or self.client.loading
        local_name = info.name if info is not None and not info.server else None
        local = QAction(self.tr("Local model") + (f" ({local_name})" if local_name else ""), menu)
        local.setObjectName("useLocalModel")
        local.triggered.connect(self.use_local)
        entries = [local]
        try:
            servers = load_servers()
        except StorytellerError as error:  # a damaged server list: the local model is still offered
            self.status_bar.showMessage(error_text(error), 15000)
            servers = []
        for entry in servers:
            action = QAction(self.tr("Server %1").replace("%1", entry.name), menu)
            action.setObjectName(f"useServer:{entry.name}")
            action.setToolTip(entry.url)
            action.triggered.connect(lambda _=False, name=entry.name: self.use_server(name))
            entries.append(action)
        current = self.client.server
        for action in entries:
            action.setCheckable(True)
            action.setEnabled(not busy)
            group.addAction(action)
            menu.addAction(action)
        entries[0].setChecked(info is not None and not current)
        for action in entries[1:]:
            action.setChecked(action.objectName() == f"useServer:{current}")
        menu.addSeparator()
        servers = QAction(self.tr("Servers…"), menu)
        servers.setObjectName("openServers")
        servers.triggered.connect(self.open_servers)
        menu.addAction(servers)

    # -- the backend a story was written with -------------------------------------------------------

    def remember_backend(self, text: str) -> None:
        """A continuation went into the story: it remembers which backend wrote it."""
        info = self.client.model_info
        if text and info is not None:
            self.document.story.backend = StoryServer(info.server, info.name) if info.server else None

    def story_changed(self, change) -> None:
        """A story opened that a server wrote: switch to that server, asking first unless the writer
        chose to follow stories."""
        backend = self.document.story.backend
        if StoryChange.NEW not in change or backend is None or backend.server == self.client.server:
            return
        from storyteller.engine.servers.registry import find_server

        try:
            find_server(backend.server)
        except StorytellerError:
            self.status_bar.showMessage(self.tr(
                "This story was written with the server %1, which is not set up here (Models → Servers…).")
                .replace("%1", backend.server), 15000)
            return
        if not FOLLOW_STORY_SERVER.read(self.qsettings):
            answer = QMessageBox.question(
                self.parent(), self.tr("Switch to the story's server?"),
                self.tr("This story was written with the server %1. Continue it there?").replace("%1", backend.server))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.use_server(backend.server, backend.model)
