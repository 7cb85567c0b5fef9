"""Korean analysis through the one shared Kiwi."""

import threading

from storyteller.engine.korean import analyzer


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
