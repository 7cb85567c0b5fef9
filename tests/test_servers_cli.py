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
