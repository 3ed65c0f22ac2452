"""The database file: pragmas, migrations, refusal of newer files, corrupt files set aside, backups."""

from __future__ import annotations

import errno
import hashlib
import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from acupressure_desktop.storage.db import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    backup_daily,
    list_backups,
    migrate,
    move_aside,
    open_database,
    schema_version,
)
from acupressure_desktop.storage.errors import DatabaseTooNew, StorageUnavailable, environment_fault
from acupressure_desktop.storage.history import HistoryRepository
from tests.historydata import TZ, Clock, generate_sessions, make_session, start_running

STAMP = datetime(2024, 6, 12, 8, 30, 5)


def _fingerprint(folder: Path) -> dict[str, str]:
    """Hashes of the files that hold data; ``-shm`` is SQLite's shared-memory index, which any reader updates."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if not p.name.endswith("-shm")
    }


def _schema(connection: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return list(connection.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name"))


def test_new_database_uses_wal_strict_tables_and_foreign_keys(tmp_path: Path) -> None:
    with open_database(tmp_path / "h.sqlite3") as db:
        conn = db.connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert schema_version(conn) == LATEST_VERSION
        tables = {name: strict for _, name, kind, _, _, strict in conn.execute("PRAGMA table_list") if kind == "table"}
        assert tables["sessions"] == 1
        assert tables["routines"] == 1
        assert db.notices == ()


def test_foreign_key_from_session_to_routine_is_enforced(tmp_path: Path) -> None:
    with open_database(tmp_path / "h.sqlite3") as db, pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.connection.execute(
            "INSERT INTO sessions (id, routine, started_at, local_date, ended_at, planned_seconds, "
            "steps_total, status) VALUES (randomblob(16), 42, 0, '2024-01-01', 0, 60, 2, 'completed')"
        )


def test_migrations_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST_VERSION >= 2


def _seed(conn: sqlite3.Connection, version: int) -> None:
    """Rows in the shape of schema ``version``: what a person of that release had saved."""
    if version >= 1:
        conn.execute("INSERT INTO routines (key, id, title) VALUES (1, 'neck-release', 'Neck release')")
        conn.execute(
            "INSERT INTO sessions (id, routine, started_at, local_date, ended_at, planned_seconds, "
            "practised_seconds, steps_total, steps_done, status) VALUES "
            "(X'00112233445566778899AABBCCDDEEFF', 1, 1718000000, '2024-06-10', 1718000300, 300, 290, 4, 4, "
            "'completed')"
        )


@pytest.mark.parametrize("start", range(LATEST_VERSION))
def test_upgrade_from_every_earlier_version_keeps_the_data(tmp_path: Path, start: int) -> None:
    path = tmp_path / "h.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    if start:
        migrate(old, path, MIGRATIONS[:start])
    _seed(old, start)
    old.close()

    with open_database(path) as db:
        assert schema_version(db.connection) == LATEST_VERSION
        sessions = HistoryRepository(db, tz=TZ).list_sessions()
        fresh = open_database(tmp_path / "fresh.sqlite3")
        assert _schema(db.connection) == _schema(fresh.connection)
        fresh.close()
    if start >= 1:
        (session,) = sessions
        assert session.id == "00112233-4455-6677-8899-aabbccddeeff"
        assert session.routine_title == "Neck release"
        assert session.practised_seconds == 290
        assert session.note == ""
        assert session.before_rating is None
    else:
        assert sessions == []


def test_a_failing_migration_rolls_back_its_whole_step(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    open_database(path).close()
    broken = (
        *MIGRATIONS,
        Migration(
            LATEST_VERSION + 1,
            "broken",
            ("CREATE TABLE extra (x INTEGER) STRICT", "INSERT INTO no_such_table VALUES (1)"),
        ),
    )
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        open_database(path, migrations=broken)
    with open_database(path) as db:
        assert schema_version(db.connection) == LATEST_VERSION
        names = {row[0] for row in db.connection.execute("SELECT name FROM sqlite_schema")}
        assert "extra" not in names


def _kill_mid_write(path: Path) -> None:
    """Leave a WAL with committed frames behind, as a killed process would."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE future (x INTEGER)")
    conn.execute("INSERT INTO future VALUES (1)")
    # Copy the files while this connection still holds them open: the copy is what a crash leaves.
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        Path(str(path.with_name("crashed.sqlite3")) + suffix).write_bytes(source.read_bytes())
    conn.close()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal-left-by-a-crash"])
