"""A real HTTP server that misbehaves on purpose: it answers a llama.cpp probe as llama.cpp does, then
writes whatever bytes a test gives for the completion (truncated or malformed event lines, invalid
UTF-8, wrong JSON types, a line that never ends, a Content-Length that lies, an HTML page, a slow
drip). It is a socket server of the tests' own, bound to 127.0.0.1, so the app's real HTTP client
meets each answer exactly as it would meet a broken server."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterable

from storyteller.engine.servers.probing import bundled_tokenizer

# What /completion sends: raw bytes (the whole response, status line and headers included), or a
# callable that writes to the socket itself (for drips and endless lines).
Answer = bytes | Callable[[socket.socket], None]


def http_response(body: bytes, content_type: str = "text/event-stream", status: str = "200 OK",
                  headers: Iterable[str] = ()) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", "Connection: close", *headers]
    if not any(h.lower().startswith("content-length") for h in headers):
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def events(*messages) -> bytes:
    """Server-sent events, one `data:` line each (a str is sent as it is, anything else as JSON)."""
    return b"".join(b"data: " + (m.encode() if isinstance(m, str) else m if isinstance(m, bytes)
                                 else json.dumps(m, ensure_ascii=False).encode()) + b"\n\n" for m in messages)


def good_event() -> dict:
    """What a llama.cpp server sends first when it writes " 옛날 옛적에" in KoGPT2's token ids."""
    ids = bundled_tokenizer().encode(" 옛날 옛적에")
    return {"content": bundled_tokenizer().decode(ids), "tokens": ids, "stop": False}


def stream_header() -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"


def drip(chunk: bytes, every: float, limit: float) -> Answer:
    """A stream header, then `chunk` every `every` seconds for `limit` seconds at most."""
    def write(sock: socket.socket) -> None:
        sock.sendall(stream_header())
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            sock.sendall(chunk)
            time.sleep(every)  # the drip is the behaviour under test
    return write


class _Handler(socketserver.StreamRequestHandler):
    server: BadServer

    def handle(self) -> None:
        request_line = self.rfile.readline().decode("latin-1").strip()
        if not request_line:
            return
        method, path, _ = request_line.split(" ", 2)
        length = 0
        while (line := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append((method, path, body))
        answer = self.server.answer_for(method, path, body)
        try:
            if callable(answer):
                answer(self.connection)
            else:
                self.connection.sendall(answer)
        except OSError:
            pass  # the client hung up, as it should on a bad answer


class BadServer(socketserver.ThreadingTCPServer):
    """`with BadServer(answer) as server:` serves on `server.url` until the block ends."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, completion: Answer, *, props: object = None, models: object = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.completion = completion
        self.props = props if props is not None else {"default_generation_settings": {"n_ctx": 1024}}
        self.models = models if models is not None else {"data": [{"id": "tiny", "owned_by": "llamacpp"}]}
        self.requests: list[tuple[str, str, object]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer_for(self, method: str, path: str, body) -> Answer:
        if path == "/props":
            return http_response(json.dumps(self.props).encode(), "application/json")
        if path == "/v1/models":
            return http_response(json.dumps(self.models).encode(), "application/json")
        if path == "/tokenize":
            tokens = bundled_tokenizer().encode(body.get("content", "")) if isinstance(body, dict) else []
            return http_response(json.dumps({"tokens": tokens}).encode(), "application/json")
        if path == "/completion":
            return self.completion
        return http_response(b"not found", "text/plain", "404 Not Found")

    def __enter__(self) -> BadServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
