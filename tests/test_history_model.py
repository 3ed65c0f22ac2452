"""The session table model: Qt's model checks, SQL sorting and filtering, lazy reading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.history import HistoryRepository, SessionFilter, Status
from acupressure_desktop.ui.history.model import BLOCK, Column, SessionTableModel, signed
from tests.historydata import TODAY, TZ, Clock, generate_sessions, make_session


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=Clock(), tz=TZ)
    yield repository
    repository.db.close()


def _column(model: SessionTableModel, column: Column) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_model_passes_qt_model_checks(repo: HistoryRepository, qtmodeltester: object) -> None:
    repo.add_sessions(generate_sessions(60, days=40))
    model = SessionTableModel(repo)
    model.reload()
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    model.sort(Column.PRACTISED, Qt.SortOrder.AscendingOrder)
    model.set_filter(SessionFilter(routine_id="calm-evening"))
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_cells_read_like_the_person_expects(repo: HistoryRepository) -> None:
    repo.add_sessions(
        [make_session(TODAY, practised=185, status=Status.STOPPED, steps_done=2, before=7, after=4, note="tight\nneck")]
    )
    model = SessionTableModel(repo, lambda routine_id: {"neck-release": "Neck & shoulders"}.get(routine_id))
    model.reload()
    row = [model.index(0, column).data() for column in Column]
    assert row == [
        "Wed 12 Jun 2024, 09:00",
        "Neck & shoulders",
        "3:05",
        "2 / 4",
        "Stopped early",
        "7",
        "4",
        "−3",
        "tight neck",
    ]
    assert model.index(0, Column.PRACTISED).data(Qt.ItemDataRole.ToolTipRole) == "Practised 3:05 of 5:00"
    assert model.index(0, Column.NOTE).data(Qt.ItemDataRole.ToolTipRole) == "tight\nneck"
    assert model.headerData(Column.CHANGE, Qt.Orientation.Horizontal) == "Change"


def test_without_a_catalog_title_the_stored_title_is_shown(repo: HistoryRepository) -> None:
    repo.add_sessions([make_session(routine_id="gone", routine_title="A routine since deleted")])
    model = SessionTableModel(repo, lambda _routine_id: None)
    model.reload()
    assert model.index(0, Column.ROUTINE).data() == "A routine since deleted"


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting_by_practised_time_covers_every_row(repo: HistoryRepository, order: Qt.SortOrder) -> None:
    sessions = generate_sessions(300, days=90)
    repo.add_sessions(sessions)
    model = SessionTableModel(repo)
    model.reload()
    model.sort(Column.PRACTISED, order)
    seconds = [model.session_at(row).practised_seconds for row in range(model.rowCount())]
    assert seconds == sorted((s.practised_seconds for s in sessions), reverse=order == Qt.SortOrder.DescendingOrder)


def test_sorting_by_routine_title_and_by_date(repo: HistoryRepository) -> None:
    repo.add_sessions(generate_sessions(40, days=30))
    model = SessionTableModel(repo)
    model.reload()
    model.sort(Column.ROUTINE, Qt.SortOrder.AscendingOrder)
    titles = _column(model, Column.ROUTINE)
    assert titles == sorted(titles, key=str.casefold)
    model.sort(Column.STARTED, Qt.SortOrder.DescendingOrder)
    started = [model.session_at(row).started_at for row in range(model.rowCount())]
    assert started == sorted(started, reverse=True)


def test_sorting_keeps_the_selection_on_the_same_session(repo: HistoryRepository) -> None:
    repo.add_sessions(generate_sessions(50, days=30))
    model = SessionTableModel(repo)
    model.reload()
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(
        model.index(7, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    chosen = model.session_at(7).id
    model.sort(Column.PRACTISED, Qt.SortOrder.AscendingOrder)
    assert model.session_at(selection.currentIndex().row()).id == chosen
    assert [model.session_at(i.row()).id for i in selection.selectedRows()] == [chosen]


def test_filters_by_date_range_and_routine(repo: HistoryRepository) -> None:
    repo.add_sessions(
        [make_session(TODAY - timedelta(days=n), routine_id="calm-evening", routine_title="Calm") for n in range(10)]
        + [make_session(TODAY - timedelta(days=n)) for n in range(10)]
    )
    model = SessionTableModel(repo)
    model.reload()
    assert model.rowCount() == 20
    model.set_filter(SessionFilter(first_day=TODAY - timedelta(days=2), routine_id="calm-evening"))
    assert model.rowCount() == 3
    assert set(_column(model, Column.ROUTINE)) == {"Calm"}


def test_rows_are_read_lazily_in_blocks(repo: HistoryRepository) -> None:
    repo.add_sessions(generate_sessions(BLOCK * 5, days=365))
    model = SessionTableModel(repo)
    model.reload()
    assert model.rowCount() == BLOCK * 5
    assert model._cache == {}
    model.index(BLOCK * 3, 0).data()
    assert 0 < len(model._cache) <= BLOCK
    model.index(BLOCK * 3 + 10, 0).data()
    assert len(model._cache) <= BLOCK  # same block, nothing more read


def test_forget_and_refresh_rows(repo: HistoryRepository) -> None:
    first, second = make_session(TODAY), make_session(TODAY - timedelta(days=1))
    repo.add_sessions([first, second])
    model = SessionTableModel(repo)
    model.reload()
    assert model.row_of(second.id) == 1
    repo.set_checkin(first.id, 5, 1, "edited")
    model.refresh_row(0)
    assert model.index(0, Column.NOTE).data() == "edited"
    model.forget_row(0)
    assert model.rowCount() == 1
    assert model.row_of(first.id) is None  # gone from the table, though still in the database here
    assert model.row_of("00000000-0000-4000-8000-000000000000") is None


def test_signed_uses_a_true_minus_sign() -> None:
    assert signed(-3) == "−3"
    assert signed(2) == "+2"
    assert signed(0) == "0"
    assert signed(-0.04, 1) == "0.0"
    assert signed(1.25, 1) == "+1.2"
