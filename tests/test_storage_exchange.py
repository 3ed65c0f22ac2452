"""CSV and JSON export; JSON import: validated first, all or nothing, idempotent."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from acupressure_desktop.storage import history as history_module
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.exchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ExportFormat,
    ImportRefused,
    export_csv,
    export_json,
    export_to_file,
    import_json,
    neutralise,
    write_atomically,
)
from acupressure_desktop.storage.history import COLUMNS, HistoryRepository, SessionFilter, Status
from tests.historydata import NOW, TODAY, TZ, Clock, generate_sessions, make_session


def _repository(path: Path) -> HistoryRepository:
    return HistoryRepository(open_database(path), clock=Clock(), tz=TZ)


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[HistoryRepository]:
    repository = _repository(tmp_path / "h.sqlite3")
    yield repository
    repository.db.close()


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[HistoryRepository]:
    repository = _repository(tmp_path / "empty.sqlite3")
    yield repository
    repository.db.close()


def _json_export(repo: HistoryRepository) -> dict[str, Any]:
    out = io.StringIO()
    export_json(repo, out)
    document: dict[str, Any] = json.loads(out.getvalue())
    return document


# -- CSV --------------------------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_session_oldest_first(repo: HistoryRepository) -> None:
    sessions = generate_sessions(25, days=60)
    repo.add_sessions(sessions)
    out = io.StringIO(newline="")
    assert export_csv(repo, out) == 25
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 26
    started = [row[3] for row in rows[1:]]
    assert started == sorted(started)
    assert {row[0] for row in rows[1:]} == {s.id for s in sessions}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_cells_a_spreadsheet_would_run(repo: HistoryRepository, start: str) -> None:
    repo.add_sessions(
        [
            make_session(
                note=f'{start}HYPERLINK("http://x")',
                routine_id=f"{start}id",
                routine_title=f"{start}Calm",
                rating_label=f"{start}x",
            )
        ]
    )
    out = io.StringIO(newline="")
    export_csv(repo, out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["note"] == f'\'{start}HYPERLINK("http://x")'
    assert row["routine_title"] == f"'{start}Calm"
    assert row["rating_label"] == f"'{start}x"
    assert row["routine_id"] == f"'{start}id"
    assert row["practised_seconds"] == "300"  # numbers are left alone


def test_csv_keeps_harmless_text_and_awkward_characters(repo: HistoryRepository) -> None:
    note = 'Line one, with "quotes"\nline two; ünïcødé — 10 = fine'
    repo.add_sessions([make_session(note=note)])
    out = io.StringIO(newline="")
    export_csv(repo, out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["note"] == note


def test_neutralise_only_touches_dangerous_text() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("") == ""
    assert neutralise("fine") == "fine"
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def test_a_filtered_export_holds_only_the_matching_sessions(repo: HistoryRepository) -> None:
    repo.add_sessions([make_session(TODAY - timedelta(days=n)) for n in range(10)])
    out = io.StringIO(newline="")
    assert export_csv(repo, out, SessionFilter(first_day=TODAY - timedelta(days=2))) == 3


# -- JSON export and round trip ----------------------------------------------------------------


def test_json_export_has_a_format_header(repo: HistoryRepository) -> None:
    repo.add_sessions([make_session(before=6, after=3, note="ok")])
    document = _json_export(repo)
    assert document["format"] == FORMAT_NAME
    assert document["version"] == FORMAT_VERSION
    assert document["exported_at"] == "2024-06-12T10:00:00Z"
    (row,) = document["sessions"]
    assert list(row) == list(COLUMNS)
    assert row["before_rating"] == 6
    assert row["started_at"] == "2024-06-12T07:00:00Z"  # 09:00 at UTC+2


def test_json_round_trip_restores_every_field_and_a_second_import_adds_nothing(
    repo: HistoryRepository, empty: HistoryRepository, tmp_path: Path
) -> None:
    sessions = generate_sessions(200, days=120)
    repo.add_sessions(sessions)
    file = tmp_path / "export.json"
    assert export_to_file(repo, file, ExportFormat.JSON) == 200

    result = import_json(empty, file)
    assert (result.added, result.skipped) == (200, 0)
    assert empty.list_sessions() == repo.list_sessions()
    assert empty.routine_changes() == repo.routine_changes()

    again = import_json(empty, file)
    assert (again.added, again.skipped) == (0, 200)
    assert empty.count() == 200


def test_import_into_a_history_that_has_some_of_the_sessions(
    repo: HistoryRepository, empty: HistoryRepository, tmp_path: Path
) -> None:
    sessions = generate_sessions(30, days=30)
    repo.add_sessions(sessions)
    empty.add_sessions(sessions[:10])
    file = tmp_path / "export.json"
    export_to_file(repo, file, ExportFormat.JSON)
    result = import_json(empty, file)
    assert (result.added, result.skipped) == (20, 10)


def test_import_reports_its_progress_and_an_exception_from_the_report_rolls_it_all_back(
    repo: HistoryRepository, empty: HistoryRepository, tmp_path: Path
) -> None:
    repo.add_sessions(generate_sessions(2500, days=300))
    file = tmp_path / "export.json"
    heard: list[tuple[int, int]] = []
    assert export_to_file(repo, file, ExportFormat.JSON, report=lambda *r: heard.append(r)) == 2500
    assert heard[0] == (0, 2500) and heard[-1] == (2500, 2500) and len(heard) == 4

    class Stop(Exception):
        pass

    def stop_while_writing(done: int, total: int) -> None:
        heard.append((done, total))
        if done > total // 2:  # past validation, inside the write transaction
            raise Stop

    heard.clear()
    with pytest.raises(Stop):
        import_json(empty, file, report=stop_while_writing)
    assert empty.count() == 0
    assert heard[0] == (0, 5000) and all(total == 5000 for _done, total in heard)
    assert import_json(empty, file).added == 2500


# -- JSON import: bad input --------------------------------------------------------------------


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "6f1c1d1e-8a1b-4c57-9e58-0c8f7f1d2a10",
        "routine_id": "neck-release",
        "routine_title": "Neck release",
        "started_at": "2024-06-10T07:00:00Z",
        "local_date": "2024-06-10",
        "ended_at": "2024-06-10T07:05:00Z",
        "planned_seconds": 300,
        "practised_seconds": 300,
        "steps_total": 4,
        "steps_done": 4,
        "status": "completed",
        "rating_label": "Neck tension",
        "before_rating": 6,
        "after_rating": 3,
        "note": "",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not _DROP}


_DROP = object()


def _write(tmp_path: Path, sessions: list[Any] | None = None, **top: Any) -> Path:
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "sessions": sessions or []}
    document.update(top)
    path = tmp_path / "import.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _good_rows(count: int) -> list[dict[str, Any]]:
    return [_row(id=f"6f1c1d1e-8a1b-4c57-9e58-{n:012d}") for n in range(count)]


BAD_ROWS: list[tuple[str, dict[str, Any], str]] = [
    ("unknown field", {"mood": "great"}, "mood: unknown field"),
    ("missing field", {"status": _DROP}, "status: Field required"),
    ("not a uuid", {"id": "42"}, "id: expected a UUID like"),
    ("bad status", {"status": "paused"}, "status: Input should be"),
    ("naive time", {"started_at": "2024-06-10T07:00:00"}, "started_at: Input should have timezone info"),
    ("ends before it starts", {"ended_at": "2024-06-10T06:00:00Z"}, "is before started_at"),
    ("in the future", {"ended_at": "2031-01-01T00:00:00Z", "started_at": "2031-01-01T00:00:00Z"}, "in the future"),
    ("negative duration", {"practised_seconds": -5}, "practised_seconds: Input should be greater than or equal to 0"),
    ("negative plan", {"planned_seconds": -1}, "planned_seconds: Input should be greater than or equal to 0"),
    ("rating above 10", {"after_rating": 11}, "after_rating: Input should be less than or equal to 10"),
    ("rating below 0", {"before_rating": -1}, "before_rating: Input should be greater than or equal to 0"),
    ("text for a number", {"practised_seconds": "300"}, "practised_seconds: Input should be a valid integer"),
    ("bool for a number", {"steps_done": True}, "steps_done: Input should be a valid integer"),
    ("more steps done than exist", {"steps_done": 5}, "steps_done 5 is more than steps_total 4"),
    ("empty routine id", {"routine_id": ""}, "routine_id: String should have at least 1 character"),
    ("local date far from start", {"local_date": "2024-06-20"}, "local_date 2024-06-20 is not the day"),
    ("session not an object", None, "Input should be a valid dictionary"),
]


@pytest.mark.parametrize(("changes", "words"), [(c, w) for _, c, w in BAD_ROWS], ids=[n for n, _, _ in BAD_ROWS])
def test_a_bad_row_refuses_the_whole_file_naming_row_and_field(
    repo: HistoryRepository, tmp_path: Path, changes: dict[str, Any] | None, words: str
) -> None:
    rows: list[Any] = _good_rows(3)
    rows.append("not a session" if changes is None else _row(**changes))
    path = _write(tmp_path, rows)
    with pytest.raises(ImportRefused) as caught:
        import_json(repo, path)
    message = str(caught.value)
    assert "session 4" in message
    assert words in message
    assert str(path) in message
    assert "Nothing was imported" in message
    assert repo.count() == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not a JSON file: Expecting property name enclosed in double quotes at line 1, column 2"),
        (b"\xff\xfe\x00garbage", "not a JSON file (it is not UTF-8 text)"),
        (b"[1, 2, 3]", "not an Acupressure Desktop history export"),
        (b'{"format": "something-else", "version": 1, "sessions": []}', "not an Acupressure Desktop history export"),
        (b'{"format": "acupressure-desktop-history", "version": 9, "sessions": []}', "newer version of the app"),
        (b'{"format": "acupressure-desktop-history", "version": "1", "sessions": []}', "version: expected a whole"),
        (b'{"format": "acupressure-desktop-history", "version": 1, "sessions": {}}', "sessions: expected a list"),
        (b'{"format": "acupressure-desktop-history", "version": 1, "sessions": [], "x": 1}', "unknown field 'x'"),
    ],
    ids=["not-json", "not-utf8", "a-list", "other-format", "newer", "version-text", "sessions-object", "extra-field"],
)
def test_files_that_are_not_an_export_are_refused_clearly(
    repo: HistoryRepository, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "import.json"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match="Nothing was imported") as caught:
        import_json(repo, path)
    assert words in str(caught.value)


def test_duplicate_ids_are_refused_naming_both_rows(repo: HistoryRepository, tmp_path: Path) -> None:
    rows = _good_rows(5)
    rows.append(dict(rows[1]))
    with pytest.raises(ImportRefused, match=r"sessions 2 and 6 have the same id") as caught:
        import_json(repo, _write(tmp_path, rows))
    assert "6f1c1d1e-8a1b-4c57-9e58-000000000001" in str(caught.value)
    assert repo.count() == 0


def test_several_problems_are_listed(repo: HistoryRepository, tmp_path: Path) -> None:
    rows = [_row(id=f"6f1c1d1e-8a1b-4c57-9e58-{n:012d}", after_rating=20) for n in range(30)]
    with pytest.raises(ImportRefused) as caught:
        import_json(repo, _write(tmp_path, rows))
    assert len(caught.value.problems) == 10
    assert caught.value.problems[0].startswith("session 1 (id 6f1c1d1e-8a1b-4c57-9e58-000000000000): after_rating")
    assert "and 9 more problems" in str(caught.value)


def test_huge_files_are_refused_before_reading(repo: HistoryRepository, tmp_path: Path) -> None:
    path = _write(tmp_path, _good_rows(20))
    with pytest.raises(ImportRefused, match=r"at most 0 MB can be imported"):
        import_json(repo, path, max_bytes=100)
    with pytest.raises(ImportRefused, match="20 sessions; at most 10 can be imported"):
        import_json(repo, path, max_rows=10)
    assert repo.count() == 0


def test_a_missing_file_is_an_os_error(repo: HistoryRepository, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_json(repo, tmp_path / "nope.json")


def test_a_running_session_is_imported_as_interrupted_and_a_missing_local_date_is_derived(
    repo: HistoryRepository, tmp_path: Path
) -> None:
    late = _row(status="running", started_at="2024-06-10T23:30:00Z", ended_at="2024-06-10T23:31:00Z")
    del late["local_date"]
    import_json(repo, _write(tmp_path, [late]))
    (session,) = repo.list_sessions()
    assert session.status is Status.INTERRUPTED
    assert str(session.local_date) == "2024-06-11"  # 01:30 at UTC+2


def test_a_single_point_session_round_trips(repo: HistoryRepository, empty: HistoryRepository, tmp_path: Path) -> None:
    repo.add_sessions([make_session(routine_id="point:LI4", routine_title="LI4 Hégǔ")])
    export_to_file(repo, tmp_path / "points.json", ExportFormat.JSON)
    assert import_json(empty, tmp_path / "points.json").added == 1
    assert empty.list_sessions() == repo.list_sessions()


def test_a_session_a_few_minutes_ahead_is_accepted(repo: HistoryRepository, tmp_path: Path) -> None:
    ahead = (NOW + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    import_json(repo, _write(tmp_path, [_row(started_at=ahead, ended_at=ahead, local_date="2024-06-12")]))
    assert repo.count() == 1


def test_a_failure_while_adding_leaves_nothing_behind(
    repo: HistoryRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, _good_rows(50))
    real_stored = history_module._stored
    calls = {"n": 0}

    def failing(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 40:
            raise RuntimeError("power cut")
        return real_stored(*args)

    monkeypatch.setattr(history_module, "_stored", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        import_json(repo, path)
    assert repo.count() == 0
    assert repo.routines() == []


# -- atomic file writes -------------------------------------------------------------------------


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "history.csv"
    target.write_text("previous export")

    def broken(stream: Any) -> int:
        stream.write("half a file")
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="disk is full"):
        write_atomically(target, broken)
    assert target.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv"]


def test_export_to_file_writes_csv_with_crlf(repo: HistoryRepository, tmp_path: Path) -> None:
    repo.add_sessions([make_session()])
    target = tmp_path / "history.csv"
    assert export_to_file(repo, target, ExportFormat.CSV) == 1
    data = target.read_bytes()
    assert data.startswith(b"id,routine_id,")
    assert data.count(b"\r\n") == 2
