"""The runtime layer: the int8 ONNX export, its manifest and the rules for using it, opening a model
on each runtime, larger (ksjae-style) shapes, and `storyteller models optimize`.

The decode loop's own tests run on both runtimes (tests/test_generator.py, tests/test_steering.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from storyteller.engine.core.errors import ModelError
from storyteller.engine.models.runtimes.optimized import INT8_FILE, MANIFEST_FILE, export_status, optimized_dir
from tests.helpers.cli import storyteller
from tests.helpers.paths import ROOT
from tests.helpers.tiny_models import save_tiny_gpt2

PROMPT = "옛날 옛적에 깊은 산속 마을에 한 나무꾼이 살았다."


@pytest.fixture
def onnx_copy(tiny_onnx_dir, tmp_path):
    """A private copy of the optimized tiny model, to spoil."""
    return shutil.copytree(tiny_onnx_dir, tmp_path / "tiny-onnx", copy_function=shutil.copy2)


def test_the_export_records_what_made_it_and_how_close_it_stays(tiny_onnx_dir):
    status = export_status(tiny_onnx_dir)
    assert status.usable and status.int8_file.is_file()
    manifest = status.manifest
    assert set(manifest["versions"]) == {"onnxruntime", "onnx", "torch", "transformers"}
    assert manifest["weights"]["sha256"] and manifest["config_sha256"]
    # ONNX Runtime fused every block: that is where int8's speed comes from
    assert manifest["fused_operators"]["Attention"] == 2 and manifest["fused_operators"]["SkipLayerNormalization"] == 4
    quality = manifest["quality"]
    assert quality["passed"] and abs(quality["perplexity_change"]) <= 0.01 and quality["greedy_match"] >= 0.5


def test_the_export_holds_its_embedding_once_in_int8(tiny_onnx_dir):
    """GPT-2's tied [vocab, width] matrix, stored once: the output projection's int8 matrix, which
    the embedding reads too (issue 28; it was an fp32 copy inside EmbedLayerNormalization)."""
    import onnx

    status = export_status(tiny_onnx_dir)
    vocab, width = 51200, 32
    assert status.manifest["embedding"] == {"dtype": "int8", "shared_with_output": True, "bytes": vocab * width}
    graph = onnx.load(str(status.int8_file), load_external_data=False).graph
    assert not [node for node in graph.node if node.op_type == "EmbedLayerNormalization"]
    (matrix,) = [tensor for tensor in graph.initializer if vocab in tensor.dims and len(tensor.dims) == 2]
    assert matrix.data_type == onnx.TensorProto.INT8 and list(matrix.dims) == [width, vocab]
    readers = sorted(node.op_type for node in graph.node if matrix.name in node.input)
    assert readers == ["Gather", "MatMulInteger"]
    # the tensors lie beside the graph (ONNX Runtime maps them, and drops what its kernels packed)
    files = status.manifest["files"]
    assert set(files) == {INT8_FILE, INT8_FILE + ".data"}
    assert sum(files.values()) < vocab * width * 4  # less than the fp32 embedding alone was


def test_each_runtime_gives_the_last_layers_state(tiny_onnx_loaded, tiny_loaded):
    """transformers' hidden_states[-1] (after the final layer norm), what the mood meter reads:
    on the int8 export it is the graph's 'hidden' output."""
    ids = tiny_loaded.tokenizer.encode(PROMPT)
    on_torch = tiny_loaded.torch_runtime.hidden_states(ids)
    on_onnx = tiny_onnx_loaded.runtime.hidden_states(ids)
    assert on_onnx.shape == on_torch.shape == (len(ids), 32) and on_onnx.dtype == np.float32
    np.testing.assert_allclose(on_onnx, on_torch, atol=0.05 * np.abs(on_torch).max())
    logits, last = tiny_onnx_loaded.runtime.forward([ids], tiny_onnx_loaded.runtime.new_cache(), want_hidden=True)
    np.testing.assert_allclose(last[0], on_onnx[-1], atol=1e-4)


