"""The scenario dialogs: New from scenario (the list, a preview, one field per placeholder) and Save as
scenario (a title, a description, and the placeholders the story holds)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.story.document import Mode, Story
from storyteller.engine.story.scenarios import Library, Scenario, fill, library, scenario_from_story
from storyteller.gui.common.fonts import korean_font
from storyteller.gui.common.messages import error_text, show_error

PREVIEW_CHARACTERS = 600  # of the opening and the memory: enough to judge a scenario by
EXAMPLE = "${주인공[민수]:주인공의 이름}"  # a placeholder with a default and a question


class ScenarioPicker(QDialog):
    """Choose a scenario and fill in its placeholders; Start is offered once every one has a value."""

    def __init__(self, parent, found: Library, select: str | None = None):
        super().__init__(parent)
        self.setObjectName("scenarioPicker")
        self.setWindowTitle(self.tr("New from scenario"))
        self.resize(900, 600)
        self.fields: dict[str, QLineEdit] = {}
        self.list = QListWidget()
        self.list.setObjectName("scenarioList")
        self.preview = QTextBrowser()
        self.preview.setObjectName("scenarioPreview")
        self.preview.setFont(korean_font(12))
        self.placeholder_box = QGroupBox(self.tr("Fill in"))
        self.placeholder_box.setObjectName("placeholderFields")
        self.form = QFormLayout(self.placeholder_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(self.tr("Start"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("deleteScenario")
        self.delete_button.setToolTip(self.tr("Delete this scenario of yours (shipped ones stay)"))
        self.delete_button.clicked.connect(self._delete)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.preview, 1)
        column.addWidget(self.placeholder_box)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([280, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        if found.problems:
            problems = QLabel(self.tr("Some scenario files could not be read:") + "\n"
                              + "\n".join(error_text(problem) for problem in found.problems))
            problems.setObjectName("scenarioProblems")
            problems.setWordWrap(True)
            layout.addWidget(problems)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)

        self.list.currentItemChanged.connect(self._show)
        self.list.itemActivated.connect(lambda *_: self.start_button.isEnabled() and self.accept())  # double-click
        self._fill(found, select)

    def _fill(self, found: Library, select: str | None) -> None:
        """List `found`, showing the scenario whose path is `select` (else the first)."""
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)
        self.scenarios: list[Scenario] = []
        for shipped, heading in ((True, self.tr("Shipped")), (False, self.tr("Yours"))):
            group = [s for s in found.scenarios if s.shipped is shipped]
            if group:
                self._add_heading(heading)
            for scenario in group:
                item = QListWidgetItem(f"{scenario.title}  ·  {self.mode_names()[scenario.story.mode]}")
                item.setData(Qt.ItemDataRole.UserRole, len(self.scenarios))
                item.setToolTip(scenario.description)
                self.list.addItem(item)
                self.scenarios.append(scenario)
        chosen = next((i for i, s in enumerate(self.scenarios) if select is not None and str(s.path) == select), 0)
        self.select(chosen)

    def mode_names(self) -> dict[Mode, str]:
        return {Mode.STORY: self.tr("story"), Mode.ADVENTURE: self.tr("adventure"), Mode.CHAT: self.tr("chat")}

    def _add_heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not a choice
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.list.addItem(item)

    def select(self, index: int) -> None:
        """Show the scenario at `index` of `scenarios`."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == index:
                self.list.setCurrentRow(row)
                return
        self._show(None)

    def scenario(self) -> Scenario | None:
        item = self.list.currentItem()
        index = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return self.scenarios[index] if index is not None else None

    def values(self) -> dict[str, str]:
        return {key: field.text() for key, field in self.fields.items()}

    def _show(self, *_) -> None:
        scenario = self.scenario()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        for placeholder in scenario.placeholders if scenario else []:
            field = QLineEdit()
            field.setPlaceholderText(placeholder.default)  # left empty, the default it shows is used
            field.setObjectName(f"placeholder:{placeholder.key}")
            field.setFont(korean_font(12))
            field.textChanged.connect(self._update_start)
            field.textChanged.connect(self._show_preview)
            self.fields[placeholder.key] = field
            self.form.addRow((placeholder.description or placeholder.key) + ":", field)
        self.placeholder_box.setVisible(bool(self.fields))
        self._update_start()
        self._show_preview()

    def _show_preview(self, *_) -> None:
        scenario = self.scenario()
        self.preview.setHtml(self._preview_html(scenario) if scenario else
                             "<p>" + html.escape(self.tr("There are no scenarios yet.")) + "</p>")

    def _update_start(self, *_) -> None:
        scenario = self.scenario()
        self.start_button.setEnabled(scenario is not None and not scenario.missing(self.values()))
        self.delete_button.setEnabled(scenario is not None and not scenario.shipped and scenario.path is not None)

    def _delete(self) -> None:
        scenario = self.scenario()
        if scenario is None or scenario.shipped or scenario.path is None or QMessageBox.question(
            self, self.tr("Delete the scenario?"),
            self.tr("Delete your scenario “%1”? Its file is removed: %2").replace("%1", scenario.title)
            .replace("%2", str(scenario.path)),
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            scenario.path.unlink(missing_ok=True)
        except OSError as error:
            show_error(self, self.tr("The scenario could not be deleted"), error.strerror or str(error))
            return
        self._fill(library(), None)

    def _preview_html(self, scenario: Scenario) -> str:
        """The scenario as its story will start: placeholders show what is typed, else their default,
        else [their name]."""
        typed = self.values()
        values = {p.key: typed.get(p.key, "").strip() or p.default or f"[{p.key}]" for p in scenario.placeholders}

        def section(title: str, text: str) -> str:
            if not text.strip():
                return ""
            shown = fill(text, values).strip()
            shown = shown if len(shown) <= PREVIEW_CHARACTERS else shown[:PREVIEW_CHARACTERS] + "…"
            return f"<h4>{html.escape(title)}</h4><p>{html.escape(shown).replace(chr(10), '<br>')}</p>"

        story = scenario.story
        facts = [self.mode_names()[story.mode]]
        if story.world_info:
            facts.append(self.tr("world info entries: %1").replace("%1", str(len(story.world_info))))
        if scenario.keeps_settings:
            facts.append(self.tr("its own sampling settings"))
        return "".join([
            f"<h3>{html.escape(scenario.title)}</h3>",
            f"<p><i>{html.escape(', '.join(facts))}</i></p>",
            f"<p>{html.escape(scenario.description)}</p>" if scenario.description else "",
            section(self.tr("Opening"), scenario.opening),
            section(self.tr("Memory"), story.memory),
            section(self.tr("Author's note"), story.authors_note),
        ])


class SaveScenarioDialog(QDialog):
    """A title and a description for the story as a scenario; says which placeholders it will ask for."""

    def __init__(self, parent, story: Story, default_title: str):
        super().__init__(parent)
        self.setObjectName("saveScenario")
        self.setWindowTitle(self.tr("Save as scenario"))
        self.story = story
        self.title_field = QLineEdit(default_title)
        self.title_field.setObjectName("scenarioTitle")
        self.description_field = QPlainTextEdit()
        self.description_field.setObjectName("scenarioDescription")
        self.description_field.setFixedHeight(70)
        found = scenario_from_story(story).placeholders
        names = ", ".join(f"${{{p.key}}}" for p in found)
        explained = QLabel(
            (self.tr("When a story starts from it, the app asks for: %1.").replace("%1", names) if found else
             self.tr("It has no placeholders."))
            + "\n" + self.tr("Write %1 in the story, memory or world info (or %2) for what the app should ask when a "
                             "story starts from the scenario.").replace("%1", "${주인공}").replace("%2", EXAMPLE))
        explained.setObjectName("scenarioPlaceholders")
        explained.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.title_field.textChanged.connect(lambda text: self.save_button.setEnabled(bool(text.strip())))
        self.save_button.setEnabled(bool(default_title.strip()))
        form = QFormLayout()
        form.addRow(self.tr("Title:"), self.title_field)
        form.addRow(self.tr("Description:"), self.description_field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(explained)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("The story's text becomes the opening; memory, author's note, world info, "
                                        "mode and settings come along.")))
        layout.addWidget(buttons)
        self.resize(520, 260)

    def scenario(self) -> Scenario:
        return scenario_from_story(self.story, self.title_field.text(), self.description_field.toPlainText())
