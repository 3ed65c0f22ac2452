"""The Reminders page's new controls: break length, fixed time, wrong moments, delivery, background, login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest
from pytestqt.qtbot import QtBot

from acupressure_desktop.reminders import FixedReminder, ReminderSchedule
from acupressure_desktop.settings import Settings
from acupressure_desktop.ui.settings_dialog import SettingsDialog

ROUTINES = [("quick-reset", "Quick reset"), ("calm-evening", "Calm evening")]
START = Settings(reminders=ReminderSchedule(enabled=True))


def _dialog(qtbot: QtBot, settings: Settings = START, note: str | None = None) -> tuple[SettingsDialog, list[Settings]]:
    dialog = SettingsDialog(settings, ROUTINES, None, note)
    qtbot.addWidget(dialog)
    emitted: list[Settings] = []
    dialog.settingsChanged.connect(emitted.append)
    return dialog, emitted


def _set_text(edit: object, text: str) -> None:
    edit.setText(text)  # type: ignore[attr-defined]
    edit.editingFinished.emit()  # type: ignore[attr-defined]


CHANGES: dict[str, tuple[Callable[[SettingsDialog], object], dict[str, object]]] = {
    "interval 5": (lambda d: d.interval_minutes.setValue(5), {"interval_minutes": 5}),
    "break length": (lambda d: d.break_minutes.setValue(10), {"break_minutes": 10}),
    "full screen": (lambda d: d.respect_full_screen.setChecked(False), {"respect_full_screen": False}),
    "dnd": (lambda d: d.respect_dnd.setChecked(False), {"respect_do_not_disturb": False}),
    "programs": (lambda d: _set_text(d.quiet_programs, "zoom, obs ,"), {"quiet_programs": ("zoom", "obs")}),
    "delivery": (lambda d: d.delivery.setCurrentIndex(1), {"delivery": "notification"}),
    "background": (lambda d: d.background.setCurrentIndex(1), {"background": "keep"}),
    "login": (lambda d: d.start_at_login.setChecked(True), {"start_at_login": True}),
    "fixed on": (lambda d: d.fixed_enabled.setChecked(True), {"fixed": (FixedReminder(at=time(22, 30)),)}),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_new_control_changes_the_schedule(qtbot: QtBot, name: str) -> None:
    dialog, emitted = _dialog(qtbot)
    change, expected = CHANGES[name]
    change(dialog)
    assert emitted, name
    assert emitted[-1].reminders == START.reminders.model_copy(update=expected)


def test_a_fixed_reminder_is_edited_in_place_and_others_are_kept(qtbot: QtBot) -> None:
    second = FixedReminder(at=time(7, 0), label="Morning", weekdays=(5, 6))
    settings = Settings(
        reminders=ReminderSchedule(enabled=True, fixed=(FixedReminder(at=time(22, 30), weekdays=(0, 2)), second))
    )
    dialog, emitted = _dialog(qtbot, settings)
    assert dialog.fixed_enabled.isChecked() and dialog.fixed_time.isEnabled()
    assert dialog.fixed_days.currentText() == "Mon, Wed"  # set by hand in the file: shown and kept
    _set_text(dialog.fixed_label, "Wind down")
    dialog.fixed_routine.setCurrentIndex(2)
    fixed = emitted[-1].reminders.fixed
    assert fixed[0] == FixedReminder(at=time(22, 30), weekdays=(0, 2), label="Wind down", routine_id="calm-evening")
    assert fixed[1] == second
    dialog.fixed_days.setCurrentIndex(1)
    assert emitted[-1].reminders.fixed[0].weekdays == tuple(range(7))
    dialog.fixed_enabled.setChecked(False)
    assert emitted[-1].reminders.fixed == ()
    assert not dialog.fixed_time.isEnabled() and not dialog.fixed_label.isEnabled()


def test_the_page_says_what_the_desktop_can_tell(qtbot: QtBot) -> None:
    dialog, _ = _dialog(qtbot, note="Idle and lock detection is not available on this desktop.")
    assert dialog.detection_note.text() == "Idle and lock detection is not available on this desktop."
    assert not dialog.detection_note.isHidden()
    quiet, _ = _dialog(qtbot)
    assert quiet.detection_note.isHidden()


def test_new_groups_follow_the_reminders_switch(qtbot: QtBot) -> None:
    dialog, _ = _dialog(qtbot)
    dialog.reminders_enabled.setChecked(False)
    for widget in (dialog.break_minutes, dialog.respect_full_screen, dialog.start_at_login, dialog.fixed_enabled):
        assert not widget.isEnabled()