def test_exporting_prints_no_shape_inference_noise_and_an_untied_model_gets_its_own_int8_embedding(
        tmp_path, capfd, caplog):
    """onnx_export's steps called as the benchmarks call them (without `models optimize`'s quieting):
    ONNX Runtime's shape inference said "Cannot determine if -new + total < 0" for every block."""
    import logging

    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    from storyteller.engine.models.runtimes.onnx_export import export_gpt2, optimize_graph, quantize_int8
    from storyteller.engine.models.runtimes.onnx_runtime import OnnxRuntime

    caplog.set_level(logging.DEBUG)
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=51200, n_positions=32, n_embd=16, n_layer=2, n_head=2, tie_word_embeddings=False)
    model = GPT2LMHeadModel(config).eval()
    export_gpt2(model, tmp_path / "raw.onnx")
    optimize_graph(tmp_path / "raw.onnx", tmp_path / "fused.onnx", 2, 16)
    record = quantize_int8(tmp_path / "fused.onnx", tmp_path / "int8.onnx")
    printed = capfd.readouterr()
    for noise in ("Cannot determine", "pre-processing", "TracerWarning"):
        assert noise not in printed.out + printed.err and noise not in caplog.text
    assert record == {"dtype": "int8", "shared_with_output": False, "bytes": 51200 * 16}
    ids = [5, 300, 7000, 12]
    runtime = OnnxRuntime(tmp_path / "int8.onnx", 2, 2, 8)
    logits, _ = runtime.forward([ids], runtime.new_cache())
    with torch.no_grad():
        expected = model(input_ids=torch.tensor([ids])).logits[0, -1].numpy()
    np.testing.assert_allclose(logits[0], expected, atol=0.05 * np.abs(expected).max())


def test_a_copied_folder_keeps_its_export_but_changed_weights_make_it_stale(onnx_copy):
    assert export_status(onnx_copy).usable  # new mtimes, same bytes: the hash decides
    weights = onnx_copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1
    weights.write_bytes(bytes(data))
    status = export_status(onnx_copy)
    assert status.state == "stale" and "weights changed" in str(status.reason)
    with pytest.raises(ModelError, match="storyteller models optimize"):
        from storyteller.engine.models.loading import load_model

        load_model(onnx_copy, "cpu", runtime="onnx")


@pytest.mark.parametrize("spoil, state, words", [
    ("version", "stale", "onnxruntime 0.0.1"),
    ("format", "stale", "another version of Storyteller"),
    ("file", "broken", "missing or incomplete"),
    ("quality", "broken", "quality check"),
    ("manifest", "broken", "cannot be read"),
])
def test_a_stale_or_broken_export_is_never_used_silently(onnx_copy, spoil, state, words):
    from storyteller.engine.models.loading import load_model

    manifest_file = optimized_dir(onnx_copy) / MANIFEST_FILE
    manifest = json.loads(manifest_file.read_text())
    if spoil == "version":
        manifest["versions"]["onnxruntime"] = "0.0.1"
    elif spoil == "format":
        manifest["format"] = 0
    elif spoil == "quality":
        manifest["quality"]["passed"] = False
    manifest_file.write_text(json.dumps(manifest) if spoil != "manifest" else "{")
    if spoil == "file":
        (optimized_dir(onnx_copy) / INT8_FILE).write_bytes(b"truncated")
    status = export_status(onnx_copy)
    assert status.state == state and words in str(status.reason)
    with pytest.raises(ModelError, match="cannot be used") as refused:
        load_model(onnx_copy, "cpu", runtime="onnx")
    assert words in str(refused.value) and "storyteller models optimize" in str(refused.value)
    fallback = load_model(onnx_copy, "cpu", runtime="auto")  # automatic: PyTorch, and it says why
    assert fallback.runtime is None and fallback.default_runtime.name == "torch"
    assert words in str(fallback.notice) and "storyteller models optimize" in str(fallback.notice)


