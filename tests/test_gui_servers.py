"""Models → Servers… and writing through a server, driven as a writer does: the real dialog against the
real registry (an in-memory keychain, or none), real local HTTP endpoints, and a real llama.cpp server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from storyteller.engine.servers.registry import api_key_of, load_servers, servers_file
from storyteller.gui.common.settings_keys import FOLLOW_STORY_SERVER, MODEL_SERVER
from tests.helpers.paths import ARTIFACTS

SHOTS = ARTIFACTS / "shots"  # screenshots for people to look at, taken when the folder exists
SECRET = "sk-test-secret-42"


@pytest.fixture
def dialog(qtbot, isolated, questions):
    from storyteller.gui.app import make_settings
    from storyteller.gui.dialogs.servers import ServersDialog

    box = ServersDialog(make_settings())
    qtbot.addWidget(box)
    box.show()
    return box


def fill(dialog, name: str, url: str, key: str = "", api: str = "auto") -> None:
    dialog.name.setText(name)
    dialog.url.setText(url)
    dialog.key.setText(key)
    dialog.api.setCurrentIndex(dialog.api.findData(api))


def listed(dialog) -> list[str]:
    return [dialog.server_list.item(row).text() for row in range(dialog.server_list.count())]


def test_servers_are_added_edited_renamed_and_removed_with_the_key_only_in_the_keychain(
        qtbot, dialog, memory_keyring):
    assert listed(dialog) == [] and not dialog.save_button.isEnabled()  # a new entry, nothing typed yet
    fill(dialog, "GPU 상자", "https://gpu.example:8443", SECRET, api="openai")
    dialog.model.setEditText("EXAONE-3.5")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert listed(dialog) == ["GPU 상자"]
    [entry] = load_servers()
    assert (entry.url, entry.api, entry.model) == ("https://gpu.example:8443", "openai", "EXAONE-3.5")
    assert api_key_of("GPU 상자") == SECRET and SECRET not in servers_file().read_text(encoding="utf-8")

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.name.text() == dialog.url.text() == dialog.key.text() == ""
    fill(dialog, "laptop", "http://127.0.0.1:8080")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert listed(dialog) == ["GPU 상자", "laptop"]

    dialog.server_list.setCurrentRow(0)  # the form shows the saved entry, its key from the keychain
    assert (dialog.name.text(), dialog.key.text(), dialog.model.currentText()) == ("GPU 상자", SECRET, "EXAONE-3.5")
    dialog.name.setText("big GPU")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert listed(dialog) == ["laptop", "big GPU"]
    assert api_key_of("big GPU") == SECRET and api_key_of("GPU 상자") is None  # the key went with the name

    dialog.key.clear()  # an emptied key field forgets the key
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert api_key_of("big GPU") is None
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [e.name for e in load_servers()] == ["laptop"] and listed(dialog) == ["laptop"]


def test_the_timeout_is_saved_shown_and_kept_when_the_server_is_saved_again(qtbot, dialog, memory_keyring):
    """Each server's own wait for a word (issue 27): re-saving from the dialog used to reset it to 120 s."""
    fill(dialog, "slow box", "http://127.0.0.1:8080")
    assert dialog.timeout.value() == 120
    dialog.timeout.setValue(300)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert load_servers()[0].timeout == 300
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.timeout.value() == 120  # a new entry starts from the default
    dialog.server_list.setCurrentRow(0)
    assert dialog.timeout.value() == 300
    dialog.model.setEditText("other")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (load_servers()[0].model, load_servers()[0].timeout) == ("other", 300)


