"""The story document: world info, modes, tidying, undo/redo, the context builder, continuing."""

import pytest

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.decode.generator import Generator
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.context import ContextBuilder, ContextError
from storyteller.engine.story.continuation import accept_continuation, plan_continuation
from storyteller.engine.story.document import Author, Mode, Piece, Story, WorldInfoEntry
from storyteller.engine.story.history import AddVersion, ChooseVersion, History, InsertPiece, SetPinned, span_edit
from storyteller.engine.story.modes import (
    InputKind,
    chat_names,
    player_piece,
    stop_strings,
    tidy_output,
    trim_incomplete_sentence,
    turn_settings,
)
from storyteller.engine.story.world_info import Matching


def story_of(*texts, **fields):
    return Story(pieces=[Piece.of(Author.WRITER, t) for t in texts], **fields)


# -- world info ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["철수가 왔다.", "철수는 웃었다.", "그는 철수를 보았다.", "철수"])
def test_keys_match_names_with_particles_attached(text):
    assert WorldInfoEntry(keys=["철수"], content="철수: 소년").matches(text)


def test_word_matching_is_an_option():
    # It replaced the whole-word regex, which missed 철수가 (issue 15): words take their particles.
    entry = WorldInfoEntry(keys=["철수"], content="x")
    assert entry.matches("철수가 왔다.", Matching.WORDS)
    assert entry.matches("그때 철수 혼자 남았다.", Matching.WORDS)
    assert not entry.matches("철수세미로 닦았다.", Matching.WORDS) and entry.matches("철수세미로 닦았다.")


def test_secondary_keys_always_on_and_disabled():
    entry = WorldInfoEntry(keys=["어머니"], secondary_keys=["병", "약"], content="x")
    assert not entry.matches("어머니가 웃었다.")
    assert entry.matches("어머니의 병이 깊었다.")
    assert WorldInfoEntry(keys=[], content="x", always_on=True).matches("")
    assert not WorldInfoEntry(keys=["바다"], content="x", enabled=False).matches("바다")


def test_scan_depth_limits_which_pieces_are_searched():
    story = story_of("용이 나타났다. ", "한참 뒤. ", "아무 일도 없었다. ", "고요했다.",
                     world_info=[WorldInfoEntry(keys=["용"], content="용: 불을 뿜는다.")])
    story.world_info_scan_depth = 3
    assert story.matched_world_info() == []
    story.world_info_scan_depth = 4
    assert len(story.matched_world_info()) == 1
    story.world_info_scan_depth = 0  # the whole story
    assert len(story.matched_world_info()) == 1


# -- modes and tidying -----------------------------------------------------------------------------

def test_adventure_input_kinds_become_action_lines():
    story = story_of("어두운 방이다.", mode=Mode.ADVENTURE)
    assert player_piece(story, "문을 연다", InputKind.DO).text == "\n> 나는 문을 연다.\n"
    assert player_piece(story, "나는 횃불을 든다.", InputKind.DO).text == "\n> 나는 횃불을 든다.\n"
    assert player_piece(story, "누구세요?", InputKind.SAY).text == '\n> "누구세요?"라고 말한다.\n'
    narration = player_piece(story, "바람이 분다.", InputKind.STORY)
    assert narration.text == " 바람이 분다." and narration.author is Author.PLAYER  # not glued to "방이다."


def test_adventure_output_is_cut_where_the_next_action_starts():
    story = story_of("방이다.", mode=Mode.ADVENTURE)
    assert "\n>" in stop_strings(story)
    assert tidy_output("문이 열렸다. 안은 어둡다.\n> 나는 들어간다.", story) == "문이 열렸다. 안은 어둡다."


def test_chat_turns_use_the_configured_names():
    story = story_of(mode=Mode.CHAT, chat_user_name="민수", chat_ai_name="봇")
    assert player_piece(story, "안녕?").text == "민수: 안녕?\n봇:"
    assert tidy_output(" 안녕하세요!\n민수: 또 만나요", story) == " 안녕하세요!\n"


