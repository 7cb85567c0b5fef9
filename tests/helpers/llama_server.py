"""A real llama.cpp server (upstream llama-server, built into the xllamacpp wheel) for the tests.

It runs in a child process, so that a test can kill it mid-stream like a server dying:

    server = LlamaServer(gguf_path).start()     # waits until /health answers
    server.url                                   # http://127.0.0.1:PORT
    server.kill()

Run as `python -m tests.helpers.llama_server FILE PORT [--api-key KEY]` it serves FILE until killed
(the benchmark uses it too).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.paths import ROOT
from tests.helpers.waiting import wait_for

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    def __init__(self, model: Path, *, api_key: str | None = None, n_ctx: int = 0, slots: int = 1,
                 threads: int = 1):
        self.model, self.api_key, self.n_ctx, self.slots, self.threads = Path(model), api_key, n_ctx, slots, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> LlamaServer:
        command = [sys.executable, "-m", "tests.helpers.llama_server", str(self.model), str(self.port),
                   "--n-ctx", str(self.n_ctx), "--slots", str(self.slots), "--threads", str(self.threads)]
        if self.api_key:
            command += ["--api-key", self.api_key]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        import httpx2

        def healthy() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama-server exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                return httpx2.get(f"{self.url}/health", timeout=1).status_code == 200
            except httpx2.TransportError:
                return False

        if not wait_for(healthy, START_TIMEOUT, interval=0.05):
            self.kill()
            raise RuntimeError(f"llama-server did not start within {START_TIMEOUT} s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()


def serve(model: str, port: int, *, api_key: str | None, n_ctx: int, slots: int, threads: int) -> None:
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = n_ctx  # 0: the model's own context
    params.n_parallel = slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.warmup = False
    params.endpoint_props = True  # /props: the context size (off by default in xllamacpp)
    params.endpoint_slots = True
    params.verbosity = 1  # errors only
    if api_key:
        params.api_keys = [api_key]
    server = xllamacpp.Server(params)  # serves on its own threads until the process ends
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:  # the server answers on its own threads; this one only keeps the process alive
            time.sleep(3600)
    finally:
        del server


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("port", type=int)
    parser.add_argument("--api-key")
    parser.add_argument("--n-ctx", type=int, default=0)
    parser.add_argument("--slots", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    options = parser.parse_args()
    serve(options.model, options.port, api_key=options.api_key, n_ctx=options.n_ctx, slots=options.slots,
          threads=options.threads)


@pytest.fixture(scope="session")
def demo_gguf(tmp_path_factory) -> Path:
    """The embedded demo model written as GGUF (what `storyteller models export-gguf` writes)."""
    from storyteller.engine.core.paths import resource
    from storyteller.engine.models.gguf_export import export_gguf

    return export_gguf(resource("models", "demo"), tmp_path_factory.mktemp("gguf") / "demo.gguf")


@pytest.fixture(scope="session")
def llama_server(demo_gguf):
    """One llama.cpp server for the session, serving the demo model (starts in about a second)."""
    with LlamaServer(demo_gguf) as server:
        yield server
