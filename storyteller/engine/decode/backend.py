"""What runs a request: the local model's Generator or a server's ServerBackend (engine/servers).

Both satisfy this protocol, so the GUI worker, the CLI, adventure and chat, candidates, the
next-words panel and the benchmarks need one code path. Plain typing, no torch."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from storyteller.engine.decode.requests import Event, GenerationRequest, GenerationResult, TokenChoice


@runtime_checkable
class Backend(Protocol):
    @property
    def tokenizer(self): ...  # counts the context budget (ContextBuilder) and decodes ids

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]: ...

    def generate(self, request: GenerationRequest, cancel: threading.Event | None = None) -> GenerationResult: ...

    def next_tokens(self, prompt: str, k: int = 5) -> list[TokenChoice]: ...

    def forget_cache(self) -> None: ...
