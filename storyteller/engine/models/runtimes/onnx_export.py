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

import logging
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
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
    time on the vocabulary projection of every position); hidden, the last layer's state after the
    final layer norm at every new position [batch, new, width] (transformers' hidden_states[-1]:
    what the mood head reads, so the meter needs no PyTorch copy of the model; computed for the
    logits anyway, and copied out only when asked for); and present_i [2, batch, heads, past + new, head size].
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
        hidden = transformer.ln_f(hidden)
        return (self.model.lm_head(hidden[:, -1:, :]), hidden, *presents)


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
        "hidden": {0: "batch", 1: "new"},
        **{name: {1: "batch", 3: "past"} for name in past_names},
        **{name: {1: "batch", 3: "total"} for name in present_names},
    }
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer's advice on constants (the mask value, the scale) is about our own fixed shapes.
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            graph, (ids, positions, mask, *past), str(destination), dynamo=False, opset_version=OPSET,
            input_names=["input_ids", "position_ids", "attention_mask", *past_names],
            output_names=["logits", "hidden", *present_names], dynamic_axes=axes, do_constant_folding=True,
        )


def optimize_graph(source: Path, destination: Path, heads: int, width: int, float16: bool = False) -> dict[str, int]:
    """ONNX Runtime's GPT-2 optimizer (fused Attention, FastGelu, SkipLayerNormalization); returns
    how many nodes of each fused kind it made, so a graph it could not fuse is noticed."""
    from onnxruntime.transformers.optimizer import optimize_model

    with _shape_inference_quiet():
        optimized = optimize_model(str(source), model_type="gpt2", num_heads=heads, hidden_size=width, opt_level=0)
        if float16:
            optimized.convert_float_to_float16(keep_io_types=True)
    # protobuf cannot hold 2 GB: larger graphs (774M parameters and up) keep their tensors beside
    size = sum(len(tensor.raw_data) for tensor in optimized.model.graph.initializer)
    optimized.save_model_to_file(str(destination), use_external_data_format=size > 1_800_000_000)
    return optimized.get_fused_operator_statistics()


# ONNX Runtime's symbolic shape inference (run by its GPT-2 fusion) warns "Cannot determine if
# -new + total < 0" for every block's causal-mask Slice (start = total - new, which it cannot prove
# non-negative), pages of it for a 12-layer model: its logger is lowered while we call it. Its
# module is imported both by this name (onnxruntime.transformers puts ../tools on sys.path) and by
# its package path.
SHAPE_INFERENCE_LOGGERS = ("symbolic_shape_infer", "onnxruntime.tools.symbolic_shape_infer")


