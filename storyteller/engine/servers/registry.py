"""The writer's named servers: `servers.json` in the app's config folder, API keys only in the OS keychain.

A key is never written to a file or a log. Where the machine has no keychain (a bare Linux server, a
locked keyring) saving a key fails with a message saying what to do instead; an environment variable
STORYTELLER_API_KEY_<NAME> (the name upper-cased, other characters as _) also supplies a key, and wins
over the keychain.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from storyteller.engine.core import paths
from storyteller.engine.core.errors import SettingError, StorytellerError, tr
from storyteller.engine.servers.errors import KeychainError, PlainHttpKeyError
from storyteller.engine.settings.schema import SettingName, check_number

API_CHOICES = ("auto", "llama.cpp", "openai")  # "auto": probe the server and use what it speaks
KEYRING_SERVICE = "storyteller"
SERVERS_FILE = "servers.json"
API_KEY_ENV_PREFIX = "STORYTELLER_API_KEY_"
# How long a server may think before its first token, and pause between tokens, before Storyteller gives
# up on it (ServerEntry.timeout): a big model reading a long story on a busy machine may take a minute,
# and llama.cpp sends nothing at all, not even the answer's head, until the first token (measured: a
# request queued behind another got its head when the other was done).
DEFAULT_TIMEOUT_SECONDS = 120.0
# Whether the server is there at all is known much sooner: its probe, /tokenize and health page answer in
# milliseconds, busy or not. A server that leaves one of them (or a health check made while a completion
# keeps us waiting, streaming.py) without an answer this long is not going to answer: it is reported in
# seconds, not after the minutes a first token may take.
ANSWER_SECONDS = 5.0
TIMEOUT_RANGE = (1.0, 3600.0)
# How messages name it: the file's field, the flag of `servers add`, the Servers dialog's label.
TIMEOUT_NAME = SettingName("timeout", "--timeout", tr("Timeout"))


@dataclass(frozen=True)
class ServerEntry:
    name: str
    url: str
    api: str = "auto"
    model: str = ""  # the model to ask for; "" lets the server use the one it has loaded
    # The writer agreed that this entry's key may travel over plain HTTP to another machine.
    allow_plain_http: bool = False
    timeout: float = DEFAULT_TIMEOUT_SECONDS  # seconds to wait for the first token, and between tokens

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise SettingError(tr("A server needs a name."))
        if self.api not in API_CHOICES:
            raise SettingError(tr("Unknown server API {api}: choose one of {choices}."),
                               api=self.api, choices=", ".join(API_CHOICES))
        if isinstance(self.url, str):
            object.__setattr__(self, "url", self.url.strip())  # spaces around a pasted address mean nothing
        if not _is_server_url(self.url):
            raise SettingError(
                tr("{url} is not a server address: write it like http://localhost:8080 or https://my-server.example."),
                url=self.url,
            )
        check_number(TIMEOUT_NAME, self.timeout, *TIMEOUT_RANGE)
        object.__setattr__(self, "timeout", float(self.timeout))

    @property
    def base_url(self) -> str:
        """The address without a trailing slash or an OpenAI-style /v1 (each API adds its own paths)."""
        url = self.url.rstrip("/")
        return url[: -len("/v1")] if url.endswith("/v1") else url

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ServerEntry:
        known = {spec.name for spec in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def _is_server_url(url) -> bool:
    """http(s), a host and, if given, a port from 0 to 65535; no spaces (httpx would fail on them later,
    with a traceback instead of this message)."""
    if not isinstance(url, str) or any(char.isspace() for char in url):
        return False
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - reading it checks it: a port that is not such a number raises
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and bool(host) and not any(char in '<>"{}|\\^`' for char in host)


def servers_file() -> Path:
    return paths.config_dir() / SERVERS_FILE


def load_servers() -> list[ServerEntry]:
    """The saved servers, in the order they were added (none when the file does not exist)."""
    path = servers_file()
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [ServerEntry.from_json(item) for item in data["servers"]]
    except (ValueError, KeyError, TypeError) as error:
        raise StorytellerError(
            tr("The server list {file} is damaged ({reason}). Fix or delete it, then add the servers again."),
            file=path, reason=str(error),
        ) from error


def _write(entries: list[ServerEntry]) -> None:
    from storyteller.engine.core.atomic import write_atomic

    text = json.dumps({"servers": [entry.to_json() for entry in entries]}, ensure_ascii=False, indent=2)
    write_atomic(servers_file(), (text + "\n").encode("utf-8"))


def find_server(name: str) -> ServerEntry:
    entries = load_servers()
    for entry in entries:
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in entries)
    if known:
        raise StorytellerError(tr("There is no server named {name}. The servers are: {known}."), name=name, known=known)
    raise StorytellerError(
        tr("There is no server named {name}; no server has been added yet (storyteller servers add NAME URL)."),
        name=name,
    )


def save_server(entry: ServerEntry, api_key: str | None = None) -> None:
    """Add `entry`, or replace the one with its name. `api_key` None keeps the stored key, "" removes
    it, any other text is stored in the OS keychain first: if the keychain refuses, nothing is saved."""
    if api_key:
        _set_key(entry.name, api_key)
    elif api_key == "":
        _delete_key(entry.name)
    entries = load_servers()
    names = [existing.name for existing in entries]
    if entry.name in names:
        entries[names.index(entry.name)] = entry
    else:
        entries.append(entry)
    _write(entries)


def remove_server(name: str) -> None:
    """Forget server `name` and its key in the keychain."""
    find_server(name)
    _write([entry for entry in load_servers() if entry.name != name])
    _delete_key(name)


def api_key_env_var(name: str) -> str:
    return API_KEY_ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def api_key_of(name: str) -> str | None:
    """The key for server `name`: its environment variable, else the keychain's, else None."""
    from_env = os.environ.get(api_key_env_var(name))
    if from_env:
        return from_env
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, name)
    except KeyringError:  # no keychain on this machine: there can be no stored key
        return None


def needs_consent_for_plain_http(entry: ServerEntry, api_key: str | None = None) -> bool:
    """Whether sending a key to `entry` would cross the network unencrypted: plain http to a host other
    than this machine. `api_key` is the key about to be saved; None means the stored one (no key: no)."""
    key = api_key if api_key is not None else api_key_of(entry.name)
    if not key:
        return False
    parts = urlsplit(entry.url)
    return parts.scheme == "http" and not _is_this_machine(parts.hostname or "")


def check_plain_http_consent(entry: ServerEntry, api_key: str | None) -> None:
    """Raise PlainHttpKeyError unless `api_key` may go to `entry` (https, this machine, or the writer agreed)."""
    if needs_consent_for_plain_http(entry, api_key or "") and not entry.allow_plain_http:
        raise PlainHttpKeyError(
            tr("{url} is plain http on another machine: the API key would cross the network unencrypted. Use "
               "https, or allow sending it unencrypted to this server."),
            url=entry.url,
        )


def _is_this_machine(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _set_key(name: str, api_key: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, name, api_key)
    except KeyringError as error:
        raise KeychainError(
            tr("The API key cannot be kept safely: this computer has no usable keychain ({reason}). Install or "
               "unlock one (e.g. GNOME Keyring or KWallet), or give the key in the environment variable {variable} "
               "and save the server without a key. The key was not saved anywhere."),
            reason=type(error).__name__, variable=api_key_env_var(name),
        ) from error


def _delete_key(name: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except KeyringError:  # no key stored, or no keychain: nothing to forget
        pass
