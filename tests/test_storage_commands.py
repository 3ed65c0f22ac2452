"""``history export`` and ``history import``: exit codes, standard output, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from acupressure_desktop.cli import main
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.commands import export_command, import_command
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.history import HistoryRepository
from tests.historydata import TZ, Clock, generate_sessions, start_running


@pytest.fixture
def seeded(app_paths: AppPaths) -> AppPaths:
    with open_database(app_paths.history_db) as db:
        repo = HistoryRepository(db, clock=Clock(), tz=TZ)
        repo.add_sessions(generate_sessions(12, days=20))
        start_running(repo)  # the app is running one right now
    return app_paths


def test_export_csv_to_standard_output(seeded: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_command(seeded, "csv", None) == 0
    captured = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(captured.out, newline="")))
    assert rows[0][:2] == ["id", "routine_id"]
    assert len(rows) == 14
    assert captured.err == ""


def test_export_leaves_a_running_session_running(seeded: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    export_command(seeded, "json", None)
    statuses = [row["status"] for row in json.loads(capsys.readouterr().out)["sessions"]]
    assert "running" in statuses


def test_export_json_to_a_file_then_import_it_elsewhere(
    seeded: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "history.json"
    target.parent.mkdir()
    assert export_command(seeded, "json", target) == 0
    assert "Exported 13 sessions" in capsys.readouterr().err
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "acupressure-desktop-history"

    elsewhere = AppPaths.resolve(tmp_path / "elsewhere")
    elsewhere.ensure()
    assert import_command(elsewhere, target) == 0
    assert "Imported 13 sessions; 0 were already in the history." in capsys.readouterr().out
    assert import_command(elsewhere, target) == 0
    assert "Imported 0 sessions; 13 were already" in capsys.readouterr().out


def test_export_into_a_missing_folder_fails_with_one_line(
    seeded: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export_command(seeded, "csv", tmp_path / "no" / "such" / "h.csv") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("acupressure-desktop: history export: cannot write")


def test_an_unknown_format_fails(seeded: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_command(seeded, "xml", None) == 1
    assert "unknown format 'xml'" in capsys.readouterr().err


def test_import_of_a_bad_file_fails_with_one_line_and_imports_nothing(
    seeded: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    assert import_command(seeded, bad) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not a JSON file" in err
    assert "Nothing was imported" in err


def test_import_of_a_missing_file_fails(seeded: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert import_command(seeded, tmp_path / "nope.json") == 1
    assert "cannot read" in capsys.readouterr().err


def test_a_history_from_a_newer_version_is_refused(app_paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(app_paths.history_db)
    conn.execute("PRAGMA user_version = 50")
    conn.close()
    assert export_command(app_paths, "csv", None) == 1
    err = capsys.readouterr().err
    assert "newer version of Acupressure Desktop" in err
    assert err.count("\n") == 1


def test_the_cli_reaches_the_commands(seeded: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(seeded.data.parent)
    target = tmp_path / "h.csv"
    assert main(["--home", home, "history", "export", "--format", "csv", "--output", str(target)]) == 0
    assert target.read_bytes().startswith(b"id,")
    capsys.readouterr()
