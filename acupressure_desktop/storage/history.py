"""Practice history: sessions, check-ins, and the statistics the history view shows.

Times are whole seconds, aware and in UTC (stored as Unix seconds, exported as
``2024-06-03T06:15:00Z``). Each session also keeps the *local* date it started on,
fixed when it is written, so that days, weeks and streaks never shift when the person
travels or the clocks change. Statistics are SQL aggregates over covering indexes:
each stays within a few milliseconds at 100,000 sessions (see bench/bench_history.py).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.db import Database, backup_daily, list_backups, open_database
from acupressure_desktop.storage.errors import StorageUnavailable
from acupressure_desktop.streaks import CONSISTENCY_DAYS, EVERY_DAY, Consistency, consistency, count_streaks
from acupressure_desktop.streaks import StreakCount as Streaks  # the history's streaks are the core's count

T = TypeVar("T")

# A day counts towards a streak when one of its sessions was completed or lasted this long.
COUNTED_SECONDS = 60


class Status(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"  # stopped early by the person
    INTERRUPTED = "interrupted"  # the app ended (crash, kill, power cut) while it ran
    PAIN = "pain"  # stopped because it hurt


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    routine_id: str
    routine_title: str
    started_at: datetime  # aware, UTC
    local_date: date
    ended_at: datetime  # while running: when its progress was last saved
    planned_seconds: int
    practised_seconds: int
    steps_total: int
    steps_done: int
    status: Status
    rating_label: str | None = None
    before_rating: int | None = None
    after_rating: int | None = None
    note: str = ""

    @property
    def change(self) -> int | None:
        if self.before_rating is None or self.after_rating is None:
            return None
        return self.after_rating - self.before_rating


# Field order of the exports (and of Session).
COLUMNS: tuple[str, ...] = (
    "id",
    "routine_id",
    "routine_title",
    "started_at",
    "local_date",
    "ended_at",
    "planned_seconds",
    "practised_seconds",
    "steps_total",
    "steps_done",
    "status",
    "rating_label",
    "before_rating",
    "after_rating",
    "note",
)

_FROM = " FROM sessions s JOIN routines r ON r.key = s.routine"
# As stored: UUID bytes, Unix seconds. Read into Session objects.
_RAW = (
    "SELECT s.rowid, s.id, r.id, r.title, s.started_at, s.local_date, s.ended_at, s.planned_seconds, "
    "s.practised_seconds, s.steps_total, s.steps_done, s.status, r.rating_label, s.before_rating, "
    "s.after_rating, s.note" + _FROM
)
# As exported, formatted by SQLite (in C: 100,000 rows in a fraction of a second), in COLUMNS order.
_HEX = "hex(s.id)"
_TEXT = (
    f"SELECT lower(substr({_HEX}, 1, 8) || '-' || substr({_HEX}, 9, 4) || '-' || substr({_HEX}, 13, 4) "
    f"|| '-' || substr({_HEX}, 17, 4) || '-' || substr({_HEX}, 21)), r.id, r.title, "
    "strftime('%Y-%m-%dT%H:%M:%SZ', s.started_at, 'unixepoch'), s.local_date, "
    "strftime('%Y-%m-%dT%H:%M:%SZ', s.ended_at, 'unixepoch'), s.planned_seconds, s.practised_seconds, "
    "s.steps_total, s.steps_done, s.status, r.rating_label, s.before_rating, s.after_rating, s.note" + _FROM
)
_INSERT = (
    "INSERT INTO sessions (id, routine, started_at, local_date, ended_at, planned_seconds, "
    "practised_seconds, steps_total, steps_done, status, before_rating, after_rating, note) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


Report = Callable[[int, int], None]  # (done, total): progress of a long job, for a progress bar
REPORT_EVERY = 1000  # rows between two reports


def no_report(done: int, total: int) -> None:
    """The default ``Report``: nobody is watching."""


def reporting(items: Iterable[T], total: int, report: Report) -> Iterator[T]:
    """Yield ``items``, reporting every thousand and at the end."""
    for done, item in enumerate(items):
        if done % REPORT_EVERY == 0:
            report(done, total)
        yield item
    report(total, total)


def release(items: list[Any]) -> None:
    """Empty a large list a thousand items at a time.

    Freeing 100,000 objects in one go holds the interpreter lock for about 100 ms; in slices,
    a GUI thread sharing the interpreter gets its turns in between.
    """
    while items:
        del items[-REPORT_EVERY:]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _unix(moment: datetime) -> int:
    """Whole Unix seconds; refuses naive datetimes, whose zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone")
    return int(moment.timestamp())


