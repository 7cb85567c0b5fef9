"""Bigger models on a server: llama.cpp's server and OpenAI-compatible engines (vLLM, KoboldCpp, …) as
backends beside the local model, behind the same request/event interface (see backend.py)."""

from .errors import (
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
from .registry import (
    API_CHOICES,
    ServerEntry,
    api_key_of,
    find_server,
    load_servers,
    needs_consent_for_plain_http,
    remove_server,
    save_server,
)

__all__ = [
    "API_CHOICES", "AuthError", "ContextTooSmall", "KeychainError", "NeedsLocalModel", "NoModelError",
    "PlainHttpKeyError", "ServerDied", "ServerEntry", "ServerError", "ServerRefused", "ServerTimeout", "TlsError",
    "WrongApiError", "api_key_of", "find_server", "load_servers", "needs_consent_for_plain_http", "remove_server",
    "save_server",
]
