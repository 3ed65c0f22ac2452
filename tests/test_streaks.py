"""Fair streaks: planned days only, rest days, and the four-week consistency beside the streak."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pytestqt.qtbot import QtBot

from acupressure_desktop.settings import Settings
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.history import HistoryRepository, Streaks
from acupressure_desktop.streaks import (
    EVERY_DAY,
    Consistency,
    PracticeDays,
    StreakCount,
    consistency,
    count_streaks,
)
from acupressure_desktop.ui.history.view import HistoryView
from tests.historydata import TODAY, TZ, Clock, make_session, strict_streaks

WORKDAYS = (0, 1, 2, 3, 4)
FRIDAY = date(2024, 6, 7)
MONDAY = date(2024, 6, 10)


def days(first: date, *offsets: int) -> list[date]:
    return [first + timedelta(days=n) for n in offsets]


# -- the rules ------------------------------------------------------------------------------------


def test_a_weekend_off_no_longer_ends_a_weekday_streak() -> None:
    practised = days(MONDAY - timedelta(days=7), 0, 1, 2, 3, 4) + days(MONDAY, 0, 1)  # two weeks of work days
    assert count_streaks(practised, MONDAY + timedelta(days=1), EVERY_DAY).current == 2  # strict: broken
    assert count_streaks(practised, MONDAY + timedelta(days=1), WORKDAYS) == StreakCount(7, 7, MONDAY + timedelta(1))


def test_practice_on_an_unplanned_day_still_adds() -> None:
    practised = [FRIDAY, FRIDAY + timedelta(days=1), MONDAY]  # Friday, Saturday, Monday
    assert count_streaks(practised, MONDAY, WORKDAYS).current == 3


def test_a_missed_planned_day_ends_it_but_today_is_not_over() -> None:
    practised = days(MONDAY, 0, 1)  # Monday, Tuesday; Wednesday missed
    assert count_streaks(practised, MONDAY + timedelta(days=2), WORKDAYS).current == 2  # Wednesday is today
    assert count_streaks(practised, MONDAY + timedelta(days=3), WORKDAYS).current == 0
    assert count_streaks(practised, MONDAY + timedelta(days=3), WORKDAYS).longest == 2


def test_a_rest_day_excuses_a_planned_day() -> None:
    practised = days(MONDAY, 0, 1, 3)  # Wednesday off
    wednesday = MONDAY + timedelta(days=2)
    assert count_streaks(practised, MONDAY + timedelta(days=3), WORKDAYS).current == 1
    assert count_streaks(practised, MONDAY + timedelta(days=3), WORKDAYS, [wednesday]).current == 3


def test_no_planned_days_means_every_day() -> None:
    assert count_streaks(days(MONDAY, 0, 2), MONDAY + timedelta(days=2), ()).current == 1


@settings(max_examples=80, deadline=None)
@given(offsets=st.sets(st.integers(min_value=0, max_value=60), max_size=40))
def test_with_every_day_planned_it_is_the_strict_consecutive_count(offsets: set[int]) -> None:
    practised = {TODAY - timedelta(days=n) for n in offsets}
    current, longest = strict_streaks(practised, TODAY)
    count = count_streaks(practised, TODAY)
    assert (count.current, count.longest) == (current, longest)


@settings(max_examples=80, deadline=None)
@given(
    offsets=st.sets(st.integers(min_value=0, max_value=60), max_size=40),
    weekdays=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
    rests=st.sets(st.integers(min_value=0, max_value=60), max_size=10),
)
def test_planning_fewer_days_or_resting_never_shortens_a_streak(
    offsets: set[int], weekdays: tuple[int, ...], rests: set[int]
) -> None:
    practised = {TODAY - timedelta(days=n) for n in offsets}
    rest_days = {TODAY - timedelta(days=n) for n in rests}
    strict = count_streaks(practised, TODAY)
    fair = count_streaks(practised, TODAY, weekdays, rest_days)
    assert fair.current >= strict.current and fair.longest >= strict.longest
    assert fair.longest <= len(practised)


def test_consistency_counts_planned_days_of_the_last_four_weeks() -> None:
    today = MONDAY + timedelta(days=21)  # a Monday, four weeks after 13 May's week began
    practised = [d for d in days(today - timedelta(days=27), *range(28)) if d.weekday() in (0, 2, 4)]
    kept = consistency(practised, today, WORKDAYS)
    assert (kept.practised, kept.planned) == (12, 20)  # 4 June to 1 July: 20 work days, 12 of them practised
    assert kept.describe() == "12 of 20 planned days"
    assert kept.ratio == pytest.approx(12 / 20)
    rested = consistency(practised, today, WORKDAYS, [today - timedelta(days=1 + n) for n in range(7)])
    assert rested.planned == 20 - 5
    not_yet = consistency(practised[:-1], today, WORKDAYS)  # today not practised yet: not counted yet
    assert (not_yet.practised, not_yet.planned) == (11, 19)


def test_consistency_starts_with_the_first_practice() -> None:
    kept = consistency(days(MONDAY, 0, 1), MONDAY + timedelta(days=2), WORKDAYS, since=MONDAY)
    assert (kept.practised, kept.planned, kept.first_day) == (2, 2, MONDAY)


def test_consistency_with_nothing_planned() -> None:
    kept = consistency([], MONDAY, WORKDAYS, [MONDAY - timedelta(days=n) for n in range(28)])
    assert kept == Consistency(0, 0, MONDAY - timedelta(days=27), MONDAY)
    assert kept.ratio is None and kept.describe() == "no planned days in the last 4 weeks"


def test_one_planned_day_is_one_day() -> None:
    kept = consistency(days(MONDAY, 0), MONDAY, WORKDAYS, since=MONDAY)
    assert kept.describe() == "1 of 1 planned day"  # the first day practised: not "1 of 1 planned days"


def test_rest_days_are_kept_sorted_and_toggle() -> None:
    plan = PracticeDays(rest_days=(MONDAY, FRIDAY, MONDAY))
    assert plan.rest_days == (FRIDAY, MONDAY)
    assert plan.with_rest_day(FRIDAY, False).rest_days == (MONDAY,)
    assert plan.with_rest_day(TODAY, True).rest_days == (FRIDAY, MONDAY, TODAY)
    with pytest.raises(ValidationError, match="rest_days"):
        PracticeDays.model_validate({"rest_days": ["not a date"]})


def test_rest_days_round_trip_through_the_settings_file() -> None:
    settings = Settings().updated(practice=PracticeDays(rest_days=(MONDAY,)))
    assert Settings.model_validate_json(settings.model_dump_json(), strict=True) == settings


# -- the repository and the History page ------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=Clock(), tz=TZ)
    # TODAY is a Wednesday: practised Mon 3, Tue 4, Wed 5, Thu 6, Fri 7, Mon 10, Tue 11 June.
    repository.add_sessions([make_session(d, practised=300) for d in days(date(2024, 6, 3), 0, 1, 2, 3, 4, 7, 8)])
    yield repository
    repository.db.close()


def test_the_repository_counts_with_the_plan(repo: HistoryRepository) -> None:
    assert repo.streaks(TODAY) == Streaks(2, 5, date(2024, 6, 7))  # strict, as before
    assert repo.streaks(TODAY, WORKDAYS) == Streaks(7, 7, date(2024, 6, 11))
    assert repo.summary(TODAY, WORKDAYS).streaks.current == 7
    kept = repo.consistency(TODAY, WORKDAYS)
    assert (kept.practised, kept.planned) == (7, 7)  # the window starts with the first practice, 3 June


def test_the_page_shows_the_fair_streak_consistency_and_marks_rest_days(qtbot: QtBot, repo: HistoryRepository) -> None:
    view = HistoryView(repo)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: not view.stats_pending)
    assert view.current_card.value_label.text() == "2 days"
    view.set_plan(WORKDAYS, ())
    qtbot.waitUntil(lambda: not view.stats_pending)
    assert view.current_card.value_label.text() == "7 days"
    assert "planned days" in view.current_card.caption_label.text()
    assert view.consistency_card.caption_label.text() == "Last 4 weeks · 7 of 7 planned days"
    assert view.consistency_card.value_label.text() == "100%"
    marked: list[tuple[date, bool]] = []
    view.restDayToggled.connect(lambda day, rest: marked.append((day, rest)))
    view.rest_button.click()
    assert marked == [(TODAY, True)]
    view.set_plan(WORKDAYS, (TODAY,))
    assert view.rest_button.isChecked()
    assert view.rest_button.accessibleName() == "Mark today as a rest day"
