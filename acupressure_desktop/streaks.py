"""Streaks that are fair: only the days the person planned can break them.

Qt-free and storage-free: the history hands in the days that counted (a completed session,
or enough practice), the plan says which weekdays are practice days and which dates the
person marked as rest days.

* A practised day adds one to the streak, whatever the day.
* A planned day without practice ends the streak, except today, which is not over yet.
* An unplanned day or a rest day without practice neither adds nor ends anything.

With every weekday planned and no rest days this is the strict count of consecutive days.
Beside the streak, the *consistency* of the last four weeks: how many of the planned days
were practised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

EVERY_DAY: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
CONSISTENCY_DAYS = 28  # four weeks
MAX_REST_DAYS = 3660  # about ten years of one rest day a day: a bound, not a rule


class PracticeDays(BaseModel):
    """The person's own rest days (days off that do not end a streak)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rest_days: tuple[date, ...] = Field(default=(), max_length=MAX_REST_DAYS)

    @field_validator("rest_days")
    @classmethod
    def _sorted_unique(cls, days: tuple[date, ...]) -> tuple[date, ...]:
        return tuple(sorted(set(days)))

    def with_rest_day(self, day: date, rest: bool) -> PracticeDays:
        days = set(self.rest_days) | {day} if rest else set(self.rest_days) - {day}
        return PracticeDays(rest_days=tuple(days))


@dataclass(frozen=True, slots=True)
class StreakCount:
    current: int  # practised days in the run that is still alive
    longest: int
    longest_end: date | None  # the last practised day of the longest run


@dataclass(frozen=True, slots=True)
class Consistency:
    practised: int  # planned days practised in the window
    planned: int  # planned days in the window (rest days excluded; today only once practised)
    first_day: date
    last_day: date

    @property
    def ratio(self) -> float | None:
        return None if self.planned == 0 else self.practised / self.planned

    def describe(self) -> str:
        if self.planned == 0:
            return "no planned days in the last 4 weeks"
        return f"{self.practised} of {self.planned} planned {'day' if self.planned == 1 else 'days'}"


def is_planned(day: date, weekdays: tuple[int, ...], rest_days: frozenset[date] | set[date]) -> bool:
    return day.weekday() in (weekdays or EVERY_DAY) and day not in rest_days


def count_streaks(
    practised: Iterable[date],
    today: date,
    weekdays: tuple[int, ...] = EVERY_DAY,
    rest_days: Iterable[date] = (),
) -> StreakCount:
    """Current and longest streak up to ``today``; see the module docstring for the rules."""
    days = sorted({d for d in practised if d <= today})
    rests = frozenset(rest_days)
    if not days:
        return StreakCount(0, 0, None)
    done = set(days)
    longest = run = 0
    longest_end: date | None = None
    day = days[0]
    while day <= today:
        if day in done:
            run += 1
            if run > longest:
                longest, longest_end = run, day
        elif is_planned(day, weekdays, rests) and day != today:
            run = 0
        day += timedelta(days=1)
    return StreakCount(current=run, longest=longest, longest_end=longest_end)


def consistency(
    practised: Iterable[date],
    today: date,
    weekdays: tuple[int, ...] = EVERY_DAY,
    rest_days: Iterable[date] = (),
    days: int = CONSISTENCY_DAYS,
    since: date | None = None,
) -> Consistency:
    """Planned days practised over the ``days`` days ending today, from ``since`` (the first
    practice ever) at the earliest: a newcomer's first week is not four weeks of misses."""
    first = today - timedelta(days=days - 1)
    if since is not None:
        first = min(today, max(first, since))
    done = {d for d in practised if first <= d <= today}
    rests = frozenset(rest_days)
    planned = practised_planned = 0
    day = first
    while day <= today:
        if is_planned(day, weekdays, rests) and (day != today or day in done):
            planned += 1
            practised_planned += day in done
        day += timedelta(days=1)
    return Consistency(practised_planned, planned, first, today)
