"""Exporting a GPT-2 checkpoint to ONNX with its keys/values as inputs and outputs, running ONNX
Runtime's GPT-2 graph optimizer on it and quantizing it to int8 (see `optimize.py` for the whole
job). Needs torch and transformers; nothing at decode time imports this module.

Why an exporter of our own: optimum-onnx, the library that exports transformers models, requires
transformers < 4.58, and this project runs transformers 5. transformers 5's own GPT-2 forward
(its masks and cache classes) does not give the graph ONNX Runtime's attention fusion recognises,
so `_Gpt2Graph` re-states GPT-2's forward the way transformers 4.2x wrote it, on the checkpoint's
own weights: ONNX Runtime then fuses each block into one Attention node (and, quantized, into
QAttention), which is where int8's speed comes from (measured 4.4x generate() on KoGPT2's shape; see
the README's Performance section).
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

OPSET = 14
# The additive mask value transformers 4.x used; ONNX Runtime's fusion reads it from the graph.
MASK_VALUE = -10000.0


def _conv1d(layer, x: torch.Tensor) -> torch.Tensor:
    """transformers' Conv1D as 4.x wrote it: view to 2-D, addmm, view back (Reshape, Gemm, Reshape)."""
    size_out = x.size()[:-1] + (layer.weight.size(-1),)
    x = torch.addmm(layer.bias, x.view(-1, x.size(-1)), layer.weight)
    return x.view(size_out)


def _gelu_new(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class _Gpt2Graph(nn.Module):
    """GPT2LMHeadModel's forward with keys/values in ONNX Runtime's GPT-2 layout.

    Inputs: input_ids [batch, new], position_ids [batch, new], attention_mask [batch, past + new],
    past_i [2, batch, heads, past, head size]. Outputs: logits of the last position [batch, 1, vocab]
    (the decode loop needs no others, and a 900-token prefill would otherwise spend most of its
    time on the vocabulary projection of every position) and present_i [2, batch, heads, past + new, head size].
    """

    def __init__(self, model):
        super().__init__()
        self.model = model
        config = model.config
        self.heads = config.n_head
        self.head_size = config.n_embd // config.n_head
        positions = config.n_positions
        self.register_buffer(
            "causal", torch.tril(torch.ones((positions, positions), dtype=torch.bool)).view(1, 1, positions, positions),
            persistent=False,
        )
        self.scale = bool(getattr(config, "scale_attn_weights", True))

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        x = x.view(x.size()[:-1] + (self.heads, self.head_size))
        return x.permute(0, 2, 1, 3)

    def _merge_heads(self, x: torch.Tensor) -> torch.Tensor:
        x = x.permute(0, 2, 1, 3).contiguous()
        return x.view(x.size()[:-2] + (self.heads * self.head_size,))

    def _attention(self, attn, hidden, layer_past, mask):
        query, key, value = _conv1d(attn.c_attn, hidden).split(self.heads * self.head_size, dim=2)
        query, key, value = self._split_heads(query), self._split_heads(key), self._split_heads(value)
        past_key, past_value = layer_past[0], layer_past[1]
        key = torch.cat((past_key, key), dim=-2)
        value = torch.cat((past_value, value), dim=-2)
        present = torch.cat((key.unsqueeze(0), value.unsqueeze(0)), dim=0)
        weights = torch.matmul(query, key.transpose(-1, -2))
        if self.scale:
            weights = weights / (float(value.size(-1)) ** 0.5)
        query_length, key_length = query.size(-2), key.size(-2)
        causal = self.causal[:, :, key_length - query_length : key_length, :key_length]
        weights = torch.where(causal, weights, torch.tensor(torch.finfo(weights.dtype).min, dtype=weights.dtype))
        weights = nn.functional.softmax(weights + mask, dim=-1)
        output = self._merge_heads(torch.matmul(weights, value))
        return _conv1d(attn.c_proj, output), present

    def forward(self, input_ids, position_ids, attention_mask, *past):
        transformer = self.model.transformer
        mask = attention_mask.view(input_ids.size(0), -1)[:, None, None, :].to(torch.float32)
        mask = (1.0 - mask) * MASK_VALUE
        hidden = transformer.wte(input_ids) + transformer.wpe(position_ids)
        presents = []
        for block, layer_past in zip(transformer.h, past):
            residual = hidden
            attended, present = self._attention(block.attn, block.ln_1(hidden), layer_past, mask)
            presents.append(present)
            hidden = attended + residual
            residual = hidden
            fed = _conv1d(block.mlp.c_proj, _gelu_new(_conv1d(block.mlp.c_fc, block.ln_2(hidden))))
            hidden = residual + fed
        hidden = transformer.ln_f(hidden)[:, -1:, :]
        return (self.model.lm_head(hidden), *presents)


def export_gpt2(model, destination: Path) -> None:
    """Write `model` (a float32 GPT2LMHeadModel) as an ONNX graph with past keys/values."""
    config = model.config
    layers, heads, head_size = config.n_layer, config.n_head, config.n_embd // config.n_head
    graph = _Gpt2Graph(model).eval()
    ids = torch.tensor([[1, 2]], dtype=torch.int64)
    positions = torch.tensor([[1, 2]], dtype=torch.int64)
    mask = torch.ones((1, 3), dtype=torch.int64)
    past = [torch.zeros((2, 1, heads, 1, head_size)) for _ in range(layers)]
    past_names = [f"past_{i}" for i in range(layers)]
    present_names = [f"present_{i}" for i in range(layers)]
    axes = {
        "input_ids": {0: "batch", 1: "new"},
        "position_ids": {0: "batch", 1: "new"},
        "attention_mask": {0: "batch", 1: "total"},
        "logits": {0: "batch"},
        **{name: {1: "batch", 3: "past"} for name in past_names},
        **{name: {1: "batch", 3: "total"} for name in present_names},
    }
    with torch.no_grad():
        torch.onnx.export(
            graph, (ids, positions, mask, *past), str(destination), dynamo=False, opset_version=OPSET,
            input_names=["input_ids", "position_ids", "attention_mask", *past_names],
            output_names=["logits", *present_names], dynamic_axes=axes, do_constant_folding=True,
        )


def optimize_graph(source: Path, destination: Path, heads: int, width: int, float16: bool = False) -> dict[str, int]:
    """ONNX Runtime's GPT-2 optimizer (fused Attention, FastGelu, SkipLayerNormalization); returns
    how many nodes of each fused kind it made, so a graph it could not fuse is noticed."""
    from onnxruntime.transformers.optimizer import optimize_model

    optimized = optimize_model(str(source), model_type="gpt2", num_heads=heads, hidden_size=width, opt_level=0)
    if float16:
        optimized.convert_float_to_float16(keep_io_types=True)
    # protobuf cannot hold 2 GB: larger graphs (774M parameters and up) keep their tensors beside
    size = sum(len(tensor.raw_data) for tensor in optimized.model.graph.initializer)
    optimized.save_model_to_file(str(destination), use_external_data_format=size > 1_800_000_000)
    return optimized.get_fused_operator_statistics()


def quantize_int8(source: Path, destination: Path) -> None:
    """Dynamic per-channel int8 weights (measured: kept 86 % of greedy tokens where per-tensor kept 53 %),
    in 7 bits: with all 8 the demo model's perplexity rose 1.85 % on resources/evaluation (int8
    products overflowing the u8×s8 kernels' 16-bit sums), with 7 by 0.002 %."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source), str(destination), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
        # Without it the quantizer stops at the fused graph's MatMul outputs, whose type the
        # optimizer left unset ("Unable to find data type for weight_name=...").
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