def _id_bytes(session_id: str) -> bytes:
    """The 16 bytes of a UUID in text form (hot path of imports: no UUID object)."""
    value = bytes.fromhex(session_id.replace("-", ""))
    if len(value) != 16:
        raise ValueError(f"{session_id!r} is not a UUID")
    return value


def _id_text(value: bytes) -> str:
    digits = value.hex()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _session(row: Sequence[Any]) -> Session:
    """A Session from a :data:`_RAW` row without its leading rowid."""
    return Session(
        id=_id_text(row[0]),
        routine_id=row[1],
        routine_title=row[2],
        started_at=datetime.fromtimestamp(row[3], UTC),
        local_date=date.fromisoformat(row[4]),
        ended_at=datetime.fromtimestamp(row[5], UTC),
        planned_seconds=row[6],
        practised_seconds=row[7],
        steps_total=row[8],
        steps_done=row[9],
        status=Status(row[10]),
        rating_label=row[11],
        before_rating=row[12],
        after_rating=row[13],
        note=row[14],
    )


def _stored(session: Session, routine_key: int) -> tuple[Any, ...]:
    """The values of :data:`_INSERT` for ``session``."""
    return (
        _id_bytes(session.id),
        routine_key,
        _unix(session.started_at),
        session.local_date.isoformat(),
        _unix(session.ended_at),
        session.planned_seconds,
        session.practised_seconds,
        session.steps_total,
        session.steps_done,
        str(session.status),
        session.before_rating,
        session.after_rating,
        session.note,
    )


class SortKey(StrEnum):
    STARTED = "started"
    ROUTINE = "routine"
    PRACTISED = "practised"
    STEPS = "steps"
    STATUS = "status"
    BEFORE = "before"
    AFTER = "after"
    CHANGE = "change"
    NOTE = "note"


# ORDER BY terms; "NULLS LAST" only where values can be missing (it would cost the index otherwise).
_SORT_SQL: dict[SortKey, str] = {
    SortKey.STARTED: "s.started_at {0}",
    SortKey.ROUTINE: "r.title COLLATE NOCASE {0}, s.started_at {0}",
    SortKey.PRACTISED: "s.practised_seconds {0}, s.started_at {0}",
    SortKey.STEPS: "s.steps_done {0}, s.started_at {0}",
    SortKey.STATUS: "s.status {0}, s.started_at {0}",
    SortKey.BEFORE: "s.before_rating {0} NULLS LAST, s.started_at {0}",
    SortKey.AFTER: "s.after_rating {0} NULLS LAST, s.started_at {0}",
    SortKey.CHANGE: "s.after_rating - s.before_rating {0} NULLS LAST, s.started_at {0}",
    SortKey.NOTE: "NULLIF(s.note, '') COLLATE NOCASE {0} NULLS LAST, s.started_at {0}",
}


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions to show: local dates inclusive, one routine; None means no limit."""

    first_day: date | None = None
    last_day: date | None = None
    routine_id: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause over ``sessions s``, and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.first_day is not None:
            clauses.append("s.local_date >= ?")
            params.append(self.first_day.isoformat())
        if self.last_day is not None:
            clauses.append("s.local_date <= ?")
            params.append(self.last_day.isoformat())
        if self.routine_id is not None:
            clauses.append("s.routine = (SELECT key FROM routines WHERE id = ?)")
            params.append(self.routine_id)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


ALL_SESSIONS = SessionFilter()


class Period(StrEnum):
    """The History page's periods, by the words it shows."""

    ALL = "All time"
    WEEK = "Last 7 days"
    MONTH = "Last 30 days"
    YEAR = "Last 12 months"
    CUSTOM = "Custom range"

    def first_day(self, today: date) -> date | None:
        """The first local date the period includes (``today`` is the last); None for all time or a custom range."""
        if self is Period.WEEK:
            return today - timedelta(days=6)
        if self is Period.MONTH:
            return today - timedelta(days=29)
        if self is Period.YEAR:
            if (today.month, today.day) == (2, 29):
                return date(today.year - 1, 3, 1)  # 29 February has no twin a year earlier
            return today.replace(year=today.year - 1) + timedelta(days=1)
        return None


