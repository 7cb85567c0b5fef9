"""A model on a server, run like the local one: ServerGenerator is the local Generator's sibling on the
same shell (engine/decode/runner.py's RequestRunner), so the GUI worker, the CLI, adventure and chat,
candidates, the next-words panel and the benchmarks run on a server without a second code path.

With a KoGPT2-family model on the server (its /tokenize agrees with our tokenizer) we send the ids we
tokenized and decode the ids it sends back ourselves, exactly as the local loop does; otherwise we send
text, count the budget with the server's /tokenize and take its text. Stop strings are handled by the
same code as locally (stopping.py). Stop closes the stream, which llama.cpp and vLLM take as abort:
the slot is free at once. The connection breaking mid-stream raises ServerDied carrying the text so far.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator

import httpx2

from storyteller.engine.core.errors import tr
from storyteller.engine.decode.requests import Event, GenerationRequest, TextDelta, TokenChoice, TopTokens
from storyteller.engine.decode.runner import RequestRunner, Run
from storyteller.engine.decode.stopping import CandidateText, TextStream
from storyteller.engine.decode.trim import LeftTrimmer
from storyteller.engine.models.tokenizer import StreamDecoder, control_token_ids, stop_token_ids
from storyteller.engine.servers.apis import Chunk, api_for
from storyteller.engine.servers.errors import (
    NeedsLocalModel,
    ServerDied,
    ServerError,
    ServerTimeout,
    UnreadableAnswer,
)
from storyteller.engine.servers.http import (
    CONNECT_SECONDS,
    MALFORMED,
    answer_lines,
    check_status,
    json_of,
    make_client,
    talking_to,
)
from storyteller.engine.servers.probing import (
    TOKEN_IDS,
    TOKENIZE,
    ServerInfo,
    bundled_tokenizer,
    probe_with,
    server_tokenize,
)
from storyteller.engine.servers.registry import ServerEntry, api_key_of
from storyteller.engine.servers.streaming import stopped_writing, streamed_post
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import OPENAI_COMPATIBLE, Handled, setting_of

# When a server does not say its context size (a plain OpenAI-compatible one), assume this much.
DEFAULT_CONTEXT = 2048
# Next words: ask for a few more than shown, as control tokens are dropped from the list.
NEXT_WORDS_SPARE = 8


def connect(entry: ServerEntry, api_key: str | None = None, tokenizer=None) -> ServerGenerator:
    """Probe `entry`'s server and return a generator writing with it. `api_key` None: the stored one
    (keychain or environment). `tokenizer`: ours, to compare with the server's (default: the bundled
    KoGPT2 one)."""
    key = api_key if api_key is not None else api_key_of(entry.name)
    client = make_client(entry, key)
    try:
        with talking_to(entry):
            info = probe_with(client, entry, tokenizer)
    except BaseException:
        client.close()
        raise
    return ServerGenerator(entry, client, info, tokenizer)


class ServerGenerator(RequestRunner):
    """Runs requests on a server's model, one at a time (like the local Generator)."""

    context_limit = tr("{length} must be below the server's context of {positions} tokens.")

    def __init__(self, entry: ServerEntry, client: httpx2.Client, info: ServerInfo, tokenizer=None):
        super().__init__()
        self.entry, self.info = entry, info
        self._client = client
        self._api = api_for(info)
        # Seconds to wait for a word from the server (its first, or the next) before giving up.
        self.timeout = entry.timeout
        self.uses_ids = TOKEN_IDS in info.features
        if self.uses_ids:
            self._tokenizer = tokenizer or bundled_tokenizer()
            self._stop_ids = set(stop_token_ids(self._tokenizer))
            self._control_ids = control_token_ids(self._tokenizer)
        else:
            self._tokenizer = ServerTokenizer(self)
            self._stop_ids, self._control_ids = set(), []
        self._trimmer = LeftTrimmer(self._tokenizer)
        # A minimum length the server lacks (llama.cpp, plain OpenAI) is ours to apply, with our ids.
        minimum = setting_of(GenerationSettings, "min_new_tokens").servers[info.flavour]
        self._minimum_by_ban = self.uses_ids and isinstance(minimum, Handled)

    @property
    def tokenizer(self):
        return self._tokenizer

    @property
    def n_positions(self) -> int:
        return self.info.n_ctx or DEFAULT_CONTEXT

    @property
    def description(self) -> str:
        return self.info.describe(self.entry.url)

    def close(self) -> None:
        self._client.close()

    def forget_cache(self) -> None:
        """The server keeps its own prompt cache (matched by prefix); ours is only the last cut."""
        self._trimmer = LeftTrimmer(self.tokenizer)

    def next_tokens(self, prompt: str, k: int = 5) -> list[TokenChoice]:
        """The server's k likeliest next tokens after `prompt` (the next-words panel)."""
        with self._lock, talking_to(self.entry):
            ids, dropped_text, _ = self._fit_prompt(prompt, self.n_positions - 1)
            body = self._api.body(self._sent_prompt(prompt, ids, dropped_text), _NEXT_WORD_SETTINGS, 0,
                                  self._control_bias(), k + NEXT_WORDS_SPARE, stream=False)
            # Not streamed: the answer comes with the token, after the prompt is read (the entry's timeout).
            response = self._client.post(self._api.path, json=body,
                                         timeout=httpx2.Timeout(self.timeout, connect=CONNECT_SECONDS))
            response.read()
            check_status(response, self.entry)
            chunk = self._chunk_of(json_of(response, self.entry))
        unwanted = self._stop_ids | set(self._control_ids)
        choices = [choice for choice in (chunk.top[0] if chunk.top else []) if choice.token_id not in unwanted]
        return choices[:k]

    # -- the loop ---------------------------------------------------------------------------------

    def _prepare(self, request: GenerationRequest) -> dict[int, float | bool]:
        return self._bias(request)

    def _text_decoder(self, prompt_ids: list[int]):
        return StreamDecoder(self.tokenizer, prompt_ids) if self.uses_ids else TextStream()

    def _decode(self, run: Run) -> Iterator[Event]:
        """The candidates one after another, each with its own seed: a server writes one sequence per
        request with one seed (llama.cpp has no `n`). A broken connection ends them all, its error
        carrying the result so far."""
        run.runtime = f"server: {self.info.kind}"
        prompt = self._sent_prompt(run.request.prompt, run.prompt_ids, run.dropped_text)
        steps = itertools.count()  # the first candidate's positions, for its top tokens
        for index in range(len(run.candidates)):
            try:
                reason = yield from self._write(run, index, prompt, steps)
            except ServerError as error:
                for number in range(len(run.candidates)):
                    deltas = list(run.finish(number, "cancelled"))
                    if number == index:
                        yield from deltas
                told = self._died(error, run)
                if told is error:
                    raise
                raise told from error
            yield from run.finish(index, "cancelled" if run.cancel.is_set() else reason or "length")

    @staticmethod
    def _died(error: ServerError, run: Run) -> ServerError:
        """What to raise when `error` ended the run: a ServerDied carrying the text written so far, or,
        when nothing was written, the problem itself (no "the text so far is kept" about no text)."""
        problem = error.params.get("problem", error) if isinstance(error, ServerDied) else error
        result = run.result()
        if not any(result.texts):
            return problem
        died = error if isinstance(error, ServerDied) else ServerDied(
            tr("{problem} The text written so far is kept."), problem=problem)
        died.result, died.partial = result, result.texts
        return died

    def _write(self, run: Run, index: int, prompt, steps: Iterator[int]) -> Iterator[Event]:
        """Candidate `index`: its requests (two for a minimum length we apply), streamed into its text.
        Returns why the server stopped (None: it did not say)."""
        candidate, written = run.candidates[index], run.generated[index]
        reason = None
        for settings, bias in self._phases(run.settings, run.prepared):
            if run.cancel.is_set() or candidate.stop_reason or reason == "end":
                break
            first = not written
            body = self._api.body(prompt if first else run.prompt_ids + written, settings, run.seed + index, bias,
                                  run.request.report_top_k if index == 0 else 0)
            reason = yield from self._request(run, index, body, steps, first)
        return reason

    def _request(self, run: Run, index: int, body: dict, steps: Iterator[int], first: bool) -> Iterator[Event]:
        """One streamed request of candidate `index`; returns why the server stopped."""
        candidate, reason = run.candidates[index], None
        for chunk in self._chunks(body, run.cancel):
            if chunk.ids or chunk.text:
                run.wrote()
            if index == 0:
                for top in chunk.top:
                    yield TopTokens(next(steps), [top])
            for delta in self._take(chunk, candidate, run.generated[index]):
                yield TextDelta(index, delta)
            if candidate.stop_reason:
                break  # a stop string: leaving the stream closes it, and the server stops
            reason = chunk.stop_reason or reason
            if chunk.cached_tokens is not None and index == 0 and first:
                run.reused = max(run.reused, int(chunk.cached_tokens))
        return reason

    def _phases(self, settings: GenerationSettings, bias: dict) -> list[tuple[GenerationSettings, dict]]:
        """The requests one continuation takes. A minimum length that the server lacks (llama.cpp, plain
        OpenAI) is two: the minimum with the end token banned, then the rest, continuing from the ids
        written (the server's prompt cache makes the second start at once)."""
        minimum = settings.min_new_tokens
        if not (minimum and self._minimum_by_ban):
            return [(settings, bias)]
        phases = [(settings.replace(max_new_tokens=minimum, min_new_tokens=0),
                   {**bias, **{token: False for token in self._stop_ids}})]
        if settings.max_new_tokens > minimum:
            phases.append((settings.replace(max_new_tokens=settings.max_new_tokens - minimum, min_new_tokens=0),
                           bias))
        return phases

    def _take(self, chunk: Chunk, candidate: CandidateText, generated: list[int]) -> Iterator[str]:
        """Feed a chunk's ids (or text) to the candidate, yielding the text that became final."""
        if not self.uses_ids:
            delta = candidate.push(chunk.text)
            if delta:
                yield delta
            return
        for token in chunk.ids:
            if token in self._stop_ids:
                delta = candidate.finish("end")
                if delta:
                    yield delta
                return
            generated.append(token)
            delta = candidate.push(token)
            if delta:
                yield delta
            if candidate.stop_reason:
                return

    def _chunks(self, body: dict, cancel) -> Iterator[Chunk]:
        """The parsed events of one streamed completion, ending at once (and shutting the connection down,
        the servers' abort) when `cancel` is set or the consumer stops iterating, whatever the server is
        doing (streaming.streamed_post). Whatever breaks the stream (the connection, an answer that cannot be
        read, a server that stopped answering, `timeout` seconds without a word) is a ServerDied, so the
        text written so far is kept."""
        heard = time.monotonic()

        def check_silence() -> None:
            if time.monotonic() - heard > self.timeout:  # bytes keep coming, but no word
                raise stopped_writing(self.entry, self.timeout)

        answer = streamed_post(self._client, self.entry, self._api.path, body, cancel, self.timeout,
                               alive_path="/v1/models" if self.info.flavour == OPENAI_COMPATIBLE else "/health")
        try:
            for line in answer_lines(answer, self.entry, check_silence):
                if cancel.is_set():
                    return
                data = _event_data(line)
                if data == "[DONE]":
                    return
                chunk = self._read_event(data) if data is not None else None
                if chunk is not None and (chunk.ids or chunk.text or chunk.stop_reason):
                    heard = time.monotonic()
                if chunk is not None:
                    yield chunk
        except (httpx2.TransportError, httpx2.StreamError, UnreadableAnswer, ServerTimeout) as error:
            if cancel.is_set():
                return  # our own Stop shut it down
            raise ServerDied(tr("{problem} The text written so far is kept."), problem=self._broke(error)) from error
        finally:
            answer.close()

    def _read_event(self, data: str) -> Chunk:
        """One event line's JSON as a Chunk; UnreadableAnswer when it is not what the API sends."""
        try:
            message = json.loads(data)
        except ValueError as error:
            raise self._unreadable(error) from error
        return self._chunk_of(message)

    def _chunk_of(self, message: object) -> Chunk:
        """A parsed answer as a Chunk: the server's own error raised as one, a wrong shape as UnreadableAnswer."""
        if isinstance(message, dict) and "error" in message:
            raise ServerError(tr("{name} stopped with an error: {message}"), name=self.entry.name,
                              message=_error_text(message))
        try:
            if not isinstance(message, dict):
                raise TypeError(f"an event of type {type(message).__name__}")
            return self._api.parse(message)
        except MALFORMED as error:
            raise self._unreadable(error) from error

    def _unreadable(self, error: BaseException) -> UnreadableAnswer:
        return UnreadableAnswer(tr("{name} sent an event Storyteller cannot read ({reason})."),
                                name=self.entry.name, reason=_reason(error))

    def _broke(self, error: BaseException) -> ServerError:
        """What to say when the stream broke off with `error`."""
        if isinstance(error, ServerError):
            return error
        return ServerError(tr("The connection to {name} broke while it was writing ({reason})."),
                           name=self.entry.name, reason=type(error).__name__)

    # -- prompt and steering ----------------------------------------------------------------------

    def _fit_prompt(self, prompt: str, budget: int) -> tuple[list[int], str, int]:
        """The prompt's ids within `budget` (the server's own where it has another tokenizer), trimmed
        from the left like the local loop (trim.py), with what was dropped."""
        with talking_to(self.entry):
            ids, dropped_text, dropped_tokens = self._trimmer.fit(prompt, budget)
        if self.uses_ids and not ids:
            bos = self.tokenizer.bos_token_id
            ids = [bos if bos is not None else 0]
        return ids, dropped_text, dropped_tokens

    def _sent_prompt(self, prompt: str, ids: list[int], dropped_text: str):
        """What the server gets: our ids where it shares our tokenizer, else the text kept."""
        return ids if self.uses_ids else prompt[len(dropped_text):]

    def _control_bias(self) -> dict[int, float | bool]:
        """<unk>, <pad> and the other control tokens are never written, as locally."""
        return {token: False for token in self._control_ids}

    def _bias(self, request: GenerationRequest) -> dict[int, float | bool]:
        """Word bias, phrase bias and bans as the server's logit_bias (steering_bias.py); PPLM and the mood
        vector need the model itself, and a server with another tokenizer cannot be told our tokens."""
        steering = request.steering
        hooks = request.hooks
        if hooks is not None and (hooks.logits_processors or hooks.block_hooks or hooks.step_hook):
            raise NeedsLocalModel(tr("This continuation needs the local model's insides; a server cannot run it."))
        bias = self._control_bias()
        if steering is None or not steering.active:
            return bias
        if steering.uses_latent or steering.steers_mood:
            raise NeedsLocalModel(
                tr("PPLM and the mood steering need the model's insides, which only the local model has. Turn them "
                   "off (mood 0, method word bias) to write through {name}, or switch to the local model."),
                name=self.entry.name,
            )
        if not self.uses_ids:
            raise NeedsLocalModel(
                tr("{name} serves a model with another tokenizer, so word steering cannot name its tokens. Clear "
                   "the steering words, bans and phrase bias, or use the local model."),
                name=self.entry.name,
            )
        from storyteller.engine.servers.steering_bias import steering_logit_bias

        bias.update(steering_logit_bias(self.tokenizer, steering))
        return bias


