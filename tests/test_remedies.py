"""The ways out of an error: the CLI names the command to type, the app names its menu and
button, in the UI's language; and the model manager and status line speak Korean throughout."""

import pytest

from storyteller.engine.core.errors import ModelError
from storyteller.engine.models.catalogue import KOGPT2_REPO
from storyteller.engine.models.store import ModelStore
from tests.test_messages import korean  # noqa: F401  (a fixture)


@pytest.fixture
def no_model(tmp_path) -> ModelError:
    with pytest.raises(ModelError) as raised:
        ModelStore(tmp_path / "models", demo_path=tmp_path / "no-demo").default()
    return raised.value


def test_the_cli_is_told_the_commands(no_model):
    text = str(no_model)
    assert f"`storyteller models download {KOGPT2_REPO}`" in text
    assert "`storyteller models import PATH`" in text and "(`--model demo`)" in text


def test_the_app_names_its_menus_not_commands(qapp, no_model):
    from storyteller.gui.common.messages import error_text

    text = error_text(no_model)
    assert "“Models → Model manager… → Download KoGPT2…”" in text
    assert "“Models → Model manager… → Import folder…”" in text and "storyteller models" not in text


def test_the_app_names_its_menus_in_korean(korean, no_model):  # noqa: F811
    from storyteller.gui.common.messages import error_text

    text = error_text(no_model)
    assert "‘모델 → 모델 관리… → KoGPT2 내려받기…’(으)로 KoGPT2를 내려받거나" in text
    assert "storyteller" not in text and "--model" not in text


def test_the_model_manager_and_status_line_leave_no_english(korean, qtbot, window, tiny_model_dir):  # noqa: F811
    from storyteller.gui.dialogs.models import ModelManager

    assert "스레드" in window.status_model.text() and "threads" not in window.status_model.text()
    ModelStore().import_folder(tiny_model_dir, name="mine")  # its config names no license
    manager = ModelManager(window.client, window.qsettings, window)
    qtbot.addWidget(manager)
    names = [manager.table.item(r, 0).text() for r in range(manager.table.rowCount())]
    row = names.index("mine")
    assert manager.table.item(row, 1).text() == f"{tiny_model_dir}에서 가져옴"
    assert manager.table.item(row, 2).text().startswith("알 수 없음 — ")
    assert manager.table.item(names.index("demo"), 0).toolTip().startswith("이야기꾼에 내장된")
