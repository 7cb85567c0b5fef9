"""Finding out what a server is and can do, once per connection: its API (llama.cpp's native one, or
OpenAI-compatible, with vLLM's extras), its models, its context size, whether it tokenizes like our
tokenizer (then we send and read token ids), and which of our settings it ignores."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import httpx2

from storyteller.engine.core.errors import tr
from storyteller.engine.servers.errors import ContextTooSmall, NoModelError, WrongApiError
from storyteller.engine.servers.http import check_status, make_client, talking_to
from storyteller.engine.servers.registry import ServerEntry

# Features a connection may have (ServerInfo.features):
TOKEN_IDS = "token_ids"  # the server's vocabulary is our tokenizer's: we send ids and decode its ids
TOKENIZE = "tokenize"  # /tokenize counts the budget in the server's own tokens
LLAMA_EXTRAS = "llama_extras"  # llama.cpp's sampling fields (top_k, typical_p, repeat_penalty…), also on /v1
VLLM_EXTRAS = "vllm_extras"  # vLLM's top_k, repetition_penalty, min_p, min_tokens, return_token_ids, ids prompts

# What each kind of server does not do of our generation settings (the UI says so).
_IGNORED_BY_LLAMA_CPP = ["min_new_tokens", "repetition_penalty_slope", "no_repeat_ngram_size"]
_IGNORED_BY_VLLM = ["typical_p", "repetition_penalty_range", "repetition_penalty_slope", "no_repeat_ngram_size"]
_IGNORED_BY_OPENAI = ["min_new_tokens", "top_k", "typical_p", "repetition_penalty", "repetition_penalty_range",
                      "repetition_penalty_slope", "no_repeat_ngram_size"]

# Tokenized by us and by the server to see whether the vocabularies agree: words, particles, spacing,
# a line break, punctuation, an emoji.
_TOKENIZER_PROBE = "옛날 옛적에, 산골 마을에는 한 소년이 살았다.\n\"어디 가니?\" 😤"


@dataclass
class ServerInfo:
    api: str  # "llama.cpp" or "openai"
    models: list[str]
    n_ctx: int | None
    features: frozenset[str] = frozenset()
    ignored_settings: list[str] = field(default_factory=list)
    model: str = ""  # the model requests name ("" where the server has just one)
    flavour: str = ""  # what the server said it is, for the UI: "llama.cpp", "vLLM", "OpenAI-compatible"

    def describe(self, url: str) -> str:
        """For the UI: "llama.cpp at http://…", "vLLM at https://… (model)"."""
        kind = self.flavour or self.api
        if self.api == "openai" and self.flavour == "llama.cpp":
            kind = "llama.cpp (OpenAI API)"
        return f"{kind} at {url}" + (f" ({self.model})" if self.model else "")


def probe(entry: ServerEntry, api_key: str | None = None, tokenizer=None) -> ServerInfo:
    """What `entry`'s server is. `tokenizer` is ours to compare with the server's (default: KoGPT2's)."""
    with make_client(entry, api_key) as client, talking_to(entry):
        return probe_with(client, entry, tokenizer)


def probe_with(client: httpx2.Client, entry: ServerEntry, tokenizer=None) -> ServerInfo:
    props = _get_json(client, "/props", entry) if entry.api in ("auto", "llama.cpp") else None
    is_llama = isinstance(props, dict) and "default_generation_settings" in props
    models_data = _get_json(client, "/v1/models", entry)
    models_list = models_data.get("data") if isinstance(models_data, dict) else None
    if not is_llama and not isinstance(models_list, list):
        raise _wrong_api(entry)
    models_list = models_list or []
    models = [str(item.get("id")) for item in models_list if isinstance(item, dict) and item.get("id")]
    owner = {str(item.get("owned_by", "")).lower() for item in models_list if isinstance(item, dict)}
    is_llama = is_llama or "llamacpp" in owner
    is_vllm = "vllm" in owner
    if not models and not is_llama:
        raise NoModelError(tr("{name} has no model loaded. Load one on the server, then test again."),
                           name=entry.name)
    if entry.model and models and entry.model not in models:
        raise NoModelError(tr("{name} does not serve the model {model}. It serves: {models}."),
                           name=entry.name, model=entry.model, models=", ".join(models))
    features = set()
    if is_llama:
        features |= {LLAMA_EXTRAS, TOKENIZE}
    if is_vllm:
        features |= {VLLM_EXTRAS, TOKENIZE}
    api = "llama.cpp" if is_llama and entry.api != "openai" else "openai"
    info = ServerInfo(
        api=api, models=models, n_ctx=_context_size(props, models_list), features=frozenset(features),
        ignored_settings=list(_IGNORED_BY_LLAMA_CPP if is_llama else _IGNORED_BY_VLLM if is_vllm
                              else _IGNORED_BY_OPENAI),
        model=entry.model or (models[0] if len(models) == 1 and not is_llama else ""),
        flavour="llama.cpp" if is_llama else "vLLM" if is_vllm else "OpenAI-compatible",
    )
    if TOKENIZE in features and _same_tokenizer(client, info, tokenizer or bundled_tokenizer()):
        info.features = info.features | {TOKEN_IDS}
        # With our ids the minimum length works everywhere: the end token is banned until it is reached.
        info.ignored_settings = [name for name in info.ignored_settings if name != "min_new_tokens"]
    return info


def _wrong_api(entry: ServerEntry) -> WrongApiError:
    if entry.api == "llama.cpp":
        return WrongApiError(tr("{url} answers, but it is not a llama.cpp server (no /props). Check the address "
                                "and port, or set the API type to auto."), url=entry.url)
    if entry.api == "openai":
        return WrongApiError(tr("{url} answers, but it is not an OpenAI-compatible server (no /v1/models). Check "
                                "the address and port, or set the API type to auto."), url=entry.url)
    return WrongApiError(tr("{url} answers, but it is not a llama.cpp or OpenAI-compatible server (no /props or "
                            "/v1/models). Check the address and port."), url=entry.url)


def check_context(info: ServerInfo, needed_tokens: int) -> None:
    """Raise ContextTooSmall when the server's context cannot hold `needed_tokens` (memory, notes and
    the length to write, as the context builder counts them)."""
    if info.n_ctx is not None and needed_tokens > info.n_ctx:
        raise ContextTooSmall(
            tr("The server's context holds {n_ctx} tokens, but the story needs {needed} (memory, notes and the "
               "length to write). Shorten the memory or the length, or start the server with a larger context "
               "(llama-server -c)."),
            n_ctx=info.n_ctx, needed=needed_tokens,
        )


@functools.cache
def bundled_tokenizer():
    """KoGPT2's tokenizer, shipped in resources/: what KoGPT2-family models on a server use."""
    from storyteller.engine.core.paths import resource
    from storyteller.engine.models.tokenizer import load_tokenizer

    return load_tokenizer(resource("tokenizer", "kogpt2"))


def server_tokenize(client: httpx2.Client, info: ServerInfo, text: str) -> list[int]:
    """The server's own token ids for `text` (llama.cpp and vLLM /tokenize), without special tokens."""
    if info.api == "llama.cpp" or LLAMA_EXTRAS in info.features:
        response = client.post("/tokenize", json={"content": text, "add_special": False})
    else:
        payload = {"prompt": text, "add_special_tokens": False, **({"model": info.model} if info.model else {})}
        response = client.post("/tokenize", json=payload)
    response.read()
    if response.status_code >= 400:
        return []
    tokens = response.json().get("tokens", [])
    return [token["id"] if isinstance(token, dict) else int(token) for token in tokens]


def _same_tokenizer(client: httpx2.Client, info: ServerInfo, tokenizer) -> bool:
    try:
        return server_tokenize(client, info, _TOKENIZER_PROBE) == tokenizer.encode(_TOKENIZER_PROBE)
    except (httpx2.HTTPError, ValueError):
        return False


def _get_json(client: httpx2.Client, path: str, entry: ServerEntry):
    """The JSON a GET returns; None for a page that is not there or not JSON (another kind of server)."""
    response = client.get(path)
    response.read()
    if response.status_code in (404, 405):
        return None
    check_status(response, entry)
    try:
        return response.json()
    except ValueError:
        return None


def _context_size(props, models_list) -> int | None:
    if isinstance(props, dict):
        n_ctx = (props.get("default_generation_settings") or {}).get("n_ctx")
        if n_ctx:
            return int(n_ctx)
    for item in models_list:
        if isinstance(item, dict):
            size = item.get("max_model_len") or (item.get("meta") or {}).get("n_ctx")
            if size:
                return int(size)
    return None
