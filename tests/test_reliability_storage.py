"""The history database under faults: locked, full, deleted, foreign, a folder, read-only, other users.

The scenario classes of docs/reliability.md ("The history database under faults", "Permissions").
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import time as datetime_time
from pathlib import Path

import pytest

from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.commands import export_command, import_command
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.errors import StorageUnavailable, summarise, translate_faults
from acupressure_desktop.storage.history import HistoryRepository, Session, Status, open_history
from acupressure_desktop.storage.recorder import SessionRecorder
from acupressure_desktop.storage.recovery import (
    close_recorder,
    import_recovered,
    pending_recovery_files,
    restore_backup,
    save_unsaved,
)
from acupressure_desktop.storage.writer import SessionWriter
from tests.historydata import TZ, Clock, make_session

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

FAST = {"retry_first": 0.05, "retry_most": 0.2, "watch_interval": 0.1}


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _rows(path: Path) -> list[tuple[str, int, int]]:
    """(status, practised, steps done) of every session, as another program would read them."""
    other = sqlite3.connect(path)
    try:
        return list(other.execute("SELECT status, practised_seconds, steps_done FROM sessions ORDER BY started_at"))
    finally:
        other.close()


@pytest.fixture
def opened(app_paths: AppPaths) -> Iterator[tuple[AppPaths, HistoryRepository]]:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    yield app_paths, history.repository
    history.repository.db.close()


def _writer_recorder(
    paths: AppPaths, repository: HistoryRepository, problems: list[str | None], **options: object
) -> SessionRecorder:
    def open_repository() -> HistoryRepository:
        return HistoryRepository(open_database(paths.history_db, busy_timeout_ms=50), clock=repository.now, tz=TZ)

    writer = SessionWriter(open_repository, on_problem=problems.append, **{**FAST, **options})  # type: ignore[arg-type]
    return SessionRecorder(repository, writer=writer)


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[sqlite3.Connection]:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield other
    finally:
        with contextlib.suppress(sqlite3.Error):
            other.execute("ROLLBACK")
        other.close()


# -- locked, full: never block, never lose ---------------------------------------------------------


def test_a_locked_history_never_blocks_the_caller_and_is_saved_once_released(
    opened: tuple[AppPaths, HistoryRepository],
) -> None:
    paths, repository = opened
    problems: list[str | None] = []
    recorder = _writer_recorder(paths, repository, problems)
    with exclusive_lock(paths.history_db):
        started = time.monotonic()
        recorder.begin("neck-release", "Neck release", 120, 2)
        for second in range(1, 60):
            recorder.progress(second, second // 60, force=True)
        recorder.end(Status.COMPLETED, 120, 2)
        assert time.monotonic() - started < 0.5  # 61 writes asked for, none waited for the lock
        wait_for(lambda: recorder.problem is not None)
        assert "another program is using the file" in (recorder.problem or "")
        assert recorder.unsaved
    assert recorder.writer is not None
    assert recorder.writer.wait_saved(10)
    assert _rows(paths.history_db) == [("completed", 120, 2)]
    wait_for(lambda: problems[-1:] == [None])  # told when it is saved again
    assert recorder.close() == []


class _DiskThatFills(HistoryRepository):
    """A repository whose disk is full while ``full`` is set (SQLite's own full-disk error)."""

    full = threading.Event()

    def save(self, session: Session) -> None:
        if self.full.is_set():
            with translate_faults("Cannot save the practice history", self.db.path):
                raise sqlite3.OperationalError("database or disk is full")  # what SQLite raises
        super().save(session)


def test_the_windows_own_connection_gives_up_fast_under_a_lock(opened: tuple[AppPaths, HistoryRepository]) -> None:
    paths, repository = opened
    session = make_session()
    repository.add_sessions([session])
    with exclusive_lock(paths.history_db):
        assert repository.count() == 1  # reading goes on under another program's write lock (WAL)
        started = time.monotonic()
        with pytest.raises(StorageUnavailable, match="another program is using the file"):
            repository.set_checkin(session.id, 3, 2, "edit")  # an edit from the History page
        assert time.monotonic() - started < 1.5  # 250 ms busy timeout, not 3 s or more


def test_a_full_disk_at_the_end_keeps_the_completed_session_and_saves_it_when_space_returns(
    opened: tuple[AppPaths, HistoryRepository], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, repository = opened
    problems: list[str | None] = []
    _DiskThatFills.full.clear()

    def open_filling() -> HistoryRepository:
        return _DiskThatFills(open_database(paths.history_db, busy_timeout_ms=50), clock=repository.now, tz=TZ)

    monkeypatch.setattr(
        "acupressure_desktop.storage.errors.sqlite_code", lambda exc: sqlite3.SQLITE_FULL
    )  # the injected error carries no code of its own
    writer = SessionWriter(open_filling, on_problem=problems.append, **FAST)
    recorder = SessionRecorder(repository, writer=writer)
    recorder.begin("neck-release", "Neck release", 120, 2)
    assert writer.wait_saved(10)
    _DiskThatFills.full.set()  # the disk fills up during the routine
    recorder.progress(30, 1, force=True)
    recorder.end(Status.COMPLETED, 120, 2)
    wait_for(lambda: "disk is full" in (recorder.problem or ""))
    assert _rows(paths.history_db) == [("running", 0, 0)]
    _DiskThatFills.full.clear()  # space freed before quitting
    assert writer.wait_saved(10)
    assert _rows(paths.history_db) == [("completed", 120, 2)]  # not "interrupted, 30 s"
    wait_for(lambda: problems[-1:] == [None])
    recorder.close()


def test_quitting_with_an_unsaved_session_keeps_it_in_a_recovery_file_the_next_start_imports(
    app_paths: AppPaths,
) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    problems: list[str | None] = []
    recorder = _writer_recorder(app_paths, history.repository, problems)
    with exclusive_lock(app_paths.history_db):
        session_id = recorder.begin("neck-release", "Neck release", 120, 2, before_rating=6)
        recorder.end(Status.COMPLETED, 120, 2)
        recorder.checkin(after_rating=3, note="lighter")
        message = close_recorder(recorder, app_paths, timeout=0.5)
    history.repository.db.close()
    assert message is not None
    assert "added to the history at the next start" in message
    (file,) = pending_recovery_files(app_paths)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700

    again = open_history(app_paths, clock=Clock(), tz=TZ)
    try:
        assert any("could not be saved last time were added" in n for n in again.notices)
        stored = again.repository.get(session_id)
        assert stored is not None
        assert (stored.status, stored.practised_seconds, stored.after_rating, stored.note) == (
            Status.COMPLETED,
            120,
            3,
            "lighter",
        )
    finally:
        again.repository.db.close()
    assert pending_recovery_files(app_paths) == []


def test_a_recovered_state_wins_over_the_older_row_a_crash_left(app_paths: AppPaths) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    running = make_session(status=Status.RUNNING, practised=30)
    history.repository.save(running)
    history.repository.db.close()
    save_unsaved([replace(running, status=Status.COMPLETED, practised_seconds=120)], app_paths)
    again = open_history(app_paths, clock=Clock(), tz=TZ)
    try:
        stored = again.repository.get(running.id)
        assert stored is not None
        assert (stored.status, stored.practised_seconds) == (Status.COMPLETED, 120)
    finally:
        again.repository.db.close()


def test_a_damaged_recovery_file_is_kept_and_named(opened: tuple[AppPaths, HistoryRepository]) -> None:
    paths, repository = opened
    folder = paths.data / "recovery"
    folder.mkdir()
    (folder / "unsaved-20240612-100000-abcdef12.json").write_text("{ not json")
    (notice,) = import_recovered(repository, paths)
    assert "could not be read back" in notice
    assert (folder / "unsaved-20240612-100000-abcdef12.json.unreadable").exists()


# -- deleted while running ---------------------------------------------------------------------------


def test_a_history_deleted_while_running_is_noticed_recreated_and_said(app_paths: AppPaths) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    assert history.backup is not None  # today's backup, offered later
    problems: list[str | None] = []
    replaced: list[str] = []

    def open_repository() -> HistoryRepository:
        return HistoryRepository(open_database(app_paths.history_db), clock=history.repository.now, tz=TZ)

    writer = SessionWriter(open_repository, on_problem=problems.append, on_replaced=replaced.append, **FAST)
    recorder = SessionRecorder(history.repository, writer=writer)
    recorder.begin("neck-release", "Neck release", 120, 2)
    assert writer.wait_saved(10)
    for companion in app_paths.data.glob("history.sqlite3*"):
        companion.unlink()  # someone deletes the file while a routine runs
    wait_for(lambda: bool(replaced))
    assert "was deleted while" in replaced[0]
    recorder.end(Status.COMPLETED, 120, 2)
    assert writer.wait_saved(10)
    assert _rows(app_paths.history_db) == [("completed", 120, 2)]  # in the new file, not a ghost
    history.repository.db.reconnect()  # what the window does when told
    assert history.repository.count() == 1
    recorder.close()
    history.repository.db.close()


def test_a_deletion_before_the_first_write_is_noticed_too(app_paths: AppPaths) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    history.repository.add_sessions([make_session()])
    replaced: list[str] = []
    for companion in app_paths.data.glob("history.sqlite3*"):
        companion.unlink()  # gone before the writer ever opened it

    def open_repository() -> HistoryRepository:
        return HistoryRepository(open_database(app_paths.history_db), clock=history.repository.now, tz=TZ)

    writer = SessionWriter(
        open_repository, on_replaced=replaced.append, identity=history.repository.db.identity, **FAST
    )
    try:
        wait_for(lambda: bool(replaced))
        assert "was deleted while" in replaced[0]
    finally:
        writer.close()
        history.repository.db.close()


def test_the_next_start_after_a_deletion_names_and_offers_the_latest_backup(app_paths: AppPaths) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    history.repository.add_sessions([make_session()])
    history.repository.db.close()
    day_after = Clock(Clock().now.replace(day=13))
    open_history(app_paths, clock=day_after, tz=TZ).repository.db.close()  # a backup holding the session
    for companion in app_paths.data.glob("history.sqlite3*"):
        companion.unlink()
    again = open_history(app_paths, clock=day_after, tz=TZ)
    try:
        assert again.restorable == app_paths.backups_dir / "history-2024-06-13.sqlite3"
        assert any("No practice history was found" in n and "history-2024-06-13" in n for n in again.notices)
        assert again.repository.count() == 0
        assert restore_backup(again.repository, again.restorable) == 1
        assert again.repository.count() == 1
        assert restore_backup(again.repository, again.restorable) == 0  # twice adds nothing
    finally:
        again.repository.db.close()


# -- files that are not ours, folders, damage ---------------------------------------------------------


def _fingerprint(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("version", [1, 2])
def test_another_programs_sqlite_file_is_never_written_and_is_named(tmp_path: Path, version: int) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with open_database(path) as db:
        (notice,) = db.notices
        assert "another program" in notice
        assert "contacts" in notice
        assert f"user_version {version}" in notice
    (aside,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert aside.read_bytes() == before  # byte for byte: no WAL switch, no migration
    assert not Path(f"{aside}-wal").exists()


def test_another_programs_file_does_not_stop_the_app_before_the_safety_notice(app_paths: AppPaths) -> None:
    conn = sqlite3.connect(app_paths.history_db)
    conn.execute("CREATE TABLE routines (whatever TEXT)")
    conn.execute("CREATE TABLE sessions (whatever TEXT)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    history = open_history(app_paths, clock=Clock(), tz=TZ)  # no raw OperationalError
    try:
        assert any("another program" in n for n in history.notices)
    finally:
        history.repository.db.close()


def test_a_folder_in_place_of_the_database_is_named(app_paths: AppPaths) -> None:
    app_paths.history_db.mkdir()
    with pytest.raises(StorageUnavailable, match="is a folder, not the history file"):
        open_history(app_paths)


def test_one_corrupted_page_gives_a_one_line_summary_and_logs_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.sqlite3"
    with open_database(path) as db:
        HistoryRepository(db, clock=Clock(), tz=TZ).add_sessions(
            [make_session(at=datetime_time(hour, minute)) for hour in range(24) for minute in range(0, 60, 2)]
        )
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = db.connection.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'sessions_by_day'").fetchone()
        page_size = db.connection.execute("PRAGMA page_size").fetchone()[0]
    raw = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    raw[start + 8 : start + page_size] = bytes([0x5A]) * (page_size - 8)  # one index page scrambled
    path.write_bytes(bytes(raw))
    with caplog.at_level("WARNING"), open_database(path) as db:
        (notice,) = db.notices
    assert "\n" not in notice
    assert len(notice) < 600
    assert "the integrity check failed: On tree page" in notice
    assert "more problems; the full report is in the log)" in notice
    (logged,) = [r.getMessage() for r in caplog.records if "integrity check" in r.getMessage()]
    assert logged.count("\n") >= 5  # the whole report, line by line


def test_summarise_keeps_one_line() -> None:
    lines = [f"Page {n}: btreeInitPage() returns error code 11" for n in range(74)]
    text = summarise(lines)
    assert text.startswith("Page 0: btreeInitPage()")
    assert "(and 73 more problems; the full report is in the log)" in text
    assert "\n" not in text


# -- a small disk: full at start-up; read-only ---------------------------------------------------------


@contextlib.contextmanager
def small_disk(where: Path, size: str = "1m") -> Iterator[Path]:
    where.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=False)
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


needs_mount = pytest.mark.skipif(
    os.name != "posix" or not IS_ROOT or shutil.which("mount") is None, reason="mounting a tmpfs needs root"
)


@needs_mount
def test_a_full_disk_at_start_up_says_the_disk_is_full(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "64k") as disk:
        paths = AppPaths.resolve(disk / "home")
        paths.ensure()
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as stream:
            while True:
                stream.write(b"\0" * 4096)
                stream.flush()
        with pytest.raises(StorageUnavailable, match="the disk is full"):
            open_history(paths)


@needs_mount
def test_a_read_only_data_folder_starts_read_only_and_exports_still_work(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "4m") as disk:
        paths = AppPaths.resolve(disk / "home")
        paths.ensure()
        history = open_history(paths, clock=Clock(), tz=TZ)
        history.repository.add_sessions([make_session()])
        history.repository.db.close()
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=False).returncode == 0
        assert paths.ensure() == [paths.data, paths.config, paths.state]  # no refusal: read-only is said
        history = open_history(paths, clock=Clock(), tz=TZ)
        try:
            assert history.read_only
            assert any("read-only" in n and "export" in n for n in history.notices)
            assert history.repository.count() == 1
            with pytest.raises(StorageUnavailable, match="read-only"):
                history.repository.add_sessions([make_session(day=make_session().local_date)])
        finally:
            history.repository.db.close()
        out, err = io.StringIO(), io.StringIO()
        assert export_command(paths, "csv", None, stdout=out, stderr=err) == 0, err.getvalue()
        assert out.getvalue().count("\n") == 2
        export = tmp_path / "export.json"
        assert export_command(paths, "json", str(export), stderr=err) == 0
        err = io.StringIO()
        assert import_command(paths, export, stderr=err) == 1
        assert "read-only" in err.getvalue()


def test_a_read_only_database_file_opens_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    with open_database(path) as db:
        HistoryRepository(db, tz=TZ).add_sessions([make_session()])
    with open_database(path, read_only=True) as db:
        assert db.read_only
        assert "open read-only" in db.notices[0]
        assert HistoryRepository(db, tz=TZ).count() == 1


# -- permissions: other users see nothing --------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_history_files_and_folders_are_private(app_paths: AppPaths) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    try:
        history.repository.add_sessions([make_session()])
        for file in [app_paths.history_db, *app_paths.data.glob("history.sqlite3-*"), *app_paths.backups_dir.iterdir()]:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        for folder in (app_paths.data, app_paths.config, app_paths.state, app_paths.backups_dir):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    finally:
        history.repository.db.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_made_public_by_an_older_version_are_tightened(app_paths: AppPaths) -> None:
    open_history(app_paths, clock=Clock(), tz=TZ).repository.db.close()
    os.chmod(app_paths.history_db, 0o644)
    os.chmod(app_paths.data, 0o755)
    app_paths.ensure()
    open_history(app_paths, clock=Clock(), tz=TZ).repository.db.close()
    assert stat.S_IMODE(app_paths.history_db.stat().st_mode) == 0o600
    assert stat.S_IMODE(app_paths.data.stat().st_mode) == 0o700


@pytest.mark.skipif(not hasattr(os, "setuid") or not IS_ROOT, reason="needs root to act as another user")
def test_another_user_cannot_read_the_ratings(app_paths: AppPaths) -> None:
    history = open_history(app_paths, clock=Clock(), tz=TZ)
    history.repository.add_sessions([make_session()])
    history.repository.db.close()
    for folder in (app_paths.data.parent, app_paths.data.parent.parent):
        os.chmod(folder, 0o755)  # the home folder itself is the person's business; ours are private
    probe = (
        "import os, sys\nos.setgid(65534); os.setuid(65534)\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n        open(p, 'rb').read(1); print('read', p)\n"
        "    except OSError: print('denied')\n"
    )
    targets = [str(app_paths.history_db), str(next(app_paths.backups_dir.iterdir()))]
    result = subprocess.run(
        [sys.executable, "-c", probe, *targets], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.stdout.split() == ["denied", "denied"], result


# -- the writer never dies of a bug -------------------------------------------------------------------


def test_a_writer_survives_a_bug_and_keeps_the_session(opened: tuple[AppPaths, HistoryRepository]) -> None:
    paths, repository = opened
    calls = {"n": 0}
    problems: list[str | None] = []

    def flaky() -> HistoryRepository:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return HistoryRepository(open_database(paths.history_db), clock=repository.now, tz=TZ)

    writer = SessionWriter(flaky, on_problem=problems.append, **FAST)
    writer.submit(make_session())
    assert writer.wait_saved(10)
    assert repository.count() == 1
    assert writer.close() == []
    assert "boom" in (problems[0] or "")