def test_said_lines_use_straight_quotes_as_the_model_writes_them():
    story = story_of("방이다.", mode=Mode.ADVENTURE)
    said = player_piece(story, "거기 누구 있어요?", InputKind.SAY).text
    assert '"거기 누구 있어요?"' in said and "“" not in said and "”" not in said
    assert player_piece(story, '"이미 따옴표"', InputKind.SAY).text == '\n> "이미 따옴표"라고 말한다.\n'
    assert player_piece(story, "“굽은 따옴표”", InputKind.SAY).text == '\n> "굽은 따옴표"라고 말한다.\n'


def test_play_and_chat_turns_have_their_own_length():
    writing = GenerationSettings(max_new_tokens=213, min_new_tokens=100)
    story = story_of("방이다.", generation=writing, play_turn_length=30, chat_turn_length=20)
    assert turn_settings(story).max_new_tokens == 213  # writing uses the Length
    story.mode = Mode.ADVENTURE
    play = turn_settings(story)
    assert (play.max_new_tokens, play.min_new_tokens) == (30, 30) and "\n>" in play.stop_strings
    story.mode = Mode.CHAT
    assert turn_settings(story).max_new_tokens == 20
    asked = writing.replace(max_new_tokens=7, min_new_tokens=0)
    assert turn_settings(story, asked).max_new_tokens == 7  # settings asked for (a CLI --length) are kept


def test_chat_names_are_checked_and_tidied():
    assert chat_names(" 민수 ", "봇") == ("민수", "봇")
    for user, ai in [("", "봇"), ("민:수", "봇"), ("민수", "봇\n로봇"), ("봇", "봇")]:
        with pytest.raises(StorytellerError):
            chat_names(user, ai)


def test_turn_lengths_and_names_are_saved_and_older_files_get_the_defaults():
    from storyteller.engine.story.file import story_from_json, story_to_json

    story = story_of("안녕", mode=Mode.CHAT, chat_user_name="민수", chat_ai_name="봇",
                     play_turn_length=25, chat_turn_length=15)
    loaded = story_from_json(story_to_json(story))
    assert (loaded.chat_user_name, loaded.chat_ai_name, loaded.play_turn_length, loaded.chat_turn_length) == (
        "민수", "봇", 25, 15)
    older = story_to_json(story)
    del older["play"], older["chat"]["turn_length"]  # as files were written before turn lengths
    defaults = Story()
    assert story_from_json(older).play_turn_length == defaults.play_turn_length
    assert story_from_json(older).chat_turn_length == defaults.chat_turn_length
    older["play"] = {"turn_length": 0}
    with pytest.raises(StorytellerError, match="play.turn_length"):
        story_from_json(older)


def test_tidying_options():
    story = story_of()
    assert tidy_output("그는 웃었다. 그리고 말했", story) == "그는 웃었다."
    assert tidy_output("“가자.” 그가 말했다. 하지", story) == "“가자.” 그가 말했다."
    assert tidy_output("“어디 가요?”라고 물", story) == "“어디 가요?”"
    assert tidy_output("문장 끝이 없음", story) == "문장 끝이 없음"  # never lose everything
    assert tidy_output("끝났다.</d>", story) == "끝났다."
    story.tidy.remove_blank_lines = True
    assert tidy_output("하나다.\n\n\n둘이다.", story) == "하나다.\n둘이다."
    story.tidy.trim_incomplete_sentence = False
    assert tidy_output("그는 웃었다. 그리고", story) == "그는 웃었다. 그리고"


def test_trim_keeps_closing_quotes_and_the_newline():
    assert trim_incomplete_sentence("“좋아요!”\n다음") == "“좋아요!”\n"


# -- history ---------------------------------------------------------------------------------------

def test_typing_merges_and_undo_redo_restore_exactly():
    story = story_of("옛날")
    history = History(story)
    history.do(span_edit(story, 2, 2, " 옛"))
    history.do(span_edit(story, 4, 4, "적"))
    history.do(InsertPiece(1, Piece.of(Author.MODEL, "에 호랑이가")))
    assert story.text() == "옛날 옛적에 호랑이가"
    history.undo()
    assert story.text() == "옛날 옛적"
    history.undo()
    assert story.text() == "옛날" and not history.can_undo
    history.redo(), history.redo()
    assert story.text() == "옛날 옛적에 호랑이가"


