"""Korean text analysis through Kiwi (kiwipiepy): one analyzer for the whole process.

Loading Kiwi's model takes a second or two and a few hundred MB, so it is loaded on first use,
once, and shared; every caller goes through `analyzer()` rather than building its own `Kiwi()`.

What each use needs, and what Kiwi costs (kiwipiepy 0.24, one process, RSS over a bare Python,
measured with benchmarks/bench_korean_rules.py's sets on a shared 2-core machine, issue 28):
- sentence ends (trimming a continuation, cutting the story's start), word spans (world-info keys,
  Find's whole words) and predicate analysis (bans' inflected forms) all need Kiwi's morphological
  analysis, so its language model: kiwipiepy_model 0.24 ships one, CoNg (`cong.mdl`), and
  `model_type` has nothing smaller to choose ('knlm' and 'sbg' are no longer shipped);
- Kiwi's defaults: +500 MB, 4-7 s to load it and split a first sentence;
- without the typo and multi-word dictionaries (WikiData's multi-word proper nouns; the app's
  choice before): +320 MB, 2.3-2.5 s;
- and without the default dictionary (proper nouns from Wikipedia and Namuwiki): +235 MB, 1.5-1.7 s.
  The trimming set (400 cases, 99.8 %), the world-info key set (97.6 %) and the particle forms
  (63 of 63) score the same with each; trimming and key spans are identical case by case, and the
  famous names tried (이순신이, 세종대왕께서, 해리포터가, 백두산에 …) still match as keys, since a key
  Kiwi does not know is read again as a name (`_rest_is_grammatical`). Of the 88 ending sequences
  `predicate_endings` learns from the samples, one differs (데요 for 네), so a ban covers 먹데요
  or not; nothing else changed;
- one worker thread: the analyzer is called one text at a time (its pool only serves batches).
"""

from __future__ import annotations

import collections
import functools
import re
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()
_kiwi: Kiwi | None = None
KIWI_OPTIONS = {"load_default_dict": False, "load_typo_dict": False, "load_multi_dict": False}


def analyzer() -> Kiwi:
    """The process's Kiwi, loaded on first use (thread-safe: the model thread and the GUI may both ask)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # Without the typo, multi-word and default dictionaries Kiwi loads and makes its
                # first analysis in a third of the time of its defaults (both hold the GIL, so the
                # window waits) in half the memory, and benchmarks/bench_korean_rules.py scores the
                # same on every shipped set (see the module's notes).
                _kiwi = Kiwi(num_workers=1, **KIWI_OPTIONS)
    return _kiwi


# -- sentences, particles and words (trimming, steering word forms, world-info keys) ---------------
#
# Kiwi knows where a Korean sentence ends (a final ending 다/요/까 with or without a full stop,
# 3.5 is a number, a quote closes a sentence) and where a word ends inside an 어절 (철수|가 but
# 철|수세미). These used to be hand-written rules: see tests/data/korean/README.md for how the two
# compare. Which form of a particle follows a word (바다가, 사람이, 길로) is syllable arithmetic.

_CLOSERS = {"SSC"}  # closing quotes and brackets after a sentence's end belong to it
_GRAMMATICAL_PREFIXES = ("J", "E")  # particles, endings
_GRAMMATICAL_TAGS = {"VCP", "XSN", "XSV", "XSA", "Z_CODA"}  # copula 이, suffixes 들/님/하다
# Dependent nouns that address a person (철수씨, 김군); other dependent nouns make another word (별수).
_ADDRESS_NOUNS = {"씨", "군", "양", "님"}
_NOMINAL_TAGS = ("N", "SL", "SN", "SH")  # nouns, and words in Latin letters, digits or Hanja


def sentence_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, complete) of each sentence of `text`, line by line (a line break ends a
    sentence). A sentence is complete when it ends in sentence-final punctuation (closing quotes
    after it included), in a final ending (다, 요) with another sentence after it on its line, or
    at a line break; the text's last one without punctuation may have been cut short."""
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\n")
        if content.strip():
            sentences = analyzer().split_into_sents(content, return_tokens=True)
            for number, sentence in enumerate(sentences):
                tags = [token.tag for token in sentence.tokens if token.tag not in _CLOSERS]
                last = tags[-1] if tags else ""
                ended = number < len(sentences) - 1 or line.endswith("\n")
                complete = last == "SF" or (ended and (last.startswith("EF") or line.endswith("\n")))
                spans.append((offset + sentence.start, offset + sentence.end, complete))
        offset += len(line)
    return spans


def final_punctuation_end(text: str) -> int:
    """The end of the last sentence-final mark (. ! ? not in a number) and the closing quotes
    after it, or -1: where a quoted sentence inside an unfinished one ends (“어디 가요?”라고 물)."""
    tokens = analyzer().tokenize(text)
    end = -1
    for number, token in enumerate(tokens):
        if token.tag == "SF":
            end = token.end
            for closer in tokens[number + 1 :]:
                if closer.tag not in _CLOSERS or closer.start != end:
                    break
                end = closer.end
    return end


def sentence_starts(text: str, start: int = 0, limit: int | None = None) -> list[int]:
    """Where sentences begin in text[start:limit] (after the first), for cutting text at one."""
    limit = len(text) if limit is None else limit
    # A little text before `start` tells whether `start` itself is inside a sentence.
    origin = max(0, start - 200)
    return [origin + begin for begin, _, _ in sentence_spans(text[origin:limit])[1:] if origin + begin >= start]


