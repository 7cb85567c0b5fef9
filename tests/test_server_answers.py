"""Server answers are untrusted: a server that breaks off, sends malformed or mistyped events, invalid
UTF-8, an endless line, a lying Content-Length, an HTML page or a slow drip gives a ServerError
naming it (within the timeout), never a traceback, and the text written before the fault is kept."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.requests import GenerationRequest
from storyteller.engine.servers.errors import ServerDied, ServerError, ServerTimeout
from storyteller.engine.servers.generator import connect
from storyteller.engine.servers.registry import ServerEntry
from storyteller.engine.settings.generation import GenerationSettings
from tests.helpers.bad_server import BadServer, drip, events, good_event, http_response, stream_header
from tests.helpers.doors import event_streams
from tests.helpers.waiting import wait_for

SETTINGS = GenerationSettings(max_new_tokens=8, seed=1)
def run(answer, timeout: float | None = None):
    """Connect to a server giving `answer` to /completion and continue a story; (result or error, seconds)."""
    with BadServer(answer) as server:
        entry = ServerEntry("broken", server.url)
        backend = connect(entry)
        if timeout is not None:
            backend.timeout = timeout
        started = time.monotonic()
        try:
            return backend.generate(GenerationRequest("옛날", SETTINGS)), time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - what escapes is what the test judges
            return error, time.monotonic() - started
        finally:
            backend.close()


def assert_clean_error(outcome, kept: str | None = None) -> None:
    error, _ = outcome
    assert isinstance(error, ServerError), f"{type(error).__name__}: {error}"
    assert "broken" in str(error), str(error)  # the message names the server
    if kept is not None:
        assert isinstance(error, ServerDied) and error.partial == [kept], (type(error).__name__, error.partial)


GOOD_TEXT = " 옛날 옛적에"  # the candidate's text after the first event

BROKEN_STREAMS = {
    "truncated JSON, then closed": stream_header() + events(good_event()) + b'data: {"content": "x", "tok',
    "an event that is not JSON": stream_header() + events(good_event(), "not json at all"),
    "a JSON list instead of an object": stream_header() + events(good_event(), [1, 2, 3]),
    "tokens as a string": stream_header() + events(good_event(), {"content": "x", "tokens": "abc"}),
    "probabilities as a number": stream_header() + events(good_event(), {"completion_probabilities": 3}),
    "timings as a string at the end": stream_header() + events(good_event(), {"stop": True, "timings": "x"}),
    "invalid UTF-8 split across events": stream_header() + events(good_event()) + b"data: {\"content\": \"\xed\x95",
    "a lying Content-Length": http_response(events(good_event()), headers=["Content-Length: 100000"]),
}


@pytest.mark.parametrize("name", BROKEN_STREAMS)
def test_a_broken_stream_gives_a_clean_error_and_keeps_the_text(name):
    assert_clean_error(run(BROKEN_STREAMS[name]), kept=GOOD_TEXT)


def test_an_html_page_instead_of_events_is_named_as_such():
    outcome = run(http_response(b"<html><body>Welcome to nginx!</body></html>", "text/html"))
    assert_clean_error(outcome)
    assert "HTML" in str(outcome[0]) or "not" in str(outcome[0])


def test_an_endless_line_is_refused_within_the_timeout():
    outcome = run(drip(b"data: " + b"x" * 65536, every=0.0, limit=20.0), timeout=3.0)
    assert_clean_error(outcome)
    assert outcome[1] < 10


def test_a_slow_drip_is_given_up_within_the_timeout_keeping_the_text():
    def answer(sock):
        sock.sendall(stream_header() + events(good_event()))
        drip(b":\n", every=0.5, limit=30.0)(sock)  # comments only: alive, but writing nothing

    outcome = run(answer, timeout=2.0)
    assert_clean_error(outcome, kept=GOOD_TEXT)
    assert outcome[1] < 8


PROBE_ANSWERS = {
    "props with n_ctx a string": {"props": {"default_generation_settings": {"n_ctx": "big"}}},
    "props a list": {"props": [1, 2]},
    "models a list of numbers": {"models": {"data": [1, 2]}},
    "models data a string": {"props": {}, "models": {"data": "tiny"}},
}


@pytest.mark.parametrize("name", PROBE_ANSWERS)
def test_a_probe_answer_of_the_wrong_shape_gives_a_clean_error(name):
    with BadServer(b"", **PROBE_ANSWERS[name]) as server:
        try:
            connect(ServerEntry("broken", server.url)).close()
        except StorytellerError as error:
            assert "broken" in str(error) or server.url in str(error)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=event_streams())
def test_any_event_stream_ends_in_a_result_or_a_server_error(answer):
    error, _ = run(answer)
    assert not isinstance(error, Exception) or isinstance(error, ServerError), f"{type(error).__name__}: {error}"


# --- a server that takes the request and never answers (issue 27) ----------------------------------


def silent(release: threading.Event, head: bytes = b"") -> Callable[[socket.socket], None]:
    """An answer that sends `head` (nothing by default), then holds the connection open, saying nothing,
    until the test ends (`release`)."""
    def answer(sock: socket.socket) -> None:
        if head:
            sock.sendall(head)
        release.wait(30)
    return answer


@pytest.mark.parametrize("head", [b"", stream_header()], ids=["no answer at all", "a head, then nothing"])
def test_stop_returns_at_once_while_the_server_says_nothing(head):
    """Stop ends the stream within a poll of the flag whatever the server does, even while a read waits on
    it (the app used to wait out a 120 s read timeout), and the server sees the connection shut."""
    release = threading.Event()
    with BadServer(silent(release, head)) as server:
        backend = connect(ServerEntry("silent", server.url))
        cancel, ended = threading.Event(), []
        try:
            def write() -> None:
                ended.append(backend.generate(GenerationRequest("옛날", SETTINGS), cancel))
                ended.append(time.monotonic())

            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            assert wait_for(lambda: any(path == "/completion" for _, path, _ in server.requests), timeout=10)
            time.sleep(0.3)  # the request is waiting on the server: the behaviour under test
            cancel.set()
            stopped_at = time.monotonic()
            writer.join(5)
            assert len(ended) == 2, "Stop did not return"
            assert ended[1] - stopped_at < 0.5 and ended[0].cancelled and ended[0].texts == [""]
        finally:
            release.set()
            backend.close()


def test_a_server_that_takes_the_request_and_never_answers_is_named_within_its_timeout():
    """Its health page answers (it is alive, maybe busy), so it may think for the entry's whole timeout
    before the first token, and no longer."""
    release = threading.Event()
    with BadServer(silent(release)) as server:
        backend = connect(ServerEntry("silent", server.url, timeout=1.5))
        started = time.monotonic()
        try:
            with pytest.raises(ServerTimeout, match="silent still answers, but wrote nothing within 1.5 s") as raised:
                backend.generate(GenerationRequest("옛날", SETTINGS))
        finally:
            release.set()
            backend.close()
    assert time.monotonic() - started < 1.5 + 1.0
    assert not isinstance(raised.value, ServerDied)  # nothing was written: no "the text so far is kept"


def test_a_server_that_answers_nothing_any_more_is_named_in_seconds(monkeypatch):
    """A server that hangs (its health page too) is reported once a health check goes unanswered, long
    before the two minutes a first token may take (here, waits shortened: 0.5 s of silence, 1 s to answer)."""
    from storyteller.engine.servers import http, streaming

    release = threading.Event()
    with BadServer(silent(release)) as server:
        backend = connect(ServerEntry("hung", server.url))
        assert backend.timeout == 120
        server.answer_for = lambda method, path, body: silent(release)  # from now on, nothing answers
        monkeypatch.setattr(streaming, "HEALTH_CHECK_AFTER", 0.5)
        monkeypatch.setattr(http, "ANSWER_SECONDS", 1.0)
        started = time.monotonic()
        try:
            with pytest.raises(ServerTimeout, match=r"hung \(http://127.0.0.1:\d+\) took the request but no longer "
                                                    r"answers anything: not even its health check came back within 1 "
                                                    r"seconds"):
                backend.generate(GenerationRequest("옛날", SETTINGS))
        finally:
            release.set()
            backend.close()
    assert time.monotonic() - started < 4
    assert any(path == "/health" for _, path, _ in server.requests)


def test_a_big_models_first_token_may_take_its_time_while_the_server_answers():
    """A server that sends its first token after 3 s is fine with the default timeout: meanwhile it answers
    its health check (asked after 2 s of silence)."""
    def answer(sock: socket.socket) -> None:
        sock.sendall(stream_header())
        time.sleep(3)  # reading a long prompt: the behaviour under test
        sock.sendall(events(good_event(), {"content": "", "stop": True, "stop_type": "eos"}))

    with BadServer(answer) as server:
        backend = connect(ServerEntry("thinking", server.url))
        try:
            assert backend.generate(GenerationRequest("옛날", SETTINGS)).texts == [GOOD_TEXT]
        finally:
            backend.close()
        assert any(path == "/health" for _, path, _ in server.requests)
