"""The History page: statistics shown, filters, edit, delete with undo, export and import, keyboard."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.errors import StorageError
from acupressure_desktop.storage.exchange import ExportFormat
from acupressure_desktop.storage.history import HistoryRepository, Status
from acupressure_desktop.ui.history import HistoryView
from acupressure_desktop.ui.history.charts import HeatMap, WeeklyChart
from acupressure_desktop.ui.history.checkin import EditSessionDialog
from acupressure_desktop.ui.history.model import Column
from acupressure_desktop.ui.tasks import Task
from tests.historydata import TODAY, TZ, Clock, generate_sessions, make_session, start_running

TITLES = {"neck-release": "Neck & shoulder release"}


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[HistoryRepository]:
    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=Clock(), tz=TZ)
    repository.add_sessions(
        [
            make_session(TODAY, practised=600, before=7, after=3, note="much better"),
            make_session(TODAY - timedelta(days=1), practised=300),
            make_session(TODAY - timedelta(days=2), routine_id="calm-evening", routine_title="Calm evening"),
            make_session(TODAY - timedelta(days=20), practised=120, status=Status.STOPPED, before=5, after=5),
        ]
    )
    yield repository
    repository.db.close()


@pytest.fixture
def view(qtbot: QtBot, repo: HistoryRepository) -> HistoryView:
    widget = HistoryView(repo, TITLES.get)
    qtbot.addWidget(widget)
    widget.resize(1180, 820)
    widget.show()
    qtbot.waitExposed(widget)
    _settled(qtbot, widget)
    return widget


def _settled(qtbot: QtBot, view: HistoryView) -> None:
    """The statistics are read in a worker: wait for the cards and charts to show them."""
    qtbot.waitUntil(lambda: not view.stats_pending)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Message boxes, recorded instead of shown."""
    shown: list[tuple[str, str, str]] = []

    def record(kind: str) -> Any:
        def box(_parent: QWidget, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return box

    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    return shown


def _activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()  # shortcuts and keyboard focus need the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def _finish(qtbot: QtBot, task: Task[Any] | None) -> None:
    """Wait for an export or import that runs in a worker."""
    assert task is not None
    with qtbot.waitSignal(task.ended, timeout=20_000):
        pass


def _select(view: HistoryView, row: int) -> None:
    view.table.selectRow(row)


# -- what the page shows ------------------------------------------------------------------------


def test_the_page_shows_totals_streaks_and_charts(view: HistoryView) -> None:
    assert view.week_card.value_label.text() == "20 min"  # Mon–Wed of this week: 10 + 5 + 5
    assert view.current_card.value_label.text() == "3 days"
    assert view.longest_card.value_label.text() == "3 days"
    assert view.sessions_card.value_label.text() == "4"
    assert view.sessions_card.accessibleName() == "Sessions: 4, 22 min in all"
    assert view.heat_map.level(TODAY) == 2
    assert view.heat_map.level(TODAY - timedelta(days=3)) == 0
    assert sum(week.minutes for week in view.weekly_chart.weeks) == 22
    assert view.changes.rowCount() == 1  # only the neck routine has sessions rated before and after
    assert view.changes.item(0, 0).text() == "Neck & shoulder release"
    assert view.changes.item(0, 2).text() == "−2.0"
    assert view.changes.item(0, 3).text() == "2"
    assert view.model.rowCount() == 4
    assert view.count_label.text() == "4 sessions"


def test_the_routine_filter_lists_current_titles(view: HistoryView) -> None:
    items = [view.routine_filter.itemText(i) for i in range(view.routine_filter.count())]
    assert items == ["All routines", "Calm evening", "Neck & shoulder release"]


def test_refresh_shows_a_session_that_just_ended(qtbot: QtBot, view: HistoryView, repo: HistoryRepository) -> None:
    session = start_running(repo)
    repo.save(replace(session, status=Status.COMPLETED, practised_seconds=300, steps_done=4))
    view.refresh()
    assert view.model.rowCount() == 5
    _settled(qtbot, view)
    assert view.sessions_card.value_label.text() == "5"


def test_an_empty_history_reads_well(qtbot: QtBot, tmp_path: Path) -> None:
    with open_database(tmp_path / "empty.sqlite3") as db:
        view = HistoryView(HistoryRepository(db, clock=Clock(), tz=TZ))
        qtbot.addWidget(view)
        view.show()
        _settled(qtbot, view)
        assert view.week_card.value_label.text() == "0 min"
        assert view.current_card.value_label.text() == "0 days"
        assert view.changes_stack.currentWidget() is view.changes_empty
        assert view.count_label.text() == "No sessions yet: each routine you practise appears here."
        assert not view.delete_button.isEnabled()
        assert not view.grab().isNull()


# -- filters ------------------------------------------------------------------------------------


def test_period_and_routine_filters(view: HistoryView) -> None:
    view.period.setCurrentText("Last 7 days")
    assert view.model.rowCount() == 3
    assert view.count_label.text() == "3 sessions match the filters"
    view.routine_filter.setCurrentIndex(view.routine_filter.findData("calm-evening"))
    assert view.model.rowCount() == 1
    view.clear_filters()
    assert view.model.rowCount() == 4
    assert not view.clear_filter_button.isEnabled()


def test_a_custom_range(view: HistoryView) -> None:
    view.period.setCurrentText("Custom range")
    assert view.first_day.isVisible()
    view.first_day.setDate(view.first_day.date().addDays(-30))
    assert view.model.rowCount() == 4
    view.last_day.setDate(view.first_day.date())
    assert view.model.rowCount() == 0
    assert view.count_label.text() == "No sessions match the filters."


def test_clicking_a_calendar_day_shows_that_day(qtbot: QtBot, view: HistoryView) -> None:
    day = TODAY - timedelta(days=2)
    qtbot.mouseClick(view.heat_map, Qt.MouseButton.LeftButton, pos=view.heat_map._cell_rect(day).center().toPoint())
    assert view.period.currentText() == "Custom range"
    assert view.model.rowCount() == 1
    assert view.model.session_at(0).local_date == day


def test_sorting_by_clicking_a_header(qtbot: QtBot, view: HistoryView) -> None:
    header = view.table.horizontalHeader()
    spot = QPoint(header.sectionViewportPosition(Column.PRACTISED) + 10, header.height() // 2)
    orders = []
    for _ in range(2):  # once for one order, again for the other
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        assert header.sortIndicatorSection() == Column.PRACTISED
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        practised = [view.model.session_at(r).practised_seconds for r in range(view.model.rowCount())]
        assert practised == sorted([600, 300, 300, 120], reverse=descending)
        orders.append(descending)
    assert orders[0] != orders[1]


# -- edit, delete, undo ---------------------------------------------------------------------------


def test_delete_then_undo_brings_the_session_back(qtbot: QtBot, view: HistoryView, repo: HistoryRepository) -> None:
    _select(view, 0)
    doomed = view.selected_session()
    assert doomed is not None
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert repo.get(doomed.id) is None
    assert view.model.rowCount() == 3
    _settled(qtbot, view)
    assert view.sessions_card.value_label.text() == "3"
    assert view.undo_bar.isVisible()
    assert "Neck & shoulder release" in view.undo_bar.label.text()

    qtbot.mouseClick(view.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert repo.get(doomed.id) == doomed
    assert view.model.rowCount() == 4
    assert view.selected_session() == doomed
    _settled(qtbot, view)
    assert view.sessions_card.value_label.text() == "4"
    assert not view.undo_bar.isVisible()


def test_delete_and_undo_by_keyboard(qtbot: QtBot, view: HistoryView, repo: HistoryRepository) -> None:
    _activate(qtbot, view)
    view.table.setFocus()
    _select(view, 1)
    second = view.selected_session()
    assert second is not None
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert repo.get(second.id) is None
    _select(view, 0)
    first = view.selected_session()
    assert first is not None
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert repo.count() == 2
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert repo.get(first.id) == first
    assert view.undo_bar.isVisible()  # one more delete can still be undone
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert repo.get(second.id) == second
    assert repo.count() == 4


def test_a_running_session_cannot_be_edited_or_deleted(view: HistoryView, repo: HistoryRepository) -> None:
    start_running(repo)
    view.refresh()
    row = next(r for r in range(view.model.rowCount()) if view.model.session_at(r).status is Status.RUNNING)
    _select(view, row)
    assert not view.delete_button.isEnabled()
    assert not view.edit_button.isEnabled()
    view.delete_selected()
    assert repo.count() == 5


def test_edit_ratings_and_note(
    qtbot: QtBot, view: HistoryView, repo: HistoryRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(dialog: EditSessionDialog) -> int:
        dialog.before.set_value(6)
        dialog.after.set_value(2)
        dialog.note.setText("edited")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EditSessionDialog, "exec", answer)
    _select(view, 1)
    session = view.selected_session()
    assert session is not None
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    edited = repo.get(session.id)
    assert edited is not None
    assert (edited.before_rating, edited.after_rating, edited.note) == (6, 2, "edited")
    assert view.model.index(1, Column.NOTE).data() == "edited"
    _settled(qtbot, view)
    assert view.changes.item(0, 3).text() == "3"  # the routine's average now rests on three sessions


def test_a_cancelled_edit_changes_nothing(
    view: HistoryView, repo: HistoryRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(EditSessionDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    _select(view, 0)
    before = view.selected_session()
    view.edit_selected()
    assert before is not None
    assert repo.get(before.id) == before


def test_a_read_only_disk_shows_a_warning_and_keeps_the_page_working(
    view: HistoryView, repo: HistoryRepository
) -> None:
    repo.db.connection.execute("PRAGMA query_only = ON")
    _select(view, 0)
    view.delete_selected()
    assert view.warning.isVisible()
    assert "could not be deleted" in view.warning.text()
    assert "read-only" in view.warning.text()
    assert repo.count() == 4
    repo.db.connection.execute("PRAGMA query_only = OFF")
    view.refresh()
    assert not view.warning.isVisible()


def test_the_statistics_are_read_off_the_gui_thread_and_the_newest_read_wins(
    qtbot: QtBot, view: HistoryView, repo: HistoryRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    read = HistoryRepository.overview

    def recorded(self: HistoryRepository, *args: Any) -> Any:
        threads.append(threading.current_thread())
        return read(self, *args)

    monkeypatch.setattr(HistoryRepository, "overview", recorded)
    view.refresh()
    repo.add_sessions([make_session(TODAY, practised=60)])
    view.refresh()  # a second read before the first is shown: only the newest counts
    _settled(qtbot, view)
    assert len(threads) == 2 and threading.main_thread() not in threads
    assert view.sessions_card.value_label.text() == "5"


def test_a_statistics_read_that_fails_says_so(qtbot: QtBot, view: HistoryView, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: HistoryRepository, *args: Any) -> Any:
        raise StorageError("the disk is unreadable")

    monkeypatch.setattr(HistoryRepository, "overview", broken)
    view.refresh()
    _settled(qtbot, view)
    assert view.warning.isVisible() and "the disk is unreadable" in view.warning.text()


# -- export and import --------------------------------------------------------------------------


def test_export_csv_of_the_filtered_sessions(
    qtbot: QtBot,
    view: HistoryView,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
) -> None:
    target = tmp_path / "mine"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)"))
    view.routine_filter.setCurrentIndex(view.routine_filter.findData("neck-release"))
    _finish(qtbot, view.export_history(ExportFormat.CSV))
    written = tmp_path / "mine.csv"
    with written.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["routine_id"] for row in rows] == ["neck-release"] * 3
    assert messages == [("information", "Export done", f"Exported 3 sessions to\n{written}")]


def test_export_json_then_import_it_again_adds_nothing(
    qtbot: QtBot,
    view: HistoryView,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
) -> None:
    target = tmp_path / "all.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    _finish(qtbot, view.export_history(ExportFormat.JSON))
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "acupressure-desktop-history"
    _finish(qtbot, view.import_history())
    assert messages[-1] == (
        "information",
        "Import done",
        "Added 0 sessions; 4 sessions were already in your history.",
    )


def test_import_adds_sessions_and_refreshes(
    qtbot: QtBot,
    view: HistoryView,
    repo: HistoryRepository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str, str]],
) -> None:
    source_path = tmp_path / "other.sqlite3"
    with open_database(source_path) as db:
        other = HistoryRepository(db, clock=Clock(), tz=TZ)
        other.add_sessions(generate_sessions(12, days=30))
        from acupressure_desktop.storage.exchange import export_to_file

        export_to_file(other, tmp_path / "other.json", ExportFormat.JSON)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "other.json"), ""))
    with qtbot.waitSignal(view.historyChanged):
        qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 16
    assert messages[-1][2].startswith("Added 12 sessions;")


