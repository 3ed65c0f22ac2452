"""User settings: a pydantic model saved as JSON, with numbered schema upgrades.

Qt-free. The app always starts: a missing file gives defaults; an older file is
upgraded step by step (keeping a copy of the original) and saved; a file that
cannot be used is moved aside with a timestamp, never deleted or overwritten,
and the person is told which file, which field, what is wrong and where the
copy is; a file from a newer version is left untouched.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from acupressure_desktop import APP_TITLE
from acupressure_desktop.domain.models import Code
from acupressure_desktop.domain.safety import SafetyProfile
from acupressure_desktop.domain.validation import summary
from acupressure_desktop.fileio import (
    FileProblem,
    clean_stale_temporaries,
    move_aside,
    read_bounded,
    real_target,
    reason,
    write_text_atomically,
)
from acupressure_desktop.reminders import ReminderSchedule
from acupressure_desktop.streaks import PracticeDays

SCHEMA_VERSION = 4
MAX_SETTINGS_BYTES = 1_000_000  # a settings file is a few KiB; anything larger is not one


class SettingsError(Exception):
    """Settings cannot be saved; the message names the file and the reason."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SoundSettings(_Frozen):
    enabled: bool = True
    volume: int = Field(default=70, ge=0, le=100)


class VoiceSettings(_Frozen):
    """Spoken guidance during a session (session/voice.py); off until the person turns it on."""

    enabled: bool = False
    volume: int = Field(default=80, ge=0, le=100)
    rate: int = Field(default=100, ge=50, le=200)  # percent of the engine's normal speed
    voice: str = Field(default="", max_length=200)  # the engine's voice name; "" for its default


class BreathingPacer(_Frozen):
    enabled: bool = False
    inhale_seconds: float = Field(default=4, ge=1, le=15)
    exhale_seconds: float = Field(default=6, ge=1, le=20)


class Settings(_Frozen):
    schema_version: int = SCHEMA_VERSION
    theme: Literal["system", "light", "dark"] = "system"
    sounds: SoundSettings = Field(default_factory=SoundSettings)
    # None: each point's own recommended hold time, so the timer matches the instructions.
    default_hold_seconds: int | None = Field(default=None, ge=5, le=1800)
    breathing: BreathingPacer = Field(default_factory=BreathingPacer)
    voice: VoiceSettings = Field(default_factory=VoiceSettings)
    reminders: ReminderSchedule = Field(default_factory=ReminderSchedule)
    practice: PracticeDays = Field(default_factory=PracticeDays)  # rest days, for fair streaks
    safety: SafetyProfile = Field(default_factory=SafetyProfile)
    start_minimised: bool = False
    disclaimer_accepted_version: int = Field(default=0, ge=0)  # 0: never accepted
    favourites: tuple[Code, ...] = ()
    prepare_seconds: int = Field(default=5, ge=0, le=30)
    # Which points the Learn page's map and list show: self-care points only (the calm default) or all.
    map_points: Literal["self-care", "all"] = "self-care"

    @field_validator("schema_version")
    @classmethod
    def _current_version(cls, version: int) -> int:
        if version != SCHEMA_VERSION:
            raise ValueError(f"expected {SCHEMA_VERSION}; older files are upgraded before validation")
        return version

    @field_validator("favourites")
    @classmethod
    def _unique(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(codes))

    def updated(self, **changes: Any) -> Settings:
        """A validated copy with ``changes`` applied (model_copy does not validate)."""
        return Settings.model_validate({**dict(self), **changes})


# -- schema upgrades ---------------------------------------------------------------


