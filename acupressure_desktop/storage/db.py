"""The history database file: open, check, migrate, back up.

Opening never destroys data. A file that is newer than this code is refused and left
byte-for-byte as it was. A file that SQLite cannot read, or that fails the integrity
check, is renamed aside with a timestamp (with its ``-wal``/``-shm``/``-journal``
companions, so the copy still opens with everything it had) and a fresh database is
started; the returned :class:`Database` carries a notice naming the copy.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from acupressure_desktop.storage.errors import (
    DatabaseTooNew,
    environment_fault,
    sqlite_code,
    translate_faults,
)

BUSY_TIMEOUT_MS = 3000  # long enough to ride out a backup or a CLI export, short enough for a UI thread
CACHE_KIB = 16_000  # page cache: a heavy user's whole history fits, so imports and scans stay in memory
BACKUPS_KEPT = 7
_COMPANIONS = ("-wal", "-shm", "-journal")
_BACKUP_PREFIX = "history-"
_BACKUP_SUFFIX = ".sqlite3"

READ_ACTION = "Cannot read the practice history"
WRITE_ACTION = "Cannot save the practice history"


@dataclass(frozen=True)
class Migration:
    """One schema step; all its statements and the version bump commit together."""

    version: int
    summary: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "routines and sessions",
        (
            # Compact on purpose (ids and titles stored once, UUIDs as 16 bytes, times as Unix
            # seconds): 100,000 sessions stay well under 20 MB. The repository shows the
            # readable form (UUID text, ISO times).
            """CREATE TABLE routines (
                key INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL
            ) STRICT""",
            """CREATE TABLE sessions (
                id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),  -- a UUID's 16 bytes
                routine INTEGER NOT NULL REFERENCES routines (key),
                started_at INTEGER NOT NULL,  -- Unix seconds
                local_date TEXT NOT NULL CHECK (date(local_date) = local_date),
                -- While running: when progress was last saved; so a crash keeps its last moment.
                ended_at INTEGER NOT NULL CHECK (ended_at >= started_at),
                planned_seconds INTEGER NOT NULL CHECK (planned_seconds >= 0),
                practised_seconds INTEGER NOT NULL DEFAULT 0 CHECK (practised_seconds >= 0),
                steps_total INTEGER NOT NULL CHECK (steps_total >= 0),
                steps_done INTEGER NOT NULL DEFAULT 0 CHECK (steps_done BETWEEN 0 AND steps_total),
                status TEXT NOT NULL
                    CHECK (status IN ('running', 'completed', 'stopped', 'interrupted', 'pain'))
            ) STRICT""",
            # Covers the per-day aggregates (heat map, streaks, weeks) without touching the table.
            "CREATE INDEX sessions_by_day ON sessions (local_date, practised_seconds, status)",
            "CREATE INDEX sessions_by_start ON sessions (started_at)",
            "CREATE INDEX sessions_running ON sessions (status) WHERE status = 'running'",
        ),
    ),
    Migration(
        2,
        "check-ins: ratings before and after, a note",
        (
            "ALTER TABLE routines ADD COLUMN rating_label TEXT",
            "ALTER TABLE sessions ADD COLUMN before_rating INTEGER CHECK (before_rating BETWEEN 0 AND 10)",
            "ALTER TABLE sessions ADD COLUMN after_rating INTEGER CHECK (after_rating BETWEEN 0 AND 10)",
            "ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
            """CREATE INDEX sessions_checkins ON sessions (routine, before_rating, after_rating)
                WHERE before_rating IS NOT NULL AND after_rating IS NOT NULL""",
        ),
    ),
)
LATEST_VERSION = MIGRATIONS[-1].version


@contextmanager
def _immediate(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (no deadlock between two writers); rolled back on error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            # The original error matters; a failed rollback (disk gone) adds nothing.
            with suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


class Database:
    """An open history database: one connection in autocommit mode, explicit transactions."""

    def __init__(self, connection: sqlite3.Connection, path: Path, notices: Sequence[str] = ()) -> None:
        self.connection = connection
        self.path = path
        self.notices: tuple[str, ...] = tuple(notices)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any error, faults translated."""
        with translate_faults(WRITE_ACTION, self.path), _immediate(self.connection):
            yield self.connection

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with translate_faults(READ_ACTION, self.path):
            yield self.connection

    def close(self) -> None:
        self.connection.close()

    def another_connection(self) -> Database:
        """A second connection to the same, already opened file, for a worker thread (WAL lets both work)."""
        with translate_faults(READ_ACTION, self.path):
            return Database(_connect(self.path, BUSY_TIMEOUT_MS), self.path)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _too_new_message(path: Path, version: int, latest: int) -> str:
    return (
        f"{path} was written by a newer version of Acupressure Desktop (history format {version}; "
        f"this version reads up to {latest}). Please update the app. The file was not changed."
    )


