"""The two wire formats: llama.cpp's native /completion and OpenAI-compatible /v1/completions.

Each turns a request into a body and each streamed event into a `Chunk`; the server generator
(generator.py) does the rest the same way for both. The generation settings go into the body as
their declarations say for the kind of server (`settings_body`, settings/generation.py's
`servers=`); what is written here is the route's own: the prompt, streaming, logit bias, the
likeliest alternatives, the prompt cache."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from storyteller.engine.decode.requests import TokenChoice
from storyteller.engine.servers.probing import ServerInfo
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import LLAMA_CPP, VLLM, SentAs, WireRequest

# OpenAI's logit_bias range; a ban is its floor.
OPENAI_BIAS_LIMIT = 100.0
# OpenAI caps logprobs at 5 on /v1/completions; llama.cpp and vLLM take more.
OPENAI_MAX_LOGPROBS = 5
# Server defaults that are no setting of ours, switched off as locally (llama.cpp's min_p is 0.05). A
# setting declared with the same key (a min_p slider) overrides them.
SWITCHED_OFF = {LLAMA_CPP: {"min_p": 0.0}, VLLM: {"min_p": 0.0}}


@dataclass
class Chunk:
    """One streamed event: new token ids (when the server sends them) and text, the likeliest
    alternatives at each new position, and at the end why it stopped."""

    ids: list[int] = field(default_factory=list)
    text: str = ""
    top: list[list[TokenChoice]] = field(default_factory=list)  # per new token
    stop_reason: str | None = None  # "end", "stop_string" or "length"
    cached_tokens: int | None = None


def settings_body(settings: GenerationSettings, info: ServerInfo, seed: int, text_prompt: bool) -> dict:
    """The body keys of every setting that `info`'s kind of server takes, as declared."""
    wire = WireRequest(settings, seed, info.n_ctx, text_prompt)
    body = dict(SWITCHED_OFF.get(info.flavour, {}))
    for item in GenerationSettings.describe():
        way = item.servers[info.flavour]
        if isinstance(way, SentAs):
            value = getattr(settings, item.name)
            value = way.convert(value, wire) if way.convert is not None else value
            if value is not None:
                body[way.key] = value
    return body


def _probabilities(entries) -> list[TokenChoice]:
    """llama.cpp's (and its /v1 route's) top_logprobs: [{id, token, logprob}], token text with its space."""
    return [TokenChoice(int(item["id"]), item.get("token", ""), math.exp(item["logprob"]))
            for item in entries or [] if "id" in item and "logprob" in item]


class LlamaCppApi:
    path = "/completion"

    def __init__(self, info: ServerInfo):
        self.info = info

    def body(self, prompt, settings: GenerationSettings, seed: int, bias: dict[int, float | bool],
             top_k: int, stream: bool = True) -> dict:
        body = {
            "prompt": prompt, "stream": stream, "cache_prompt": True, "return_tokens": True,
            **settings_body(settings, self.info, seed, text_prompt=isinstance(prompt, str)),
            "logit_bias": [[token, value] for token, value in bias.items()],
            "n_probs": top_k,
        }
        if self.info.model:
            body["model"] = self.info.model
        return body

    @staticmethod
    def parse(data: dict) -> Chunk:
        chunk = Chunk(ids=[int(i) for i in data.get("tokens") or []], text=data.get("content", ""))
        chunk.top = [_probabilities(item.get("top_logprobs") or item.get("top_probs"))
                     for item in data.get("completion_probabilities") or []]
        if data.get("stop"):
            chunk.stop_reason = {"eos": "end", "word": "stop_string"}.get(data.get("stop_type"), "length")
            chunk.cached_tokens = (data.get("timings") or {}).get("cache_n")
        return chunk


class OpenAiApi:
    path = "/v1/completions"

    def __init__(self, info: ServerInfo):
        self.info = info

    def body(self, prompt, settings: GenerationSettings, seed: int, bias: dict[int, float | bool],
             top_k: int, stream: bool = True) -> dict:
        wants_ids = not isinstance(prompt, str)
        body = {
            "prompt": prompt, "stream": stream, "n": 1,
            **settings_body(settings, self.info, seed, text_prompt=not wants_ids),
            "logit_bias": {str(token): -OPENAI_BIAS_LIMIT if value is False else
                           max(-OPENAI_BIAS_LIMIT, min(OPENAI_BIAS_LIMIT, value)) for token, value in bias.items()},
        }
        if self.info.model:
            body["model"] = self.info.model
        if self.info.flavour == LLAMA_CPP:
            body["cache_prompt"] = True
            if wants_ids or top_k:  # llama.cpp's /v1 route gives ids only with the log-probabilities
                body["logprobs"] = max(1, top_k)
        elif self.info.flavour == VLLM:
            body.update(return_token_ids=wants_ids, skip_special_tokens=False)
            if top_k:
                body["logprobs"] = top_k
        elif top_k:
            body["logprobs"] = min(top_k, OPENAI_MAX_LOGPROBS)
        return body

    @staticmethod
    def parse(data: dict) -> Chunk:
        choices = data.get("choices") or [{}]
        choice = choices[0]
        chunk = Chunk(text=choice.get("text") or "")
        logprobs = choice.get("logprobs") or {}
        content = logprobs.get("content") if isinstance(logprobs, dict) else None
        if choice.get("token_ids") is not None:  # vLLM's return_token_ids
            chunk.ids = [int(i) for i in choice["token_ids"]]
        elif content:  # llama.cpp's /v1 route: per token {id, token, logprob, top_logprobs}
            chunk.ids = [int(item["id"]) for item in content if "id" in item]
        if content:
            chunk.top = [_probabilities(item.get("top_logprobs")) for item in content]
        elif isinstance(logprobs, dict) and logprobs.get("top_logprobs"):  # OpenAI's shape: {text: logprob}
            chunk.top = [[TokenChoice(-1, text, math.exp(value)) for text, value in
                          sorted(row.items(), key=lambda pair: -pair[1])] for row in logprobs["top_logprobs"] if row]
        reason = choice.get("finish_reason")
        if reason:
            chunk.stop_reason = "length" if reason == "length" else "end"
            if isinstance(choice.get("stop_reason"), str):  # vLLM names the stop string it met
                chunk.stop_reason = "stop_string"
            usage = data.get("usage") or {}
            chunk.cached_tokens = ((data.get("timings") or {}).get("cache_n")
                                   or (usage.get("prompt_tokens_details") or {}).get("cached_tokens"))
        return chunk


def api_for(info: ServerInfo):
    return LlamaCppApi(info) if info.api == "llama.cpp" else OpenAiApi(info)