def test_retry_versions_choose_and_pin_are_undoable():
    story = Story(pieces=[Piece.of(Author.WRITER, "시작. "), Piece.of(Author.MODEL, "첫째.")])
    history = History(story)
    history.do(AddVersion(1, "둘째."))
    assert story.pieces[1].versions == ["첫째.", "둘째."] and story.text() == "시작. 둘째."
    history.do(ChooseVersion(1, 1, 0))
    history.do(SetPinned(1, True))
    assert story.text() == "시작. 첫째." and story.pieces[1].pinned
    history.undo(), history.undo(), history.undo()
    assert story.pieces[1].versions == ["첫째."] and not story.pieces[1].pinned


def test_clean_state_tracks_saving():
    story = story_of("a")
    history = History(story)
    assert history.is_clean
    history.do(span_edit(story, 1, 1, "b"))
    assert not history.is_clean
    history.mark_clean()
    history.do(span_edit(story, 2, 2, "c"))  # must not merge into the saved step
    history.undo()
    assert history.is_clean and story.text() == "ab"


# -- context builder -------------------------------------------------------------------------------

@pytest.fixture
def builder(kogpt2_tokenizer):
    return ContextBuilder(kogpt2_tokenizer, n_positions=256)


def test_context_order_memory_world_info_story_and_note_at_depth(builder):
    story = story_of("첫째 문단이다.\n", "둘째 문단에서 철수가 왔다.\n", "셋째 문단이다.\n",
                     memory="배경: 조선 시대.", authors_note="밝게 쓸 것.", authors_note_depth=1,
                     world_info=[WorldInfoEntry(keys=["철수"], content="철수: 나무꾼."),
                                 WorldInfoEntry(keys=["영희"], content="영희: 선녀.")])
    built = builder.build(story, new_tokens=50)
    assert built.text == ("배경: 조선 시대.\n철수: 나무꾼.\n첫째 문단이다.\n둘째 문단에서 철수가 왔다.\n"
                          "[작가 노트: 밝게 쓸 것.]\n셋째 문단이다.\n")
    totals = built.tokens_by_kind()
    assert totals["memory"] > 0 and totals["world_info"] > 0 and totals["authors_note"] > 0
    assert built.world_info_titles == ["철수"]
    assert built.used <= built.budget == 206


def test_oldest_story_text_is_dropped_first_and_the_result_fits(builder, kogpt2_tokenizer):
    paragraphs = [f"{i}번째 날, 나무꾼은 산에 올라 나무를 했다.\n" for i in range(60)]
    story = story_of(*paragraphs, memory="기억: 나무꾼 이야기.", authors_note="짧게.")
    built = builder.build(story, new_tokens=50)
    assert built.dropped_story_tokens > 0 and built.text.startswith("기억: 나무꾼 이야기.\n")
    assert len(kogpt2_tokenizer.encode(built.text)) <= 206
    assert "59번째 날" in built.text and "\n0번째 날" not in built.text and "\n1번째 날" not in built.text
    assert built.dropped_story_text.endswith("\n")
    again = builder.build(story_of(*paragraphs, "새 문단.\n", memory=story.memory, authors_note="짧게."), 50)
    assert again.dropped_story_text == built.dropped_story_text  # same cut: prompt cache stays valid


def test_too_large_memory_names_the_part_and_the_excess(builder):
    story = story_of("이야기.", memory="아주 긴 기억. " * 200)
    with pytest.raises(ContextError, match=r"The memory is too large.*Shorten the memory by at least \d+ tokens"):
        builder.build(story, new_tokens=50)


# -- continuing a story ----------------------------------------------------------------------------

