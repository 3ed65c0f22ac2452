"""Break reminders during working hours, scheduled from wall-clock deadlines.

Qt-free. The scheduler never counts ticks and never needs a repeating timer:
the UI asks :meth:`ReminderScheduler.seconds_until_next_check`, sets one
single-shot timer, and calls :meth:`ReminderScheduler.poll` when it fires.
Because ``poll`` compares the wall clock with one deadline, any number of
reminders missed while the app could not look (a late timer, a blocked event
loop) collapse into a single one.

Away time is a break. Three things say the person was away:

* **suspend**: the wall clock moved ahead of the monotonic clock, which stops
  while the computer sleeps;
* **lock** and **idle** time, which the UI reads from the platform and hands to
  :meth:`ReminderScheduler.poll` as a :class:`Presence`.

Away time at least as long as the break (``break_minutes``) counts as a break
taken: the interval restarts when the person comes back, and nothing is
prompted on their return. Shorter absences hold a due reminder back until they
return, so a prompt never waits for an empty chair.

Never at the wrong moment: when the UI says the person is busy (a full-screen
window has focus, do-not-disturb is on, a listed program runs) a due reminder
waits; it comes once when the person is free again, never a pile.

Times are naive local datetimes (``datetime.now()``): working hours are local
wall times. A jump of the wall clock forward that the monotonic clock did not
make looks like a suspend (it is one, or a daylight-saving change): it counts
as away time, so it brings no reminder. A jump backward keeps the time left
until the next reminder, instead of adding the hour back.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from acupressure_desktop.domain.models import Slug

WallClock = Callable[[], datetime]
MonotonicClock = Callable[[], float]
Weekday = Annotated[int, Field(ge=0, le=6)]  # 0 = Monday, as datetime.weekday()
WORKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The longest single-shot timer the UI should set when nothing is due soon. A
# monotonic timer does not run while the computer is suspended and ignores
# wall-clock changes, so we look at the wall clock at least this often: four
# cheap wake-ups an hour (the budget is one per ten minutes).
MAX_CHECK_SECONDS = 900.0
# How often to look again while a reminder waits (busy, or the person stepped
# away) or while a break is being taken: the budget for sources without a signal.
RECHECK_SECONDS = 60.0
# Idle longer than this: nobody is at the computer, so a prompt would wait for an empty chair.
PRESENT_IDLE_SECONDS = 60.0
# The wall clock may run ahead of the monotonic one by this much without a suspend (NTP slews, rounding).
SUSPEND_SLACK_SECONDS = 20.0
# A fixed-time reminder missed by more than this (asleep, busy all evening) is dropped, not shown late.
FIXED_GRACE = timedelta(hours=1)


class FixedReminder(BaseModel):
    """A reminder at a time of day, besides the interval: *Bedtime wind-down* at 22:30 on weekdays."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    at: time
    weekdays: tuple[Weekday, ...] = WORKDAYS
    label: str = Field(default="Bedtime wind-down", min_length=1, max_length=60)
    routine_id: Slug | None = None

    @field_validator("at")
    @classmethod
    def _local_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("a reminder time is a local time without a time zone")
        return value.replace(second=0, microsecond=0)

    @field_validator("weekdays")
    @classmethod
    def _sorted_unique(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(days)))

    @field_validator("label")
    @classmethod
    def _stripped(cls, label: str) -> str:
        label = " ".join(label.split())
        if not label:
            raise ValueError("a reminder needs a name")
        return label

    def describe(self) -> str:
        return f"{self.label} at {self.at:%H:%M}, {describe_days(self.weekdays)}"


class ReminderSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False  # opt-in: no reminders until the person asks for them
    interval_minutes: int = Field(default=60, ge=5, le=240)
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    weekdays: tuple[Weekday, ...] = WORKDAYS
    default_routine_id: Slug | None = None
    snooze_minutes: int = Field(default=10, ge=1, le=120)
    # Away (asleep, locked, idle) at least this long counts as a break taken.
    break_minutes: int = Field(default=5, ge=1, le=60)
    fixed: tuple[FixedReminder, ...] = Field(default=(), max_length=12)
    # Never at the wrong moment: wait while these hold.
    respect_full_screen: bool = True
    respect_do_not_disturb: bool = True
    quiet_programs: tuple[str, ...] = Field(default=(), max_length=40)
    # How a reminder appears: the app's own small window, or a desktop notification with buttons.
    delivery: Literal["prompt", "notification"] = "prompt"
    # Without a tray, closing the window while reminders are on: ask, keep reminding, or quit.
    background: Literal["ask", "keep", "quit"] = "ask"
    start_at_login: bool = False

    @field_validator("work_start", "work_end")
    @classmethod
    def _local_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("working hours are local times without a time zone")
        return value

    @field_validator("weekdays")
    @classmethod
    def _sorted_unique(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(days)))

    @field_validator("quiet_programs")
    @classmethod
    def _program_names(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        cleaned: dict[str, None] = {}
        for name in names:
            name = name.strip()
            if not name:
                continue
            if len(name) > 100 or "\n" in name:
                raise ValueError(f"not a program name: {name[:40]!r}")
            cleaned[name] = None
        return tuple(cleaned)

    @model_validator(mode="after")
    def _start_before_end(self) -> ReminderSchedule:
        if self.work_start >= self.work_end:
            start, end = f"{self.work_start:%H:%M}", f"{self.work_end:%H:%M}"
            raise ValueError(f"Working hours must start before they end: {start} is not before {end}.")
        return self

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)

    @property
    def break_length(self) -> timedelta:
        return timedelta(minutes=self.break_minutes)


def describe_days(days: tuple[int, ...]) -> str:
    if days == WORKDAYS:
        return "weekdays"
    if days == (5, 6):
        return "weekends"
    if days == tuple(range(7)):
        return "every day"
    if not days:
        return "no days"
    return ", ".join(DAY_ABBREVIATIONS[d] for d in days)


@dataclass(frozen=True, slots=True)
class Presence:
    """What the platform says about the person right now; None: the platform cannot tell."""

    idle_seconds: float | None = None  # since the last keyboard or pointer input
    locked: bool | None = None  # the screen is locked (or the screensaver is on)

    @property
    def away(self) -> bool:
        return bool(self.locked) or (self.idle_seconds is not None and self.idle_seconds >= PRESENT_IDLE_SECONDS)


@dataclass(frozen=True, slots=True)
class Due:
    """A reminder to show now."""

    kind: Literal["interval", "fixed"]
    label: str
    routine_id: str | None
    at: datetime  # when it was due
    since: datetime | None = None  # an interval reminder: when the interval started (the last break)


