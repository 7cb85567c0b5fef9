"""`storyteller models export-gguf`: a GPT-2 with KoGPT2's SentencePiece-style pieces, as llama.cpp reads it
(the demo model written this way serves the whole of tests/test_servers.py)."""

from __future__ import annotations

import json

import pytest

from storyteller.engine.core.errors import ModelError
from storyteller.engine.models.gguf_export import export_gguf
from tests.helpers.cli import storyteller


def _field(reader, name):
    field = reader.get_field(name)
    return field.contents()


def test_the_cli_writes_the_demo_model_as_gguf(tmp_path, kogpt2_tokenizer):
    from gguf import GGUFReader, TokenType

    target = tmp_path / "out" / "demo.gguf"
    done = storyteller("models", "export-gguf", "demo", str(target), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "llama-server -m" in done.stdout and target.is_file()
    assert not list(target.parent.glob("*.part"))
    reader = GGUFReader(target)
    assert _field(reader, "general.architecture") == "gpt2"
    assert _field(reader, "tokenizer.ggml.model") == "llama"  # SentencePiece-style, not byte-level `gpt2`
    tokens, types = _field(reader, "tokenizer.ggml.tokens"), _field(reader, "tokenizer.ggml.token_type")
    assert len(tokens) == 51200 and tokens[:len(kogpt2_tokenizer)] == kogpt2_tokenizer.convert_ids_to_tokens(
        list(range(len(kogpt2_tokenizer))))
    emoji = kogpt2_tokenizer.convert_tokens_to_ids("😤")
    assert types[emoji] == TokenType.USER_DEFINED and types[kogpt2_tokenizer.eos_token_id] == TokenType.CONTROL
    assert types[kogpt2_tokenizer.unk_token_id] == TokenType.UNKNOWN
    assert _field(reader, "gpt2.context_length") == 512 and _field(reader, "gpt2.block_count") == 6
    assert {tensor.name for tensor in reader.tensors} >= {"token_embd.weight", "position_embd.weight",
                                                          "blk.0.attn_qkv.weight", "output_norm.weight"}


def test_a_model_that_is_not_a_gpt2_is_refused(tiny_model_dir, tmp_path):
    import shutil

    folder = tmp_path / "neo"
    shutil.copytree(tiny_model_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "model_type": "gpt_neo"}))
    with pytest.raises(ModelError, match="convert_hf_to_gguf.py"):
        export_gguf(folder, tmp_path / "x.gguf")
    assert not (tmp_path / "x.gguf").exists()