def test_a_bad_import_file_is_explained_and_nothing_changes(
    qtbot: QtBot,
    view: HistoryView,
    repo: HistoryRepository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[Any],
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "acupressure-desktop-history", "version": 1, "sessions": [{"id": "x"}]}')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    _finish(qtbot, view.import_history())
    kind, title, text = messages[-1]
    assert (kind, title) == ("warning", "Nothing was imported")
    assert "• session 1 (id x): id: expected a UUID like" in text
    assert repo.count() == 4


def test_cancelled_file_dialogs_do_nothing(
    view: HistoryView, monkeypatch: pytest.MonkeyPatch, messages: list[Any]
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    view.export_history(ExportFormat.CSV)
    view.import_history()
    assert messages == []


# -- accessibility and looks ----------------------------------------------------------------------


def test_every_control_has_an_accessible_name(view: HistoryView) -> None:
    controls = [
        w
        for w in view.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QComboBox, QDateEdit, QLineEdit, QAbstractItemView, HeatMap, WeeklyChart))
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.window() is view  # not the combo boxes' popup lists
        and not isinstance(w.parent(), (QComboBox, QDateEdit))  # their own inner parts
    ]
    assert len(controls) >= 14
    unnamed = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_tab_reaches_the_charts_and_the_table(qtbot: QtBot, view: HistoryView) -> None:
    _activate(qtbot, view)
    view.import_button.setFocus()
    reached = set()
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    assert {view.heat_map, view.weekly_chart, view.table, view.period, view.routine_filter} <= reached