def test_a_newer_database_is_refused_and_not_touched(tmp_path: Path, wal: bool) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "history.sqlite3"
    if wal:
        _kill_mid_write(tmp_path / "source.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).write_bytes(Path(str(tmp_path / "crashed.sqlite3") + suffix).read_bytes())
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE future (x INTEGER)")
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
        conn.close()
    before = _fingerprint(folder)

    with pytest.raises(DatabaseTooNew) as caught:
        open_database(path)

    message = str(caught.value)
    assert str(path) in message
    assert "newer version" in message
    assert "not changed" in message
    assert f"reads up to {LATEST_VERSION}" in message
    assert _fingerprint(folder) == before


def test_a_file_of_random_bytes_is_moved_aside_with_its_companions(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    junk = random.Random(1).randbytes(16384)
    path.write_bytes(junk)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    Path(f"{path}-shm").write_bytes(b"shm bytes")

    with open_database(path, now=lambda: STAMP) as db:
        aside = tmp_path / "history.sqlite3.corrupt-20240612-083005"
        assert aside.read_bytes() == junk
        assert Path(f"{aside}-wal").read_bytes() == b"wal bytes"
        assert Path(f"{aside}-shm").exists()  # an index SQLite rebuilds; its bytes do not matter
        (notice,) = db.notices
        assert str(aside) in notice
        assert "new, empty history" in notice
        assert schema_version(db.connection) == LATEST_VERSION  # a fresh, working database
        HistoryRepository(db, clock=Clock(), tz=TZ).add_sessions([make_session()])


def test_a_truncated_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with open_database(path) as db:
        HistoryRepository(db, tz=TZ).add_sessions(generate_sessions(3000, days=400))
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])

    with open_database(path, now=lambda: STAMP) as db:
        aside = tmp_path / "history.sqlite3.corrupt-20240612-083005"
        assert aside.read_bytes() == whole[: len(whole) // 2]
        assert "could not be read" in db.notices[0]
        assert HistoryRepository(db, tz=TZ).count() == 0


def test_another_programs_database_is_moved_aside_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sessions (whatever TEXT)")
    conn.commit()
    conn.close()
    with open_database(path, now=lambda: STAMP) as db:
        assert "another program" in db.notices[0]
    assert (tmp_path / "history.sqlite3.corrupt-20240612-083005").exists()


def test_an_empty_file_becomes_a_new_history_without_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.touch()
    with open_database(path) as db:
        assert db.notices == ()
        assert schema_version(db.connection) == LATEST_VERSION


def test_moving_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    earlier = tmp_path / "history.sqlite3.corrupt-20240612-083005"
    earlier.write_bytes(b"first copy")
    path.write_bytes(b"second")
    target = move_aside(path, STAMP)
    assert target.name == "history.sqlite3.corrupt-20240612-083005-2"
    assert earlier.read_bytes() == b"first copy"
    assert target.read_bytes() == b"second"
    assert not path.exists()


def test_a_database_that_opens_fine_is_kept_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with open_database(path) as db:
        HistoryRepository(db, tz=TZ).add_sessions([make_session()])
    with open_database(path) as db:
        assert db.notices == ()
        assert HistoryRepository(db, tz=TZ).count() == 1
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []


# -- backups ----------------------------------------------------------------------------------


def test_daily_backup_once_a_day_keeping_the_last_seven(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    unrelated = backups / "my-notes.txt"
    unrelated.write_text("keep me")
    with open_database(tmp_path / "h.sqlite3") as db:
        HistoryRepository(db, tz=TZ).add_sessions([make_session()])
        first = date(2024, 6, 1)
        made = [backup_daily(db, backups, first + timedelta(days=n)) for n in range(9)]
        assert all(path is not None for path in made)
        assert backup_daily(db, backups, first + timedelta(days=8)) is None  # already done today

    kept = list_backups(backups)
    assert [p.name for p in kept] == [f"history-2024-06-{day:02d}.sqlite3" for day in range(3, 10)]
    assert unrelated.read_text() == "keep me"
    assert not list(backups.glob("*.partial"))
    copy = sqlite3.connect(kept[-1])
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert copy.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    copy.close()


def test_backup_into_an_unwritable_place_is_an_environment_fault(tmp_path: Path) -> None:
    blocker = tmp_path / "backups"
    blocker.write_text("a file where the folder should be")
    with (
        open_database(tmp_path / "h.sqlite3") as db,
        pytest.raises(StorageUnavailable, match="a file stands where a folder should be"),
    ):
        backup_daily(db, blocker / "inner", date(2024, 6, 1))


# -- environment faults versus bugs -----------------------------------------------------------


def test_disk_full_becomes_storage_unavailable(tmp_path: Path) -> None:
    with open_database(tmp_path / "h.sqlite3") as db:
        pages = db.connection.execute("PRAGMA page_count").fetchone()[0]
        db.connection.execute(f"PRAGMA max_page_count = {pages}")
        repo = HistoryRepository(db, clock=Clock(), tz=TZ)
        with pytest.raises(StorageUnavailable, match="the disk is full") as caught:
            repo.add_sessions(generate_sessions(500, days=30))
        assert "Cannot save the practice history" in str(caught.value)
        db.connection.execute("PRAGMA max_page_count = 1000000")
        assert repo.count() == 0  # the failed transaction left nothing behind


def test_read_only_becomes_storage_unavailable(tmp_path: Path) -> None:
    with open_database(tmp_path / "h.sqlite3") as db:
        db.connection.execute("PRAGMA query_only = ON")
        with pytest.raises(StorageUnavailable, match="read-only"):
            start_running(HistoryRepository(db, clock=Clock(), tz=TZ))


def test_a_lock_held_by_another_program_becomes_storage_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with open_database(path, busy_timeout_ms=50) as db:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StorageUnavailable, match="another program"):
                start_running(HistoryRepository(db, clock=Clock(), tz=TZ), title="Neck")
        finally:
            other.execute("ROLLBACK")
            other.close()


def test_a_bug_stays_a_plain_sqlite_error(tmp_path: Path) -> None:
    with open_database(tmp_path / "h.sqlite3") as db:
        with pytest.raises(sqlite3.OperationalError), db.transaction() as conn:
            conn.execute("SELECT no_such_column FROM sessions")
        assert not db.connection.in_transaction


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission denied")],
)
def test_os_errors_of_the_environment_are_named(code: int, words: str) -> None:
    fault = environment_fault(OSError(code, "x"), "Cannot back up", Path("/x/backups"))
    assert fault is not None
    assert words in str(fault)
    assert "/x/backups" in str(fault)
    assert environment_fault(OSError(errno.EBADF, "x"), "Cannot", Path("/x")) is None
    assert environment_fault(ValueError("x"), "Cannot", Path("/x")) is None
