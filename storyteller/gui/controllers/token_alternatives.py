"""Token alternatives in the app: hover a generated token to see the likeliest tokens the model
had there (after the sampling rules), right-click it to choose one, which rewrites the rest of
that continuation from it (the old text stays a version of the piece); View → Colour by
probability tints each generated token by how likely it was.

The records come with the generation (engine/decode/alternatives.py) and are kept in memory, keyed by
the text of the piece version they describe: undo, redo and browsing versions find them again,
and an edited version (whose text no longer matches) simply has none.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar, QTextEdit, QWidget

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.alternatives import REPORTED_ALTERNATIVES, records_within, with_choice
from storyteller.engine.decode.requests import TextDelta, TokenChoice, TokenRecord
from storyteller.engine.story.continuation import plan_continuation
from storyteller.engine.story.document import Author, Piece
from storyteller.engine.story.history import AddVersion
from storyteller.engine.story.modes import tidy_output
from storyteller.gui.background.worker import EngineClient
from storyteller.gui.common.messages import ErrorReporter
from storyteller.gui.common.settings_keys import PROBABILITY_COLOURS
from storyteller.gui.controllers.model_status import ModelStatus
from storyteller.gui.dialogs.candidates import CandidatesDialog
from storyteller.gui.document.document import StoryChange, StoryDocument
from storyteller.gui.document.editor import StoryEditor
from storyteller.gui.panels.token_hits import TokenHits


class TokenAlternatives(QObject):
    """Keeps the records of what the engine `client` generates for the story of `document` and wires
    the `editor`, the Play `transcript` and the candidates dialog to them; rewrites a continuation from
    a chosen alternative, planned for the model of `model` (a stopped rewrite is kept as `keep_partial`
    says). `overlay_action` (for the View menu) tints by probability, as `settings` remember; messages go
    to `status_bar`, errors to `show_error(title, error)`, the candidates dialog over `parent`."""

    def __init__(self, client: EngineClient, document: StoryDocument, model: ModelStatus, settings: QSettings,
                 editor: StoryEditor, transcript: QTextEdit, keep_partial: QAction, status_bar: QStatusBar,
                 show_error: ErrorReporter, parent: QWidget):
        super().__init__(parent)
        self.client, self.document, self.model, self.settings = client, document, model, settings
        self.editor, self.keep_partial = editor, keep_partial
        self.status_bar, self.show_error = status_bar, show_error
        self._streamed: list[list[TokenRecord]] = []  # per candidate of the running request
        self._by_text: dict[str, list[TokenRecord]] = {}
        self._rewrite: tuple | None = None  # (piece index, prefix, records of the old text, index, choice)
        self.overlay_action = QAction(self.tr("Colour by probability"), parent)
        self.overlay_action.setObjectName("probabilityColours")
        self.overlay_action.setCheckable(True)
        self.overlay_action.setChecked(PROBABILITY_COLOURS.read(settings))
        self.overlay_action.setToolTip(self.tr("Tint each generated token by how likely the model found it: "
                                               "red under 10%, yellow under 50%, green above"))
        self.overlay_action.toggled.connect(self._overlay_toggled)
        self.editor_hits = TokenHits(editor, lambda: self.spans(editor), self.choose)
        self.play_hits = TokenHits(transcript, lambda: self.spans(transcript), self.choose)
        self.client.started.connect(self._started)
        self.client.alternatives.connect(self._streamed_record)
        self.client.delta.connect(self._delta)
        self.client.finished.connect(self._finished)
        self.client.failed.connect(self._failed)
        self.document.changed.connect(self._story_changed)
        # Re-rendering replaces the widgets' text, and the tints with it: tint again once it settles.
        self._overlay_timer = QTimer(self, singleShot=True, interval=0)
        self._overlay_timer.timeout.connect(self.refresh_overlay)
        editor.textChanged.connect(self._overlay_timer.start)
        transcript.textChanged.connect(self._overlay_timer.start)

    # -- records -------------------------------------------------------------------------------

    def records(self, text: str) -> list[TokenRecord]:
        """The records of a piece version with this text (none if it was not generated or was edited)."""
        return self._by_text.get(text, [])

    def pick_candidate(self, texts: list[str]) -> int | None:
        """Which of the candidates `texts` of the request being finished the writer keeps (None: none),
        each shown with its records, tinted as the editor is."""
        dialog = CandidatesDialog(texts, self.parent(), records=self._streamed, overlay=self.overlay_action.isChecked())
        return dialog.selected if dialog.exec() else None

    def spans(self, widget) -> list[tuple[int, list[TokenRecord]]]:
        """(position, records) of each generated piece that `widget` shows as the story's text."""
        story = self.document.story
        if getattr(widget, "streaming", False) or not widget.toPlainText().startswith(story.text()):
            return []
        spans, position = [], 0
        for piece in story.pieces:
            records = self.records(piece.text) if piece.author is Author.MODEL else []
            if records:
                spans.append((position, records))
            position += len(piece.text)
        return spans

    def _started(self, request_id: int) -> None:
        self._streamed = []

    def _streamed_record(self, request_id: int, event) -> None:
        while len(self._streamed) <= event.candidate:
            self._streamed.append([])
        self._streamed[event.candidate].append(event.record)

    def _finished(self, request_id: int, result) -> None:
        """Keep the records of each candidate by its text as tidied into the story (the writing session
        accepts it as tidy_output makes it, before or after this runs); the editor's and transcript's
        tints follow their re-render (_overlay_timer)."""
        if self._rewrite is not None:
            self._finish_rewrite(result)
            return
        story = self.document.story
        for text, records in zip(result.texts, result.alternatives):
            kept = tidy_output(text, story, complete=not result.cancelled)
            if kept.strip():
                self._by_text[kept] = records_within(records, text, kept)
        self.refresh_overlay()

    # -- choosing an alternative ---------------------------------------------------------------

    def choose(self, span: int, index: int, choice: TokenChoice) -> None:
        """Write `choice` in place of token `index` of the `span`th generated piece and let the
        model write the rest of the piece anew from there; the old text stays a version."""
        if self.client.busy or self.model.builder is None:
            self.status_bar.showMessage(self.tr("The model is busy or not ready yet: try again in a "
                                                        "moment."), 5000)
            return
        story = self.document.story
        pieces = [i for i, p in enumerate(story.pieces) if p.author is Author.MODEL and self.records(p.text)]
        piece_index = pieces[span]
        records = self.records(story.pieces[piece_index].text)
        prefix = story.pieces[piece_index].text[: records[index].start] + choice.text
        source = replace(story, pieces=story.pieces[:piece_index] + [Piece(Author.MODEL, [prefix])])
        try:
            plan = plan_continuation(source, self.model.builder)
        except StorytellerError as error:
            self.show_error(self.tr("Cannot continue"), error)
            return
        plan.request.settings = replace(plan.request.settings, num_candidates=1)
        plan.request.report_alternatives = REPORTED_ALTERNATIVES
        self._rewrite = (piece_index, prefix, records, index, choice)
        editor = self.editor
        editor.render_story(upto=piece_index)
        editor.begin_stream()
        editor.append_stream(prefix)
        self.client.generate(plan.request)
        self.status_bar.showMessage(self.tr("Writing from the chosen token…"))

    def _delta(self, request_id: int, delta: TextDelta) -> None:
        if self._rewrite is not None and delta.candidate == 0:
            self.editor.append_stream(delta.text)

    def _finish_rewrite(self, result) -> None:
        (piece_index, prefix, records, index, choice), self._rewrite = self._rewrite, None
        editor, story = self.editor, self.document.story
        if editor.streaming:
            editor.end_stream()
        if result.cancelled and not self.keep_partial.isChecked():
            self.status_bar.showMessage(self.tr("Stopped."), 5000)
            return
        text = result.texts[0]
        kept = tidy_output(text, story, complete=not result.cancelled)
        rest = records_within(result.alternatives[0], text, kept) if result.alternatives else []
        self._by_text[prefix + kept] = with_choice(records, index, choice, rest)
        self.document.undo_stack.apply(AddVersion(piece_index, prefix + kept, label="choose token"))
        editor.render_story(keep_cursor=False)
        self.status_bar.showMessage(self.tr("Done.") + " " + self.tr(
            "The text before is kept as a version: browse it with ◀ ▶."), 8000)

    def _failed(self, request_id: int, message: str) -> None:
        self._rewrite = None  # the writing session ends the stream and shows the error

    def _story_changed(self, change) -> None:
        if StoryChange.NEW in change:
            self._rewrite = None  # a late finish must not land in the next story

    # -- the overlay ---------------------------------------------------------------------------

    def _overlay_toggled(self, on: bool) -> None:
        PROBABILITY_COLOURS.write(self.settings, on)
        self.refresh_overlay()

    def refresh_overlay(self) -> None:
        self._overlay_timer.stop()
        on = self.overlay_action.isChecked()
        self.editor_hits.show_overlay(on)
        self.play_hits.show_overlay(on)