def test_continue_retry_and_undo_through_the_generator(tiny_loaded):
    story = story_of("옛날 옛적에 한 나무꾼이 살았다.", generation=GenerationSettings(max_new_tokens=12, seed=4))
    story.tidy.trim_incomplete_sentence = False
    history, builder, generator = History(story), ContextBuilder(tiny_loaded.tokenizer, 128), Generator(tiny_loaded)
    plan = plan_continuation(story, builder)
    first = accept_continuation(story, history.do, plan, generator.generate(plan.request))
    assert story.pieces[-1].author is Author.MODEL and story.text().endswith(first)
    retry = plan_continuation(story, builder, retry=True)
    assert retry.request.prompt == "옛날 옛적에 한 나무꾼이 살았다."
    second = accept_continuation(story, history.do, retry, generator.generate(retry.request))
    assert story.pieces[-1].versions == [first, second] and len(story.pieces) == 2
    history.undo()
    assert story.pieces[-1].versions == [first]
    history.undo()
    assert story.text() == "옛날 옛적에 한 나무꾼이 살았다."


def test_a_continuation_writes_at_least_half_its_length_before_an_end_of_text(tiny_loaded):
    from storyteller.engine.decode.requests import DecodeHooks

    class EndAtOnce:  # a model that would end the document right after the writer's sentence
        def __call__(self, input_ids, scores):
            scores[:, tiny_loaded.tokenizer.eos_token_id] += 1000.0
            return scores

    story = story_of("옛날 옛적에 한 나무꾼이 살았다.", generation=GenerationSettings(max_new_tokens=12, seed=4))
    story.tidy.trim_incomplete_sentence = False
    plan = plan_continuation(story, ContextBuilder(tiny_loaded.tokenizer, 128),
                             hooks=DecodeHooks(logits_processors=[EndAtOnce()]))
    result = Generator(tiny_loaded).generate(plan.request)
    assert len(result.token_ids[0]) == 6 and result.stop_reasons == ["end"] and result.texts[0]  # half of 12
    assert plan.request.settings.min_new_tokens == 0  # the engine's floor, not a copy of its own
    story.generation = story.generation.replace(min_new_tokens=2)  # the writer's own minimum stands
    plan = plan_continuation(story, ContextBuilder(tiny_loaded.tokenizer, 128),
                             hooks=DecodeHooks(logits_processors=[EndAtOnce()]))
    assert len(Generator(tiny_loaded).generate(plan.request).token_ids[0]) == 2


def test_retry_refuses_pinned_or_missing_continuations(builder):
    story = Story(pieces=[Piece.of(Author.WRITER, "a")])
    with pytest.raises(StorytellerError, match="no continuation"):
        plan_continuation(story, builder, retry=True)
    story.pieces.append(Piece(Author.MODEL, ["b"], pinned=True))
    with pytest.raises(StorytellerError, match="pinned"):
        plan_continuation(story, builder, retry=True)


def test_mode_stop_strings_reach_the_request(builder):
    story = story_of("방이다.", mode=Mode.ADVENTURE, generation=GenerationSettings(stop_strings=("끝",)))
    plan = plan_continuation(story, builder)
    assert plan.request.settings.stop_strings == ("끝", "\n>", "\n >")


# -- free editing (what the GUI editor sends) ------------------------------------------------------



def edited(story, start, end, text):
    history = History(story)
    command = span_edit(story, start, end, text)
    history.do(command)
    return history


def test_typing_at_the_end_after_model_text_starts_a_writer_piece():
    story = Story(pieces=[Piece.of(Author.WRITER, "가나"), Piece.of(Author.MODEL, "다라")])
    edited(story, 4, 4, "마")
    assert [(p.author, p.text) for p in story.pieces] == [(Author.WRITER, "가나"), (Author.MODEL, "다라"),
                                                          (Author.WRITER, "마")]


def test_typing_merges_into_one_step_and_joins_the_writer_piece():
    story = Story(pieces=[Piece.of(Author.MODEL, "다라"), Piece.of(Author.WRITER, "마")])
    history = History(story)
    for position, char in ((3, "바"), (4, "사")):
        history.do(span_edit(story, position, position, char))
    assert story.pieces[-1].text == "마바사" and len(story.pieces) == 2
    history.undo()
    assert story.text() == "다라마"


