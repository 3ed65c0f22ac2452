"""The history database file: open, check, migrate, back up.

Opening never destroys data. A file that is newer than this code is refused and left
byte-for-byte as it was. A file that SQLite cannot read, or that fails the integrity
check, is renamed aside with a timestamp (with its ``-wal``/``-shm``/``-journal``
companions, so the copy still opens with everything it had) and a fresh database is
started; the returned :class:`Database` carries a notice naming the copy.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from acupressure_desktop import fileio
from acupressure_desktop.fileio import PRIVATE_FILE, make_private, make_private_dir
from acupressure_desktop.storage.errors import (
    DatabaseTooNew,
    StorageUnavailable,
    environment_fault,
    sqlite_code,
    summarise,
    translate_faults,
)

log = logging.getLogger(__name__)

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

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        notices: Sequence[str] = (),
        *,
        read_only: bool = False,
    ) -> None:
        self.connection = connection
        self.path = path
        self.notices: tuple[str, ...] = tuple(notices)
        self.read_only = read_only  # the folder or the file cannot be written: reading and exports only
        self.identity = file_identity(path)
        self.busy_timeout_ms = BUSY_TIMEOUT_MS

    def reconnect(self) -> None:
        """Open the file now at ``path`` (recreated after it was deleted) in place of the old one.

        Raises StorageUnavailable; the old connection is kept then.
        """
        with translate_faults(WRITE_ACTION, self.path):
            connection = _connect(self.path, self.busy_timeout_ms)
        old, self.connection = self.connection, connection
        self.identity = file_identity(self.path)
        with suppress(sqlite3.Error):
            old.close()

    def replaced(self) -> bool:
        """True when the file at ``path`` is no longer the one this connection has open
        (deleted or swapped while the app ran): writes would go to a file nobody can see."""
        return self.identity is not None and file_identity(self.path) != self.identity

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


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``, None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


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


def _inspect(path: Path, latest: int, migrations: Sequence[Migration] = MIGRATIONS) -> str | None:
    """Why an existing file cannot be used as the history (None: it can), read-only.

    Raises DatabaseTooNew, or StorageUnavailable for environment faults.
    """
    try:
        check = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        _raise_fault_or_bug(exc, path)
    try:
        return _inspect_connection(check, path, latest, migrations)
    finally:
        check.close()


def _inspect_connection(
    check: sqlite3.Connection, path: Path, latest: int, migrations: Sequence[Migration]
) -> str | None:
    try:
        version = schema_version(check)
        if version > latest:
            raise DatabaseTooNew(_too_new_message(path, version, latest))
        foreign = _foreign_schema(check, version, migrations)
        if foreign is not None:
            return foreign
        result = [row[0] for row in check.execute("PRAGMA quick_check(100)")]
        if result != ["ok"]:
            # quick_check's report starts with a "*** in database main ***" heading: not a problem.
            lines = [line for row in result for line in str(row).splitlines() if not line.startswith("*** in ")]
            log.warning("integrity check of %s failed:\n%s", path, "\n".join(lines))
            return f"the integrity check failed: {summarise(lines)}"
        return None
    except sqlite3.DatabaseError as exc:
        if sqlite_code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return str(exc)
        _raise_fault_or_bug(exc, path)


def _tables(connection: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Table name -> column names, SQLite's own tables left out."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: tuple(row[1] for row in connection.execute(f"PRAGMA table_info({_quote(name)})")) for name in names}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_EXPECTED: dict[tuple[int, tuple[Migration, ...]], dict[str, tuple[str, ...]]] = {}


def expected_tables(version: int, migrations: Sequence[Migration] = MIGRATIONS) -> dict[str, tuple[str, ...]]:
    """The tables and columns our schema has at ``version`` (built once in memory)."""
    key = (version, tuple(migrations))
    if key not in _EXPECTED:
        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            for step in migrations:
                if step.version > version:
                    break
                for statement in step.statements:
                    memory.execute(statement)
            _EXPECTED[key] = _tables(memory)
        finally:
            memory.close()
    return _EXPECTED[key]


def _foreign_schema(connection: sqlite3.Connection, version: int, migrations: Sequence[Migration]) -> str | None:
    """Why the file is not an Acupressure Desktop history (None: it is, or it is empty), read-only."""
    found = _tables(connection)
    if not found and version == 0:
        return None  # an empty file: a new history
    if found == expected_tables(version, migrations):
        return None
    names = ", ".join(sorted(found)[:5]) + (", …" if len(found) > 5 else "")
    what = f"tables {names}" if found else "no tables"
    return f"it is an SQLite database of another program ({what}; user_version {version}), not a practice history"


def _raise_fault_or_bug(exc: sqlite3.Error, path: Path) -> NoReturn:
    fault = environment_fault(exc, READ_ACTION, path)
    if fault is None:
        raise exc
    raise fault from exc


def _companions(path: Path) -> list[Path]:
    return [path, *(path.with_name(path.name + suffix) for suffix in _COMPANIONS)]


def move_aside(path: Path, now: datetime) -> Path:
    """Rename ``path`` and its companions to ``<name>.corrupt-YYYYmmdd-HHMMSS``; never overwrite."""
    with translate_faults("Cannot set the damaged practice history aside", path):
        return fileio.move_aside(path, "corrupt", now, _COMPANIONS)


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


def _check_is_file(path: Path) -> None:
    """A folder (or a pipe, a device) where the history file should be is named as such."""
    try:
        info = os.stat(path)
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise StorageUnavailable(
            f"{READ_ACTION}: {path} is a folder, not the history file. Move or rename that folder."
        )
    if not stat.S_ISREG(info.st_mode):
        raise StorageUnavailable(f"{READ_ACTION}: {path} is not a regular file. Move it away.")


def writable(folder: Path) -> bool:
    """Whether the app can create files in ``folder`` (False on a read-only disk or folder)."""
    return os.access(folder, os.W_OK | os.X_OK)


def _create_private(path: Path) -> None:
    """Create an empty history file 0600 before SQLite does (SQLite gives its -wal/-shm the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    os.close(fd)


def open_database(
    path: Path,
    *,
    now: Callable[[], datetime] = datetime.now,
    migrations: Sequence[Migration] = MIGRATIONS,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    read_only: bool | None = None,
) -> Database:
    """Open (creating or repairing) the history at ``path`` and migrate it to the latest schema.

    Nothing is written to (nor any pragma set on) a file before its schema is recognised as ours.
    ``read_only`` None: decided by whether the folder can be written; a read-only history can be
    read and exported, never changed. Raises DatabaseTooNew (file untouched) or
    StorageUnavailable (environment fault, with the real cause named).
    """
    notices: list[str] = []
    _check_is_file(path)
    if read_only is None:
        read_only = path.parent.is_dir() and not (
            writable(path.parent) and (not path.exists() or os.access(path, os.W_OK))
        )
    if read_only:
        return _open_read_only(path, migrations, busy_timeout_ms)
    with translate_faults(WRITE_ACTION, path.parent):
        make_private_dir(path.parent)
    if path.exists():
        problem = _inspect(path, migrations[-1].version, migrations)
        if problem is not None:
            aside = move_aside(path, now())
            notices.append(
                f"Your practice history could not be read ({problem}). The file was kept as "
                f"{aside} and a new, empty history was started."
            )
    with translate_faults(WRITE_ACTION, path):
        _create_private(path)
        for companion in _companions(path):
            make_private(companion)
        connection = _connect(path, busy_timeout_ms)
        try:
            migrate(connection, path, migrations)
        except BaseException:
            connection.close()
            raise
    db = Database(connection, path, notices)
    db.busy_timeout_ms = busy_timeout_ms
    return db


def _open_read_only(path: Path, migrations: Sequence[Migration], busy_timeout_ms: int) -> Database:
    if not path.exists():
        raise StorageUnavailable(
            f"{READ_ACTION}: the folder {path.parent} is read-only and holds no history yet "
            "(the disk is read-only or the folder is not yours to write)."
        )
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with translate_faults(READ_ACTION, path):
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_timeout_ms / 1000)
        try:
            schema_version(connection)
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        except sqlite3.OperationalError:
            # A WAL file whose index (-shm) cannot be created here: read the file as it is.
            connection.close()
            connection = sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None)
    try:
        problem = _inspect_connection(connection, path, migrations[-1].version, migrations)
        if problem is None and schema_version(connection) != migrations[-1].version:
            problem = "it needs an upgrade, which a read-only folder does not allow"
    except BaseException:
        connection.close()
        raise
    if problem is not None:
        connection.close()
        raise StorageUnavailable(
            f"{READ_ACTION}: {problem} ({path}). The folder is read-only, so it was left as it is."
        )
    connection.execute("PRAGMA query_only = ON")
    notice = (
        f"Your practice history is open read-only: {path.parent} cannot be written (a read-only disk or "
        "folder). You can look at it and export it; new sessions and changes are not saved."
    )
    return Database(connection, path, [notice], read_only=True)


def backup_daily(db: Database, backups_dir: Path, today: date, keep: int = BACKUPS_KEPT) -> Path | None:
    """Copy the database once per day with the SQLite backup API; keep the newest ``keep`` copies.

    Returns the new backup, or None when today's already exists.
    """
    target = backups_dir / f"{_BACKUP_PREFIX}{today.isoformat()}{_BACKUP_SUFFIX}"
    if target.exists():
        return None
    partial = target.with_name(target.name + ".partial")
    with translate_faults("Cannot back up the practice history", backups_dir):
        make_private_dir(backups_dir)
        partial.unlink(missing_ok=True)  # our own leftover from an interrupted backup
        _create_private(partial)
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
