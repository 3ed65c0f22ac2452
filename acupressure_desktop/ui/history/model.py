"""The session table: a lazy model over the history, sorted and filtered by SQLite.

The model holds only the row keys of the matching sessions in display order (one
small int each) and reads the sessions themselves in blocks as rows scroll into view,
so 100,000 sessions open in a few tens of milliseconds. Sorting and filtering run in
SQL over all sessions: a QSortFilterProxyModel would compare rows by calling data()
from C++ into Python about n·log n times (seconds at this size) and could only sort
the rows already fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from acupressure_desktop.storage.history import (
    ALL_SESSIONS,
    HistoryRepository,
    Session,
    SessionFilter,
    SortKey,
    Status,
)

BLOCK = 200  # sessions read at a time
CACHE_LIMIT = 20 * BLOCK  # forget everything beyond this many cached sessions

Index = QModelIndex | QPersistentModelIndex

STATUS_TEXT = {
    Status.RUNNING: "Running",
    Status.COMPLETED: "Completed",
    Status.STOPPED: "Stopped early",
    Status.INTERRUPTED: "Interrupted",
    Status.PAIN: "Stopped: pain",
}


class Column(IntEnum):
    STARTED = 0
    ROUTINE = 1
    PRACTISED = 2
    STEPS = 3
    STATUS = 4
    BEFORE = 5
    AFTER = 6
    CHANGE = 7
    NOTE = 8


HEADERS = {
    Column.STARTED: "Date",
    Column.ROUTINE: "Routine",
    Column.PRACTISED: "Practised",
    Column.STEPS: "Steps",
    Column.STATUS: "Status",
    Column.BEFORE: "Before",
    Column.AFTER: "After",
    Column.CHANGE: "Change",
    Column.NOTE: "Note",
}
SORT_KEYS = {
    Column.STARTED: SortKey.STARTED,
    Column.ROUTINE: SortKey.ROUTINE,
    Column.PRACTISED: SortKey.PRACTISED,
    Column.STEPS: SortKey.STEPS,
    Column.STATUS: SortKey.STATUS,
    Column.BEFORE: SortKey.BEFORE,
    Column.AFTER: SortKey.AFTER,
    Column.CHANGE: SortKey.CHANGE,
    Column.NOTE: SortKey.NOTE,
}
_CENTERED = {Column.STEPS, Column.BEFORE, Column.AFTER, Column.CHANGE}
_NO_VALUE = "–"


RoutineTitles = Callable[[str], str | None]


def display_title(titles: RoutineTitles | None, routine_id: str, stored: str) -> str:
    """The catalog's current title of a routine, or the one stored with the history."""
    return (titles(routine_id) if titles else None) or stored


def duration_text(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02d}"


def signed(value: float, decimals: int = 0) -> str:
    """'+2', '−3' (a true minus sign), '0'."""
    text = f"{abs(value):.{decimals}f}"
    if round(value, decimals) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def date_text(moment: datetime, *, weekday: bool = True) -> str:
    """'Wed 12 Jun 2024, 09:05' in the locale's day and month names."""
    day = QDate(moment.year, moment.month, moment.day)
    pattern = "ddd d MMM yyyy" if weekday else "d MMM yyyy"
    return f"{QLocale().toString(day, pattern)}, {moment:%H:%M}"


class SessionTableModel(QAbstractTableModel):
    def __init__(
        self,
        repository: HistoryRepository,
        routine_title: RoutineTitles | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._routine_title = routine_title
        self._filter = ALL_SESSIONS
        self._sort = SortKey.STARTED
        self._descending = True
        self._keys: list[int] = []
        self._cache: dict[int, Session] = {}

    # -- what to show ---------------------------------------------------------------------

    @property
    def filter(self) -> SessionFilter:
        return self._filter

    def set_filter(self, session_filter: SessionFilter) -> None:
        self._filter = session_filter
        self.reload()

    def reload(self) -> None:
        """Read the matching row keys again (after a session ends, an import, an undo)."""
        self.beginResetModel()
        self._keys = self._repository.session_keys(self._filter, self._sort, self._descending)
        self._cache.clear()
        self.endResetModel()

    def session_at(self, row: int) -> Session:
        key = self._keys[row]
        session = self._cache.get(key)
        if session is None:
            self._load_around(row)
            session = self._cache[key]
        return session

    def row_of(self, session_id: str) -> int | None:
        key = self._repository.session_key(session_id)
        if key is None:
            return None
        try:
            return self._keys.index(key)
        except ValueError:
            return None

    def forget_row(self, row: int) -> None:
        """Drop a deleted session's row."""
        self.beginRemoveRows(QModelIndex(), row, row)
        self._cache.pop(self._keys.pop(row), None)
        self.endRemoveRows()

    def refresh_row(self, row: int) -> None:
        """Read one session again after an edit."""
        self._cache.pop(self._keys[row], None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _load_around(self, row: int) -> None:
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        start = max(0, row - BLOCK // 4)  # a little above too: people scroll both ways
        keys = [k for k in self._keys[start : start + BLOCK] if k not in self._cache]
        self._cache.update(self._repository.sessions_for_keys(keys))

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole and Column(section) in _CENTERED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(self.session_at(index.row()), column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(self.session_at(index.row()), column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignCenter if column in _CENTERED else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (Column.STATUS, Column.STEPS):
            session = self.session_at(index.row())
            if session.status is not Status.COMPLETED:
                return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort = SORT_KEYS[Column(column)]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old_keys = self._keys
        self._keys = self._repository.session_keys(self._filter, self._sort, self._descending)
        # Keep the selection and the current item on the same sessions.
        persistent = self.persistentIndexList()
        if persistent:
            new_rows = {key: row for row, key in enumerate(self._keys)}
            moved = []
            for index in persistent:
                row = new_rows.get(old_keys[index.row()])
                moved.append(QModelIndex() if row is None else self.index(row, index.column()))
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- cell contents --------------------------------------------------------------------

    def _text(self, session: Session, column: Column) -> str:
        if column is Column.STARTED:
            return date_text(self._repository.local_time(session.started_at))
        if column is Column.ROUTINE:
            return display_title(self._routine_title, session.routine_id, session.routine_title)
        if column is Column.PRACTISED:
            return duration_text(session.practised_seconds)
        if column is Column.STEPS:
            return f"{session.steps_done} / {session.steps_total}"
        if column is Column.STATUS:
            return STATUS_TEXT[session.status]
        if column is Column.BEFORE:
            return _NO_VALUE if session.before_rating is None else str(session.before_rating)
        if column is Column.AFTER:
            return _NO_VALUE if session.after_rating is None else str(session.after_rating)
        if column is Column.CHANGE:
            return _NO_VALUE if session.change is None else signed(session.change)
        return session.note.replace("\n", " ")

    def _tooltip(self, session: Session, column: Column) -> str | None:
        if column is Column.PRACTISED:
            return f"Practised {duration_text(session.practised_seconds)} of {duration_text(session.planned_seconds)}"
        if column in (Column.BEFORE, Column.AFTER, Column.CHANGE) and session.rating_label:
            return f"{session.rating_label}, 0–10"
        if column is Column.NOTE and session.note:
            return session.note
        if column is Column.STARTED:
            end = self._repository.local_time(session.ended_at)
            return f"{date_text(self._repository.local_time(session.started_at))} – {end:%H:%M}"
        return None