class ReminderScheduler:
    """When the next break reminder is due; see the module docstring."""

    def __init__(
        self,
        schedule: ReminderSchedule,
        clock: WallClock = datetime.now,
        monotonic: MonotonicClock = _time.monotonic,
    ) -> None:
        self._clock = clock
        self._monotonic = monotonic
        self._schedule = schedule
        first = self._read_clock()
        self._last_seen = first
        self._last_mono = monotonic()
        self._anchor = first  # the interval counts from here
        self._last_break = first  # the last break taken (a routine, or away time), for the prompt's words
        self._snoozed_until: datetime | None = None
        self._snoozed: Due | None = None
        self._paused_until: datetime | None = None
        self._in_session = False
        self._fixed_seen = first  # fixed-time reminders up to here are handled
        self._away_since: datetime | None = None  # start of the current absence (suspend, lock, idle)
        self._away_now = False  # the last observation said: not at the computer
        self._held: str | None = None  # why a due reminder waits
        self.breaks_taken_away = 0  # absences that counted as a break (for the status line and tests)
        self.last_away_break: datetime | None = None

    # -- state -------------------------------------------------------------------

    @property
    def schedule(self) -> ReminderSchedule:
        return self._schedule

    def set_schedule(self, schedule: ReminderSchedule) -> None:
        if schedule.enabled and not self._schedule.enabled:
            # Reminders switched on: count from now, not from when the app started.
            now = self._now()
            self._anchor = self._last_break = now
            self._fixed_seen = now
            self._snoozed_until = self._snoozed = None
            self._away_since, self._away_now, self._held = None, False, None
        self._schedule = schedule

    @property
    def paused_until(self) -> datetime | None:
        return self._paused_until

    @property
    def snoozed_until(self) -> datetime | None:
        return self._snoozed_until

    @property
    def in_session(self) -> bool:
        return self._in_session

    @property
    def held(self) -> str | None:
        """Why a due reminder is waiting (``"full screen"``, ``"away"``…), or None."""
        return self._held

    @property
    def away(self) -> bool:
        """The person is away long enough that the absence already counts as a break."""
        since = self._away_since
        return since is not None and self._away_now and self._now() - since >= self._schedule.break_length

    def now(self) -> datetime:
        """The scheduler's clock (which also notices a suspend)."""
        return self._now()

    # -- deadlines ---------------------------------------------------------------

    def next_due(self) -> datetime | None:
        """When the next reminder is due; None when none will come by itself."""
        due = self._next()
        return None if due is None else due.at

    def next_reminder(self) -> Due | None:
        """The next reminder and when it is due (possibly in the past, while it waits)."""
        return self._next()

    def _next(self) -> Due | None:
        now = self._now()
        if not self._schedule.enabled or self._in_session:
            return None
        candidates = [d for d in (self._next_interval(now), self._next_fixed()) if d is not None]
        if not candidates:
            return None
        due = min(candidates, key=lambda d: d.at)
        if self._paused_until is not None and self._paused_until > now and due.at < self._paused_until:
            if due.kind == "fixed":
                # A fixed reminder during a pause is skipped; look past the pause.
                later = self._next_fixed(after=self._paused_until)
                interval = self._next_interval(now)
                options = [d for d in (later, interval) if d is not None]
                if not options:
                    return None
                due = min(options, key=lambda d: d.at)
            if due.at < self._paused_until:
                fitted = self._fit(self._paused_until)
                if fitted is None:
                    return None
                due = Due(due.kind, due.label, due.routine_id, fitted)
        return due

    def _next_interval(self, now: datetime) -> Due | None:
        routine = self._schedule.default_routine_id
        if self._snoozed_until is not None and self._snoozed is not None:
            snoozed = self._snoozed
            at = self._snoozed_until if snoozed.kind == "fixed" else self._fit(self._snoozed_until)
            return None if at is None else Due(snoozed.kind, snoozed.label, snoozed.routine_id, at)
        anchor = self._anchor
        if self.away:
            anchor = max(anchor, now)  # a break is being taken: the interval restarts on return
        # Time outside working hours does not count toward the interval.
        start = next((max(s, anchor) for s, _ in self._windows(anchor)), None)
        if start is None:
            return None
        at = self._fit(start + self._schedule.interval)
        return None if at is None else Due("interval", "Time for a short break", routine, at)

    def _next_fixed(self, after: datetime | None = None) -> Due | None:
        """The first fixed-time reminder after ``after`` (default: the last one handled)."""
        after = self._fixed_seen if after is None else after
        best: Due | None = None
        for reminder in self._schedule.fixed:
            for offset in range(8):
                day = after.date() + timedelta(days=offset)
                if day.weekday() not in reminder.weekdays:
                    continue
                at = datetime.combine(day, reminder.at)
                if at > after:
                    if best is None or at < best.at:
                        best = Due("fixed", reminder.label, reminder.routine_id, at)
                    break
        return best

    def seconds_until_next_check(self) -> float | None:
        """Delay for the UI's single-shot timer; None: no timer needed until told."""
        due = self.next_due()
        if due is None:
            return None
        wait = min(MAX_CHECK_SECONDS, max(0.0, (due - self._now()).total_seconds()))
        if self._held is not None:
            return RECHECK_SECONDS  # a due reminder waits: look again in a minute
        if self._away_now:
            return min(wait, RECHECK_SECONDS)  # watch for the person's return
        return wait

    def counting(self) -> bool:
        """Whether the interval is running now (working hours, no pause or session): when idle time matters."""
        if not self._schedule.enabled or self._in_session or self._snoozed_until is not None:
            return False
        now = self._now()
        if self._paused_until is not None and self._paused_until > now:
            return False
        return any(start <= now < end for start, end in self._windows(now))

    def poll(self, presence: Presence | None = None, busy: str | None = None) -> bool:
        """Whether to show a reminder now. True at most once per deadline."""
        return self.poll_due(presence, busy) is not None

    def poll_due(self, presence: Presence | None = None, busy: str | None = None) -> Due | None:
        """The reminder to show now, if any; see :meth:`poll`.

        ``presence`` is the platform's idle and lock state (None: unknown, taken as present);
        ``busy`` says why not to interrupt now (a full-screen window, do-not-disturb), or None.
        """
        now = self._now()
        if self._paused_until is not None and now >= self._paused_until:
            # Fixed-time reminders that fell inside the pause stay skipped.
            self._fixed_seen = max(self._fixed_seen, self._paused_until)
            self._paused_until = None
        self.observe(presence)
        due = self._next()
        if due is None or now < due.at:
            self._held = None
            return None
        if due.kind == "fixed" and now - due.at > FIXED_GRACE:
            # Missed by too long (asleep all evening): drop it rather than show it at the wrong time.
            self._fixed_seen = now
            if self._snoozed is not None and self._snoozed.kind == "fixed":
                self._snoozed_until = self._snoozed = None
            self._held = None
            return self.poll_due(presence, busy)
        if self._away_now:
            self._held = "away"
            return None
        if busy:
            self._held = busy
            return None
        # However many deadlines passed, one reminder; the interval then counts from now.
        self._held = None
        self._snoozed_until = self._snoozed = None
        since = None
        if due.kind == "fixed":
            self._fixed_seen = max(self._fixed_seen, now)
        else:
            since, self._anchor = self._last_break, now
        return Due(due.kind, due.label, due.routine_id, due.at, since)

    def observe(self, presence: Presence | None) -> None:
        """Take in the platform's presence; an absence that ends and lasted a break restarts the interval."""
        now = self._now()
        if presence is not None and presence.away:
            idle = presence.idle_seconds
            start = now - timedelta(seconds=idle) if idle is not None else now
            self._away_since = start if self._away_since is None else min(self._away_since, start)
            self._away_now = True
            return
        self._away_now = False
        since = self._away_since
        if since is None:
            return
        idle = presence.idle_seconds if presence is not None and presence.idle_seconds is not None else 0.0
        back = now - timedelta(seconds=idle)
        self._away_since = None
        if back - since >= self._schedule.break_length:
            self._break_taken(back)

    def _break_taken(self, at: datetime) -> None:
        """Away for a whole break: that was the break. Any waiting interval reminder or snooze goes."""
        self._anchor = max(self._anchor, at)
        self._last_break = max(self._last_break, at)
        if self._snoozed is not None and self._snoozed.kind == "interval":
            self._snoozed_until = self._snoozed = None
        self.breaks_taken_away += 1
        self.last_away_break = at

    # -- the person's answers ----------------------------------------------------

    def snooze(self, minutes: int | None = None, reminder: Due | None = None) -> datetime:
        minutes = self._schedule.snooze_minutes if minutes is None else minutes
        if minutes <= 0:
            raise ValueError(f"snooze minutes must be positive, not {minutes}")
        now = self._now()
        self._snoozed_until = now + timedelta(minutes=minutes)
        self._snoozed = reminder or Due("interval", "Time for a short break", self._schedule.default_routine_id, now)
        return self._snoozed_until

    def skip(self, reminder: Due | None = None) -> None:
        """Dismiss the reminder: the next one comes a full interval from now."""
        now = self._now()
        if reminder is None or reminder.kind == "interval":
            self._anchor = now
        self._snoozed_until = self._snoozed = None

    def pause_for(self, duration: timedelta) -> datetime:
        if duration <= timedelta(0):
            raise ValueError(f"pause duration must be positive, not {duration}")
        self._paused_until = self._now() + duration
        return self._paused_until

    def pause_until_tomorrow(self) -> datetime:
        tomorrow = self._now().date() + timedelta(days=1)
        self._paused_until = datetime.combine(tomorrow, time(0))
        return self._paused_until

    def resume(self) -> None:
        """End a pause early."""
        self._paused_until = None

    def session_started(self) -> None:
        """No reminder while a routine runs."""
        self._in_session = True
        self._snoozed_until = self._snoozed = None
        self._held = None

    def session_finished(self) -> None:
        """The person just had a break: the interval restarts now."""
        self._in_session = False
        self._anchor = self._last_break = self._now()
        self._snoozed_until = self._snoozed = None

    # -- what to tell the person -------------------------------------------------

    def status_text(self, absolute: bool = False) -> str:
        """One line for the tray tooltip, its menu and the window: "Next break in 23 min".

        ``absolute`` says "at 14:05" instead: right for text that is not refreshed every minute.
        """
        if not self._schedule.enabled:
            return "Break reminders are off"
        if self._in_session:
            return "Break in progress"
        now = self._now()
        if self.away:
            return "Away: counts as a break"
        if self._held is not None:
            return f"Break waiting until you are free ({self._held})" if self._held != "away" else "Break waiting"
        due = self._next()
        paused = self._paused_until is not None and self._paused_until > now
        if due is None:
            if paused and self._paused_until is not None:
                return f"Reminders paused until {_when(self._paused_until, now)}"
            return "No break reminders scheduled"
        noun = "break" if due.kind == "interval" else due.label
        prefix = "Reminders paused · next" if paused else "Next"
        when = f"at {_when(due.at, now)}" if absolute and due.at > now else _relative(due.at, now)
        return f"{prefix} {noun} {when}"

    # -- internals ---------------------------------------------------------------

    def _read_clock(self) -> datetime:
        now = self._clock()
        if now.tzinfo is not None:
            raise ValueError("the reminder clock must give naive local times, like datetime.now()")
        return now

    def _now(self) -> datetime:
        now = self._read_clock()
        mono = self._monotonic()
        wall_step = (now - self._last_seen).total_seconds()
        mono_step = mono - self._last_mono
        if now < self._last_seen:
            # The clock went back (daylight saving ended, manual change): keep the
            # time left until the next reminder rather than adding the jump to it.
            jump = self._last_seen - now
            self._anchor -= jump
            self._last_break -= jump
            self._fixed_seen -= jump
            if self._snoozed_until is not None:
                self._snoozed_until -= jump
            if self._away_since is not None:
                self._away_since -= jump
        elif wall_step - mono_step > SUSPEND_SLACK_SECONDS:
            # The wall clock ran ahead of the monotonic one: the computer slept this long.
            slept_from = now - timedelta(seconds=wall_step - max(0.0, mono_step))
            self._away_since = slept_from if self._away_since is None else min(self._away_since, slept_from)
        self._last_seen = now
        self._last_mono = mono
        return now

    def _windows(self, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working windows (start, end) that end after ``after``, for a week ahead."""
        day = after.date()
        for offset in range(8):
            current = day + timedelta(days=offset)
            if current.weekday() in self._schedule.weekdays:
                start, end = self._window(current)
                if end > after:
                    yield start, end

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return datetime.combine(day, self._schedule.work_start), datetime.combine(day, self._schedule.work_end)

    def _fit(self, due: datetime) -> datetime | None:
        """``due`` if it falls in working hours, else a full interval into the next window."""
        for start, end in self._windows(due):
            if start <= due:
                return due
            if start + self._schedule.interval < end:
                return start + self._schedule.interval
        return None


def _relative(at: datetime, now: datetime) -> str:
    seconds = (at - now).total_seconds()
    if seconds <= 30:
        return "now"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {max(1, minutes)} min"
    if minutes < 180:
        hours, rest = divmod(minutes, 60)
        return f"in {hours} h {rest:02d} min" if rest else f"in {hours} h"
    return f"at {_when(at, now)}"


def _when(at: datetime, now: datetime) -> str:
    if at.date() == now.date():
        return f"{at:%H:%M}"
    if at.date() == now.date() + timedelta(days=1):
        return f"{at:%H:%M} tomorrow"
    if at.date() < now.date() + timedelta(days=7):
        return f"{DAY_ABBREVIATIONS[at.weekday()]} {at:%H:%M}"
    return f"{at:%d %b %H:%M}"
