"""The PyTorch runtime: transformers' model with its DynamicCache."""

from __future__ import annotations

import copy

import torch
from transformers import DynamicCache


class TorchCache:
    def __init__(self, native: DynamicCache | None = None):
        self.native = native if native is not None else DynamicCache()  # what PPLM's step hook works on

    def length(self) -> int:
        return self.native.get_seq_length()

    def crop(self, length: int) -> None:
        if length < self.length():
            self.native.crop(length - self.length())  # transformers 5: a negative count removes tokens

    def repeated(self, count: int) -> TorchCache:
        native = copy.deepcopy(self.native)
        native.batch_repeat_interleave(count)
        return TorchCache(native)


class TorchRuntime:
    name = "torch"
    description = "PyTorch"

    def __init__(self, model):
        self.model = model
        self.device = next(model.parameters()).device

    def new_cache(self) -> TorchCache:
        return TorchCache()

    @torch.inference_mode()
    def forward(self, ids, cache: TorchCache, want_hidden: bool = False):
        ids = torch.as_tensor(ids, device=self.device)
        output = self.model(
            input_ids=ids, past_key_values=cache.native, use_cache=True, output_hidden_states=want_hidden,
            logits_to_keep=1,  # only the last position's logits are used: a 900-token prefill takes 0.7x the time
        )
        hidden = output.hidden_states[-1][:, -1] if want_hidden else None
        return output.logits[:, -1], hidden

    @torch.inference_mode()
    def hidden_states(self, ids: list[int]):
        output = self.model(input_ids=torch.tensor([ids], device=self.device), output_hidden_states=True)
        return output.hidden_states[-1][0].float().cpu().numpy()

    @torch.inference_mode()
    def all_logits(self, ids: list[int]) -> torch.Tensor:
        """The logits of every position of `ids` (length × vocab), in one pass without a cache."""
        return self.model(input_ids=torch.tensor([ids], device=self.device)).logits[0]
