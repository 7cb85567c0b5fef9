"""The server list and its keys: servers.json in the config folder, keys only in the keychain."""

from __future__ import annotations

import json

import pytest

from storyteller.engine.core.errors import SettingError, StorytellerError
from storyteller.engine.servers import (
    KeychainError,
    ServerEntry,
    api_key_of,
    find_server,
    load_servers,
    needs_consent_for_plain_http,
    remove_server,
    save_server,
)
from storyteller.engine.servers.registry import DEFAULT_TIMEOUT_SECONDS, KEYRING_SERVICE, servers_file

SECRET = "sk-very-secret-123"


def test_servers_round_trip_with_the_key_only_in_the_keychain(isolated, memory_keyring):
    assert load_servers() == []
    gpu = ServerEntry("gpu box", "https://gpu.example:8443/", api="openai", model="kogpt2-1.5b")
    local = ServerEntry("local", "http://127.0.0.1:8080")
    save_server(gpu, api_key=SECRET)
    save_server(local)
    assert load_servers() == [gpu, local]
    assert find_server("gpu box") == gpu
    assert api_key_of("gpu box") == SECRET and api_key_of("local") is None
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "gpu box"): SECRET}
    assert SECRET not in servers_file().read_text(encoding="utf-8")

    changed = ServerEntry("gpu box", "https://gpu.example:9000", api="openai")
    save_server(changed)  # no key given: the stored one stays
    assert load_servers() == [changed, local] and api_key_of("gpu box") == SECRET
    save_server(changed, api_key="")  # an empty key removes it
    assert api_key_of("gpu box") is None

    save_server(changed, api_key=SECRET)
    remove_server("gpu box")
    assert load_servers() == [local] and memory_keyring.passwords == {}


def test_a_missing_server_names_the_known_ones(isolated, memory_keyring):
    with pytest.raises(StorytellerError, match="no server has been added yet"):
        find_server("gpu")
    save_server(ServerEntry("local", "http://localhost:8080"))
    save_server(ServerEntry("lab", "https://lab.example"))
    with pytest.raises(StorytellerError, match="The servers are: local, lab"):
        find_server("gpu")
    with pytest.raises(StorytellerError, match="no server named gpu"):
        remove_server("gpu")


def test_without_a_keychain_a_key_is_refused_and_nothing_is_written(isolated, no_keyring, monkeypatch):
    entry = ServerEntry("gpu", "https://gpu.example")
    with pytest.raises(KeychainError) as error:
        save_server(entry, api_key=SECRET)
    assert "STORYTELLER_API_KEY_GPU" in str(error.value) and "keychain" in str(error.value)
    assert not servers_file().exists()
    save_server(entry)  # without a key it works, and the key can come from the environment
    assert api_key_of("gpu") is None
    monkeypatch.setenv("STORYTELLER_API_KEY_GPU", SECRET)
    assert api_key_of("gpu") == SECRET
    remove_server("gpu")
    assert load_servers() == []


def test_bad_entries_are_refused_with_a_message():
    with pytest.raises(SettingError, match="not a server address"):
        ServerEntry("a", "localhost:8080")
    with pytest.raises(SettingError, match="Unknown server API vllm: choose one of auto, llama.cpp, openai"):
        ServerEntry("a", "http://localhost:8080", api="vllm")
    with pytest.raises(SettingError, match="needs a name"):
        ServerEntry(" ", "http://localhost:8080")
    assert ServerEntry("a", "http://h:1/v1/").base_url == "http://h:1"


@pytest.mark.parametrize("url", ["http://local host:8080", "http:// localhost", "http://localhost:80 80",
                                 "http://localhost:99999", "http://localhost:abc", "http://<h>:1", "ftp://h", ""])
def test_an_address_that_is_not_one_is_refused_where_it_is_typed(url):
    with pytest.raises(SettingError, match="not a server address: write it like http://localhost:8080"):
        ServerEntry("a", url)


def test_spaces_around_a_pasted_address_are_dropped_and_other_hosts_pass():
    assert ServerEntry("a", "  http://localhost:8080 \n").url == "http://localhost:8080"
    for url in ("https://한국.example", "http://[::1]:8080", "http://192.168.0.2:5001/v1"):
        assert ServerEntry("a", url).url == url


def test_each_server_keeps_its_own_timeout(isolated, memory_keyring):
    """The wait for a server's first token is the writer's to set per server (a big model on a busy machine
    needs longer than a small local one); servers.json keeps it, and a list saved before has the default."""
    save_server(ServerEntry("big", "https://big.example", timeout=300))
    assert load_servers()[0].timeout == 300.0 and json.loads(servers_file().read_text())["servers"][0]["timeout"] == 300
    servers_file().write_text(json.dumps({"servers": [{"name": "old", "url": "http://localhost:8080"}]}))
    assert load_servers()[0].timeout == DEFAULT_TIMEOUT_SECONDS == 120
    for bad in (0, -5, 7200, "soon", True):
        with pytest.raises(SettingError, match="timeout must be"):
            ServerEntry("a", "http://localhost:8080", timeout=bad)


def test_a_damaged_server_list_says_so(isolated):
    servers_file().parent.mkdir(parents=True)
    servers_file().write_text(json.dumps({"servers": [{"name": "a"}]}), encoding="utf-8")
    with pytest.raises(StorytellerError, match="damaged"):
        load_servers()


@pytest.mark.parametrize(("url", "asks"), [
    ("http://gpu.example:8080", True), ("http://192.168.0.7:8080", True), ("https://gpu.example", False),
    ("http://localhost:8080", False), ("http://127.0.0.1:8080", False), ("http://[::1]:8080", False),
])
def test_a_key_over_plain_http_to_another_machine_needs_consent(url, asks, isolated, memory_keyring):
    entry = ServerEntry("s", url)
    assert needs_consent_for_plain_http(entry, api_key=SECRET) is asks
    assert needs_consent_for_plain_http(entry) is False  # no key, nothing to protect
