"""The one decode loop: every continuation (GUI, CLI, adventure, steering, benchmarks) runs here.

A request is prefilled, reusing the keys/values of the previous request for the tokens it shares
with it (accept-and-continue costs a few tokens, not the whole story), then decoded one token
at a time through the logits stage (processors.py, on numpy), yielding text as it becomes final.
`warm` prefills a story's prompt ahead of time, in small cancellable chunks.

Importing this module imports no torch: the logits stage and sampling run on numpy, so a runtime
without torch decodes without loading it; a torch runtime's logits are handed over with
`.float().cpu().numpy()` (no copy on the CPU).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from storyteller.engine.core.errors import DeviceError, tr
from storyteller.engine.core.numeric import softmax
from storyteller.engine.decode.alternatives import AlternativesRecorder
from storyteller.engine.decode.phrase_bans import phrase_processors
from storyteller.engine.decode.processors import Processors, build_processors, greedy, sample
from storyteller.engine.decode.requests import (
    DecodeHooks,
    Event,
    GenerationRequest,
    StepContext,
    StepProgress,
    TextDelta,
    TokenChoice,
    TopTokens,
    WarmUp,
)
from storyteller.engine.decode.runner import RequestRunner, Run
from storyteller.engine.decode.trim import LeftTrimmer
from storyteller.engine.models.tokenizer import StreamDecoder, decode
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.steering import SteeringSettings

if TYPE_CHECKING:
    from storyteller.engine.models.loading import LoadedModel
    from storyteller.engine.models.runtimes import Cache

# Tokens per forward pass of a warm-up: a request arriving meanwhile waits for one chunk at most
# (64 tokens of KoGPT2 take ~0.15 s in fp32 on one core), while the pass is still long enough
# that chunking costs little against prefilling the prompt at once.
WARM_CHUNK = 64


@dataclass
class _CacheSlot:
    """Keys/values of a prompt, the ids they belong to, and the hook set and runtime they were made with."""

    cache: Cache | None = None
    ids: list[int] = field(default_factory=list)
    key: str | None = None
    runtime: str | None = None

    def shared_with(self, ids: list[int], key: str | None, runtime: str | None = None) -> int:
        """How many leading ids this slot already holds for `ids` (made with `runtime`, if named)."""
        if self.cache is None or key != self.key or (runtime is not None and runtime != self.runtime):
            return 0
        shared, limit = 0, min(len(self.ids), len(ids))
        while shared < limit and self.ids[shared] == ids[shared]:
            shared += 1
        return shared

    def clear(self) -> None:
        self.cache, self.ids, self.key, self.runtime = None, [], None, None


@dataclass
class _Decoding:
    """The local loop's state for one request: its rules and runtime, and where the batch stands."""

    hooks: DecodeHooks
    runtime: object  # a models.runtimes runtime
    processors: Processors
    recorder: AlternativesRecorder
    rng: np.random.Generator
    cache: Cache | None = None
    logits: object = None  # the runtime's own (torch or numpy), batch x vocab
    hidden: object = None  # the last hidden state, where the hooks want it (torch)
    input_ids: np.ndarray | None = None  # batch x length
    next_ids: np.ndarray | None = None  # the tokens just chosen, one per candidate
    alive: np.ndarray | None = None  # which candidates are still writing


# Builds the hooks that steer toward topics and moods (storyteller.engine.steering.build.steering_hooks).
# Steering is a layer above the decode loop and may load torch, so the front ends pass it in.
SteeringBuilder = Callable[[SteeringSettings, "LoadedModel", int], DecodeHooks | None]


