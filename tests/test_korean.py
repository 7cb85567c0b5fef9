"""Korean analysis through the one shared Kiwi."""

import threading

import pytest

from storyteller.engine.korean.analysis import analyzer, word_spans


def test_one_analyzer_is_shared_even_when_threads_ask_at_once():
    found = []
    threads = [threading.Thread(target=lambda: found.append(analyzer())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(kiwi) for kiwi in found}) == 1 and analyzer() is found[0]
    sentences = analyzer().split_into_sents("철수가 밥을 먹었다. 영희는 잤다")
    assert [s.text for s in sentences] == ["철수가 밥을 먹었다.", "영희는 잤다"]


@pytest.mark.parametrize("text, key", [
    ("이순신이 배를 몰았다.", "이순신"), ("세종대왕께서 말씀하셨다.", "세종대왕"), ("해리포터가 왔다.", "해리포터"),
    ("을지문덕이었다.", "을지문덕"), ("백두산에 올랐다", "백두산"),
])
def test_the_lean_analyzer_still_reads_famous_names_as_keys(text, key):
    """Kiwi without its dictionaries of names (Wikipedia's, WikiData's multi-word ones) and typos:
    235 MB where its defaults take 500 (analysis.py's notes); a name it does not know is read
    again as a name, so world-info keys still match."""
    described = repr(analyzer())  # Kiwi's repr names its options (all but the multi-word dictionary)
    assert "load_default_dict=False" in described and "load_typo_dict=False" in described
    assert analyzer().num_workers == 1
    assert word_spans(text, key) == [(0, len(key))]


# -- sentences, particles and words -------------------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from storyteller.engine.decode.trim import boundary_after  # noqa: E402
from storyteller.engine.korean.analysis import final_punctuation_end, sentence_spans, sentence_starts  # noqa: E402
from storyteller.engine.korean.words import particles  # noqa: E402
from storyteller.engine.story.modes import trim_incomplete_sentence  # noqa: E402

DATA = Path(__file__).parent / "data" / "korean"


def _cases(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("text, key, found", [
    ("철수가 왔다.", "철수", True), ("철수에게서는 소식이 없다.", "철수", True), ("철수였다.", "철수", True),
    ("철수세미로 닦았다.", "철수", False), ("바다로 갔다.", "바", False), ("그는 바에 갔다.", "바", True),
    ("용기가 났다.", "용", False), ("용이 나타났다.", "용", True), ("점순이가 웃었다.", "점순", True),
    ("유난히 길고 뒤가 넓다.", "길", False), ('"철수!" 그가 불렀다.', "철수", True), ("AI가 말했다.", "ai", True),
])  # fmt: skip
def test_a_key_is_found_with_its_particles_but_not_inside_longer_words(text, key, found):
    assert bool(word_spans(text, key)) is found


def test_word_matching_on_the_hand_labelled_set_beats_substrings_and_the_old_whole_word_rule():
    cases = _cases("world_info_keys.jsonl")
    right = sum(any(start == c["at"] for start, _ in word_spans(c["text"], c["key"])) == c["is_key"] for c in cases)
    substring = sum(c["is_key"] for c in cases)  # a substring match says yes to every one of them
    assert right / len(cases) >= 0.9 > substring / len(cases)


def test_sentences_end_at_final_endings_marks_and_line_breaks():
    assert [c for *_, c in sentence_spans("그는 웃었다. 그리고 말했")] == [True, False]
    assert [c for *_, c in sentence_spans("그는 웃었다\n그리고 말했")] == [True, False]  # no full stop, a line break
    assert trim_incomplete_sentence("값은 3.5배였다. 그는 3.") == "값은 3.5배였다."  # 3. is a number, not an end
    assert trim_incomplete_sentence("그는 웃었다\n그리고 말했") == "그는 웃었다\n"
    assert final_punctuation_end("“어디 가요?”라고 물") == len("“어디 가요?”")
    assert sentence_starts("가나다. 라마바. 사아자", 3) == [5, 10]
    assert boundary_after("그는 갔다. 비가 왔다. 끝", 2, 20) == len("그는 갔다. ")  # a sentence start before a space


def test_trimming_on_the_shipped_set_is_at_least_as_good_as_the_hand_written_rule():
    cases = _cases("trimming.jsonl")[::8]  # every 8th: both sources, cut and whole texts
    right = sum(trim_incomplete_sentence(c["text"]) == c["keep"] for c in cases)
    assert right / len(cases) >= 0.95


def test_a_particles_form_by_syllable_arithmetic_is_the_one_kiwi_joins():
    from storyteller.engine.korean.analysis import PAIRED_PARTICLES, particle_form

    tags = {"이": "JKS", "은": "JX", "을": "JKO", "과": "JC", "으로": "JKB", "이나": "JX", "이랑": "JC", "아": "JKV"}
    assert set(tags) == {pair[0] for pair in PAIRED_PARTICLES}
    for word in ("바다", "사람", "길", "물", "집", "철수", "영희", "하늘"):
        for pair in PAIRED_PARTICLES:
            joined = analyzer().join([(word, "NNG"), (pair[0], tags[pair[0]])])[len(word):]
            assert particle_form(word, pair[0]) == particle_form(word, pair[1]) == joined, (word, pair)
    assert particle_form("Tom", "과") is None and particle_form("AI", "와") is None  # the spelling cannot tell
    assert particle_form("바다", "에서") == "에서"  # one form after any word


def test_particles_take_the_form_kiwi_joins_and_both_where_the_spelling_cannot_tell():
    assert {"가", "는", "를", "와", "로"} <= set(particles("바다")) and "이" not in particles("바다")
    assert {"이", "은", "을", "과", "으로"} <= set(particles("사람"))
    assert "로" in particles("길") and "으로" not in particles("길")
    assert {"이", "가", "과", "와"} <= set(particles("Tom"))  # Kiwi would say Tom와