def test_closing_with_a_server_typed_but_not_saved_asks_first(qtbot, dialog, memory_keyring, monkeypatch):
    """Close discarded a typed, unsaved server without a word (issue 27)."""
    from PySide6.QtWidgets import QMessageBox

    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    close = dialog.buttons.button(dialog.buttons.StandardButton.Close)
    fill(dialog, "집 서버", "http://127.0.0.1:8080")
    dialog.show()
    answers.append(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.name.text() == "집 서버" and load_servers() == []
    answers.append(QMessageBox.StandardButton.Save)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and [e.name for e in load_servers()] == ["집 서버"]

    dialog.show()
    dialog.server_list.setCurrentRow(0)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)  # nothing changed: closes without asking
    assert not dialog.isVisible() and answers == []
    dialog.show()
    dialog.server_list.setCurrentRow(0)
    dialog.url.setText("http://127.0.0.1:9090")
    answers.append(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and load_servers()[0].url == "http://127.0.0.1:8080"
    dialog.show()
    dialog.new_entry()
    fill(dialog, "나쁜 주소", "localhost:8080")  # Save with an address that is not one: the dialog stays
    answers.append(QMessageBox.StandardButton.Save)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not a server address" in dialog.message.text()
    answers.append(QMessageBox.StandardButton.Discard)
    dialog.close()
    assert not dialog.isVisible() and answers == []


def test_a_bad_address_is_named_and_nothing_is_saved(qtbot, dialog, memory_keyring):
    fill(dialog, "gpu", "gpu.example:8080")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "not a server address" in dialog.message.text() and "http://localhost:8080" in dialog.message.text()
    assert load_servers() == []


def test_without_a_keychain_the_registry_says_what_to_do_and_keeps_nothing(qtbot, dialog, no_keyring):
    fill(dialog, "gpu", "https://gpu.example", SECRET)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "no usable keychain" in dialog.message.text() and "STORYTELLER_API_KEY_GPU" in dialog.message.text()
    assert load_servers() == []
    dialog.key.clear()  # without a key it is saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [e.name for e in load_servers()] == ["gpu"]


def test_a_key_environment_variable_is_used_but_never_copied_into_the_keychain(
        qtbot, dialog, memory_keyring, monkeypatch):
    fill(dialog, "gpu", "https://gpu.example")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    monkeypatch.setenv("STORYTELLER_API_KEY_GPU", SECRET)
    dialog.refresh()
    dialog.server_list.setCurrentRow(-1)
    dialog.server_list.setCurrentRow(0)
    assert dialog.key.text() == SECRET
    dialog.url.setText("https://gpu.example:9000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert memory_keyring.passwords == {} and load_servers()[0].url == "https://gpu.example:9000"


def test_a_key_over_plain_http_to_another_machine_is_sent_only_after_asking(
        qtbot, dialog, memory_keyring, questions, monkeypatch):
    fill(dialog, "lab", "http://192.168.0.7:8080", SECRET)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (questions.append(a[1]),
                                                                  QMessageBox.StandardButton.No)[1])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert questions == ["Send the API key unencrypted?"] and load_servers() == []
    assert "https://" in dialog.message.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (questions.append(a[1]),
                                                                  QMessageBox.StandardButton.Yes)[1])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert load_servers()[0].allow_plain_http and len(questions) == 2
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # agreed once for this address
    assert len(questions) == 2
    dialog.url.setText("http://192.168.0.8:8080")  # another address is asked about again
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 3
    fill(dialog, "lab", "http://localhost:8080", SECRET)  # this machine: nothing crosses the network
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 3


def test_following_stories_to_their_server_is_remembered(qtbot, dialog):
    from storyteller.gui.dialogs.servers import ServersDialog

    assert not dialog.follow_story.isChecked()
    dialog.follow_story.setChecked(True)
    again = ServersDialog(dialog.qsettings)
    qtbot.addWidget(again)
    assert again.follow_story.isChecked()


# -- Test connection against real local endpoints ---------------------------------------------------


@pytest.fixture
def web_server(tmp_path):
    """A plain HTTP server (Python's http.server) answering every path with `status` (404 by default)."""
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    answer = {"status": 404}

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def do_GET(self):
            if answer["status"] == 404:
                return super().do_GET()  # the plain file server's own "not found"
            self.send_error(answer["status"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.answer = answer
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_connection(qtbot, dialog) -> tuple[bool, str]:
    with qtbot.waitSignal(dialog.tested, timeout=30_000) as outcome:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == outcome.args[1]
    return tuple(outcome.args)


test_connection.__test__ = False  # a helper, not a test


def test_a_refused_port_says_nothing_answers_there(qtbot, dialog, memory_keyring):
    from tests.helpers.llama_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    fill(dialog, "", url)  # a server may be tried before it is named
    refused = f"Nothing answers at {url}: check the address and port, and that the server is running."
    assert test_connection(qtbot, dialog) == (False, refused)
    assert dialog.test_button.isEnabled() and load_servers() == []


def test_a_web_server_that_is_no_model_server_is_called_so(qtbot, dialog, memory_keyring, web_server):
    fill(dialog, "web", web_server.url)
    connected, message = test_connection(qtbot, dialog)
    assert not connected and "answers, but it is not a llama.cpp or OpenAI-compatible server" in message
    web_server.answer["status"] = 401
    dialog.key.setText(SECRET)
    connected, message = test_connection(qtbot, dialog)
    assert not connected and "refused the request (HTTP 401): it needs a valid API key" in message
    assert SECRET not in message
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "servers-dialog-401.png"))


