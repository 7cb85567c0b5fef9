"""Korean words as the model sees them: surface forms with particles, their token sequences, and
a prefix table that says which token continues a word once it has begun.

Korean attaches particles to nouns (바다가, 바다를, 바다에서) and the tokenizer often merges the
two into one token (▁바다를), so a topic word is a family of token sequences, with and without
the word-start marker ▁. Matching text must not confuse a word with a longer one that begins
with it: 사랑채 (a guest room) is not 사랑 (love).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storyteller.engine.korean.analysis import PAIRED_PARTICLES, final_consonant, particle_form

# Particles of one form after any word, and the copula (its form is chosen by the word's last sound below).
_INVARIANT = [
    "의", "에", "에서", "에게", "한테", "께", "도", "만", "까지", "부터", "처럼", "보다", "마저", "조차",
    "만큼", "뿐", "에는", "에서는", "에도", "에게는", "과의", "와의", "들", "들이", "들은", "들을", "들의", "들과",
    "들에게", "이다", "이었다", "였다",
]  # fmt: skip


def particles(word: str) -> list[str]:
    """The particles that can follow `word`, in the form its last syllable takes (both forms where
    the spelling does not tell: a word ending in Latin letters or digits)."""
    forms = []
    for pair in PAIRED_PARTICLES:
        form = particle_form(word, pair[0])
        forms += [form] if form else list(pair)
    final = final_consonant(word)
    copula = {"이다", "이었다"} if final == 0 else {"였다"} if final else set()
    return forms + [p for p in _INVARIANT if p not in copula]


def parse_word_list(text: str) -> tuple[str, ...]:
    """Words typed as one comma-separated line (a full-width comma, as Korean IMEs give, counts)."""
    return tuple(word.strip() for word in text.replace("，", ",").split(",") if word.strip())


def surface_forms(word: str) -> list[str]:
    """`word` and `word` + each particle."""
    word = word.strip()
    return [word] + [word + particle for particle in particles(word)] if word else []


def mention_pattern(words: Iterable[str]) -> re.Pattern:
    """A regex finding any of `words`, alone or with a particle, but not inside a longer word."""
    alternatives = []
    for word in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        tails = "|".join(re.escape(p) for p in sorted(particles(word), key=len, reverse=True))
        alternatives.append(f"{re.escape(word)}(?:{tails})?")
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<![가-힣\w])(?:{'|'.join(alternatives)})(?![가-힣\w])")


def count_mentions(text: str, words: Iterable[str]) -> int:
    return len(mention_pattern(words).findall(text))


@dataclass
class TokenTable:
    """Which tokens start or continue the words, with a weight each.

    `next_tokens[prefix]` maps a token to its weight when the text ends with the ids `prefix`
    (the empty prefix: anywhere). A word of several tokens is a phrase: its first token gets a
    smaller weight (it is often the start of other words too: ▁갈 of ▁갈매기), the rest the full
    weight once the phrase has begun. A one-syllable token is never favoured on its own unless it
    is the whole word at a word start (▁배 is the ship; ▁그 of ▁그+물 is every other sentence).
    """

    next_tokens: dict[tuple[int, ...], dict[int, float]] = field(default_factory=dict)

    @property
    def longest_prefix(self) -> int:
        return max((len(prefix) for prefix in self.next_tokens), default=0)

    def add(self, pieces: list[tuple[int, str]], weight: float, first_weight: float) -> None:
        ids = [token for token, _ in pieces]
        for position, (token, text) in enumerate(pieces):
            prefix = tuple(ids[:position])
            value = weight if position or len(ids) == 1 else first_weight
            if not prefix and len(text.lstrip("▁")) < 2 and not (len(ids) == 1 and text.startswith("▁")):
                continue
            row = self.next_tokens.setdefault(prefix, {})
            row[token] = max(row.get(token, value), value)

    def continuing(self, tail: list[int]) -> dict[int, float]:
        """Weights of the tokens that continue a begun phrase, given the last ids of the text."""
        found: dict[int, float] = {}
        for size in range(1, min(self.longest_prefix, len(tail)) + 1):
            for token, weight in self.next_tokens.get(tuple(tail[-size:]), {}).items():
                found[token] = max(found.get(token, weight), weight)
        return found

    @property
    def anywhere(self) -> dict[int, float]:
        return self.next_tokens.get((), {})

    def __bool__(self) -> bool:
        return bool(self.next_tokens)


def model_pieces(tokenizer, text: str) -> list[tuple[int, str]]:
    """(id, text) of the tokens of `text` by the tokenizer's model alone: no word-start marker
    is added, so the form glued to what precedes it ("바다 after a quote) can be asked for too."""
    return [(token.id, token.value) for token in tokenizer.backend_tokenizer.model.tokenize(text)]


# Forms glued to the preceding character (after a quote or bracket) are rarer than word starts,
# and favouring them everywhere invites run-together words.
GLUED_WEIGHT = 0.5
PHRASE_START_WEIGHT = 0.5


def token_table(tokenizer, words: Iterable[str], *, with_particles: bool = True) -> TokenTable:
    """The token sequences of `words` and their particle forms, at a word start and glued.

    A particle form whose tokens are the bare word's tokens followed by the particle's adds
    nothing (the particle is not the topic); one the tokenizer merges differently (▁바다를 is a
    single token) is a sequence of its own. Tables are kept per tokenizer and word list: building
    one for a few topic lists takes ~70 ms, and every steered continuation asks for it again.
    The table returned is shared: read it, do not change it.
    """
    return _token_table(tokenizer, tuple(words), with_particles)


@functools.lru_cache(maxsize=32)
def _token_table(tokenizer, words: tuple[str, ...], with_particles: bool) -> TokenTable:
    table = TokenTable()
    for word in words:
        word = word.strip()
        if not word:
            continue
        for marker, weight in (("▁", 1.0), ("", GLUED_WEIGHT)):
            bare = model_pieces(tokenizer, marker + word.replace(" ", "▁"))
            table.add(bare, weight, weight * PHRASE_START_WEIGHT)
            for form in surface_forms(word)[1:] if with_particles else []:
                pieces = model_pieces(tokenizer, marker + form.replace(" ", "▁"))
                if pieces[: len(bare)] != bare:
                    table.add(pieces, weight, weight * PHRASE_START_WEIGHT)
    return table


def ban_phrases(words: Iterable[str]) -> list[str]:
    """What bans on `words` forbid (phrase_bans.py matches each wherever a word starts, whatever
    follows, so a noun's particle forms are covered): a Korean verb or adjective becomes its
    inflected forms, found with Kiwi (korean.inflected_forms); anything else stays as written."""
    from storyteller.engine.korean.analysis import inflected_forms

    phrases = []
    for word in words:
        word = word.strip()
        hangul = any("가" <= c <= "힣" for c in word)
        phrases += inflected_forms(word) if hangul else (word,) if word else ()
    return list(dict.fromkeys(phrases))
