"""The steering panel: topic lists and own words with a strength, words never to write, the mood
with its method, PPLM's cost and time budget, and the story's mood meter."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QProgressBar, QSlider, QVBoxLayout, QWidget,
)

from storyteller.engine.schema import setting_of
from storyteller.engine.steering import SteeringSettings
from storyteller.engine.steering.topics import read_topic_lists
from storyteller.engine.steering.words import parse_word_list

from .messages import error_text
from .setting_widgets import label, translated

PERCENT = 100  # the strength and mood sliders move in hundredths


class SteeringPanel(QWidget):
    changed = Signal(object)  # SteeringSettings

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("steeringPanel")
        self._updating = False
        self._shown = SteeringSettings()
        self._ms_per_token: float | None = None
        self._max_new_tokens = 80
        layout = QVBoxLayout(self)

        topic_box = QGroupBox(self.tr("Topic"))
        topic_form = QFormLayout(topic_box)
        self.topics = QListWidget()
        self.topics.setObjectName("topicLists")
        self.topics.setToolTip(self.tr("Tick the topics the continuation should lean toward."))
        self.topics.setMaximumHeight(150)
        self.topic_problems = QLabel()
        self.topic_problems.setObjectName("topicProblems")
        self.topic_problems.setWordWrap(True)
        self._load_topics()
        self.topics.itemChanged.connect(self._emit)
        topic_form.addRow(self.topics)
        topic_form.addRow(self.topic_problems)
        self.words = QLineEdit()
        self.words.setObjectName("topicWords")
        self.words.setPlaceholderText(self.tr("your own words, separated by commas"))
        self.words.setToolTip(
            self.tr("Words to bring in, e.g. names. Particles are handled: 철수 also matches 철수가, 철수는.")
        )
        self.words.editingFinished.connect(self._emit)
        topic_form.addRow(label(setting_of(SteeringSettings, "words")), self.words)
        self.strength = self._slider("topicStrength", "topic_strength")
        topic_form.addRow(label(setting_of(SteeringSettings, "topic_strength")), self.strength)
        method_titles = {"bias": self.tr("Word bias (fast)"), "pplm": self.tr("PPLM (precise, slower)")}
        self.topic_method = self._choices("topicMethod", "topic_method", method_titles)
        topic_form.addRow(label(setting_of(SteeringSettings, "topic_method")), self.topic_method)
        self.banned = QLineEdit()
        self.banned.setObjectName("bannedWords")
        self.banned.setPlaceholderText(self.tr("words never to write, separated by commas"))
        self.banned.editingFinished.connect(self._emit)
        topic_form.addRow(label(setting_of(SteeringSettings, "banned")), self.banned)
        layout.addWidget(topic_box)

        mood_box = QGroupBox(self.tr("Mood"))
        mood_form = QFormLayout(mood_box)
        mood_row = QHBoxLayout()
        mood_row.addWidget(QLabel(self.tr("darker")))
        self.mood = self._slider("mood", "mood")
        self.mood.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.mood.setTickInterval(50)
        mood_row.addWidget(self.mood, 1)
        mood_row.addWidget(QLabel(self.tr("brighter")))
        mood_form.addRow(mood_row)
        mood_titles = {"vector": self.tr("Mood vector (fast)"), "pplm": self.tr("PPLM mood head (precise, slower)")}
        self.mood_method = self._choices("moodMethod", "mood_method", mood_titles)
        mood_form.addRow(QLabel(self.tr("Method")), self.mood_method)
        self.meter = QProgressBar()
        self.meter.setObjectName("moodMeter")
        self.meter.setRange(0, 100)
        self.meter.setFormat(self.tr("brightness %p%"))
        self.meter.setToolTip(self.tr("How bright or dark the end of the story reads, by the model's mood head."))
        self.meter_note = QLabel()
        self.meter_note.setWordWrap(True)
        mood_form.addRow(QLabel(self.tr("Story mood")), self.meter)
        mood_form.addRow(self.meter_note)
        self.set_mood(None)
        layout.addWidget(mood_box)

        cost_box = QGroupBox(self.tr("Cost"))
        cost_form = QFormLayout(cost_box)
        budget = setting_of(SteeringSettings, "max_seconds")
        self.budget = QDoubleSpinBox()
        self.budget.setObjectName("timeBudget")
        self.budget.setRange(budget.low, budget.high)
        self.budget.setDecimals(0)
        self.budget.setSuffix(self.tr(" s"))
        self.budget.setSpecialValueText(self.tr("no limit"))
        self.budget.setToolTip(translated(budget.help))
        self.budget.valueChanged.connect(self._emit)
        cost_form.addRow(label(budget), self.budget)
        self.estimate = QLabel()
        self.estimate.setObjectName("steeringEstimate")
        self.estimate.setWordWrap(True)
        cost_form.addRow(self.estimate)
        layout.addWidget(cost_box)
        layout.addStretch(1)
        self._update_estimate()

    def _slider(self, object_name: str, setting: str) -> QSlider:
        """A slider in hundredths over the setting's declared range."""
        item = setting_of(SteeringSettings, setting)
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(object_name)
        slider.setRange(round(item.low * PERCENT), round(item.high * PERCENT))
        slider.setToolTip(translated(item.help))
        slider.valueChanged.connect(self._emit)
        return slider

    def _choices(self, object_name: str, setting: str, titles: dict[str, str]) -> QComboBox:
        """A list of the setting's declared choices, shown by their titles."""
        item = setting_of(SteeringSettings, setting)
        box = QComboBox()
        box.setObjectName(object_name)
        for choice in item.choices:
            box.addItem(titles[choice], choice)
        box.setToolTip(translated(item.help))
        box.currentIndexChanged.connect(self._emit)
        return box

    def _load_topics(self) -> None:
        lists, problems = read_topic_lists()
        self.topic_problems.setText("\n".join(
            [self.tr("Some topic lists cannot be used:")] + [error_text(e) for e in problems.values()]))
        self.topic_problems.setVisible(bool(problems))
        app = QCoreApplication.instance()
        english = app is None or app.property("storytellerLanguage") != "ko"
        for topic in sorted(lists.values(), key=lambda t: t.name_en if english else t.name):
            title = topic.name_en if english else topic.name
            item = QListWidgetItem(f"{title} ({len(topic.words)})")
            item.setData(Qt.ItemDataRole.UserRole, topic.id)
            item.setToolTip(topic.description or ", ".join(topic.words[:12]))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(item)

    # -- values -----------------------------------------------------------------------------------

    def set_settings(self, settings: SteeringSettings) -> None:
        self._updating = True
        try:
            for row in range(self.topics.count()):
                item = self.topics.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in settings.topics
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.words.setText(", ".join(settings.words))
            self.banned.setText(", ".join(settings.banned))
            self.strength.setValue(round(settings.topic_strength * PERCENT))
            self.topic_method.setCurrentIndex(max(0, self.topic_method.findData(settings.topic_method)))
            self.mood.setValue(round(settings.mood * PERCENT))
            self.mood_method.setCurrentIndex(max(0, self.mood_method.findData(settings.mood_method)))
            self.budget.setValue(settings.max_seconds)
            self._shown = settings
        finally:
            self._updating = False
        self._update_estimate()

    def settings(self) -> SteeringSettings:
        topics = tuple(
            self.topics.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.topics.count())
            if self.topics.item(row).checkState() == Qt.CheckState.Checked
        )
        # A topic list the panel does not show (a user list since removed) is kept, not dropped.
        shown = {self.topics.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.topics.count())}
        kept = tuple(t for t in self._shown.topics if t not in shown)
        return self._shown.replace(
            topics=kept + topics, words=parse_word_list(self.words.text()), banned=parse_word_list(self.banned.text()),
            topic_strength=self.strength.value() / PERCENT, topic_method=self.topic_method.currentData(),
            mood=self.mood.value() / PERCENT, mood_method=self.mood_method.currentData(),
            max_seconds=float(self.budget.value()),
        )

    def _emit(self, *_) -> None:
        if self._updating:
            return
        self._shown = self.settings()
        self._update_estimate()
        self.changed.emit(self._shown)

    # -- cost and mood ------------------------------------------------------------------------------

    def set_speed(self, ms_per_token: float, max_new_tokens: int) -> None:
        """Plain decoding's measured speed, for PPLM's estimate."""
        self._ms_per_token, self._max_new_tokens = ms_per_token, max_new_tokens
        self._update_estimate()

    def _update_estimate(self) -> None:
        settings = self._shown
        if not settings.active:
            self.estimate.setText(self.tr("Steering is off."))
        elif not settings.uses_latent:
            self.estimate.setText(self.tr("Fast steering: no extra time."))
        elif self._ms_per_token is None:
            self.estimate.setText(
                self.tr("PPLM: about %1× slower than plain writing.").replace("%1", f"{settings.cost:.0f}")
            )
        else:
            seconds = self._ms_per_token * settings.cost * self._max_new_tokens / 1000
            self.estimate.setText(
                self.tr("PPLM: about %1× slower, roughly %2 s per continuation.")
                .replace("%1", f"{settings.cost:.0f}").replace("%2", f"{seconds:.0f}"))

    def set_mood(self, brightness: float | None, note: str = "") -> None:
        """The meter: 0 dark .. 1 bright, or None when unknown (note says why)."""
        self.meter.setEnabled(brightness is not None)
        self.meter.setValue(0 if brightness is None else round(brightness * 100))
        self.meter_note.setText(note)
        self.meter_note.setVisible(bool(note))