# -- the window writing through a real llama.cpp server (tests/helpers/llama_server.py) -------------


def switch(qtbot, window, action_name: str):
    """Pick a backend in Models → Write with, as the writer does; the ModelInfo it loaded."""
    window.model.fill_backend_menu()
    action = window.model.backend_menu.findChild(QAction, action_name)
    assert action is not None and action.isEnabled()
    with qtbot.waitSignal(window.client.model_loaded, timeout=30_000) as loaded:
        action.trigger()
    return loaded.args[0]


@pytest.fixture
def registered(llama_server, memory_keyring):
    from storyteller.engine.servers.registry import ServerEntry, save_server

    save_server(ServerEntry("llama", llama_server.url))
    return llama_server


def test_the_window_writes_retries_stops_and_suggests_through_a_server_and_switches_back(
        qtbot, window, registered):
    from storyteller.engine.story.document import StoryServer
    from tests.helpers.gui import continue_and_wait

    local_status = window.status_model.text()
    info = switch(qtbot, window, "useServer:llama")
    port = registered.url.rsplit(":", 1)[1]
    assert info.server == "llama" and window.client.loaded is None
    status = window.status_model.text()
    assert status == f"llama.cpp · demo.gguf at 127.0.0.1:{port}"  # the model by its file name
    slope_slider, slope_spin, _ = window.sampling._rows["repetition_penalty_slope"]
    assert not slope_slider.isEnabled() and not slope_spin.isEnabled()
    assert "The server llama ignores this setting." in slope_spin.toolTip()
    assert window.sampling._rows["temperature"][0].isEnabled()
    assert window.steering.server_note.isVisible() and "word bias" in window.steering.server_note.text()
    if SHOTS.is_dir():
        qtbot.wait(200)  # the status bar lays out its new text
        window.grab().save(str(SHOTS / "window-on-a-server.png"))
        window.docks[1].raise_()
        window.steering.grab().save(str(SHOTS / "steering-on-a-server.png"))

    window.editor.setPlainText("옛날 옛적에 산골 마을에 한 소년이 살았다.")
    window.story.tidy.trim_incomplete_sentence = False
    written = continue_and_wait(qtbot, window)
    assert written and window.story.text().endswith(written)
    assert window.story.backend == StoryServer("llama", info.name)
    continue_and_wait(qtbot, window, window.retry_action)
    assert len(window.story.pieces[-1].versions) == 2

    with qtbot.waitSignal(window.client.suggestions, timeout=30_000) as suggested:
        window.next_words.refresh()
    assert suggested.args[0] and all(choice.text for choice in suggested.args[0])

    window.sampling._rows["max_new_tokens"][1].setValue(400)  # long enough to stop in the middle
    before = window.story.text()
    with qtbot.waitSignal(window.writing.generation_done, timeout=60_000) as done, \
            qtbot.waitSignal(window.client.finished, timeout=60_000) as finished:
        with qtbot.waitSignal(window.client.delta, timeout=30_000):
            window.continue_action.trigger()
        window.stop_action.trigger()
    assert finished.args[1].cancelled and 0 < finished.args[1].new_tokens < 400
    assert window.story.text() == before + done.args[0] and not window.client.busy

    info = switch(qtbot, window, "useLocalModel")  # the local model was kept: no reload
    assert info.server == "" and window.client.loaded is not None and window.status_model.text() == local_status
    assert slope_slider.isEnabled() and not window.steering.server_note.isVisible()
    assert continue_and_wait(qtbot, window) and window.story.backend is None


