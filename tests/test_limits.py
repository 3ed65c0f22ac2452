"""Widgets read ranges from the models, so a limit is stated once."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field
from pytestqt.qtbot import QtBot

from acupressure_desktop.domain.limits import bounds, int_bounds
from acupressure_desktop.reminders import ReminderSchedule
from acupressure_desktop.settings import Settings
from acupressure_desktop.ui.settings_dialog import SettingsDialog


class Sample(BaseModel):
    count: int = Field(default=3, ge=1, le=9)
    share: float = Field(default=0.5, ge=0, le=1)
    free: int = 0


def test_bounds_come_from_the_field() -> None:
    assert int_bounds(Sample, "count") == (1, 9)
    assert bounds(Sample, "share") == (0, 1)
    with pytest.raises(ValueError, match=r"Sample\.free has no ge/le bounds"):
        bounds(Sample, "free")


def test_the_settings_dialog_offers_exactly_the_model_ranges(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), [])
    qtbot.addWidget(dialog)
    offered = {
        "interval": (dialog.interval_minutes.minimum(), dialog.interval_minutes.maximum()),
        "snooze": (dialog.snooze_minutes.minimum(), dialog.snooze_minutes.maximum()),
        "hold": (dialog.hold_seconds.minimum(), dialog.hold_seconds.maximum()),
        "prepare": (dialog.prepare_seconds.minimum(), dialog.prepare_seconds.maximum()),
    }
    assert offered == {
        "interval": int_bounds(ReminderSchedule, "interval_minutes"),
        "snooze": int_bounds(ReminderSchedule, "snooze_minutes"),
        "hold": int_bounds(Settings, "default_hold_seconds"),
        "prepare": int_bounds(Settings, "prepare_seconds"),
    }
