"""Settings: defaults, upgrades, unusable files moved aside, newer files untouched, atomic saves."""

from __future__ import annotations

import errno
import json
import os
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from acupressure_desktop.domain.safety import SafetyProfile
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.reminders import ReminderSchedule
from acupressure_desktop.settings import (
    SCHEMA_VERSION,
    UPGRADES,
    BreathingPacer,
    LoadResult,
    Settings,
    SettingsError,
    SoundSettings,
    load_settings,
    save_settings,
)

STAMP = datetime(2024, 3, 4, 10, 15, 0)


def fixed_now() -> datetime:
    return STAMP


@pytest.fixture
def path(app_paths: AppPaths) -> Path:
    return app_paths.settings_file


def write(path: Path, data: Any) -> bytes:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


def folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def assert_moved_aside(path: Path, raw: bytes, result: Any, *fragments: str) -> None:
    copy = path.with_name("settings.json.broken-20240304-101500")
    assert result.moved_to == copy
    assert copy.read_bytes() == raw, "the bad file is kept byte for byte"
    assert not path.exists()
    assert result.settings == Settings()
    assert result.can_save
    for fragment in (str(path), str(copy), *fragments):
        assert fragment in result.notice


# -- defaults and round trip -------------------------------------------------------


def test_missing_file_gives_defaults_quietly(path: Path) -> None:
    result = load_settings(path)
    assert result.settings == Settings()
    assert (result.notice, result.moved_to, result.can_save) == (None, None, True)
    assert not path.exists()


def test_defaults() -> None:
    settings = Settings()
    assert settings.schema_version == SCHEMA_VERSION
    assert (settings.theme, settings.sounds, settings.breathing) == ("system", SoundSettings(), BreathingPacer())
    assert (settings.breathing.inhale_seconds, settings.breathing.exhale_seconds) == (4, 6)
    assert settings.default_hold_seconds is None
    assert (settings.disclaimer_accepted_version, settings.favourites, settings.start_minimised) == (0, (), False)


def test_save_then_load_round_trips_every_field(path: Path) -> None:
    settings = Settings(
        theme="dark",
        sounds=SoundSettings(enabled=False, volume=35),
        default_hold_seconds=90,
        breathing=BreathingPacer(enabled=True, inhale_seconds=4.5, exhale_seconds=7),
        reminders=ReminderSchedule(enabled=True, interval_minutes=45, work_start=time(8, 30), weekdays=(0, 2)),
        safety=SafetyProfile(pregnant_or_trying=True),
        start_minimised=True,
        disclaimer_accepted_version=1,
        favourites=("LI4", "PC6"),
        prepare_seconds=0,
    )
    save_settings(path, settings)
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION
    assert load_settings(path) == LoadResult(settings)
    assert folder(path) == ["settings.json"], "no temporary file is left behind"


def test_save_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "new" / "config" / "settings.json"
    save_settings(target, Settings())
    assert load_settings(target).settings == Settings()


def test_updated_validates_the_change() -> None:
    settings = Settings().updated(prepare_seconds=10, favourites=["LI4", "LI4", "ST36"])
    assert (settings.prepare_seconds, settings.favourites) == (10, ("LI4", "ST36"))
    with pytest.raises(ValidationError, match="theme"):
        Settings().updated(theme="neon")
    with pytest.raises(ValidationError, match="favourites"):
        Settings().updated(favourites=["XX1"])


# -- upgrades ----------------------------------------------------------------------


def test_every_old_version_has_an_upgrade_step() -> None:
    assert sorted(UPGRADES) == list(range(1, SCHEMA_VERSION))


def test_version_1_flat_reminder_keys_are_upgraded_saved_and_the_original_kept(path: Path) -> None:
    raw = write(path, {"schema_version": 1, "theme": "dark", "reminder_minutes": 45, "reminders_enabled": True})
    result = load_settings(path)
    assert result.notice is None
    assert result.settings.theme == "dark"
    assert (result.settings.reminders.enabled, result.settings.reminders.interval_minutes) == (True, 45)
    on_disk = json.loads(path.read_text())
    assert on_disk["schema_version"] == SCHEMA_VERSION
    assert "reminder_minutes" not in on_disk
    assert path.with_name("settings.json.v1.bak").read_bytes() == raw
    assert load_settings(path).settings == result.settings  # now current: loads as is


@pytest.mark.parametrize(("minutes", "interval"), [(4, 5), (5, 5), (480, 240), (30, 30)])
def test_version_1_intervals_are_clamped_to_the_supported_range(path: Path, minutes: int, interval: int) -> None:
    write(path, {"schema_version": 1, "reminder_minutes": minutes})
    assert load_settings(path).settings.reminders.interval_minutes == interval


def test_version_1_without_reminder_keys_upgrades_to_defaults(path: Path) -> None:
    write(path, {"schema_version": 1})
    assert load_settings(path).settings == Settings()


def test_version_1_with_a_bad_value_is_moved_aside(path: Path) -> None:
    raw = write(path, {"schema_version": 1, "reminder_minutes": "lots"})
    result = load_settings(path, now=fixed_now)
    assert_moved_aside(path, raw, result, "reminder_minutes", "'lots'", "version 1")