def test_automatic_mode_picks_a_valid_export_on_the_cpu_and_pytorch_otherwise(tiny_onnx_dir, tiny_model_dir):
    from storyteller.engine.models.loading import load_model

    assert load_model(tiny_onnx_dir, "cpu").runtime.name == "onnx"
    assert load_model(tiny_onnx_dir, "cpu", runtime="torch").runtime is None
    plain = load_model(tiny_model_dir, "cpu")  # never optimized: PyTorch, nothing to say
    assert plain.runtime is None and plain.notice is None
    with pytest.raises(ModelError, match="has not been optimized"):
        load_model(tiny_model_dir, "cpu", runtime="onnx")


def test_the_onnx_cache_rolls_back_and_repeats_like_the_torch_one(tiny_onnx_loaded):
    runtime = tiny_onnx_loaded.runtime
    ids = tiny_onnx_loaded.tokenizer.encode(PROMPT)
    cache = runtime.new_cache()
    full, _ = runtime.forward([ids], cache)
    assert cache.length() == len(ids)
    cache.crop(5)
    again, _ = runtime.forward([ids[5:]], cache)
    # not bit-equal: int8 activations are scaled over the tokens fed together (5 here, all before)
    np.testing.assert_allclose(again, full, atol=0.02)
    batch = cache.repeated(3)
    assert batch.length() == len(ids) and cache.layers[0].shape[1] == 1
    step, _ = runtime.forward([[ids[0]]] * 3, batch)
    assert step.shape[0] == 3 and np.allclose(step[0], step[2])


def test_latent_steering_loads_pytorch_on_demand(tiny_onnx_dir):
    from storyteller.engine.decode.requests import DecodeHooks
    from storyteller.engine.models.loading import load_model

    loaded = load_model(tiny_onnx_dir, "cpu")
    assert loaded._model is None  # nothing needed PyTorch yet
    assert loaded.runtime_for(DecodeHooks()).name == "onnx"
    assert loaded.runtime_for(DecodeHooks(block_hooks=[(0, print)])).name == "torch"
    assert loaded._model is not None and len(loaded.blocks()) == 2


CHECK_MODULES = """
import json, sys
from storyteller.engine.models.loading import load_model
loaded = load_model(sys.argv[1], "cpu", runtime="onnx")
assert loaded.runtime.name == "onnx"
if sys.argv[2] == "continue":
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.settings.generation import GenerationSettings
    result = Generator(loaded).generate(GenerationRequest("옛날 옛적에", GenerationSettings(max_new_tokens=5, seed=1)))
    assert result.runtime == "onnx" and result.token_ids[0]
heavy = ("torch", "transformers")
print(json.dumps(sorted(name for name in sys.modules if name.startswith(heavy))))
"""


