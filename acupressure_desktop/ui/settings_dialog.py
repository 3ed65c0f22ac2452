"""The settings dialog: every change applies at once, so its one button is Close.

The dialog only turns its controls into a :class:`Settings` and emits it; the window
applies and saves it. While a value is invalid (working hours that end before they
start) it shows why, next to the controls, and emits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from pydantic import ValidationError
from PySide6.QtCore import QLocale, QSize, Qt, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QStyle,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.domain.limits import bounds, int_bounds
from acupressure_desktop.domain.safety import CONDITIONS, FLAGGED_MEANS, SafetyProfile
from acupressure_desktop.domain.validation import error_message, field_path
from acupressure_desktop.reminders import FixedReminder, ReminderSchedule, describe_days
from acupressure_desktop.settings import BreathingPacer, Settings, SoundSettings
from acupressure_desktop.ui.accessibility import quietly
from acupressure_desktop.ui.dialogs import ask
from acupressure_desktop.ui.voice import VoiceSettingsBox

THEMES = ("system", "light", "dark")  # button ids in the theme group
HOLD_FALLBACK = 60  # shown for "the same for every point" while each point keeps its own time
FIXED_DAYS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("on weekdays", (0, 1, 2, 3, 4)),
    ("every day", (0, 1, 2, 3, 4, 5, 6)),
    ("at weekends", (5, 6)),
)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _days_key(days: tuple[int, ...]) -> str:
    return ",".join(str(d) for d in days)


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class SafetyProfileEditor(QGroupBox):
    """One checkbox per safety question, each with its explanation underneath."""

    profileChanged = Signal(object)  # SafetyProfile

    def __init__(self, profile: SafetyProfile, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName("Safety profile")
        layout = QVBoxLayout(self)
        self.boxes: dict[str, QCheckBox] = {}
        for condition in CONDITIONS:
            check = QCheckBox(condition.label)
            check.setToolTip(condition.explanation)
            check.setAccessibleName(condition.label)
            check.setAccessibleDescription(condition.explanation)
            explanation = _muted(condition.explanation)
            explanation.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(check)
            layout.addWidget(explanation)
            self.boxes[condition.field] = check
        self.set_profile(profile)
        for check in self.boxes.values():
            check.toggled.connect(self._on_toggled)

    def profile(self) -> SafetyProfile:
        return SafetyProfile(**{field: check.isChecked() for field, check in self.boxes.items()})

    def set_profile(self, profile: SafetyProfile) -> None:
        """Show ``profile`` without emitting profileChanged."""
        for field, check in self.boxes.items():
            blocked = check.blockSignals(True)
            check.setChecked(bool(getattr(profile, field)))
            check.blockSignals(blocked)

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        self.profileChanged.emit(self.profile())


SCREEN_SHARE = 0.9  # of the available screen, at most, for the dialog
SMALLEST = QSize(600, 560)


def dialog_size(needed: QSize, available: QSize) -> QSize:
    """What the settings dialog needs, at least its smallest size, at most 90 % of the screen."""
    most = QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))
    return needed.expandedTo(SMALLEST).boundedTo(most)


class SettingsDialog(QDialog):
    """Emits ``settingsChanged`` with a new, valid Settings after every change."""

    settingsChanged = Signal(object)  # Settings

    def __init__(
        self,
        settings: Settings,
        routines: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        reminder_note: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._reminder_note = reminder_note
        self.setWindowTitle("Settings")
        self.setModal(True)
        self._settings = settings  # the last valid settings; fields we do not show are kept from it
        self._loading = False
        self._routines = list(routines)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.setDocumentMode(True)
        # Built quietly: Orca 43 took the first tab's selection event for a focus move and, getting it
        # before the window's activation, never said "Settings dialog".
        with quietly(self.tabs, self.tabs.tabBar()):
            self.tabs.addTab(self._appearance_page(), "&Appearance")
            self.tabs.addTab(self._practice_page(), "&Practice")
            self.tabs.addTab(self._reminders_page(), "&Reminders")
            self.tabs.addTab(self._safety_page(settings.safety), "&Safety")
            self.tabs.addTab(self._general_page(), "&General")

        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Restore de&faults", QDialogButtonBox.ButtonRole.ResetRole)
        self.restore_button.setAccessibleName("Restore default settings")
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_defaults)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        assert close is not None
        self.close_button = close
        close.setDefault(True)
        close.setProperty("primary", True)
        close.setAccessibleName("Close settings")
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(_muted("Changes apply as you make them."), 1)
        footer.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)

        self._load(settings)
        self._connect()
        self._fit_screen()

    def _fit_screen(self) -> None:
        """As large as the longest page needs, so no page scrolls where the screen has room (the
        Reminders page scrolled both ways in a 600 x 560 dialog on a 1920 x 1080 screen), and never
        larger than the screen (where a page scrolls instead)."""
        self.ensurePolished()
        needed = QSize()
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            inner = page.widget() if isinstance(page, QScrollArea) else page
            if inner is not None:
                needed = needed.expandedTo(inner.sizeHint())
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        chrome = self.sizeHint() - self.tabs.sizeHint() + QSize(0, self.tabs.tabBar().sizeHint().height())
        needed += QSize(scroll_bar, 0) + chrome
        screen = (self.parentWidget() or self).screen()
        self.resize(dialog_size(needed, screen.availableGeometry().size()))

    # -- pages -----------------------------------------------------------------------------------

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        return page, layout

    def _appearance_page(self) -> QWidget:
        page, layout = self._page()
        box = QGroupBox("Theme")
        box_layout = QVBoxLayout(box)
        self.theme_group = QButtonGroup(self)
        labels = {
            "system": ("Follow the s&ystem", "Light or dark, as your computer is set"),
            "light": ("&Light", "Light theme"),
            "dark": ("&Dark", "Dark theme"),
        }
        self.theme_buttons: dict[str, QRadioButton] = {}
        for index, name in enumerate(THEMES):
            text, accessible = labels[name]
            button = QRadioButton(text)
            button.setAccessibleName(f"Theme: {accessible}")
            self.theme_group.addButton(button, index)
            self.theme_buttons[name] = button
            box_layout.addWidget(button)
        box_layout.addWidget(_muted("Following the system uses the light or dark setting of your computer."))
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    def _practice_page(self) -> QWidget:
        page, layout = self._page()

        timer = QGroupBox("Timer")
        timer_form = self._form(timer)
        hold = QWidget()
        hold_layout = QVBoxLayout(hold)
        hold_layout.setContentsMargins(0, 0, 0, 0)
        self.hold_own = QRadioButton("Each point's &own time, as its instructions say")
        self.hold_own.setAccessibleName("Hold each point for its own recommended time")
        self.hold_same = QRadioButton("The sa&me for every point:")
        self.hold_same.setAccessibleName("Hold every point for the same time")
        self.hold_group = QButtonGroup(self)
        self.hold_group.addButton(self.hold_own, 0)
        self.hold_group.addButton(self.hold_same, 1)
        self.hold_seconds = QSpinBox()
        self.hold_seconds.setRange(*int_bounds(Settings, "default_hold_seconds"))
        self.hold_seconds.setSingleStep(5)
        self.hold_seconds.setSuffix(" s")
        self.hold_seconds.setAccessibleName("Hold time for every point, in seconds")
        same_row = QHBoxLayout()
        same_row.addWidget(self.hold_same)
        same_row.addWidget(self.hold_seconds)
        same_row.addStretch(1)
        hold_layout.addWidget(self.hold_own)
        hold_layout.addLayout(same_row)
        hold_label = QLabel("&Hold time:")
        hold_label.setBuddy(self.hold_own)
        timer_form.addRow(hold_label, hold)
        self.prepare_seconds = QSpinBox()
        self.prepare_seconds.setRange(*int_bounds(Settings, "prepare_seconds"))
        self.prepare_seconds.setSuffix(" s")
        self.prepare_seconds.setSpecialValueText("None")
        self.prepare_seconds.setAccessibleName("Preparation time before each point, in seconds")
        self.prepare_seconds.setToolTip("Time to find the point and settle before its timer starts")
        timer_form.addRow("Pr&eparation:", self._with_note(self.prepare_seconds, "to find each point first"))
        self._buddy(timer_form, self.prepare_seconds)
        layout.addWidget(timer)

        sounds = QGroupBox("Sounds")
        sounds_form = self._form(sounds)
        self.sounds_enabled = QCheckBox("Play a so&und when a step starts or sides switch")
        self.sounds_enabled.setAccessibleName("Play sounds")
        sounds_form.addRow(self.sounds_enabled)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(*int_bounds(SoundSettings, "volume"))
        self.volume.setSingleStep(5)
        self.volume.setPageStep(10)
        # Apply on release, not at every pixel of a drag: each change is saved to disk.
        self.volume.setTracking(False)
        self.volume.setAccessibleName("Sound volume")
        self.volume_value = QLabel()
        self.volume_value.setMinimumWidth(self.volume_value.fontMetrics().horizontalAdvance("100 %") + 4)
        self.volume.sliderMoved.connect(self._show_volume)
        self.volume.valueChanged.connect(self._show_volume)
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_value)
        sounds_form.addRow("&Volume:", volume_row)
        self._volume_row = [self.volume, self.volume_value, self._buddy(sounds_form, self.volume)]
        layout.addWidget(sounds)

        pacer = QGroupBox("Breathing pacer")
        pacer_form = self._form(pacer)
        self.breathing_enabled = QCheckBox("Show a &breathing pacer during sessions")
        self.breathing_enabled.setAccessibleName("Show the breathing pacer")
        pacer_form.addRow(self.breathing_enabled)
        self.inhale_seconds = self._seconds_box(bounds(BreathingPacer, "inhale_seconds"), "Breathe in for, in seconds")
        self.exhale_seconds = self._seconds_box(bounds(BreathingPacer, "exhale_seconds"), "Breathe out for, in seconds")
        pacer_form.addRow("Breathe &in for:", self.inhale_seconds)
        pacer_form.addRow("Breathe ou&t for:", self.exhale_seconds)
        self._pacer_rows = self._row_widgets(pacer_form, self.inhale_seconds, self.exhale_seconds)
        pacer_form.addRow(_muted("A longer breath out than in helps most people relax."))
        layout.addWidget(pacer)
        self.voice_box = VoiceSettingsBox(self._settings.voice, self.volume.value)
        layout.addWidget(self.voice_box)
        layout.addStretch(1)
        return page

    def _reminders_page(self) -> QWidget:
        page, layout = self._page()
        self.reminders_enabled = QCheckBox("Remind me to take a &break while I work")
        self.reminders_enabled.setAccessibleName("Break reminders")
        layout.addWidget(self.reminders_enabled)

        self.schedule_box = QGroupBox("When")
        form = self._form(self.schedule_box)
        self.interval_minutes = QSpinBox()
        self.interval_minutes.setRange(*int_bounds(ReminderSchedule, "interval_minutes"))
        self.interval_minutes.setSingleStep(5)
        self.interval_minutes.setSuffix(" min")
        self.interval_minutes.setAccessibleName("Remind me every, in minutes")
        form.addRow("&Every:", self.interval_minutes)

        time_format = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
        self.work_start = QTimeEdit()
        self.work_end = QTimeEdit()
        for edit, name in ((self.work_start, "Working hours start"), (self.work_end, "Working hours end")):
            edit.setDisplayFormat(time_format)
            edit.setAccessibleName(name)
            edit.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        until = QLabel("&until")
        until.setBuddy(self.work_end)
        hours = QHBoxLayout()
        hours.addWidget(self.work_start)
        hours.addWidget(until)
        hours.addWidget(self.work_end)
        hours.addStretch(1)
        form.addRow("Wor&king hours:", hours)
        self._buddy(form, self.work_start)
        self.hours_error = QLabel()
        self.hours_error.setObjectName("danger")
        self.hours_error.setWordWrap(True)
        self.hours_error.setAccessibleName("Problem with the reminder settings")
        self.hours_error.hide()
        form.addRow(self.hours_error)

        days = QHBoxLayout()
        days.setSpacing(10)
        self.weekday_boxes: list[QCheckBox] = []
        locale = QLocale()
        for index, name in enumerate(DAY_NAMES):
            box = QCheckBox(locale.dayName(index + 1, QLocale.FormatType.ShortFormat))
            box.setAccessibleName(name)
            self.weekday_boxes.append(box)
            days.addWidget(box)
        days.addStretch(1)
        form.addRow("&Days:", days)
        self._buddy(form, self.weekday_boxes[0])

        self.days_warning = QLabel("No days are ticked, so no reminders will come.")
        self.days_warning.setObjectName("warning")
        self.days_warning.setWordWrap(True)
        self.days_warning.hide()
        form.addRow(self.days_warning)
        layout.addWidget(self.schedule_box)

        self.fixed_box = QGroupBox("At a fixed time")
        fixed_form = self._form(self.fixed_box)
        self.fixed_enabled = QCheckBox("Also at a fi&xed time:")
        self.fixed_enabled.setAccessibleName("Also remind me at a fixed time")
        self.fixed_time = QTimeEdit()
        self.fixed_time.setDisplayFormat(time_format)
        self.fixed_time.setAccessibleName("Fixed reminder time")
        self.fixed_days = QComboBox()
        self.fixed_days.setAccessibleName("Days of the fixed reminder")
        for text, fixed_days in FIXED_DAYS:
            self.fixed_days.addItem(text, _days_key(fixed_days))
        fixed_row = QHBoxLayout()
        fixed_row.addWidget(self.fixed_enabled)
        fixed_row.addWidget(self.fixed_time)
        fixed_row.addWidget(self.fixed_days)
        fixed_row.addStretch(1)
        fixed_form.addRow(fixed_row)
        self.fixed_label = QLineEdit()
        self.fixed_label.setMaxLength(60)
        self.fixed_label.setPlaceholderText("Bedtime wind-down")
        self.fixed_label.setAccessibleName("Name of the fixed reminder")
        fixed_form.addRow("&Called:", self.fixed_label)
        self.fixed_routine = QComboBox()
        self.fixed_routine.setAccessibleName("Routine to offer at the fixed time")
        self.fixed_routine.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.fixed_routine.setMinimumContentsLength(24)
        fixed_form.addRow("Rou&tine to offer:", self.fixed_routine)
        self._fixed_rows = self._row_widgets(fixed_form, self.fixed_label, self.fixed_routine)
        layout.addWidget(self.fixed_box)

        self.reminder_box = QGroupBox("Reminder")
        reminder_form = self._form(self.reminder_box)
        self.default_routine = QComboBox()
        self.default_routine.setAccessibleName("Routine to offer with each reminder")
        self.default_routine.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.default_routine.setMinimumContentsLength(24)
        reminder_form.addRow("Routine to &offer:", self.default_routine)
        self.snooze_minutes = QSpinBox()
        self.snooze_minutes.setRange(*int_bounds(ReminderSchedule, "snooze_minutes"))
        self.snooze_minutes.setSuffix(" min")
        self.snooze_minutes.setAccessibleName("Snooze for, in minutes")
        reminder_form.addRow("S&nooze for:", self.snooze_minutes)
        self.break_minutes = QSpinBox()
        self.break_minutes.setRange(*int_bounds(ReminderSchedule, "break_minutes"))
        self.break_minutes.setSuffix(" min")
        self.break_minutes.setAccessibleName("Away this long counts as a break, in minutes")
        reminder_form.addRow(
            "Break &length:", self._with_note(self.break_minutes, "away this long (asleep, locked, idle) is a break")
        )
        self._buddy(reminder_form, self.break_minutes)
        self.delivery = QComboBox()
        self.delivery.addItem("A small window", "prompt")
        self.delivery.addItem("A desktop notification", "notification")
        self.delivery.setAccessibleName("Show reminders as")
        reminder_form.addRow("Show re&minders as:", self.delivery)
        layout.addWidget(self.reminder_box)

        self.quiet_box = QGroupBox("Not at the wrong moment")
        quiet_form = self._form(self.quiet_box)
        self.respect_full_screen = QCheckBox("Wait while a full-screen &window has focus")
        self.respect_full_screen.setAccessibleName("Wait while a full-screen window has focus")
        self.respect_dnd = QCheckBox("Wait while do-not-d&isturb is on")
        self.respect_dnd.setAccessibleName("Wait while do-not-disturb is on")
        quiet_form.addRow(self.respect_full_screen)
        quiet_form.addRow(self.respect_dnd)
        self.quiet_programs = QLineEdit()
        self.quiet_programs.setPlaceholderText("zoom, obs, teams")
        self.quiet_programs.setAccessibleName("Don't remind me while these programs run, separated by commas")
        quiet_form.addRow("Not w&hile these run:", self.quiet_programs)
        quiet_form.addRow(_muted("A reminder that waits comes once afterwards, never a pile."))
        layout.addWidget(self.quiet_box)

        self.background_box = QGroupBox("In the background")
        background_form = self._form(self.background_box)
        self.start_at_login = QCheckBox("Start automaticall&y when I log in")
        self.start_at_login.setAccessibleName("Start at login")
        background_form.addRow(self.start_at_login)
        self.background = QComboBox()
        self.background.addItem("Ask", "ask")
        self.background.addItem("Keep reminding in the background", "keep")
        self.background.addItem("Quit", "quit")
        self.background.setAccessibleName("Without a tray, closing the window")
        background_label = QLabel("Without a tray, closing the window:")
        background_label.setBuddy(self.background)
        background_form.addRow(background_label, self.background)
        layout.addWidget(self.background_box)

        layout.addWidget(
            _muted(
                "Reminders come only in working hours on the ticked days, and never during a routine. "
                "Time away from the computer (asleep, locked or idle) as long as a break counts as one."
            )
        )
        self.detection_note = _muted(self._reminder_note or "")
        self.detection_note.setAccessibleName("What this desktop tells the reminders")
        self.detection_note.setVisible(bool(self._reminder_note))
        layout.addWidget(self.detection_note)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _safety_page(self, profile: SafetyProfile) -> QWidget:
        page, layout = self._page()
        layout.addWidget(_muted(FLAGGED_MEANS))
        self.safety = SafetyProfileEditor(profile, "Your safety profile (tick what applies)")
        layout.addWidget(self.safety)
        layout.addWidget(_muted("Your answers stay on this computer. Nothing is sent anywhere."))
        layout.addStretch(1)
        # The longest page: let it scroll rather than grow the dialog with large fonts.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _general_page(self) -> QWidget:
        page, layout = self._page()
        box = QGroupBox("Starting")
        box_layout = QVBoxLayout(box)
        self.start_minimised = QCheckBox("Start &minimised to the tray")
        self.start_minimised.setAccessibleName("Start minimised to the tray")
        box_layout.addWidget(self.start_minimised)
        box_layout.addWidget(_muted("Handy with break reminders: the app waits in the background until you need it."))
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    # -- small builders --------------------------------------------------------------------------

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        # Spin boxes keep their natural width; only sliders and the like stretch.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        return form

    @staticmethod
    def _row_widgets(form: QFormLayout, *fields: QWidget) -> list[QWidget]:
        """The fields and their labels, to enable or disable whole rows."""
        labels = [form.labelForField(field) for field in fields]
        return [*fields, *(label for label in labels if label is not None)]

    @staticmethod
    def _buddy(form: QFormLayout, widget: QWidget) -> QLabel:
        """Point the label of the form's last row at ``widget`` (a row holding a layout has no buddy)."""
        item = form.itemAt(form.rowCount() - 1, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        assert isinstance(label, QLabel)
        label.setBuddy(widget)
        return label

    @staticmethod
    def _with_note(widget: QWidget, note: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(widget)
        row.addWidget(_muted(note), 1)
        return row

    @staticmethod
    def _seconds_box(limits: tuple[float, float], name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(*limits)
        box.setDecimals(1)
        box.setSingleStep(0.5)
        box.setSuffix(" s")
        box.setAccessibleName(name)
        return box

    # -- values ----------------------------------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        """Show ``settings`` in the controls without emitting anything."""
        self._loading = True
        try:
            self.theme_buttons[settings.theme].setChecked(True)
            hold = settings.default_hold_seconds
            self.hold_seconds.setValue(hold if hold is not None else HOLD_FALLBACK)
            (self.hold_own if hold is None else self.hold_same).setChecked(True)
            self.prepare_seconds.setValue(settings.prepare_seconds)
            self.sounds_enabled.setChecked(settings.sounds.enabled)
            self.volume.setValue(settings.sounds.volume)
            self._show_volume(settings.sounds.volume)
            self.breathing_enabled.setChecked(settings.breathing.enabled)
            self.inhale_seconds.setValue(settings.breathing.inhale_seconds)
            self.exhale_seconds.setValue(settings.breathing.exhale_seconds)
            schedule = settings.reminders
            self.reminders_enabled.setChecked(schedule.enabled)
            self.interval_minutes.setValue(schedule.interval_minutes)
            self.work_start.setTime(QTime(schedule.work_start.hour, schedule.work_start.minute))
            self.work_end.setTime(QTime(schedule.work_end.hour, schedule.work_end.minute))
            for index, box in enumerate(self.weekday_boxes):
                box.setChecked(index in schedule.weekdays)
            self._fill_routines(self.default_routine, schedule.default_routine_id, "None: just remind me")
            self.snooze_minutes.setValue(schedule.snooze_minutes)
            self.break_minutes.setValue(schedule.break_minutes)
            self.delivery.setCurrentIndex(max(0, self.delivery.findData(schedule.delivery)))
            self.respect_full_screen.setChecked(schedule.respect_full_screen)
            self.respect_dnd.setChecked(schedule.respect_do_not_disturb)
            self.quiet_programs.setText(", ".join(schedule.quiet_programs))
            self.start_at_login.setChecked(schedule.start_at_login)
            self.background.setCurrentIndex(max(0, self.background.findData(schedule.background)))
            fixed = schedule.fixed[0] if schedule.fixed else FixedReminder(at=time(22, 30))
            self.fixed_enabled.setChecked(bool(schedule.fixed))
            self.fixed_time.setTime(QTime(fixed.at.hour, fixed.at.minute))
            days = self.fixed_days.findData(_days_key(fixed.weekdays))
            if days < 0:  # days set in the file by hand: shown, and kept
                self.fixed_days.addItem(describe_days(fixed.weekdays), _days_key(fixed.weekdays))
                days = self.fixed_days.count() - 1
            self.fixed_days.setCurrentIndex(days)
            self.fixed_label.setText(fixed.label)
            self._fill_routines(self.fixed_routine, fixed.routine_id, "None")
            self.safety.set_profile(settings.safety)
            self.start_minimised.setChecked(settings.start_minimised)
            self.voice_box.set_value(settings.voice)
        finally:
            self._loading = False
        self._settings = settings
        self._show_problems(None)
        self._sync_enabled()

    def _fill_routines(self, combo: QComboBox, selected: str | None, none: str) -> None:
        combo.clear()
        combo.addItem(none, "")
        for routine_id, title in self._routines:
            combo.addItem(title, routine_id)
        if selected and combo.findData(selected) < 0:
            # A routine that has since been deleted: keep the choice visible rather than drop it.
            combo.addItem(f"Missing routine “{selected}”", selected)
        combo.setCurrentIndex(max(0, combo.findData(selected or "")))

    def _connect(self) -> None:
        self.theme_group.idToggled.connect(self._on_choice)
        self.hold_group.idToggled.connect(self._on_choice)
        for box in (
            self.hold_seconds,
            self.prepare_seconds,
            self.interval_minutes,
            self.snooze_minutes,
            self.break_minutes,
        ):
            box.valueChanged.connect(self._changed)
        for double in (self.inhale_seconds, self.exhale_seconds):
            double.valueChanged.connect(self._changed)
        self.volume.valueChanged.connect(self._changed)
        checks = [self.sounds_enabled, self.breathing_enabled, self.reminders_enabled, self.start_minimised]
        checks += [self.fixed_enabled, self.respect_full_screen, self.respect_dnd, self.start_at_login]
        for combo in (self.delivery, self.background, self.fixed_days, self.fixed_routine):
            combo.currentIndexChanged.connect(self._changed)
        self.fixed_time.timeChanged.connect(self._changed)
        for line in (self.fixed_label, self.quiet_programs):
            line.editingFinished.connect(self._changed)
        for check in checks + self.weekday_boxes:
            check.toggled.connect(self._changed)
        for edit in (self.work_start, self.work_end):
            edit.timeChanged.connect(self._changed)
        self.default_routine.currentIndexChanged.connect(self._changed)
        self.safety.profileChanged.connect(self._changed)
        self.voice_box.changed.connect(self._changed)

    def settings(self) -> Settings:
        """The settings the dialog last emitted (or was given)."""
        return self._settings

    def _read(self) -> Settings:
        """Settings from the controls; raises ValueError (with a message for the person) when invalid."""
        start, end = self.work_start.time(), self.work_end.time()
        routine_id = self.default_routine.currentData()
        kept = self._settings.reminders
        fixed = list(kept.fixed)
        if self.fixed_enabled.isChecked():
            at = self.fixed_time.time()
            first = FixedReminder(
                at=time(at.hour(), at.minute()),
                weekdays=tuple(int(d) for d in self.fixed_days.currentData().split(",") if d),
                label=self.fixed_label.text().strip() or "Bedtime wind-down",
                routine_id=self.fixed_routine.currentData() or None,
            )
            fixed[:1] = [first]
        else:
            fixed = []
        schedule = ReminderSchedule(
            enabled=self.reminders_enabled.isChecked(),
            interval_minutes=self.interval_minutes.value(),
            work_start=time(start.hour(), start.minute()),
            work_end=time(end.hour(), end.minute()),
            weekdays=tuple(i for i, box in enumerate(self.weekday_boxes) if box.isChecked()),
            default_routine_id=routine_id or None,
            snooze_minutes=self.snooze_minutes.value(),
            break_minutes=self.break_minutes.value(),
            fixed=tuple(fixed),
            respect_full_screen=self.respect_full_screen.isChecked(),
            respect_do_not_disturb=self.respect_dnd.isChecked(),
            quiet_programs=tuple(self.quiet_programs.text().split(",")),
            delivery=self.delivery.currentData(),
            background=self.background.currentData(),
            start_at_login=self.start_at_login.isChecked(),
        )
        return self._settings.updated(
            theme=THEMES[self.theme_group.checkedId()],
            default_hold_seconds=self.hold_seconds.value() if self.hold_same.isChecked() else None,
            prepare_seconds=self.prepare_seconds.value(),
            sounds=SoundSettings(enabled=self.sounds_enabled.isChecked(), volume=self.volume.value()),
            breathing=BreathingPacer(
                enabled=self.breathing_enabled.isChecked(),
                inhale_seconds=self.inhale_seconds.value(),
                exhale_seconds=self.exhale_seconds.value(),
            ),
            reminders=schedule,
            safety=self.safety.profile(),
            start_minimised=self.start_minimised.isChecked(),
            voice=self.voice_box.value(),
        )

    @Slot(int, bool)
    def _on_choice(self, _id: int, checked: bool) -> None:
        # An exclusive group reports the old button going off too; react once, to the new one.
        if checked:
            self._changed()

    @Slot()
    def _changed(self) -> None:
        if self._loading:
            return
        self._sync_enabled()
        try:
            new = self._read()
        except ValidationError as exc:
            problem = exc.errors()[0]
            message = error_message(problem)
            where = field_path(problem["loc"], empty="")
            self._show_problems(
                f"{where}: {message}" if where else f"{message} Until then, the last valid ones stay in use."
            )
            return
        self._show_problems(None)
        if new != self._settings:
            self._settings = new
            self.settingsChanged.emit(new)

    def _show_problems(self, error: str | None) -> None:
        self.hours_error.setText(error or "")
        self.hours_error.setVisible(error is not None)
        for edit in (self.work_start, self.work_end):
            edit.setAccessibleDescription(error or "")
        no_days = not any(box.isChecked() for box in self.weekday_boxes)
        self.days_warning.setVisible(no_days and self.reminders_enabled.isChecked())

    def _sync_enabled(self) -> None:
        self.hold_seconds.setEnabled(self.hold_same.isChecked())
        for widget in self._volume_row:
            widget.setEnabled(self.sounds_enabled.isChecked())
        for widget in self._pacer_rows:
            widget.setEnabled(self.breathing_enabled.isChecked())
        for group in (self.schedule_box, self.fixed_box, self.reminder_box, self.quiet_box, self.background_box):
            group.setEnabled(self.reminders_enabled.isChecked())
        for widget in (self.fixed_time, self.fixed_days, *self._fixed_rows):
            widget.setEnabled(self.fixed_enabled.isChecked())

    @Slot(int)
    def _show_volume(self, value: int) -> None:
        self.volume_value.setText(f"{value} %")

    # -- buttons ---------------------------------------------------------------------------------

    @Slot()
    def restore_defaults(self) -> None:
        """Defaults for everything but the safety profile, favourites and the accepted notice."""
        if not ask(
            self,
            "Restore defaults",
            "Restore the default settings? Your safety profile and favourite points are kept.",
            action="Restore defaults",
        ):
            return
        current = self._settings
        defaults = Settings(
            safety=current.safety,
            favourites=current.favourites,
            disclaimer_accepted_version=current.disclaimer_accepted_version,
        )
        self._load(defaults)
        if defaults != current:
            self.settingsChanged.emit(defaults)
