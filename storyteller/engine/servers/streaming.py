"""A streamed completion the writer can always walk away from, and a server that stopped answering told
from one that is still thinking.

Every step of a streamed POST that can block (connecting, waiting for the answer, each read) runs on a
thread of its own (`_Exchange.run`), which hands what comes over a queue; the reader polls the Stop flag
between items, so Stop returns within CANCEL_POLL_SECONDS whatever the server does, and the connection
(its socket, seen through httpcore's trace) is shut down under any read still waiting, which llama.cpp
and vLLM take as abort. Closing a socket would not do: it does not wake a read waiting on it.

Two waits, for two questions. Is the server still there? While a completion sends nothing, its health
page (`alive_path`) is asked every few seconds; one left unanswered for ANSWER_SECONDS means a server
that took the request and will not answer (hung, or a port that accepts and says nothing), reported in
seconds. Is it still writing? A live server may think for the entry's whole timeout before its first
token, or between two: llama.cpp sends not even the answer's head before its first token, so the head
cannot tell a dead server from a slow one.
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Iterator

import httpx2

from storyteller.engine.core.errors import tr
from storyteller.engine.servers.errors import ServerTimeout
from storyteller.engine.servers.http import (
    CONNECT_SECONDS,
    answer_seconds,
    check_event_stream,
    check_status,
    talking_to,
)
from storyteller.engine.servers.registry import ServerEntry

# How often a waiting stream looks at the Stop flag.
CANCEL_POLL_SECONDS = 0.05
# After this long without a byte from a completion, the server's health page is asked whether it still
# answers (and again this long after each answer, while the silence lasts).
HEALTH_CHECK_AFTER = 2.0
# How much longer than the entry's timeout httpx itself waits for a read (see _Exchange.run).
BACKSTOP_SECONDS = 5.0


def streamed_post(client: httpx2.Client, entry: ServerEntry, path: str, body: dict, cancel, timeout: float,
                  alive_path: str) -> Iterator[bytes]:
    """The body of a streamed POST to `path`, as its bytes come; `cancel` is anything with `is_set()`.

    Ends quietly within CANCEL_POLL_SECONDS of `cancel`. Raises a ServerTimeout naming the server when its
    health page goes unanswered (see above) or nothing comes for `timeout` seconds; the ServerError an error
    status means (check_status), or a web page where events belong (check_event_stream); a failure before
    the answer as talking_to names it. A transport error after the answer began comes as httpx's own (the
    caller says the connection broke while writing). Leaving the iteration shuts the connection down."""
    exchange = _Exchange()
    threading.Thread(target=exchange.run, args=(client, path, body, timeout), name="server-stream",
                     daemon=True).start()
    health = _HealthCheck(client, entry, alive_path)
    try:
        kind, value = exchange.next(cancel, timeout, health)
        if kind == "error":  # before any answer: nothing listens, a certificate, a refused connection
            with talking_to(entry):
                raise value
        if kind == "head":
            check_status(value, entry)
            check_event_stream(value, entry)
            kind, value = exchange.next(cancel, timeout, health)
        began = kind == "data"
        while kind == "data":
            yield value
            kind, value = exchange.next(cancel, timeout, health)
        if kind == "error":
            raise value
        if kind == "silent" and began:
            raise stopped_writing(entry, timeout)
        if kind == "silent":
            raise ServerTimeout(tr("{name} still answers, but wrote nothing within {seconds} seconds. Try again when "
                                   "it is less busy, or give it a longer timeout."),
                                name=entry.name, seconds=f"{timeout:g}")
    finally:
        exchange.abandon()


def stopped_writing(entry: ServerEntry, seconds: float) -> ServerTimeout:
    """A server that began writing, then sent nothing (or only keep-alive bytes) for `seconds`."""
    return ServerTimeout(tr("{name} stopped writing: nothing came for {seconds} seconds."),
                         name=entry.name, seconds=f"{seconds:g}")


class _Exchange:
    """A streamed POST between the thread that does its I/O (`run`) and the one that reads it (`next`):
    what came ("head" with the response, "data" with bytes, "error" with an exception, "end") in a queue,
    and the connection's network streams, so that `abandon` can shut them down."""

    def __init__(self):
        self.items: queue.Queue = queue.Queue()
        self.streams: list = []
        self.abandoned = threading.Event()

    def run(self, client: httpx2.Client, path: str, body: dict, timeout: float) -> None:
        try:
            # The reader's watch (`next`) decides when the server has been silent too long, and says
            # whether it had begun writing; httpx's own read timeout only backs it up, later, so the
            # two never race (under load httpx's came first, with a vaguer message).
            backstop = httpx2.Timeout(timeout + BACKSTOP_SECONDS, connect=CONNECT_SECONDS)
            request = client.stream("POST", path, json=body, timeout=backstop, extensions={"trace": self._trace})
            with request as response:
                if response.status_code >= 400:
                    response.read()
                self.items.put(("head", response))
                if response.status_code < 400:
                    for data in response.iter_bytes():
                        if self.abandoned.is_set():
                            return
                        self.items.put(("data", data))
            self.items.put(("end", None))
        except BaseException as error:  # handed to the reader, who raises it (or has left)
            self.items.put(("error", error))

    def _trace(self, event: str, info: dict) -> None:
        """httpcore's trace: the network stream of each connection made (and its TLS stream)."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")) and info.get("return_value") is not None:
            self.streams.append(info["return_value"])
            if self.abandoned.is_set():  # connected after the reader left
                self.abandon()

    def next(self, cancel, seconds: float, health: _HealthCheck) -> tuple[str, object]:
        """The next thing that came; ("cancelled", None) once `cancel` is set, ("silent", None) after
        `seconds` without anything, and the health check's ServerTimeout when the server stopped answering."""
        started = time.monotonic()
        while not cancel.is_set():
            waited = time.monotonic() - started
            if waited >= seconds:
                return "silent", None
            health.check(waited)
            try:
                return self.items.get(timeout=min(CANCEL_POLL_SECONDS, seconds - waited))
            except queue.Empty:
                continue
        return "cancelled", None

    def abandon(self) -> None:
        """Stop reading and shut the connection down, waking a read that waits on it."""
        self.abandoned.set()
        for stream in self.streams:
            try:
                stream.get_extra_info("socket").shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError, ValueError):
                pass  # already closed


