"""Scenarios: placeholders, the file format (round trip, strict loading), the shipped starters, NovelAI and
KoboldAI Lite imports (samples in tests/data written to their public formats), the CLI and the dialogs."""

from __future__ import annotations

import json

import pytest

from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.document import Author, Mode, Piece, Story
from storyteller.engine.story.file import VERSION as STORY_VERSION
from storyteller.engine.story.file import StoryFileError, load_story
from storyteller.engine.story.formats import import_scenario
from storyteller.engine.story.scenarios import (
    Placeholder,
    ScenarioError,
    fill,
    library,
    load_scenario,
    save_scenario,
    scenario_from_json,
    scenario_from_story,
    scenario_to_json,
)
from tests.helpers.cli import storyteller
from tests.helpers.paths import ARTIFACTS, ROOT
from tests.helpers.stories import template_story

DATA = ROOT / "tests" / "data"


# -- placeholders ---------------------------------------------------------------------------------


def test_particles_after_a_placeholder_fit_the_value():
    text = "${a}은 ${a}가 ${a}를 ${a}로 ${a}와 ${a}야, ${a}이다 ${b}"
    assert fill(text, {"a": "민수"}) == "민수는 민수가 민수를 민수로 민수와 민수야, 민수이다 ${b}"
    assert fill(text, {"a": "지훈"}) == "지훈은 지훈이 지훈을 지훈으로 지훈과 지훈아, 지훈이다 ${b}"
    assert fill("${a}으로", {"a": "서울"}) == "서울로"  # ㄹ takes 로
    assert fill("${a}나 ${a}이랑", {"a": "지훈"}) == "지훈이나 지훈이랑"  # every pair the steering words know
    assert fill("${a}는", {"a": "Alex"}) == "Alex는"  # not Hangul: the writer's choice stands


def test_a_story_becomes_a_scenario_and_a_new_story_with_the_values_asked_for():
    scenario = scenario_from_story(template_story(), "모험", "설명")
    assert [(p.key, p.default, p.description) for p in scenario.placeholders] == [
        ("주인공", "민수", "주인공의 이름"), ("고향", "부산", "")]
    assert scenario.story.memory == "${주인공}은 ${고향}에서 왔다."  # definitions moved out of the text
    assert scenario.opening == "${주인공}을 부르는 소리가 들렸다.\n${고향}의 바다." and not scenario.story.pieces

    story = scenario.start({"주인공": "지은"})
    assert story.title == "지은의 모험" and story.memory == "지은은 부산에서 왔다."
    assert story.pieces[0].text == "지은을 부르는 소리가 들렸다.\n부산의 바다."
    assert story.pieces[0].author is Author.WRITER
    assert story.world_info[0].keys == ["지은", "고향"] and story.world_info[0].comment == "지은"
    assert story.authors_note == "지은이 겁먹지 않게" and story.chat_user_name == "지은"
    assert story.generation.top_k == 33 and story.steering.banned == ("악당",) and story.mode is Mode.ADVENTURE
    assert story.id != scenario.start().id  # each story is its own
    assert scenario.start().memory == "민수는 부산에서 왔다."  # the defaults, particles fitted


def test_a_placeholder_without_default_must_be_given():
    scenario = scenario_from_story(Story(pieces=[Piece.of(Author.WRITER, "${이름:네 이름은?}이 웃었다.")]), "t")
    assert scenario.missing({}) == [Placeholder("이름", "", "네 이름은?")]
    with pytest.raises(ScenarioError, match=r"needs a value for \$\{이름\}.*--set 이름="):
        scenario.start({"이름": "  "})
    assert scenario.start({"이름": "하나"}).text() == "하나가 웃었다."


# -- files ----------------------------------------------------------------------------------------


def test_scenario_files_round_trip(tmp_path):
    scenario = scenario_from_story(template_story(), "모험", "바다 이야기")
    path = save_scenario(scenario, tmp_path / "모험.scenario.json")
    loaded = load_scenario(path)
    assert scenario_to_json(loaded) == scenario_to_json(scenario)
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == "storyteller-scenario" and data["version"] == 1
    assert "pieces" not in data["story"] and "id" not in data["story"] and data["story"]["version"] == STORY_VERSION
    assert loaded.keeps_settings and loaded.key == "모험"


