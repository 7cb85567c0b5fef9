"""How each mode turns player input into story text and cuts the model's output.

- story: text is appended as is;
- adventure: player input becomes a `> …` action line (do / say / story kinds), and the model's
  output is cut where it starts writing the player's next action;
- chat: `사용자:` / `AI:` turns, the output cut at the next turn.

Play and Chat turns have their own length (the story's `play_turn_length`, `chat_turn_length`):
the writing Length would run on for paragraphs. Said lines use straight quotes ("…"), as the model
and most Korean web text write them, so the story does not mix two kinds.
"""

from __future__ import annotations

import re
from enum import Enum

from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.korean.analysis import final_punctuation_end, sentence_spans
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.document import Author, Mode, Piece, Story, TidyOptions, normalize_text

SENTENCE_ENDERS = ("다.", "요.", "까?", ".", "!", "?", "…", "。")
STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"'})  # what the player types is kept the model's way
CLOSING_QUOTES = "」』”’\"')"


class InputKind(str, Enum):
    DO = "do"  # 문을 연다 → > 나는 문을 연다.
    SAY = "say"  # 누구세요? → > "누구세요?"라고 말한다.
    STORY = "story"  # appended as narration


def player_piece(story: Story, text: str, kind: InputKind = InputKind.DO) -> Piece:
    """The piece the player's input becomes in the story's mode."""
    text = text.strip()
    if story.mode is Mode.CHAT:
        return Piece.of(Author.PLAYER, f"{_line_start(story)}{story.chat_user_name}: {text}\n{story.chat_ai_name}:")
    if story.mode is Mode.ADVENTURE and kind is not InputKind.STORY:
        return Piece.of(Author.PLAYER, f"{_line_start(story)}> {_action(text, kind)}\n")
    # Narration must not stick to the sentence before it ("열렸다.나는").
    separator = "" if not story.pieces or story.text()[-1:].isspace() else " "
    return Piece.of(Author.WRITER if story.mode is Mode.STORY else Author.PLAYER, separator + text)


def _line_start(story: Story) -> str:
    return "" if not story.pieces or story.text().endswith("\n") else "\n"


def _action(text: str, kind: InputKind) -> str:
    if kind is InputKind.SAY:
        text = text.translate(STRAIGHT_QUOTES)
        quoted = text if text[:1] in "\"'" else f'"{text}"'
        return f"{quoted}라고 말한다."
    if not re.match(r"(나는|내가|나도|나를|난)\s", text):
        text = f"나는 {text}"
    return text if text.endswith(SENTENCE_ENDERS) else f"{text}."


def stop_strings(story: Story) -> tuple[str, ...]:
    """Where the model has started writing the player's part: generation stops there."""
    if story.mode is Mode.ADVENTURE:
        return ("\n>", "\n >")
    if story.mode is Mode.CHAT:
        return (f"\n{story.chat_user_name}:", f"\n{story.chat_ai_name}:")
    return ()


def turn_length(story: Story) -> int | None:
    """The most tokens one model turn takes in the story's mode; None where the writing Length rules."""
    return {Mode.ADVENTURE: story.play_turn_length, Mode.CHAT: story.chat_turn_length}.get(story.mode)


def turn_settings(story: Story, given: GenerationSettings | None = None) -> GenerationSettings:
    """The settings a continuation of `story` runs with: `given` ones as they are, else the story's
    own with its mode's turn length; either way with the mode's stop strings."""
    settings = given or story.generation
    changes = {"stop_strings": tuple(dict.fromkeys(settings.stop_strings + stop_strings(story)))}
    length = turn_length(story)
    if given is None and length is not None:
        changes.update(max_new_tokens=length, min_new_tokens=min(settings.min_new_tokens, length))
    return settings.replace(**changes)


def chat_names(user: str, ai: str) -> tuple[str, str]:
    """The two speakers' names, stripped; a StorytellerError says what is wrong with unusable ones
    (a turn is one `name: text` line, and each speaker's line must be told apart)."""
    user, ai = user.strip(), ai.strip()
    for name in (user, ai):
        if not name:
            raise StorytellerError(tr("A speaker needs a name."))
        if ":" in name or "\n" in name:
            raise StorytellerError(tr("A speaker's name cannot hold a colon or a line break: {name}"), name=name)
    if user == ai:
        raise StorytellerError(tr("You and the model need different names, not both {name}."), name=user)
    return user, ai


def tidy_output(text: str, story: Story, *, complete: bool = True) -> str:
    """The model's text as it goes into the story: cut at the player's turn, tidied as the
    story's options say. `complete` is False for a stopped generation whose end is arbitrary."""
    for stop in stop_strings(story):
        if stop in text:
            text = text[: text.index(stop)]
    text = normalize_text(text)
    options: TidyOptions = story.tidy
    if options.strip_special_tokens:
        text = re.sub(r"</?d>|</s>|<\|endoftext\|>|<(?:unk|pad|mask|usr|sys|unused\d+)>", "", text)
    if options.remove_blank_lines:
        text = re.sub(r"\n[ \t]*(?=\n)", "", text)
    if options.trim_incomplete_sentence and complete:
        text = trim_incomplete_sentence(text)
    if story.mode is Mode.CHAT:
        text = text.rstrip() + "\n"
    return text


def trim_incomplete_sentence(text: str) -> str:
    """Cut after the last complete sentence, as Kiwi reads the sentences (closing quotes and the
    line break after it kept). Where no sentence is complete, cut after the last quoted or marked
    sentence end inside it (“어디 가요?”라고 물 → “어디 가요?”); text without any is kept whole
    rather than lost."""
    spans = sentence_spans(text)
    if not spans or spans[-1][2]:
        return text
    best = max((end for _, end, complete in spans if complete), default=-1)
    if best < 0:
        best = final_punctuation_end(text)
    return text[: past_closers(text, best)] if best >= 0 else text


def past_closers(text: str, end: int) -> int:
    """Where a sentence ending at `end` really ends: after its closing quotes and one line break."""
    while end < len(text) and text[end] in CLOSING_QUOTES:
        end += 1
    return end + 1 if end < len(text) and text[end] == "\n" else end