class UpgradeError(ValueError):
    """An old file does not have the shape its schema version promises."""


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept reminders as flat keys ``reminder_minutes`` and ``reminders_enabled``."""
    data = dict(data)
    reminders: dict[str, Any] = {}
    if "reminder_minutes" in data:
        minutes = data.pop("reminder_minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            raise UpgradeError(f"reminder_minutes: expected whole minutes, found {minutes!r}")
        # Version 1 allowed 5-480 minutes; keep the closest interval we support.
        reminders["interval_minutes"] = min(240, max(5, minutes))
    if "reminders_enabled" in data:
        reminders["enabled"] = data.pop("reminders_enabled")
    if reminders:
        data["reminders"] = reminders
    data["schema_version"] = 2
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added reminder fields (break length, fixed times, quiet moments, start at login)
    and rest days (``practice``), all with defaults: nothing to convert. The number changes so
    that an older version leaves a version-3 file alone instead of setting it aside."""
    return {**data, "schema_version": 3}


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 added ``map_points`` (the Learn page's self-care / all points filter), with a
    default: nothing to convert. The number changes so that a version-3 app leaves the file alone
    (it would set aside a file with a field it does not know)."""
    return {**data, "schema_version": 4}


# UPGRADES[n] turns a version-n dict into a version n+1 dict.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Apply every upgrade step from the file's version to the current one."""
    version = data["schema_version"]
    while version < SCHEMA_VERSION:
        data = UPGRADES[version](data)
        version += 1
    return data


# -- loading -----------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    settings: Settings
    notice: str | None = None  # tell the person this, once
    moved_to: Path | None = None  # where an unusable file was moved
    # False when the file on disk must be left alone: it is from a newer version,
    # or it could not be moved aside. Saving would then overwrite it.
    can_save: bool = True


def load_settings(path: Path, *, now: Callable[[], datetime] = datetime.now) -> LoadResult:
    """Read settings; never raises for a bad file and never loses one."""
    clean_stale_temporaries(path)  # a save killed midway left its temporary file
    try:
        raw = read_bounded(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return LoadResult(Settings())
    except FileProblem as exc:
        return _set_aside(path, exc.problem, now)

    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _set_aside(path, "is not UTF-8 text", now)
    except json.JSONDecodeError as exc:
        return _set_aside(path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", now)
    except RecursionError:
        return _set_aside(path, "is not valid JSON (nested too deeply)", now)
    except ValueError as exc:  # an integer of thousands of digits
        problem = "a number has too many digits" if "digits" in str(exc) else str(exc)
        return _set_aside(path, f"is not valid JSON ({problem})", now)
    if not isinstance(data, dict):
        return _set_aside(path, f"top level: expected a JSON object, found {type(data).__name__}", now)

    version = data.get("schema_version")
    if version is None:
        return _set_aside(path, "schema_version: missing", now)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return _set_aside(path, f"schema_version: expected a whole number from 1, found {version!r}", now)
    if version > SCHEMA_VERSION:
        return LoadResult(
            Settings(),
            notice=(
                f"Your settings file {path} was written by a newer version of {APP_TITLE} "
                f"(settings version {version}; this version reads up to {SCHEMA_VERSION}). "
                "It was left untouched; default settings are used until you update, and changes "
                "made now are not saved."
            ),
            can_save=False,
        )

    try:
        upgraded = upgrade(data)
    except UpgradeError as exc:
        return _set_aside(path, f"cannot be upgraded from version {version}: {exc}", now)
    try:
        settings = Settings.model_validate_json(json.dumps(upgraded), strict=True)
    except ValidationError as exc:
        return _set_aside(path, summary(exc, 3, empty="top level", unknown="unknown setting"), now)

    if version == SCHEMA_VERSION:
        return LoadResult(settings)
    backup = path.with_name(f"{path.name}.v{version}.bak")
    try:
        if not backup.exists():
            shutil.copy2(path, backup)
        save_settings(path, settings)
    except (OSError, SettingsError) as exc:
        why = str(exc) if isinstance(exc, SettingsError) else f"{backup}: {reason(exc)}"
        return LoadResult(
            settings,
            notice=f"Your settings were upgraded from version {version} but could not be saved: {why}",
        )
    return LoadResult(settings)


def _set_aside(path: Path, problem: str, now: Callable[[], datetime]) -> LoadResult:
    # A symlinked settings file (a dotfiles folder) has its real file set aside, so the link
    # stays and the next save writes through it; a link to anything else is moved itself.
    real = real_target(path)
    victim = real if real != path and real.is_file() else path
    try:
        target = move_aside(victim, "broken", now())
    except OSError as exc:
        return LoadResult(
            Settings(),
            notice=(
                f"Your settings file {path} could not be used: {problem}. It could not be moved aside "
                f"({reason(exc)}), so it was left as it is; default settings are used and changes "
                "made now are not saved."
            ),
            can_save=False,
        )
    return LoadResult(
        Settings(),
        notice=(
            f"Your settings file {path} could not be used: {problem}. "
            f"It was moved to {target} and default settings are in use."
        ),
        moved_to=target,
    )


# -- saving ------------------------------------------------------------------------


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    if _version_on_disk(path) > SCHEMA_VERSION:
        raise SettingsError(f"{path}: written by a newer version of {APP_TITLE}; not overwriting it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, settings.model_dump_json(indent=2) + "\n")
    except OSError as exc:
        raise SettingsError(f"{path}: cannot save settings: {reason(exc)}") from exc


def _version_on_disk(path: Path) -> int:
    try:
        data = json.loads(read_bounded(path, MAX_SETTINGS_BYTES))
    except (OSError, FileProblem, ValueError, RecursionError):
        return 0
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, int) else 0
