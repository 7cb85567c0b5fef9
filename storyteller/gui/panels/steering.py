"""The steering panel: topic lists and own words with a strength, words never to write, the mood
with its method, PPLM's cost and time budget, the story's mood meter with a button that trains
the mood head, what steering did to the last continuation (PPLM's time-limit fallback), and, while
a server writes, that only word bias and banned words reach it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.core.errors import SettingError
from storyteller.engine.korean.words import parse_word_list
from storyteller.engine.settings.schema import setting_of
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.steering.report import steering_notes
from storyteller.engine.steering.topics import read_topic_lists
from storyteller.gui.common.messages import error_text, translated
from storyteller.gui.common.setting_widgets import label

PERCENT = 100  # the strength and mood sliders move in hundredths
# After LatentOptions.grad_length tokens PPLM only mixes its distributions: about 1.5× plain decoding.
PPLM_MIXING_COST = 1.5


def pplm_seconds(settings: SteeringSettings, ms_per_token: float, first_token_seconds: float, length: int) -> float:
    """How long a PPLM continuation of `length` tokens should take, from plain decoding's measured
    speed: the first token as plain writing took it, then the method's declared cost per token
    while PPLM optimises, and the mixing cost after that."""
    optimised = min(length, settings.latent.grad_length)
    return first_token_seconds + ms_per_token / 1000 * (
        optimised * settings.cost + (length - optimised) * PPLM_MIXING_COST)


class SteeringPanel(QWidget):
    changed = Signal(object)  # SteeringSettings
    shown = Signal()  # the panel came on screen (its dock was opened or brought to the front)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("steeringPanel")
        self._updating = False
        self._shown = SteeringSettings()
        self._ms_per_token: float | None = None  # plain decoding's speed after the first token
        self._first_token_seconds = 0.0
        self._length = 80  # the story's Length (new tokens per continuation)
        self._server, self._server_steers_words = "", True  # the server writing ("": the local model)
        layout = QVBoxLayout(self)
        self.server_note = QLabel()  # while a server writes: what steering reaches it
        self.server_note.setObjectName("steeringServerNote")
        self.server_note.setWordWrap(True)
        self.server_note.setStyleSheet("color: #a05a00;")
        self.server_note.hide()
        layout.addWidget(self.server_note)

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
        self.strength_value = self._value_label("topicStrengthValue", self.strength)
        strength_row = QHBoxLayout()
        strength_row.addWidget(self.strength, 1)
        strength_row.addWidget(self.strength_value)
        topic_form.addRow(label(setting_of(SteeringSettings, "topic_strength")), strength_row)
        method_titles = {"bias": self.tr("Word bias (fast)"), "pplm": self.tr("PPLM (precise, slower)")}
        self.topic_method = self._choices("topicMethod", "topic_method", method_titles)
        topic_form.addRow(label(setting_of(SteeringSettings, "topic_method")), self.topic_method)
        self.banned = QLineEdit()
        self.banned.setObjectName("bannedWords")
        self.banned.setPlaceholderText(self.tr("words never to write, separated by commas"))
        self.banned.setToolTip(translated(setting_of(SteeringSettings, "banned").help))
        self.banned.editingFinished.connect(self._emit)
        topic_form.addRow(label(setting_of(SteeringSettings, "banned")), self.banned)
        self.phrase_bias = QLineEdit()
        self.phrase_bias.setObjectName("phraseBias")
        self.phrase_bias.setPlaceholderText(self.tr("e.g. 푸른 바다=+2, 검은 그림자=-3"))
        self.phrase_bias.setToolTip(translated(setting_of(SteeringSettings, "phrase_bias").help))
        self.phrase_bias.editingFinished.connect(self._emit)
        topic_form.addRow(label(setting_of(SteeringSettings, "phrase_bias")), self.phrase_bias)
        self.phrase_problem = QLabel()  # what is wrong with the entries typed, until they are fixed
        self.phrase_problem.setObjectName("phraseBiasProblem")
        self.phrase_problem.setWordWrap(True)
        self.phrase_problem.hide()
        topic_form.addRow(self.phrase_problem)
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
        self.mood_value = self._value_label("moodValue", self.mood)
        mood_row.addWidget(self.mood_value)
        mood_form.addRow(mood_row)
        mood_titles = {"vector": self.tr("Mood vector (fast)"), "pplm": self.tr("PPLM mood head (precise, slower)")}
        self.mood_method = self._choices("moodMethod", "mood_method", mood_titles)
        mood_form.addRow(QLabel(self.tr("Method")), self.mood_method)
        self.meter = QProgressBar()
        self.meter.setObjectName("moodMeter")
        self.meter.setRange(0, 100)
        self.meter.setToolTip(self.tr("How bright or dark the end of the story reads, by the model's mood head."))
        self.meter_note = QLabel()
        self.meter_note.setWordWrap(True)
        self.meter_note.setObjectName("moodMeterNote")
        mood_form.addRow(QLabel(self.tr("Story mood")), self.meter)
        mood_form.addRow(self.meter_note)
        # Training the head itself is gui/controllers/mood_head.py's work; the panel shows its controls.
        self.train_head = QPushButton(self.tr("Train mood head"))
        self.train_head.setObjectName("trainMoodHead")
        self.train_head.setToolTip(self.tr(
            "Teach the model's mood head on labelled movie reviews (a minute or two): the mood meter and the "
            "PPLM mood method need it."))
        self.train_head.setEnabled(False)  # until a model is loaded
        self.head_progress = QProgressBar()
        self.head_progress.setObjectName("moodHeadProgress")
        self.head_progress.hide()
        self.head_status = QLabel()
        self.head_status.setObjectName("moodHeadStatus")
        self.head_status.setWordWrap(True)
        self.head_status.hide()
        mood_form.addRow(self.train_head)
        mood_form.addRow(self.head_progress)
        mood_form.addRow(self.head_status)
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
        # What steering did to the last continuation; it stays until the next one (the status
        # bar's message would be gone in seconds, or replaced by "Done.").
        self.last_run = QLabel()
        self.last_run.setObjectName("steeringLastRun")
        self.last_run.setWordWrap(True)
        self.last_run.setStyleSheet("color: #a05a00;")
        self.last_run.hide()
        cost_form.addRow(self.last_run)
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

    def _value_label(self, object_name: str, slider: QSlider) -> QLabel:
        """The slider's value in per cent beside it ("60 %", "−40 %"), or "off" at 0."""
        value = QLabel()
        value.setObjectName(object_name)
        signed = slider.minimum() < 0

        def show(number: int) -> None:
            if number == 0:
                value.setText(self.tr("off"))
            else:
                value.setText(f"{'+' if signed and number > 0 else ''}{number} %".replace("-", "−"))

        slider.valueChanged.connect(show)
        show(slider.value())
        value.setMinimumWidth(value.fontMetrics().horizontalAdvance("−100 %") + 4)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return value

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
            self.phrase_bias.setText(", ".join(settings.phrase_bias))
            self.phrase_problem.hide()
            self.strength.setValue(round(settings.topic_strength * PERCENT))
            self.topic_method.setCurrentIndex(max(0, self.topic_method.findData(settings.topic_method)))
            self.mood.setValue(round(settings.mood * PERCENT))
            self.mood_method.setCurrentIndex(max(0, self.mood_method.findData(settings.mood_method)))
            self.budget.setValue(settings.max_seconds)
            self._shown = settings
        finally:
            self._updating = False
        self._update_estimate()
        self._update_server_note()

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
            phrase_bias=parse_word_list(self.phrase_bias.text()),
            topic_strength=self.strength.value() / PERCENT, topic_method=self.topic_method.currentData(),
            mood=self.mood.value() / PERCENT, mood_method=self.mood_method.currentData(),
            max_seconds=float(self.budget.value()),
        )

    def _emit(self, *_) -> None:
        if self._updating:
            return
        try:
            settings = self.settings()
        except SettingError as error:  # a phrase bias entry without its number: say so, keep the text
            self.phrase_problem.setText(error_text(error))
            self.phrase_problem.show()
            return
        self.phrase_problem.hide()
        self._shown = settings
        self._update_estimate()
        self._update_server_note()
        self.changed.emit(self._shown)

    # -- a server -----------------------------------------------------------------------------------

    def set_server(self, name: str, steers_words: bool = True) -> None:
        """A server writes (`name`), or the local model (""). A server takes word bias and banned words
        (as logit_bias) when it shares our tokenizer (`steers_words`); PPLM and the mood need the
        model's insides, which only the local model has: the panel says so rather than fail silently."""
        self._server, self._server_steers_words = name, steers_words
        for box in (self.topic_method, self.mood_method):
            pplm = box.model().item(box.findData("pplm"))
            pplm.setEnabled(not name)
        self._update_server_note()

    def _update_server_note(self) -> None:
        name, settings = self._server, self._shown
        if not name:
            self.server_note.hide()
            return
        if self._server_steers_words:
            text = self.tr("%1 is writing: topics, your words and banned words steer it as word bias. PPLM and the "
                           "mood need the local model.")
        else:
            text = self.tr("%1 serves a model with another tokenizer: no steering reaches it. Clear the steering "
                           "to write there, or switch to the local model.")
        blocked = settings.active and (settings.uses_latent or settings.steers_mood or not self._server_steers_words)
        if blocked:
            text += " " + self.tr("Continue will refuse until the steering fits: set the mood to 0 and the method "
                                  "to word bias, or switch to the local model (Models → Write with).")
        self.server_note.setText(text.replace("%1", name))
        self.server_note.setStyleSheet("color: #b00020; font-weight: bold;" if blocked else "color: #a05a00;")
        self.server_note.show()

    # -- cost and mood ------------------------------------------------------------------------------

    def note_result(self, result) -> None:
        """A finished continuation: plain decoding's speed feeds PPLM's estimate; a steered one
        says whether PPLM ran out of time and finished with the fast method."""
        steps = max((len(ids) for ids in result.token_ids), default=0)
        if result.steering is None and steps > 1:  # candidates are decoded side by side: count steps
            self._ms_per_token = 1000 * (result.seconds - result.time_to_first_token) / (steps - 1)
            self._first_token_seconds = result.time_to_first_token
            self._update_estimate()
        notes = steering_notes(result.steering)  # a time limit met at a token; text that fell apart, and why
        if notes:
            self.last_run.setText(self.tr("Last continuation: %1").replace("%1", " ".join(map(error_text, notes))))
        self.last_run.setVisible(bool(notes))

    def set_length(self, max_new_tokens: int) -> None:
        """The story's Length, which PPLM's time grows with."""
        if max_new_tokens != self._length:
            self._length = max_new_tokens
            self._update_estimate()

    def _update_estimate(self) -> None:
        settings = self._shown
        if not settings.active:
            self.estimate.setText(self.tr("Steering is off."))
        elif not settings.uses_latent:
            self.estimate.setText(self.tr("Fast steering: no extra time."))
        elif self._ms_per_token is None:
            self.estimate.setText(
                self.tr("PPLM: about %1× slower than plain writing; the estimate in seconds comes after the first "
                        "plain continuation.").replace("%1", f"{settings.cost:.0f}")
            )
        else:
            seconds = pplm_seconds(settings, self._ms_per_token, self._first_token_seconds, self._length)
            self.estimate.setText(
                self.tr("PPLM: about %1× slower, roughly %2 s for %3 new tokens.")
                .replace("%1", f"{settings.cost:.0f}").replace("%2", f"{seconds:.0f}" if seconds >= 10
                                                                else f"{seconds:.1f}")
                .replace("%3", str(self._length)))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.shown.emit()

    def set_mood(self, brightness: float | None, note: str = "") -> None:
        """The meter: 0 dark .. 1 bright, or None when unknown (note says why): then it says so
        instead of showing an empty "0 %", which would read as a very dark story."""
        self.meter.setEnabled(brightness is not None)
        self.meter.setFormat(self.tr("— not measured yet") if brightness is None else self.tr("brightness %p%"))
        self.meter.setValue(0 if brightness is None else round(brightness * 100))
        self.meter_note.setText(note)
        self.meter_note.setVisible(bool(note))