@dataclass(frozen=True, slots=True)
class DayTotal:
    seconds: int
    sessions: int
    counted: bool  # counts towards a streak

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True, slots=True)
class WeekTotal:
    week_start: date  # the Monday (ISO week)
    seconds: int
    sessions: int

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True, slots=True)
class RoutineChange:
    """Average before→after change of one routine."""

    routine_id: str
    routine_title: str
    rating_label: str | None
    average_before: float
    average_after: float
    sessions: int

    @property
    def average_change(self) -> float:
        return self.average_after - self.average_before


@dataclass(frozen=True, slots=True)
class Summary:
    sessions: int
    seconds: int
    week_seconds: int  # this ISO week, local time
    streaks: Streaks


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(days: Mapping[date, DayTotal], start: date, end: date) -> list[WeekTotal]:
    """The days' totals per ISO week, Monday ``start`` to Monday ``end``, empty weeks too."""
    totals: dict[date, list[int]] = {}
    for day, total in days.items():
        bucket = totals.setdefault(week_start(day), [0, 0])
        bucket[0] += total.seconds
        bucket[1] += total.sessions
    weeks = []
    monday = start
    while monday <= end:
        seconds, sessions = totals.get(monday, (0, 0))
        weeks.append(WeekTotal(monday, seconds, sessions))
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class Overview:
    """Everything the history's cards and charts show, read in one go (in a worker: over a long
    history the aggregates take tens of milliseconds)."""

    today: date
    first_day: date  # of the heat map and the weekly chart
    summary: Summary
    consistency: Consistency
    days: dict[date, DayTotal]
    weeks: list[WeekTotal]
    changes: list[RoutineChange]


