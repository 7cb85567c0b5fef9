"""Token alternatives: recorded by the decode loop from the distribution after the sampling rules,
shown on hover in the editor, the Play transcript and the candidates dialog, chosen from a menu
(the rest is rewritten, the old text kept as a version), and the colour-by-probability overlay."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from storyteller.engine.decode.alternatives import records_within
from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import GenerationRequest, TokenAlternatives
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.document import Author, Piece
from storyteller.gui.common.theme import tints_for
from storyteller.gui.dialogs.candidates import CandidatesDialog
from storyteller.gui.panels.token_hits import band_colour
from tests.helpers.gui import continue_and_wait

PROMPT = "그날 밤 우리는 마을을 떠났다."


def test_records_are_the_processed_distribution_the_token_was_drawn_from(tiny_loaded):
    settings = GenerationSettings(max_new_tokens=12, seed=5, top_k=3, num_candidates=2, temperature=0.8)
    events = list(Generator(tiny_loaded).stream(GenerationRequest(PROMPT, settings, report_alternatives=5)))
    result = events[-1].result
    streamed = [e for e in events if isinstance(e, TokenAlternatives)]
    assert len(streamed) == result.new_tokens == sum(len(r) for r in result.alternatives)
    for text, ids, records in zip(result.texts, result.token_ids, result.alternatives):
        assert [r.token_id for r in records] == ids
        assert "".join(text[r.start : r.end] for r in records) == text  # the spans tile the text
        for record in records:
            # top-k 3 left three possible tokens: their probabilities are the whole distribution
            assert len(record.alternatives) <= 3
            assert math.isclose(sum(c.probability for c in record.alternatives), 1.0, rel_tol=1e-4)
            assert record.token_id in [c.token_id for c in record.alternatives]
    greedy = Generator(tiny_loaded).generate(
        GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=6, greedy=True), report_alternatives=4))
    assert all(r.alternatives[0].token_id == r.token_id for r in greedy.alternatives[0])
    plain = Generator(tiny_loaded).generate(GenerationRequest(PROMPT, settings))
    assert plain.alternatives == [] and plain.token_ids == result.token_ids  # recording changes nothing


def test_records_are_cut_where_tidying_changed_the_text(tiny_loaded):
    result = Generator(tiny_loaded).generate(
        GenerationRequest(PROMPT, GenerationSettings(max_new_tokens=10, seed=3), report_alternatives=3))
    text, records = result.texts[0], result.alternatives[0]
    kept = records_within(records, text, text[: records[4].end])
    assert kept == [r for r in records[:5] if r.end > r.start]


def point_of(widget, position: int) -> QPoint:
    """The middle of the character at `position` in `widget`'s viewport."""
    cursor = QTextCursor(widget.document())
    cursor.setPosition(position)
    left = widget.cursorRect(cursor)
    cursor.setPosition(position + 1)
    right = widget.cursorRect(cursor)
    return QPoint((left.left() + right.left()) // 2 if right.top() == left.top() else left.left() + 2,
                  left.center().y())


def first_token(window, widget):
    start, records = window.token_alternatives.spans(widget)[0]
    record = next(r for r in records if r.end - r.start >= 1 and r.alternatives)
    return start, record


def hover_text(widget, point: QPoint) -> str:
    QToolTip.hideText()
    event = QHelpEvent(QEvent.Type.ToolTip, point, widget.viewport().mapToGlobal(point))
    QApplication.sendEvent(widget.viewport(), event)
    return QToolTip.text()


def test_hover_shows_alternatives_and_choosing_one_rewrites_the_rest(qtbot, window):
    window.editor.setPlainText(PROMPT)
    continue_and_wait(qtbot, window)
    story = window.story
    piece_index = story.last_model_piece()
    old_text = story.pieces[piece_index].text
    start, record = first_token(window, window.editor)
    point = point_of(window.editor, start + record.end - 1)
    tip = hover_text(window.editor, point)
    assert "%" in tip and record.alternatives[0].text.strip() in tip.replace("␣", " "), tip
    hits = window.token_alternatives.editor_hits
    span, index, found = hits.hit(point)
    assert found == record
    menu = hits.menu(span, index, found)
    choices = [a for a in menu.actions() if a.isEnabled() and "%" in a.text()]
    assert choices, [a.text() for a in menu.actions()]
    choice = next(c for c in record.alternatives if c.token_id != record.token_id)
    with qtbot.waitSignal(window.client.finished, timeout=60_000):
        choices[0].trigger()
    qtbot.waitUntil(lambda: not window.client.busy)
    piece = story.pieces[piece_index]
    assert len(piece.versions) == 2 and piece.versions[0] == old_text and piece.chosen == 1
    assert piece.text.startswith(old_text[: record.start] + choice.text)
    assert window.editor.toPlainText() == story.text()
    # The new version's tokens have alternatives too, the chosen one first among its own
    new_records = window.token_alternatives.records(piece.text)
    assert new_records[index].token_id == choice.token_id and new_records[index].alternatives == record.alternatives
    window.undo_action.trigger()  # the old text comes back, with its records
    assert story.pieces[piece_index].text == old_text and window.token_alternatives.records(old_text)


def test_colour_by_probability_tints_every_generated_token(qtbot, window):
    window.editor.setPlainText(PROMPT)
    continue_and_wait(qtbot, window)
    assert window.editor.extraSelections() == []
    window.token_alternatives.overlay_action.trigger()
    selections = window.editor.extraSelections()
    start, records = window.token_alternatives.spans(window.editor)[0]
    assert len(selections) == len([r for r in records if r.end > r.start])
    tints = tints_for(window.palette())
    first = selections[0]
    assert first.cursor.selectionStart() == start + records[0].start
    assert first.format.background().color().name() == band_colour(records[0].probability, tints)
    window.editor.setPlainText(window.editor.toPlainText() + " 끝.")  # typing: tints follow the text
    qtbot.waitUntil(lambda: len(window.editor.extraSelections()) == len(selections))
    window.token_alternatives.overlay_action.trigger()
    assert window.editor.extraSelections() == []


def test_play_view_and_candidates_show_alternatives(qtbot, window, tiny_loaded):
    window.adventure.start_adventure("fantasy")
    qtbot.waitUntil(lambda: not window.client.busy, timeout=60_000)
    transcript = window.play.transcript
    assert transcript.toPlainText().startswith(window.story.text())
    start, record = first_token(window, transcript)
    assert "%" in hover_text(transcript, point_of(transcript, start + record.end - 1))
    # The candidates dialog: each candidate's tokens, hovered
    result = Generator(tiny_loaded).generate(GenerationRequest(
        PROMPT, GenerationSettings(max_new_tokens=8, seed=2, num_candidates=2), report_alternatives=4))
    dialog = CandidatesDialog(result.texts, window, records=result.alternatives, overlay=True)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QPlainTextEdit, "candidate1")
    lead = len(result.texts[1]) - len(result.texts[1].lstrip())
    record = next(r for r in result.alternatives[1] if r.start >= lead and r.end > r.start)
    assert "%" in hover_text(view, point_of(view, record.start - lead))
    assert view.extraSelections()


def test_a_story_without_records_shows_nothing(qtbot, window):
    window.document.story.pieces[:] = [Piece.of(Author.MODEL, "그는 웃었다.")]
    window.editor.set_story(window.document.story)
    assert window.token_alternatives.spans(window.editor) == []
    assert hover_text(window.editor, point_of(window.editor, 1)) == ""
