"""PPLM's latent stage (Dathathri et al., ICLR 2020), made cheap enough for a CPU.

At each step the steerers' losses are minimised by a few normalised gradient steps on a
perturbation of the recent keys/values; the perturbed and unperturbed next-token distributions
are then mixed geometrically (gm_scale). What differs from the reference implementation:

- only the upper blocks' keys/values are perturbed, so only those blocks run inside the loop,
  on the one newest position, from the state the lower blocks already computed for it;
- the unperturbed stream is the decode loop's own cached pass: nothing is recomputed;
- the window holds the most recent positions (the reference masks the oldest);
- the perturbation is kept beside the cache, never written into it, so the story's prompt
  cache stays valid for the next request; it carries over from step to step, as PPLM's
  perturbed past does;
- after `grad_length` tokens it stops optimising and only mixes; when the time limit would be passed
  (projected from the measured speed of its optimising and mixing tokens, report.PplmSpeed) it stops
  altogether: the rest is the model's own distribution, with topic steering handed to the cheap word
  bias, and the report names the first token written that way.

Its report says what it did, and whether the text fell apart (report.degeneration), which PPLM does
when it pushes a model too small for it.

The upper blocks are run by hand (GPT-2's one-query attention, below) because transformers'
blocks write into the cache they are given, and copying the cache for every gradient step
would cost more than the steps themselves.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from storyteller.engine.decode.requests import StepContext
from storyteller.engine.models.loading import LoadedModel
from storyteller.engine.settings.steering import LatentOptions
from storyteller.engine.steering.report import PplmSpeed, degeneration
from storyteller.engine.steering.steerers import BagOfWords, Steerer, WordBias


def perturbed_layers(loaded: LoadedModel, options: LatentOptions) -> int:
    count = options.layers or max(1, loaded.n_layers // 3)
    return max(1, min(count, loaded.n_layers - 1))


class Perturber:
    """The decode loop's step hook for latent steerers. `capture` must be attached as a forward
    hook to block `first - 1`: it keeps the newest position's input to the perturbed blocks."""

    def __init__(
        self,
        loaded: LoadedModel,
        steerers: list[Steerer],
        options: LatentOptions,
        *,
        max_new_tokens: int,
        max_seconds: float = 0.0,
        fallback: WordBias | None = None,
    ):
        self.loaded = loaded
        self.steerers = steerers
        self.options = options
        self.max_new_tokens = max_new_tokens
        self.max_seconds = max_seconds
        self.fallback = fallback
        self.first = loaded.n_layers - perturbed_layers(loaded, options)
        self.blocks = loaded.blocks()[self.first :]
        strongest = max(s.latent_weight for s in steerers)
        self.step_size = options.step_size * strongest
        self.weights = [s.latent_weight / strongest for s in steerers]
        self.captured: torch.Tensor | None = None
        self._input: torch.Tensor | None = None  # the captured state, as a tensor autograd accepts
        self.delta: list[torch.Tensor] | None = None  # per perturbed block: keys and values, stacked
        self.start = 0  # first perturbed position
        self.started_at: float | None = None
        self.optimised_steps = 0
        # The first token (1-based) written without PPLM, once the time limit stopped it.
        self.stopped_by_budget_at: int | None = None
        self._timed: dict[str, list[float]] = {"optimised": [], "mixed": []}  # seconds each token took
        self._last: tuple[float, str | None] | None = None  # (when the last step began, how it steered)

    def capture(self, module, args, output) -> None:
        hidden = output[0] if isinstance(output, tuple) else output
        self.captured = hidden[:, -1:].detach().clone()

    # -- the step hook ----------------------------------------------------------------------------

    def __call__(self, context: StepContext) -> torch.Tensor | None:
        now = time.perf_counter()
        self._time_step(now)
        optimise = context.step < self.options.grad_length
        if self._over_budget(context.step, now) or (not optimise and not self.optimised_steps):
            self._last = (now, None)
            return None  # the model's own distribution (and the word bias, once out of time)
        self._last = (now, "optimised" if optimise else "mixed")
        past = self._past(context)
        # outside inference mode, a clone is an ordinary tensor autograd accepts; candidates > 1
        # share the prompt's captured state
        self._input = self.captured.clone().expand(past[0][0].shape[0], -1, -1)
        unsteered = torch.log_softmax(context.logits.float(), dim=-1).clone()
        if optimise:
            for steerer in self.steerers:
                steerer.begin_step(context)
            with torch.enable_grad():
                for _ in range(self.options.iterations):
                    self._gradient_step(context, past, unsteered)
            self.optimised_steps += 1
        with torch.no_grad():
            logits, _ = self._upper_pass(past)
        steered = torch.log_softmax(logits.float(), dim=-1)
        mix = self.options.gm_scale
        return mix * steered + (1 - mix) * unsteered

    def report(self, texts: list[str] = ()) -> dict:
        """What PPLM did; `texts`, the candidates' texts, are checked for falling apart (see report.py)."""
        speed = self.speed()
        return {
            "method": "pplm",
            "steers": sorted({"topic" if isinstance(s, BagOfWords) else "mood" for s in self.steerers}),
            "perturbed_blocks": len(self.blocks),
            "model_width": self.loaded.model.config.n_embd,
            "iterations": self.options.iterations,
            "optimised_tokens": self.optimised_steps,
            "seconds_per_optimised_token": round(speed.optimised, 5) if speed else None,
            "seconds_per_mixed_token": round(sum(self._timed["mixed"]) / len(self._timed["mixed"]), 5)
            if self._timed["mixed"] else None,
            "time_limit_s": self.max_seconds,
            "budget_fallback_at_token": self.stopped_by_budget_at,
            "fallback": "word bias" if self.fallback is not None else None,
            "degenerate": [degeneration(text) for text in texts],
        }

    def speed(self) -> PplmSpeed | None:
        """PPLM's speed so far on this machine and model, from the tokens it has timed."""
        return PplmSpeed.measured(self._timed["optimised"], self._timed["mixed"], self.options.iterations)

    def _time_step(self, now: float) -> None:
        """The step before this one took until now: its time counts for the way it steered."""
        self.started_at = self.started_at or now
        if self._last is not None and self._last[1] is not None:
            self._timed[self._last[1]].append(now - self._last[0])

    def _over_budget(self, step: int, now: float) -> bool:
        """Whether the time limit stops PPLM at this step: the time spent, and the rest at the speed
        measured so far (optimising tokens, then mixing ones), would pass it. One timed token is not
        enough to judge (the first carries one-off costs) unless the limit is already passed."""
        if self.stopped_by_budget_at is not None:
            return True
        if not self.max_seconds or step == 0:
            return False
        spent = now - self.started_at
        speed = self.speed()
        timed = len(self._timed["optimised"]) + len(self._timed["mixed"])
        if spent <= self.max_seconds and (speed is None or timed < 2 or
                                          spent + speed.seconds(step, self.max_new_tokens,
                                                                self.options.grad_length) <= self.max_seconds):
            return False
        self.stopped_by_budget_at = step + 1  # this step's token is the first without PPLM
        if self.fallback is not None:
            self.fallback.enabled = True
        return True

    def _past(self, context: StepContext) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """The perturbed blocks' keys/values before the newest position (whose own are computed
        again in the upper pass), copied out of inference mode so gradients can flow through them;
        the perturbation grows by one zero position per step."""
        past = []
        for index in range(self.first, self.loaded.n_layers):
            layer = context.cache.layers[index]
            past.append((layer.keys[:, :, :-1].clone(), layer.values[:, :, :-1].clone()))
        length = past[0][0].shape[2]
        if self.delta is None:
            self.start = max(0, length - self.options.window)
            self.delta = [torch.zeros(2, *k[:, :, self.start :].shape, dtype=k.dtype, device=k.device) for k, _ in past]
        # A step moves the perturbation by a share of the perturbed keys/values' own size, so one
        # step size suits models of any width (the reference's absolute steps need tuning per model).
        self.scale = [_row_norm(torch.stack([k[:, :, self.start :], v[:, :, self.start :]])) for k, v in past]
        grow = length - self.start - self.delta[0].shape[3]
        if grow > 0:
            self.delta = [
                torch.cat([d, d.new_zeros(*d.shape[:3], grow, d.shape[4])], dim=3) for d in self.delta
            ]
        return past

    def _gradient_step(self, context: StepContext, past, unsteered: torch.Tensor) -> None:
        delta = [d.detach().requires_grad_(True) for d in self.delta]
        logits, hidden = self._upper_pass(past, delta)
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        probs = log_probs.exp()
        loss = sum(
            weight * steerer.latent_loss(probs, hidden, context)
            for weight, steerer in zip(self.weights, self.steerers)
        )
        if self.options.kl_scale:
            loss = loss + self.options.kl_scale * (probs * (log_probs - unsteered)).sum()
        grads = torch.autograd.grad(loss, delta)
        self.delta = [
            (d - self.step_size * scale * g / (_row_norm(g) + 1e-10)).detach()
            for d, g, scale in zip(delta, grads, self.scale)
        ]

    def _upper_pass(self, past, delta=None) -> tuple[torch.Tensor, torch.Tensor]:
        """Next-token logits and last-layer state for the newest position, through the
        perturbed blocks only (GPT-2's block: pre-norm attention and MLP with residuals)."""
        delta = delta if delta is not None else self.delta
        hidden = self._input
        for block, (keys, values), change in zip(self.blocks, past, delta):
            attention = block.attn
            query, key, value = attention.c_attn(block.ln_1(hidden)).split(attention.split_size, dim=2)
            query, key, value = (_heads(t, attention.num_heads) for t in (query, key, value))
            keys = torch.cat([keys[:, :, : self.start], keys[:, :, self.start :] + change[0], key], dim=2)
            values = torch.cat([values[:, :, : self.start], values[:, :, self.start :] + change[1], value], dim=2)
            mixed = F.scaled_dot_product_attention(query, keys, values, scale=attention.scaling)
            hidden = hidden + attention.c_proj(mixed.transpose(1, 2).flatten(2))
            hidden = hidden + block.mlp(block.ln_2(hidden))
        transformer = self.loaded.model.transformer
        state = transformer.ln_f(hidden)[:, -1]
        return self.loaded.model.lm_head(state), state


def _heads(tensor: torch.Tensor, count: int) -> torch.Tensor:
    batch, length, width = tensor.shape
    return tensor.view(batch, length, count, width // count).transpose(1, 2)


def _row_norm(tensor: torch.Tensor) -> torch.Tensor:
    """Norm per batch row (the perturbation is (2, batch, heads, positions, head size))."""
    return tensor.transpose(0, 1).flatten(1).norm(dim=1).view(1, -1, 1, 1, 1)