# Particles whose form follows the word's last sound, as (after a consonant, after a vowel); 으로
# is 로 after ㄹ too (길로). One syllable's final consonant (받침) tells which, by Unicode's syllable
# arithmetic: exact, and instant where Kiwi's join would first need its model (seconds to load).
PAIRED_PARTICLES = (("이", "가"), ("은", "는"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이나", "나"),
                    ("이랑", "랑"), ("아", "야"))
_PAIR_OF = {form: pair for pair in PAIRED_PARTICLES for form in pair}
_RIEUL = 8  # ㄹ's index among the final consonants


def final_consonant(word: str) -> int | None:
    """The index of the last syllable's final consonant (0: none, 8: ㄹ), or None where the word does
    not end in a Hangul syllable (Latin letters, digits: its last sound cannot be told from it)."""
    last = word[-1:]
    return (ord(last) - ord("가")) % 28 if "가" <= last <= "힣" else None


def particle_form(word: str, particle: str) -> str | None:
    """The form of `particle` (either of a pair) that follows `word` (바다+이 → 가, 길+으로 → 로), the
    particle itself if it has one form, or None where the form cannot be told from the spelling
    (Tom과 but AI와)."""
    pair = _PAIR_OF.get(particle)
    if pair is None:
        return particle
    final = final_consonant(word)
    if final is None:
        return None
    after_consonant, after_vowel = pair
    if after_consonant == "으로":
        return after_vowel if final in (0, _RIEUL) else after_consonant
    return after_consonant if final else after_vowel


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def word_spans(text: str, key: str) -> list[tuple[int, int]]:
    """(start, end) of each place `key` is written in `text` as a word of its own, with particles,
    endings or suffixes after it in the same 어절 (철수가, 철수에게서는, 철수였다, 점순이가) but not as
    the start of a longer word (철수세미, 바 of 바다, 용 of 용기). Latin letters ignore case."""
    key = key.strip()
    if not key:
        return []
    found = []
    for match in re.finditer(re.escape(key), text, re.IGNORECASE):
        position, end = match.span()
        if position == 0 or not is_word_char(text[position - 1]) or not is_word_char(key[0]):
            word_end = end
            while word_end < len(text) and is_word_char(text[word_end]):
                word_end += 1
            if word_end == end or not is_word_char(key[-1]) or _rest_is_grammatical(text, position, end, word_end):
                found.append((position, end))
    return found


def _rest_is_grammatical(text: str, start: int, end: int, word_end: int) -> bool:
    """Is text[end:word_end] only particles, endings and suffixes after the key text[start:end]?
    Read in its sentence, as Kiwi reads it; for a key Kiwi does not know as one word (a name
    such as 점순 or 월향) it is read again with the key taken as a name."""
    left = max(text.rfind(mark, max(0, start - 80), start) for mark in ".!?\n")
    left = max(left + 1, start - 80, 0)
    right = min([found for found in (text.find(mark, word_end, word_end + 80) for mark in ".!?\n") if found >= 0]
                + [min(len(text), word_end + 80)])
    window = text[left:right]
    key_end, rest_end = end - left, word_end - left
    tokens = _tokens(window)
    key = text[start:end]
    nominal = _reading(key)[-1][3].startswith(_NOMINAL_TAGS)
    if _grammatical_after(tokens, start - left, key_end, rest_end, nominal):
        return True
    crossing = [tag for begin, stop, _, tag in tokens if begin < key_end < stop]
    if len(_reading(key)) == 1 and not (crossing and crossing[0] == "NNP"):
        return False  # Kiwi knows the key, and reads another word here
    return _grammatical_after(_tokens(window, (start - left, key_end)), start - left, key_end, rest_end, nominal)


def _grammatical_after(tokens, start: int, key_end: int, rest_end: int, nominal: bool) -> bool:
    """Does a morpheme end where the key does (a noun, for a noun key: not 길 of the adjective
    길고), with only grammatical morphemes after it in the 어절?"""
    ending = [tag for begin, stop, _, tag in tokens if begin >= start and stop == key_end]
    if not ending or (nominal and not ending[-1].startswith(_NOMINAL_TAGS)):
        return False
    if any(begin < key_end < stop for begin, stop, _, _ in tokens if begin >= start):
        return False
    rest = [(form, tag) for begin, _, form, tag in tokens if key_end <= begin < rest_end]
    return all(tag.startswith(_GRAMMATICAL_PREFIXES) or tag in _GRAMMATICAL_TAGS
               or (tag == "NNB" and form in _ADDRESS_NOUNS) for form, tag in rest)


@functools.lru_cache(maxsize=4096)
def _tokens(text: str, name: tuple[int, int] | None = None) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, form, tag) of Kiwi's morphemes of `text`, with text[name[0]:name[1]] read as a proper noun."""
    pretokenized = [(name[0], name[1], "NNP")] if name else None
    return tuple((token.start, token.end, token.form, token.tag)
                 for token in analyzer().tokenize(text, pretokenized=pretokenized))


def _reading(word: str) -> tuple[tuple[int, int, str, str], ...]:
    """Kiwi's morphemes of `word` alone: one for a word it knows; a name it does not know splits
    (점순 → 점수+ㄴ)."""
    return _tokens(word) or ((0, len(word), word, "NNP"),)


def loaded() -> bool:
    """Whether this process has loaded Kiwi (the memory check counts it until it has)."""
    return _kiwi is not None


_warm = threading.Event()


def preload() -> None:
    """Load and warm Kiwi on a background thread (once), so that the first sentence trimmed or
    key matched on the GUI thread finds it ready: its first sentence split builds more of its
    model and takes as long again as loading it."""
    if not _warm.is_set():
        _warm.set()
        threading.Thread(target=_warm_up, name="kiwi-load", daemon=True).start()


def _warm_up() -> None:
    analyzer().split_into_sents("철수가 왔다. 영희는 웃었다", return_tokens=True)


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
    from storyteller.engine.core.paths import resource

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