def test_upgrade_that_cannot_be_saved_still_gives_the_upgraded_settings(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(path, {"schema_version": 1, "reminder_minutes": 20})

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = load_settings(path)
    assert result.settings.reminders.interval_minutes == 20
    assert result.notice is not None
    assert "upgraded from version 1" in result.notice
    assert "the disk is full" in result.notice
    assert json.loads(path.read_text())["schema_version"] == 1  # the original is intact


# -- files that cannot be used ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        ({"schema_version": 2, "sounds": {"volume": "loud"}}, ["sounds.volume", "valid integer"]),
        ({"schema_version": 2, "sounds": {"volume": "50"}}, ["sounds.volume"]),  # no silent coercion
        ({"schema_version": 2, "sounds": {"volume": 101}}, ["sounds.volume", "less than or equal to 100"]),
        ({"schema_version": 2, "colour": "blue"}, ["colour: unknown setting"]),
        ({"schema_version": 2, "reminders": {"interval_minutes": 4}}, ["reminders.interval_minutes"]),
        ({"schema_version": 2, "reminders": {"work_start": "25:00"}}, ["reminders.work_start"]),
        ({"schema_version": 2, "safety": {"pregnant_or_trying": "yes"}}, ["safety.pregnant_or_trying"]),
        ({"schema_version": 2, "favourites": ["LI4", "nonsense"]}, ["favourites.1"]),
        ({"schema_version": 2, "theme": "neon"}, ["theme"]),
        ({"theme": "dark"}, ["schema_version: missing"]),
        ({"schema_version": "2"}, ["schema_version", "'2'"]),
        ({"schema_version": 0}, ["schema_version"]),
        ({"schema_version": True}, ["schema_version"]),
        ([1, 2, 3], ["top level: expected a JSON object, found list"]),
        (b'{"schema_version": 2,', ["not valid JSON", "line 1"]),
        (b"\xff\xfe garbage", ["not UTF-8"]),
    ],
)
def test_unusable_file_is_moved_aside_and_the_notice_says_what_and_where(
    path: Path, data: Any, fragments: list[str]
) -> None:
    raw = write(path, data)
    result = load_settings(path, now=fixed_now)
    assert_moved_aside(path, raw, result, *fragments)


def test_many_errors_are_summarised(path: Path) -> None:
    write(path, {"schema_version": 2, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    notice = load_settings(path, now=fixed_now).notice
    assert notice is not None
    assert "and 2 more" in notice


def test_unreadable_file_is_moved_aside(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = write(path, {"schema_version": 2})
    real_open = os.open

    def denied(name: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        # As root nothing is unreadable: fail the one open of the settings file like a 0000 file would.
        if Path(name) == path and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = load_settings(path, now=fixed_now)
    monkeypatch.undo()
    assert_moved_aside(path, raw, result, "cannot be read (permission denied)")


def test_a_second_broken_file_in_the_same_second_does_not_overwrite_the_first(path: Path) -> None:
    first = write(path, b"first {")
    load_settings(path, now=fixed_now)
    second = write(path, b"second {")
    result = load_settings(path, now=fixed_now)
    assert result.moved_to == path.with_name("settings.json.broken-20240304-101500-2")
    assert path.with_name("settings.json.broken-20240304-101500").read_bytes() == first
    assert result.moved_to.read_bytes() == second


def test_a_broken_file_that_cannot_be_moved_is_left_alone_and_not_saved_over(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = write(path, b"not json")

    def refuse(*args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "rename", refuse)
    result = load_settings(path, now=fixed_now)
    assert result.settings == Settings()
    assert not result.can_save
    assert result.moved_to is None
    assert result.notice is not None
    assert "the disk is read-only" in result.notice
    assert str(path) in result.notice
    assert path.read_bytes() == raw


# -- newer files -------------------------------------------------------------------


def test_file_from_a_newer_version_is_left_untouched(path: Path) -> None:
    raw = write(path, {"schema_version": SCHEMA_VERSION + 1, "theme": "dark", "hologram": True})
    result = load_settings(path, now=fixed_now)
    assert result.settings == Settings()
    assert not result.can_save
    assert result.notice is not None
    assert str(path) in result.notice
    assert "newer version" in result.notice
    assert path.read_bytes() == raw
    assert folder(path) == ["settings.json"]


def test_save_refuses_to_overwrite_a_newer_file(path: Path) -> None:
    raw = write(path, {"schema_version": SCHEMA_VERSION + 1})
    with pytest.raises(SettingsError, match="newer version"):
        save_settings(path, Settings())
    assert path.read_bytes() == raw


# -- save errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "code", "message"),
    [
        ("replace", errno.EROFS, "the disk is read-only"),
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("replace", errno.EACCES, "permission denied"),
    ],
)
def test_save_errors_name_the_file_and_keep_the_old_one(
    path: Path, monkeypatch: pytest.MonkeyPatch, target: str, code: int, message: str
) -> None:
    save_settings(path, Settings(theme="dark"))
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(SettingsError) as caught:
        save_settings(path, Settings(theme="light"))
    monkeypatch.undo()
    assert str(path) in str(caught.value)
    assert message in str(caught.value)
    assert path.read_bytes() == before
    assert folder(path) == ["settings.json"], "the temporary file is removed"


def test_save_into_an_unusable_folder_names_it(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(SettingsError, match=str(blocker / "settings.json")):
        save_settings(blocker / "settings.json", Settings())
