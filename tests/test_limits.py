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


def test_validation_errors_read_as_short_lines() -> None:
    from pydantic import ConfigDict, ValidationError, model_validator

    from acupressure_desktop.domain.validation import problems, summary

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")
        count: int = Field(default=3, ge=1, le=9)

        @model_validator(mode="after")
        def _odd(self) -> Strict:
            if self.count % 2 == 0:
                raise ValueError("count must be odd")
            return self

    with pytest.raises(ValidationError) as many:
        Strict.model_validate({"count": 20, "colour": "red", "size": 1})
    assert problems(many.value)[1:] == ["colour: unknown field", "size: unknown field"]
    assert summary(many.value, 1, unknown="unknown setting").endswith("; and 2 more")
    with pytest.raises(ValidationError) as whole:
        Strict.model_validate({"count": 4})
    assert problems(whole.value, empty="top level") == ["top level: count must be odd"]
