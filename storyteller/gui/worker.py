"""The engine on a worker thread, and the GUI-thread client the widgets talk to.

Rules learned the hard way with PySide6:
- the worker's signals are connected only to bound methods of GUI-thread QObjects (the client);
  a lambda or free function would run in the worker thread;
- the worker's slots do the work and call plain methods; nothing overrides a @Slot;
- cancelling sets a threading.Event directly from the GUI thread: a queued "cancel" slot would
  never run while the worker is busy generating;
- tests wait on the client's signals (emitted in the GUI thread), never on the worker's.
Other long jobs (downloads, imports, training) do not touch the model: they run as ops.BackgroundOp.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from storyteller.engine.errors import StorytellerError
from storyteller.engine.requests import Finished, GenerationRequest, StepProgress, TextDelta, TopTokens

from .messages import error_text, failure_text


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str
    device: str
    n_positions: int
    builtin: bool


class EngineWorker(QObject):
    """Lives in the worker thread and owns the model."""

    model_loaded = Signal(object, object)  # ModelInfo, LoadedModel
    model_failed = Signal(str)
    delta = Signal(int, int, str)  # request id, candidate, text
    top_tokens = Signal(int, object)  # request id, TopTokens
    finished = Signal(int, object)  # request id, GenerationResult
    failed = Signal(int, str)  # request id, message
    suggestions = Signal(int, object)  # request id, list[TokenChoice]
    progress = Signal(int, object)  # request id, StepProgress (slow steering only)
    mood = Signal(int, object, str)  # request id, brightness 0..1 or None, why it is None

    def __init__(self):
        super().__init__()
        self.generator = None  # storyteller.engine.generator.Generator, once a model is loaded
        self.cancel_event = threading.Event()
        self._mood_head = None  # (generator, MoodHead or None, message): loaded once per model

    @Slot(str, str, str)
    def load_model(self, name_or_path: str, device: str, runtime: str) -> None:
        def load():
            # Imported here, on the worker thread: torch takes seconds to import, the window must not
            # wait; and inside the try below, so a broken install is reported instead of hanging.
            from storyteller.engine.generator import Generator
            from storyteller.engine.model import open_model

            entry, loaded = open_model(name_or_path or None, device or "auto", runtime=runtime or "auto")
            return entry, Generator(loaded)

        try:
            entry, self.generator = load()
        except Exception as error:
            self.model_failed.emit(failure_text(error, self.tr("Loading the model")))
            return
        loaded = self.generator.loaded
        info = ModelInfo(entry.name, str(entry.path), loaded.device.description, loaded.n_positions, entry.builtin)
        self.model_loaded.emit(info, loaded)

    @Slot(int, object)
    def generate(self, request_id: int, request: GenerationRequest) -> None:
        if self.generator is None:
            self.failed.emit(request_id, self.tr("No model is loaded yet."))
            return
        try:
            for event in self.generator.stream(request, self.cancel_event):
                if isinstance(event, TextDelta):
                    self.delta.emit(request_id, event.candidate, event.text)
                elif isinstance(event, TopTokens):
                    self.top_tokens.emit(request_id, event)
                elif isinstance(event, StepProgress):
                    self.progress.emit(request_id, event)
                elif isinstance(event, Finished):
                    self.finished.emit(request_id, event.result)
        except Exception as error:
            self.failed.emit(request_id, failure_text(error, self.tr("Generation")))

    @Slot(int, str, int)
    def suggest(self, request_id: int, prompt: str, k: int) -> None:
        if self.generator is None:
            return
        try:
            self.suggestions.emit(request_id, self.generator.next_tokens(prompt, k))
        except Exception:  # suggestions are a convenience: never let them disturb writing
            return

    @Slot(int, str)
    def measure_mood(self, request_id: int, text: str) -> None:
        if self.generator is None:
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
            self.mood.emit(request_id, None, message)
            return
        try:
            self.mood.emit(request_id, story_mood(self.generator.loaded, head, text), "")
        except Exception as error:  # the meter is a convenience: report, never disturb writing
            self.mood.emit(request_id, None, str(error))


class EngineClient(QObject):
    """The GUI's handle on the engine: call its methods, connect to its signals (GUI thread)."""

    model_loading = Signal(str)
    model_loaded = Signal(object)  # ModelInfo
    model_failed = Signal(str)
    started = Signal(int)
    delta = Signal(int, int, str)
    top_tokens = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)
    suggestions = Signal(object)
    busy_changed = Signal(bool)
    progress = Signal(int, object)  # request id, StepProgress
    mood = Signal(object, str)  # brightness 0..1 or None, why it is None

    # Requests to the worker: queued across threads because the worker lives there.
    _load = Signal(str, str, str)
    _generate = Signal(int, object)
    _suggest = Signal(int, str, int)
    _measure_mood = Signal(int, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("storyteller-engine")
        self._worker = EngineWorker()
        self._worker.moveToThread(self._thread)
        self._load.connect(self._worker.load_model)
        self._generate.connect(self._worker.generate)
        self._suggest.connect(self._worker.suggest)
        self._measure_mood.connect(self._worker.measure_mood)
        self._worker.model_loaded.connect(self._on_model_loaded)
        self._worker.model_failed.connect(self._on_model_failed)
        self._worker.delta.connect(self._on_delta)
        self._worker.top_tokens.connect(self._on_top_tokens)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.suggestions.connect(self._on_suggestions)
        self._worker.progress.connect(self._on_progress)
        self._worker.mood.connect(self._on_mood)
        self._thread.start()
        self._next_id = 0
        self._active: int | None = None
        self._suggest_id = 0
        self._mood_id = 0
        self.model_info: ModelInfo | None = None
        self.loaded = None  # the engine's LoadedModel (tokenizer, positions) for context building
        self.loading = False

    # -- requests -------------------------------------------------------------------------------

    def load_model(self, name_or_path: str | None, device: str = "auto", runtime: str = "auto") -> None:
        self.loading = True
        self.model_loading.emit(name_or_path or "")
        self._load.emit(name_or_path or "", device, runtime)

    def generate(self, request: GenerationRequest) -> int:
        if self.busy:
            raise RuntimeError("a generation is already running")
        self._next_id += 1
        self._active = self._next_id
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
        if self.busy or self.loaded is None:
            return
        self._suggest_id += 1
        self._suggest.emit(self._suggest_id, prompt, k)

    def measure_mood(self, text: str) -> None:
        """Ask how bright `text` reads (the mood meter); stale answers are dropped."""
        if self.loaded is None:
            return
        self._mood_id += 1
        self._measure_mood.emit(self._mood_id, text)

    @property
    def busy(self) -> bool:
        return self._active is not None

    @property
    def ready(self) -> bool:
        return self.loaded is not None and not self.loading

    def shutdown(self) -> None:
        self.cancel()
        self._thread.quit()
        self._thread.wait(10_000)

    # -- relays from the worker (run in the GUI thread) ----------------------------------------

    def _on_model_loaded(self, info, loaded) -> None:
        self.model_info, self.loaded, self.loading = info, loaded, False
        self.model_loaded.emit(info)

    def _on_model_failed(self, message: str) -> None:
        self.loading = False
        self.model_failed.emit(message)

    def _on_delta(self, request_id: int, candidate: int, text: str) -> None:
        if request_id == self._active:
            self.delta.emit(request_id, candidate, text)

    def _on_top_tokens(self, request_id: int, top) -> None:
        if request_id == self._active:
            self.top_tokens.emit(request_id, top)

    def _on_finished(self, request_id: int, result) -> None:
        if request_id == self._active:
            self._active = None
            self.busy_changed.emit(False)
            self.finished.emit(request_id, result)

    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id == self._active:
            self._active = None
            self.busy_changed.emit(False)
        self.failed.emit(request_id, message)

    def _on_suggestions(self, request_id: int, choices) -> None:
        if request_id == self._suggest_id:
            self.suggestions.emit(choices)

    def _on_progress(self, request_id: int, progress) -> None:
        if request_id == self._active:
            self.progress.emit(request_id, progress)

    def _on_mood(self, request_id: int, brightness, message: str) -> None:
        if request_id == self._mood_id:
            self.mood.emit(brightness, message)