class Generator(RequestRunner):
    """Runs requests on one loaded model, one at a time, keeping the last prompt's cache."""

    context_limit = tr("{length} must be below the model's context of {positions} tokens.")

    def __init__(self, loaded: LoadedModel, steer: SteeringBuilder | None = None):
        super().__init__()
        self.loaded = loaded
        self.steer = steer
        self._main = _CacheSlot()  # the story's prompt: continuing reuses it
        self._aside = _CacheSlot()  # suggestions for a cursor inside the story, kept apart
        self._trimmer = LeftTrimmer(loaded.tokenizer)
        # (prompt + continuation text, their ids, dropped text, dropped tokens): see _remember_continuation
        self._continuation: tuple[str, list[int], str, int] | None = None

    @property
    def tokenizer(self):
        return self.loaded.tokenizer

    @property
    def n_positions(self) -> int:
        return self.loaded.n_positions

    def next_tokens(self, prompt: str, k: int = 5) -> list[TokenChoice]:
        """The model's k likeliest next tokens after `prompt` (the "next words" panel).

        A prompt that continues the story's cached prompt extends that cache (the next Continue
        then starts at once); any other (a cursor inside the story) uses a cache of its own, so
        it never evicts the story's.
        """
        with self._lock:
            ids = self.tokenizer.encode(prompt) if prompt else [self.tokenizer.bos_token_id or 0]
            ids = ids[-(self.loaded.n_positions - 1) :]
            extends_story = self._main.shared_with(ids, None) >= len(self._main.ids) - 1 > 0
            logits, _, _ = self._prefill(ids, cache_key=None, slot=self._main if extends_story else self._aside)
            return self._top_tokens(logits, k)[0]

    def warm(
        self, request: GenerationRequest, cancel: threading.Event | None = None, chunk: int = WARM_CHUNK
    ) -> WarmUp:
        """Prefill `request`'s prompt into the story's cache before it is asked for (the story was
        opened, the writer paused), so that continuing it starts at once.

        The prompt is fitted exactly as `stream` would fit it and fed `chunk` tokens per forward
        pass; `cancel` is checked between chunks, so a request arriving meanwhile waits for one
        chunk at most, and it reuses every chunk already computed.
        """
        cancel = cancel or threading.Event()
        with self._lock:
            settings = request.settings
            settings.validate()
            budget = self.loaded.n_positions - settings.max_new_tokens
            if cancel.is_set() or budget < 1:
                return WarmUp(0, 0, 0, 0, cancelled=cancel.is_set())
            hooks = self._hooks(request)
            runtime = self.loaded.runtime_for(hooks)
            prompt_ids, _, _ = self._fit_prompt(request.prompt, budget)
            start = cached = self._main.shared_with(prompt_ids, hooks.cache_key, runtime.name)
            chunks = 0
            handles = self._attach_block_hooks(hooks)
            try:
                while cached < len(prompt_ids) and not cancel.is_set():
                    cached = min(cached + chunk, len(prompt_ids))
                    self._prefill(prompt_ids[:cached], hooks.cache_key, runtime=runtime, last_alone=False)
                    chunks += 1
            except BaseException:
                self.forget_cache()
                raise
            finally:
                for handle in handles:
                    handle.remove()
            return WarmUp(len(prompt_ids), cached, cached - start, chunks, cancelled=cached < len(prompt_ids))

    def forget_cache(self) -> None:
        self._main.clear()
        self._aside.clear()
        self._continuation = None

    # -- the loop -------------------------------------------------------------------------------

    def _prepare(self, request: GenerationRequest) -> DecodeHooks:
        return self._hooks(request)

    def _text_decoder(self, prompt_ids: list[int]) -> StreamDecoder:
        return StreamDecoder(self.tokenizer, prompt_ids)

    def _decode(self, run: Run) -> Iterator[Event]:
        """Prefill, then one token per step for every candidate still writing, until each has ended,
        the length is written or `run.cancel` is set."""
        decoding = self._setup(run)
        handles = self._attach_block_hooks(decoding.hooks)
        last = run.settings.max_new_tokens - 1
        try:
            self._prefill_run(run, decoding)
            for step in range(last + 1):
                if run.cancel.is_set():
                    break
                yield from self._step(run, decoding, step)
                if not decoding.alive.any() or step == last:
                    break
                self._advance(decoding)
        except (*_out_of_memory_errors(), MemoryError) as error:
            self.forget_cache()
            raise DeviceError(
                tr("{device} ran out of memory. Choose the CPU device, or ask for fewer candidates or tokens."),
                device=self.loaded.device.description,
            ) from error
        except BaseException:
            self.forget_cache()  # an interrupted forward pass may have half-updated it
            raise
        finally:
            for handle in handles:
                handle.remove()
        yield from self._finish(run, decoding)

    def _setup(self, run: Run) -> _Decoding:
        hooks = run.prepared
        count = run.settings.num_candidates
        return _Decoding(
            hooks=hooks,
            runtime=self.loaded.runtime_for(hooks),
            processors=self._processors(run.settings, hooks, len(run.prompt_ids)),
            recorder=AlternativesRecorder(self.tokenizer, run.request.report_alternatives, count),
            rng=np.random.default_rng(run.seed),
            input_ids=np.array([run.prompt_ids] * count, dtype=np.int64),
            alive=np.ones(count, dtype=bool),
        )

    def _prefill_run(self, run: Run, decoding: _Decoding) -> None:
        """The prompt's logits, its keys/values computed only where the story's cache lacks them; with
        several candidates the batch decodes on a copy, keeping the batch-1 cache for the next request."""
        hooks, count = decoding.hooks, run.settings.num_candidates
        logits, hidden, run.reused = self._prefill(
            run.prompt_ids, hooks.cache_key, want_hidden=hooks.needs_hidden, runtime=decoding.runtime
        )
        cache = self._main.cache
        if count > 1:
            cache = cache.repeated(count)
            logits = _repeat_rows(logits, count)
            hidden = hidden.expand(count, -1) if hidden is not None else None  # torch only
        decoding.cache, decoding.logits, decoding.hidden = cache, logits, hidden

    def _step(self, run: Run, decoding: _Decoding, step: int) -> Iterator[Event]:
        """Choose the next token of every candidate from the current logits and take it."""
        total = run.settings.max_new_tokens
        if decoding.hooks.step_hook is not None:
            steered = decoding.hooks.step_hook(StepContext(self.loaded, decoding.input_ids, decoding.cache.native,
                                                           decoding.logits, decoding.hidden, step))
            decoding.logits = decoding.logits if steered is None else steered
            yield StepProgress(step + 1, total, time.perf_counter() - run.started, steered=steered is not None)
        if run.request.report_top_k:
            yield TopTokens(step, self._top_tokens(decoding.logits, run.request.report_top_k))
        scores = decoding.processors(decoding.input_ids, np.array(_as_numpy(decoding.logits), dtype=np.float32))
        decoding.next_ids = self._choose(scores, run.settings.greedy, decoding.rng)
        run.wrote()
        for index in np.flatnonzero(decoding.alive).tolist():
            yield from self._take(run, decoding, index, int(decoding.next_ids[index]), scores[index])

    def _take(self, run: Run, decoding: _Decoding, index: int, token: int, scores: np.ndarray) -> Iterator[Event]:
        """Candidate `index` writes `token` (an end token ends it), drawn from its row of `scores`."""
        candidate = run.candidates[index]
        if token in self.loaded.stop_ids:
            delta = candidate.finish("end")
            decoding.alive[index] = False
        else:
            run.generated[index].append(token)
            delta = candidate.push(token)
            yield from decoding.recorder.events(index, token, scores, candidate.decoder)
            if candidate.stop_reason:
                decoding.alive[index] = False
        if delta:
            yield TextDelta(index, delta)

    def _advance(self, decoding: _Decoding) -> None:
        """Feed the chosen tokens: the logits for the next step."""
        next_ids = decoding.next_ids[:, None]
        decoding.input_ids = np.concatenate([decoding.input_ids, next_ids], axis=1)
        decoding.logits, decoding.hidden = decoding.runtime.forward(next_ids, decoding.cache,
                                                                    decoding.hooks.needs_hidden)
        if len(decoding.next_ids) == 1:
            self._main.ids.append(int(decoding.next_ids[0]))

    def _finish(self, run: Run, decoding: _Decoding) -> Iterator[Event]:
        reason = "cancelled" if run.cancel.is_set() else "length"
        for index in range(len(run.candidates)):
            yield from run.finish(index, reason)
        self._remember_continuation(run)
        texts = [candidate.emitted for candidate in run.candidates]
        run.steering = decoding.hooks.report(texts) if decoding.hooks.report else None
        run.alternatives = decoding.recorder.records
        run.runtime = decoding.runtime.name

    def _hooks(self, request: GenerationRequest) -> DecodeHooks:
        """The request's own hooks, then those of its steering toward topics and moods, then its
        bans and phrase bias (plain logits processors: no torch)."""
        parts = [request.hooks or DecodeHooks()]
        steering = request.steering
        if steering is not None and (steering.steers_topic or steering.steers_mood):
            if self.steer is None:
                raise ValueError("steering toward topics or a mood needs Generator(..., steer=steering_hooks)")
            built = self.steer(steering, self.loaded, request.settings.max_new_tokens)
            parts += [built] if built is not None else []
        if steering is not None:
            parts.append(DecodeHooks(logits_processors=phrase_processors(steering, self.tokenizer)))
        return DecodeHooks.joined(parts)

    def _processors(self, settings: GenerationSettings, hooks: DecodeHooks, prompt_length: int):
        return build_processors(
            settings,
            prompt_length=prompt_length,
            stop_ids=self.loaded.stop_ids,
            banned_ids=self.loaded.banned_ids,
            extra=hooks.logits_processors,
        )

    @staticmethod
    def _choose(scores: np.ndarray, take_likeliest: bool, rng: np.random.Generator) -> np.ndarray:
        return greedy(scores) if take_likeliest else sample(scores, rng)

    def _attach_block_hooks(self, hooks: DecodeHooks) -> list:
        if not hooks.block_hooks:
            return []
        blocks = self.loaded.blocks()
        return [blocks[index].register_forward_hook(hook) for index, hook in hooks.block_hooks]

    # -- prompt and cache -----------------------------------------------------------------------

    def _prefill(
        self, ids: list[int], cache_key: str | None, want_hidden: bool = False, slot=None, runtime=None,
        last_alone: bool = True,
    ):
        """(logits, last hidden state, tokens reused) after `ids`, computing keys/values only
        for the tokens the slot's cache lacks, on `runtime` (default: the model's, or PyTorch
        when the hidden state is wanted). Logits are the runtime's own (torch or numpy).

        At least the last token is always fed, to get its logits, and always in a pass of its own:
        int8 ONNX quantizes activations per pass, so logits after a prompt fed whole would differ by a
        rounding from those after the same prompt continued from the cache, and a replayed seed could
        write another text. While a forward pass runs the slot is marked empty, so an interruption
        cannot leave a half-updated cache behind. A warm-up's chunks (`last_alone=False`) need no
        logits: a request then feeds the prompt's last token by itself anyway.
        """
        slot = slot or self._main
        runtime = runtime or (self.loaded.torch_runtime if want_hidden else self.loaded.default_runtime)
        shared = min(slot.shared_with(ids, cache_key, runtime.name), len(ids) - 1)
        cache = slot.cache if shared else runtime.new_cache()
        if shared:
            cache.crop(shared)
        slot.clear()
        if last_alone and shared < len(ids) - 1:
            runtime.forward(np.array([ids[shared:-1]], dtype=np.int64), cache)
        fed = ids[-1:] if last_alone else ids[shared:]
        logits, hidden = runtime.forward(np.array([fed], dtype=np.int64), cache, want_hidden)
        slot.cache, slot.ids, slot.key, slot.runtime = cache, list(ids), cache_key, runtime.name
        return logits, hidden, shared

    def _fit_prompt(self, prompt: str, budget: int) -> tuple[list[int], str, int]:
        """Prompt ids within `budget`, trimmed from the left (see trim.py), with what was dropped."""
        if not prompt:
            bos = self.tokenizer.bos_token_id
            return [bos if bos is not None else 0], "", 0
        continued = self._continued_ids(prompt, budget)
        if continued is not None:
            return continued
        return self._trimmer.fit(prompt, budget)

    def _remember_continuation(self, run: Run) -> None:
        """Keep the ids of prompt + continuation, so that a next prompt which continues it
        (the writer accepted the text) reuses them as they are instead of tokenizing the text
        again: re-tokenizing can merge tokens differently at the seam and cost a re-prefill."""
        self._continuation = None
        candidates = run.candidates
        if len(candidates) == 1 and candidates[0].emitted == candidates[0].decoder.text():
            full = run.request.prompt + candidates[0].emitted
            self._continuation = (full, run.prompt_ids + run.generated[0], run.dropped_text, run.dropped_tokens)

    def _continued_ids(self, prompt: str, budget: int):
        if self._continuation is None:
            return None
        text, ids, dropped, dropped_tokens = self._continuation
        rest = prompt[len(text) :]
        # The rest is tokenized alone, which starts a new word: only right after a word boundary.
        if not prompt.startswith(text) or (rest and not rest[0].isspace()):
            return None
        ids = ids + (self.tokenizer.encode(rest) if rest else [])
        if len(ids) > budget:
            return None
        return ids, dropped, dropped_tokens

    def _top_tokens(self, logits, k: int) -> list[list[TokenChoice]]:
        probabilities = softmax(_as_numpy(logits).astype(np.float32, copy=False))
        probabilities[:, self.loaded.banned_ids + self.loaded.stop_ids] = 0
        k = min(k, probabilities.shape[-1])
        top = np.argpartition(-probabilities, k - 1, axis=-1)[:, :k]
        choices = []
        for row, ids in zip(probabilities, top):
            ids = ids[np.argsort(-row[ids], kind="stable")]
            choices.append([TokenChoice(int(i), _token_text(self.tokenizer, int(i)), float(row[i])) for i in ids])
        return choices


def _as_numpy(logits) -> np.ndarray:
    """A runtime's logits as float32 numpy (a torch runtime's: a view of the same memory on the CPU)."""
    if isinstance(logits, np.ndarray):
        return logits
    return logits.float().cpu().numpy()


def _repeat_rows(logits, count: int):
    """Batch-1 logits as `count` rows (torch: a view; numpy: a copy, 200 KB a row)."""
    if isinstance(logits, np.ndarray):
        return np.repeat(logits, count, axis=0)
    return logits.expand(count, -1)


def _out_of_memory_errors() -> tuple[type[BaseException], ...]:
    """torch's out-of-memory error, if a torch runtime is loaded (else nothing to catch)."""
    torch = sys.modules.get("torch")
    return (torch.OutOfMemoryError,) if torch is not None else ()


def _token_text(tokenizer, token_id: int) -> str:
    """How a token reads when inserted after text: its word-start marker becomes a space."""
    piece = tokenizer.convert_ids_to_tokens(token_id)
    if piece.startswith("▁"):
        return " " + decode(tokenizer, [token_id])
    return decode(tokenizer, [token_id])
