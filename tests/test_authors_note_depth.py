"""The author's note sits the number of paragraphs before the end the writer asked for, however
long the continuations are, and the context bar draws it where the model reads it."""

from __future__ import annotations

import pytest

from storyteller.engine.story.context import ContextBuilder, paragraph_cut
from storyteller.engine.story.document import Author, Piece, Story

NOTE = "[작가 노트: 긴장감을 높일 것.]"


def long_continuation(number: int) -> str:
    """What a long continuation looks like: several paragraphs, some with a blank line between."""
    return "".join(f"{number}장 {line}번째 문단, 나무꾼은 산길을 걸었다.\n" + ("\n" if line % 2 else "")
                   for line in range(5))


def story_with_long_continuations(count: int, depth: int) -> Story:
    pieces = [Piece.of(Author.WRITER, "옛날 옛적에 나무꾼이 살았다.\n")]
    pieces += [Piece.of(Author.MODEL, long_continuation(number)) for number in range(count)]
    return Story(pieces=pieces, authors_note="긴장감을 높일 것.", authors_note_depth=depth)


def paragraphs_after_note(text: str) -> list[str]:
    after = text[text.index(NOTE) + len(NOTE):]
    return [line for line in after.split("\n") if line.strip()]


@pytest.mark.parametrize("depth", [1, 2, 3, 7])
def test_note_sits_depth_paragraphs_before_the_end_of_long_continuations(kogpt2_tokenizer, depth):
    story = story_with_long_continuations(4, depth)
    built = ContextBuilder(kogpt2_tokenizer, n_positions=1024).build(story, new_tokens=50)
    paragraphs = [line for line in story.text().split("\n") if line.strip()]
    assert paragraphs_after_note(built.text) == paragraphs[-depth:]
    assert not built.dropped_story_tokens


def test_note_keeps_its_depth_when_the_story_is_trimmed(kogpt2_tokenizer):
    """The bug: depth counted pieces, so three long continuations put the note above everything
    the model could still read."""
    story = story_with_long_continuations(40, 3)
    built = ContextBuilder(kogpt2_tokenizer, n_positions=256).build(story, new_tokens=50)
    assert built.dropped_story_tokens > 0
    assert paragraphs_after_note(built.text) == [line for line in story.text().split("\n") if line.strip()][-3:]
    assert [part.kind for part in built.parts] == ["story", "authors_note", "story"]


def test_depth_zero_puts_the_note_last_and_a_deep_note_goes_first(kogpt2_tokenizer):
    builder = ContextBuilder(kogpt2_tokenizer, n_positions=1024)
    last = builder.build(story_with_long_continuations(2, 0), new_tokens=50)
    assert last.text.endswith(NOTE + "\n") and [p.kind for p in last.parts] == ["story", "authors_note"]
    first = builder.build(story_with_long_continuations(1, 50), new_tokens=50)
    assert first.text.startswith(NOTE + "\n") and [p.kind for p in first.parts] == ["authors_note", "story"]


def test_paragraph_cut_counts_lines_with_text_not_blank_lines():
    text = "하나\n\n둘\n   \n셋 (끝나지 않은 문단)"
    assert text[paragraph_cut(text, 1):] == "셋 (끝나지 않은 문단)"
    assert text[paragraph_cut(text, 2):] == "둘\n   \n셋 (끝나지 않은 문단)"
    assert paragraph_cut(text, 3) == 0 and paragraph_cut(text, 9) == 0
    assert paragraph_cut(text, 0) == len(text)
    assert paragraph_cut("하나\n둘\n", 1) == len("하나\n")  # the final newline is no paragraph


def test_depth_setting_says_it_counts_paragraphs():
    from storyteller.engine.settings.schema import setting_of

    declared = setting_of(Story, "authors_note_depth")
    assert "paragraph" in declared.label.lower() and "paragraphs" in declared.help


def bar_colours_left_to_right(bar) -> list[str]:
    """The segment colours the bar really painted, each run of one colour once."""
    from PySide6.QtGui import QColor

    image = bar.grab().toImage()
    ratio = image.width() / bar.width()
    runs: list[str] = []
    for x in range(2, bar.width() - 2):
        colour = QColor(image.pixel(int(x * ratio), int(image.height() * 0.2))).name()
        if not runs or runs[-1] != colour:
            runs.append(colour)
    return runs


def test_context_bar_draws_the_parts_in_the_order_the_model_reads_them(qtbot, window):
    """The tiny model reads 64 tokens: a note one paragraph deep sits inside the story, a note
    three long paragraphs deep is above all of it. The bar must paint what the context holds."""
    from PySide6.QtWidgets import QLabel

    from storyteller.gui.panels.context_view import COLORS

    story = story_with_long_continuations(12, 1)
    story.memory = "산골."
    story.generation = story.generation.replace(max_new_tokens=8)
    window.set_story(story, None)
    window.resize(1200, 700)
    qtbot.wait(50)
    bar = window.context_bar

    def painted_matches_context(kinds: list[str]) -> None:
        context = bar.context
        assert context is not None and context.dropped_story_tokens > 0
        assert [part.kind for part in context.parts] == kinds
        assert [kind for kind, _ in bar.segments()] == kinds + ["free"] * bool(context.tokens_by_kind()["free"])
        known = {colour.lower() for colour in COLORS.values()}
        painted = [colour for colour in bar_colours_left_to_right(bar) if colour in known]
        assert painted == [COLORS[kind].lower() for kind, _ in bar.segments()]

    painted_matches_context(["memory", "story", "authors_note", "story"])
    assert paragraphs_after_note(bar.context.text) == ["11장 4번째 문단, 나무꾼은 산길을 걸었다."]

    # The writer sets the depth in the notes panel: six long paragraphs overfill the context, so
    # the model reads the note first, and the bar shows it first.
    assert "paragraph" in window.notes.findChild(QLabel, "authorsNoteDepthLabel").text()
    window.notes.note_depth.setValue(6)
    painted_matches_context(["memory", "authors_note", "story"])