def test_a_scenario_without_sampling_starts_from_the_apps_defaults(tmp_path):
    path = tmp_path / "bare.scenario.json"
    path.write_text(json.dumps({"format": "storyteller-scenario", "version": 1, "title": "맨몸", "opening": "시작",
                                "story": {"format": "storyteller-story", "version": 1}}), "utf-8")
    scenario = load_scenario(path)
    assert not scenario.keeps_settings
    mine = GenerationSettings(top_k=7)
    assert scenario.start(generation=mine).generation == mine
    assert scenario.start().generation.top_k == 50  # the Default preset
    assert "generation" not in scenario_to_json(scenario)["story"]


@pytest.mark.parametrize("data, message", [
    ({"format": "storyteller-scenario", "version": 9}, "newer Storyteller.*version 9"),
    ({"format": "storyteller-story", "version": 1}, "not a Storyteller scenario"),
    ({"format": "storyteller-scenario", "version": 1, "opening": 3}, '"opening" must be text, not int'),
    ({"format": "storyteller-scenario", "version": 1, "placeholders": [{"key": "a[b"}]},
     r'"placeholders\[0\].key" is "a\[b"; a placeholder.s key is a name without'),
    ({"format": "storyteller-scenario", "version": 1, "placeholders": [{"key": "a", "default": 1}]},
     r'"placeholders\[0\].default" must be text'),
    ({"format": "storyteller-scenario", "version": 1,
      "story": {"format": "storyteller-story", "version": 1, "memory": []}}, '"memory" must be text'),
    ({"format": "storyteller-scenario", "version": 1, "story": {"format": "storyteller-story", "version": 1,
      "pieces": [{"author": "writer", "versions": ["x"]}]}}, 'put the text that starts it in "opening"'),
])
def test_bad_scenario_files_are_refused_with_a_message_naming_the_problem(data, message):
    with pytest.raises(StoryFileError, match=message):  # a ScenarioError, or the story reader's own
        scenario_from_json(data, "x.scenario.json")


def test_files_that_are_not_json_are_refused(tmp_path):
    (tmp_path / "a.scenario.json").write_bytes(b"\xff\xfe{")
    (tmp_path / "b.json").write_text('{"something": 1}', "utf-8")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(tmp_path / "a.scenario.json")
    with pytest.raises(ScenarioError, match="not a scenario Storyteller reads"):
        import_scenario(tmp_path / "b.json")


# -- shipped starters -------------------------------------------------------------------------------


def test_the_shipped_scenarios_load_and_start_with_their_defaults():
    found = library()
    assert not found.problems
    shipped = [s for s in found.scenarios if s.shipped]
    assert {s.key for s in shipped} >= {"fantasy", "martial", "sf", "horror", "mystery", "romance"}
    for scenario in shipped:
        story = scenario.start()
        texts = [story.title, story.memory, story.authors_note, story.text(),
                 *(e.content for e in story.world_info), *(k for e in story.world_info for k in e.keys)]
        assert all("${" not in text for text in texts), scenario.key
        assert story.text().strip() and story.memory.startswith("장르:"), scenario.key
        if scenario.story.mode is Mode.ADVENTURE:  # the Play view starts them without asking
            assert not scenario.placeholders, scenario.key
    assert any(s.placeholders for s in shipped)  # and some ask for names
    assert len({s.story.memory for s in shipped}) == len(shipped)


def test_stories_from_scenarios_match_world_info_keys_as_words_like_blank_ones(tmp_path):
    """Genre and scenario stories started with whole-word matching off while blank ones had it on
    (issue 27): a scenario is a new story's start, not an old file; one that says otherwise keeps it."""
    from storyteller.engine.story.document import Story
    from storyteller.engine.story.world_info import Matching

    assert Story().world_info_matching is Matching.WORDS
    for scenario in library().scenarios:
        values = {placeholder.key: "민준" for placeholder in scenario.placeholders}
        assert scenario.start(values).world_info_matching is Matching.WORDS, scenario.key
    saved = {"format": "storyteller-scenario", "version": 1, "title": "옛 방식",
             "story": {"format": "storyteller-story", "version": 1, "world_info": {"whole_word": False}}}
    path = tmp_path / "old.scenario.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    assert scenario_from_json(json.loads(path.read_text(encoding="utf-8"))).start().world_info_matching \
        is Matching.TEXT


# -- imports ----------------------------------------------------------------------------------------