def migrate(connection: sqlite3.Connection, path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the schema to the latest version, one transaction per step; return steps applied."""
    latest = migrations[-1].version
    applied = 0
    while (current := schema_version(connection)) != latest:
        if current > latest:
            raise DatabaseTooNew(_too_new_message(path, current, latest))
        step = next(m for m in migrations if m.version == current + 1)
        with _immediate(connection):
            # Check again under the write lock: another process may have migrated meanwhile.
            if schema_version(connection) == current:
                for statement in step.statements:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {step.version:d}")
                applied += 1
    return applied


def _inspect(path: Path, latest: int) -> str | None:
    """Why an existing file cannot be used as the history (None: it can), read-only.

    Raises DatabaseTooNew, or StorageUnavailable for environment faults.
    """
    try:
        check = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        _raise_fault_or_bug(exc, path)
    try:
        version = schema_version(check)
        if version > latest:
            raise DatabaseTooNew(_too_new_message(path, version, latest))
        if version == 0 and check.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
            return "it holds tables of another program"
        result = [row[0] for row in check.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            return f"the integrity check failed: {result[0]}"
        return None
    except sqlite3.DatabaseError as exc:
        if sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return str(exc)
        _raise_fault_or_bug(exc, path)
    finally:
        check.close()


def _raise_fault_or_bug(exc: sqlite3.Error, path: Path) -> NoReturn:
    fault = environment_fault(exc, READ_ACTION, path)
    if fault is None:
        raise exc
    raise fault from exc


def _companions(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in _COMPANIONS)]


def move_aside(path: Path, now: datetime) -> Path:
    """Rename ``path`` and its companions to ``<name>.corrupt-YYYYmmdd-HHMMSS``; never overwrite."""
    stem = f"{path.name}.corrupt-{now:%Y%m%d-%H%M%S}"
    target = path.with_name(stem)
    counter = 1
    while any(p.exists() for p in _companions(target)):
        counter += 1
        target = path.with_name(f"{stem}-{counter}")
    with translate_faults("Cannot set the damaged practice history aside", path):
        for source, destination in zip(_companions(path), _companions(target), strict=True):
            if source.exists():
                source.rename(destination)
    return target


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    # The history opens in a worker thread and is then handed to the GUI thread: a connection
    # may change threads, but it is never used by two at once.
    connection = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {busy_timeout_ms:d}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB:d}")
    except BaseException:
        connection.close()
        raise
    return connection


def open_database(
    path: Path,
    *,
    now: Callable[[], datetime] = datetime.now,
    migrations: Sequence[Migration] = MIGRATIONS,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Database:
    """Open (creating or repairing) the history at ``path`` and migrate it to the latest schema.

    Raises DatabaseTooNew (file untouched) or StorageUnavailable (environment fault).
    """
    notices: list[str] = []
    with translate_faults(WRITE_ACTION, path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = _inspect(path, migrations[-1].version)
        if problem is not None:
            aside = move_aside(path, now())
            notices.append(
                f"Your practice history could not be read ({problem}). The file was kept as "
                f"{aside} and a new, empty history was started."
            )
    with translate_faults(WRITE_ACTION, path):
        connection = _connect(path, busy_timeout_ms)
        try:
            migrate(connection, path, migrations)
        except BaseException:
            connection.close()
            raise
    return Database(connection, path, notices)


def backup_daily(db: Database, backups_dir: Path, today: date, keep: int = BACKUPS_KEPT) -> Path | None:
    """Copy the database once per day with the SQLite backup API; keep the newest ``keep`` copies.

    Returns the new backup, or None when today's already exists.
    """
    target = backups_dir / f"{_BACKUP_PREFIX}{today.isoformat()}{_BACKUP_SUFFIX}"
    if target.exists():
        return None
    partial = target.with_name(target.name + ".partial")
    with translate_faults("Cannot back up the practice history", backups_dir):
        backups_dir.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)  # our own leftover from an interrupted backup
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            db.connection.backup(copy)
            # A backup is one self-contained file: no -wal next to it.
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        os.replace(partial, target)
        for old in list_backups(backups_dir)[:-keep]:
            old.unlink()
    return target


def list_backups(backups_dir: Path) -> list[Path]:
    """Daily backups, oldest first."""
    if not backups_dir.is_dir():
        return []
    return sorted(
        p
        for p in backups_dir.glob(f"{_BACKUP_PREFIX}*{_BACKUP_SUFFIX}")
        if _is_backup_date(p.name[len(_BACKUP_PREFIX) : -len(_BACKUP_SUFFIX)])
    )


def _is_backup_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
