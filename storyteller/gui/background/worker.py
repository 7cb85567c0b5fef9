"""The engine on a worker thread, and the GUI-thread client the widgets talk to.

Rules learned the hard way with PySide6:
- the worker's signals are connected only to bound methods of GUI-thread QObjects (the client);
  a lambda or free function would run in the worker thread;
- what the worker answers travels on one signal, `event`: the request's id and the engine's Event
  (decode/requests.py: TextDelta, TokenAlternatives, StepProgress, Finished…) or one of the answers
  below (Failed, NextTokens, MoodReading, WarmUp); the client drops stale ones and tells the rest
  to the widgets in one place (EngineClient._on_event), so a new event type is one entry there;
- the worker's slots do the work and call plain methods; nothing overrides a @Slot;
- cancelling sets a threading.Event directly from the GUI thread: a queued "cancel" slot would
  never run while the worker is busy generating;
- tests wait on the client's signals (emitted in the GUI thread), never on the worker's;
- a warm-up (background prefill of the story's prompt) is the lowest priority: each new one and
  every generation cancel the one queued or running, which stops at its next chunk.
Other long jobs (downloads, imports, training) do not touch the model: they run as ops.BackgroundOp.

The worker writes with one backend at a time: the local model (a Generator) or a server
(storyteller.engine.servers.connect), which has the Generator's interface. The local model stays
loaded while a server writes, so switching back is instant.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QThread, Signal, Slot

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.requests import (
    Finished,
    GenerationRequest,
    GenerationResult,
    StepProgress,
    TextDelta,
    TokenAlternatives,
    TokenChoice,
    WarmUp,
)
from storyteller.engine.story.continuation import stream_job
from storyteller.gui.common.messages import error_text, failure_text


@dataclass(frozen=True)
class ModelInfo:
    name: str  # the local model's name, or the model a server serves
    path: str  # the local model's folder, or the server's URL
    device: str
    n_positions: int
    builtin: bool
    server: str = ""  # the server's name in the registry; "" for the local model
    api: str = ""  # what the server is, for the UI: "llama.cpp", "vLLM", "OpenAI-compatible"
    ignored_settings: tuple[str, ...] = field(default=())  # generation settings the server does not take
    steers_words: bool = True  # word bias and bans reach it (a server sharing our tokenizer)

    @property
    def host(self) -> str:
        return urlsplit(self.path).netloc if self.server else ""


# The worker's answers besides the engine's own events (a generation's Event, a warm-up's WarmUp).


@dataclass(frozen=True)
class Failed:
    """A generation failed (after a Finished with what it had written, if anything)."""

    message: str  # in the user's language


@dataclass(frozen=True)
class NextTokens:
    """The likeliest next tokens, asked for by `suggest`."""

    choices: list[TokenChoice]


@dataclass(frozen=True)
class MoodReading:
    """How bright the story reads, asked for by `measure_mood`."""

    brightness: float | None  # 0..1; None when it could not be measured
    note: str  # why it could not ("" when there was nothing to measure)


class EngineWorker(QObject):
    """Lives in the worker thread and owns the model."""

    model_loaded = Signal(object, object, object)  # ModelInfo, LoadedModel (None for a server), tokenizer
    model_failed = Signal(str)
    event = Signal(int, object)  # request id; an engine Event, a WarmUp, or Failed, NextTokens, MoodReading

    def __init__(self):
        super().__init__()
        self.generator = None  # the backend writing: a Generator, or a server's backend
        self._local = None  # (ModelInfo, Generator): the last local model loaded, kept while a server writes
        self.cancel_event = threading.Event()
        self._mood_head = None  # (generator, MoodHead or None, message): loaded once per model

    @Slot(str, str, str)
    def load_model(self, name_or_path: str, device: str, runtime: str) -> None:
        def load():
            # Imported here, on the worker thread: torch takes seconds to import, the window must not
            # wait; and inside the try below, so a broken install is reported instead of hanging.
            from storyteller.engine.decode.generator import Generator
            from storyteller.engine.korean.analysis import preload
            from storyteller.engine.models.loading import open_model
            from storyteller.engine.steering import steering_hooks

            # Kiwi, which the first Continue needs, loads alongside PyTorch's seconds; on ONNX (a second)
            # it waits for the model to be ready (ContextBuilder), as its load holds the GIL for seconds.
            entry, loaded = open_model(name_or_path or None, device or "auto", runtime=runtime or "auto",
                                       before_pytorch=preload)
            return entry, Generator(loaded, steer=steering_hooks)

        try:
            entry, generator = load()
        except Exception as error:
            self.model_failed.emit(failure_text(error, self.tr("Loading the model")))
            return
        loaded = generator.loaded
        info = ModelInfo(entry.name, str(entry.path), loaded.device.description, loaded.n_positions, entry.builtin)
        self._local = (info, generator)
        self._use_backend(generator)
        self.model_loaded.emit(info, loaded, loaded.tokenizer)

    @Slot(str, str, str)
    def use_local(self, name_or_path: str, device: str, runtime: str) -> None:
        """Back to the local model: the one kept loaded, else load `name_or_path` on `device` and `runtime`."""
        if self._local is not None:
            info, generator = self._local
            self._use_backend(generator)
            self.model_loaded.emit(info, generator.loaded, generator.tokenizer)
        else:
            self.load_model(name_or_path, device, runtime)

    @Slot(str, str)
    def connect_server(self, name: str, model: str) -> None:
        """Write through the registered server `name`, with `model` if given (else its entry's); it is
        probed first, and a failure keeps the backend in use."""
        try:
            from storyteller.engine.servers import connect
            from storyteller.engine.servers.registry import api_key_of, find_server

            entry = find_server(name)
            if model:
                entry = replace(entry, model=model)
            backend = connect(entry, api_key_of(name))
        except Exception as error:
            self.model_failed.emit(failure_text(error, self.tr("Connecting to the server")))
            return
        served = backend.info
        model = served.model or (served.models[0] if served.models else "")
        info = ModelInfo(model, entry.url, backend.description, backend.n_positions, False, server=entry.name,
                         api=served.flavour or served.api, ignored_settings=tuple(served.ignored_settings),
                         steers_words=backend.uses_ids)
        self._use_backend(backend)
        self.model_loaded.emit(info, None, backend.tokenizer)

    def _use_backend(self, backend) -> None:
        previous, self.generator = self.generator, backend
        local = self._local[1] if self._local is not None else None
        if previous is not None and previous is not backend and previous is not local:
            close = getattr(previous, "close", None)  # a server's connection pool
            if close is not None:
                close()

    @property
    def _on_server(self) -> bool:
        return self.generator is not None and (self._local is None or self.generator is not self._local[1])

    @Slot(int, object)
    def generate(self, request_id: int, request: GenerationRequest) -> None:
        if self.generator is None:
            self.event.emit(request_id, Failed(self.tr("No model is loaded yet.")))
            return
        written: dict[int, str] = {}  # candidate: text streamed so far
        started = time.perf_counter()
        try:
            for event in stream_job(self.generator, request, self.cancel_event):  # a request or a plan
                if isinstance(event, TextDelta):
                    written[event.candidate] = written.get(event.candidate, "") + event.text
                self.event.emit(request_id, event)
        except Exception as error:
            # A server that died mid-stream (ServerDied carries its result), or any failure after some text:
            # what was written is handled as a Stop would be, then the error is told.
            partial = getattr(error, "result", None)
            if partial is None and written:
                partial = _stopped_result(request, written, time.perf_counter() - started)
            if partial is not None:
                self.event.emit(request_id, Finished(partial))
            self.event.emit(request_id, Failed(failure_text(error, self.tr("Generation"))))

    @Slot(int, str, int)
    def suggest(self, request_id: int, prompt: str, k: int) -> None:
        if self.generator is None:
            return
        try:
            self.event.emit(request_id, NextTokens(self.generator.next_tokens(prompt, k)))
        except Exception:  # suggestions are a convenience: never let them disturb writing
            return

    @Slot(int, object, object)
    def warm(self, request_id: int, request: GenerationRequest, cancel: threading.Event) -> None:
        if self.generator is None or self._on_server or cancel.is_set():  # a server keeps its own prompt cache
            return
        try:
            self.event.emit(request_id, self.generator.warm(request, cancel))
        except Exception:  # a warm-up only saves time later: the Continue that needs it reports errors
            return

    @Slot(int, str)
    def measure_mood(self, request_id: int, text: str) -> None:
        if self.generator is None:
            return
        if self._on_server:
            note = self.tr("The mood meter needs the local model; a server is writing.")
            self.event.emit(request_id, MoodReading(None, note))
            return
        if not text.strip() and (self._mood_head is None or self._mood_head[0] is not self.generator):
            # Nothing to measure: the head would be read at start-up for nothing.
            self.event.emit(request_id, MoodReading(None, ""))
            return
        from storyteller.engine.steering.mood import load_head, story_mood

        # A head found is kept for the model; a missing one is looked for again next time (the
        # writer may have run `storyteller train-head` meanwhile).
        if self._mood_head is None or self._mood_head[0] is not self.generator or self._mood_head[1] is None:
            try:
                self._mood_head = (self.generator, load_head(self.generator.loaded), "")
            except StorytellerError as error:
                self._mood_head = (self.generator, None, error_text(error))
        _, head, message = self._mood_head
        if head is None or not text.strip():
            self.event.emit(request_id, MoodReading(None, message))
            return
        try:
            self.event.emit(request_id, MoodReading(story_mood(self.generator.loaded, head, text), ""))
        except Exception as error:  # the meter is a convenience: report, never disturb writing
            self.event.emit(request_id, MoodReading(None, str(error)))


def _stopped_result(job, written: dict[int, str], seconds: float) -> GenerationResult:
    """The result of a generation cut off after streaming `written`, as Stop would have left it;
    `job` is a GenerationRequest or a ContinuationPlan (which holds one)."""
    request = getattr(job, "request", job)
    count = max(request.settings.num_candidates, max(written) + 1)
    return GenerationResult(
        texts=[written.get(candidate, "") for candidate in range(count)], token_ids=[[] for _ in range(count)],
        stop_reasons=["cancelled"] * count, seed=request.settings.seed or 0, prompt_tokens=0, reused_tokens=0,
        dropped_tokens=0, dropped_text="", time_to_first_token=0.0, seconds=seconds,
    )


class EngineClient(QObject):
    """The GUI's handle on the engine: call its methods, connect to its signals (GUI thread).

    The worker's answers arrive in `_on_event`, the one place that drops stale ones and tells the
    rest: the running generation's events by the signal of their type (`_streamed`), its end, next
    words, the mood and warm-ups by signals of their own."""

    model_loading = Signal(str)  # the local model's name, or "" ("the default"); `connecting` names a server
    model_loaded = Signal(object)  # ModelInfo
    model_failed = Signal(str)
    started = Signal(int)  # request id
    delta = Signal(int, object)  # request id, TextDelta
    alternatives = Signal(int, object)  # request id, TokenAlternatives
    progress = Signal(int, object)  # request id, StepProgress (slow steering only)
    finished = Signal(int, object)  # request id, GenerationResult
    failed = Signal(int, str)  # request id, message
    busy_changed = Signal(bool)
    suggestions = Signal(object)  # list[TokenChoice]
    mood = Signal(object, str)  # brightness 0..1 or None, why it is None
    warmed = Signal(object)  # WarmUp: a story's prompt was prefilled ahead of a Continue

    # Requests to the worker: queued across threads because the worker lives there.
    _load = Signal(str, str, str)
    _use_local = Signal(str, str, str)
    _connect_server = Signal(str, str)
    _generate = Signal(int, object)
    _suggest = Signal(int, str, int)
    _measure_mood = Signal(int, str)
    _warm = Signal(int, object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("storyteller-engine")
        self._worker = EngineWorker()
        self._worker.moveToThread(self._thread)
        self._load.connect(self._worker.load_model)
        self._use_local.connect(self._worker.use_local)
        self._connect_server.connect(self._worker.connect_server)
        self._generate.connect(self._worker.generate)
        self._suggest.connect(self._worker.suggest)
        self._measure_mood.connect(self._worker.measure_mood)
        self._warm.connect(self._worker.warm)
        self._warm_cancel = threading.Event()
        self._worker.model_loaded.connect(self._on_model_loaded)
        self._worker.model_failed.connect(self._on_model_failed)
        self._worker.event.connect(self._on_event)
        # The running generation's events by type, and the signal that tells each (one without is not told).
        self._streamed = {TextDelta: self.delta, TokenAlternatives: self.alternatives, StepProgress: self.progress}
        self._thread.start()
        self._last_id = 0  # every request has an id of its own
        self._active: int | None = None  # the generation running
        self._suggest_id = 0  # the latest of each kind of question: earlier answers are stale
        self._mood_id = 0
        self.model_info: ModelInfo | None = None
        self.loaded = None  # the engine's LoadedModel while the local model writes; None while a server does
        self.tokenizer = None  # the writing backend's tokenizer, for context building
        self.loading = False
        self.connecting = ""  # the server being connected to (model_loading says a load or connection started)

    def _new_id(self) -> int:
        self._last_id += 1
        return self._last_id

    # -- requests -------------------------------------------------------------------------------

    def load_model(self, name_or_path: str | None, device: str = "auto", runtime: str = "auto") -> None:
        self.loading, self.connecting = True, ""
        self._warm_cancel.set()
        self.model_loading.emit(name_or_path or "")
        self._load.emit(name_or_path or "", device, runtime)

    def use_local(self, name_or_path: str | None, device: str = "auto", runtime: str = "auto") -> None:
        """Write with the local model again: the one kept loaded while a server wrote, else (none
        was loaded yet) `name_or_path` on `device` and `runtime`."""
        self.loading, self.connecting = True, ""
        self.model_loading.emit(name_or_path or "")
        self._use_local.emit(name_or_path or "", device, runtime)

    def connect_server(self, name: str, model: str = "") -> None:
        """Write through the registered server `name` (asking it for `model`, else the entry's); model_loaded
        or model_failed tells how it went."""
        self.loading, self.connecting = True, name
        self.model_loading.emit("")
        self._connect_server.emit(name, model)

    def generate(self, request: GenerationRequest) -> int:
        if self.busy:
            raise RuntimeError("a generation is already running")
        self._active = self._new_id()
        self._warm_cancel.set()  # a warm-up never delays a request: it stops at its next chunk
        self._worker.cancel_event.clear()
        self.started.emit(self._active)
        self.busy_changed.emit(True)
        self._generate.emit(self._active, request)
        return self._active

    def cancel(self) -> None:
        """Stop the running generation within one token step."""
        self._worker.cancel_event.set()

    def suggest(self, prompt: str, k: int = 5) -> None:
        """Ask for the k likeliest next tokens; stale answers are dropped."""
        if self.busy or self.tokenizer is None:
            return
        self._suggest_id = self._new_id()
        self._suggest.emit(self._suggest_id, prompt, k)

    def warm(self, request: GenerationRequest) -> None:
        """Prefill `request`'s prompt on the model thread while nothing else runs, so that asking
        for it later starts at once; a newer warm-up or any generation cancels it."""
        if self.busy or not self.ready:
            return
        self._warm_cancel.set()
        self._warm_cancel = threading.Event()
        self._warm.emit(self._new_id(), request, self._warm_cancel)

    def measure_mood(self, text: str) -> None:
        """Ask how bright `text` reads (the mood meter); stale answers are dropped."""
        if self.tokenizer is None:
            return
        self._mood_id = self._new_id()
        self._measure_mood.emit(self._mood_id, text)

    @property
    def busy(self) -> bool:
        return self._active is not None

    @property
    def ready(self) -> bool:
        return self.tokenizer is not None and not self.loading

    @property
    def server(self) -> str:
        """The name of the server writing, or "" while the local model does."""
        return self.model_info.server if self.model_info is not None else ""

    def shutdown(self) -> None:
        self.cancel()
        self._warm_cancel.set()
        self._thread.quit()
        self._thread.wait(10_000)

    # -- the worker's answers (run in the GUI thread) ------------------------------------------

    def _on_model_loaded(self, info, loaded, tokenizer) -> None:
        self.model_info, self.loaded, self.tokenizer, self.loading = info, loaded, tokenizer, False
        self.model_loaded.emit(info)
        self.connecting = ""

    def _on_model_failed(self, message: str) -> None:
        self.loading = False
        self.model_failed.emit(message)
        self.connecting = ""

    def _on_event(self, request_id: int, event) -> None:
        if isinstance(event, NextTokens):
            if request_id == self._suggest_id:
                self.suggestions.emit(event.choices)
        elif isinstance(event, MoodReading):
            if request_id == self._mood_id:
                self.mood.emit(event.brightness, event.note)
        elif isinstance(event, WarmUp):
            self.warmed.emit(event)
        elif isinstance(event, Failed):  # told even when stale: the writer should know
            self._end(request_id)
            self.failed.emit(request_id, event.message)
        elif request_id == self._active:
            if isinstance(event, Finished):
                self._end(request_id)
                self.finished.emit(request_id, event.result)
            elif (signal := self._streamed.get(type(event))) is not None:
                signal.emit(request_id, event)

    def _end(self, request_id: int) -> None:
        """The generation `request_id` is over: not busy any more, if it was the one running."""
        if request_id == self._active:
            self._active = None
            self.busy_changed.emit(False)
