"""Background prefill: a story's prompt is warmed in chunks before Continue asks for it, Continue
reuses what was warmed, and a Continue arriving during a warm-up waits for one chunk at most."""

import threading

import pytest

from storyteller.engine.decode.generator import WARM_CHUNK, Generator
from storyteller.engine.decode.requests import DecodeHooks, GenerationRequest
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.document import Author, Piece, Story
from storyteller.engine.story.file import save_story
from tests.helpers.gui import continue_and_wait, type_text

PARAGRAPH = "나무꾼은 매일 산에 올라 나무를 했다. 그러던 어느 날 사슴 한 마리가 나타났다.\n"
STORY = "".join(f"{i}번째 날. " + PARAGRAPH for i in range(4))  # ~100 tokens: most of the tiny model's 128
SETTINGS = GenerationSettings(greedy=True, max_new_tokens=8, repetition_penalty=1.2)
CHUNK = 16


@pytest.fixture
def generator(tiny_loaded):
    return Generator(tiny_loaded)


def test_continuing_a_warmed_prompt_reuses_it_and_writes_the_same(generator, tiny_loaded):
    request = GenerationRequest(STORY, SETTINGS)
    warm_up = generator.warm(request, chunk=CHUNK)
    prompt_tokens = len(tiny_loaded.tokenizer.encode(STORY))
    assert warm_up.prompt_tokens == warm_up.cached_tokens == warm_up.computed_tokens == prompt_tokens
    assert warm_up.chunks == -(-prompt_tokens // CHUNK) and not warm_up.cancelled
    warmed = generator.generate(request)
    assert warmed.reused_tokens == prompt_tokens - 1  # the last token is fed again for its logits
    cold = Generator(tiny_loaded).generate(request)
    assert cold.reused_tokens == 0 and warmed.token_ids == cold.token_ids
    again = generator.warm(GenerationRequest(STORY + warmed.texts[0], SETTINGS), chunk=CHUNK)
    assert again.computed_tokens < CHUNK  # continuing after the continuation: only the seam is new


def test_a_story_longer_than_the_context_is_warmed_as_continue_trims_it(generator, tiny_loaded):
    long_story = STORY * 4
    request = GenerationRequest(long_story, SETTINGS)
    warm_up = generator.warm(request, chunk=CHUNK)
    result = generator.generate(request)
    assert result.dropped_tokens > 0 and result.prompt_tokens == warm_up.prompt_tokens
    assert result.reused_tokens == result.prompt_tokens - 1


def test_a_continue_during_a_warm_up_waits_for_one_chunk_and_reuses_it(generator, tiny_loaded):
    """The Continue arrives while the first chunk is being computed: the warm-up stops after that
    chunk (no second one starts) and the Continue starts from it."""
    chunk_started, continue_arrived = threading.Event(), threading.Event()
    fed = []

    def first_block(module, args, output):
        fed.append(args[0].shape[1])
        chunk_started.set()
        continue_arrived.wait(10)

    cancel = threading.Event()
    warm_up = []
    watched = GenerationRequest(STORY, SETTINGS, hooks=DecodeHooks(block_hooks=[(0, first_block)]))
    warming = threading.Thread(target=lambda: warm_up.append(generator.warm(watched, cancel, chunk=CHUNK)))
    warming.start()
    assert chunk_started.wait(30)
    cancel.set()  # what the app's client does when Continue is pressed
    continue_arrived.set()
    result = generator.generate(GenerationRequest(STORY, SETTINGS))  # waits for the model until the chunk ends
    warming.join(10)
    assert fed == [CHUNK]  # one chunk ran, none after the cancel
    assert warm_up[0].chunks == 1 and warm_up[0].cached_tokens == CHUNK and warm_up[0].cancelled
    assert result.reused_tokens == CHUNK
    assert result.token_ids == Generator(tiny_loaded).generate(GenerationRequest(STORY, SETTINGS)).token_ids


def test_a_cancelled_warm_up_does_nothing(generator):
    cancel = threading.Event()
    cancel.set()
    warm_up = generator.warm(GenerationRequest(STORY, SETTINGS), cancel)
    assert warm_up.chunks == 0 and warm_up.cancelled
    assert generator.generate(GenerationRequest(STORY, SETTINGS)).reused_tokens == 0


# -- the app: opening a story and pausing while typing warm it ----------------------------------------


def story_file(tmp_path, text=STORY):
    story = Story(pieces=[Piece.of(Author.WRITER, text)])
    story.generation = story.generation.replace(max_new_tokens=8, seed=3)
    path = tmp_path / "long.story.json"
    save_story(story, path)
    return path


def finished_results(win):
    results = []
    win.client.finished.connect(lambda request_id, result: results.append(result))
    return results


def test_opening_a_story_warms_it_and_the_first_continue_reuses_it(qtbot, window, tmp_path):
    results = finished_results(window)
    with qtbot.waitSignal(window.client.warmed, timeout=30_000) as warmed:
        window.files.open_path(story_file(tmp_path))
    warm_up = warmed.args[0]
    assert warm_up.cached_tokens == warm_up.prompt_tokens > 50 and not warm_up.cancelled
    continue_and_wait(qtbot, window)
    assert results[-1].prompt_tokens == warm_up.prompt_tokens
    assert results[-1].reused_tokens == warm_up.prompt_tokens - 1


def test_a_pause_in_typing_warms_the_prompt(qtbot, window):
    window.editor.setFocus()
    with qtbot.waitSignal(window.client.warmed, timeout=30_000) as warmed:
        type_text(window.editor, "옛날 옛적에 깊은 산속에 나무꾼이 살았다.")
    prompt = window.writing.plan(retry=False).request.prompt
    assert warmed.args[0].prompt_tokens == len(window.client.loaded.tokenizer.encode(prompt))
    results = finished_results(window)
    continue_and_wait(qtbot, window)
    assert results[-1].reused_tokens == results[-1].prompt_tokens - 1


def test_continue_right_after_opening_cancels_the_warm_up(qtbot, window, tmp_path):
    """The model thread may already be in the warm-up's first chunk when Continue is pressed: it
    finishes that chunk (which Continue then reuses) and starts no other."""
    results, warm_ups = finished_results(window), []
    window.client.warmed.connect(warm_ups.append)
    window.files.open_path(story_file(tmp_path))
    window.writing.warm_up()
    continue_and_wait(qtbot, window)
    prompt_tokens = results[-1].prompt_tokens
    assert prompt_tokens > WARM_CHUNK  # warming it whole takes two chunks
    assert results[-1].reused_tokens in (0, WARM_CHUNK)
    assert all(w.chunks <= 1 and w.cancelled for w in warm_ups if w.prompt_tokens == prompt_tokens)