# The next-words panel: one greedy token, with the likeliest alternatives reported.
_NEXT_WORD_SETTINGS = GenerationSettings(max_new_tokens=1, greedy=True)


def _event_data(line: str) -> str | None:
    """The payload of a server-sent event line ("data: …"); llama.cpp also sends "error: {…}" lines."""
    if line.startswith("data:"):
        return line[len("data:"):].strip()
    if line.startswith("error:"):
        return '{"error": ' + line[len("error:"):] + "}"  # read (and checked) with the data lines
    return None


def _reason(error: BaseException) -> str:
    """A parse error in a few words, for a message (the server's text is cut short)."""
    return str(error)[:120] or type(error).__name__


def _error_text(message: dict) -> str:
    error = message.get("error")
    return str(error.get("message", error)) if isinstance(error, dict) else str(error)


class ServerTokenizer:
    """Token counting for a model whose tokenizer is not ours, through the server's /tokenize: what the
    context builder and the left trimmer need (`encode`, offsets). A server without /tokenize (plain
    OpenAI-compatible) gets KoGPT2's count as an estimate: the nearest we have."""

    bos_token_id = None

    def __init__(self, server: ServerGenerator):
        self._server = server

    def encode(self, text: str) -> list[int]:
        if not text:
            return []
        if TOKENIZE not in self._server.info.features:
            return bundled_tokenizer().encode(text)
        with talking_to(self._server.entry):
            return server_tokenize(self._server._client, self._server.info, text, self._server.entry)

    def __call__(self, text: str, return_offsets_mapping: bool = False):
        """Offsets spread evenly over the text: the trimmer only needs where to start looking for a
        paragraph boundary, and checks the cut with `encode`."""
        ids = self.encode(text)
        size = max(1, len(ids))
        starts = [len(text) * index // size for index in range(size)]
        return {"input_ids": ids, "offset_mapping": [(start, start) for start in starts]}
