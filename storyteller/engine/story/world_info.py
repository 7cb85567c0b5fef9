"""Which world-info entries the model reads, and why each one is in or out.

An entry is read when one of its keys is in the scanned text (the story's last pieces, and the
text the model is writing: see continuation.py), one of its secondary keys too if it has any,
and none of its exclusion keys. With recursion, the text of the entries found can bring in
more entries, up to a depth. The token budget (context.py) then leaves out the lowest orders.

Keys match as words (Kiwi's morphemes: 철수 finds 철수가, 철수에게, not 철수세미) or as plain text
(substrings, as Storyteller did before), per story. A key written `/pattern/` (flags after the
closing slash: i) is a regular expression, as in SillyTavern and KoboldAI Lite.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.korean.analysis import word_spans

if TYPE_CHECKING:
    from storyteller.engine.story.document import Story, WorldInfoEntry


class Matching(str, Enum):
    WORDS = "words"  # the key as a word with its particles (Kiwi)
    TEXT = "text"  # the key anywhere, even inside longer words


class Reason(str, Enum):
    """Why an entry is in the context or out of it."""

    ALWAYS_ON = "always_on"
    KEY = "key"  # `key` is in the story (depth 0) or in entries found before (depth 1+)
    DISABLED = "disabled"
    NO_KEY = "no_key"  # none of its keys is there
    NEEDS_SECONDARY = "needs_secondary"  # a key is there, none of the secondary keys
    EXCLUDED = "excluded"  # the exclusion key `key` is there
    TOO_DEEP = "too_deep"  # only an entry found at the recursion limit mentions it
    OVER_BUDGET = "over_budget"  # matched, but the world-info budget was spent on higher orders
    EMPTY = "empty"  # matched, but it has no text


@dataclass(frozen=True)
class EntryStatus:
    index: int  # in the story's list
    entry: WorldInfoEntry
    reason: Reason
    key: str = ""  # the key that matched, or the exclusion key that was found
    depth: int = 0  # 0: found in the story; n: found in the text of entries found at depth n-1
    tokens: int = 0  # what its text costs, once the context builder has counted it

    @property
    def active(self) -> bool:
        return self.reason in (Reason.ALWAYS_ON, Reason.KEY)

    @property
    def title(self) -> str:
        return self.entry.comment or ", ".join(self.entry.keys) or f"#{self.index + 1}"


# -- keys --------------------------------------------------------------------------------------

_REGEX_KEY = re.compile(r"/(.+)/([a-z]*)", re.DOTALL)


def key_pattern(key: str) -> re.Pattern | None:
    """The compiled expression of a `/pattern/flags` key; None for a plain key. Raises
    StorytellerError naming the key and the problem for an invalid one."""
    written = _REGEX_KEY.fullmatch(key.strip())
    if not written:
        return None
    return _compile(written.group(1), written.group(2), key.strip())


@functools.lru_cache(maxsize=512)
def _compile(pattern: str, flags: str, key: str) -> re.Pattern:
    unknown = set(flags) - {"i"}
    if unknown:
        raise StorytellerError(
            tr("The key {key} has an unknown flag {flag}: only i (ignore case) is understood."),
            key=key, flag="".join(sorted(unknown)),
        )
    try:
        return re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
    except re.error as error:
        raise StorytellerError(
            tr("The key {key} is not a valid regular expression ({reason}). Fix the pattern, or write the key "
               "without the slashes to match it as text."),
            key=key, reason=str(error),
        ) from None


def key_problems(keys: Iterable[str]) -> list[StorytellerError]:
    """What is wrong with any of `keys` (invalid regular expressions); such a key matches nothing
    until it is fixed, and is kept as typed."""
    problems = []
    for key in keys:
        try:
            key_pattern(key)
        except StorytellerError as error:
            problems.append(error)
    return problems


def key_in(text: str, key: str, matching: Matching) -> bool:
    key = key.strip()
    if not key:
        return False
    try:
        pattern = key_pattern(key)
    except StorytellerError:
        return False  # shown in the editor and the context viewer; nothing else to do here
    if pattern is not None:
        return pattern.search(text) is not None
    if matching is Matching.TEXT:
        return key.casefold() in text.casefold()
    return bool(word_spans(text, key))


def first_key_in(text: str, keys: Iterable[str], matching: Matching) -> str | None:
    return next((key for key in keys if key_in(text, key, matching)), None)


def evaluate(entry: WorldInfoEntry, text: str, matching: Matching) -> tuple[Reason, str]:
    """How `entry`'s keys fare in `text`: (KEY, the key) when it matches, else why not."""
    key = first_key_in(text, entry.keys, matching)
    if key is None:
        return Reason.NO_KEY, ""
    if entry.secondary_keys and first_key_in(text, entry.secondary_keys, matching) is None:
        return Reason.NEEDS_SECONDARY, key
    excluded = first_key_in(text, entry.exclude_keys, matching)
    if excluded is not None:
        return Reason.EXCLUDED, excluded
    return Reason.KEY, key


# -- scanning ----------------------------------------------------------------------------------


def scanned_text(story: Story) -> str:
    depth = story.world_info_scan_depth
    return "".join(piece.text for piece in story.pieces[-depth:]) if depth else story.text()


def scan(story: Story, generated: str = "") -> list[EntryStatus]:
    """Every entry of `story` with why it is in or out (before the token budget), scanning the
    story's last pieces and `generated`, the text being written for it."""
    text = scanned_text(story) + generated
    matching = story.world_info_matching
    found: dict[int, EntryStatus] = {}
    for index, entry in enumerate(story.world_info):
        if not entry.enabled:
            found[index] = EntryStatus(index, entry, Reason.DISABLED)
        elif entry.always_on:
            found[index] = EntryStatus(index, entry, Reason.ALWAYS_ON)
    # Depth 0 scans the story; each further depth the story and the text of every entry found so far.
    # One depth past the limit is scanned too, only to tell the writer what the limit left out.
    limit = story.world_info_recursion
    allowed = previous = text
    for depth in range(limit + 2):
        scanned = text + "".join("\n" + s.entry.content for s in found.values() if s.active) if depth else text
        if depth and scanned == previous:
            break  # no entry's text was added: nothing more to find
        for index, entry in enumerate(story.world_info):
            if index not in found:
                reason, key = evaluate(entry, scanned, matching)
                if reason is Reason.KEY:
                    found[index] = EntryStatus(index, entry, Reason.KEY if depth <= limit else Reason.TOO_DEEP,
                                               key, depth)
        previous = scanned
        if depth <= limit:
            allowed = scanned
    for index, entry in enumerate(story.world_info):
        if index not in found:
            found[index] = EntryStatus(index, entry, *evaluate(entry, allowed, matching))
    return [found[index] for index in range(len(story.world_info))]
