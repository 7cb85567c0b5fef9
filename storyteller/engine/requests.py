"""The decode loop's requests, events and results: plain data, importable without torch (the
GUI builds requests on its thread and imports the loop itself only on the worker thread)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .settings import GenerationSettings
from .steering.settings import SteeringSettings

if TYPE_CHECKING:
    import torch
    from transformers import DynamicCache, LogitsProcessor

    from .model import LoadedModel


@dataclass
class StepContext:
    """What the latent steering stage sees at each step (PPLM perturbs `cache` with gradients).

    `cache` already holds the keys/values of `input_ids[:, -1]`, the token just fed; `logits` are
    the model's raw next-token logits and `hidden` its last-layer state at that position.
    """

    model: LoadedModel
    input_ids: torch.LongTensor
    cache: DynamicCache
    logits: torch.FloatTensor
    hidden: torch.FloatTensor | None
    step: int


@dataclass
class DecodeHooks:
    """Where steering plugs in. The three stages:

    - `logits_processors`: run after penalties and bans, before temperature and truncation;
    - `block_hooks`: (block index, forward hook) pairs, attached to the transformer blocks for
      the request; they change hidden states, so a prompt cache made without the same hooks
      is not reused (`cache_key` names the hook set);
    - `step_hook`: called each step with a `StepContext`; it may return replacement logits.
      A request with a step hook reports its progress token by token (it is the slow stage).

    `report` says afterwards what the steering did (it lands in `GenerationResult.steering`).
    """

    logits_processors: list[LogitsProcessor] = field(default_factory=list)
    block_hooks: list[tuple[int, Callable]] = field(default_factory=list)
    step_hook: Callable[[StepContext], torch.Tensor | None] | None = None
    needs_hidden: bool = False
    cache_key: str | None = None
    report: Callable[[], dict] | None = None


@dataclass
class GenerationRequest:
    prompt: str
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    report_top_k: int = 0  # also yield the model's k likeliest next tokens at each step
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
class TopTokens:
    step: int
    candidates: list[list[TokenChoice]]


@dataclass(frozen=True)
class StepProgress:
    """Token `step` of at most `total` is written, `seconds` after the start (slow steering)."""

    step: int
    total: int
    seconds: float


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
    runtime: str = "torch"  # which runtime decoded it: "torch" or "onnx" (engine/runtimes)

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
        }


@dataclass(frozen=True)
class Finished:
    result: GenerationResult


Event = TextDelta | TopTokens | StepProgress | Finished
