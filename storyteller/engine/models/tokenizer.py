"""Loading KoGPT2-style tokenizers and turning generated ids back into text without losing any.

KoGPT2's `tokenizer.json` has three traps:
- all 375 added tokens, the emoticons and emoji among them, are flagged special, so
  `skip_special_tokens=True` silently deletes 😤 or ㅠㅠ: we always decode with it off and
  instead never *generate* the control tokens (see `control_token_ids`);
- text after an added token gets a spurious ▁ (see `_prepend_space_only_at_start`);
- its NFKC normalizer turns compatibility jamo (ㅋ U+314B) into conjoining jamo (ᄏ U+110F), so
  "ㅋㅋ" would come back as look-alike characters; `decode` maps them back.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from tokenizers import Tokenizer

from storyteller.engine.core.errors import ModelError, tr

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerFast

# The special tokens of skt/kogpt2-base-v2, by content (ids 0-8 in its vocabulary).
KOGPT2_SPECIALS = {
    "bos_token": "</s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
}
# Tokens that end a document: generation stops when it samples one of these.
STOP_TOKENS = ("</s>", "</d>", "<|endoftext|>")
# Control tokens look like <name>, </name> or <|name|>; emoticons such as ":-)" or "<3" do not.
_CONTROL_TOKEN = re.compile(r"^<\|?/?[A-Za-z_][A-Za-z0-9_]*\|?>$")

# NFKC sends each compatibility jamo (U+3131-U+318E) to one conjoining jamo; invert that.
_CONJOINING_TO_COMPAT = {}
for _code in range(0x3131, 0x318F):
    _compat = chr(_code)
    _nfkc = unicodedata.normalize("NFKC", _compat)
    if len(_nfkc) == 1 and _nfkc != _compat:
        _CONJOINING_TO_COMPAT.setdefault(_nfkc, _compat)
_JAMO_TABLE = str.maketrans(_CONJOINING_TO_COMPAT)


class FastTokenizer:
    """A `tokenizer.json` through the `tokenizers` library, with the part of transformers'
    PreTrainedTokenizerFast interface Storyteller uses (encode, decode, the special tokens, the
    vocabulary, offsets). Anything else is passed to a PreTrainedTokenizerFast built on first use.

    Why not PreTrainedTokenizerFast itself: importing transformers takes 1.3-1.5 s here, most of
    the start-up budget of a model that decodes on ONNX Runtime without it (engine/runtimes).
    """

    SPECIAL_KEYS = ("bos_token", "eos_token", "unk_token", "pad_token", "mask_token")

    def __init__(self, backend: Tokenizer):
        self.backend_tokenizer = backend
        self._specials: dict[str, str] = {}
        self._transformers: PreTrainedTokenizerFast | None = None
        self._vocab: dict[str, int] | None = None  # building it costs ~30 ms a call

    def __len__(self) -> int:
        return self.backend_tokenizer.get_vocab_size(with_added_tokens=True)

    def __getattr__(self, name: str):
        """bos_token / bos_token_id and the like; else transformers' tokenizer's attribute."""
        if name.endswith("_id") and name[:-3] in self.SPECIAL_KEYS:
            token = self._specials.get(name[:-3])
            return None if token is None else self.backend_tokenizer.token_to_id(token)
        if name in self.SPECIAL_KEYS:
            return self._specials.get(name)
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.transformers_tokenizer(), name)

    def transformers_tokenizer(self) -> PreTrainedTokenizerFast:
        if self._transformers is None:
            from transformers import PreTrainedTokenizerFast

            self._transformers = PreTrainedTokenizerFast(tokenizer_object=self.backend_tokenizer)
            if self._specials:
                self._transformers.add_special_tokens(dict(self._specials))
        return self._transformers

    def add_special_tokens(self, specials: dict[str, str]) -> None:
        self.backend_tokenizer.add_special_tokens(list(dict.fromkeys(specials.values())))
        self._specials.update(specials)
        self._vocab = None
        if self._transformers is not None:
            self._transformers.add_special_tokens(dict(specials))

    def encode(self, text: str, add_special_tokens: bool = True, **options) -> list[int]:
        if options:
            return self.transformers_tokenizer().encode(text, add_special_tokens=add_special_tokens, **options)
        return self.backend_tokenizer.encode(text, add_special_tokens=add_special_tokens).ids

    def decode(self, ids, skip_special_tokens: bool = False, clean_up_tokenization_spaces: bool = False) -> str:
        if clean_up_tokenization_spaces:
            return self.transformers_tokenizer().decode(
                ids, skip_special_tokens=skip_special_tokens, clean_up_tokenization_spaces=True
            )
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        return self.backend_tokenizer.decode(ids, skip_special_tokens=skip_special_tokens)

    def __call__(self, text, return_offsets_mapping: bool = False, return_tensors: str | None = None, **options):
        if options or not isinstance(text, str) or return_tensors not in (None, "pt", "np"):
            return self.transformers_tokenizer()(
                text, return_offsets_mapping=return_offsets_mapping, return_tensors=return_tensors, **options
            )
        encoding = self.backend_tokenizer.encode(text)
        found = {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask}
        if return_offsets_mapping:
            found["offset_mapping"] = encoding.offsets
        if return_tensors == "pt":
            import torch

            found = {key: torch.tensor([value]) for key, value in found.items()}
        elif return_tensors == "np":
            import numpy

            found = {key: numpy.array([value]) for key, value in found.items()}
        return _Encoding(found)

    def get_vocab(self) -> dict[str, int]:
        if self._vocab is None:
            self._vocab = self.backend_tokenizer.get_vocab(with_added_tokens=True)
        return dict(self._vocab)

    def convert_ids_to_tokens(self, ids):
        if isinstance(ids, int):
            return self.backend_tokenizer.id_to_token(ids)
        return [self.backend_tokenizer.id_to_token(int(i)) for i in ids]

    def convert_tokens_to_ids(self, tokens):
        if isinstance(tokens, str):
            found = self.backend_tokenizer.token_to_id(tokens)
            return self.unk_token_id if found is None else found
        return [self.convert_tokens_to_ids(token) for token in tokens]


class _Encoding(dict):
    """What calling a tokenizer returns: a dict whose keys are also attributes (input_ids …)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def load_tokenizer(folder: Path) -> FastTokenizer | PreTrainedTokenizerFast:
    """The tokenizer of a model folder: `tokenizer.json`, or GPT-2's `vocab.json` + `merges.txt`."""
    folder = Path(folder)
    tokenizer_file = folder / "tokenizer.json"
    try:
        if tokenizer_file.is_file():
            data = json.loads(tokenizer_file.read_text(encoding="utf-8"))
            _prepend_space_only_at_start(data)
            tokenizer = FastTokenizer(Tokenizer.from_str(json.dumps(data)))
        elif (folder / "vocab.json").is_file() and (folder / "merges.txt").is_file():
            from transformers import GPT2TokenizerFast

            tokenizer = GPT2TokenizerFast(
                vocab_file=str(folder / "vocab.json"), merges_file=str(folder / "merges.txt")
            )
        else:
            raise ModelError(
                tr("{folder} has no tokenizer: expected tokenizer.json (or vocab.json and merges.txt)."), folder=folder
            )
    except ModelError:
        raise
    except Exception as error:  # tokenizers raises bare Exception subclasses on bad JSON
        raise ModelError(
            tr("The tokenizer in {folder} cannot be read ({reason}); the file may be corrupt."),
            folder=folder, reason=str(error),
        ) from error
    _set_special_tokens(tokenizer, folder)
    return tokenizer


