"""Settings version 3: reminder and rest-day fields, added with defaults; version 2 files upgrade as they are."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

from acupressure_desktop.reminders import FixedReminder
from acupressure_desktop.settings import SCHEMA_VERSION, Settings, load_settings, save_settings
from acupressure_desktop.streaks import PracticeDays


def test_a_version_2_file_is_upgraded_with_its_values_and_a_copy_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = json.dumps(
        {"schema_version": 2, "theme": "dark", "reminders": {"enabled": True, "interval_minutes": 45}}
    )
    path.write_text(original)
    result = load_settings(path)
    assert result.notice is None
    assert result.settings.theme == "dark"
    assert (result.settings.reminders.enabled, result.settings.reminders.interval_minutes) == (True, 45)
    assert result.settings.reminders.break_minutes == 5 and result.settings.practice == PracticeDays()
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    assert path.with_name("settings.json.v2.bak").read_text() == original


def test_the_new_fields_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings().updated(
        reminders=Settings().reminders.model_copy(
            update={"fixed": (FixedReminder(at=time(22, 30)),), "quiet_programs": ("zoom",), "start_at_login": True}
        ),
        practice=PracticeDays(rest_days=(date(2026, 12, 1),)),
    )
    save_settings(path, settings)
    assert load_settings(path).settings == settings
