"""`storyteller servers …` and `storyteller generate --server NAME`, run as the command's main()."""

from __future__ import annotations

import io
import json

import pytest

from storyteller.cli import main


def _run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_test_list_generate_and_remove(llama_server, isolated, memory_keyring, capsys):
    code, out, _ = _run(capsys, "servers", "add", "local", llama_server.url)
    assert code == 0 and "Saved server local" in out and "OK: llama.cpp at" in out
    assert "context: 512 tokens" in out and "KoGPT2's" in out and "no_repeat_ngram_size" in out
    code, out, _ = _run(capsys, "servers", "list")
    assert code == 0 and "local" in out and llama_server.url in out

    code, out, _ = _run(capsys, "generate", "--server", "local", "--prompt", "옛날 옛적에", "--length", "12",
                        "--seed", "3", "--steer-ban", "그", "--json")
    data = json.loads(out)
    assert code == 0 and data["model"].startswith("llama.cpp at") and data["texts"][0]
    assert data["runtime"] == "server: llama.cpp"  # what wrote it, not the local runtimes' default
    assert "그" not in data["texts"][0].split()

    code, out, err = _run(capsys, "generate", "--server", "local", "--model", "demo", "--prompt", "x")
    assert code == 2 and "leave out --model" in err
    code, out, err = _run(capsys, "generate", "--server", "local", "--prompt", "x", "--steer-mood", "0.5")
    assert code == 2 and "local model" in err

    code, out, _ = _run(capsys, "servers", "remove", "local")
    assert code == 0 and "Removed server local" in out
    code, out, err = _run(capsys, "generate", "--server", "local", "--prompt", "x")
    assert code == 2 and "no server named local" in err


def test_a_story_continues_on_a_server(llama_server, isolated, memory_keyring, capsys, tmp_path):
    from storyteller.engine.story.document import Author, Piece, Story
    from storyteller.engine.story.file import load_story, save_story

    path = tmp_path / "s.story.json"
    save_story(Story(pieces=[Piece(Author.WRITER, ["옛날 옛적에 한 소년이 살았다."])]), path)
    _run(capsys, "servers", "add", "local", llama_server.url, "--no-test")
    code, _, err = _run(capsys, "generate", "--server", "local", "--story", str(path), "--length", "10",
                        "--seed", "1")
    assert code == 0, err
    assert len(load_story(path).pieces) == 2


def test_a_key_without_a_keychain_is_refused_and_nothing_saved(isolated, no_keyring, capsys, monkeypatch):
    code, _, err = _run(capsys, "servers", "add", "gpu", "https://gpu.example", "--api-key-stdin",
                        stdin="sk-123\n", monkeypatch=monkeypatch)
    assert code == 2 and "no usable keychain" in err and "STORYTELLER_API_KEY_GPU" in err and "sk-123" not in err
    assert "No servers yet" in _run(capsys, "servers", "list")[1]


@pytest.mark.parametrize("allow", [False, True])
def test_a_key_over_plain_http_to_another_machine_asks_for_consent(allow, isolated, memory_keyring, capsys,
                                                                   monkeypatch):
    argv = ["servers", "add", "far", "http://gpu.example:8080", "--api-key-stdin", "--no-test"]
    code, out, err = _run(capsys, *argv, *(["--allow-plain-http"] if allow else []), stdin="sk-1\n",
                          monkeypatch=monkeypatch)
    if allow:
        assert code == 0 and memory_keyring.passwords
    else:
        assert code == 2 and "unencrypted" in err and not memory_keyring.passwords


def test_an_address_with_a_space_is_refused_when_added_and_nothing_is_saved(capsys, isolated, memory_keyring):
    from storyteller.engine.servers.registry import servers_file

    code, out, err = _run(capsys, "servers", "add", "local", "http://local host:8080", "--no-test")
    assert code != 0 and "not a server address: write it like http://localhost:8080" in err
    assert "Traceback" not in err + out and not servers_file().exists()


def test_a_server_gets_its_own_timeout_from_the_command_line(capsys, isolated, memory_keyring):
    from storyteller.engine.servers.registry import find_server

    code, _, err = _run(capsys, "servers", "add", "big", "https://big.example", "--timeout", "300", "--no-test")
    assert code == 0 and find_server("big").timeout == 300
    code, out, _ = _run(capsys, "servers", "list")
    assert "TIMEOUT" in out and "300 s" in out
    code, _, err = _run(capsys, "servers", "add", "big", "https://big.example", "--timeout", "0", "--no-test")
    assert code == 2 and "timeout must be between 1" in err and find_server("big").timeout == 300


# --- a server that dies mid-stream (issue 27) ------------------------------------------------------


