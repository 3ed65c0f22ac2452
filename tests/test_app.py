"""The whole app from the command line: screenshots, bad user files, first paint state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "acupressure_desktop", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["--view", "face", "--point", "yintang", "--theme", "dark"],
        ["--routine", "desk-stress-break", "--size", "1024x700"],
        ["--page", "history"],
        ["--page", "routines", "--theme", "light"],
    ],
)
def test_screenshot_states(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "shot.png"
    result = _run("--screenshot", str(out), *args, home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    width, height = _png_size(out)
    expected = (1024, 700) if "--size" in args else (1280, 800)
    assert (width, height) == expected


@pytest.mark.slow
def test_unknown_view_point_or_routine_exit_2(tmp_path: Path) -> None:
    for args in (["--view", "nowhere"], ["--point", "XX99"], ["--routine", "nothing-like-it"]):
        result = _run("--screenshot", str(tmp_path / "x.png"), *args, home=tmp_path / "home")
        assert result.returncode == 2, args
        assert result.stderr.strip().splitlines()[-1].startswith("acupressure-desktop: --")
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_damaged_user_files_are_kept_and_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "data").mkdir()
    (home / "config" / "settings.json").write_text('{"schema_version": 2, "theme": 42}')
    (home / "data" / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    result = _run("--screenshot", str(tmp_path / "x.png"), home=home)
    assert result.returncode == 0, result.stderr
    kept_settings = list((home / "config").glob("settings.json.broken-*"))
    kept_history = list((home / "data").glob("history.sqlite3.corrupt-*"))
    assert len(kept_settings) == 1 and kept_settings[0].read_text() == '{"schema_version": 2, "theme": 42}'
    assert len(kept_history) == 1 and kept_history[0].read_bytes().startswith(b"this is not a database")
    assert str(kept_settings[0]) in result.stderr and str(kept_history[0]) in result.stderr


@pytest.mark.slow
def test_broken_data_folder_stops_with_file_field_problem(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(ROOT / "data"), str(data)], check=True)
    points = json.loads((data / "points" / "arm.json").read_text())
    points[0]["technique"]["hold_seconds"] = "long"
    (data / "points" / "arm.json").write_text(json.dumps(points))
    result = subprocess.run(
        [sys.executable, "-m", "acupressure_desktop", "validate-data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    expected = "Input should be a valid integer, unable to parse string as an integer"
    assert result.stdout.splitlines() == [f"data/points/arm.json: LI4.technique.hold_seconds: {expected}"]


@pytest.mark.slow
def test_a_routine_screenshot_records_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run("--screenshot", str(tmp_path / "x.png"), "--routine", "quick-reset", home=home).returncode == 0
    export = _run("history", "export", "--format", "json", home=home)
    assert export.returncode == 0, export.stderr
    assert json.loads(export.stdout)["sessions"] == []


@pytest.mark.slow
def test_the_first_window_paints_before_pydantic_and_the_catalog_load(tmp_path: Path) -> None:
    """Start-up design: the first paint needs no pydantic (half the start-up time); the load follows."""
    script = f"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from acupressure_desktop.app import build_gui
gui = build_gui(["--home", {str(tmp_path / "home")!r}])
assert "pydantic" not in sys.modules, "the first window imported pydantic"
assert os.environ["QT_NO_GUI_THREADPOOL"] == "1", "fills go to a thread pool"
assert gui.learn.map.markers, "the first window shows no body map"
assert gui.load() and gui.shell is not None and "pydantic" in sys.modules
assert gui.learn.results.count() == sum(p.self_care for p in gui.catalog.points.values())  # the default filter
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.slow
def test_the_interactive_app_starts_logs_and_quits_cleanly_on_sigterm(tmp_path: Path) -> None:
    """The real start-up path (Startup, the history worker, diagnostics) and the shutdown path."""
    import signal
    import sqlite3
    import time

    from acupressure_desktop.paths import AppPaths
    from acupressure_desktop.settings import Settings, save_settings
    from acupressure_desktop.ui.welcome import NOTICE_VERSION

    home = tmp_path / "home"
    paths = AppPaths.resolve(home)
    paths.ensure()
    save_settings(paths.settings_file, Settings(disclaimer_accepted_version=NOTICE_VERSION))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "acupressure_desktop", "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    log = paths.log_dir / "acupressure-desktop.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not paths.history_db.exists():
        time.sleep(0.1)  # a real process: wait for its history worker to have opened the file
    assert paths.history_db.exists(), "the history was never opened"
    time.sleep(1)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    text = log.read_text(encoding="utf-8")
    assert "starting" in text and "received SIGTERM: quitting" in text
    assert "Traceback" not in text and "Traceback" not in err
    assert (paths.state / "window.json").exists()  # the window was remembered
    with sqlite3.connect(paths.history_db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
