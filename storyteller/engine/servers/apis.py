"""The two wire formats: llama.cpp's native /completion and OpenAI-compatible /v1/completions.

Each turns our settings into a request body and each streamed event into a `Chunk`; the backend
(backend.py) does the rest the same way for both."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from storyteller.engine.decode.requests import TokenChoice
from storyteller.engine.servers.probing import LLAMA_EXTRAS, VLLM_EXTRAS, ServerInfo
from storyteller.engine.settings.generation import GenerationSettings

# OpenAI's logit_bias range; a ban is its floor.
OPENAI_BIAS_LIMIT = 100.0
# OpenAI caps logprobs at 5 on /v1/completions; llama.cpp and vLLM take more.
OPENAI_MAX_LOGPROBS = 5


@dataclass
class Chunk:
    """One streamed event: new token ids (when the server sends them) and text, the likeliest
    alternatives at each new position, and at the end why it stopped."""

    ids: list[int] = field(default_factory=list)
    text: str = ""
    top: list[list[TokenChoice]] = field(default_factory=list)  # per new token
    stop_reason: str | None = None  # "end", "stop_string" or "length"
    cached_tokens: int | None = None


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
        greedy = settings.greedy
        body = {
            "prompt": prompt, "n_predict": settings.max_new_tokens, "stream": stream, "cache_prompt": True,
            "return_tokens": True, "seed": seed,
            "temperature": 0.0 if greedy else settings.temperature,
            "top_k": 1 if greedy else settings.top_k, "top_p": settings.top_p, "typical_p": settings.typical_p,
            "min_p": 0.0,  # llama.cpp's default of 0.05 is not one of our settings: off, like locally
            "repeat_penalty": settings.repetition_penalty,
            "repeat_last_n": _penalty_window(settings, self.info),
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
        greedy = settings.greedy
        features = self.info.features
        body = {
            "prompt": prompt, "max_tokens": settings.max_new_tokens, "stream": stream, "seed": seed, "n": 1,
            "temperature": 0.0 if greedy else settings.temperature, "top_p": 1.0 if greedy else settings.top_p,
            "logit_bias": {str(token): -OPENAI_BIAS_LIMIT if value is False else
                           max(-OPENAI_BIAS_LIMIT, min(OPENAI_BIAS_LIMIT, value)) for token, value in bias.items()},
        }
        if self.info.model:
            body["model"] = self.info.model
        if isinstance(prompt, str) and settings.stop_strings:
            body["stop"] = list(settings.stop_strings)[:4]  # OpenAI takes four; the rest we stop at ourselves
        wants_ids = not isinstance(prompt, str)
        if LLAMA_EXTRAS in features:
            body.update(top_k=1 if greedy else settings.top_k, typical_p=settings.typical_p, min_p=0.0,
                        repeat_penalty=settings.repetition_penalty,
                        repeat_last_n=_penalty_window(settings, self.info), cache_prompt=True)
            if wants_ids or top_k:  # llama.cpp's /v1 route gives ids only with the log-probabilities
                body["logprobs"] = max(1, top_k)
        elif VLLM_EXTRAS in features:
            body.update(top_k=1 if greedy else (settings.top_k or -1), min_p=0.0,
                        repetition_penalty=settings.repetition_penalty, min_tokens=settings.min_new_tokens,
                        return_token_ids=wants_ids, skip_special_tokens=False)
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


def _penalty_window(settings: GenerationSettings, info: ServerInfo) -> int:
    """llama.cpp's repeat_last_n: our 0 means the whole text, its 0 means off, so 0 becomes the context."""
    return settings.repetition_penalty_range or info.n_ctx or 4096
