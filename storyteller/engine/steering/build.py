"""From the writer's steering settings to the decode loop's hooks, on the thread that owns the
model (the settings are plain data; the steerers hold tensors of that model)."""

from __future__ import annotations

import numpy as np
import torch

from storyteller.engine.decode.requests import DecodeHooks
from storyteller.engine.korean.words import token_table
from storyteller.engine.models.loading import LoadedModel
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.steering.latent import Perturber
from storyteller.engine.steering.mood import MOOD_VECTOR_SCALE, load_head, mood_vector
from storyteller.engine.steering.steerers import BagOfWords, Discriminator, MoodVector, Steerer, WordBias
from storyteller.engine.steering.topics import topic_words


def build_steerers(settings: SteeringSettings, loaded: LoadedModel) -> list[Steerer]:
    """The steerers `settings` ask for; none for a strength of 0."""
    steerers: list[Steerer] = []
    vocab_size = loaded.vocab_size
    if settings.steers_topic:
        table = token_table(loaded.tokenizer, topic_words(settings.topics, settings.words))
        if settings.topic_method == "pplm":
            steerers.append(BagOfWords(table, settings.topic_strength))
            fallback = WordBias(table, settings.topic_strength, vocab_size)
            fallback.enabled = False  # until PPLM runs out of time
            steerers.append(fallback)
        else:
            steerers.append(WordBias(table, settings.topic_strength, vocab_size))
    if settings.steers_mood:
        if settings.mood_method == "pplm":
            steerers.append(Discriminator(load_head(loaded).linear, settings.mood))
        else:
            layer, direction = mood_vector(loaded)
            steerers.append(MoodVector(layer, direction, settings.mood * MOOD_VECTOR_SCALE))
    return steerers


def decode_hooks(
    steerers: list[Steerer], loaded: LoadedModel, settings: SteeringSettings, max_new_tokens: int
) -> DecodeHooks | None:
    """One set of hooks for all steerers: biases summed in one logits processor, vectors summed
    per block, latent losses optimised together by one Perturber."""
    if not steerers:
        return None
    hooks = DecodeHooks()
    if any(type(s).logit_bias is not Steerer.logit_bias for s in steerers):
        hooks.logits_processors.append(SteeringBias(steerers))
    vectors: dict[int, list] = {}
    for steerer in steerers:
        for layer, vector in steerer.vectors().items():
            vectors.setdefault(layer, []).append(vector)
    for layer, parts in sorted(vectors.items()):
        hooks.block_hooks.append((layer, AddVector(sum(parts))))
    keys = [s.cache_key for s in steerers if s.cache_key]
    hooks.cache_key = "|".join(keys) or None
    latent = [s for s in steerers if s.latent_weight > 0]
    if latent:
        fallback = next((s for s in steerers if isinstance(s, WordBias) and not s.enabled), None)
        perturber = Perturber(
            loaded, latent, settings.latent,
            max_new_tokens=max_new_tokens, max_seconds=settings.max_seconds, fallback=fallback,
        )
        hooks.block_hooks.append((perturber.first - 1, perturber.capture))
        hooks.step_hook = perturber
        hooks.needs_hidden = any(isinstance(s, Discriminator) for s in latent)
        hooks.report = perturber.report
    return hooks


def steering_hooks(settings: SteeringSettings, loaded: LoadedModel, max_new_tokens: int) -> DecodeHooks | None:
    """The hooks steering toward `settings`' topics and mood (bans and phrase bias are the decode
    loop's own: decode/phrase_bans.py); pass it to the Generator as `steer`."""
    return decode_hooks(build_steerers(settings, loaded), loaded, settings, max_new_tokens)


class SteeringBias:
    """The logits stage: every steerer's bias added to the scores.

    The loop's logits stage runs on numpy arrays; the steerers compute their biases with torch
    (they share their tables with PPLM), so the arrays are handed to them as torch tensors over
    the same memory (`torch.from_numpy`, no copy) and the sum comes back as numpy."""

    def __init__(self, steerers: list[Steerer]):
        self.steerers = steerers

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        ids, steered = torch.from_numpy(np.ascontiguousarray(input_ids)), torch.from_numpy(scores)
        for steerer in self.steerers:
            bias = steerer.logit_bias(ids, steered)
            if bias is not None:
                steered = steered + bias.to(steered.device, steered.dtype)
        return steered.numpy()


class AddVector:
    """The activation stage: a forward hook adding a vector to a block's output."""

    def __init__(self, vector):
        self.vector = vector

    def __call__(self, module, args, output):
        if isinstance(output, tuple):
            return (output[0] + self.vector,) + output[1:]
        return output + self.vector
