"""The decode loop's requests, events and results: plain data, importable without torch (the
GUI builds requests on its thread and imports the loop itself only on the worker thread)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.steering import SteeringSettings

if TYPE_CHECKING:
    import numpy as np
    import torch
    from transformers import DynamicCache

    from storyteller.engine.models.loading import LoadedModel

# The logits stage: (ids so far, batch x length int64; scores, batch x vocab float32) -> scores, on
# numpy arrays; it may change `scores` in place (see processors.py).
LogitsProcessor = Callable[["np.ndarray", "np.ndarray"], "np.ndarray"]


@dataclass
class StepContext:
    """What the latent steering stage sees at each step (PPLM perturbs `cache` with gradients).

    `cache` already holds the keys/values of `input_ids[:, -1]`, the token just fed; `logits` are
    the model's raw next-token logits and `hidden` its last-layer state at that position (torch
    tensors: latent steering runs on the torch runtime); `input_ids` is the loop's numpy array.
    """

    model: LoadedModel
    input_ids: np.ndarray
    cache: DynamicCache
    logits: torch.FloatTensor
    hidden: torch.FloatTensor | None
    step: int


@dataclass
class DecodeHooks:
    """Where steering plugs in. The three stages:

    - `logits_processors`: run after penalties and bans, before temperature and truncation;
      callables on numpy arrays (see `LogitsProcessor`), so they work on every runtime;
    - `block_hooks`: (block index, forward hook) pairs, attached to the transformer blocks for
      the request; they change hidden states, so a prompt cache made without the same hooks
      is not reused (`cache_key` names the hook set);
    - `step_hook`: called each step with a `StepContext`; it may return replacement logits.
      A request with a step hook reports its progress token by token (it is the slow stage).

    `report` says afterwards what the steering did, given each candidate's text (it lands in
    `GenerationResult.steering`).
    """

    logits_processors: list[LogitsProcessor] = field(default_factory=list)
    block_hooks: list[tuple[int, Callable]] = field(default_factory=list)
    step_hook: Callable[[StepContext], torch.Tensor | None] | None = None
    needs_hidden: bool = False
    cache_key: str | None = None
    report: Callable[[list[str]], dict] | None = None

    @classmethod
    def joined(cls, parts: list[DecodeHooks]) -> DecodeHooks:
        """One set of hooks running each part's stages in order (one step hook at most)."""
        step_hooks = [part.step_hook for part in parts if part.step_hook is not None]
        if len(step_hooks) > 1:
            raise ValueError("a request's own step hook cannot be combined with latent steering")
        reports = [part.report for part in parts if part.report is not None]
        return cls(
            logits_processors=[p for part in parts for p in part.logits_processors],
            block_hooks=[h for part in parts for h in part.block_hooks],
            step_hook=step_hooks[0] if step_hooks else None,
            needs_hidden=any(part.needs_hidden for part in parts),
            cache_key="|".join(part.cache_key for part in parts if part.cache_key) or None,
            report=reports[0] if reports else None,
        )


@dataclass
class GenerationRequest:
    prompt: str
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    report_top_k: int = 0  # also yield the model's k likeliest next tokens at each step
    report_alternatives: int = 0  # also record, per generated token, the k likeliest after the sampling rules
    hooks: DecodeHooks | None = None
    steering: SteeringSettings | None = None  # built into hooks by the loop, on the model's thread


@dataclass(frozen=True)
class TokenChoice:
    token_id: int
    text: str
    probability: float


@dataclass(frozen=True)
class TextDelta:
    candidate: int
    text: str


@dataclass(frozen=True)
class TokenRecord:
    """A generated token where it stands in its candidate's text (`start`:`end`), with the
    probability it was drawn with and the k likeliest tokens there, all from the distribution
    after the sampling rules (penalties, bans, steering, temperature, top-k/p): what the sampler saw."""

    start: int
    end: int
    token_id: int
    probability: float
    alternatives: tuple[TokenChoice, ...]


@dataclass(frozen=True)
class TokenAlternatives:
    """A token of candidate `candidate` was written (streamed as it is, for a live view)."""

    candidate: int
    record: TokenRecord


@dataclass(frozen=True)
class TopTokens:
    step: int
    candidates: list[list[TokenChoice]]


@dataclass(frozen=True)
class StepProgress:
    """Token `step` of at most `total` is written, `seconds` after the start (slow steering). `steered`:
    the slow stage changed this token; False once it has handed over (PPLM out of time: the fast method
    writes the rest, see the result's steering report)."""

    step: int
    total: int
    seconds: float
    steered: bool = True


@dataclass
class GenerationResult:
    texts: list[str]
    token_ids: list[list[int]]
    stop_reasons: list[str]  # "end", "stop_string", "length" or "cancelled", per candidate
    seed: int
    prompt_tokens: int
    reused_tokens: int  # prompt tokens whose keys/values came from the previous request
    dropped_tokens: int  # tokens trimmed from the left to fit the context
    dropped_text: str  # the trimmed text itself
    time_to_first_token: float
    seconds: float
    steering: dict | None = None  # what steering did (see DecodeHooks.report)
    alternatives: list[list[TokenRecord]] = field(default_factory=list)  # per candidate, with report_alternatives
    # What wrote it: the local runtime ("torch" or "onnx", engine/models/runtimes), or the server's kind
    # ("server: llama.cpp", "server: llama.cpp (OpenAI API)", "server: vLLM", "server: OpenAI-compatible").
    runtime: str = "torch"

    @property
    def cancelled(self) -> bool:
        return "cancelled" in self.stop_reasons

    @property
    def new_tokens(self) -> int:
        return sum(len(ids) for ids in self.token_ids)

    def to_json(self) -> dict:
        return {
            "texts": self.texts,
            "token_ids": self.token_ids,
            "stop_reasons": self.stop_reasons,
            "seed": self.seed,
            "prompt_tokens": self.prompt_tokens,
            "reused_tokens": self.reused_tokens,
            "dropped_tokens": self.dropped_tokens,
            "runtime": self.runtime,
            "timings": {
                "time_to_first_token_s": round(self.time_to_first_token, 4),
                "total_s": round(self.seconds, 4),
                "ms_per_token": round(1000 * self.seconds / max(1, self.new_tokens), 2),
            },
            **({"steering": self.steering} if self.steering else {}),
            **({"alternatives": [[dataclasses.asdict(r) for r in rs] for rs in self.alternatives]}
               if self.alternatives else {}),
        }


@dataclass(frozen=True)
class WarmUp:
    """What `Generator.warm` did: of the prompt's tokens, how many are now cached, how many it
    computed itself, in how many forward passes, and whether a cancel stopped it short."""

    prompt_tokens: int
    cached_tokens: int
    computed_tokens: int
    chunks: int
    cancelled: bool = False


@dataclass(frozen=True)
class Finished:
    result: GenerationResult


Event = TextDelta | TopTokens | TokenAlternatives | StepProgress | Finished
