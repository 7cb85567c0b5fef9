"""Assembling what the model reads: memory, matched world info, the story's tail with the author's
note at its depth, within the token budget, counted with the model's own tokenizer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.decode.trim import LeftTrimmer
from storyteller.engine.korean.analysis import preload
from storyteller.engine.story.document import Story
from storyteller.engine.story.world_info import EntryStatus, Reason, key_problems, scan


class ContextError(StorytellerError):
    """Memory or world info alone do not fit the model's context."""


@dataclass(frozen=True)
class ContextPart:
    kind: str  # "memory", "world_info", "story", "authors_note"
    text: str
    tokens: int


@dataclass
class BuiltContext:
    text: str
    parts: list[ContextPart]
    budget: int  # tokens the prompt may use: model positions minus requested new tokens
    new_tokens: int
    dropped_story_text: str = ""
    dropped_story_tokens: int = 0
    world_info: list[EntryStatus] = field(default_factory=list)  # every entry, with why it is in or out

    @property
    def world_info_titles(self) -> list[str]:
        return [status.title for status in self.world_info if status.active]

    @property
    def used(self) -> int:
        return sum(part.tokens for part in self.parts)

    def tokens_by_kind(self) -> dict[str, int]:
        totals = {"memory": 0, "world_info": 0, "story": 0, "authors_note": 0}
        for part in self.parts:
            totals[part.kind] += part.tokens
        totals["free"] = max(0, self.budget - self.used)
        return totals

    def describe(self) -> str:
        totals = self.tokens_by_kind()
        lines = [f"Context budget: {self.budget} tokens ({self.new_tokens} more reserved for the continuation)"]
        for kind, label in (("memory", "memory"), ("world_info", "world info"), ("story", "story"),
                            ("authors_note", "author's note"), ("free", "free")):
            lines.append(f"  {label:<14} {totals[kind]:>5}")
        if self.dropped_story_tokens:
            lines.append(f"  left out: the story's first {self.dropped_story_tokens} tokens")
        if self.world_info:
            lines.append("World info:")
            lines += [f"  {'+' if status.active else '-'} {status.title}: {explain(status)}"
                      for status in self.world_info]
        return "\n".join(lines)


def explain(status: EntryStatus) -> str:
    """Why an entry is in or out, in English (the GUI's context viewer says it in the writer's language)."""
    depth = f" (found through other entries, depth {status.depth})" if status.depth else ""
    problems = "; ".join(str(problem) for problem in key_problems(status.entry.keys + status.entry.secondary_keys
                                                                   + status.entry.exclude_keys))
    text = {
        Reason.ALWAYS_ON: "always on",
        Reason.KEY: f"key {status.key}{depth}",
        Reason.DISABLED: "disabled",
        Reason.NO_KEY: "none of its keys is in the scanned text",
        Reason.NEEDS_SECONDARY: f"key {status.key}, but none of the secondary keys",
        Reason.EXCLUDED: f"left out: exclusion key {status.key} is there",
        Reason.TOO_DEEP: f"key {status.key} only in entries found at depth {status.depth - 1}, the recursion limit",
        Reason.OVER_BUDGET: f"key {status.key or '(always on)'}, but over the world info budget "
                            f"({status.tokens} tokens)",
        Reason.EMPTY: "matched, but it has no text",
    }[status.reason]
    return f"{text}; {problems}" if problems else text


