"""What runs a request: the shell that the local model's Generator (generator.py) and a server's
ServerGenerator (engine/servers/generator.py) share, so that the GUI worker, the CLI, adventure and
chat, candidates, the next-words panel and the benchmarks need one code path. Plain Python, no torch.

A request runs the same way on either: one at a time; its settings are checked, and its minimum length
becomes the one it runs with (`GenerationSettings.least_new_tokens`: half the length unless one is
asked for, so no front end gets an empty continuation); the runner prepares
what it needs (steering hooks, or a server's logit bias), refusing what it cannot do before anything
is written; the prompt is fitted into the context left after the length to write; a seed is chosen;
one CandidateText per candidate gathers the text, stop strings applied. Then the runner decodes in
its own way (`_decode`: the local loop, or streamed server requests), and the result is built from
the `Run` it filled in.
"""

from __future__ import annotations

import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from storyteller.engine.core.errors import SettingError
from storyteller.engine.decode.requests import (
    Event,
    Finished,
    GenerationRequest,
    GenerationResult,
    TextDelta,
    TokenChoice,
    TokenRecord,
)
from storyteller.engine.decode.stopping import CandidateText
from storyteller.engine.settings.generation import LENGTH, GenerationSettings


@dataclass
class Run:
    """One request while it runs: what the shell set up, what the runner records as it decodes."""

    request: GenerationRequest  # as it runs: with the minimum length it runs with (see _start)
    cancel: threading.Event
    prepared: object  # what the runner's `_prepare` made of the request (hooks, a logit bias)
    started: float
    prompt_ids: list[int]
    dropped_text: str
    dropped_tokens: int
    seed: int
    candidates: list[CandidateText]
    generated: list[list[int]]  # per candidate, the ids written (where the runner has them)
    first_token_at: float | None = None
    reused: int = 0  # prompt tokens whose keys/values were already computed
    runtime: str = ""  # what decoded it: "torch", "onnx", "server: llama.cpp", …
    steering: dict | None = None
    alternatives: list[list[TokenRecord]] = field(default_factory=list)

    @property
    def settings(self) -> GenerationSettings:
        return self.request.settings

    def wrote(self) -> None:
        """The first token came now (later calls change nothing)."""
        if self.first_token_at is None:
            self.first_token_at = time.perf_counter()

    def finish(self, index: int, reason: str) -> Iterator[TextDelta]:
        """End candidate `index` for `reason` (unless a stop already ended it), with its held-back text."""
        delta = self.candidates[index].finish(reason)
        if delta:
            yield TextDelta(index, delta)

    def result(self) -> GenerationResult:
        finished_at = time.perf_counter()
        return GenerationResult(
            texts=[candidate.emitted for candidate in self.candidates],
            token_ids=self.generated,
            stop_reasons=[candidate.stop_reason or "cancelled" for candidate in self.candidates],
            seed=self.seed,
            prompt_tokens=len(self.prompt_ids),
            reused_tokens=min(self.reused, len(self.prompt_ids)),
            dropped_tokens=self.dropped_tokens,
            dropped_text=self.dropped_text,
            time_to_first_token=(self.first_token_at or finished_at) - self.started,
            seconds=finished_at - self.started,
            steering=self.steering,
            alternatives=self.alternatives,
            runtime=self.runtime,
        )


class RequestRunner(ABC):
    """Runs requests one at a time: the local Generator, or a ServerGenerator."""

    # The error for a length that leaves no room for the prompt ({length}: the setting, {positions}: the
    # context size).
    context_limit: str

    def __init__(self):
        self._lock = threading.Lock()

    @property
    @abstractmethod
    def tokenizer(self):
        """Counts the context budget (ContextBuilder) and decodes ids."""

    @property
    @abstractmethod
    def n_positions(self) -> int:
        """The context size: prompt and continuation together."""

    @abstractmethod
    def next_tokens(self, prompt: str, k: int = 5) -> list[TokenChoice]:
        """The k likeliest next tokens after `prompt` (the next-words panel)."""

    @abstractmethod
    def forget_cache(self) -> None:
        """Drop what was kept of earlier prompts."""

    def generate(self, request: GenerationRequest, cancel: threading.Event | None = None) -> GenerationResult:
        for event in self.stream(request, cancel):
            if isinstance(event, Finished):
                return event.result
        raise AssertionError("stream() ended without a Finished event")

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]:
        with self._lock:
            run = self._start(request, cancel or threading.Event())
            yield from self._decode(run)
            yield Finished(run.result())

    def _start(self, request: GenerationRequest, cancel: threading.Event) -> Run:
        request.settings.validate()
        settings = request.settings.replace(min_new_tokens=request.settings.least_new_tokens)
        request = replace(request, settings=settings)
        prepared = self._prepare(request)
        started = time.perf_counter()
        budget = self.n_positions - settings.max_new_tokens
        if budget < 1:
            template = self.context_limit  # each runner's own tr() text (the model's or the server's context)
            raise SettingError(template, length=LENGTH, positions=self.n_positions)
        prompt_ids, dropped_text, dropped_tokens = self._fit_prompt(request.prompt, budget)
        seed = settings.seed if settings.seed is not None else random.randrange(2**31)
        candidates = [CandidateText(self._text_decoder(prompt_ids), settings.stop_strings)
                      for _ in range(settings.num_candidates)]
        return Run(request, cancel, prepared, started, prompt_ids, dropped_text, dropped_tokens, seed, candidates,
                   [[] for _ in candidates])

    @abstractmethod
    def _prepare(self, request: GenerationRequest) -> object:
        """What the request needs of this runner (kept as Run.prepared); raises for what it cannot do."""

    @abstractmethod
    def _fit_prompt(self, prompt: str, budget: int) -> tuple[list[int], str, int]:
        """(prompt ids within `budget`, the text dropped from the left, how many tokens that was)."""

    @abstractmethod
    def _text_decoder(self, prompt_ids: list[int]):
        """What turns a candidate's tokens (or text) into text: a StreamDecoder, or a TextStream."""

    @abstractmethod
    def _decode(self, run: Run) -> Iterator[Event]:
        """Write the candidates, yielding events, finishing each candidate and filling in `run`."""
