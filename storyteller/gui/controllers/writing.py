"""Continue, Retry and Stop: plan the request, stream the text into the editor, report steering's
progress, let the writer pick among candidates, accept the continuation into the story as one undo
step, and browse or pin the versions of the last continuation. While the writer is not asking for
anything (a story was opened, the model became ready, typing paused), the prompt Continue would
send is prefilled on the model thread, so that the first Continue starts at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.alternatives import REPORTED_ALTERNATIVES
from storyteller.engine.decode.requests import TextDelta
from storyteller.engine.steering.report import steering_notes
from storyteller.engine.story.continuation import ContinuationPlan, accept_continuation, plan_continuation
from storyteller.engine.story.history import ChooseVersion, SetPinned
from storyteller.gui.background.worker import EngineClient
from storyteller.gui.common.messages import ErrorReporter, error_text
from storyteller.gui.controllers.model_status import ModelStatus
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.document.editor import StoryEditor
from storyteller.gui.panels.steering import SteeringPanel

# How long the writer pauses typing before the prompt is prefilled (KoboldAI-style idle warm-up).
WARM_PAUSE_MS = 1000


class WritingSession(QObject):
    """Continues the story of `document` with the engine `client`, planned for the model of `model`,
    streaming into the `editor`; `pick_candidate(texts)` asks which of several candidates to keep, and
    `keep_partial` whether a stopped one is kept; the `steering` panel hears what steering did; messages
    go to `status_bar`, errors to `show_error(title, error)`."""

    generation_done = Signal(str)  # the text that went into the story ("" if nothing)

    def __init__(self, client: EngineClient, document: StoryDocument, model: ModelStatus, editor: StoryEditor,
                 pick_candidate: Callable[[list[str]], int | None], keep_partial: QAction, steering: SteeringPanel,
                 status_bar: QStatusBar, show_error: ErrorReporter, parent: QObject):
        super().__init__(parent)
        self.client, self.document, self.model, self.editor = client, document, model, editor
        self.pick_candidate, self.keep_partial, self.steering = pick_candidate, keep_partial, steering
        self.status_bar, self.show_error = status_bar, show_error
        self._plan: ContinuationPlan | None = None
        self._candidates: list[str] = []
        self.client.delta.connect(self._on_delta)
        self.client.finished.connect(self._on_finished)
        self.client.failed.connect(self._on_failed)
        self.client.finished.connect(self._note_speed)
        self.client.progress.connect(self._show_progress)
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self.warm_up)
        self.document.changed.connect(self._schedule_warm_up)
        model.ready.connect(self._schedule_warm_up)

    def continue_story(self) -> None:
        self._start(retry=False)

    def retry(self) -> None:
        self._start(retry=True)

    def stop(self) -> None:
        if self.client.busy:
            self.client.cancel()
            self.status_bar.showMessage(self.tr("Stopping…"))

    def drop(self) -> None:
        """Forget the continuation being written: the story it was meant for is going away."""
        if self.client.busy:  # a late finish must not land in the new story
            self.client.cancel()
            self._plan = None
        if self.editor.streaming:
            self.editor.end_stream()

    def plan(self, retry: bool) -> ContinuationPlan:
        """The continuation request for the story as it is, with its own settings and steering."""
        plan = plan_continuation(self.document.story, self.model.builder, retry=retry)
        plan.request.report_alternatives = REPORTED_ALTERNATIVES  # see controllers/token_alternatives.py
        return plan

    def warm_up(self) -> None:
        """Prefill the prompt Continue would send now (the worker drops it for any request)."""
        if self.client.busy or not self.client.ready or self.model.builder is None or self.editor.streaming:
            return
        if not self.document.story.text().strip():
            return
        try:
            request = self.plan(retry=False).request
        except StorytellerError:  # Continue itself will say what is wrong
            return
        self.client.warm(request)

    def _schedule_warm_up(self, change=None) -> None:
        """A story opened or a model ready: at once; any other change: once the writer pauses."""
        opened = not isinstance(change, StoryChange) or StoryChange.NEW in change
        self._warm_timer.start(0 if opened else WARM_PAUSE_MS)

    def _start(self, retry: bool) -> None:
        if self.client.busy or self.model.builder is None:
            return
        self.editor.commit_composition()
        try:
            self._plan = self.plan(retry)
        except StorytellerError as error:
            self.show_error(self.tr("Cannot continue"), error)
            return
        self._candidates = [""] * self._plan.request.settings.num_candidates
        # A retry's new version streams in place of the old one, which leaves the editor meanwhile.
        self.editor.render_story(upto=self._plan.retry_index)
        self.editor.begin_stream()
        self.client.generate(self._plan)  # the plan may rescan world info as the model writes
        self.status_bar.showMessage(self.tr("Writing…"))

    def is_writing(self) -> bool:
        """Is a continuation for the story shown being written? (After `drop`, late text is not.)"""
        return self._plan is not None

    def _on_delta(self, request_id: int, delta: TextDelta) -> None:
        if self._plan is None:  # dropped with its story: text already on its way must not land in the next
            return
        self._candidates[delta.candidate] += delta.text
        if delta.candidate == 0:
            self.editor.append_stream(delta.text)

    def _on_finished(self, request_id: int, result) -> None:
        plan, self._plan = self._plan, None
        if plan is None:  # the story was replaced while this was being written: drop it
            return
        stopped = result.cancelled
        chosen = 0
        if len(result.texts) > 1 and not stopped:
            chosen = self.pick_candidate(result.texts)
        keep = chosen is not None and (not stopped or self.keep_partial.isChecked())
        self.editor.end_stream()
        story, apply = self.document.story, self.document.undo_stack.apply
        text = accept_continuation(story, apply, plan, result, chosen) if keep else ""
        self.editor.render_story(keep_cursor=False)
        message = self.tr("Stopped.") if stopped else self.tr("Done.")
        if plan.context.dropped_story_tokens:
            message += " " + self.tr("The beginning of the story no longer fits the model's context.")
        if plan.joined:
            message += " " + self.tr("World info joined while writing: %1").replace("%1", ", ".join(plan.joined))
        self.status_bar.showMessage(message, 5000)
        self.generation_done.emit(text)

    def _on_failed(self, request_id: int, message: str) -> None:
        if self.editor.streaming:
            self.editor.end_stream()
        self._plan = None
        self.show_error(self.tr("Generation failed"), message)

    def _note_speed(self, request_id: int, result) -> None:
        """Plain decoding's speed feeds PPLM's estimate; a steered result says what steering did:
        the panel keeps the notice, and the status bar says it after "Done." (connected later, so it
        comes after _on_finished's message; "Done. " is kept in front)."""
        self.steering.note_result(result)
        notes = [] if result.cancelled else steering_notes(result.steering)  # a time limit met; text fallen apart
        if notes:
            self.status_bar.showMessage(self.tr("Done.") + " " + " ".join(map(error_text, notes)), 20000)

    def _show_progress(self, request_id: int, progress) -> None:
        left = progress.seconds / progress.step * (progress.total - progress.step)
        self.status_bar.showMessage(
            self.tr("Steering: token %1 of at most %2, about %3 s left")
            .replace("%1", str(progress.step)).replace("%2", str(progress.total)).replace("%3", f"{left:.0f}"))

    # -- versions of the last continuation --------------------------------------------------------

    def last_continuation(self) -> int | None:
        """The index of the story's last piece if the model wrote it (the one Retry replaces)."""
        story = self.document.story
        index = story.last_model_piece()
        return index if index is not None and index == len(story.pieces) - 1 else None

    def browse_version(self, step: int) -> None:
        index = self.last_continuation()
        if index is None:
            return
        piece = self.document.story.pieces[index]
        target = piece.chosen + step
        if 0 <= target < len(piece.versions):
            self.document.undo_stack.apply(ChooseVersion(index, piece.chosen, target))

    def set_pinned(self, pinned: bool) -> None:
        index = self.last_continuation()
        if index is not None and self.document.story.pieces[index].pinned != pinned:
            self.document.undo_stack.apply(SetPinned(index, pinned))
