"""Everything that can go wrong with a server, one class per cause, so the GUI can react to the cause
(ask for a key on AuthError, offer the local model on NeedsLocalModel) and show each message translated."""

from __future__ import annotations

from storyteller.engine.core.errors import StorytellerError


class ServerError(StorytellerError):
    """A server cannot be reached, refuses us, or answers something we cannot use."""


class KeychainError(ServerError):
    """The API key cannot be kept in (or read from) the OS keychain."""


class PlainHttpKeyError(ServerError):
    """An API key would travel unencrypted to another machine and the writer has not agreed."""


class ServerRefused(ServerError):
    """Nothing listens at the address (connection refused, unknown host)."""


class ServerTimeout(ServerError):
    """The server did not answer in time."""


class AuthError(ServerError):
    """The server wants a (different) API key: HTTP 401 or 403."""


class WrongApiError(ServerError):
    """Something answers at the address, but not a llama.cpp or OpenAI-compatible server (or not the
    API the entry names)."""


class NoModelError(ServerError):
    """The server has no model loaded, or not the one the entry names."""


class UnreadableAnswer(ServerError):
    """The server answered something its API never sends: not JSON, fields of the wrong type, a line
    without end, a web page instead of a stream."""


class TlsError(ServerError):
    """The HTTPS certificate cannot be verified."""


class ContextTooSmall(ServerError):
    """The server's context cannot hold what the story needs."""


class NeedsLocalModel(ServerError):
    """A steering method needs the model's insides (PPLM, the mood vector): only the local model has them."""


class ServerDied(ServerError):
    """The connection broke while the server was writing. `partial` holds the text written so far, per
    candidate, and `result` the GenerationResult it makes (stop reason "cancelled"), so a caller can keep
    it exactly as after Stop."""

    def __init__(self, template: str = "", /, *, partial=None, result=None, **params):
        super().__init__(template, **params)
        self.partial = partial or []
        self.result = result
