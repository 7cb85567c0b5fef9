"""Finding out what a server is and can do, once per connection: its API (llama.cpp's native one, or
OpenAI-compatible, with vLLM's extras), its models, its context size, whether it tokenizes like our
tokenizer (then we send and read token ids), and which of our settings it ignores."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import httpx2

from storyteller.engine.core.errors import tr
from storyteller.engine.servers.errors import ContextTooSmall, NoModelError, UnreadableAnswer, WrongApiError
from storyteller.engine.servers.http import MALFORMED, check_status, json_of, make_client, talking_to
from storyteller.engine.servers.registry import ServerEntry
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import LLAMA_CPP, OPENAI_COMPATIBLE, VLLM, Setting

# Features a connection may have (ServerInfo.features):
TOKEN_IDS = "token_ids"  # the server's vocabulary is our tokenizer's: we send ids and decode its ids
TOKENIZE = "tokenize"  # /tokenize counts the budget in the server's own tokens

# Tokenized by us and by the server to see whether the vocabularies agree: words, particles, spacing,
# a line break, punctuation, an emoji.
_TOKENIZER_PROBE = "옛날 옛적에, 산골 마을에는 한 소년이 살았다.\n\"어디 가니?\" 😤"


@dataclass
class ServerInfo:
    api: str  # the route we write with: "llama.cpp" (/completion) or "openai" (/v1/completions)
    models: list[str]
    n_ctx: int | None
    features: frozenset[str] = frozenset()
    ignored_settings: list[str] = field(default_factory=list)
    model: str = ""  # the model requests name ("" where the server has just one)
    # What the server is, whichever route: "llama.cpp", "vLLM" or "OpenAI-compatible" (schema.SERVER_APIS),
    # the key of the settings' declarations of how it takes them. Default: what the route suggests.
    flavour: str = ""

    def __post_init__(self):
        self.flavour = self.flavour or (LLAMA_CPP if self.api == "llama.cpp" else OPENAI_COMPATIBLE)

    @property
    def kind(self) -> str:
        """What the server is, and through which API where that is not its own: "vLLM", "llama.cpp (OpenAI API)"."""
        return "llama.cpp (OpenAI API)" if self.api == "openai" and self.flavour == LLAMA_CPP else self.flavour

    def describe(self, url: str) -> str:
        """For the UI: "llama.cpp at http://…", "vLLM at https://… (model)"."""
        return f"{self.kind} at {url}" + (f" ({self.model})" if self.model else "")


def ignored_settings(flavour: str, our_ids: bool) -> list[str]:
    """The generation settings a `flavour` server ignores, as their declarations say (`our_ids`: it
    shares our tokenizer, so what we apply with token ids works too)."""
    return [item.name for item in GenerationSettings.describe() if item.servers[flavour].ignored_with(our_ids)]


def ignored_in(info: ServerInfo, settings: GenerationSettings) -> list[Setting]:
    """The settings of a request that `info`'s server ignores though they would change the text (away from
    their neutral value, or without one): what a front end warns about before writing there."""
    return [item for item in GenerationSettings.describe()
            if item.name in info.ignored_settings and settings.applies(item.name)]


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
    flavour = LLAMA_CPP if is_llama else VLLM if is_vllm else OPENAI_COMPATIBLE
    info = ServerInfo(
        api="llama.cpp" if is_llama and entry.api != "openai" else "openai", models=models,
        n_ctx=_context_size(props, models_list), features=frozenset({TOKENIZE} if is_llama or is_vllm else ()),
        model=entry.model or (models[0] if len(models) == 1 and not is_llama else ""), flavour=flavour,
    )
    if TOKENIZE in info.features and _same_tokenizer(client, info, tokenizer or bundled_tokenizer(), entry):
        info.features = info.features | {TOKEN_IDS}
    info.ignored_settings = ignored_settings(flavour, TOKEN_IDS in info.features)
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


def server_tokenize(client: httpx2.Client, info: ServerInfo, text: str, entry: ServerEntry) -> list[int]:
    """The server's own token ids for `text` (llama.cpp and vLLM /tokenize), without special tokens;
    [] when it has no /tokenize, UnreadableAnswer when its answer is not a list of ids."""
    if info.flavour == LLAMA_CPP:
        response = client.post("/tokenize", json={"content": text, "add_special": False})
    else:
        payload = {"prompt": text, "add_special_tokens": False, **({"model": info.model} if info.model else {})}
        response = client.post("/tokenize", json=payload)
    response.read()
    if response.status_code >= 400:
        return []
    data = json_of(response, entry)
    try:
        return [int(token["id"] if isinstance(token, dict) else token) for token in data.get("tokens", [])]
    except MALFORMED as error:
        raise UnreadableAnswer(tr("{name} answered /tokenize with something that is not a list of token ids."),
                               name=entry.name) from error


def _same_tokenizer(client: httpx2.Client, info: ServerInfo, tokenizer, entry: ServerEntry) -> bool:
    try:
        return server_tokenize(client, info, _TOKENIZER_PROBE, entry) == tokenizer.encode(_TOKENIZER_PROBE)
    except (httpx2.HTTPError, UnreadableAnswer, *MALFORMED):
        return False  # then text goes to it, not ids


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
    settings = props.get("default_generation_settings") if isinstance(props, dict) else None
    if isinstance(settings, dict) and _whole(settings.get("n_ctx")):
        return _whole(settings["n_ctx"])
    for item in models_list:
        if isinstance(item, dict):
            meta = item.get("meta")
            size = _whole(item.get("max_model_len")) or (_whole(meta.get("n_ctx")) if isinstance(meta, dict) else None)
            if size:
                return size
    return None


def _whole(value) -> int | None:
    """A positive whole number as a server may write it (1024, 1024.0, "1024"); None for anything else."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1 and float(value).is_integer():
        return int(value)
    return None
