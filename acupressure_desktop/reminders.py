"""Break reminders during working hours, scheduled from wall-clock deadlines.

Qt-free. The scheduler never counts ticks and never needs a repeating timer:
the UI asks :meth:`ReminderScheduler.seconds_until_next_check`, sets one
single-shot timer, and calls :meth:`ReminderScheduler.poll` when it fires.
Because ``poll`` compares the wall clock with one deadline, any number of
reminders missed while the computer slept (or the clock jumped forward)
collapse into a single one.

Times are naive local datetimes (``datetime.now()``): working hours are local
wall times, and a daylight-saving change then looks like any other clock jump.
A jump forward brings the next reminder at most once; a jump backward keeps
the time left until the next reminder, instead of adding the hour back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from acupressure_desktop.domain.models import Slug

WallClock = Callable[[], datetime]
Weekday = Annotated[int, Field(ge=0, le=6)]  # 0 = Monday, as datetime.weekday()

# The longest single-shot timer the UI should set. A monotonic timer does not
# run while the computer is suspended and ignores wall-clock changes, so we
# look at the wall clock at least this often: 6 cheap wake-ups an hour.
MAX_CHECK_SECONDS = 600.0


class ReminderSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False  # opt-in: no reminders until the person asks for them
    interval_minutes: int = Field(default=60, ge=15, le=240)
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    weekdays: tuple[Weekday, ...] = (0, 1, 2, 3, 4)
    default_routine_id: Slug | None = None
    snooze_minutes: int = Field(default=10, ge=1, le=120)

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

    @model_validator(mode="after")
    def _start_before_end(self) -> ReminderSchedule:
        if self.work_start >= self.work_end:
            start, end = f"{self.work_start:%H:%M}", f"{self.work_end:%H:%M}"
            raise ValueError(f"Working hours must start before they end: {start} is not before {end}.")
        return self

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)


class ReminderScheduler:
    """When the next break reminder is due; see the module docstring."""

    def __init__(self, schedule: ReminderSchedule, clock: WallClock = datetime.now) -> None:
        self._clock = clock
        self._schedule = schedule
        first = self._read_clock()
        self._last_seen = first
        self._anchor = first  # the interval counts from here
        self._snoozed_until: datetime | None = None
        self._paused_until: datetime | None = None
        self._in_session = False

    # -- state -------------------------------------------------------------------

    @property
    def schedule(self) -> ReminderSchedule:
        return self._schedule

    def set_schedule(self, schedule: ReminderSchedule) -> None:
        if schedule.enabled and not self._schedule.enabled:
            # Reminders switched on: count from now, not from when the app started.
            self._anchor = self._now()
            self._snoozed_until = None
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

    # -- deadlines ---------------------------------------------------------------

    def next_due(self) -> datetime | None:
        """When the next reminder is due; None when none will come by itself."""
        now = self._now()
        if not self._schedule.enabled or self._in_session:
            return None
        if self._snoozed_until is not None:
            due = self._snoozed_until
        else:
            # Time outside working hours does not count toward the interval.
            start = next((max(s, self._anchor) for s, _ in self._windows(self._anchor)), None)
            if start is None:
                return None
            due = start + self._schedule.interval
        if self._paused_until is not None and self._paused_until > now:
            due = max(due, self._paused_until)
        return self._fit(due)

    def seconds_until_next_check(self) -> float | None:
        """Delay for the UI's single-shot timer; None: no timer needed until told."""
        due = self.next_due()
        if due is None:
            return None
        return min(MAX_CHECK_SECONDS, max(0.0, (due - self._now()).total_seconds()))

    def poll(self) -> bool:
        """Whether to show a reminder now. True at most once per deadline."""
        now = self._now()
        if self._paused_until is not None and now >= self._paused_until:
            self._paused_until = None
        due = self.next_due()
        if due is None or now < due:
            return False
        # However many deadlines passed (sleep, clock jump), one reminder; the
        # interval then counts from now.
        self._anchor = now
        self._snoozed_until = None
        return True

    # -- the person's answers ----------------------------------------------------

    def snooze(self, minutes: int | None = None) -> datetime:
        minutes = self._schedule.snooze_minutes if minutes is None else minutes
        if minutes <= 0:
            raise ValueError(f"snooze minutes must be positive, not {minutes}")
        self._snoozed_until = self._now() + timedelta(minutes=minutes)
        return self._snoozed_until

    def skip(self) -> None:
        """Dismiss the reminder: the next one comes a full interval from now."""
        self._anchor = self._now()
        self._snoozed_until = None

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
        self._snoozed_until = None

    def session_finished(self) -> None:
        """The person just had a break: the interval restarts now."""
        self._in_session = False
        self._anchor = self._now()
        self._snoozed_until = None

    # -- internals ---------------------------------------------------------------

    def _read_clock(self) -> datetime:
        now = self._clock()
        if now.tzinfo is not None:
            raise ValueError("the reminder clock must give naive local times, like datetime.now()")
        return now

    def _now(self) -> datetime:
        now = self._read_clock()
        if now < self._last_seen:
            # The clock went back (daylight saving ended, manual change): keep the
            # time left until the next reminder rather than adding the jump to it.
            jump = self._last_seen - now
            self._anchor -= jump
            if self._snoozed_until is not None:
                self._snoozed_until -= jump
        self._last_seen = now
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