class HistoryRepository:
    """Reads and writes the practice history; Qt-free, single-threaded (one connection)."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
    ) -> None:
        self.db = db
        self._clock = clock
        self._tz = tz  # None: the system's local zone

    def for_worker(self) -> HistoryRepository:
        """The same history on a connection of its own, for a job on another thread; close its ``db`` after."""
        return HistoryRepository(self.db.another_connection(), clock=self._clock, tz=self._tz)

    # -- time -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The clock's time in whole seconds, as stored."""
        return self._clock().replace(microsecond=0)

    def local_time(self, moment: datetime) -> datetime:
        """``moment`` in the person's zone, for display."""
        return moment.astimezone(self._tz)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self._tz).date()

    def today(self) -> date:
        return self.local_date(self._clock())

    # -- writing --------------------------------------------------------------------------

    def new_session(
        self,
        routine_id: str,
        routine_title: str,
        planned_seconds: int,
        steps_total: int,
        *,
        rating_label: str | None = None,
        before_rating: int | None = None,
    ) -> Session:
        """A running session starting now, not yet written: the recorder saves it at once."""
        started = self.now()
        return Session(
            id=str(uuid.uuid4()),
            routine_id=routine_id,
            routine_title=routine_title,
            started_at=started,
            local_date=self.local_date(started),
            ended_at=started,
            planned_seconds=planned_seconds,
            practised_seconds=0,
            steps_total=steps_total,
            steps_done=0,
            status=Status.RUNNING,
            rating_label=rating_label,
            before_rating=before_rating,
        )

    def save(self, session: Session) -> None:
        """Insert or fully update one session (the recorder's write: it owns the row while it runs)."""
        with self.db.transaction() as conn:
            key = self._routine_key(conn, session)
            values = _stored(session, key)
            conn.execute(
                f"{_INSERT} ON CONFLICT (id) DO UPDATE SET routine = excluded.routine, "
                "started_at = excluded.started_at, local_date = excluded.local_date, "
                "ended_at = excluded.ended_at, planned_seconds = excluded.planned_seconds, "
                "practised_seconds = excluded.practised_seconds, steps_total = excluded.steps_total, "
                "steps_done = excluded.steps_done, status = excluded.status, "
                "before_rating = excluded.before_rating, after_rating = excluded.after_rating, "
                "note = excluded.note",
                values,
            )

    def mark_crashed_running_as_interrupted(self) -> int:
        """At start: sessions still 'running' were cut short by a crash; returns how many."""
        with self.db.transaction() as conn:
            return conn.execute("UPDATE sessions SET status = 'interrupted' WHERE status = 'running'").rowcount

    def set_checkin(self, session_id: str, before_rating: int | None, after_rating: int | None, note: str) -> Session:
        """Set the ratings and note of a session; returns its previous state (for undo)."""
        for name, value in (("before", before_rating), ("after", after_rating)):
            if value is not None and not 0 <= value <= 10:
                raise ValueError(f"{name} rating {value} is outside 0–10")
        with self.db.transaction() as conn:
            previous = self._get(conn, session_id)
            self._update(
                conn,
                session_id,
                "before_rating = ?, after_rating = ?, note = ?",
                (before_rating, after_rating, note),
            )
        return previous

    def delete(self, session_id: str) -> Session:
        """Delete a session; returns it, to be given back to :meth:`restore` for undo."""
        with self.db.transaction() as conn:
            deleted = self._get(conn, session_id)
            conn.execute("DELETE FROM sessions WHERE id = ?", (_id_bytes(session_id),))
        return deleted

    def restore(self, session: Session) -> None:
        with self.db.transaction() as conn:
            conn.execute(_INSERT, _stored(session, self._routine_key(conn, session)))

    def add_sessions(self, sessions: Sequence[Session], report: Report = no_report) -> int:
        """Insert sessions in one transaction, skipping ids already present; returns how many were added.

        Routines already known keep their title; new ones take the title of their latest session.
        ``report(done, total)`` hears of the progress; an exception it raises rolls everything back.
        """
        # In time order the date and time indexes grow at their ends: inserts run twice as fast.
        sessions = sorted(sessions, key=lambda session: session.started_at)
        latest: dict[str, Session] = {}
        for session in sessions:
            known = latest.get(session.routine_id)
            if known is None or session.started_at > known.started_at:
                latest[session.routine_id] = session
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO routines (id, title, rating_label) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                [(s.routine_id, s.routine_title, s.rating_label) for s in latest.values()],
            )
            keys = dict(conn.execute("SELECT id, key FROM routines"))
            before = conn.total_changes
            conn.executemany(
                f"{_INSERT} ON CONFLICT (id) DO NOTHING",
                (_stored(session, keys[session.routine_id]) for session in reporting(sessions, len(sessions), report)),
            )
            return conn.total_changes - before

    @staticmethod
    def _routine_key(conn: sqlite3.Connection, session: Session) -> int:
        """Key of the session's routine, recording its latest title and rating label."""
        row = conn.execute(
            "INSERT INTO routines (id, title, rating_label) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE "
            "SET title = excluded.title, rating_label = coalesce(excluded.rating_label, rating_label) "
            "RETURNING key",
            (session.routine_id, session.routine_title, session.rating_label),
        ).fetchone()
        return int(row[0])

    @staticmethod
    def _update(conn: sqlite3.Connection, session_id: str, assignments: str, params: tuple[Any, ...]) -> None:
        cursor = conn.execute(f"UPDATE sessions SET {assignments} WHERE id = ?", (*params, _id_bytes(session_id)))
        if cursor.rowcount != 1:
            raise KeyError(f"no session with id {session_id!r}")

    @staticmethod
    def _get(conn: sqlite3.Connection, session_id: str) -> Session:
        row = conn.execute(f"{_RAW} WHERE s.id = ?", (_id_bytes(session_id),)).fetchone()
        if row is None:
            raise KeyError(f"no session with id {session_id!r}")
        return _session(row[1:])

    # -- reading --------------------------------------------------------------------------

    def get(self, session_id: str) -> Session | None:
        with self.db.reading() as conn:
            try:
                return self._get(conn, session_id)
            except KeyError:
                return None

    def text_rows(self, filter: SessionFilter = ALL_SESSIONS) -> Iterator[tuple[Any, ...]]:
        """Rows as exported (UUID text, ISO times) in :data:`COLUMNS` order, oldest first."""
        where, params = filter.sql()
        with self.db.reading() as conn:
            # "+": sort the rows rather than walk the index; reading the table in order is faster.
            yield from conn.execute(f"{_TEXT}{where} ORDER BY +s.started_at", params)

    def list_sessions(self, filter: SessionFilter = ALL_SESSIONS) -> list[Session]:
        """Matching sessions, newest first."""
        where, params = filter.sql()
        with self.db.reading() as conn:
            cursor = conn.execute(f"{_RAW}{where} ORDER BY s.started_at DESC", params)
            return [_session(row[1:]) for row in cursor]

    def count(self, filter: SessionFilter = ALL_SESSIONS) -> int:
        where, params = filter.sql()
        with self.db.reading() as conn:
            return int(conn.execute(f"SELECT count(*) FROM sessions s{where}", params).fetchone()[0])

    def session_keys(
        self,
        filter: SessionFilter = ALL_SESSIONS,
        sort: SortKey = SortKey.STARTED,
        descending: bool = True,
    ) -> list[int]:
        """Row keys of the matching sessions in display order (empty values last), for lazy views."""
        where, params = filter.sql()
        order = _SORT_SQL[sort].format("DESC" if descending else "ASC")
        source = _FROM if sort is SortKey.ROUTINE else " FROM sessions s"
        with self.db.reading() as conn:
            cursor = conn.execute(f"SELECT s.rowid{source}{where} ORDER BY {order}", params)
            return [key for (key,) in cursor.fetchall()]

    def session_key(self, session_id: str) -> int | None:
        """The row key of a session (see :meth:`session_keys`), None when there is no such session."""
        with self.db.reading() as conn:
            row = conn.execute("SELECT rowid FROM sessions WHERE id = ?", (_id_bytes(session_id),)).fetchone()
        return None if row is None else int(row[0])

    def sessions_for_keys(self, keys: Sequence[int]) -> dict[int, Session]:
        if not keys:
            return {}
        marks = ", ".join("?" * len(keys))
        with self.db.reading() as conn:
            cursor = conn.execute(f"{_RAW} WHERE s.rowid IN ({marks})", list(keys))
            return {row[0]: _session(row[1:]) for row in cursor}

    def routines(self) -> list[tuple[str, str]]:
        """(routine id, latest title) of every routine ever practised, by title."""
        with self.db.reading() as conn:
            return list(conn.execute("SELECT id, title FROM routines ORDER BY title COLLATE NOCASE, id"))

    # -- statistics -----------------------------------------------------------------------

    def practice_days(self, first: date, last: date) -> dict[date, DayTotal]:
        """Practice per local day between ``first`` and ``last`` inclusive (days without none omitted)."""
        with self.db.reading() as conn:
            cursor = conn.execute(
                "SELECT local_date, sum(practised_seconds), count(*), "
                "max(practised_seconds >= ? OR status = 'completed') "
                "FROM sessions WHERE local_date BETWEEN ? AND ? GROUP BY local_date",
                (COUNTED_SECONDS, first.isoformat(), last.isoformat()),
            )
            return {
                date.fromisoformat(day): DayTotal(seconds, sessions, bool(counted))
                for day, seconds, sessions, counted in cursor
            }

    def streaks(
        self,
        today: date | None = None,
        weekdays: tuple[int, ...] = EVERY_DAY,
        rest_days: Iterable[date] = (),
    ) -> Streaks:
        """Current and longest streak up to ``today``: only planned days (``weekdays``, less the
        ``rest_days``) without practice end one (see ``acupressure_desktop.streaks``). With every
        day planned, as by default, a streak is a run of consecutive counted days."""
        today = today or self.today()
        with self.db.reading() as conn:
            cursor = conn.execute(
                "SELECT DISTINCT local_date FROM sessions "
                "WHERE local_date <= ? AND (practised_seconds >= ? OR status = 'completed') "
                "ORDER BY local_date",
                (today.isoformat(), COUNTED_SECONDS),
            )
            days = [date.fromisoformat(text) for (text,) in cursor]
        return count_streaks(days, today, weekdays, rest_days)

    def consistency(
        self,
        today: date | None = None,
        weekdays: tuple[int, ...] = EVERY_DAY,
        rest_days: Iterable[date] = (),
    ) -> Consistency:
        """How many planned days of the last four weeks were practised."""
        today = today or self.today()
        first = today - timedelta(days=CONSISTENCY_DAYS - 1)
        counted = [day for day, total in self.practice_days(first, today).items() if total.counted]
        with self.db.reading() as conn:
            (since,) = conn.execute("SELECT min(local_date) FROM sessions").fetchone()
        start = date.fromisoformat(since) if since else today
        return consistency(counted, today, weekdays, rest_days, since=start)

    def minutes_per_week(self, first: date, last: date) -> list[WeekTotal]:
        """One entry per ISO week from the week of ``first`` to the week of ``last``, empty weeks too."""
        start, end = week_start(first), week_start(last)
        return weekly(self.practice_days(start, end + timedelta(days=6)), start, end)

    def routine_changes(self) -> list[RoutineChange]:
        """Per routine: average before and after, over the sessions rated both times."""
        with self.db.reading() as conn:
            cursor = conn.execute(
                "SELECT r.id, r.title, r.rating_label, c.before, c.after, c.n FROM ("
                "  SELECT routine, avg(before_rating) AS before, avg(after_rating) AS after, count(*) AS n"
                "  FROM sessions WHERE before_rating IS NOT NULL AND after_rating IS NOT NULL"
                "  GROUP BY routine"
                ") c JOIN routines r ON r.key = c.routine "
                "ORDER BY c.n DESC, r.title COLLATE NOCASE"
            )
            return [RoutineChange(*row) for row in cursor]

    def summary(
        self,
        today: date | None = None,
        weekdays: tuple[int, ...] = EVERY_DAY,
        rest_days: Iterable[date] = (),
    ) -> Summary:
        today = today or self.today()
        monday = week_start(today)
        with self.db.reading() as conn:
            sessions, seconds = conn.execute("SELECT count(*), total(practised_seconds) FROM sessions").fetchone()
            (week_seconds,) = conn.execute(
                "SELECT total(practised_seconds) FROM sessions WHERE local_date BETWEEN ? AND ?",
                (monday.isoformat(), (monday + timedelta(days=6)).isoformat()),
            ).fetchone()
        return Summary(int(sessions), int(seconds), int(week_seconds), self.streaks(today, weekdays, rest_days))

    def overview(self, weeks: int, weekdays: tuple[int, ...] = EVERY_DAY, rest_days: Iterable[date] = ()) -> Overview:
        """The statistics of the last ``weeks`` ISO weeks (this one included) and of all time."""
        today = self.today()
        rest = tuple(rest_days)
        first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))  # a Monday
        this_week = week_start(today)
        week_days = self.practice_days(first, this_week + timedelta(days=6))  # one read for both charts
        return Overview(
            today=today,
            first_day=first,
            summary=self.summary(today, weekdays, rest),
            consistency=self.consistency(today, weekdays, rest),
            days={day: total for day, total in week_days.items() if day <= today},
            weeks=weekly(week_days, first, this_week),
            changes=self.routine_changes(),
        )