def test_import_a_novelai_scenario():
    scenario = import_scenario(DATA / "novelai_lighthouse.scenario")
    assert scenario.title == "등대지기의 딸" and scenario.description.startswith("외딴섬")
    assert [(p.key, p.default, p.description) for p in scenario.placeholders] == [
        ("아버지", "김영철", "아버지의 이름"), ("이름", "하윤", "주인공의 이름")]
    assert not scenario.keeps_settings  # NovelAI's sampling is for its own models
    story = scenario.start({"이름": "민서"})
    assert story.text().startswith("민서는 새벽마다 등대의") and "아버지 김영철가" not in story.text()
    assert "아버지 김영철이 배를" in story.text()
    assert story.memory.startswith("민서: 열일곱 살") and story.authors_note == "[ 문체: 서정적, 바다와 바람의 묘사 ]"
    lighthouse, island = story.world_info
    assert lighthouse.keys == ["등대", "불빛"] and lighthouse.comment == "등대"
    assert lighthouse.content.startswith("등대:")
    assert not island.enabled and island.always_on


def test_import_a_kobold_lite_chat_scenario_with_user_and_char():
    scenario = import_scenario(DATA / "kobold_lite_fortune_teller.json")
    assert scenario.title == "점집의 밤" and scenario.story.mode is Mode.CHAT
    assert [(p.key, p.default) for p in scenario.placeholders] == [("user", "여행자"), ("char", "점쟁이")]
    story = scenario.start({"user": "민호"})
    assert (story.chat_user_name, story.chat_ai_name) == ("민호", "점쟁이")
    assert story.memory.startswith("점쟁이는 골목 끝") and "민호는 길을 잃은" in story.memory
    assert "점쟁이: 어서 오게." in story.text() and "민호: 제 앞날이" in story.text()
    assert story.world_info[0].keys == ["수정구슬"] and "점쟁이의 탁자" in story.world_info[0].content


def test_import_a_kobold_lite_save_as_a_scenario():
    scenario = import_scenario(DATA / "kobold_lite_save.json")
    assert scenario.story.mode is Mode.ADVENTURE and not scenario.placeholders
    assert scenario.opening == ("성문은 이미 닫혀 있었다. 나는 성벽을 따라 걸었다.\n> 나는 문을 두드린다.\n"
                                "경비병이 창을 겨누었다.")
    assert scenario.story.authors_note_template == "[Author's note: {note}]"
    assert [e.keys for e in scenario.story.world_info] == [["경비병", "경비"]]  # Lite's empty last entry dropped


# -- the command line -------------------------------------------------------------------------------


def test_cli_lists_starts_saves_and_imports_scenarios(tmp_path):
    env = {"STORYTELLER_DATA_DIR": str(tmp_path / "data")}
    listed = storyteller("scenario", "list", env_extra=env)
    assert listed.returncode == 0 and "novel-regression" in listed.stdout and "--set 주인공=" in listed.stdout
    out = tmp_path / "new.story.json"
    made = storyteller("scenario", "new", "novel-regression", "--set", "주인공=민수", "-o", str(out), env_extra=env)
    assert made.returncode == 0, made.stderr
    story = load_story(out)
    assert story.text().startswith("눈을 떴을 때 민수는") and "${" not in story.memory
    wrong = storyteller("scenario", "new", "novel-regression", "--set", "이름=x", "-o", str(out), env_extra=env)
    assert wrong.returncode == 2 and "주인공, 직업" in wrong.stderr
    again = storyteller("scenario", "new", "novel-letter", "-o", str(out), env_extra=env)
    assert again.returncode == 2 and "--force" in again.stderr and load_story(out).text() == story.text()
    saved = storyteller("scenario", "save", str(out), "--title", "내 회귀", env_extra=env)
    assert saved.returncode == 0 and (tmp_path / "data" / "scenarios" / "내_회귀.scenario.json").is_file()
    imported = storyteller("scenario", "import", str(DATA / "novelai_lighthouse.scenario"), env_extra=env)
    assert imported.returncode == 0, imported.stderr
    listed = storyteller("scenario", "list", env_extra=env).stdout
    assert "내 회귀" in listed and "등대지기의 딸" in listed and "(yours)" in listed
    from_file = storyteller("scenario", "new", str(DATA / "kobold_lite_fortune_teller.json"), "-o",
                            str(tmp_path / "chat.story.json"), env_extra=env)
    assert from_file.returncode == 0 and load_story(tmp_path / "chat.story.json").mode is Mode.CHAT


# -- the dialogs --------------------------------------------------------------------------------------


def picker_row(picker, key: str) -> int:
    for row in range(picker.list.count()):
        index = picker.list.item(row).data(0x0100)  # Qt.UserRole
        if index is not None and picker.scenarios[index].key == key:
            return row
    raise AssertionError(f"{key} is not listed")


