"""Hostile and broken files: every file the app reads is bounded, every file it writes lands where it should.

The scenario classes of docs/reliability.md ("Reading files", "Writing files", "Bad data files").
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from acupressure_desktop.catalog.loader import CatalogError, load_catalog
from acupressure_desktop.fileio import (
    FileProblem,
    OutputRefused,
    clean_stale_temporaries,
    read_bounded,
    read_json,
    write_output,
    write_text_atomically,
)
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.session.library import RoutineError, RoutineLibrary
from acupressure_desktop.settings import Settings, load_settings, save_settings
from acupressure_desktop.storage.commands import export_command, import_command
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.exchange import ImportRefused, import_json
from acupressure_desktop.storage.history import HistoryRepository
from tests.historydata import TZ, Clock, make_session
from tests.minidata import write_minidata

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

ROOT = Path(__file__).parent.parent
DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE_INT = b'{"schema_version": ' + b"9" * 5000 + b"}"


def fixed_now() -> datetime:
    return datetime(2024, 3, 4, 10, 15)


def finishes(call: Callable[[], Any], seconds: float = 10.0) -> Any:
    """Run ``call`` and fail (instead of hanging the suite) when it does not return in time."""
    outcome: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    if failure:
        raise failure[0]
    return outcome[0]


POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs and device files are POSIX")
DEVICES = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and /dev/urandom")


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("FIFOs are POSIX")
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    yield path
    # Unblock a reader that did block (a failing test), so the suite can end.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


# -- the bounded reader ------------------------------------------------------------------


@DEVICES
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_an_endless_device_is_refused_not_read(tmp_path: Path, device: str) -> None:
    link = tmp_path / "settings.json"
    link.symlink_to(device)
    with pytest.raises(FileProblem, match="character device, not a regular file"):
        finishes(lambda: read_bounded(link, 1000))


def test_a_fifo_is_refused_without_blocking(fifo: Path) -> None:
    with pytest.raises(FileProblem, match=r"named pipe \(FIFO\)"):
        finishes(lambda: read_bounded(fifo, 1000))


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2000)
    with pytest.raises(FileProblem, match="too large"):
        read_bounded(path, 1000)
    assert read_bounded(path, 2000) == b" " * 2000


@pytest.mark.parametrize(
    ("raw", "words"),
    [(DEEP, "nested too deeply"), (b'{"a": ' + b"1" * 5000 + b"}", "a number has too many digits")],
)
def test_parser_limits_become_file_where_problem(tmp_path: Path, raw: bytes, words: str) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(raw)
    with pytest.raises(FileProblem) as caught:
        read_json(path, 1_000_000)
    assert str(caught.value) == f"{path}: (file): invalid JSON: {words}"


# -- settings ----------------------------------------------------------------------------------


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    return folder / "settings.json"


@DEVICES
def test_settings_linked_to_dev_zero_start_with_defaults(settings_path: Path) -> None:
    settings_path.symlink_to("/dev/zero")
    result = finishes(lambda: load_settings(settings_path, now=fixed_now))
    assert result.settings == Settings()
    assert "character device" in (result.notice or "")
    assert result.moved_to is not None
    assert result.moved_to.is_symlink()  # the link itself was set aside; /dev/zero untouched
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)


@POSIX
def test_a_settings_fifo_does_not_block_start_up(settings_path: Path) -> None:
    os.mkfifo(settings_path)
    result = finishes(lambda: load_settings(settings_path, now=fixed_now))
    assert result.settings == Settings()
    assert "named pipe" in (result.notice or "")
    assert not settings_path.exists()


@pytest.mark.parametrize(("raw", "words"), [(DEEP, "nested too deeply"), (HUGE_INT, "too many digits")])
def test_settings_past_the_parser_limits_are_moved_aside(settings_path: Path, raw: bytes, words: str) -> None:
    settings_path.write_bytes(raw)
    result = load_settings(settings_path, now=fixed_now)
    assert result.settings == Settings()
    assert words in (result.notice or "")
    assert result.moved_to is not None
    assert result.moved_to.read_bytes() == raw


def test_symlinked_settings_are_written_through_to_the_target(tmp_path: Path, settings_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "acupressure.json"
    save_settings(target, Settings())
    settings_path.symlink_to(target)
    save_settings(settings_path, Settings(theme="dark"))
    assert settings_path.is_symlink()
    assert os.readlink(settings_path) == str(target)
    assert json.loads(target.read_text())["theme"] == "dark"
    assert load_settings(settings_path).settings.theme == "dark"


def test_a_symlinked_settings_file_set_aside_keeps_the_link(tmp_path: Path, settings_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("{ not json")
    settings_path.symlink_to(target)
    result = load_settings(settings_path, now=fixed_now)
    assert result.moved_to == tmp_path / "real.json.broken-20240304-101500"
    save_settings(settings_path, Settings(theme="light"))
    assert settings_path.is_symlink()
    assert json.loads(target.read_text())["theme"] == "light"


@POSIX
def test_saving_never_replaces_a_device_a_link_points_to(tmp_path: Path, settings_path: Path) -> None:
    fake_device = tmp_path / "pipe"
    os.mkfifo(fake_device)
    settings_path.symlink_to(fake_device)
    with pytest.raises(Exception, match="not a regular file"):
        save_settings(settings_path, Settings())
    assert stat.S_ISFIFO(os.lstat(fake_device).st_mode)


# -- history import ------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=Clock(), tz=TZ)
    yield repository
    repository.db.close()


@DEVICES
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_importing_an_endless_device_is_refused(repo: HistoryRepository, tmp_path: Path, device: str) -> None:
    link = tmp_path / "export.json"
    link.symlink_to(device)
    with pytest.raises(ImportRefused, match="not a regular file"):
        finishes(lambda: import_json(repo, link))
    assert repo.count() == 0


def test_importing_a_fifo_is_refused_without_blocking(repo: HistoryRepository, fifo: Path) -> None:
    with pytest.raises(ImportRefused, match="FIFO"):
        finishes(lambda: import_json(repo, fifo))


@pytest.mark.parametrize(
    ("raw", "words"),
    [(DEEP, "nested too deeply"), (b'{"format": ' + b"7" * 5000 + b"}", "too many digits")],
)
def test_import_past_the_parser_limits_is_refused_with_a_message(
    repo: HistoryRepository, tmp_path: Path, raw: bytes, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(raw)
    with pytest.raises(ImportRefused, match=words):
        import_json(repo, path)
    paths = AppPaths.resolve(tmp_path / "home")
    paths.ensure()
    assert import_command(paths, path) == 1  # the CLI: one line, no traceback
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert words in err


def _export_with(started: str, ended: str) -> bytes:
    row = {
        "id": "6f1c1d1e-8a1b-4c57-9e58-0c8f7f1d2a10",
        "routine_id": "neck",
        "routine_title": "Neck",
        "started_at": started,
        "ended_at": ended,
        "planned_seconds": 60,
        "practised_seconds": 60,
        "steps_total": 1,
        "steps_done": 1,
        "status": "completed",
    }
    good = {**row, "id": "6f1c1d1e-8a1b-4c57-9e58-0c8f7f1d2a11", "started_at": "2024-06-01T08:00:00Z"}
    good["ended_at"] = "2024-06-01T08:01:00Z"
    return json.dumps({"format": "acupressure-desktop-history", "version": 1, "sessions": [good, row]}).encode()


@pytest.mark.parametrize(
    ("started", "ended"),
    [
        ("0001-01-01T00:00:00Z", "0001-01-01T00:01:00Z"),
        ("0001-01-01T00:00:00-05:00", "0001-01-01T00:01:00-05:00"),  # west of UTC: year 0 in UTC
        ("1969-12-31T23:00:00Z", "1969-12-31T23:01:00Z"),
        ("2024-06-20T08:00:00Z", "2024-06-20T08:01:00Z"),  # after tomorrow (the clock says 12 June)
    ],
)
def test_dates_outside_1970_to_tomorrow_are_refused_naming_the_row(
    repo: HistoryRepository, tmp_path: Path, started: str, ended: str
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(_export_with(started, ended))
    with pytest.raises(ImportRefused) as caught:
        import_json(repo, path)
    message = str(caught.value)
    assert "session 2 (id 6f1c1d1e-8a1b-4c57-9e58-0c8f7f1d2a10)" in message
    assert "1970" in message or "future" in message
    assert repo.count() == 0


# -- routines --------------------------------------------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> RoutineLibrary:
    catalog = load_catalog(write_minidata(tmp_path / "mini"))
    return RoutineLibrary(catalog, tmp_path / "routines")


@DEVICES
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_routine_import_of_an_endless_device_is_refused(library: RoutineLibrary, tmp_path: Path, device: str) -> None:
    link = tmp_path / "r.json"
    link.symlink_to(device)
    with pytest.raises(RoutineError, match="not a regular file"):
        finishes(lambda: library.import_file(link))


def test_routine_import_of_a_fifo_is_refused_without_blocking(library: RoutineLibrary, fifo: Path) -> None:
    with pytest.raises(RoutineError, match="FIFO"):
        finishes(lambda: library.import_file(fifo))


@pytest.mark.parametrize(("raw", "words"), [(DEEP, "nested too deeply"), (HUGE_INT, "too many digits")])
def test_routine_import_past_the_parser_limits_is_a_routine_error(
    library: RoutineLibrary, tmp_path: Path, raw: bytes, words: str
) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(raw)
    with pytest.raises(RoutineError, match=words):
        library.import_file(path)


@POSIX
@pytest.mark.parametrize("kind", ["deep", "digits", "fifo", "dev-zero"])
def test_a_bad_custom_routine_file_at_start_up_is_moved_aside(library: RoutineLibrary, kind: str) -> None:
    library.folder.mkdir(parents=True)
    path = library.folder / "mine.json"
    if kind == "deep":
        path.write_bytes(DEEP)
    elif kind == "digits":
        path.write_bytes(HUGE_INT)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    notices = finishes(library.load)
    (notice,) = notices
    assert "mine.json" in notice
    assert "it was kept as" in notice
    assert not path.exists() and not path.is_symlink()
    assert list(library.folder.glob("mine.json.broken-*"))


# -- catalog and validate-data ------------------------------------------------------------------


def _problems(dirs: Any) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(dirs)
    return [str(p) for p in info.value.problems]


@POSIX
@pytest.mark.parametrize(
    ("content", "words"),
    [(DEEP, "nested too deeply"), (b'[{"id": ' + b"1" * 5000 + b"}]", "too many digits"), (None, "FIFO")],
)
def test_a_data_file_past_the_limits_is_named(tmp_path: Path, content: bytes | None, words: str) -> None:
    dirs = write_minidata(tmp_path)
    target = dirs.data / "benefits.json"
    target.unlink()
    if content is None:
        os.mkfifo(target)
    else:
        target.write_bytes(content)
    problems = finishes(lambda: _problems(dirs))
    assert len(problems) == 1, problems  # the root cause alone
    assert problems[0].startswith("data/benefits.json: (file): ")
    assert words in problems[0]


def test_one_malformed_file_gives_its_root_cause_alone(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.data / "benefits.json").write_text("[{", encoding="utf-8")  # every point names a benefit
    problems = _problems(dirs)
    assert len(problems) == 1, problems
    assert problems[0].startswith("data/benefits.json: line 1 column")


def test_a_deleted_data_file_gives_its_root_cause_alone(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.data / "techniques.json").unlink()
    assert _problems(dirs) == ["data/techniques.json: (file): missing"]


def test_a_missing_svg_is_reported_against_the_file_that_names_it(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").unlink()
    catalog = load_catalog(dirs)
    assert [str(p) for p in catalog.view_problems] == [
        "data/views.json: hand.file: assets/bodymaps/hand.svg is missing"
    ]


@DEVICES
def test_an_svg_linked_to_dev_zero_is_refused(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").unlink()
    (dirs.bodymaps / "hand.svg").symlink_to("/dev/zero")
    catalog = finishes(lambda: load_catalog(dirs))
    assert "hand" not in catalog.maps
    assert "character device" in str(catalog.view_problems[0])


@pytest.mark.slow
def test_validate_data_prints_the_root_cause_alone(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.data / "benefits.json").write_bytes(DEEP)
    result = subprocess.run(
        [sys.executable, "-m", "acupressure_desktop", "validate-data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["data/benefits.json: (file): invalid JSON: nested too deeply"]
    assert "Traceback" not in result.stderr


# -- writing -----------------------------------------------------------------------------------------


@pytest.fixture
def paths_with_history(app_paths: AppPaths) -> AppPaths:
    with open_database(app_paths.history_db) as db:
        HistoryRepository(db, clock=Clock(), tz=TZ).add_sessions([make_session()])
    return app_paths


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_exporting_onto_a_character_device_writes_into_it_never_replaces_it(
    paths_with_history: AppPaths, tmp_path: Path
) -> None:
    # A private copy of /dev/null (same device numbers): the real one is never at risk here.
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.stat("/dev/null").st_rdev)
    before = os.lstat(null)
    err = io.StringIO()
    assert export_command(paths_with_history, "json", str(null), stderr=err) == 0, err.getvalue()
    info = os.lstat(null)
    assert stat.S_ISCHR(info.st_mode)
    assert (info.st_ino, info.st_mode, info.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)
    assert not list(tmp_path.glob(".null.*"))


@POSIX
def test_exporting_into_a_pipe_writes_straight_into_it(paths_with_history: AppPaths, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    err = io.StringIO()
    assert finishes(lambda: export_command(paths_with_history, "csv", str(pipe), stderr=err)) == 0
    reader.join(10)
    assert received[0].startswith(b"id,routine_id")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


@POSIX
def test_a_pipe_nobody_reads_is_an_error_not_a_hang(paths_with_history: AppPaths, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    err = io.StringIO()
    assert finishes(lambda: export_command(paths_with_history, "csv", str(pipe), stderr=err)) == 1
    assert "no program is reading from it" in err.getvalue()


def test_dash_is_standard_output(paths_with_history: AppPaths) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert export_command(paths_with_history, "csv", "-", stdout=out, stderr=err) == 0
    assert out.getvalue().startswith("id,routine_id")
    assert not Path("-").exists()


@POSIX
@pytest.mark.parametrize(
    ("name", "words"), [("", "no file name given"), ("folder", "is a folder"), ("sock", "is a socket")]
)
def test_other_outputs_are_refused_clearly(paths_with_history: AppPaths, tmp_path: Path, name: str, words: str) -> None:
    import socket

    target = str(tmp_path / name) if name else ""
    if name == "folder":
        (tmp_path / name).mkdir()
    with socket.socket(socket.AF_UNIX) as listener:
        if name == "sock":
            listener.bind(target)
        err = io.StringIO()
        assert export_command(paths_with_history, "csv", target, stderr=err) == 1
    assert words in err.getvalue()
    assert err.getvalue().count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_dev_full_says_the_disk_is_full(paths_with_history: AppPaths) -> None:
    err = io.StringIO()
    assert export_command(paths_with_history, "json", "/dev/full", stderr=err) == 1
    assert "the disk is full" in err.getvalue()
    assert "None" not in err.getvalue()
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


@POSIX
@pytest.mark.slow
def test_a_closed_standard_output_is_a_clear_message(paths_with_history: AppPaths) -> None:
    home = paths_with_history.data.parent
    command = [sys.executable, "-m", "acupressure_desktop", "--home", str(home), "history", "export", "--format", "csv"]
    result = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *command],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 1
    assert "standard output is closed" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_output_empty_is_refused(paths_with_history: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    from acupressure_desktop.cli import main

    home = paths_with_history.data.parent
    assert main(["--home", str(home), "history", "export", "--format", "csv", "--output", ""]) == 1
    assert "no file name given" in capsys.readouterr().err


def test_stale_temporary_files_are_cleaned_at_the_next_start(library: RoutineLibrary, settings_path: Path) -> None:
    library.folder.mkdir(parents=True)
    stale_routine = library.folder / ".mine.json.acupressure-k1ll.tmp"
    stale_routine.write_text("half a routine")
    stale_settings = settings_path.with_name(".settings.json.acupressure-k1ll.tmp")
    stale_settings.write_text("half the settings")
    assert library.load() == []
    load_settings(settings_path)
    assert not stale_routine.exists()
    assert not stale_settings.exists()


def test_stale_temporary_files_of_a_killed_writer_are_cleaned_at_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    stale = tmp_path / ".export.json.k1ll3d.tmp"
    stale.write_bytes(b"x" * 10_000)  # what kill -9 mid-export leaves
    other = tmp_path / ".notes.txt.abc.tmp"  # not ours to remove: another program's name
    other.write_text("keep")
    ours_for_another_file = tmp_path / ".settings.json.acupressure-x1y2.tmp"
    ours_for_another_file.write_text("stale")
    write_text_atomically(target, "new")
    assert not stale.exists()
    assert not ours_for_another_file.exists()
    assert other.exists()
    assert target.read_text() == "new"


@pytest.mark.skipif(os.name != "posix", reason="writers lock their temporary file with flock")
def test_a_live_writers_temporary_file_is_left_alone(tmp_path: Path) -> None:
    import fcntl

    target = tmp_path / "export.json"
    live = tmp_path / ".export.json.acupressure-l1v3.tmp"
    with live.open("wb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert clean_stale_temporaries(target) == []
        assert live.exists()
    assert clean_stale_temporaries(target) == [live]


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_kill_9_during_an_export_leaves_nothing_after_the_next_export(paths_with_history: AppPaths) -> None:
    import signal
    import textwrap

    out = paths_with_history.data.parent / "out.json"
    script = textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from acupressure_desktop.fileio import write_atomically
        def write(stream):
            stream.write("x" * 1_000_000)
            stream.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        write_atomically(Path(sys.argv[1]), write)
        """
    )
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", script, str(out)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
            check=False,
        )
        assert result.returncode == -signal.SIGKILL
    # Each writer removed the leftover of the one killed before it: never more than one piles up.
    assert len(list(out.parent.glob(".out.json.*.tmp"))) == 1
    # The next export, even to another file (the GUI's default name carries the date), cleans it.
    assert export_command(paths_with_history, "json", str(out.with_name("other.json")), stderr=io.StringIO()) == 0
    assert list(out.parent.glob(".*.tmp")) == []


def test_write_output_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputRefused, match="is a folder"):
        write_output(str(tmp_path), lambda stream: stream.write("x"))


def test_move_aside_keeps_every_earlier_copy_and_moves_companions(tmp_path: Path) -> None:
    from datetime import datetime

    from acupressure_desktop.fileio import move_aside

    when = datetime(2026, 12, 1, 9, 30, 0)
    for round_ in (1, 2, 3):
        (tmp_path / "h.db").write_text(f"db {round_}")
        (tmp_path / "h.db-wal").write_text(f"wal {round_}")
        moved = move_aside(tmp_path / "h.db", "corrupt", when, ("-wal", "-shm"))
        assert not (tmp_path / "h.db").exists() and not (tmp_path / "h.db-wal").exists()
        assert moved.read_text() == f"db {round_}"
        assert moved.with_name(moved.name + "-wal").read_text() == f"wal {round_}"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "h.db.corrupt-20261201-093000",
        "h.db.corrupt-20261201-093000-2",
        "h.db.corrupt-20261201-093000-2-wal",
        "h.db.corrupt-20261201-093000-3",
        "h.db.corrupt-20261201-093000-3-wal",
        "h.db.corrupt-20261201-093000-wal",
    ]
