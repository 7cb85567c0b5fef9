"""The demo model's data (scripts/demo_corpus.py): held-out text is text training never saw."""

from tests.helpers.paths import load_script

QUESTION = "헤어진 지 삼 년이 지났어요"
ANSWER = "시간이 약이라는 말이 있어요"


def test_held_out_documents_sharing_a_line_with_training_text_train_instead_until_none_does():
    corpus = load_script("demo_corpus")
    split = {
        # Holds out ANSWER, which training has only once pairs' document moves: a second round moves it.
        "early": ([], [f"{ANSWER}\n정말 그래요", "짧은 말"]),
        "pairs": ([f"{QUESTION}\n괜찮아질 거예요"], [f"{QUESTION}\n{ANSWER}", "오늘 하루는 어땠나요"]),
        "stories": ([f"{QUESTION}\n그는 웃었다"], [f"{QUESTION}\n그녀는 울었다"]),
    }
    moved = corpus.train_what_training_has_seen(split, keep={"stories"})
    assert moved == {"early": 1, "pairs": 1, "stories": 0}
    assert split["early"] == ([f"{ANSWER}\n정말 그래요"], ["짧은 말"])
    assert split["pairs"][1] == ["오늘 하루는 어땠나요"]  # shares no line: stays held out
    assert split["stories"][1] == [f"{QUESTION}\n그녀는 울었다"]  # kept out whole, whatever it shares