@dataclass(frozen=True)
class OpenedHistory:
    """What :func:`open_history` hands the app: the repository and what to tell the person."""

    repository: HistoryRepository
    notices: tuple[str, ...] = ()
    interrupted: int = 0  # sessions a crash had left running
    backup: Path | None = None  # today's new backup, if one was made
    # The history file was missing (deleted?) and a new one started: this backup can be offered.
    restorable: Path | None = None

    @property
    def read_only(self) -> bool:
        return self.repository.db.read_only


GUI_BUSY_TIMEOUT_MS = 250  # the window's own connection gives up fast; the writer thread waits longer


def open_history(
    paths: AppPaths,
    *,
    clock: Callable[[], datetime] = utc_now,
    tz: tzinfo | None = None,
    busy_timeout_ms: int = GUI_BUSY_TIMEOUT_MS,
) -> OpenedHistory:
    """Open the history for the app: repair or create, back up once a day, close crashed sessions,
    bring back sessions kept in a recovery file at the last quit.

    Raises DatabaseTooNew or StorageUnavailable when the history cannot be opened at all;
    a failed backup or clean-up only adds a notice.
    """
    from acupressure_desktop.storage.recovery import import_recovered

    path = paths.history_db
    was_missing = not path.exists() and not path.is_symlink()
    try:
        db = open_database(path, now=lambda: clock().astimezone(tz), busy_timeout_ms=busy_timeout_ms)
    except sqlite3.DatabaseError as exc:  # not a known environment fault, but no reason to lose the window
        raise StorageUnavailable(f"Cannot open the practice history: SQLite reports “{exc}” ({path}).") from exc
    notices = list(db.notices)
    backups = list_backups(paths.backups_dir)
    restorable: Path | None = None
    if was_missing and backups and not db.read_only:
        restorable = backups[-1]
        notices.append(
            f"No practice history was found at {path}, so a new, empty one was started. "
            f"The latest daily backup is {restorable.name} in {paths.backups_dir}; it can be restored."
        )
    elif notices and backups:
        notices.append(f"Daily backups of your history are in {paths.backups_dir}.")
    repository = HistoryRepository(db, clock=clock, tz=tz)
    backup: Path | None = None
    interrupted = 0
    if db.read_only:
        return OpenedHistory(repository, tuple(notices))
    # Not on the day a damaged file was set aside: a backup of the new, empty history
    # would push the oldest good backup out.
    if not db.notices and restorable is None:
        try:
            backup = backup_daily(db, paths.backups_dir, repository.today())
        except StorageUnavailable as exc:
            notices.append(str(exc))
    try:
        interrupted = repository.mark_crashed_running_as_interrupted()
    except StorageUnavailable as exc:
        notices.append(str(exc))
    notices.extend(import_recovered(repository, paths))
    return OpenedHistory(repository, tuple(notices), interrupted, backup, restorable)