def _prepend_space_only_at_start(data: dict) -> None:
    """Make SentencePiece-style ▁ prefixing apply to the start of the text only.

    With the file's setting every piece of text after an added token gets a ▁ too, so
    "😤\n" comes back as "😤 \n" and "a😤b" as "a😤 b": lossy. SentencePiece, which KoGPT2
    was trained with, does not do that; "first" matches it and keeps both published examples.
    """
    for part in (data.get("pre_tokenizer"), data.get("decoder")):
        steps = part.get("pretokenizers", [part]) if isinstance(part, dict) else []
        for step in steps:
            if isinstance(step, dict) and step.get("type") == "Metaspace":
                step.pop("add_prefix_space", None)
                step["prepend_scheme"] = "first"


def _set_special_tokens(tokenizer: PreTrainedTokenizerFast, folder: Path) -> None:
    vocab = tokenizer.get_vocab()
    if all(content in vocab for content in KOGPT2_SPECIALS.values()):
        tokenizer.add_special_tokens(dict(KOGPT2_SPECIALS))
        return
    # Other GPT-2 families name their specials in special_tokens_map.json, or use <|endoftext|>.
    specials_file = folder / "special_tokens_map.json"
    specials = {}
    if specials_file.is_file():
        for key, value in json.loads(specials_file.read_text(encoding="utf-8")).items():
            content = value.get("content") if isinstance(value, dict) else value
            if isinstance(content, str) and content in vocab:
                specials[key] = content
    elif "<|endoftext|>" in vocab:
        specials = {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>"}
    if specials:
        tokenizer.add_special_tokens(specials)


def stop_token_ids(tokenizer: PreTrainedTokenizerFast) -> list[int]:
    vocab = tokenizer.get_vocab()
    ids = {vocab[token] for token in STOP_TOKENS if token in vocab}
    if tokenizer.eos_token_id is not None:
        ids.add(tokenizer.eos_token_id)
    return sorted(ids)


def control_token_ids(tokenizer: PreTrainedTokenizerFast) -> list[int]:
    """Ids of tokens a story must never contain (<unk>, <pad>, <usr>, <unused7>, <s> …).

    Found by scanning the vocabulary, so other KoGPT2 variants with other ids work too. Stop
    tokens are excluded: they end generation instead.
    """
    stops = set(stop_token_ids(tokenizer))
    banned = {
        token_id
        for token, token_id in tokenizer.get_vocab().items()
        if token_id not in stops and _CONTROL_TOKEN.match(token)
    }
    if tokenizer.unk_token_id is not None:
        banned.add(tokenizer.unk_token_id)
    return sorted(banned)


def decode(tokenizer: PreTrainedTokenizerFast, ids) -> str:
    """Ids to text, keeping emoji and restoring the jamo the normalizer changed."""
    text = tokenizer.decode(list(ids), skip_special_tokens=False, clean_up_tokenization_spaces=False)
    return text.translate(_JAMO_TABLE)


class StreamDecoder:
    """The text of a growing list of generated ids, for streaming.

    Decoding token by token loses the spaces that SentencePiece's ▁ marks and splits multi-byte
    characters, so the whole generated span is decoded behind a few context tokens (whose text
    is subtracted). `stable_text` leaves out a trailing U+FFFD, the mark of a byte sequence that
    the next token will complete.
    """

    CONTEXT_TOKENS = 4

    def __init__(self, tokenizer: PreTrainedTokenizerFast, context_ids):
        self._tokenizer = tokenizer
        self._context = list(context_ids)[-self.CONTEXT_TOKENS :]
        self._context_text = decode(tokenizer, self._context)
        self.ids: list[int] = []

    def push(self, token_id: int) -> None:
        self.ids.append(int(token_id))

    def text(self) -> str:
        full = decode(self._tokenizer, self._context + self.ids)
        if full.startswith(self._context_text):
            return full[len(self._context_text) :]
        # Normalisation merged the context's end with the new text; decoding the span alone
        # at worst loses one leading space.
        return decode(self._tokenizer, self.ids)

    def stable_text(self) -> str:
        return self.text().rstrip("\ufffd")