def test_the_play_views_genres_are_the_shipped_adventure_scenarios(qtbot, window):
    genres = [window.play.genre.itemData(i) for i in range(window.play.genre.count())]
    assert genres == [s.key for s in library().scenarios if s.shipped and s.story.mode is Mode.ADVENTURE]
    assert window.play.genre.itemText(0) == window.play.genres[genres[0]].title


def test_new_from_scenario_asks_for_the_placeholders_and_starts_the_story(qtbot, window):
    window.findChild(type(window.continue_action), "newFromScenario").trigger()
    picker = window.files.scenario_picker
    qtbot.waitExposed(picker)
    picker.list.setCurrentRow(picker_row(picker, "novel-letter"))
    assert set(picker.fields) == {"주인공", "마을"} and picker.fields["마을"].placeholderText() == "소리섬"
    assert "바다 마을" in picker.preview.toPlainText() and "집배원" in picker.preview.toPlainText()
    assert picker.start_button.isEnabled()  # every placeholder has a default
    picker.fields["주인공"].setText("한결")
    ARTIFACTS.mkdir(exist_ok=True)
    picker.grab().save(str(ARTIFACTS / "scenario-picker.png"))
    picker.start_button.click()
    story = window.story
    assert story.text().startswith("소리섬 우체국에") and "집배원 한결은" in story.text()
    assert window.editor.toPlainText() == story.text() and window.notes.memory.toPlainText() == story.memory
    assert story.generation == window.files.default_settings()  # the shipped starter keeps no sampling


def test_save_as_scenario_then_start_from_it(qtbot, window):
    window.story.memory = "${동료:동료의 이름}와 함께 떠난다."
    window.editor.setPlainText("${동료}가 지도를 펼쳤다.")
    window.findChild(type(window.continue_action), "saveAsScenario").trigger()
    saver = window.files.scenario_saver
    qtbot.waitExposed(saver)
    from PySide6.QtWidgets import QLabel

    assert "${동료}" in saver.findChild(QLabel, "scenarioPlaceholders").text()  # what a start will ask for
    saver.title_field.setText("지도 여행")
    saver.description_field.setPlainText("동료와 떠나는 여행")
    saver.grab().save(str(ARTIFACTS / "scenario-save.png"))
    saver.save_button.click()
    from storyteller.engine.story.scenarios import user_path_for

    path = user_path_for("지도 여행")
    assert path.is_file() and load_scenario(path).placeholders == [Placeholder("동료", "", "동료의 이름")]
    window.files.new_from_scenario()
    picker = window.files.scenario_picker
    picker.list.setCurrentRow(picker_row(picker, "지도_여행"))
    assert not picker.start_button.isEnabled()  # no default: the writer must give a name
    picker.fields["동료"].setText("지호")
    assert picker.start_button.isEnabled()
    picker.start_button.click()
    assert window.story.text() == "지호가 지도를 펼쳤다." and window.story.memory == "지호와 함께 떠난다."

    window.files.new_from_scenario()  # and the writer's own can be deleted again; shipped ones cannot
    picker = window.files.scenario_picker
    picker.list.setCurrentRow(picker_row(picker, "fantasy"))
    assert not picker.delete_button.isEnabled()
    picker.list.setCurrentRow(picker_row(picker, "지도_여행"))
    picker.delete_button.click()
    assert not path.exists() and "지도_여행" not in [s.key for s in picker.scenarios]
    assert picker.scenario() is not None and picker.scenario().shipped
    picker.reject()


def test_import_scenario_joins_the_writers_scenarios_and_opens_it(qtbot, window):
    window.files.import_scenario_from(DATA / "novelai_lighthouse.scenario")
    picker = window.files.scenario_picker
    assert picker.scenario().title == "등대지기의 딸" and not picker.scenario().shipped
    assert set(picker.fields) == {"아버지", "이름"}
    picker.list.itemActivated.emit(picker.list.currentItem())  # a double-click starts it too
    assert window.story.text().startswith("하윤은 새벽마다")
    window.files.import_scenario_from(DATA / "novelai_lighthouse.scenario")  # again: a second copy, not a clash
    assert window.files.scenario_picker.scenario().path.name == "등대지기의_딸-2.scenario.json"
    window.files.scenario_picker.reject()
    window.files.import_scenario_from(DATA / "nothing-here.json")
    assert "does not exist" in window.last_error.text()

