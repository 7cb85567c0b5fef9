"""Writing a GPT-2-family model folder as one GGUF file, for llama.cpp's server (`llama-server -m FILE`).

llama.cpp's own converter (convert_hf_to_gguf.py) writes a GPT-2 with the `gpt2` vocabulary type, which
assumes byte-level BPE pieces; KoGPT2's pieces are SentencePiece-style (▁ marks a word start), so its
text would come back garbled. Here the architecture stays `gpt2` and the vocabulary is written as a
`llama` (SentencePiece) one: pieces as they are, scores from the BPE merge order (earlier merge, higher
score) so that the server's own /tokenize splits text about as our tokenizer does. Storyteller itself
sends token ids it tokenized and decodes the ids it gets back (engine/servers), so only the ids matter.
Tensors are named by the gguf package's own name map; GPT-2's Conv1D weights are transposed as
llama.cpp's converter does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from storyteller.engine.core.errors import ModelError, tr
from storyteller.engine.models.folder import SAFETENSORS_WEIGHTS, check_model_folder
from storyteller.engine.models.tokenizer import control_token_ids, load_tokenizer

# GPT-2 stores these as Conv1D, [in, out]; llama.cpp wants [out, in] like a Linear.
_CONV1D = (".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight")
# Buffers of older GPT-2 checkpoints, not weights.
_NOT_WEIGHTS = (".attn.bias", ".attn.masked_bias")


def export_gguf(folder: Path, target: Path, *, name: str | None = None,
                progress: Callable[[str], None] | None = None) -> Path:
    """Write the model in `folder` (config.json, model.safetensors, tokenizer.json) to `target`.

    The file is written beside `target` and renamed into place, so a failure leaves no half file."""
    import gguf
    from safetensors import safe_open

    folder, target = Path(folder), Path(target)
    check_model_folder(folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "gpt2":
        raise ModelError(
            tr("{folder} holds a {kind} model; only GPT-2 models (model_type gpt2, as KoGPT2) can be exported to "
               "GGUF here. For other models use llama.cpp's convert_hf_to_gguf.py."),
            folder=folder, kind=config.get("model_type", "unknown"),
        )
    vocab = _sentencepiece_vocab(folder)
    layers, width = int(config["n_layer"]), int(config["n_embd"])
    weights_file = folder / SAFETENSORS_WEIGHTS
    temporary = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(temporary, "gpt2")
    try:
        writer.add_name(name or folder.name)
        writer.add_context_length(int(config["n_positions"]))
        writer.add_embedding_length(width)
        writer.add_feed_forward_length(int(config.get("n_inner") or 4 * width))
        writer.add_block_count(layers)
        writer.add_head_count(int(config["n_head"]))
        writer.add_layer_norm_eps(float(config.get("layer_norm_epsilon", 1e-5)))
        names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GPT2, layers)
        half = False
        with safe_open(weights_file, framework="np") as weights:
            rows = weights.get_slice(_first(weights.keys(), ".wte.weight")).get_shape()[0]
            _add_vocabulary(writer, gguf, vocab, rows)
            for key in weights.keys():
                if key.endswith(_NOT_WEIGHTS):
                    continue
                mapped = names.get_name(key, try_suffixes=(".weight", ".bias"))
                if mapped is None:
                    raise ModelError(tr("{file} has a tensor {tensor} that a GPT-2 does not have."),
                                     file=weights_file, tensor=key)
                data = weights.get_tensor(key)
                if key.endswith(_CONV1D):
                    data = np.ascontiguousarray(data.T)
                # llama.cpp reads norms and biases as float32; matrices keep their half precision.
                if data.ndim == 1 or data.dtype not in (np.float16, np.float32):
                    data = data.astype(np.float32)
                half = half or data.dtype == np.float16
                writer.add_tensor(mapped, data)
                if progress:
                    progress(key)
        writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if half else gguf.LlamaFileType.ALL_F32)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(temporary, target)
    except OSError as error:
        raise ModelError(
            tr("{file} cannot be written ({reason})."), file=target, reason=error.strerror or error
        ) from error
    finally:
        writer.close()
        temporary.unlink(missing_ok=True)
    return target


def _first(keys, suffix: str) -> str:
    return next(key for key in keys if key.endswith(suffix))


def _sentencepiece_vocab(folder: Path) -> dict:
    """Pieces, scores and ids of special tokens from a SentencePiece-style BPE tokenizer.json."""
    path = folder / "tokenizer.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    model = data.get("model") or {}
    metaspace = "Metaspace" in json.dumps(data.get("pre_tokenizer"))
    if model.get("type", "BPE") != "BPE" or "vocab" not in model or not metaspace:
        raise ModelError(
            tr("The tokenizer of {folder} is not a SentencePiece-style one like KoGPT2's; export it with "
               "llama.cpp's convert_hf_to_gguf.py instead."), folder=folder,
        )
    pieces = {token_id: piece for piece, token_id in model["vocab"].items()}
    added = {token["id"]: token["content"] for token in data.get("added_tokens", [])}
    pieces.update(added)
    score = {}
    for rank, merge in enumerate(model.get("merges", [])):
        merged = "".join(merge.split(" ") if isinstance(merge, str) else merge)
        score.setdefault(merged, -float(rank))
    tokenizer = load_tokenizer(folder)  # the special tokens as the engine itself reads them
    specials = {"bos": tokenizer.bos_token_id, "eos": tokenizer.eos_token_id, "unk": tokenizer.unk_token_id,
                "pad": tokenizer.pad_token_id}
    return {"pieces": pieces, "added": set(added), "scores": score, "specials": specials,
            "control": set(control_token_ids(tokenizer))}


def _add_vocabulary(writer, gguf, vocab: dict, rows: int) -> None:
    """The `llama`-type vocabulary, padded with unused tokens to the embedding's rows."""
    pieces, tokens, scores, types = vocab["pieces"], [], [], []
    for token_id in range(max(rows, max(pieces) + 1)):
        piece = pieces.get(token_id)
        if piece is None:
            tokens.append(f"<unused_row{token_id}>")
            scores.append(-1e9)
            types.append(gguf.TokenType.UNUSED)
            continue
        tokens.append(piece)
        scores.append(vocab["scores"].get(piece, 0.0))
        if piece == "<unk>":
            types.append(gguf.TokenType.UNKNOWN)
        elif token_id in vocab["control"] or token_id in (vocab["specials"]["eos"], vocab["specials"]["bos"]):
            types.append(gguf.TokenType.CONTROL)
        elif token_id in vocab["added"]:
            types.append(gguf.TokenType.USER_DEFINED)  # emoji and emoticons: whole pieces of text
        else:
            types.append(gguf.TokenType.NORMAL)
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    for role, token_id in vocab["specials"].items():
        if token_id is not None:
            getattr(writer, f"add_{role}_token_id")(token_id)
    writer.add_add_bos_token(False)  # KoGPT2 was trained without one; Storyteller sends its own ids anyway
    writer.add_add_eos_token(False)
    writer.add_add_space_prefix(True)