class ContextBuilder:
    """Builds contexts for one story and model; keeps its story cut between calls so that a
    growing story keeps the same start (and the generator's prompt cache stays valid)."""

    def __init__(self, tokenizer, n_positions: int):
        self.tokenizer = tokenizer
        self.n_positions = n_positions
        self._trimmer = LeftTrimmer(tokenizer)
        self._entry_counts: dict[str, int] = {}
        preload()  # sentences and keys are read by Kiwi: have it ready before the first build

    def fork(self) -> ContextBuilder:
        """A builder for another thread, starting from this one's remembered story cut."""
        twin = ContextBuilder(self.tokenizer, self.n_positions)
        twin._trimmer._cut = self._trimmer._cut
        return twin

    def world_info(self, story: Story, generated: str = "") -> list[EntryStatus]:
        """Every entry with why it is in or out, its cost counted, the budget applied: the
        highest orders are kept first (list order among equals); once an entry does not fit,
        it and every lower one are left out."""
        statuses = [replace(status, tokens=self._entry_tokens(status.entry.content.strip())) for status in
                    scan(story, generated)]
        left = story.world_info_budget or None
        for status in sorted((s for s in statuses if s.active), key=lambda s: (-s.entry.order, s.index)):
            if not status.tokens:
                statuses[status.index] = replace(status, reason=Reason.EMPTY)
            elif left is not None and status.tokens > left:
                statuses[status.index] = replace(status, reason=Reason.OVER_BUDGET)
                left = 0
            elif left is not None:
                left -= status.tokens
        return statuses

    def count(self, text: str) -> int:
        return len(self.tokenizer.encode(text)) if text else 0

    def _entry_tokens(self, text: str) -> int:
        """An entry's cost, remembered: every build counts every entry, and entries rarely change."""
        if text not in self._entry_counts:
            if len(self._entry_counts) > 4096:
                self._entry_counts.clear()
            self._entry_counts[text] = self.count(text)
        return self._entry_counts[text]

    def build(self, story: Story, new_tokens: int | None = None, suffix: str = "", generated: str = "") -> BuiltContext:
        """`suffix` is text the prompt must end with that is not in the story yet (e.g. a chat
        turn's `AI:`); `generated` is what the model has written of this continuation so far (it
        ends the prompt, and its keys bring in world info)."""
        new_tokens = story.generation.max_new_tokens if new_tokens is None else new_tokens
        budget = self.n_positions - new_tokens
        if budget < 1:
            raise ContextError(
                tr(
                    "The length ({new_tokens} new tokens) must be less than the model's context of "
                    "{n_positions} tokens. Lower the length."
                ),
                new_tokens=new_tokens, n_positions=self.n_positions,
            )
        memory = story.memory.strip()
        statuses = self.world_info(story, generated)
        kept = sorted((s for s in statuses if s.active), key=lambda s: (s.entry.order, s.index))
        world_info = "\n".join(status.entry.content.strip() for status in kept)
        suffix += generated
        front = "\n".join(part for part in (memory, world_info) if part)
        front = front + "\n" if front else ""
        note = story.authors_note_text()
        # What the story does not get, counted as it will be written (note on its own line).
        fixed = self.count(front + (_with_note("", note, "") if note else "") + suffix)
        if fixed >= budget:
            raise _too_large(self, memory, world_info, note, budget)

        story_text = story.text()
        cut = paragraph_cut(story_text, story.authors_note_depth) if note else len(story_text)
        head, tail = story_text[:cut], story_text[cut:]
        # Only the story is trimmed, oldest text first; the note keeps its place before the last
        # `depth` paragraphs. Tokens at the seams can merge, so the assembled text is counted again.
        story_budget = budget - fixed
        while True:
            _, dropped, dropped_tokens = self._trimmer.fit(head + tail, story_budget)
            kept_head = head[len(dropped) :]
            kept_tail = tail[max(0, len(dropped) - len(head)) :]
            text = front + (_with_note(kept_head, note, kept_tail) if note else kept_head + kept_tail) + suffix
            overflow = self.count(text) - budget
            if overflow <= 0:
                break
            if story_budget <= 0:  # even without any story the parts do not fit together
                raise _too_large(self, memory, world_info, note, budget)
            story_budget = max(0, story_budget - overflow)
        parts = [ContextPart("memory", memory, self.count(memory))] if memory else []
        if world_info:
            parts.append(ContextPart("world_info", world_info, self.count(world_info)))
        if kept_head or not note:  # a note above all the story the model reads comes first
            parts.append(ContextPart("story", kept_head, self.count(kept_head)))
        if note:
            parts.append(ContextPart("authors_note", note, self.count(note)))
        if kept_tail:
            parts.append(ContextPart("story", kept_tail, self.count(kept_tail)))
        return BuiltContext(
            text=text,
            parts=parts,
            budget=budget,
            new_tokens=new_tokens,
            dropped_story_text=dropped,
            dropped_story_tokens=dropped_tokens,
            world_info=statuses,
        )


def paragraph_cut(text: str, depth: int) -> int:
    """Where the last `depth` paragraphs of `text` begin (its length for 0; 0 when it has fewer).
    A paragraph is a line with text on it: blank lines between paragraphs do not count, so the
    depth means what a writer counts, whatever the pieces' sizes. (The depth used to count
    pieces; old stories keep their small number, now read as paragraphs: a piece holds at least
    one paragraph, so the note only moves nearer the end, where writers expect it.)"""
    if depth <= 0:
        return len(text)
    starts = [match.start() for match in _PARAGRAPH.finditer(text)]
    return starts[-depth] if depth <= len(starts) else 0


_PARAGRAPH = re.compile(r"^[^\S\n]*\S", re.MULTILINE)  # a line's start, where the line has text


def _with_note(head: str, note: str, tail: str) -> str:
    """The author's note on a line of its own between the older and the newest paragraphs."""
    return f"{head.rstrip(chr(10))}\n{note}\n{tail.lstrip(chr(10))}" if head else f"{note}\n{tail}"


def _too_large(builder: ContextBuilder, memory: str, world_info: str, note: str, budget: int) -> ContextError:
    sizes = {"memory": builder.count(memory), "world_info": builder.count(world_info),
             "authors_note": builder.count(note)}
    largest = max(sizes, key=sizes.get)
    total = sum(sizes.values())
    # One whole sentence per part, so that each can be translated as a whole.
    template = {
        "memory": tr(
            "The memory is too large: memory {memory}, world info {world_info}, author's note {authors_note} "
            "tokens make {total} of the {budget} tokens the model can read besides the continuation, leaving "
            "none for the story. Shorten the memory by at least {excess} tokens, or ask for fewer new tokens."
        ),
        "world_info": tr(
            "The world info is too large: memory {memory}, world info {world_info}, author's note {authors_note} "
            "tokens make {total} of the {budget} tokens the model can read besides the continuation, leaving "
            "none for the story. Shorten the world info by at least {excess} tokens, or ask for fewer new tokens."
        ),
        "authors_note": tr(
            "The author's note is too large: memory {memory}, world info {world_info}, author's note "
            "{authors_note} tokens make {total} of the {budget} tokens the model can read besides the "
            "continuation, leaving none for the story. Shorten the author's note by at least {excess} tokens, "
            "or ask for fewer new tokens."
        ),
    }[largest]
    return ContextError(template, **sizes, total=total, budget=budget, excess=total - budget + 1)
