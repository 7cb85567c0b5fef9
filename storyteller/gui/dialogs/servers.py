"""Models → Servers…: the llama.cpp / OpenAI-compatible servers the app can write with.

Add, edit and remove them (name, URL, API type, API key, model); *Test connection* probes the
server in the background and says plainly what is wrong; *Write with this server* switches the
window to it. The registry (storyteller/engine/servers/registry.py) keeps the entries in the
settings and the key in the system keychain; the dialog only asks before a key would travel over
plain HTTP to another machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.servers.registry import (
    API_CHOICES,
    DEFAULT_TIMEOUT_SECONDS,
    TIMEOUT_NAME,
    TIMEOUT_RANGE,
    ServerEntry,
    api_key_of,
    load_servers,
    needs_consent_for_plain_http,
    remove_server,
    save_server,
)
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.gui.background.ops import BackgroundOp
from storyteller.gui.common.messages import error_text, show_error, translated
from storyteller.gui.common.settings_keys import FOLLOW_STORY_SERVER


class ServersDialog(QDialog):
    use_server = Signal(str)  # the writer chose to write with this server
    tested = Signal(bool, str)  # a connection test ended: did it connect, and what it said (tests wait on it)

    def __init__(self, settings: QSettings, parent=None, needed_tokens: Callable[[], int | None] | None = None):
        super().__init__(parent)
        self.setObjectName("serversDialog")
        self.setWindowTitle(self.tr("Servers"))
        self.qsettings = settings
        self.needed_tokens = needed_tokens or (lambda: None)
        self._op: BackgroundOp | None = None
        self._editing: ServerEntry | None = None  # the saved entry the form shows (None: a new one)
        self._stored_key: str | None = None  # its key as the registry gave it (the keychain's or the environment's)

        self.server_list = QListWidget()
        self.server_list.setObjectName("serverList")
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addServer")
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setObjectName("removeServer")
        left = QVBoxLayout()
        left.addWidget(self.server_list, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left.addLayout(list_buttons)

        self.name = QLineEdit()
        self.name.setObjectName("serverName")
        self.name.setPlaceholderText(self.tr("e.g. GPU box"))
        self.url = QLineEdit()
        self.url.setObjectName("serverUrl")
        self.url.setPlaceholderText("http://127.0.0.1:8080")
        self.url.setToolTip(self.tr("The server's address, as its start-up message prints it."))
        self.api = QComboBox()
        self.api.setObjectName("serverApi")
        titles = {"auto": self.tr("Detect automatically"), "llama.cpp": self.tr("llama.cpp server (native API)"),
                  "openai": self.tr("OpenAI-compatible (vLLM, KoboldCpp, LM Studio…)")}
        for choice in API_CHOICES:
            self.api.addItem(titles.get(choice, choice), choice)
        self.key = QLineEdit()
        self.key.setObjectName("serverKey")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("none"))
        self.key.setToolTip(self.tr("Kept in the system keychain, never in story or settings files."))
        self.model = QComboBox()
        self.model.setObjectName("serverModel")
        self.model.setEditable(True)
        self.model.lineEdit().setPlaceholderText(self.tr("the server's own (Test connection lists them)"))
        self.timeout = QDoubleSpinBox()
        self.timeout.setObjectName("serverTimeout")
        self.timeout.setRange(*TIMEOUT_RANGE)
        self.timeout.setDecimals(0)  # whole seconds: "120초", not "120.0초"
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setValue(DEFAULT_TIMEOUT_SECONDS)
        self.timeout.setToolTip(self.tr("How long to wait for the server's first word, and for each next one, "
                                        "before giving up. A big model reading a long story may need a minute."))
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("testConnection")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveServer")
        self.message = QLabel()
        self.message.setObjectName("connectionResult")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("API"), self.api)
        form.addRow(self.tr("API key"), self.key)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(translated(TIMEOUT_NAME.label), self.timeout)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(actions)
        right.addWidget(self.message)
        right.addStretch(1)
        self.form = QWidget()
        self.form.setLayout(right)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(self.form, 5)
        self.follow_story = QCheckBox(self.tr("Switch to a story's server when it opens, without asking"))
        self.follow_story.setObjectName("followStory")
        self.follow_story.setChecked(FOLLOW_STORY_SERVER.read(settings))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = self.buttons.addButton(self.tr("Write with this server"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setObjectName("useServer")
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.follow_story)
        layout.addWidget(self.buttons)

        self.server_list.currentTextChanged.connect(self._show_entry)
        self.add_button.clicked.connect(self.new_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.use_button.clicked.connect(self._use)
        self.buttons.rejected.connect(self.reject)
        self.follow_story.toggled.connect(lambda on: FOLLOW_STORY_SERVER.write(self.qsettings, on))
        for field in (self.name, self.url):
            field.textChanged.connect(self._update_buttons)
        self.refresh()
        if self.server_list.count():
            self.server_list.setCurrentRow(0)
        else:
            self.new_entry()
        self.resize(QSize(780, 440))

    # -- the list ---------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        self.server_list.blockSignals(True)
        self.server_list.clear()
        for entry in self._entries():
            self.server_list.addItem(entry.name)
        self.server_list.blockSignals(False)
        if select is not None:
            matches = self.server_list.findItems(select, Qt.MatchFlag.MatchExactly)
            if matches:
                self.server_list.setCurrentItem(matches[0])
        self._update_buttons()

    def _show_entry(self, name: str) -> None:
        entry = next((e for e in self._entries() if e.name == name), None)
        if entry is None:
            return
        self._editing = entry
        self._stored_key = api_key_of(entry.name)
        self.name.setText(entry.name)
        self.url.setText(entry.url)
        self.api.setCurrentIndex(max(0, self.api.findData(entry.api)))
        self.model.clear()
        self.model.setEditText(entry.model)
        self.timeout.setValue(entry.timeout)
        self.key.setText(self._stored_key or "")
        self.message.clear()
        self._update_buttons()

    def new_entry(self) -> None:
        self._editing, self._stored_key = None, None
        self.server_list.clearSelection()
        self.server_list.setCurrentRow(-1)
        for field in (self.name, self.url, self.key):
            field.clear()
        self.api.setCurrentIndex(0)
        self.model.clear()
        self.timeout.setValue(DEFAULT_TIMEOUT_SECONDS)
        self.message.clear()
        self.name.setFocus()
        self._update_buttons()

    def remove_selected(self) -> None:
        if self._editing is None:
            return
        name = self._editing.name
        answer = QMessageBox.question(self, self.tr("Remove server"),
                                      self.tr("Remove the server %1 and its API key?").replace("%1", name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            remove_server(name)
        except StorytellerError as error:
            show_error(self, self.tr("The server could not be removed"), error)
            return
        self.refresh()
        if self.server_list.count():
            self.server_list.setCurrentRow(0)
        else:
            self.new_entry()

    # -- the form ---------------------------------------------------------------------------------

    def _entries(self) -> list[ServerEntry]:
        try:
            return load_servers()
        except StorytellerError as error:  # a damaged servers.json: say so, show none
            self._say(error_text(error), ok=False)
            return []

    def entry(self, unnamed: str = "") -> ServerEntry | None:
        """The server as the form shows it (named `unnamed` if the name is empty), with the writer's consent
        to plain HTTP (asked for here when a key would need it); None, with the reason shown, when the form
        is not a usable server."""
        saved = self._editing
        try:
            entry = ServerEntry(self.name.text().strip() or unnamed, self.url.text().strip(), self.api.currentData(),
                                self.model.currentText().strip(), timeout=self.timeout.value(),
                                # consent given for this address holds; a new address is asked about again
                                allow_plain_http=saved is not None and saved.allow_plain_http and saved.url == self.url
                                .text().strip())
        except StorytellerError as error:
            self._say(error_text(error), ok=False)
            return None
        key = self.key.text().strip()
        if entry.allow_plain_http or not needs_consent_for_plain_http(entry, key):
            return entry
        answer = QMessageBox.question(
            self, self.tr("Send the API key unencrypted?"),
            self.tr("%1 is plain HTTP to another machine: anyone on the network between could read the API key. "
                    "Send it anyway? (An https:// address avoids this.)").replace("%1", entry.url))
        if answer != QMessageBox.StandardButton.Yes:
            self._say(self.tr("Not sent: use an https:// address, or agree to send the key unencrypted."), ok=False)
            return None
        return replace(entry, allow_plain_http=True)

    def _key_to_save(self) -> str | None:
        """For save_server: None keeps the stored key (also one from the environment, which must not be
        copied into the keychain), "" removes it, other text is the new key."""
        key = self.key.text().strip()
        return None if key == (self._stored_key or "") else key

    def save(self) -> bool:
        entry = self.entry()
        if entry is None:
            return False
        renamed = self._editing is not None and self._editing.name != entry.name
        try:
            save_server(entry, self.key.text().strip() if renamed else self._key_to_save())
            if renamed:  # the old name goes, with its key
                remove_server(self._editing.name)
        except StorytellerError as error:
            self._say(error_text(error), ok=False)
            return False
        self._editing, self._stored_key = entry, api_key_of(entry.name)
        self.refresh(select=entry.name)
        self._say(self.tr("Saved."), ok=True)
        return True

    def _use(self) -> None:
        if self.save():
            self.use_server.emit(self._editing.name)
            self.accept()

    def _update_buttons(self, *_) -> None:
        complete = bool(self.name.text().strip() and self.url.text().strip())
        testing = self._op is not None and self._op.running
        self.save_button.setEnabled(complete)
        self.use_button.setEnabled(complete and not testing)
        self.test_button.setEnabled(bool(self.url.text().strip()) and not testing)
        self.remove_button.setEnabled(self._editing is not None)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet("" if ok else "color: #b00020;")
        self.message.setText(text)

    # -- testing the connection ---------------------------------------------------------------------

    def test_connection(self) -> None:
        entry = self.entry(unnamed=self.url.text().strip())  # a server may be tried before it is named
        if entry is None:
            return
        key, needed = self.key.text().strip() or None, self.needed_tokens()

        def probe_server(progress, cancel):
            from storyteller.engine.servers import check_context, probe

            info = probe(entry, key)
            try:
                if needed is not None:
                    check_context(info, needed)
            except StorytellerError as error:
                return info, error
            return info, None

        self._say(self.tr("Connecting to %1…").replace("%1", entry.url), ok=True)
        self._op = BackgroundOp(self, probe_server, what=self.tr("The connection test"))
        self._op.on_success(self._connected).on_failure(self._not_connected).run()
        self._update_buttons()

    def _connected(self, outcome) -> None:
        info, too_small = outcome
        typed = self.model.currentText().strip()
        self.model.clear()
        self.model.addItems(list(info.models))
        # One model: the server's own is asked for (a llama.cpp server restarted with another file still
        # works); among several the writer picks one, the first to begin with.
        self.model.setEditText(typed or (info.models[0] if len(info.models) > 1 else ""))
        context = (self.tr("context %1 tokens").replace("%1", str(info.n_ctx)) if info.n_ctx
                   else self.tr("context size not told"))
        lines = [self.tr("Connected: %1, %2, models served: %3.")
                 .replace("%1", info.flavour or info.api).replace("%2", context).replace("%3", str(len(info.models)))]
        if info.ignored_settings:
            labels = {item.name: translated(item.label) for item in GenerationSettings.describe()}
            lines.append(self.tr("It ignores these settings: %1.")
                         .replace("%1", ", ".join(labels.get(name, name) for name in info.ignored_settings)))
        if too_small is not None:
            lines.append(error_text(too_small))
        self._say("\n".join(lines), ok=too_small is None)
        self._op_done()
        self.tested.emit(True, self.message.text())

    def _not_connected(self, message: str) -> None:
        self._say(message, ok=False)
        self._op_done()
        self.tested.emit(False, message)

    def _op_done(self) -> None:
        self._op = None
        self._update_buttons()

    def unsaved(self) -> bool:
        """The form differs from the server it shows (a new one: a name or an address typed)."""
        name, url = self.name.text().strip(), self.url.text().strip()
        saved = self._editing
        if saved is None:
            return bool(name or url)
        form = (name, url, self.api.currentData(), self.model.currentText().strip(), self.timeout.value())
        return form != (saved.name, saved.url, saved.api, saved.model, saved.timeout) or self._key_to_save() is not None

    def reject(self) -> None:
        """Close (the button, Esc, the window's own close): a server typed but not saved is not dropped
        without asking."""
        if self.unsaved():
            shown = self.name.text().strip() or self.url.text().strip()
            answer = QMessageBox.question(
                self, self.tr("Save the server?"),
                self.tr("The server %1 has changes that are not saved. Save them before closing?").replace("%1", shown),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return  # the form says why (a bad address, no keychain): nothing is lost
        super().reject()

    def done(self, result: int) -> None:
        if self._op is not None:  # a test still running: let it end first (it is bounded by its timeout)
            self._op.wait(30_000)
        super().done(result)
