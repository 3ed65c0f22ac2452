"""The session recorder: throttled writes, forced writes, a full or read-only disk, and kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.errors import StorageUnavailable
from acupressure_desktop.storage.history import HistoryRepository, Status, open_history
from acupressure_desktop.storage.recorder import SAVE_INTERVAL, SessionRecorder
from tests.historydata import TZ, Clock, Monotonic, generate_sessions


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def monotonic() -> Monotonic:
    return Monotonic()


@pytest.fixture
def repo(tmp_path: Path, clock: Clock) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=clock, tz=TZ)
    yield repository
    repository.db.close()


@pytest.fixture
def problems() -> list[str | None]:
    return []


@pytest.fixture
def recorder(repo: HistoryRepository, monotonic: Monotonic, problems: list[str | None]) -> SessionRecorder:
    return SessionRecorder(repo, monotonic=monotonic, on_problem=problems.append)


def _on_disk(repo: HistoryRepository) -> tuple[str, int, int] | None:
    """(status, practised, steps done) of the only session, as another process would read it."""
    other = sqlite3.connect(repo.db.path)
    try:
        row = other.execute("SELECT status, practised_seconds, steps_done FROM sessions").fetchone()
    finally:
        other.close()
    return None if row is None else (row[0], row[1], row[2])


def _tick(recorder: SessionRecorder, monotonic: Monotonic, clock: Clock, practised: int, steps: int = 0) -> None:
    monotonic.advance(1)
    clock.advance(1)
    recorder.progress(practised, steps)


def test_begin_writes_the_session_at_once(recorder: SessionRecorder, repo: HistoryRepository) -> None:
    session_id = recorder.begin("neck-release", "Neck release", 300, 4, rating_label="Neck tension", before_rating=6)
    assert _on_disk(repo) == ("running", 0, 0)
    stored = repo.get(session_id)
    assert stored is not None
    assert (stored.before_rating, stored.rating_label) == (6, "Neck tension")
    assert recorder.running
    assert recorder.problem is None


def test_progress_is_written_at_most_every_interval(
    recorder: SessionRecorder, repo: HistoryRepository, monotonic: Monotonic, clock: Clock
) -> None:
    recorder.begin("neck-release", "Neck release", 300, 4)
    for second in range(1, int(SAVE_INTERVAL)):
        _tick(recorder, monotonic, clock, second)
        assert _on_disk(repo) == ("running", 0, 0)
    _tick(recorder, monotonic, clock, 5)
    assert _on_disk(repo) == ("running", 5, 0)
    _tick(recorder, monotonic, clock, 6)
    assert _on_disk(repo) == ("running", 5, 0)


def test_a_forced_write_goes_through_at_once(
    recorder: SessionRecorder, repo: HistoryRepository, monotonic: Monotonic
) -> None:
    recorder.begin("neck-release", "Neck release", 300, 4)
    monotonic.advance(0.5)
    recorder.progress(30, 1, force=True)  # a step boundary
    assert _on_disk(repo) == ("running", 30, 1)


def test_end_writes_the_final_state_and_checkin_follows(
    recorder: SessionRecorder, repo: HistoryRepository, clock: Clock
) -> None:
    session_id = recorder.begin("neck-release", "Neck release", 300, 4, before_rating=7)
    clock.advance(200)
    recorder.end(Status.STOPPED, 190, 3)
    assert _on_disk(repo) == ("stopped", 190, 3)
    assert not recorder.running
    recorder.checkin(after_rating=4, note="better")
    stored = repo.get(session_id)
    assert stored is not None
    assert (stored.before_rating, stored.after_rating, stored.note, stored.status) == (7, 4, "better", Status.STOPPED)


def test_misuse_is_refused(recorder: SessionRecorder) -> None:
    with pytest.raises(RuntimeError, match="begin"):
        recorder.progress(1, 0)
    with pytest.raises(RuntimeError, match="no session"):
        recorder.checkin(after_rating=3)
    recorder.begin("neck-release", "Neck release", 300, 4)
    with pytest.raises(RuntimeError, match="already"):
        recorder.begin("neck-release", "Neck release", 300, 4)
    with pytest.raises(ValueError, match="final status"):
        recorder.end(Status.RUNNING, 1, 0)
    with pytest.raises(ValueError, match="outside 0–10"):
        recorder.checkin(before_rating=12)


def test_a_read_only_disk_keeps_the_session_going_and_saves_the_latest_state_later(
    recorder: SessionRecorder,
    repo: HistoryRepository,
    monotonic: Monotonic,
    clock: Clock,
    problems: list[str | None],
) -> None:
    recorder.begin("neck-release", "Neck release", 300, 4)
    repo.db.connection.execute("PRAGMA query_only = ON")  # writes now fail like on a read-only disk
    recorder.progress(20, 1, force=True)
    assert recorder.problem is not None
    assert "read-only" in recorder.problem
    assert "goes on" in recorder.problem
    assert recorder.unsaved
    for second in range(21, 40):
        _tick(recorder, monotonic, clock, second, 2)  # no exception: the session runs on
    assert _on_disk(repo) == ("running", 0, 0)

    repo.db.connection.execute("PRAGMA query_only = OFF")  # the disk is back
    _tick(recorder, monotonic, clock, 40, 2)
    recorder.progress(41, 2)  # within the interval: no write attempt yet
    monotonic.advance(SAVE_INTERVAL)
    recorder.progress(45, 3)
    assert _on_disk(repo) == ("running", 45, 3)
    assert recorder.problem is None
    assert not recorder.unsaved
    assert problems == [problems[0], None]  # told once when it broke, once when it mended


def test_a_full_disk_at_the_start_does_not_lose_the_session(
    recorder: SessionRecorder, repo: HistoryRepository, monotonic: Monotonic, clock: Clock
) -> None:
    conn = repo.db.connection
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    for filler in generate_sessions(2000, days=30):  # fill what room is left, row by row
        try:
            repo.add_sessions([filler])
        except StorageUnavailable:
            break
    else:
        pytest.fail("the database never filled up")
    session_id = recorder.begin("neck-release", "Neck release", 300, 4)
    assert recorder.problem is not None
    assert "disk is full" in recorder.problem
    recorder.progress(30, 1, force=True)
    recorder.end(Status.COMPLETED, 300, 4)
    assert repo.get(session_id) is None

    conn.execute("PRAGMA max_page_count = 1000000")
    assert recorder.retry() is True
    saved = repo.get(session_id)
    assert saved is not None
    assert (saved.status, saved.practised_seconds, saved.steps_done) == (Status.COMPLETED, 300, 4)


def test_unsaved_sessions_are_kept_across_sessions(recorder: SessionRecorder, repo: HistoryRepository) -> None:
    repo.db.connection.execute("PRAGMA query_only = ON")
    first = recorder.begin("neck-release", "Neck release", 300, 4)
    recorder.end(Status.COMPLETED, 300, 4)
    second = recorder.begin("calm-evening", "Calm evening", 200, 3)
    repo.db.connection.execute("PRAGMA query_only = OFF")
    recorder.progress(10, 1, force=True)
    assert repo.get(first) is not None
    assert repo.get(second) is not None


CRASHING_SESSION = """
import os, signal, sys
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.history import open_history
from acupressure_desktop.storage.recorder import SessionRecorder

class Monotonic:
    value = 0.0
    def __call__(self):
        return self.value

opened = open_history(AppPaths.resolve(sys.argv[1]))
monotonic = Monotonic()
recorder = SessionRecorder(opened.repository, monotonic=monotonic)
recorder.begin("neck-release", "Neck release", 300, 4)
for second in range(1, 24):
    monotonic.value = float(second)
    recorder.progress(second, second // 10, force=(second == 10))
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_9_loses_at_most_the_save_interval(app_paths: AppPaths) -> None:
    home = app_paths.data.parent
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CRASHING_SESSION), str(home)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()

    opened = open_history(app_paths, tz=TZ)
    try:
        assert opened.interrupted == 1
        (session,) = opened.repository.list_sessions()
    finally:
        opened.repository.db.close()
    assert session.status is Status.INTERRUPTED
    assert 23 - SAVE_INTERVAL <= session.practised_seconds <= 23
    assert session.steps_done == 2
