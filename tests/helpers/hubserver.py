"""A local stand-in for the Hugging Face Hub, for tests that must never reach the internet.

It answers what huggingface_hub's `model_info`, `snapshot_download` and `hf_hub_download` ask
(`/api/models/{repo}/revision/{rev}`, `/api/models/{repo}/tree/{rev}`, HEAD and GET
`/{repo}/resolve/{rev}/{file}` with X-Repo-Commit, ETag / X-Linked-Etag, Content-Length and
Range) and what Storyteller's resumable download asks. Knobs simulate a bad network: drop the
connection part-way through a file, corrupt a file, ignore Range, slow a file down; every
request is recorded.

Tests use it through the `fake_hub` and `hub` fixtures (tests/helpers/fixtures.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.helpers.paths import KOGPT2_TOKENIZER_DIR

TINY_REPO = "storyteller-test/tiny-gpt2"  # model.safetensors
TINY_BIN_REPO = "storyteller-test/tiny-gpt2-bin"  # pytorch_model.bin only
LFS_SUFFIXES = (".safetensors", ".bin", ".msgpack", ".h5")
PIECE = 16 * 1024  # bytes per socket write: lets a drop happen at an exact offset

_INFO = re.compile(r"^/api/models/(?P<repo>.+?)/revision/(?P<rev>[^/]+)$")
_TREE = re.compile(r"^/api/models/(?P<repo>.+?)/tree/(?P<rev>[^/]+)(?:/.*)?$")
_RESOLVE = re.compile(r"^/(?P<repo>.+?)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


@dataclass
class ServedRequest:
    method: str
    path: str
    file: str | None = None
    range: str | None = None
    status: int = 0
    bytes_sent: int = 0


@dataclass
class FakeRepo:
    repo_id: str
    commit: str
    files: dict[str, bytes]

    def is_lfs(self, name: str) -> bool:
        return name.endswith(LFS_SUFFIXES)

    def sibling(self, name: str) -> dict:
        data = self.files[name]
        entry = {"rfilename": name, "size": len(data), "blobId": git_blob_sha1(data)}
        if self.is_lfs(name):
            entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
        return entry

    def tree_entry(self, name: str) -> dict:
        data = self.files[name]
        entry = {"type": "file", "path": name, "size": len(data), "oid": git_blob_sha1(data)}
        if self.is_lfs(name):
            entry["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
        return entry


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class _Drop:
    at_byte: int
    times: int


@dataclass
class FakeHub:
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    requests: list[ServedRequest] = field(default_factory=list)
    ignore_range: bool = False
    corrupt_files: set[str] = field(default_factory=set)
    drops: dict[str, _Drop] = field(default_factory=dict)
    slow_files: dict[str, float] = field(default_factory=dict)  # seconds to wait per piece

    def __post_init__(self):
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"hub": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-hub", daemon=True)

    # --- set-up ---

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeHub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_repo(self, repo_id: str, folder: Path, *, commit: str | None = None) -> FakeRepo:
        files = {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}
        repo = FakeRepo(repo_id, commit or secrets.token_hex(20), files)
        self.repos[repo_id] = repo
        return repo

    # --- knobs ---

    def drop_connection(self, file: str, at_byte: int, times: int = 1) -> None:
        """Break the next `times` transfers of `file` once they reach absolute offset `at_byte`
        (at once for a transfer that starts there)."""
        self.drops[file] = _Drop(at_byte, times)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
        self.ignore_range = False
        self.corrupt_files.clear()
        self.drops.clear()
        self.slow_files.clear()

    # --- what happened ---

    def gets(self, file: str) -> list[ServedRequest]:
        with self.lock:
            return [r for r in self.requests if r.method == "GET" and r.file == file]

    def bytes_sent(self, file: str) -> int:
        return sum(r.bytes_sent for r in self.gets(file))

    def record(self, request: ServedRequest) -> ServedRequest:
        with self.lock:
            self.requests.append(request)
        return request


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Content-Length, like the real hub
    hub: FakeHub

    def log_message(self, format, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._route(send_body=True)

    def do_HEAD(self) -> None:
        self._route(send_body=False)

    def _route(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        request = self.hub.record(ServedRequest(self.command, path, range=self.headers.get("Range")))
        for pattern, answer in ((_INFO, self._info), (_TREE, self._tree), (_RESOLVE, self._resolve)):
            match = pattern.match(path)
            if match:
                repo = self._repo(request, match["repo"], match["rev"])
                if repo is not None:
                    answer(request, repo, match, send_body)
                return
        self._error(request, 404, "RepoNotFound", "Repository not found")

    def _repo(self, request: ServedRequest, repo_id: str, revision: str) -> FakeRepo | None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            self._error(request, 404, "RepoNotFound", "Repository not found")
        elif revision not in ("main", repo.commit):
            self._error(request, 404, "RevisionNotFound", f"Invalid rev id: {revision}")
            return None
        return repo

    def _info(self, request, repo: FakeRepo, match, send_body) -> None:
        self._json(request, {
            "_id": repo.commit[:24],
            "id": repo.repo_id,
            "modelId": repo.repo_id,
            "sha": repo.commit,
            "private": False,
            "gated": False,
            "disabled": False,
            "tags": ["transformers", "gpt2"],
            "pipeline_tag": "text-generation",
            "library_name": "transformers",
            "siblings": [repo.sibling(name) for name in repo.files],
        }, send_body)

    def _tree(self, request, repo: FakeRepo, match, send_body) -> None:
        self._json(request, [repo.tree_entry(name) for name in repo.files], send_body)

    def _resolve(self, request, repo: FakeRepo, match, send_body) -> None:
        name = match["file"]
        request.file = name
        if name not in repo.files:
            self._error(request, 404, "EntryNotFound", f"{name} does not exist on {match['rev']}", commit=repo.commit)
            return
        data = repo.files[name]
        if name in self.hub.corrupt_files:
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
        start = self._range_start(len(data))
        if start is not None and start >= len(data):
            request.status = 416
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request.status = 206 if start is not None else 200
        self.send_response(request.status)
        self.send_header("X-Repo-Commit", repo.commit)
        sibling = repo.sibling(name)
        etag = sibling["lfs"]["sha256"] if "lfs" in sibling else sibling["blobId"]
        self.send_header("ETag", f'"{etag}"')
        if "lfs" in sibling:
            self.send_header("X-Linked-Etag", f'"{etag}"')
            self.send_header("X-Linked-Size", str(len(data)))
        if not self.hub.ignore_range:
            self.send_header("Accept-Ranges", "bytes")
        if start is not None:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - (start or 0)))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        if send_body:
            self._send_file(request, name, data, start or 0)

    def _range_start(self, size: int) -> int | None:
        header = self.headers.get("Range")
        if header is None or self.hub.ignore_range:
            return None
        match = _RANGE.match(header.strip())
        return int(match.group(1)) if match else None

    def _send_file(self, request: ServedRequest, name: str, data: bytes, offset: int) -> None:
        drop = self.hub.drops.get(name)
        stop = len(data)
        if drop is not None and drop.times > 0 and drop.at_byte < len(data):
            drop.times -= 1
            stop = max(offset, drop.at_byte)  # a retry from there breaks at once
        position = offset
        try:
            while position < stop:
                piece = data[position:min(position + PIECE, stop)]
                request.bytes_sent += len(piece)  # counted first: the client may act before we return
                self.wfile.write(piece)
                position += len(piece)
                if name in self.hub.slow_files:  # a slow network, in real time: what the test watches
                    time.sleep(self.hub.slow_files[name])
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (cancel)
            self.close_connection = True
            return
        if stop < len(data):  # promised more than we sent: the client sees a broken transfer
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the client is already gone

    def _json(self, request: ServedRequest, payload, send_body: bool) -> None:
        body = json.dumps(payload).encode()
        request.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _error(self, request: ServedRequest, status: int, code: str, message: str, commit: str | None = None) -> None:
        body = json.dumps({"error": message}).encode()
        request.status = status
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        if commit:
            self.send_header("X-Repo-Commit", commit)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# --- the tiny model it serves ---------------------------------------------------------------

def add_repo_extras(folder: Path) -> Path:
    """What real repos carry besides the model: terms to keep, and files Storyteller must skip."""
    shutil.copy(KOGPT2_TOKENIZER_DIR / "LICENSE.CC-BY-NC-SA-4.0.txt", folder / "LICENSE")
    (folder / "README.md").write_text("# tiny-gpt2\n\nA test model.\n", encoding="utf-8")
    (folder / ".gitattributes").write_text("*.bin filter=lfs diff=lfs merge=lfs -text\n", encoding="utf-8")
    (folder / "flax_model.msgpack").write_bytes(b"\x00" * 4096)
    (folder / "training_args.bin").write_bytes(b"\x00" * 1024)
    return folder

