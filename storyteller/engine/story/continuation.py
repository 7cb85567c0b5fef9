"""Continue, retry and accept: the steps every front end (CLI, GUI, adventure play) shares
between a story and the decode loop, and world info that joins while the model writes."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.decode.requests import (
    DecodeHooks,
    Event,
    Finished,
    GenerationRequest,
    GenerationResult,
    TextDelta,
)
from storyteller.engine.korean.analysis import is_word_char
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.story.context import BuiltContext, ContextBuilder
from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.history import AddVersion, Command, InsertPiece
from storyteller.engine.story.modes import tidy_output, turn_settings
from storyteller.engine.story.world_info import Reason, scan

_MATCHED = (Reason.KEY, Reason.ALWAYS_ON, Reason.OVER_BUDGET, Reason.EMPTY)  # found, whether or not it fit


@dataclass
class ContinuationPlan:
    request: GenerationRequest
    context: BuiltContext
    retry_index: int | None  # the model piece a retry adds a version to
    # For the dynamic scan: a copy of the story the context was built from, and a builder of its own
    # (it runs on the model's thread). None when the story has it off or nothing could still join.
    story: Story | None = None
    builder: ContextBuilder | None = None
    joined: list[str] = field(default_factory=list)  # titles of the entries that joined while writing

    def events(self, generator, cancel: threading.Event | None = None) -> Iterator[Event]:
        """The continuation's events from `generator`, as one request would give them. When the
        text written so far brings in a world-info entry the context lacks, the request is ended
        and continued from a context rebuilt with it (the prompt cache keeps the shared start),
        for the tokens that are left: the writer sees one continuation."""
        cancel = cancel or threading.Event()
        if self.story is None or self.request.settings.num_candidates > 1:
            yield from generator.stream(self.request, cancel)
            return
        request, results = self.request, []
        matched = _matched(self.context)
        while True:
            rescan = _Rescan(cancel)
            streamed = ""
            for event in generator.stream(request, rescan):
                if isinstance(event, Finished):
                    results.append(event.result)
                    continue
                yield event
                if isinstance(event, TextDelta) and not rescan.joining:
                    streamed += event.text
                    if not all(is_word_char(char) for char in event.text):  # a word was completed
                        rescan.joining = self._joining(_written(results) + streamed, matched)
            written, ids = _written(results), sum((r.token_ids[0] for r in results), [])
            left = self.request.settings.max_new_tokens - len(ids)
            if not rescan.joining or cancel.is_set() or results[-1].stop_reasons[0] != "cancelled" or left <= 0:
                break
            self.joined += rescan.joining
            self.context = self.builder.build(self.story, left, generated=written)
            matched = _matched(self.context)
            settings = self.request.settings
            # What is left of the minimum, at least one token: a minimum of 0 would be half of `left` again.
            request = replace(request, prompt=self.context.text, settings=settings.replace(
                max_new_tokens=left, min_new_tokens=max(1, settings.least_new_tokens - len(ids))))
        yield Finished(_one_result(results))

    def _joining(self, written: str, matched: set[int]) -> list[str]:
        """Titles of the entries that whole words of `written` bring in (a word still being
        written may yet become another: 철수 of 철수세미)."""
        end = len(written)
        while end and is_word_char(written[end - 1]):
            end -= 1
        return [s.title for s in scan(self.story, written[:end]) if s.reason in _MATCHED and s.index not in matched]


class _Rescan:
    """The decode loop's cancel flag for one request of a continuation: set by the writer's Stop,
    or once a world-info entry joins."""

    def __init__(self, cancel: threading.Event):
        self.cancel = cancel
        self.joining: list[str] = []

    def is_set(self) -> bool:
        return self.cancel.is_set() or bool(self.joining)


def _matched(context: BuiltContext) -> set[int]:
    return {status.index for status in context.world_info if status.reason in _MATCHED}


def _written(results: list[GenerationResult]) -> str:
    return "".join(result.texts[0] for result in results)


def _one_result(results: list[GenerationResult]) -> GenerationResult:
    """The requests of one continuation as one result: its text, its tokens, how it ended."""
    first, last = results[0], results[-1]
    return replace(
        last,
        texts=[_written(results)],
        token_ids=[sum((result.token_ids[0] for result in results), [])],
        seed=first.seed,
        dropped_tokens=first.dropped_tokens,
        dropped_text=first.dropped_text,
        time_to_first_token=first.time_to_first_token,
        seconds=sum(result.seconds for result in results),
    )


def stream_job(generator, job: GenerationRequest | ContinuationPlan, cancel: threading.Event | None = None):
    """The events of a plain request, or of a continuation plan (which may rescan as it writes)."""
    if isinstance(job, ContinuationPlan):
        return job.events(generator, cancel)
    return generator.stream(job, cancel)


def plan_continuation(
    story: Story,
    builder: ContextBuilder,
    *,
    retry: bool = False,
    settings: GenerationSettings | None = None,
    hooks: DecodeHooks | None = None,
    report_top_k: int = 0,
    steering: SteeringSettings | None = None,
) -> ContinuationPlan:
    """The request that continues `story` (or, with `retry`, rewrites its last continuation),
    with the story's own settings (and its mode's turn length) and steering unless others are given."""
    steering = steering if steering is not None else story.steering
    retry_index = None
    source = story
    if retry:
        retry_index = story.last_model_piece()
        if retry_index is None or retry_index != len(story.pieces) - 1:
            raise StorytellerError(tr("There is no continuation at the end of the story to retry."))
        if story.pieces[retry_index].pinned:
            raise StorytellerError(tr("The last continuation is pinned. Unpin it to retry, or continue after it."))
        source = replace(story, pieces=story.pieces[:retry_index])
    settings = turn_settings(source, settings)  # its minimum length is the engine's (least_new_tokens)
    context = builder.build(source, settings.max_new_tokens)
    request = GenerationRequest(
        context.text, settings, report_top_k=report_top_k, hooks=hooks, steering=steering if steering.active else None
    )
    waiting = any(status.reason not in _MATCHED and status.reason is not Reason.DISABLED
                  for status in context.world_info)
    if not (source.world_info_dynamic_scan and waiting):
        return ContinuationPlan(request, context, retry_index)
    return ContinuationPlan(request, context, retry_index, story=copy.deepcopy(source), builder=builder.fork())


def accept_continuation(
    story: Story, do: Callable[[Command], None], plan: ContinuationPlan, result: GenerationResult, candidate: int = 0
) -> str:
    """Put a finished (or stopped) continuation into the story as one undoable step, through
    `do` (History.do for scripts, the Qt undo stack in the app); returns the text that went in
    ("" when tidying left nothing). With several candidates, `candidate` is the chosen one and
    the others become versions after it, to browse to."""
    texts = [tidy_output(text, story, complete=not result.cancelled) for text in result.texts]
    text = texts[candidate]
    if not text.strip():
        return ""
    others = tuple(dict.fromkeys(t for t in texts if t.strip() and t != text))
    if plan.retry_index is not None:
        do(AddVersion(plan.retry_index, text, others=others))
    else:
        do(InsertPiece(len(story.pieces), Piece(Author.MODEL, [text, *others])))
    return text