@pytest.mark.parametrize(
    "colours",
    [("#ffffff", "#24292f", "#23767a"), ("#26292d", "#e6e6e6", "#4fb3b6")],
    ids=["light", "dark"],
)
def test_the_page_paints_in_light_and_dark_palettes(view: HistoryView, colours: tuple[str, str, str]) -> None:
    base, text, accent = colours
    palette = QPalette(view.palette())
    for role, colour in (
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.Window, base),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Highlight, accent),
    ):
        palette.setColor(role, QColor(colour))
    view.setPalette(palette)
    image = view.grab().toImage()
    assert not image.isNull()
    heat = view.heat_map.grab().toImage()
    assert heat.pixelColor(view.heat_map._cell_rect(TODAY).center().toPoint()).name() != base


def test_a_double_click_opens_the_edit_dialog_once_and_the_dialog_is_deleted(
    qtbot: QtBot, view: HistoryView, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[EditSessionDialog] = []
    monkeypatch.setattr(EditSessionDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    view.show()
    _select(view, 1)
    rect = view.table.visualRect(view.model.index(1, Column.NOTE))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1  # it opened twice: doubleClicked and activated both fired
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert view.findChildren(EditSessionDialog) == []


def test_the_stat_cards_line_up_when_a_caption_wraps(view: HistoryView, qtbot: QtBot) -> None:
    """Narrow (the session dock open): "Last 4 weeks · …" wraps to two lines; the other cards kept
    their one-line height and sat centred beside it, tops and bottoms out of line."""
    view.resize(700, 820)
    qtbot.waitUntil(lambda: view.width() == 700)
    QApplication.processEvents()
    cards = [view.week_card, view.current_card, view.consistency_card, view.longest_card, view.sessions_card]
    assert any(card.caption_label.height() > card.caption_label.fontMetrics().height() * 1.5 for card in cards)
    assert len({card.geometry().top() for card in cards}) == 1
    assert len({card.height() for card in cards}) == 1
    for card in cards:  # each caption whole
        label = card.caption_label
        assert label.height() >= label.heightForWidth(label.width())
    assert view.minimumSizeHint().width() <= 700


def test_a_newcomers_consistency_card_says_it_counts_from_the_first_session(qtbot: QtBot, tmp_path: Path) -> None:
    """Before any session the card read "– · Last 4 weeks · no planned days in the last 4 weeks",
    though every day is planned: nothing had been practised yet."""
    empty = HistoryRepository(open_database(tmp_path / "empty.sqlite3"), clock=Clock(), tz=TZ)
    try:
        view = HistoryView(empty)
        qtbot.addWidget(view)
        view.refresh()
        _settled(qtbot, view)
        caption = view.consistency_card.caption_label.text()
        assert "no planned days" not in caption
        assert caption == "Last 4 weeks · counts from your first session"
        assert view.consistency_card.value_label.text() == "–"
    finally:
        empty.db.close()


def test_on_a_tall_screen_the_charts_grow_with_the_table(view: HistoryView, qtbot: QtBot) -> None:
    """At 2560x1440 the sessions table took all the spare height; the charts stayed a strip."""
    view.resize(1180, 820)
    QApplication.processEvents()
    short = view.heat_map.height()
    view.resize(2500, 1350)
    qtbot.waitUntil(lambda: view.height() == 1350)
    QApplication.processEvents()
    assert view.heat_map.height() > short + 100
    assert view.table.height() > view.heat_map.height()  # the table still gets the most
