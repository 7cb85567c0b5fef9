"""Issue 29, the file doors: every story and scenario format a writer imports, fuzzed. Each case imports (and
what imported saves and reads back) or ends in a clear StorytellerError; never another exception, and
a failed import changes no file. tests/helpers/doors.py says what each door is given;
benchmarks/bench_fuzz.py is the long mode."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings

from storyteller.engine.core.errors import StorytellerError
from storyteller.engine.story.file import StoryFileError, load_story
from storyteller.engine.story.formats import MAX_PIECES, import_kobold, import_scenario, import_text
from storyteller.engine.story.scenarios import ScenarioError, user_path_for
from tests.helpers import doors

DOORS = doors.story_doors()
FUZZ = settings(max_examples=80, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doors")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORYTELLER_DATA_DIR", str(folder / "data"))  # imported scenarios land in data/scenarios
        yield folder


@pytest.mark.parametrize("door", ["novelai scenario", "kobold lite scenario", "kobold lite save",
                                  "storyteller scenario"])
def test_scenario_imports_end_in_a_scenario_or_a_clear_error(workdir, door):
    cases, attempt = DOORS[door]
    given(cases)(FUZZ(lambda case: doors.check(attempt(workdir, case))))()


def test_kobold_saves_end_in_a_story_or_a_clear_error(workdir):
    cases, attempt = DOORS["kobold save"]
    given(cases)(FUZZ(lambda case: doors.check(attempt(workdir, case))))()


def test_text_and_markdown_end_in_a_story_or_a_clear_error(workdir):
    cases, attempt = DOORS["text and markdown"]
    given(cases)(settings(FUZZ, max_examples=20)(lambda case: doors.check(attempt(workdir, case))))()


# -- what the fuzzing found, and what each door says --------------------------------------------


def _novelai(**changes) -> dict:
    data = json.loads((doors.DATA / "novelai_lighthouse.scenario").read_text(encoding="utf-8"))
    return {**data, **changes}


@pytest.mark.parametrize("changes, message", [
    ({"placeholders": 5}, r'"placeholders" must be a list, not int 5'),  # the TypeError of issue 29
    ({"placeholders": [{"key": True}]}, r'"placeholders\[0\]\.key" must be text, not bool True'),
    ({"placeholders": [{"key": "a}b"}]}, r'"placeholders\[0\]\.key" is "a}b"; a placeholder.s key'),
    ({"lorebook": 1.5}, r'"lorebook" must be an object, not float 1\.5'),
    ({"lorebook": {"entries": [{"keys": "등대"}]}}, r'"lorebook\.entries\[0\]\.keys" must be a list'),
    ({"lorebook": {"entries": [{"keys": ["a", 3]}]}}, r'"lorebook\.entries\[0\]\.keys\[1\]" must be text'),
    ({"lorebook": {"entries": [{"enabled": 0}]}}, r'"lorebook\.entries\[0\]\.enabled" must be true or false'),
    ({"context": [{"text": False}]}, r'"context\[0\]\.text" must be text, not bool'),
    ({"prompt": 2.5}, r'"prompt" must be text, not float 2\.5'),
])
def test_a_novelai_scenario_with_a_wrong_field_names_it(tmp_path, changes, message):
    path = tmp_path / "x.scenario"
    path.write_text(json.dumps(_novelai(**changes)), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message) as raised:
        import_scenario(path)
    assert str(path) in str(raised.value)


@pytest.mark.parametrize("save, message", [
    ({"actions": {"actions": 3}}, r'"actions\.actions" must be an object, not int 3'),
    ({"actions": {"actions": {"²": {"Selected Text": "x"}}}}, None),  # isdigit, but no int: skipped
    ({"actions": {"actions": {"0": {"Selected Text": "x", "Options": [5]}}}},
     r'"actions\.actions\.0\.Options\[0\]" must be an object'),
    ({"actions": ["a", None]}, r'"actions\[1\]" must be text, not NoneType'),
    ({"actions": 5}, r'"actions" must be a list or an object, not int 5'),
    ({"actions": [], "worldinfo": [{"key": ["a"]}]}, r'"worldinfo\[0\]\.key" must be text, not list'),
    ({"actions": [], "worldinfo": [{"key": "a", "constant": "yes"}]}, r'"worldinfo\[0\]\.constant" must be true'),
    ({"actions": [], "memory": None, "authorsnote": None, "worldinfo": None}, None),  # null: not set
])
def test_a_kobold_save_with_a_wrong_field_names_it(tmp_path, save, message):
    path = tmp_path / "save.json"
    path.write_text(json.dumps(save), encoding="utf-8")
    if message is None:
        import_kobold(path)
        return
    with pytest.raises(StoryFileError, match=message):
        import_kobold(path)


@pytest.mark.parametrize("content, message", [
    (b'{"prompt": "\\ud800"}', r'"prompt" is not valid Unicode text'),
    (b'{"prompt": NaN}', r"NaN is not a number JSON allows"),
    (b'{"prompt": ' + b"9" * 5000 + b"}", r"5000 digits\) is not a number JSON allows"),
    (b"[" * 100_000, r"nested too deeply|not valid JSON"),
    (b"", r"is empty"),
    (b'{"prompt": "cut', r"ends too early"),
])
def test_json_that_python_reads_but_no_file_can_hold_is_refused(tmp_path, content, message):
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=message):
        import_scenario(path)
    assert path.read_bytes() == content


def test_a_kobold_lite_opmode_of_the_wrong_type_is_named(tmp_path):
    path = tmp_path / "lite.json"
    path.write_text(json.dumps({"prompt": "x", "opmode": [3]}), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r'"opmode" must be a whole number'):
        import_scenario(path)


def test_a_placeholder_naming_nothing_stays_text_and_the_scenario_reads_back(workdir):
    outcome = doors.import_scenario_door(workdir, json.dumps(_novelai(prompt="${ } 그리고 ${ 이름 }")).encode(),
                                         "x.scenario")
    doors.check(outcome)
    assert outcome.kind == "ok"


def test_scenario_file_names_hold_no_control_characters_and_fit_a_file_system(workdir):
    for title in ("a\x00b\x1fc", "가" * 200, "..", "/\\:*?"):
        path = user_path_for(title)
        assert "\x00" not in path.name and len(path.name.encode()) <= 200, title
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
        path.unlink()


def test_the_cli_import_never_replaces_a_scenario_of_the_same_title(tmp_path):
    from tests.helpers.cli import storyteller

    env = {"STORYTELLER_DATA_DIR": str(tmp_path / "data")}
    for _ in range(2):
        done = storyteller("scenario", "import", str(doors.DATA / "novelai_lighthouse.scenario"), env_extra=env)
        assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "data" / "scenarios").glob("*.scenario.json"))) == 2
    mine = tmp_path / "mine.scenario.json"
    mine.write_text("mine", encoding="utf-8")
    refused = storyteller("scenario", "import", str(doors.DATA / "novelai_lighthouse.scenario"), "-o", str(mine),
                          env_extra=env)
    assert refused.returncode == 2 and "exists" in refused.stderr and mine.read_text(encoding="utf-8") == "mine"
    broken = tmp_path / "broken.scenario"
    broken.write_text(json.dumps(_novelai(placeholders=5)), encoding="utf-8")
    failed = storyteller("scenario", "import", str(broken), env_extra=env)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert '"placeholders" must be a list, not int 5' in failed.stderr and str(broken) in failed.stderr


# -- .txt and .md -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_text_in_utf8_or_with_a_bom_imports(tmp_path, encoding):
    path = tmp_path / "소설.txt"
    path.write_bytes("첫 문단.\r\n\r\n둘째\xa0문단.\u2028셋째\x07 문단.".encode(encoding))
    story = import_text(path)
    assert [p.text for p in story.pieces] == ["첫 문단.\n", "둘째 문단.\n", "셋째 문단."]


def test_text_with_nul_characters_is_refused_as_not_text(tmp_path):
    path = tmp_path / "no-bom.txt"
    path.write_bytes("story text".encode("utf-16-le"))  # UTF-16 without its BOM reads as ASCII and NULs
    with pytest.raises(StoryFileError, match="holds NUL characters at position 1: it is not a text file"):
        import_text(path)


def test_markdown_takes_its_title_from_the_first_heading(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# 등대지기\n\n첫 줄.  \n둘째 줄.\n", encoding="utf-8")
    story = import_text(path)
    assert story.title == "등대지기" and story.text() == "첫 줄.\n둘째 줄."


def test_a_10_mb_line_and_a_million_lines_import_quickly(tmp_path):
    import time

    for name, text in (("line.txt", "가" * (10 * 2**20 // 3)), ("lines.txt", "가\n" * (10 * 2**20 // 4))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        story = import_text(path)
        assert time.perf_counter() - start < 5, name
        assert len(story.pieces) <= MAX_PIECES and story.text().replace("\n", "") == text.replace("\n", "")


def test_a_folder_a_pipe_or_a_missing_file_is_no_file_to_import(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer for ever
    for path, message in ((tmp_path, "is not a file"), (tmp_path / "pipe.txt", "is not a file"),
                          (tmp_path / "none.txt", "does not exist")):
        with pytest.raises(StorytellerError, match=message):
            import_text(path)


def test_the_cli_story_import_writes_a_new_story_and_keeps_an_existing_one(tmp_path):
    from tests.helpers.cli import storyteller

    source, out = tmp_path / "a.md", tmp_path / "a.story.json"
    source.write_text("# 제목\n\n하나\n둘\n", encoding="utf-8")
    done = storyteller("story", "import", str(source), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert load_story(out).title == "제목"
    again = storyteller("story", "import", str(source), "-o", str(out))
    assert again.returncode == 2 and "exists" in again.stderr