def heavy_modules(folder, what: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), STORYTELLER_THREADS="1")
    done = subprocess.run([sys.executable, "-c", CHECK_MODULES, str(folder), what], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_opening_a_model_on_onnx_imports_neither_torch_nor_transformers(tiny_onnx_dir):
    assert heavy_modules(tiny_onnx_dir, "open") == []


def test_continuing_on_onnx_imports_neither_torch_nor_transformers(tiny_onnx_dir):
    assert heavy_modules(tiny_onnx_dir, "continue") == []


LONG_STORY = "나무꾼은 매일 산에 올라 나무를 했다. 그러던 어느 날 사슴 한 마리가 나타났다.\n" * 80  # ~1,500 tokens


def continue_long_story(folder, runtime: str):
    from storyteller.engine.decode.generator import Generator
    from storyteller.engine.decode.requests import GenerationRequest
    from storyteller.engine.models.loading import load_model
    from storyteller.engine.settings.generation import GenerationSettings

    loaded = load_model(folder, "cpu", runtime=runtime)
    settings = GenerationSettings(greedy=True, max_new_tokens=4)
    result = Generator(loaded).generate(GenerationRequest(LONG_STORY, settings))
    assert loaded.n_positions == 2048 and result.runtime == runtime
    assert result.dropped_tokens == 0 and result.prompt_tokens > 1024 and len(result.token_ids[0]) == 4
    return result


@pytest.mark.slow
def test_a_ksjae_shaped_model_uses_its_whole_context_on_pytorch(tmp_path):
    """n_positions 2048 and 24 layers (tiny width): a prompt longer than KoGPT2's 1024 tokens."""
    folder = save_tiny_gpt2(tmp_path / "ksjae-shape", n_positions=2048, width=32, layers=24)
    continue_long_story(folder, "torch")


@pytest.mark.slow
def test_models_optimize_then_a_2048_context_on_both_runtimes(tmp_path):
    """`storyteller models optimize` on a 2048-position model, then the same long prompt on each
    runtime. Two layers, not 24: ONNX Runtime's graph optimizer takes minutes on 24 layers on a
    busy 2-core machine (a 24-layer export fuses all 24 blocks; see the README)."""
    folder = save_tiny_gpt2(tmp_path / "long-context", n_positions=2048, width=32, layers=2)
    done = storyteller("models", "optimize", str(folder), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Optimized" in done.stdout and "greedy tokens matching fp32" in done.stdout
    assert "checking it against the original" in done.stderr  # progress
    on_onnx, on_torch = continue_long_story(folder, "onnx"), continue_long_story(folder, "torch")
    assert on_onnx.token_ids[0][0] == on_torch.token_ids[0][0]


def test_cli_generate_takes_a_runtime_and_says_which_served(tiny_onnx_dir, tiny_model_dir, tmp_path):
    done = storyteller("generate", "--model", str(tiny_onnx_dir), "--prompt", "옛날", "--length", "3", "--json",
                       tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["runtime"] == "onnx"
    refused = storyteller("generate", "--model", str(tiny_model_dir), "--prompt", "옛날", "--runtime", "onnx",
                          tmp_path=tmp_path)
    assert refused.returncode == 2
    assert "has not been optimized" in refused.stderr
    assert f"storyteller models optimize {tiny_model_dir}" in refused.stderr


def test_the_tokenizer_without_transformers_matches_transformers_own(kogpt2_tokenizer):
    """load_tokenizer's FastTokenizer (tokenizers only: no 1.3 s transformers import) against
    PreTrainedTokenizerFast on the same tokenizer.json."""
    from transformers import PreTrainedTokenizerFast

    from storyteller.engine.models.tokenizer import FastTokenizer, control_token_ids, stop_token_ids

    assert isinstance(kogpt2_tokenizer, FastTokenizer)
    reference = PreTrainedTokenizerFast(tokenizer_object=kogpt2_tokenizer.backend_tokenizer)
    reference.add_special_tokens({"bos_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>",
                                  "pad_token": "<pad>", "mask_token": "<mask>"})
    texts = [PROMPT, "ㅋㅋㅋ 😤\n그는 <unk> 말했다.  두 칸", "", " 앞 공백", "a😤b\n\n\t끝"]
    for text in texts:
        ids = reference.encode(text)
        assert kogpt2_tokenizer.encode(text) == ids
        ours, theirs = (t(text, return_offsets_mapping=True)["offset_mapping"] for t in (kogpt2_tokenizer, reference))
        assert ours == [tuple(pair) for pair in theirs]
        assert kogpt2_tokenizer.decode(ids) == reference.decode(ids, clean_up_tokenization_spaces=False)
    for name in ("bos_token_id", "eos_token_id", "pad_token_id", "unk_token_id", "mask_token_id", "eos_token"):
        assert getattr(kogpt2_tokenizer, name) == getattr(reference, name)
    assert len(kogpt2_tokenizer) == len(reference) and kogpt2_tokenizer.get_vocab() == reference.get_vocab()
    assert kogpt2_tokenizer.convert_tokens_to_ids(["▁바다", "없는토큰"]) == reference.convert_tokens_to_ids(
        ["▁바다", "없는토큰"])
    assert stop_token_ids(kogpt2_tokenizer) == stop_token_ids(reference)
    assert control_token_ids(kogpt2_tokenizer) == control_token_ids(reference)
    assert kogpt2_tokenizer.tokenize("바다") == ["▁바다"]  # the rest of the interface: transformers', on demand