def test_play_and_chat_go_through_the_server_too(qtbot, window, registered):
    switch(qtbot, window, "useServer:llama")
    window.mode_tabs.setCurrentIndex(1)  # Play
    window.play.input.setText("나는 문을 연다.")
    with qtbot.waitSignal(window.writing.generation_done, timeout=60_000):
        qtbot.keyClick(window.play.input, Qt.Key.Key_Return)
    assert "나는 문을 연다." in window.story.text() and window.story.backend.server == "llama"
    window.mode_tabs.setCurrentIndex(2)  # Chat
    window.chat.input.setText("안녕?")
    with qtbot.waitSignal(window.writing.generation_done, timeout=60_000):
        qtbot.keyClick(window.chat.input, Qt.Key.Key_Return)
    assert "안녕?" in window.story.text() and window.client.server == "llama"


def test_a_server_dying_mid_stream_keeps_what_it_wrote_and_says_so(qtbot, window, demo_gguf, memory_keyring):
    from storyteller.engine.servers.registry import ServerEntry, save_server
    from tests.helpers.llama_server import LlamaServer

    with LlamaServer(demo_gguf) as server:
        save_server(ServerEntry("dying", server.url))
        switch(qtbot, window, "useServer:dying")
        window.sampling._rows["max_new_tokens"][1].setValue(480)
        window.editor.setPlainText("그날 밤")
        window.story.tidy.trim_incomplete_sentence = False
        window.client.delta.connect(lambda *_: server.kill())  # the first text that arrives: the server dies
        with qtbot.waitSignal(window.writing.generation_done, timeout=60_000) as done, \
                qtbot.waitSignal(window.client.failed, timeout=60_000) as failed:
            window.continue_action.trigger()
    assert done.args[0] and window.story.text() == "그날 밤" + done.args[0]  # kept, as after Stop
    assert "broke while it was writing" in failed.args[1]
    assert window.last_error.windowTitle() == "Generation failed" and window.continue_action.isEnabled()


def test_a_server_that_is_down_is_an_error_and_the_local_model_keeps_writing(qtbot, window, memory_keyring):
    from storyteller.engine.servers.registry import ServerEntry, save_server
    from tests.helpers.gui import continue_and_wait
    from tests.helpers.llama_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    save_server(ServerEntry("down", url))
    local_status = window.status_model.text()

    MODEL_SERVER.write(window.qsettings, "down")  # as after writing with it last time
    window.model.fill_backend_menu()
    with qtbot.waitSignal(window.client.model_failed, timeout=30_000):
        window.model.backend_menu.findChild(QAction, "useServer:down").trigger()
    assert window.last_error.windowTitle() == "Could not connect to the server down"
    assert not window.qsettings.contains(MODEL_SERVER.name)  # had a start tried it, the next one would not again
    assert f"Nothing answers at {url}" in window.last_error.text()
    assert window.status_model.text() == local_status and window.continue_action.isEnabled()
    window.editor.setPlainText("그날 밤")
    assert continue_and_wait(qtbot, window)

    servers_file().write_text("{not json", encoding="utf-8")  # a damaged server list: the local model stays offered
    window.model.fill_backend_menu()
    names = [action.objectName() for action in window.model.backend_menu.actions() if action.objectName()]
    assert names == ["useLocalModel", "openServers"] and "is damaged" in window.statusBar().currentMessage()


def test_a_story_offers_the_server_it_was_written_with(qtbot, window, registered, questions, isolated):
    from storyteller.engine.story.document import Author, Piece, Story, StoryServer
    from storyteller.engine.story.file import save_story

    story = Story(pieces=[Piece.of(Author.WRITER, "비가 왔다.")], backend=StoryServer("llama"))
    path = isolated / "rain.story.json"
    save_story(story, path)
    with qtbot.waitSignal(window.client.model_loaded, timeout=30_000) as loaded:
        window.files.open_path(path)
    assert "Switch to the story's server?" in questions and loaded.args[0].server == "llama"

    switch(qtbot, window, "useLocalModel")
    questions.clear()
    FOLLOW_STORY_SERVER.write(window.qsettings, True)  # the writer chose to follow stories: no question
    with qtbot.waitSignal(window.client.model_loaded, timeout=30_000) as loaded:
        window.files.open_path(path)
    assert questions == [] and loaded.args[0].server == "llama"

    story.backend = StoryServer("elsewhere")  # written on another computer, with a server not set up here
    save_story(story, path)
    window.files.open_path(path)
    assert "elsewhere, which is not set up here" in window.statusBar().currentMessage()
    assert window.client.server == "llama"