@pytest.fixture
def dying_server(isolated, memory_keyring, capsys):
    """A server added as `dying` that writes " 옛날 옛적에", then breaks the connection off (the rest of the
    answer it announced never comes)."""
    from storyteller.engine.servers.probing import bundled_tokenizer
    from tests.helpers.bad_server import BadServer, events, http_response

    ids = bundled_tokenizer().encode(" 옛날 옛적에")
    first = {"content": bundled_tokenizer().decode(ids), "tokens": ids, "stop": False}
    with BadServer(http_response(events(first), headers=["Content-Length: 100000"])) as server:
        assert _run(capsys, "servers", "add", "dying", server.url, "--no-test")[0] == 0
        yield server


def test_json_after_a_server_died_prints_what_it_wrote_and_why(dying_server, capsys):
    code, out, err = _run(capsys, "generate", "--server", "dying", "--prompt", "그날 밤", "--length", "20", "--json")
    data = json.loads(out)
    assert code == 2 and data["texts"] == [" 옛날 옛적에"] and data["stop_reasons"] == ["cancelled"]
    assert "dying" in data["error"] and "broke while it was writing" in data["error"] and data["error"] in err


def test_stream_after_a_server_died_shows_the_text_once(dying_server, capsys):
    code, out, err = _run(capsys, "generate", "--server", "dying", "--prompt", "그날 밤", "--length", "20", "--stream")
    assert code == 2 and out == "그날 밤 옛날 옛적에\n"
    assert "옛날" not in err and "broke while it was writing" in err


def test_plain_output_after_a_server_died_is_the_text_written(dying_server, capsys):
    code, out, err = _run(capsys, "generate", "--server", "dying", "--prompt", "그날 밤", "--length", "20")
    assert code == 2 and out == "그날 밤 옛날 옛적에\n"
    assert "옛날" not in err and "The text written so far is kept" in err


def test_a_story_keeps_what_a_dying_server_wrote(dying_server, capsys, tmp_path):
    """The message says the text was kept: it is, in the story file, as after a Stop."""
    from storyteller.engine.story.document import Author, Piece, Story
    from storyteller.engine.story.file import load_story, save_story

    path = tmp_path / "s.story.json"
    save_story(Story(pieces=[Piece(Author.WRITER, ["그날 밤 나는 편지를 열었다."])]), path)
    code, out, err = _run(capsys, "generate", "--server", "dying", "--story", str(path), "--length", "20")
    pieces = load_story(path).pieces
    assert code == 2 and len(pieces) == 2 and pieces[1].text == " 옛날 옛적에" and out == " 옛날 옛적에\n"
    assert f"Appended 7 characters to {path}" in err and "The text written so far is kept" in err


def test_every_setting_the_server_ignores_is_warned_about(llama_server, isolated, memory_keyring, capsys):
    """Issue 27: n-gram size and slope passed a server silently. Each setting the request uses that the
    server's declarations say it ignores is named by its flag; settings left off are not."""
    from storyteller.engine.servers.probing import ServerInfo, ignored_in
    from storyteller.engine.settings.generation import GenerationSettings

    _run(capsys, "servers", "add", "local", llama_server.url, "--no-test")
    code, _, err = _run(capsys, "generate", "--server", "local", "--prompt", "옛날 옛적에", "--length", "6",
                        "--no_repeat_ngram_size", "3", "--repetition_penalty_slope", "1.5", "--seed", "1")
    assert code == 0, err
    assert "ignores --no_repeat_ngram_size 3;" in err and "ignores --repetition_penalty_slope 1.5;" in err
    code, _, err = _run(capsys, "generate", "--server", "local", "--prompt", "옛날 옛적에", "--length", "6")
    assert code == 0 and "ignores" not in err
    # From the declarations: a plain OpenAI-compatible server ignores more, and so says the warning.
    plain = ServerInfo(api="openai", models=["m"], n_ctx=None, flavour="OpenAI-compatible",
                       ignored_settings=["top_k", "typical_p", "no_repeat_ngram_size", "min_new_tokens"])
    asked = GenerationSettings(top_k=50, typical_p=1.0, no_repeat_ngram_size=0)
    assert [item.name for item in ignored_in(plain, asked)] == ["min_new_tokens", "top_k"]


def test_a_server_without_our_tokenizer_is_said_to_ignore_the_minimum_length(llama_server, isolated, memory_keyring,
                                                                            capsys, monkeypatch):
    """With text in and out, llama.cpp cannot be held to a minimum length (it is applied with our token ids):
    even the floor of half the length, which no flag asked for, is said to be ignored."""
    from storyteller.engine.servers import probing

    monkeypatch.setattr(probing, "_same_tokenizer", lambda *args: False)
    _run(capsys, "servers", "add", "local", llama_server.url, "--no-test")
    code, _, err = _run(capsys, "generate", "--server", "local", "--prompt", "옛날 옛적에", "--length", "12")
    assert code == 0 and "ignores --min_length 0 (at least 6 tokens, half the length)" in err


def test_servers_test_names_the_ignored_settings_by_their_flags(llama_server, isolated, memory_keyring, capsys):
    code, out, _ = _run(capsys, "servers", "add", "local", llama_server.url)
    assert code == 0 and "ignores: --repetition_penalty_slope, --no_repeat_ngram_size" in out
