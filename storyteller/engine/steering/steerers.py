"""The steerers: each uses one or more of the decode loop's three stages.

- logits: `logit_bias()` returns an additive term for the next-token scores (or -inf to ban);
- activation: `vectors()` maps a block index to a vector added to that block's output;
- latent: `latent_loss()` is a differentiable loss on the next-token distribution or the last
  hidden state, minimised by perturbing the recent keys/values (latent.py, PPLM).

Terms of several steerers add up: biases add, vectors add, latent losses add with their
weights in one optimisation. A steerer at strength 0 is never built, so no steering and
strength 0 are the same code path (the tests check the output is identical).
"""

from __future__ import annotations

import torch

from storyteller.engine.decode.requests import StepContext
from storyteller.engine.korean.words import TokenTable
from storyteller.engine.settings.steering import METHOD_COST, TOPIC_BIAS_AT_FULL_STRENGTH


class Steerer:
    """Base class. `cost` is the rough slowdown against plain decoding, for the UI's warning."""

    name = "steerer"
    cost = 1.0
    latent_weight = 0.0  # > 0 for a steerer taking part in the latent optimisation

    def logit_bias(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.Tensor | None:
        return None

    def vectors(self) -> dict[int, torch.Tensor]:
        return {}

    def begin_step(self, context: StepContext) -> None:
        """Called once per step before the latent optimisation's iterations (which each call
        `latent_loss`): the place for work that depends on the step, not on the perturbation."""

    def latent_loss(self, probs: torch.Tensor, hidden: torch.Tensor, context: StepContext) -> torch.Tensor | None:
        return None

    @property
    def cache_key(self) -> str | None:
        """Names what the steerer changes in the keys/values of the prompt (vectors do)."""
        return None


class TableWeights:
    """Per row, a token table's weights for the next token: its anywhere-weights plus those of
    the phrases the row's text has begun."""

    def __init__(self, table: TokenTable):
        self.table = table
        self._anywhere: torch.Tensor | None = None

    def rows(self, input_ids: torch.LongTensor, vocab_size: int, device) -> torch.Tensor:
        if self._anywhere is None or self._anywhere.device != torch.device(device):
            self._anywhere = torch.zeros(vocab_size, device=device)
            if self.table.anywhere:
                ids = torch.tensor(list(self.table.anywhere), device=device)
                self._anywhere[ids] = torch.tensor(list(self.table.anywhere.values()), device=device)
        rows = self._anywhere.repeat(input_ids.shape[0], 1)
        depth = self.table.longest_prefix
        for row, ids in enumerate(input_ids[:, -depth:].tolist() if depth else []):
            for token, weight in self.table.continuing(ids).items():
                rows[row, token] = max(float(rows[row, token]), weight)
        return rows


class WordBias(Steerer):
    """Topic words made likelier at the logits stage: cheap, and local to the word itself."""

    name = "word_bias"
    cost = METHOD_COST["bias"]

    def __init__(self, table: TokenTable, strength: float, vocab_size: int):
        self.weights = TableWeights(table)
        self.bias = strength * TOPIC_BIAS_AT_FULL_STRENGTH
        self.vocab_size = vocab_size
        self.enabled = True  # PPLM's time budget switches this fallback on mid-continuation

    def logit_bias(self, input_ids, scores):
        if not self.enabled:
            return None
        return self.bias * self.weights.rows(input_ids, scores.shape[-1], scores.device)


class BagOfWords(Steerer):
    """PPLM's bag-of-words loss, -log P(next token is a topic word), over the same token table
    as WordBias. Unlike the reference implementation it keeps words of several tokens (most
    Korean ones): their first token is in the bag, and their next token once they have begun."""

    name = "pplm_bow"
    cost = METHOD_COST["pplm"]

    def __init__(self, table: TokenTable, strength: float):
        self.weights = TableWeights(table)
        self.latent_weight = strength
        self._bag: torch.Tensor | None = None  # this step's topic tokens

    def begin_step(self, context):
        vocab_size = context.logits.shape[-1]
        self._bag = self.weights.rows(context.input_ids, vocab_size, context.logits.device) > 0

    def latent_loss(self, probs, hidden, context):
        return -torch.log((probs * self._bag).sum(dim=-1) + 1e-10).sum()


class Discriminator(Steerer):
    """PPLM's attribute model: the mood head's cross-entropy toward the wanted mood, on the mean
    last-layer state of the text written so far (unperturbed) and the current one (perturbed)."""

    name = "pplm_mood"
    cost = METHOD_COST["pplm"]

    def __init__(self, head: torch.nn.Linear, mood: float):
        self.head = head
        self.target = 1 if mood > 0 else 0  # the head's classes: 0 dark (negative), 1 bright (positive)
        self.latent_weight = abs(mood)
        self._written = None  # sum of the states of the tokens written before the current one
        self._count = 0
        self._current = None  # the current position's unperturbed state, written once the loop moves on

    def begin_step(self, context):
        if self._current is not None:
            self._written = self._current if self._written is None else self._written + self._current
            self._count += 1
        # step 0's position is the prompt's last token, not written text
        self._current = context.hidden.detach().float() if context.hidden is not None and context.step > 0 else None

    def latent_loss(self, probs, hidden, context):
        total = hidden.float() if self._written is None else self._written + hidden.float()
        logits = self.head(total / (self._count + 1))
        target = torch.full((logits.shape[0],), self.target, device=logits.device)
        return torch.nn.functional.cross_entropy(logits, target, reduction="sum")


class MoodVector(Steerer):
    """A steering vector (mean activation difference of bright and dark sentence pairs at one
    block) added to that block's output at every position: as cheap as plain decoding."""

    name = "mood_vector"
    cost = METHOD_COST["vector"]

    def __init__(self, layer: int, direction: torch.Tensor, coefficient: float):
        self.layer = layer
        self.vector = direction * coefficient
        self.coefficient = coefficient

    def vectors(self):
        return {self.layer: self.vector}

    @property
    def cache_key(self):
        return f"mood_vector:{self.layer}:{self.coefficient:.6f}"
