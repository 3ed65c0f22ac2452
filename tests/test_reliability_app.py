"""The whole app against hostile user files: it starts, says what it found, and loses nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from acupressure_desktop.session.chime import write_chime
from acupressure_desktop.ui.chime import ChimePlayer

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

ROOT = Path(__file__).resolve().parent.parent
DEEP = b"[" * 100_000 + b"]" * 100_000


def _run(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "acupressure_desktop", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "deep", "digits"])
def test_hostile_settings_never_stop_or_hang_the_start(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    settings = home / "config" / "settings.json"
    if kind == "dev-zero":
        settings.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(settings)
    elif kind == "deep":
        settings.write_bytes(DEEP)
    else:
        settings.write_bytes(b'{"schema_version": ' + b"9" * 5000 + b"}")
    result = _run("--screenshot", str(tmp_path / "x.png"), home=home, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "settings file" in result.stderr
    assert list((home / "config").glob("settings.json.broken-*"))


@pytest.mark.slow
def test_a_custom_routine_past_the_parser_limits_is_moved_aside_and_the_app_starts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    routines = home / "data" / "routines"
    routines.mkdir(parents=True)
    (routines / "mine.json").write_bytes(DEEP)
    result = _run("--screenshot", str(tmp_path / "x.png"), home=home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "nested too deeply" in result.stderr
    assert list(routines.glob("mine.json.broken-*"))


@pytest.mark.slow
def test_another_programs_database_on_a_fresh_home_is_named_and_the_app_starts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    conn = sqlite3.connect(home / "data" / "history.sqlite3")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    result = _run("--screenshot", str(tmp_path / "x.png"), "--page", "history", home=home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "another program" in result.stderr and "notes" in result.stderr


@contextlib.contextmanager
def read_only_disk(where: Path) -> Iterator[Path]:
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(where)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.slow
@pytest.mark.skipif(
    os.name != "posix" or not IS_ROOT or shutil.which("mount") is None, reason="mounting a tmpfs needs root"
)
def test_a_read_only_home_starts_read_only_says_so_and_exports(tmp_path: Path) -> None:
    with read_only_disk(tmp_path / "disk") as disk:
        home = disk / "home"
        assert _run("--screenshot", str(tmp_path / "a.png"), "--routine", "quick-reset", home=home).returncode == 0
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=False).returncode == 0
        result = _run("--screenshot", str(tmp_path / "x.png"), "--page", "history", home=home)
        assert result.returncode == 0, result.stderr
        assert "read-only" in result.stderr
        export = _run("history", "export", "--format", "json", home=home)
        assert export.returncode == 0, export.stderr
        assert '"sessions"' in export.stdout


# -- the chime: generated in the app's own private folder -------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_chime_is_made_in_a_private_runtime_folder_not_the_shared_tmp(tmp_path: Path) -> None:
    player = ChimePlayer()
    player.set_volume(40)
    path = player._path
    assert path.parent != Path("/tmp")
    info = path.parent.lstat()
    assert info.st_uid == os.getuid() and info.st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("planted", ["symlink", "fifo", "other-file"])
def test_a_planted_chime_is_replaced_never_followed_or_played(tmp_path: Path, planted: str) -> None:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    target = folder / "chime-40.wav"
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch")
    if planted == "symlink":
        target.symlink_to(victim)
    elif planted == "fifo":
        os.mkfifo(target)
    else:
        target.write_bytes(b"RIFF something else to play")
    path = write_chime(folder, 40)
    assert path == target
    assert not path.is_symlink()
    assert path.read_bytes()[:4] == b"RIFF" and len(path.read_bytes()) > 1000
    assert victim.read_text() == "do not touch"
