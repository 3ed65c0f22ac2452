"""The history repository: writing sessions, check-ins, delete and restore, queries and statistics."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.db import list_backups, open_database
from acupressure_desktop.storage.history import (
    COUNTED_SECONDS,
    HistoryRepository,
    Period,
    SessionFilter,
    SortKey,
    Status,
    Streaks,
    open_history,
)
from tests.historydata import NOW, TODAY, TZ, Clock, generate_sessions, make_session, start_running, strict_streaks


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def repo(tmp_path: Path, clock: Clock) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=clock, tz=TZ)
    yield repository
    repository.db.close()


def _other_connection(repo: HistoryRepository) -> sqlite3.Connection:
    """What a fresh process would see on disk."""
    return sqlite3.connect(repo.db.path)


# -- writing ------------------------------------------------------------------------------------


def test_a_started_session_is_on_disk_at_once(repo: HistoryRepository) -> None:
    session = start_running(repo, rating_label="Neck tension", before_rating=6)
    other = _other_connection(repo)
    status, practised = other.execute("SELECT status, practised_seconds FROM sessions").fetchone()
    other.close()
    assert (status, practised) == ("running", 0)
    stored = repo.get(session.id)
    assert stored == session
    assert stored is not None
    assert stored.started_at == NOW
    assert stored.local_date == TODAY
    assert stored.before_rating == 6
    assert stored.rating_label == "Neck tension"


def test_the_session_returned_equals_the_one_read_back(repo: HistoryRepository, clock: Clock) -> None:
    clock.now = NOW.replace(microsecond=654321)  # real clocks have microseconds; the file keeps seconds
    session = start_running(repo)
    assert repo.get(session.id) == session
    assert session.started_at == NOW


def test_saving_again_updates_progress_and_end(repo: HistoryRepository, clock: Clock) -> None:
    session = start_running(repo)
    clock.advance(65)
    repo.save(replace(session, practised_seconds=60, steps_done=1, ended_at=repo.now()))
    saved = repo.get(session.id)
    assert saved is not None
    assert (saved.practised_seconds, saved.steps_done, saved.status) == (60, 1, Status.RUNNING)
    assert saved.ended_at == NOW + timedelta(seconds=65)  # last seen
    clock.advance(250)
    repo.save(replace(session, status=Status.COMPLETED, practised_seconds=300, steps_done=4, ended_at=repo.now()))
    done = repo.get(session.id)
    assert done is not None
    assert (done.practised_seconds, done.steps_done, done.status) == (300, 4, Status.COMPLETED)
    assert done.ended_at == NOW + timedelta(seconds=315)


def test_sessions_left_running_by_a_crash_become_interrupted(repo: HistoryRepository, clock: Clock) -> None:
    crashed = start_running(repo)
    clock.advance(42)
    repo.save(replace(crashed, practised_seconds=40, steps_done=1, ended_at=repo.now()))
    repo.add_sessions([make_session(TODAY - timedelta(days=1))])
    assert repo.mark_crashed_running_as_interrupted() == 1
    after = repo.get(crashed.id)
    assert after is not None
    assert after.status is Status.INTERRUPTED
    assert after.practised_seconds == 40
    assert after.ended_at == NOW + timedelta(seconds=42)  # the last moment known
    assert repo.mark_crashed_running_as_interrupted() == 0


def test_the_local_date_is_the_persons_calendar_day(repo: HistoryRepository, clock: Clock) -> None:
    clock.now = datetime(2024, 6, 12, 22, 30, tzinfo=UTC)  # 00:30 on the 13th at UTC+2
    session = start_running(repo)
    assert session.local_date == date(2024, 6, 13)
    assert repo.today() == date(2024, 6, 13)


def test_set_checkin_returns_the_previous_state_for_undo(repo: HistoryRepository) -> None:
    original = make_session(before=7, after=None, note="")
    repo.add_sessions([original])
    previous = repo.set_checkin(original.id, 7, 3, "much better")
    assert previous == original
    now = repo.get(original.id)
    assert now is not None
    assert (now.before_rating, now.after_rating, now.note, now.change) == (7, 3, "much better", -4)
    with pytest.raises(ValueError, match="outside 0–10"):
        repo.set_checkin(original.id, 11, 3, "")
    with pytest.raises(ValueError, match="outside 0–10"):
        repo.set_checkin(original.id, 3, -1, "")


def test_delete_then_restore_gives_the_same_session_back(repo: HistoryRepository) -> None:
    kept, gone = make_session(note="kept"), make_session(TODAY - timedelta(days=2), before=5, after=2, note="x")
    repo.add_sessions([kept, gone])
    deleted = repo.delete(gone.id)
    assert deleted == gone
    assert repo.get(gone.id) is None
    assert repo.count() == 1
    repo.restore(deleted)
    assert repo.get(gone.id) == gone
    with pytest.raises(KeyError):
        repo.delete("00000000-0000-4000-8000-000000000000")


def test_add_sessions_skips_known_ids_and_keeps_known_titles(repo: HistoryRepository) -> None:
    first = make_session(routine_title="Neck release")
    assert repo.add_sessions([first]) == 1
    renamed = make_session(TODAY - timedelta(days=1), routine_title="Old name")
    assert repo.add_sessions([first, renamed]) == 1
    assert repo.routines() == [("neck-release", "Neck release")]


def test_the_latest_title_of_a_routine_is_shown_everywhere(repo: HistoryRepository) -> None:
    old = start_running(repo)
    start_running(repo, title="Neck and shoulder release")
    assert repo.routines() == [("neck-release", "Neck and shoulder release")]
    fetched = repo.get(old.id)
    assert fetched is not None
    assert fetched.routine_title == "Neck and shoulder release"


# -- reading ------------------------------------------------------------------------------------


def test_filters_by_date_range_and_routine(repo: HistoryRepository) -> None:
    days = [TODAY - timedelta(days=n) for n in range(10)]
    repo.add_sessions(
        [make_session(day, routine_id="calm-evening", routine_title="Calm evening") for day in days]
        + [make_session(day) for day in days[:3]]
    )
    week = SessionFilter(first_day=TODAY - timedelta(days=6), last_day=TODAY)
    assert repo.count(week) == 7 + 3
    calm_week = replace(week, routine_id="calm-evening")
    listed = repo.list_sessions(calm_week)
    assert [s.local_date for s in listed] == days[:7]  # newest first
    assert {s.routine_id for s in listed} == {"calm-evening"}
    assert repo.count(SessionFilter(routine_id="no-such-routine")) == 0
    assert len(list(repo.text_rows(calm_week))) == 7


@pytest.mark.parametrize("descending", [True, False])
def test_session_keys_sort_empty_ratings_last_both_ways(repo: HistoryRepository, descending: bool) -> None:
    rated = [make_session(TODAY - timedelta(days=n), before=n, after=n) for n in (1, 5, 3)]
    unrated = make_session(TODAY - timedelta(days=9))
    repo.add_sessions([*rated, unrated])
    keys = repo.session_keys(sort=SortKey.BEFORE, descending=descending)
    sessions = repo.sessions_for_keys(keys)
    ordered = [sessions[k].before_rating for k in keys]
    assert ordered == ([5, 3, 1, None] if descending else [1, 3, 5, None])


@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_key_orders_all_matching_sessions(repo: HistoryRepository, sort: SortKey) -> None:
    sessions = generate_sessions(60, days=30)
    repo.add_sessions(sessions)
    keys = repo.session_keys(sort=sort, descending=False)
    assert len(keys) == 60
    assert sorted(s.id for s in repo.sessions_for_keys(keys).values()) == sorted(s.id for s in sessions)


def test_sort_by_practised_time(repo: HistoryRepository) -> None:
    repo.add_sessions([make_session(practised=p, status=Status.STOPPED) for p in (120, 30, 90)])
    keys = repo.session_keys(sort=SortKey.PRACTISED)
    by_key = repo.sessions_for_keys(keys)
    assert [by_key[k].practised_seconds for k in keys] == [120, 90, 30]


# -- statistics ---------------------------------------------------------------------------------


def test_practice_days_sum_minutes_and_mark_counted_days(repo: HistoryRepository) -> None:
    repo.add_sessions(
        [
            make_session(TODAY, practised=300),
            make_session(TODAY, at=time(18), practised=120, status=Status.STOPPED),
            make_session(TODAY - timedelta(days=1), practised=COUNTED_SECONDS - 1, status=Status.STOPPED),
            make_session(TODAY - timedelta(days=30)),
        ]
    )
    days = repo.practice_days(TODAY - timedelta(days=7), TODAY)
    assert set(days) == {TODAY, TODAY - timedelta(days=1)}
    assert (days[TODAY].seconds, days[TODAY].sessions, days[TODAY].counted) == (420, 2, True)
    assert days[TODAY].minutes == 7
    assert days[TODAY - timedelta(days=1)].counted is False


def _practise(repo: HistoryRepository, *offsets: int, practised: int = 300, status: Status = Status.COMPLETED) -> None:
    repo.add_sessions([make_session(TODAY - timedelta(days=n), practised=practised, status=status) for n in offsets])


def test_no_practice_no_streak(repo: HistoryRepository) -> None:
    assert repo.streaks(TODAY) == Streaks(0, 0, None)


def test_the_current_streak_is_still_alive_when_today_is_not_practised_yet(repo: HistoryRepository) -> None:
    _practise(repo, 1, 2, 3)
    assert repo.streaks(TODAY) == Streaks(current=3, longest=3, longest_end=TODAY - timedelta(days=1))
    _practise(repo, 0)
    assert repo.streaks(TODAY).current == 4


def test_the_current_streak_ends_after_a_missed_day(repo: HistoryRepository) -> None:
    _practise(repo, 2, 3, 4, 5, 10, 11)
    streaks = repo.streaks(TODAY)
    assert (streaks.current, streaks.longest) == (0, 4)
    assert streaks.longest_end == TODAY - timedelta(days=2)


def test_a_short_unfinished_session_does_not_count_but_a_short_completed_one_does(repo: HistoryRepository) -> None:
    _practise(repo, 0, practised=COUNTED_SECONDS - 1, status=Status.STOPPED)
    assert repo.streaks(TODAY).current == 0
    _practise(repo, 1, practised=20, status=Status.COMPLETED)
    assert repo.streaks(TODAY).current == 1
    _practise(repo, 2, practised=COUNTED_SECONDS, status=Status.PAIN)
    assert repo.streaks(TODAY).current == 2


def test_days_after_today_do_not_count(repo: HistoryRepository) -> None:
    _practise(repo, -1, -2, 0)  # a clock that was wrong once
    assert repo.streaks(TODAY) == Streaks(1, 1, TODAY)


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(
        open_database(tmp_path_factory.mktemp("streaks") / "h.sqlite3"), clock=Clock(), tz=TZ
    )
    yield repository
    repository.db.close()


@settings(max_examples=60, deadline=None)
@given(offsets=st.sets(st.integers(min_value=0, max_value=60), max_size=40))
def test_streaks_match_a_day_by_day_count(shared_repo: HistoryRepository, offsets: set[int]) -> None:
    with shared_repo.db.transaction() as conn:
        conn.execute("DELETE FROM sessions")
    _practise(shared_repo, *offsets)
    practised = {TODAY - timedelta(days=n) for n in offsets}
    current, longest = strict_streaks(practised, TODAY)
    streaks = shared_repo.streaks(TODAY)
    assert (streaks.current, streaks.longest) == (current, longest)


def test_minutes_per_week_fills_empty_weeks_and_follows_iso_weeks(repo: HistoryRepository) -> None:
    monday = date(2024, 6, 10)
    repo.add_sessions(
        [
            make_session(monday, practised=600),
            make_session(monday - timedelta(days=1), practised=300),  # Sunday: the week before
            make_session(monday - timedelta(days=13), practised=120, status=Status.STOPPED),
        ]
    )
    weeks = repo.minutes_per_week(monday - timedelta(days=21), TODAY)
    assert [w.week_start for w in weeks] == [monday - timedelta(days=7 * n) for n in (3, 2, 1, 0)]
    assert [w.minutes for w in weeks] == [0, 2, 5, 10]
    assert [w.sessions for w in weeks] == [0, 1, 1, 1]


def test_routine_changes_average_sessions_rated_before_and_after(repo: HistoryRepository) -> None:
    repo.add_sessions(
        [
            make_session(before=8, after=4),
            make_session(before=6, after=4),
            make_session(before=5, after=None),  # not counted: only one rating
            make_session(
                routine_id="calm-evening", routine_title="Calm evening", rating_label="Stress", before=3, after=4
            ),
        ]
    )
    changes = {c.routine_id: c for c in repo.routine_changes()}
    neck = changes["neck-release"]
    assert (neck.sessions, neck.average_before, neck.average_after, neck.average_change) == (2, 7, 4, -3)
    assert neck.routine_title == "Neck release"
    assert neck.rating_label == "Neck tension"
    assert changes["calm-evening"].average_change == 1
    assert changes["calm-evening"].sessions == 1


def test_summary(repo: HistoryRepository) -> None:
    _practise(repo, 0, 1, 2, 9)  # today is a Wednesday: three of them fall in this week
    summary = repo.summary(TODAY)
    assert (summary.sessions, summary.seconds, summary.week_seconds) == (4, 1200, 900)
    assert summary.streaks.current == 3


# -- opening for the app ------------------------------------------------------------------------


def test_open_history_closes_crashed_sessions_and_backs_up(app_paths: AppPaths) -> None:
    with open_database(app_paths.history_db) as db:
        start_running(HistoryRepository(db, clock=Clock(), tz=TZ))
    opened = open_history(app_paths, clock=Clock(), tz=TZ)
    try:
        assert opened.interrupted == 1
        assert opened.notices == ()
        assert opened.backup == app_paths.backups_dir / "history-2024-06-12.sqlite3"
        assert [s.status for s in opened.repository.list_sessions()] == [Status.INTERRUPTED]
    finally:
        opened.repository.db.close()
    again = open_history(app_paths, clock=Clock(), tz=TZ)
    again.repository.db.close()
    assert again.backup is None  # once a day
    assert len(list_backups(app_paths.backups_dir)) == 1


def test_open_history_tells_where_the_damaged_file_and_the_backups_are(app_paths: AppPaths) -> None:
    open_history(app_paths, clock=Clock(), tz=TZ).repository.db.close()  # makes today's backup
    app_paths.history_db.write_bytes(b"not a database at all" * 100)
    opened = open_history(app_paths, clock=Clock(), tz=TZ)
    opened.repository.db.close()
    text = " ".join(opened.notices)
    assert "history.sqlite3.corrupt-20240612-120000" in text  # local time of the clock
    assert str(app_paths.backups_dir) in text


def test_no_backup_of_the_new_empty_history_pushes_a_good_one_out(app_paths: AppPaths) -> None:
    for days_ago in range(7, 0, -1):  # a week of good backups, the last one yesterday
        clock = Clock(NOW - timedelta(days=days_ago))
        open_history(app_paths, clock=clock, tz=TZ).repository.db.close()
    good = list_backups(app_paths.backups_dir)
    assert len(good) == 7
    app_paths.history_db.write_bytes(b"not a database at all" * 100)
    opened = open_history(app_paths, clock=Clock(), tz=TZ)
    opened.repository.db.close()
    assert opened.backup is None
    assert list_backups(app_paths.backups_dir) == good


def test_open_history_survives_a_failing_backup(app_paths: AppPaths) -> None:
    app_paths.backups_dir.write_text("a file where the folder should be")
    opened = open_history(app_paths, clock=Clock(), tz=TZ)
    opened.repository.db.close()
    assert opened.backup is None
    assert any("Cannot back up" in notice for notice in opened.notices)


@pytest.mark.parametrize(
    ("today", "period", "first"),
    [
        (date(2026, 12, 1), Period.WEEK, date(2026, 11, 25)),
        (date(2026, 12, 1), Period.MONTH, date(2026, 11, 2)),
        (date(2026, 12, 1), Period.YEAR, date(2025, 12, 2)),
        (date(2028, 2, 29), Period.YEAR, date(2027, 3, 1)),  # raised ValueError in the History page
        (date(2028, 2, 29), Period.ALL, None),
        (date(2028, 2, 29), Period.CUSTOM, None),
    ],
)
def test_periods_become_first_days(today: date, period: Period, first: date | None) -> None:
    assert period.first_day(today) == first


def test_the_overview_reads_what_the_single_statistics_read(repo: HistoryRepository) -> None:
    # One read of the days serves the heat map and the weekly chart (it was three).
    repo.add_sessions(
        [make_session(TODAY - timedelta(days=d), practised=60 * (d % 7 + 1)) for d in range(0, 200, 3)]
        + [make_session(TODAY + timedelta(days=1), practised=90)]  # a clock set wrong once: after today
    )
    overview = repo.overview(26)
    assert overview.first_day.weekday() == 0
    assert overview.days == repo.practice_days(overview.first_day, TODAY)
    assert overview.weeks == repo.minutes_per_week(overview.first_day, TODAY)
    assert overview.summary == repo.summary(TODAY) and overview.consistency == repo.consistency(TODAY)
