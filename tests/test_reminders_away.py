"""Away time is a break, and never a prompt at the wrong moment: fake wall and monotonic clocks, fake presence.

Each scenario is driven the way the UI drives the scheduler (one single-shot timer to the next
check, a poll when it fires) and asserts both halves: no prompt at the wrong time, and exactly
one at the right time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from pydantic import ValidationError

from acupressure_desktop.reminders import (
    FIXED_GRACE,
    RECHECK_SECONDS,
    Due,
    FixedReminder,
    Presence,
    ReminderSchedule,
    ReminderScheduler,
    describe_days,
)
from tests.test_reminders import FakeWallClock, at

MONDAY = datetime(2024, 3, 4)
TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)

PresenceAt = Callable[[datetime], Presence | None]
BusyAt = Callable[[datetime], str | None]


def make(now: datetime, **options: object) -> tuple[ReminderScheduler, FakeWallClock]:
    clock = FakeWallClock(now)
    schedule = ReminderSchedule.model_validate({"enabled": True, **options})
    return ReminderScheduler(schedule, clock, clock.monotonic), clock


def drive(
    scheduler: ReminderScheduler,
    clock: FakeWallClock,
    until: datetime,
    presence: PresenceAt = lambda _now: None,
    busy: BusyAt = lambda _now: None,
    polled: bool = True,
    suspended: tuple[datetime, datetime] | None = None,
) -> list[Due]:
    """Run the UI's loop up to ``until``; return the reminders shown (each answered with Skip at once).

    ``polled``: the presence source has no signal, so it is read once a minute while the interval runs.
    ``suspended``: the computer sleeps over this span (the wall clock moves, the monotonic one does not).
    """
    shown: list[Due] = []
    for _ in range(10_000):  # bounded: a broken scheduler must fail, not hang
        if clock.now >= until:
            return shown
        delay = scheduler.seconds_until_next_check()
        if delay is None:
            delay = 900.0  # nothing due: the test still walks on
        if polled and scheduler.counting():
            delay = min(delay, RECHECK_SECONDS)
        target = clock.now + timedelta(seconds=max(delay, 1.0))
        if suspended is not None and clock.now <= suspended[0] < target:
            clock.now = suspended[0]
            clock.suspend(seconds=(suspended[1] - suspended[0]).total_seconds())
            suspended = None
        else:
            clock.now = min(target, until)
        due = scheduler.poll_due(presence(clock.now), busy(clock.now))
        if due is not None:
            shown.append(due)
            scheduler.skip(due)
    raise AssertionError("the loop did not reach the end time")


def idle_between(start: datetime, end: datetime) -> PresenceAt:
    """No input from ``start`` until ``end``; input at every other moment."""

    def presence(now: datetime) -> Presence:
        idle = (now - start).total_seconds() if start <= now < end else 0.0
        return Presence(idle_seconds=idle, locked=False)

    return presence


def locked_between(start: datetime, end: datetime) -> PresenceAt:
    def presence(now: datetime) -> Presence:
        return Presence(idle_seconds=None, locked=start <= now < end)

    return presence


def busy_between(start: datetime, end: datetime, why: str) -> BusyAt:
    return lambda now: why if start <= now < end else None


def times(shown: list[Due]) -> list[datetime]:
    return [due.at for due in shown]


# -- suspend ----------------------------------------------------------------------


def test_a_suspend_longer_than_the_break_counts_as_one_and_nothing_comes_on_waking() -> None:
    scheduler, clock = make(at(MONDAY, 9, 30))
    shown = drive(scheduler, clock, at(MONDAY, 12, 15), suspended=(at(MONDAY, 9, 45), at(MONDAY, 12, 30)))
    assert shown == []  # 2 h 45 min asleep, four deadlines passed: no prompt on waking
    assert scheduler.breaks_taken_away == 1
    assert scheduler.next_due() == at(MONDAY, 13, 30)  # the interval restarted on waking
    shown = drive(scheduler, clock, at(MONDAY, 14))
    assert times(shown) == [at(MONDAY, 13, 30)]  # exactly one, a full interval later


def test_the_first_check_on_waking_shows_nothing_even_before_any_poll() -> None:
    scheduler, clock = make(at(MONDAY, 9, 30))
    clock.suspend(hours=2, minutes=45)
    assert scheduler.seconds_until_next_check() == 0  # the wall-clock deadline is past: look now…
    assert not scheduler.poll()  # …and see that it was away time
    assert scheduler.next_due() == at(MONDAY, 13, 15)


def test_a_suspend_shorter_than_the_break_does_not_count() -> None:
    scheduler, clock = make(at(MONDAY, 10), break_minutes=5)
    clock.now = at(MONDAY, 10, 57)
    clock.suspend(minutes=3)
    assert scheduler.poll()  # 3 minutes asleep is no break: the 11:00 reminder comes
    assert not scheduler.poll()


def test_the_wall_clock_running_ahead_by_a_few_seconds_is_not_a_suspend() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 59)
    clock.suspend(seconds=5)  # NTP stepped the clock a little
    clock.now = at(MONDAY, 11)
    assert scheduler.poll()


def test_a_locked_wake_after_suspend_ends_with_the_unlock() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 30)
    clock.suspend(hours=1)  # woke at 11:30 to the lock screen
    assert not scheduler.poll(Presence(locked=True))
    clock.now = at(MONDAY, 11, 40)
    assert not scheduler.poll(Presence(idle_seconds=2, locked=False))  # unlocked: that was the break
    assert scheduler.next_due() == at(MONDAY, 12, 40) - timedelta(seconds=2)


# -- lock ------------------------------------------------------------------------


def test_a_locked_screen_holds_the_reminder_and_counts_as_the_break() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    shown = drive(scheduler, clock, at(MONDAY, 11, 30), presence=locked_between(at(MONDAY, 10, 50), at(MONDAY, 11, 20)))
    assert shown == []  # 11:00 came while locked; the 30 minutes locked were the break
    assert scheduler.next_due() == at(MONDAY, 12, 20)
    shown = drive(scheduler, clock, at(MONDAY, 12, 30), presence=locked_between(at(MONDAY, 10, 50), at(MONDAY, 11, 20)))
    assert times(shown) == [at(MONDAY, 12, 20)]


def test_a_short_lock_at_the_deadline_delays_the_prompt_until_the_return() -> None:
    scheduler, clock = make(at(MONDAY, 10), break_minutes=5)
    shown = drive(scheduler, clock, at(MONDAY, 11, 30), presence=locked_between(at(MONDAY, 10, 59), at(MONDAY, 11, 2)))
    assert len(shown) == 1  # not while locked; once, on the return
    assert at(MONDAY, 11, 2) <= clock.now
    assert scheduler.breaks_taken_away == 0


# -- idle ------------------------------------------------------------------------


def test_idle_longer_than_the_break_restarts_the_interval_and_prompts_nothing() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    away = idle_between(at(MONDAY, 10, 40), at(MONDAY, 11, 10))
    shown = drive(scheduler, clock, at(MONDAY, 11, 30), presence=away)
    assert shown == []
    assert scheduler.breaks_taken_away == 1
    assert scheduler.last_away_break == at(MONDAY, 11, 10)
    shown = drive(scheduler, clock, at(MONDAY, 12, 30), presence=away)
    assert times(shown) == [at(MONDAY, 12, 10)]  # exactly one, an interval after the return


def test_an_idle_break_in_the_middle_of_the_interval_counts_too() -> None:
    scheduler, clock = make(at(MONDAY, 10), break_minutes=5)
    away = idle_between(at(MONDAY, 10, 20), at(MONDAY, 10, 27))
    shown = drive(scheduler, clock, at(MONDAY, 11, 30), presence=away)
    assert times(shown) == [at(MONDAY, 11, 27)]  # not 11:00: the 7 minutes away were a break


def test_idle_at_the_deadline_waits_for_the_person_and_prompts_once_on_return() -> None:
    scheduler, clock = make(at(MONDAY, 10), break_minutes=10)
    away = idle_between(at(MONDAY, 10, 58), at(MONDAY, 11, 4))  # 6 minutes: shorter than the break
    shown = drive(scheduler, clock, at(MONDAY, 11, 30), presence=away)
    assert len(shown) == 1
    assert scheduler.held is None


def test_idle_shorter_than_a_minute_does_not_hold_the_prompt() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 11)
    assert scheduler.poll(Presence(idle_seconds=20))  # reading, not away


def test_while_away_the_check_comes_once_a_minute_and_the_status_says_so() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 30)
    assert not scheduler.poll(Presence(idle_seconds=600))
    assert scheduler.away
    assert scheduler.seconds_until_next_check() == RECHECK_SECONDS
    assert scheduler.status_text() == "Away: counts as a break"


# -- full screen, do-not-disturb ------------------------------------------------


@pytest.mark.parametrize("why", ["full screen", "do not disturb", "zoom is running"])
def test_busy_holds_the_reminder_and_it_comes_once_afterwards(why: str) -> None:
    scheduler, clock = make(at(MONDAY, 10))
    busy = busy_between(at(MONDAY, 10, 30), at(MONDAY, 14, 45), why)
    shown = drive(scheduler, clock, at(MONDAY, 14, 44), busy=busy)
    assert shown == []  # four deadlines while busy: no prompt
    assert scheduler.held == why
    assert scheduler.seconds_until_next_check() == RECHECK_SECONDS
    assert why in scheduler.status_text()
    shown = drive(scheduler, clock, at(MONDAY, 15, 30), busy=busy)
    assert len(shown) == 1  # exactly one, never a pile
    assert at(MONDAY, 14, 45) <= clock.now
    assert scheduler.held is None
    assert scheduler.next_due() is not None and scheduler.next_due() > at(MONDAY, 15, 30)


def test_busy_when_nothing_is_due_changes_nothing() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    clock.now = at(MONDAY, 10, 30)
    assert not scheduler.poll(busy="full screen")
    assert scheduler.held is None
    clock.now = at(MONDAY, 11)
    assert scheduler.poll()


# -- fixed-time reminders -------------------------------------------------------

WIND_DOWN = {"at": "22:30", "weekdays": [0, 1, 2, 3, 4], "label": "Bedtime wind-down", "routine_id": "sleep-well"}


def test_a_fixed_time_reminder_comes_at_its_time_on_its_days() -> None:
    scheduler, clock = make(at(MONDAY, 18), fixed=[WIND_DOWN])
    assert scheduler.next_reminder() == Due("fixed", "Bedtime wind-down", "sleep-well", at(MONDAY, 22, 30))
    shown = drive(scheduler, clock, at(MONDAY + timedelta(days=7), 8))
    assert times(shown)[:1] == [at(MONDAY, 22, 30)]
    fixed = [d.at for d in shown if d.kind == "fixed"]
    assert fixed == [at(MONDAY + timedelta(days=n), 22, 30) for n in range(5)]  # not on the weekend


def test_a_fixed_reminder_missed_while_asleep_is_dropped_not_shown_in_the_morning() -> None:
    scheduler, clock = make(at(MONDAY, 22), fixed=[WIND_DOWN], weekdays=[])  # fixed reminders only
    shown = drive(scheduler, clock, at(TUESDAY, 8, 30), suspended=(at(MONDAY, 22, 10), at(TUESDAY, 8)))
    assert shown == []
    assert scheduler.next_reminder() == Due("fixed", "Bedtime wind-down", "sleep-well", at(TUESDAY, 22, 30))


def test_a_fixed_reminder_waits_through_a_film_but_not_for_ever() -> None:
    scheduler, clock = make(at(MONDAY, 22), fixed=[WIND_DOWN])
    shown = drive(
        scheduler, clock, at(MONDAY, 23, 30), busy=busy_between(at(MONDAY, 22), at(MONDAY, 23), "full screen")
    )
    assert [(d.kind, d.at) for d in shown] == [("fixed", at(MONDAY, 22, 30))]
    assert clock.now >= at(MONDAY, 23)
    late, clock2 = make(at(MONDAY, 22), fixed=[WIND_DOWN])
    film = busy_between(at(MONDAY, 22), at(MONDAY, 22, 30) + FIXED_GRACE + timedelta(minutes=5), "full screen")
    assert drive(late, clock2, at(TUESDAY, 1), busy=film) == []


def test_snoozing_a_fixed_reminder_brings_it_back() -> None:
    scheduler, clock = make(at(MONDAY, 22, 29), fixed=[WIND_DOWN])
    clock.now = at(MONDAY, 22, 30)
    due = scheduler.poll_due()
    assert due is not None and due.kind == "fixed"
    scheduler.snooze(10, due)
    clock.now = at(MONDAY, 22, 40)
    again = scheduler.poll_due()
    assert again is not None and (again.kind, again.label) == ("fixed", "Bedtime wind-down")
    assert scheduler.poll_due() is None


def test_fixed_reminders_validate() -> None:
    assert FixedReminder(at=time(22, 30, 15)).at == time(22, 30)
    with pytest.raises(ValidationError, match="label"):
        FixedReminder(at=time(22, 30), label="   ")
    with pytest.raises(ValidationError, match="weekdays"):
        FixedReminder(at=time(22, 30), weekdays=(9,))
    assert FixedReminder(at=time(22, 30)).describe() == "Bedtime wind-down at 22:30, weekdays"
    assert [describe_days(d) for d in ((5, 6), tuple(range(7)), (0, 2))] == ["weekends", "every day", "Mon, Wed"]


def test_a_pause_skips_a_fixed_reminder_inside_it() -> None:
    scheduler, clock = make(at(MONDAY, 22), fixed=[WIND_DOWN], weekdays=[])
    scheduler.pause_for(timedelta(hours=1))
    assert scheduler.next_reminder() == Due("fixed", "Bedtime wind-down", "sleep-well", at(TUESDAY, 22, 30))
    assert drive(scheduler, clock, at(MONDAY, 23, 45)) == []  # not when the pause ends either
    assert scheduler.next_reminder() == Due("fixed", "Bedtime wind-down", "sleep-well", at(TUESDAY, 22, 30))


# -- intervals from five minutes, and knowing when -------------------------------


def test_five_minute_intervals() -> None:
    scheduler, clock = make(at(MONDAY, 10), interval_minutes=5)
    shown = drive(scheduler, clock, at(MONDAY, 10, 31), polled=False)
    assert times(shown) == [at(MONDAY, 10, m) for m in (5, 10, 15, 20, 25, 30)]


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (at(MONDAY, 10, 37), "Next break in 23 min"),
        (at(MONDAY, 10), "Next break in 1 h"),
        (at(MONDAY, 16, 30), "Next break at 10:00 tomorrow"),
        (at(SATURDAY, 9), "Next break at Mon 10:00"),
    ],
)
def test_status_text_says_when(now: datetime, text: str) -> None:
    scheduler, clock = make(at(MONDAY, 10) if now.date() == MONDAY.date() and now.hour < 12 else now)
    clock.now = now
    assert scheduler.status_text() == text


def test_status_text_for_off_paused_and_sessions() -> None:
    scheduler, _ = make(at(MONDAY, 10), enabled=False)
    assert scheduler.status_text() == "Break reminders are off"
    scheduler, _ = make(at(MONDAY, 10))
    scheduler.pause_until_tomorrow()
    assert scheduler.status_text() == "Reminders paused · next break at 10:00 tomorrow"
    scheduler.resume()
    scheduler.session_started()
    assert scheduler.status_text() == "Break in progress"


def test_counting_only_in_working_hours_without_pause() -> None:
    scheduler, clock = make(at(MONDAY, 10))
    assert scheduler.counting()
    clock.now = at(MONDAY, 18)
    assert not scheduler.counting()
    clock.now = at(TUESDAY, 10)
    scheduler.pause_for(timedelta(minutes=30))
    assert not scheduler.counting()


def test_quiet_programs_are_cleaned() -> None:
    schedule = ReminderSchedule(quiet_programs=(" zoom ", "", "obs", "zoom"))
    assert schedule.quiet_programs == ("zoom", "obs")
    with pytest.raises(ValidationError, match="program"):
        ReminderSchedule(quiet_programs=("a\nb",))
