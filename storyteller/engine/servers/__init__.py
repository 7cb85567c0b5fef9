"""Bigger models on a server: llama.cpp's server and OpenAI-compatible engines (vLLM, KoboldCpp, …) run
beside the local model through the same shell (engine/decode/runner.py): `connect` returns a
ServerGenerator, which takes requests and yields events as the local Generator does.

The registry and the errors import nothing heavy (the GUI thread uses them); `probe`, `connect` and
the rest load httpx and the tokenizer when first asked for."""

from storyteller.engine.servers.errors import (
    AuthError,
    ContextTooSmall,
    KeychainError,
    NeedsLocalModel,
    NoModelError,
    PlainHttpKeyError,
    ServerDied,
    ServerError,
    ServerRefused,
    ServerTimeout,
    TlsError,
    WrongApiError,
)
from storyteller.engine.servers.registry import (
    API_CHOICES,
    ServerEntry,
    api_key_of,
    find_server,
    load_servers,
    needs_consent_for_plain_http,
    remove_server,
    save_server,
)

_LAZY = {"ServerGenerator": "generator", "connect": "generator", "ServerInfo": "probing",
         "check_context": "probing", "probe": "probing"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "API_CHOICES", "AuthError", "ContextTooSmall", "KeychainError", "NeedsLocalModel", "NoModelError",
    "PlainHttpKeyError", "ServerDied", "ServerEntry", "ServerError", "ServerGenerator", "ServerInfo", "ServerRefused",
    "ServerTimeout", "TlsError", "WrongApiError", "api_key_of", "check_context", "connect", "find_server",
    "load_servers", "needs_consent_for_plain_http", "probe", "remove_server", "save_server",
]