@contextmanager
def _shape_inference_quiet() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in SHAPE_INFERENCE_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class _QuantizerAdvice(logging.Filter):
    """The quantizer's advice to run its pre-processing (logged on the root logger): dropped, and
    nothing else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname or "quantization" not in record.pathname


def quantize_int8(source: Path, destination: Path) -> dict:
    """Dynamic per-channel int8 weights (measured: kept 86 % of greedy tokens where per-tensor kept 53 %),
    in 7 bits: with all 8 the demo model's perplexity rose 1.85 % on resources/evaluation (int8
    products overflowing the u8×s8 kernels' 16-bit sums), with 7 by 0.002 %; then the embedding is
    read from the output projection's int8 matrix (`share_embedding`, whose record it returns)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    advice = _QuantizerAdvice()
    logging.getLogger().addFilter(advice)
    try:
        quantize_dynamic(
            str(source), str(destination), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
            # Without it the quantizer stops at the fused graph's MatMul outputs, whose type the
            # optimizer left unset ("Unable to find data type for weight_name=...").
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.getLogger().removeFilter(advice)
    return share_embedding(destination)


# -- one int8 copy of the embedding ---------------------------------------------------------------
#
# GPT-2 ties its input embedding to its output projection (lm_head): one [vocab, width] matrix, the
# model's largest (KoGPT2: 51,200 x 768, 157 MB in fp32, 58 % of its int8 export before this). The
# quantizer makes the projection int8 but leaves the embedding, inside ONNX Runtime's fused
# EmbedLayerNormalization, in fp32. `share_embedding` replaces that node by ops that read each fed
# token's row of the projection's own int8 matrix (a column of it: the projection is stored
# [width, vocab], per-column scales, i.e. one scale per token), so the export holds the matrix once,
# in int8.

_TIE_TOLERANCE = 0.51  # of a column's scale: how far the int8 projection may be from the embedding


def _producer(graph, name: str):
    return next(node for node in graph.node if name in node.output)


def _output_projection(graph) -> tuple[str, str, str]:
    """(int8 weight [width, vocab], its per-column scale, its zero point) of the MatMulInteger that
    makes the logits (logits = Cast(MatMulInteger(...)) x (input scale x weight scale))."""
    scaled = _producer(graph, "logits")
    product = next(_producer(graph, name) for name in scaled.input if _producer(graph, name).op_type == "Cast")
    matmul = _producer(graph, product.input[0])
    if matmul.op_type != "MatMulInteger":
        raise ValueError(f"the logits come from {matmul.op_type}, not an int8 MatMulInteger")
    weight, zero_point = matmul.input[1], matmul.input[3]
    scales = next(_producer(graph, name) for name in scaled.input if name != product.output[0])
    (scale,) = [name for name in scales.input if name.startswith(weight.removesuffix("_quantized"))]
    return weight, scale, zero_point


def _quantize_columns(matrix):
    """Symmetric per-column int8 (the quantizer's 7-bit range): (int8 [rows, columns], scale [columns])."""
    import numpy as np

    scale = np.maximum(np.abs(matrix).max(axis=0), 1e-12) / 63.0
    return np.clip(np.round(matrix / scale), -64, 63).astype(np.int8), scale.astype(np.float32)


def share_embedding(model_file: Path) -> dict:
    """Rewrite the int8 export `model_file` so that its input embedding is read from the output
    projection's int8 matrix (or, for an untied model, from an int8 copy of its own); returns what
    the manifest records of it: the dtype and bytes of the embedding as stored."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(model_file))
    graph = model.graph
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    (embed,) = [node for node in graph.node if node.op_type == "EmbedLayerNormalization"]
    ids, _, words, positions, _, gamma, beta, *rest = list(embed.input) + [""] * 9
    position_ids = rest[1]
    normalized, mask_index, summed = (list(embed.output) + ["", "", ""])[:3]
    if mask_index and any(mask_index in node.input for node in graph.node):
        raise ValueError("the embedding's mask output is used: not GPT-2's graph")
    embedding = numpy_helper.to_array(initializers[words])
    weight, scale, zero_point = _output_projection(graph)
    projection = numpy_helper.to_array(initializers[weight])
    scales = numpy_helper.to_array(initializers[scale])
    tied = (projection.shape == embedding.T.shape and not numpy_helper.to_array(initializers[zero_point]).any()
            and np.all(np.abs(projection * scales - embedding.T) <= _TIE_TOLERANCE * scales + 1e-7))
    if not tied:  # its own int8 copy, read the same way
        own, own_scale = _quantize_columns(embedding.T)
        weight, scale = f"{words}_int8", f"{words}_int8_scale"
        graph.initializer.extend([numpy_helper.from_array(own, weight), numpy_helper.from_array(own_scale, scale)])
    epsilon = next((attribute.f for attribute in embed.attribute if attribute.name == "epsilon"), 1e-5)
    axis = numpy_helper.from_array(np.array([2], dtype=np.int64), "embedding_scale_axis")
    graph.initializer.append(axis)
    nodes = [
        helper.make_node("Gather", [weight, ids], ["embedding_columns"], axis=1),  # [width, batch, new]
        helper.make_node("Transpose", ["embedding_columns"], ["embedding_rows_int8"], perm=[1, 2, 0]),
        helper.make_node("Cast", ["embedding_rows_int8"], ["embedding_rows"], to=TensorProto.FLOAT),
        helper.make_node("Gather", [scale, ids], ["embedding_row_scales"], axis=0),
        helper.make_node("Unsqueeze", ["embedding_row_scales", axis.name], ["embedding_row_scales_3d"]),
        helper.make_node("Mul", ["embedding_rows", "embedding_row_scales_3d"], ["word_embedding"]),
        helper.make_node("Gather", [positions, position_ids], ["position_embedding"], axis=0),
        helper.make_node("SkipLayerNormalization", ["word_embedding", "position_embedding", gamma, beta],
                         [normalized, "", "", summed], domain="com.microsoft", epsilon=epsilon),
    ]
    index = list(graph.node).index(embed)
    graph.node.remove(embed)
    for offset, node in enumerate(nodes):
        graph.node.insert(index + offset, node)
    graph.initializer.remove(initializers[words])
    stored = next(tensor for tensor in graph.initializer if tensor.name == weight)
    record = {"dtype": "int8", "shared_with_output": bool(tied), "bytes": len(stored.raw_data)}
    save_with_external_data(model, Path(model_file))
    return record


def save_with_external_data(model, model_file: Path) -> None:
    """The graph in `model_file`, its tensors beside it in `model_file`.data. ONNX Runtime maps that
    file into memory and releases each weight its kernels have packed into their own layout (all of
    them but the embedding's): from one file the session held the packed weights beside a full copy
    of the file's (measured on KoGPT2's shape: 246 MB against 169 MB)."""
    import onnx

    data = model_file.with_name(model_file.name + ".data")
    data.unlink(missing_ok=True)  # onnx appends to it
    onnx.save(model, str(model_file), save_as_external_data=True, all_tensors_to_one_file=True, location=data.name,
              size_threshold=1024)
    data.chmod(model_file.stat().st_mode & 0o777)  # onnx makes it private (0600); readable as the graph is