def test_word_bans_steer_the_server_and_pplm_or_the_mood_are_refused_plainly(qtbot, window, registered):
    from tests.helpers.gui import continue_and_wait

    switch(qtbot, window, "useServer:llama")
    window.sampling.greedy.setChecked(True)
    window.editor.setPlainText("옛날 옛적에 산골 마을에 한 소년이 살았다.")
    window.story.tidy.trim_incomplete_sentence = False
    first = continue_and_wait(qtbot, window)
    word = next(w for w in first.split() if len(w) > 1)
    window.steering.banned.setText(word)
    window.steering.banned.editingFinished.emit()
    assert window.story.steering.banned == (word,)
    retried = continue_and_wait(qtbot, window, window.retry_action)
    assert retried and retried != first and word not in retried

    note = window.steering.server_note
    assert "refuse" not in note.text()
    window.steering.mood.setValue(40)  # the mood needs the local model: the dock says so first
    assert "Continue will refuse until the steering fits" in note.text()
    before = window.story.text()
    with qtbot.waitSignal(window.client.failed, timeout=30_000) as failed:
        window.continue_action.trigger()
    assert "PPLM and the mood steering need the model's insides" in failed.args[1]
    assert window.story.text() == before and window.continue_action.isEnabled()
    window.steering.mood.setValue(0)
    assert "refuse" not in note.text()


def test_candidates_through_a_server(qtbot, window, registered, monkeypatch):
    from storyteller.gui.dialogs.candidates import CandidatesDialog

    def pick_second(dialog):
        from PySide6.QtWidgets import QPushButton

        dialog.findChild(QPushButton, "useCandidate1").click()
        return True

    monkeypatch.setattr(CandidatesDialog, "exec", pick_second)
    switch(qtbot, window, "useServer:llama")
    window.sampling._rows["num_candidates"][1].setValue(2)
    window.editor.setPlainText("그날 밤 바람이 불었다.")
    with qtbot.waitSignal(window.client.finished, timeout=60_000) as finished:
        window.continue_action.trigger()
    texts = finished.args[1].texts
    assert len(texts) == 2 and len(window.story.pieces[-1].versions) == 2


def test_the_servers_dialog_from_the_window_tests_against_the_story_and_switches(
        qtbot, window, llama_server, memory_keyring, monkeypatch):
    from storyteller.gui.dialogs.servers import ServersDialog

    window.story.memory = "산골 마을의 이야기. " * 200  # more than the server's 512 positions hold
    outcome = {}

    def use_it(dialog):
        fill(dialog, "llama", llama_server.url)
        outcome["too small"] = test_connection(qtbot, dialog)
        outcome["models"] = [dialog.model.itemText(i) for i in range(dialog.model.count())]
        if SHOTS.is_dir():
            dialog.grab().save(str(SHOTS / "servers-dialog-context-too-small.png"))
        window.story.memory = ""
        outcome["fits"] = test_connection(qtbot, dialog)
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ServersDialog, "exec", use_it)
    with qtbot.waitSignal(window.client.model_loaded, timeout=30_000) as loaded:
        window.findChild(QAction, "servers").trigger()
    connected, message = outcome["too small"]
    assert connected and "The server's context holds 512 tokens, but the story needs" in message
    assert message.startswith("Connected: llama.cpp, context 512 tokens, models served: 1.")
    assert "It ignores these settings: " in message and "Penalty slope" in message
    assert len(outcome["models"]) == 1 and outcome["models"][0].endswith("demo.gguf")
    assert outcome["fits"][0] and "needs" not in outcome["fits"][1]
    assert loaded.args[0].server == "llama" and [e.name for e in load_servers()] == ["llama"]


def test_the_server_written_with_last_is_connected_again_at_start(qtbot, isolated, tiny_model_dir, registered,
                                                                   questions):
    from storyteller.gui.app import build_window, make_settings

    settings = make_settings()
    MODEL_SERVER.write(settings, "llama")  # as the last session left it
    win = build_window(settings)
    qtbot.addWidget(win)
    try:
        win.client.load_model(str(tiny_model_dir), "cpu")  # what app.main does at start
        qtbot.waitUntil(lambda: win.client.server == "llama" and not win.client.loading, timeout=60_000)
        assert win.status_model.text().startswith("llama.cpp · ")
        assert switch(qtbot, win, "useLocalModel").server == ""  # the local model was loaded first: instant
        assert not settings.contains(MODEL_SERVER.name)  # the next start stays local
    finally:
        win.client.shutdown()