class _HealthCheck:
    """While a completion keeps us waiting: whether the server still answers its health page, one
    request at a time, each on a thread of its own (the reader keeps watching the Stop flag)."""

    def __init__(self, client: httpx2.Client, entry: ServerEntry, path: str):
        self.client, self.entry, self.path = client, entry, path
        self.asked_at: float | None = None  # when the request under way was sent
        self.answered_at = 0.0  # (monotonic) when the last one was answered
        self.failed = False

    def check(self, silent_for: float) -> None:
        """Ask again when the silence has lasted HEALTH_CHECK_AFTER since the last answer; raise
        ServerTimeout when a request went unanswered (or failed) for answer_seconds."""
        now = time.monotonic()
        if self.asked_at is not None:
            if self.failed or now - self.asked_at >= answer_seconds(self.entry):
                raise ServerTimeout(
                    tr("{name} ({url}) took the request but no longer answers anything: not even its health check "
                       "came back within {seconds} seconds. Check that the server is running and not stuck."),
                    name=self.entry.name, url=self.entry.url, seconds=f"{answer_seconds(self.entry):g}",
                )
            return
        if silent_for >= HEALTH_CHECK_AFTER and now - self.answered_at >= HEALTH_CHECK_AFTER:
            self.asked_at = now
            threading.Thread(target=self._ask, name="server-health", daemon=True).start()

    def _ask(self) -> None:
        try:
            self.client.get(self.path, timeout=httpx2.Timeout(answer_seconds(self.entry), connect=CONNECT_SECONDS))
        except (httpx2.HTTPError, OSError):
            self.failed = True
            return
        self.answered_at, self.asked_at = time.monotonic(), None  # any answer, even an error page: it is alive
