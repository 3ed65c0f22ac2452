"""Reminder scheduling on a fake wall clock: hours, days, snooze, pause, sleep, jumps."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import ValidationError

from acupressure_desktop.reminders import MAX_CHECK_SECONDS, ReminderSchedule, ReminderScheduler

MONDAY = datetime(2024, 3, 4)  # a Monday
FRIDAY = MONDAY + timedelta(days=4)
TUESDAY = MONDAY + timedelta(days=1)


class FakeWallClock:
    """The wall clock, and a monotonic clock that follows it while the computer is awake.

    Setting ``now`` or calling ``advance`` is time passing with the computer on;
    ``suspend`` moves the wall clock only, as a sleep does.
    """

    def __init__(self, now: datetime) -> None:
        self._now = now
        self.mono = 1000.0

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        if value > self._now:
            self.mono += (value - self._now).total_seconds()
        self._now = value

    def __call__(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)

    def suspend(self, **kwargs: float) -> None:
        self._now += timedelta(**kwargs)


def at(day: datetime, hh: int, mm: int = 0) -> datetime:
    return day.replace(hour=hh, minute=mm)


def make(now: datetime, **schedule: object) -> tuple[ReminderScheduler, FakeWallClock]:
    clock = FakeWallClock(now)
    options: dict[str, object] = {"enabled": True, **schedule}
    return ReminderScheduler(ReminderSchedule.model_validate(options), clock, clock.monotonic), clock


# -- the schedule model ----------------------------------------------------------


def test_schedule_defaults_are_office_hours_and_off_until_enabled() -> None:
    schedule = ReminderSchedule()
    assert not schedule.enabled
    assert (schedule.interval_minutes, schedule.snooze_minutes) == (60, 10)
    assert (schedule.work_start, schedule.work_end, schedule.weekdays) == (time(9), time(17), (0, 1, 2, 3, 4))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"interval_minutes": 4}, "interval_minutes"),
        ({"interval_minutes": 241}, "interval_minutes"),
        ({"weekdays": [7]}, "weekdays"),
        ({"snooze_minutes": 0}, "snooze_minutes"),
        ({"work_start": "17:00", "work_end": "09:00"}, "17:00 is not before 09:00"),
        ({"work_start": "09:00", "work_end": "09:00"}, "must start before they end"),
        ({"work_start": "09:00+02:00"}, "local times"),
        ({"default_routine_id": "Not A Slug"}, "default_routine_id"),
        ({"interval": 30}, "interval"),
    ],
)
def test_schedule_rejects_bad_values_naming_the_field(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ReminderSchedule.model_validate(options)


def test_schedule_sorts_weekdays_and_round_trips_through_json() -> None:
    schedule = ReminderSchedule(weekdays=(4, 0, 2, 0), work_start=time(8, 30), default_routine_id="desk-break")
    assert schedule.weekdays == (0, 2, 4)
    assert ReminderSchedule.model_validate_json(schedule.model_dump_json(), strict=True) == schedule


def test_an_aware_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="naive local"):
        ReminderScheduler(ReminderSchedule(), lambda: datetime(2024, 3, 4, 10, tzinfo=UTC))


# -- basic rhythm ----------------------------------------------------------------


def test_disabled_schedules_nothing() -> None:
    scheduler, clock = make(at(MONDAY, 10), enabled=False)
    clock.advance(hours=5)
    assert scheduler.next_due() is None
    assert scheduler.seconds_until_next_check() is None
    assert not scheduler.poll()


def test_reminder_every_interval_exactly_at_the_deadline_and_once() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    assert scheduler.next_due() == at(MONDAY, 11)
    clock.now = at(MONDAY, 10, 59) + timedelta(seconds=59)
    assert not scheduler.poll()
    clock.now = at(MONDAY, 11)
    assert scheduler.poll()
    assert not scheduler.poll()
    assert scheduler.next_due() == at(MONDAY, 12)


def test_one_timer_to_the_deadline_capped_to_notice_suspend_and_clock_changes() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    assert scheduler.seconds_until_next_check() == MAX_CHECK_SECONDS
    clock.now = at(MONDAY, 10, 58)
    assert scheduler.seconds_until_next_check() == 120
    clock.now = at(MONDAY, 11, 5)  # overdue: check now
    assert scheduler.seconds_until_next_check() == 0


def test_a_day_driven_by_single_shot_timers() -> None:
    """The UI loop: set one timer, poll when it fires. Reminders on the hour, few wake-ups."""
    scheduler, clock = make(at(MONDAY, 8))
    shown: list[datetime] = []
    wakeups = 0
    for _ in range(1000):  # bounded: a broken scheduler must fail, not hang
        if clock.now >= at(TUESDAY, 8):
            break
        delay = scheduler.seconds_until_next_check()
        assert delay is not None
        clock.advance(seconds=delay)
        wakeups += 1
        if scheduler.poll():
            shown.append(clock.now)
    assert clock.now >= at(TUESDAY, 8)
    assert shown == [at(MONDAY, h) for h in range(10, 17)]
    assert wakeups <= 24 * 3600 / MAX_CHECK_SECONDS + len(shown)


# -- working hours, days, midnight -----------------------------------------------


def test_before_work_the_interval_counts_from_the_start_of_work() -> None:
    scheduler, _ = make(at(MONDAY, 7))
    assert scheduler.next_due() == at(MONDAY, 10)


def test_after_work_the_next_reminder_is_next_morning() -> None:
    scheduler, _ = make(at(MONDAY, 17, 30))
    assert scheduler.next_due() == at(TUESDAY, 10)


def test_a_deadline_past_the_end_of_work_moves_to_next_morning() -> None:
    scheduler, clock = make(at(MONDAY, 16, 30))
    assert scheduler.next_due() == at(TUESDAY, 10)
    clock.now = at(MONDAY, 17, 30)
    assert not scheduler.poll()


def test_end_of_work_is_exclusive() -> None:
    scheduler, _ = make(at(MONDAY, 16))
    assert scheduler.next_due() == at(TUESDAY, 10)


def test_weekend_is_skipped() -> None:
    scheduler, clock = make(at(FRIDAY, 16, 30))
    monday_after = at(MONDAY + timedelta(days=7), 10)
    assert scheduler.next_due() == monday_after
    clock.now = at(FRIDAY + timedelta(days=1), 11)  # Saturday
    assert not scheduler.poll()
    assert scheduler.next_due() == monday_after


def test_chosen_weekdays_only() -> None:
    scheduler, _ = make(at(MONDAY, 10), weekdays=[2])  # Wednesdays
    assert scheduler.next_due() == at(MONDAY + timedelta(days=2), 10)


def test_midnight_boundary_with_evening_hours() -> None:
    scheduler, clock = make(at(MONDAY, 23, 30), work_start="20:00", work_end="23:59", weekdays=list(range(7)))
    assert scheduler.next_due() == at(TUESDAY, 21)  # 00:30 is outside the hours
    clock.now = at(TUESDAY, 0, 30)
    assert not scheduler.poll()


def test_no_weekdays_or_hours_shorter_than_the_interval_schedule_nothing() -> None:
    none, _ = make(at(MONDAY, 10), weekdays=[])
    assert none.next_due() is None
    assert none.seconds_until_next_check() is None
    short, _ = make(at(MONDAY, 7), work_start="09:00", work_end="09:30", interval_minutes=30)
    assert short.next_due() is None


# -- sleep, suspend and clock jumps ------------------------------------------------


def test_hours_without_a_check_give_one_reminder_not_a_pile() -> None:
    """The computer was on but the app could not look (a blocked event loop, a late timer).

    A real suspend is away time and brings no reminder at all: see test_reminders_away.py."""
    scheduler, clock = make(at(MONDAY, 9, 30))
    clock.now = at(MONDAY, 14, 45)  # four deadlines passed unseen
    assert scheduler.poll()
    assert not scheduler.poll()
    assert scheduler.next_due() == at(MONDAY, 15, 45)


def test_unchecked_overnight_gives_no_reminder_before_the_interval() -> None:
    scheduler, clock = make(at(MONDAY, 15, 45))
    clock.now = at(TUESDAY, 9, 5)
    # Monday's 16:45 deadline passed unseen (awake, no check): one reminder at the next look.
    assert scheduler.poll()
    assert scheduler.next_due() == at(TUESDAY, 10, 5)
    scheduler2, clock2 = make(at(MONDAY, 16, 30))
    clock2.now = at(TUESDAY, 9, 5)
    assert not scheduler2.poll()  # its next deadline is Tuesday 10:00
    assert scheduler2.next_due() == at(TUESDAY, 10)


def test_clock_jumping_forward_gives_at_most_one_reminder() -> None:
    scheduler, clock = make(at(MONDAY, 10, 30))
    clock.advance(hours=1)  # e.g. daylight saving starts, or a manual change
    assert scheduler.poll()
    assert [scheduler.poll() for _ in range(3)] == [False, False, False]


def test_clock_jumping_back_keeps_the_time_left_until_the_next_reminder() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 40)
    assert scheduler.next_due() == at(MONDAY, 11)
    clock.advance(hours=-1)  # daylight saving ends
    assert scheduler.next_due() == at(MONDAY, 10)  # still 20 minutes away
    assert not scheduler.poll()
    clock.advance(minutes=20)
    assert scheduler.poll()


def test_clock_jumping_back_moves_a_snooze_too() -> None:
    scheduler, clock = make(at(MONDAY, 11))
    scheduler.snooze()
    clock.advance(hours=-1)
    assert scheduler.next_due() == at(MONDAY, 10, 10)


# -- snooze, skip, pause ---------------------------------------------------------


def test_snooze_brings_the_reminder_back_after_the_snooze_time() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 11)
    assert scheduler.poll()
    assert scheduler.snooze() == at(MONDAY, 11, 10)
    assert scheduler.next_due() == at(MONDAY, 11, 10)
    clock.now = at(MONDAY, 11, 9)
    assert not scheduler.poll()
    clock.now = at(MONDAY, 11, 10)
    assert scheduler.poll()
    assert scheduler.snoozed_until is None
    assert scheduler.next_due() == at(MONDAY, 12, 10)


def test_snooze_for_chosen_minutes_and_past_the_end_of_work() -> None:
    scheduler, _ = make(at(MONDAY, 16, 50))
    assert scheduler.snooze(5) == at(MONDAY, 16, 55)
    assert scheduler.next_due() == at(MONDAY, 16, 55)
    scheduler.snooze(20)
    assert scheduler.next_due() == at(TUESDAY, 10)
    with pytest.raises(ValueError, match="snooze"):
        scheduler.snooze(0)


def test_skip_restarts_the_interval_from_now() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 11)
    assert scheduler.poll()
    scheduler.snooze()
    clock.now = at(MONDAY, 11, 2)
    scheduler.skip()
    assert scheduler.snoozed_until is None
    assert scheduler.next_due() == at(MONDAY, 12, 2)


def test_pause_for_an_hour_holds_reminders_back_until_it_ends() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 30)
    assert scheduler.pause_for(timedelta(hours=1)) == at(MONDAY, 11, 30)
    assert scheduler.next_due() == at(MONDAY, 11, 30)
    clock.now = at(MONDAY, 11)
    assert not scheduler.poll()
    clock.now = at(MONDAY, 11, 30)
    assert scheduler.poll()
    assert scheduler.paused_until is None
    assert scheduler.next_due() == at(MONDAY, 12, 30)
    with pytest.raises(ValueError, match="pause"):
        scheduler.pause_for(timedelta(0))


def test_a_short_pause_does_not_move_a_later_reminder() -> None:
    scheduler, _ = make(at(MONDAY, 10))
    scheduler.pause_for(timedelta(minutes=15))
    assert scheduler.next_due() == at(MONDAY, 11)


def test_resume_ends_a_pause_early() -> None:
    scheduler, _ = make(at(MONDAY, 10))
    scheduler.pause_for(timedelta(hours=3))
    scheduler.resume()
    assert scheduler.paused_until is None
    assert scheduler.next_due() == at(MONDAY, 11)


def test_pause_until_tomorrow() -> None:
    scheduler, clock = make(at(MONDAY, 10, 30))
    assert scheduler.pause_until_tomorrow() == TUESDAY
    assert scheduler.next_due() == at(TUESDAY, 10)
    clock.now = at(MONDAY, 16)
    assert not scheduler.poll()
    clock.now = at(TUESDAY, 10)
    assert scheduler.poll()


# -- sessions and settings changes -----------------------------------------------


def test_no_reminder_while_a_routine_runs_and_the_interval_restarts_after() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 50)
    scheduler.session_started()
    assert scheduler.in_session
    assert scheduler.next_due() is None
    assert scheduler.seconds_until_next_check() is None
    clock.now = at(MONDAY, 11, 30)
    assert not scheduler.poll()
    scheduler.session_finished()
    assert not scheduler.in_session
    assert scheduler.next_due() == at(MONDAY, 12, 30)


def test_starting_a_routine_from_a_snoozed_reminder_cancels_the_snooze() -> None:
    scheduler, _ = make(at(MONDAY, 11))
    scheduler.snooze()
    scheduler.session_started()
    scheduler.session_finished()
    assert scheduler.snoozed_until is None


def test_enabling_reminders_counts_from_that_moment() -> None:
    scheduler, clock = make(at(MONDAY, 9), enabled=False)
    clock.now = at(MONDAY, 13, 20)
    scheduler.set_schedule(ReminderSchedule(enabled=True))
    assert scheduler.next_due() == at(MONDAY, 14, 20)
    assert not scheduler.poll()


def test_changing_the_interval_keeps_the_anchor() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 10)
    scheduler.set_schedule(ReminderSchedule(enabled=True, interval_minutes=30))
    assert scheduler.schedule.interval_minutes == 30
    assert scheduler.next_due() == at(MONDAY, 10, 30)


def test_a_snooze_ending_exactly_at_the_start_of_work_is_kept() -> None:
    scheduler, _ = make(at(MONDAY, 8, 50))
    scheduler.snooze(10)
    assert scheduler.next_due() == at(MONDAY, 9)