def test_editing_inside_model_text_keeps_it_the_models():
    story = Story(pieces=[Piece.of(Author.WRITER, "가"), Piece(Author.MODEL, ["나다라", "다른"], chosen=0)])
    edited(story, 2, 3, "X")
    assert story.pieces[1].author is Author.MODEL and story.pieces[1].versions == ["나X라", "다른"]


def test_deleting_across_pieces_and_undo_restores_exactly():
    story = Story(pieces=[Piece.of(Author.WRITER, "하나 "), Piece.of(Author.MODEL, "둘 "),
                          Piece.of(Author.WRITER, "셋")])
    history = edited(story, 1, 5, "")
    assert story.text() == "하셋" and [p.author for p in story.pieces] == [Author.WRITER, Author.WRITER]
    history.undo()
    assert [(p.author, p.text) for p in story.pieces] == [(Author.WRITER, "하나 "), (Author.MODEL, "둘 "),
                                                          (Author.WRITER, "셋")]


def test_typing_into_an_empty_story():
    story = Story()
    edited(story, 0, 0, "첫 글자")
    assert story.text() == "첫 글자" and story.pieces[0].author is Author.WRITER


def test_context_never_hangs_when_memory_nearly_fills_the_budget(kogpt2_tokenizer):
    """Regression: the note's own line and the seams were not counted, the story budget went
    negative and the trimmer looped forever, freezing the GUI while the writer typed memory."""
    builder = ContextBuilder(kogpt2_tokenizer, n_positions=1024)
    story = story_of(*[f"{i}번째 문단이다.\n" for i in range(200)], authors_note="분위기는 어둡게",
                     authors_note_template="{note}")
    for length in range(2600, 2700, 3):
        story.memory = ("가나다라마바사 " * 400)[:length]
        try:
            built = builder.build(story, new_tokens=80)
        except ContextError as error:
            assert "memory" in str(error)
            continue
        assert len(kogpt2_tokenizer.encode(built.text)) <= built.budget


def test_length_at_or_above_the_context_is_named_as_the_problem(builder):
    with pytest.raises(ContextError, match=r"The length \(256 new tokens\) must be less than"):
        builder.build(story_of("이야기."), new_tokens=256)


def test_trimmer_with_no_room_returns_nothing_instead_of_looping(kogpt2_tokenizer):
    from storyteller.engine.decode.trim import LeftTrimmer

    text = "문장이다. " * 50
    assert LeftTrimmer(kogpt2_tokenizer).fit(text, 0) == ([], text, len(kogpt2_tokenizer.encode(text)))


# -- candidates kept as versions (issue 16, point 10) ----------------------------------------------

def finished_with(*texts):
    from storyteller.engine.decode.requests import GenerationResult

    return GenerationResult(list(texts), [[1]] * len(texts), ["length"] * len(texts), 0, 1, 0, 0, "", 0.0, 0.0)


def test_the_candidates_not_chosen_stay_as_versions_of_the_piece(builder):
    story = story_of("옛날에.")
    story.tidy.trim_incomplete_sentence = False
    history = History(story)
    plan = plan_continuation(story, builder)
    chosen = accept_continuation(story, history.do, plan, finished_with(" 하나.", " 둘.", " ", " 하나."), candidate=1)
    piece = story.pieces[-1]
    assert chosen == " 둘." and story.text() == "옛날에. 둘."
    assert piece.versions == [" 둘.", " 하나."] and piece.chosen == 0  # no empty text, no duplicate
    history.do(ChooseVersion(1, 0, 1))
    assert story.text() == "옛날에. 하나."

    # A retry with candidates: the chosen one is selected, the others follow it, the old ones stay.
    retry = plan_continuation(story, builder, retry=True)
    accept_continuation(story, history.do, retry, finished_with(" 셋.", " 넷.", " 다섯."), candidate=2)
    assert piece.versions == [" 둘.", " 하나.", " 다섯.", " 셋.", " 넷."] and piece.chosen == 2
    history.undo()  # one step takes the whole retry back
    assert piece.versions == [" 둘.", " 하나."] and piece.chosen == 1
    history.undo()
    history.undo()
    assert story.text() == "옛날에."
    history.redo()
    assert story.pieces[-1].versions == [" 둘.", " 하나."]
