"""The sampling panel: a slider and a spin box per setting, presets, tooltips in plain words.

Every number GenerationSettings declares gets a row; its range, label and tooltip come from the
declaration, so an invalid value cannot be entered. Only how the slider moves is decided here.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.presets import PRESETS, TITLES, apply_preset, matching_preset, same_sampling
from storyteller.gui.common.asking import ask_text
from storyteller.gui.common.messages import translated
from storyteller.gui.common.setting_widgets import label, spin_box
from storyteller.gui.common.settings_keys import SAMPLING_BASED_ON, SAMPLING_PRESETS

# Numbers without a slider row: the seed has its own box ('random'), the minimum length is the story's.
NO_SLIDER = ("seed", "min_new_tokens")
# Slider steps per unit: 1 for whole numbers, FLOAT_STEPS for others unless named here.
FLOAT_STEPS = 100
SLIDER_STEPS = {"repetition_penalty_slope": 10}
# The slider covers a useful part of the range; the spin box takes the whole range.
SLIDER_MAX = {"top_k": 200, "repetition_penalty_range": 2048, "max_new_tokens": 512, "num_candidates": 4}


class SamplingPanel(QWidget):
    changed = Signal(object)  # GenerationSettings

    def __init__(self, settings_store: QSettings, parent=None):
        super().__init__(parent)
        self.setObjectName("samplingPanel")
        self._qsettings = settings_store
        self._updating = False
        # The settings last shown: what the panel has no control for (stop strings, minimum
        # length) is carried over from them.
        self._shown = GenerationSettings()
        self._rows: dict[str, tuple[QSlider, QSpinBox | QDoubleSpinBox, int]] = {}
        self._labels: dict[str, QLabel] = {}  # a row's label, by setting name
        described = {item.name: item for item in GenerationSettings.describe()}
        layout = QVBoxLayout(self)

        presets_row = QHBoxLayout()
        self.presets = QComboBox()
        self.presets.setObjectName("presets")
        self.presets.setToolTip(self.tr("Ready-made settings; your own ones are saved too."))
        self.save_preset = QPushButton(self.tr("Save as preset…"))
        presets_row.addWidget(QLabel(self.tr("Preset")))
        presets_row.addWidget(self.presets, 1)
        presets_row.addWidget(self.save_preset)
        layout.addLayout(presets_row)

        form = QFormLayout()
        for item in described.values():
            if item.kind not in (int, float) or item.name in NO_SLIDER:
                continue
            steps = SLIDER_STEPS.get(item.name, FLOAT_STEPS if item.kind is float else 1)
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"slider_{item.name}")
            slider.setRange(int(item.low * steps), int(SLIDER_MAX.get(item.name, item.high) * steps))
            slider.setToolTip(translated(item.help))
            spin = spin_box(item)
            spin.setObjectName(f"spin_{item.name}")
            if item.kind is float:
                spin.setSingleStep(1 / steps if steps > 1 else 0.1)
            slider.valueChanged.connect(self._slider_moved)
            spin.valueChanged.connect(self._spin_changed)
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(spin)
            self._labels[item.name] = label(item)
            form.addRow(self._labels[item.name], row)
            self._rows[item.name] = (slider, spin, steps)

        seed = described["seed"]
        self.seed = QSpinBox()
        self.seed.setObjectName("spin_seed")
        self.seed.setRange(-1, seed.high)
        self.seed.setSpecialValueText(self.tr("random"))
        self.seed.setToolTip(translated(seed.help))
        self.seed.valueChanged.connect(self._emit)
        self._labels["seed"] = label(seed)
        form.addRow(self._labels["seed"], self.seed)
        self.greedy = QCheckBox(self.tr("Always take the likeliest word (no sampling)"))
        self.greedy.setObjectName("greedy")
        self.greedy.toggled.connect(self._emit)
        form.addRow(self.greedy)
        layout.addLayout(form)
        layout.addStretch(1)

        # The preset the shown settings started from ("builtin:default"), so an edited one
        # reads "Default (modified)"; None when they match none ("Custom settings").
        self._based_on: str | None = None
        self._reload_presets()
        self.presets.activated.connect(self._apply_preset)
        self.save_preset.clicked.connect(self._save_preset)

    # -- values -------------------------------------------------------------------------------------

    def set_context_limit(self, n_positions: int) -> None:
        """Length must stay below the model's context (the prompt needs room too)."""
        slider, spin, _ = self._rows["max_new_tokens"]
        spin.setMaximum(max(1, n_positions - 1))
        slider.setMaximum(max(1, min(SLIDER_MAX["max_new_tokens"], n_positions - 1)))

    def mark_ignored(self, names, reason: str) -> None:
        """Grey out the rows of the settings named (ones a server ignores), `reason` as their tooltip;
        the others are restored. The values stay: the local model uses them again."""
        controls = {name: (self._labels[name], slider, spin) for name, (slider, spin, _) in self._rows.items()}
        controls["seed"] = (self._labels["seed"], self.seed)
        controls["greedy"] = (self.greedy,)
        described = {item.name: item for item in GenerationSettings.describe()}
        for name, widgets in controls.items():
            ignored = name in names
            help_text = translated(described[name].help) if name in described else ""
            for widget in widgets:
                widget.setEnabled(not ignored)
                widget.setToolTip(f"{reason}\n\n{help_text}".strip() if ignored else help_text)

    def set_settings(self, settings: GenerationSettings) -> None:
        self._updating = True
        try:
            for name, (slider, spin, steps) in self._rows.items():
                value = getattr(settings, name)
                spin.setValue(value)
                slider.setValue(int(round(value * steps)))
            self.seed.setValue(-1 if settings.seed is None else settings.seed)
            self.greedy.setChecked(settings.greedy)
            self._shown = settings
        finally:
            self._updating = False
        self._based_on = self._remembered_base(settings)
        self._show_preset()

    def settings(self) -> GenerationSettings:
        values = {name: spin.value() for name, (_, spin, _) in self._rows.items()}
        seed = self.seed.value()
        return self._shown.replace(
            **values, seed=None if seed < 0 else seed, greedy=self.greedy.isChecked(),
            min_new_tokens=min(self._shown.min_new_tokens, values["max_new_tokens"]),
        )

    def _slider_moved(self, value: int) -> None:
        if self._updating:
            return
        for slider, spin, steps in self._rows.values():
            if slider is self.sender():
                self._updating = True
                spin.setValue(value / steps if steps > 1 else value)
                self._updating = False
        self._emit()

    def _spin_changed(self, value) -> None:
        if self._updating:
            return
        for slider, spin, steps in self._rows.values():
            if spin is self.sender():
                self._updating = True
                slider.setValue(int(round(value * steps)))
                self._updating = False
        self._emit()

    def _emit(self, *_) -> None:
        if not self._updating:
            self._show_preset()
            self._remember_base()
            self.changed.emit(self.settings())

    # -- presets ------------------------------------------------------------------------------------

    def user_presets(self) -> dict[str, dict]:
        try:
            presets = json.loads(SAMPLING_PRESETS.read(self._qsettings))
        except json.JSONDecodeError:
            presets = {}
        return presets if isinstance(presets, dict) else {}

    def _all_presets(self) -> dict[str, GenerationSettings]:
        """Built-in presets ("builtin:NAME") first, then the writer's own ("user:NAME"; an
        unreadable one is left out)."""
        found = {f"builtin:{name}": settings for name, settings in PRESETS.items()}
        for name, data in self.user_presets().items():
            try:
                found[f"user:{name}"] = GenerationSettings.from_json(data)
            except Exception:
                continue
        return found

    def _reload_presets(self) -> None:
        self.presets.clear()
        self.presets.addItem("", None)  # what the settings are when no preset matches them
        for key in self._all_presets():
            kind, name = key.split(":", 1)
            self.presets.addItem(translated(TITLES[name]) if kind == "builtin" else name, key)
        self._show_preset()

    def _show_preset(self) -> None:
        """Select the preset the settings match; otherwise say which one they were changed from."""
        match = matching_preset(self.settings(), self._all_presets())
        if match is not None:
            self._based_on = match
            self.presets.setCurrentIndex(self.presets.findData(match))
            return
        base = self.presets.findData(self._based_on) if self._based_on else -1
        self.presets.setItemText(0, self.tr("%1 (modified)").replace("%1", self.presets.itemText(base))
                                 if base > 0 else self.tr("Custom settings"))
        self.presets.setCurrentIndex(0)

    def _remember_base(self) -> None:
        """The preset behind the writer's last edit: a new story from these settings (the
        writer's defaults) still says which preset it was changed from, after a restart too."""
        SAMPLING_BASED_ON.write(self._qsettings,
                                json.dumps({"preset": self._based_on, "settings": self.settings().to_json()}))

    def _remembered_base(self, settings: GenerationSettings) -> str | None:
        try:
            saved = json.loads(SAMPLING_BASED_ON.read(self._qsettings))
            base = saved.get("preset")
            if isinstance(base, str) and same_sampling(settings, GenerationSettings.from_json(saved["settings"])):
                return base
        except Exception:  # nothing remembered, or a damaged entry: no base is shown
            pass
        return None

    def _apply_preset(self, index: int) -> None:
        key = self.presets.itemData(index)
        preset = self._all_presets().get(key) if key else None
        if preset is None:
            return
        self.set_settings(apply_preset(preset, self._shown))  # a preset leaves the story's own stops
        self._remember_base()
        self.changed.emit(self.settings())

    def _save_preset(self) -> None:
        name = ask_text(self, self.tr("Save preset"), self.tr("Name of the preset:"))
        if name and name.strip():
            self.store_preset(name.strip(), self.settings())

    def store_preset(self, name: str, settings: GenerationSettings) -> None:
        presets = self.user_presets()
        presets[name] = settings.to_json()
        SAMPLING_PRESETS.write(self._qsettings, json.dumps(presets, ensure_ascii=False))
        self._reload_presets()
