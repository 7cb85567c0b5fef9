"""One HTTP client per server (httpx2, which huggingface_hub already brings) and the translation of
every transport failure into a ServerError with a plain message (streaming.py reads streamed answers).
HTTPS certificates are verified (httpx's default); the API key travels only in the Authorization header
and never in a message."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import httpx2

from storyteller.engine.core.errors import tr
from storyteller.engine.servers.errors import (
    AuthError,
    NoModelError,
    ServerError,
    ServerRefused,
    ServerTimeout,
    TlsError,
    UnreadableAnswer,
    WrongApiError,
)
from storyteller.engine.servers.registry import ANSWER_SECONDS, ServerEntry, check_plain_http_consent

# Connecting should be quick, and so should a server's answer to anything but writing (registry.ANSWER_SECONDS).
CONNECT_SECONDS = 5.0
# No event of a text stream comes near this: a longer line is a broken (or hostile) server, refused
# before it fills the memory.
MAX_LINE_BYTES = 1 << 20
# What parsing an answer of the wrong shape raises (a field of another type, a key missing, not JSON).
MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError)


def answer_seconds(entry: ServerEntry) -> float:
    """How long `entry`'s server may take to answer anything but a completion (the probe, /tokenize, its
    health), at most its whole timeout."""
    return min(ANSWER_SECONDS, entry.timeout)


def make_client(entry: ServerEntry, api_key: str | None) -> httpx2.Client:
    """The client for `entry`: its requests wait `answer_seconds`, unless one says otherwise (a completion
    waits the entry's timeout)."""
    check_plain_http_consent(entry, api_key)
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    timeout = httpx2.Timeout(answer_seconds(entry), connect=CONNECT_SECONDS)
    # No keep-alive: llama.cpp's server closes a kept-alive connection after a few requests or seconds,
    # and a request sent on it just then fails with "Server disconnected without sending a response"
    # (seen in the tests). A new connection per request costs a handshake, little beside a generation.
    limits = httpx2.Limits(max_keepalive_connections=0)
    return httpx2.Client(base_url=entry.base_url, headers=headers, timeout=timeout, limits=limits)


@contextmanager
def talking_to(entry: ServerEntry) -> Iterator[None]:
    """Turn the transport's exceptions inside the block into ServerErrors naming `entry`."""
    try:
        yield
    except httpx2.TimeoutException as error:
        raise ServerTimeout(
            tr("{name} ({url}) did not answer in time. Check that the server is running and not overloaded."),
            name=entry.name, url=entry.url,
        ) from error
    except httpx2.ConnectError as error:
        if _is_tls_failure(error):
            raise TlsError(
                tr("The HTTPS certificate of {url} cannot be verified ({reason}). Use a certificate your system "
                   "trusts, or connect through a trusted network to http://localhost."),
                url=entry.url, reason=_tls_reason(error),
            ) from error
        raise ServerRefused(
            tr("Nothing answers at {url}: check the address and port, and that the server is running."),
            url=entry.url,
        ) from error
    except httpx2.UnsupportedProtocol as error:
        raise WrongApiError(tr("{url} is not an http or https address."), url=entry.url) from error
    except httpx2.TransportError as error:  # e.g. the server closed the connection before answering
        raise ServerError(
            tr("The connection to {name} ({url}) broke ({reason}). Check that the server is still running, "
               "then try again."),
            name=entry.name, url=entry.url, reason=type(error).__name__,
        ) from error


def _is_tls_failure(error: BaseException) -> bool:
    seen = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _tls_reason(error: BaseException) -> str:
    seen = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) and seen.verify_message:
            return seen.verify_message
        seen = seen.__cause__ or seen.__context__
    return type(error).__name__


def check_status(response: httpx2.Response, entry: ServerEntry) -> None:
    """Raise the ServerError a failed response means (the body must have been read)."""
    status = response.status_code
    if status < 400:
        return
    if status in (401, 403):
        raise AuthError(
            tr("{name} refused the request (HTTP {status}): it needs a valid API key. Enter the server's key, "
               "or check that it has not changed."),
            name=entry.name, status=status,
        )
    message = server_message(response)
    if status == 503 and "load" in message.lower():
        raise NoModelError(tr("{name} is still loading its model. Try again in a moment."), name=entry.name)
    raise ServerError(tr("{name} answered HTTP {status}: {message}"), name=entry.name, status=status,
                      message=message or response.reason_phrase)


def server_message(response: httpx2.Response) -> str:
    """The error text a server put in its JSON body (llama.cpp, OpenAI and vLLM shapes), else the body."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300].strip()
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict):
        return str(error.get("message") or error.get("detail") or error)[:300]
    return str(error)[:300]


def answer_lines(chunks: Iterable[bytes], entry: ServerEntry, check: Callable[[], None]) -> Iterator[str]:
    """The lines of a streamed answer (its body's `chunks`), each decoded as UTF-8 on its own (a line
    break never splits a character, so a broken byte becomes U+FFFD instead of ending the stream).
    `check` runs whenever bytes arrive, so a caller can give up on a server that drips bytes but never
    says anything. A line over MAX_LINE_BYTES is refused: httpx's iter_lines, which this replaces,
    would buffer it without limit."""
    pending = b""
    for data in chunks:
        check()
        *lines, pending = (pending + data).split(b"\n")
        for line in [*lines, pending]:
            if len(line) > MAX_LINE_BYTES:
                raise UnreadableAnswer(tr("{name} sent a line longer than {size} MB, which no text server sends."),
                                       name=entry.name, size=MAX_LINE_BYTES >> 20)
        yield from (line.decode("utf-8", "replace").rstrip("\r") for line in lines)
    if pending:
        yield pending.decode("utf-8", "replace").rstrip("\r")


def json_of(response: httpx2.Response, entry: ServerEntry) -> object:
    """A read response's JSON, or UnreadableAnswer naming the server."""
    try:
        return response.json()
    except ValueError as error:
        raise UnreadableAnswer(tr("{name} answered something that is not JSON. Check that it is a llama.cpp or "
                                  "OpenAI-compatible server."), name=entry.name) from error


def check_event_stream(response: httpx2.Response, entry: ServerEntry) -> None:
    """A web page where a stream of events belongs: the address is a website, not the server's API."""
    if response.headers.get("content-type", "").lower().startswith("text/html"):
        raise UnreadableAnswer(
            tr("{name} ({url}) answered with a web page (HTML) instead of writing. Check that the address is the "
               "server's API, with its port."),
            name=entry.name, url=entry.url,
        )

