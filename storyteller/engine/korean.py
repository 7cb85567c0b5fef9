"""Korean text analysis through Kiwi (kiwipiepy): one analyzer for the whole process.

Loading Kiwi's model takes seconds and about 100 MB, so it is loaded on first use, once, and
shared; every caller goes through `analyzer()` rather than building its own `Kiwi()`.
"""

from __future__ import annotations

import collections
import functools
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()
_kiwi: Kiwi | None = None


def analyzer() -> Kiwi:
    """The process's Kiwi, loaded on first use (thread-safe: the model thread and the GUI may both ask)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


# -- word forms for bans (phrase_bans.py) ---------------------------------------------------------

# Morpheme tags of a predicate's head (verb, adjective, auxiliary, 하다/되다-style suffixes) and of endings.
_PREDICATE_TAGS = ("VV", "VA", "VX", "XSV", "XSA")
# Kiwi analyses these (narrative sentences, colloquial reviews) once to learn which ending
# sequences follow a predicate in real text: the forms of a banned stem come from Kiwi's join
# of the stem with each, so no ending list is written by hand.
_ENDING_SAMPLES = (("steering/mood_pairs.tsv", 140), ("steering/sentiment/nsmc_test.tsv", 400))  # (file, lines)
MIN_ENDING_COUNT = 2  # an ending sequence seen once may be an analysis slip


def _is_predicate(tag: str) -> bool:
    return tag.split("-")[0] in _PREDICATE_TAGS


def _is_ending(tag: str) -> bool:
    return tag.startswith("E")


@functools.lru_cache(maxsize=1)
def predicate_endings() -> tuple[tuple[tuple[str, str], ...], ...]:
    """The ending sequences (each (form, tag) morphemes) Kiwi finds after predicates in the
    shipped sample texts, the commonest first."""
    from .paths import resource

    lines = []
    for name, count in _ENDING_SAMPLES:
        for line in resource(*name.split("/")).read_text(encoding="utf-8").splitlines()[1 : count + 1]:
            lines.extend(part for part in line.split("\t") if any("가" <= c <= "힣" for c in part))
    counts: collections.Counter = collections.Counter()
    for tokens in analyzer().tokenize(lines):
        for index, token in enumerate(tokens):
            if not _is_predicate(token.tag):
                continue
            ending, end = [], token.end
            for following in tokens[index + 1 :]:
                if not _is_ending(following.tag) or following.start > end:  # another word begins
                    break
                ending.append((following.form, following.tag))
                end = max(end, following.end)
            if ending:
                counts[tuple(ending)] += 1
    return tuple(seq for seq, count in counts.most_common() if count >= MIN_ENDING_COUNT)


def predicate_head(word: str) -> list[tuple[str, str]] | None:
    """The morphemes of `word` up to its predicate, if Kiwi reads it as a verb or adjective
    (먹다 → [(먹, VV)], 사랑하다 → [(사랑, NNG), (하, XSV)]); None for a noun or a phrase.
    Several analyses are tried: 보다 alone is likelier the adverb 'than' than the verb 'to see'."""
    for tokens, _score in analyzer().analyze(word.strip(), top_n=5):
        tags = [token.tag for token in tokens]
        last_predicate = max((i for i, tag in enumerate(tags) if _is_predicate(tag)), default=None)
        if last_predicate is None or not all(_is_ending(tag) for tag in tags[last_predicate + 1 :]):
            continue
        return [(token.form, token.tag) for token in tokens[: last_predicate + 1]]
    return None


@functools.lru_cache(maxsize=256)
def inflected_forms(word: str) -> tuple[str, ...]:
    """What a ban on `word` covers, as texts that begin an occurrence: a noun is itself (its
    particle forms begin with it); a verb or adjective (금지 어간, or its 다 form) is each form
    Kiwi joins from its stem and an ending sequence (먹다 → 먹고, 먹어, 먹었다, 먹은 …; 듣다 →
    들어, 듣고 …), the bare stem excluded (먹 begins 먹구름)."""
    word = word.strip()
    head = predicate_head(word) if word and " " not in word else None
    if head is None:
        return (word,) if word else ()
    kiwi = analyzer()
    forms = {word}
    for ending in predicate_endings():
        form = kiwi.join(head + list(ending))
        if form and " " not in form and not any("\u1100" <= c <= "\u11ff" for c in form):  # unjoined jamo: no word
            forms.add(form)
    forms.discard(kiwi.join(head))
    # A ban covers what follows a form, so a form another form begins adds nothing (먹고 covers 먹고서).
    return tuple(form for form in sorted(forms) if not any(form != other and form.startswith(other) for other in forms))
