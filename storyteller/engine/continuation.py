"""Continue, retry and accept: the steps every front end (CLI, GUI, adventure play) shares
between a story and the decode loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .context import BuiltContext, ContextBuilder
from .errors import StorytellerError, tr
from .requests import DecodeHooks, GenerationRequest, GenerationResult
from .history import AddVersion, Command, InsertPiece
from .modes import tidy_output, turn_settings
from .settings import GenerationSettings
from .steering.settings import SteeringSettings
from .story import Author, Piece, Story


@dataclass
class ContinuationPlan:
    request: GenerationRequest
    context: BuiltContext
    retry_index: int | None  # the model piece a retry adds a version to


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
    settings = turn_settings(source, settings)
    context = builder.build(source, settings.max_new_tokens)
    request = GenerationRequest(
        context.text, settings, report_top_k=report_top_k, hooks=hooks, steering=steering if steering.active else None
    )
    return ContinuationPlan(request, context, retry_index)


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
