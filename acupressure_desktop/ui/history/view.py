"""The History page: totals, practice calendar, weekly minutes, before→after by routine, all sessions.

The page only shows and forwards: every number comes from the repository's SQL
statistics, every change goes through the repository. Storage faults (a full or
read-only disk) are shown in a warning line or a message box, never raised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.storage.errors import StorageError
from acupressure_desktop.storage.exchange import ExportFormat, ImportRefused, ImportResult, export_to_file, import_json
from acupressure_desktop.storage.history import (
    HistoryRepository,
    Overview,
    Period,
    RoutineChange,
    Session,
    SessionFilter,
    Status,
    week_start,
)
from acupressure_desktop.streaks import EVERY_DAY
from acupressure_desktop.ui.accessibility import current_item_on_focus
from acupressure_desktop.ui.dialogs import modal, warn
from acupressure_desktop.ui.history.charts import HEAT_WEEKS, HeatMap, WeeklyChart, minutes_text, mix
from acupressure_desktop.ui.history.checkin import EditSessionDialog
from acupressure_desktop.ui.history.model import (
    Column,
    RoutineTitles,
    SessionTableModel,
    date_text,
    display_title,
    signed,
)
from acupressure_desktop.ui.tasks import Progress, Task, TaskRunner, show_progress

T = TypeVar("T")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


class StatCard(QFrame):
    """A big number with a caption under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._caption = caption
        self.value_label = QLabel("–")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.75)
        font.setWeight(QFont.Weight.DemiBold)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("muted")
        # Wraps: an unwrapped caption ("no planned days in the last 4 weeks") set the page's minimum width.
        self.caption_label.setWordWrap(True)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        layout.addStretch(1)
        # As tall as the row: a card whose caption wraps to two lines must not leave the others
        # shorter and centred beside it (their tops and bottoms no longer lined up).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_value(self, value: str, detail: str = "") -> None:
        self.value_label.setText(value)
        self.caption_label.setText(f"{self._caption} · {detail}" if detail else self._caption)
        self.setAccessibleName(f"{self._caption}: {value}" + (f", {detail}" if detail else ""))


def _section(title: str, *widgets: QWidget, grow: QWidget | None = None) -> QFrame:
    """A titled card; ``grow`` takes the spare height (else the content stays at the top)."""
    card = QFrame()
    card.setObjectName("card")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    heading = QLabel(title)
    heading.setObjectName("subtitle")
    heading.setWordWrap(True)  # three cards side by side: their titles must not set the page's width
    layout = QVBoxLayout(card)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    layout.addWidget(heading)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is grow else 0)
    if grow is None:
        layout.addStretch(1)
    return card


MARK_RADIUS, HEAD_LENGTH = 5, 7  # the before ring and after dot; the arrowhead
TRACK_INSET = MARK_RADIUS + 2 + HEAD_LENGTH  # room at both ends for a head past a mark
CHANGE_WIDTH = 2 * TRACK_INSET + 100  # 10 px a point on the 0–10 scale


def change_arrow(before: float, after: float, left: float, right: float) -> tuple[float, int] | None:
    """Where the arrowhead of a before → after change is centred on a 0–10 track from ``left`` to
    ``right``, and which way it points (-1 left, +1 right); None when nothing changed. Midway between
    the marks when there is room for it; else just past the "after" dot, pointing on, so the
    direction reads at a glance even for a small change (the usual one: a point or so)."""
    if abs(after - before) < 0.05:
        return None
    way = 1 if after > before else -1
    x_before, x_after = (left + (right - left) * value / 10 for value in (before, after))
    if abs(x_after - x_before) > 2 * MARK_RADIUS + HEAD_LENGTH + 2:
        return (x_before + x_after) / 2, way
    return x_after + way * (MARK_RADIUS + 2 + HEAD_LENGTH / 2), way


class ChangeDelegate(QStyledItemDelegate):
    """Draws before → after on a 0–10 track: a ring for before, a dot for after, an arrowhead
    pointing the way the rating went."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, QModelIndex())  # background and selection only
        values = index.data(Qt.ItemDataRole.UserRole)
        if not values:
            return
        before, after = values
        palette = option.palette
        rect: QRect = option.rect
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        left, right = rect.left() + TRACK_INSET, rect.right() - TRACK_INSET
        y = rect.center().y()

        def x_of(value: float) -> float:
            return left + (right - left) * value / 10

        round_cap = (Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        r = MARK_RADIUS
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(mix(base, text, 0.15), 2, *round_cap))
        painter.drawLine(left, y, right, y)
        painter.setPen(QPen(accent, 3, *round_cap))
        painter.drawLine(int(x_of(before)), y, int(x_of(after)), y)
        painter.setPen(QPen(accent, 2))
        painter.setBrush(base)
        painter.drawEllipse(QRect(int(x_of(before)) - r, y - r, 2 * r, 2 * r))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawEllipse(QRect(int(x_of(after)) - r, y - r, 2 * r, 2 * r))
        arrow = change_arrow(before, after, left, right)
        if arrow is not None:
            centre, way = arrow
            tip, back = centre + way * HEAD_LENGTH / 2, centre - way * HEAD_LENGTH / 2
            painter.drawPolygon(QPolygonF([QPointF(tip, y), QPointF(back, y - 5), QPointF(back, y + 5)]))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(CHANGE_WIDTH, 26)


class RoutineChangeTable(QTableWidget):
    """Per routine: average rating before and after, the change, and how many sessions it rests on."""

    HEADERS = ("Routine", "Before → after", "Change", "Sessions")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.setAccessibleName("Average rating before and after, per routine")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.setItemDelegateForColumn(1, ChangeDelegate(self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, CHANGE_WIDTH)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.verticalHeader().setDefaultSectionSize(27)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QTableWidget { border: none; }")  # it sits in a card already
        # As tall as the charts beside it, no taller: the sessions table below gets the room.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(110)

    def set_changes(self, changes: list[RoutineChange], titles: RoutineTitles | None) -> None:
        self.setRowCount(len(changes))
        for row, change in enumerate(changes):
            title = display_title(titles, change.routine_id, change.routine_title)
            name = QTableWidgetItem(title)
            name.setToolTip(f"{title}\nRated: {change.rating_label or 'rating'}, 0–10")
            track = QTableWidgetItem()
            track.setData(Qt.ItemDataRole.UserRole, (change.average_before, change.average_after))
            spoken = f"{change.average_before:.1f} to {change.average_after:.1f}"
            track.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            track.setToolTip(
                f"{change.rating_label or 'Rating'}: {change.average_before:.1f} → {change.average_after:.1f}"
            )
            delta = QTableWidgetItem(signed(change.average_change, 1))
            delta.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            count = QTableWidgetItem(f"{change.sessions:,}")
            count.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            for column, item in enumerate((name, track, delta, count)):
                self.setItem(row, column, item)


class UndoBar(QFrame):
    """'Session deleted. Undo' after a delete, until dismissed or undone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.label = QLabel()
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the delete")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.close_button)
        self.setAutoFillBackground(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        palette = self.palette()
        palette.setColor(
            QPalette.ColorRole.Window,
            mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight), 0.14),
        )
        self.setPalette(palette)
        self.show()


PERIODS = tuple(Period)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class HistoryView(QWidget):
    """The History page; ``refresh()`` after a session ends."""

    historyChanged = Signal()  # after an edit, a delete, an undo or an import
    restDayToggled = Signal(object, bool)  # date, rest: the person marked (or unmarked) a rest day

    def __init__(
        self,
        repository: HistoryRepository,
        routine_title: RoutineTitles | None = None,
        parent: QWidget | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks or TaskRunner(self)
        self.repository = repository
        self._titles = routine_title
        self._deleted: list[Session] = []  # newest last: what Undo brings back
        self._weekdays: tuple[int, ...] = EVERY_DAY  # the planned practice days, for fair streaks
        self._rest_days: tuple[date, ...] = ()
        self._stats_task: Task[Overview] | None = None  # the newest read of the statistics
        self._exchanging = False  # an export or import is running: one at a time

        title = QLabel("Practice history")
        title.setObjectName("title")
        self.import_button = QPushButton("Import…")
        self.import_button.setAccessibleName("Import a history export")
        self.import_button.clicked.connect(self.import_history)
        self.export_button = QPushButton("Export")
        self.export_button.setAccessibleName("Export the sessions shown")
        export_menu = QMenu(self.export_button)
        export_menu.addAction("As CSV (spreadsheets)…", lambda: self.export_history(ExportFormat.CSV))
        export_menu.addAction("As JSON (can be imported)…", lambda: self.export_history(ExportFormat.JSON))
        self.export_button.setMenu(export_menu)
        self.rest_button = QPushButton("Rest day today")
        self.rest_button.setCheckable(True)
        self.rest_button.setAccessibleName("Mark today as a rest day")
        self.rest_button.setToolTip("A rest day never ends a streak")
        self.rest_button.toggled.connect(self._on_rest_toggled)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.rest_button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)

        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.hide()

        self.week_card = StatCard("This week")
        self.current_card = StatCard("Current streak")
        self.longest_card = StatCard("Longest streak")
        self.consistency_card = StatCard("Last 4 weeks")
        self.sessions_card = StatCard("Sessions")
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in (self.week_card, self.current_card, self.consistency_card, self.longest_card, self.sessions_card):
            cards.addWidget(card)

        self.heat_map = HeatMap()
        self.heat_map.dayActivated.connect(self.show_day)
        self.weekly_chart = WeeklyChart()
        charts = QHBoxLayout()
        charts.setSpacing(12)
        charts.addWidget(_section(f"Practice days · last {HEAT_WEEKS} weeks", self.heat_map, grow=self.heat_map), 5)
        charts.addWidget(_section("Minutes per week", self.weekly_chart, grow=self.weekly_chart), 4)
        # The third card, before → after by routine, is added below once its table exists.

        self.period = QComboBox()
        self.period.addItems([p.value for p in PERIODS])
        self.period.setAccessibleName("Period")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit, name in ((self.first_day, "From date"), (self.last_day, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._apply_filter)
            edit.setVisible(False)
        self.routine_filter = QComboBox()
        self.routine_filter.setAccessibleName("Routine")
        self.routine_filter.setMinimumContentsLength(16)
        self.routine_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.routine_filter.currentIndexChanged.connect(self._apply_filter)
        self.clear_filter_button = QPushButton("Show all")
        self.clear_filter_button.setAccessibleName("Clear the filters")
        self.clear_filter_button.clicked.connect(self.clear_filters)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected session")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName("Delete the selected session")
        self.delete_button.clicked.connect(self.delete_selected)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.first_day_dash = QLabel("–")
        self.first_day_dash.setVisible(False)
        for widget in (self.period, self.first_day, self.first_day_dash, self.last_day, self.routine_filter):
            filters.addWidget(widget)
        filters.addWidget(self.clear_filter_button)
        filters.addStretch(1)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.delete_button)

        self.model = SessionTableModel(repository, routine_title, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sessions")
        current_item_on_focus(self.table)  # a screen reader says a row as the table gets focus
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.STARTED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in (
            (Column.STARTED, 172),
            (Column.ROUTINE, 176),
            (Column.PRACTISED, 78),
            (Column.STEPS, 60),
            (Column.STATUS, 112),
            (Column.BEFORE, 62),
            (Column.AFTER, 62),
            (Column.CHANGE, 66),
        ):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")

        self.undo_bar = UndoBar()
        self.undo_bar.undo_button.clicked.connect(self.undo_delete)

        sessions = _section(
            "Sessions", self._wrap(filters), self.undo_bar, self.table, self.count_label, grow=self.table
        )
        self.changes = RoutineChangeTable()
        self.changes_legend = QLabel(
            "○ before → ● after (the arrow points the way it went) · averages on the 0–10 scale"
        )
        self.changes_legend.setObjectName("muted")
        self.changes_legend.setWordWrap(True)  # one unwrapped line made the page 1,100 px wide at least
        self.changes_empty = QLabel("Rate a session before and after it to see here how much each routine helps you.")
        self.changes_empty.setObjectName("muted")
        self.changes_empty.setWordWrap(True)
        self.changes_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.changes_stack = QStackedWidget()  # the table, or a line saying how to fill it
        self.changes_stack.addWidget(self.changes_empty)
        self.changes_stack.addWidget(self.changes)
        charts.addWidget(
            _section("Before → after, by routine", self.changes_stack, self.changes_legend, grow=self.changes_stack),
            5,
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addLayout(cards)
        # On a tall screen the charts grow too (a third of the spare height): the sessions table alone
        # took it, and the heat map stayed a strip of small cells above 600 px of empty table.
        layout.addLayout(charts, 1)
        layout.addWidget(sessions, 2)

        self.delete_action = QAction("Delete session", self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)
        self.undo_action = QAction("Undo delete", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_delete)
        self.addAction(self.undo_action)

        self.refresh()

    @staticmethod
    def _wrap(layout: QHBoxLayout) -> QWidget:
        holder = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(layout)
        return holder

    # -- reading ---------------------------------------------------------------------------

    @contextmanager
    def _storage(self, action: str) -> Iterator[None]:
        """Show storage faults in the warning line instead of raising them."""
        try:
            yield
        except StorageError as exc:
            self.warning.setText(f"{action}: {exc}")
            self.warning.show()
        else:
            self.warning.hide()

    @Slot()
    def refresh(self) -> None:
        """Read everything again: after a session ends, an import, or a day change."""
        with self._storage("The history could not be read"):
            self._refresh_routines()
            self.model.reload()
            self._refresh_stats()
        self._update_count()

    def set_plan(self, weekdays: tuple[int, ...], rest_days: tuple[date, ...]) -> None:
        """The planned practice days and the rest days the streaks count with."""
        if (weekdays or EVERY_DAY, rest_days) != (self._weekdays, self._rest_days):
            self._weekdays, self._rest_days = weekdays or EVERY_DAY, rest_days
            with self._storage("The history could not be read"):
                self._refresh_stats()

    @Slot(bool)
    def _on_rest_toggled(self, rest: bool) -> None:
        self.restDayToggled.emit(self.repository.today(), rest)

    def _refresh_stats(self) -> None:
        """Read the cards' and charts' figures in a worker; the newest read is the one shown."""
        source, weekdays, rest_days = self.repository, self._weekdays, self._rest_days

        def read(_progress: Progress) -> Overview:
            repository = source.for_worker()
            try:
                return repository.overview(HEAT_WEEKS, weekdays, rest_days)
            finally:
                repository.db.close()

        self._stats_task = task = self.tasks.start(read)
        task.succeeded.connect(self._show_overview)
        task.failed.connect(self._overview_failed)

    @property
    def stats_pending(self) -> bool:
        """The cards and charts wait for a read of the statistics."""
        return self._stats_task is not None

    @Slot(object)
    def _overview_failed(self, exc: BaseException) -> None:
        if self.sender() is not self._stats_task:
            return  # a newer read is on its way
        self._stats_task = None
        if not isinstance(exc, StorageError):
            raise exc  # a bug: the error dialog and the log
        self.warning.setText(f"The history could not be read: {exc}")
        self.warning.show()

    @Slot(object)
    def _show_overview(self, overview: Overview) -> None:
        if self.sender() is not self._stats_task:
            return
        self._stats_task = None
        today, summary, kept = overview.today, overview.summary, overview.consistency
        self.week_card.set_value(minutes_text(summary.week_seconds / 60))
        planned = "planned days" if self._weekdays != EVERY_DAY or self._rest_days else ""
        self.current_card.set_value(_plural(summary.streaks.current, "day"), planned)
        # Before the first session there is nothing to measure: "no planned days" read as a fault.
        kept_text = kept.describe() if summary.sessions else "counts from your first session"
        self.consistency_card.set_value("–" if kept.ratio is None else f"{kept.ratio:.0%}", kept_text)
        self.rest_button.blockSignals(True)
        self.rest_button.setChecked(today in self._rest_days)
        self.rest_button.blockSignals(False)
        longest = summary.streaks.longest_end
        self.longest_card.set_value(
            _plural(summary.streaks.longest, "day"),
            f"ended {longest.day} {longest:%b %Y}" if longest and longest < today - timedelta(days=1) else "",
        )
        self.sessions_card.set_value(f"{summary.sessions:,}", minutes_text(summary.seconds / 60) + " in all")
        self.heat_map.set_days(overview.days, today)
        self.weekly_chart.set_weeks(overview.weeks, week_start(today))
        changes = overview.changes
        self.changes.set_changes(changes, self._titles)
        self.changes_stack.setCurrentWidget(self.changes if changes else self.changes_empty)
        self.changes_legend.setVisible(bool(changes))

    def _refresh_routines(self) -> None:
        chosen = self.routine_filter.currentData()
        self.routine_filter.blockSignals(True)
        self.routine_filter.clear()
        self.routine_filter.addItem("All routines", None)
        for routine_id, stored_title in self.repository.routines():
            self.routine_filter.addItem(display_title(self._titles, routine_id, stored_title), routine_id)
        index = self.routine_filter.findData(chosen)
        self.routine_filter.setCurrentIndex(max(0, index))
        self.routine_filter.blockSignals(False)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        filtered = self.model.filter != SessionFilter()
        if shown:
            text = _plural(shown, "session") + (" match the filters" if filtered else "")
        elif filtered:
            text = "No sessions match the filters."
        else:
            text = "No sessions yet: each routine you practise appears here."
        self.count_label.setText(text)
        self.clear_filter_button.setEnabled(filtered)

    # -- filters -----------------------------------------------------------------------------

    def _period_changed(self, index: int) -> None:
        custom = PERIODS[index] is Period.CUSTOM
        if custom and not self.first_day.isVisibleTo(self):
            today = self.repository.today()
            self._set_dates(today - timedelta(days=29), today)
        self._show_dates(custom)
        self._apply_filter()

    def _show_dates(self, visible: bool) -> None:
        for widget in (self.first_day, self.first_day_dash, self.last_day):
            widget.setVisible(visible)

    def _set_dates(self, first: date, last: date) -> None:
        for edit, day in ((self.first_day, first), (self.last_day, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def current_filter(self) -> SessionFilter:
        today = self.repository.today()
        routine_id = self.routine_filter.currentData()
        period = PERIODS[self.period.currentIndex()]
        first, last = period.first_day(today), None
        if period is Period.CUSTOM:
            first, last = _day(self.first_day.date()), _day(self.last_day.date())
        return SessionFilter(first_day=first, last_day=last, routine_id=routine_id)

    @Slot()
    def _apply_filter(self) -> None:
        with self._storage("The history could not be read"):
            self.model.set_filter(self.current_filter())
        self._update_count()

    @Slot(object)
    def show_day(self, day: date) -> None:
        """Show the sessions of one day (a click on the calendar)."""
        self._set_dates(day, day)
        self.period.blockSignals(True)
        self.period.setCurrentIndex(PERIODS.index(Period.CUSTOM))
        self.period.blockSignals(False)
        self._show_dates(True)
        self._apply_filter()

    @Slot()
    def clear_filters(self) -> None:
        self.routine_filter.blockSignals(True)
        self.routine_filter.setCurrentIndex(0)
        self.routine_filter.blockSignals(False)
        self.period.setCurrentIndex(0)
        self._apply_filter()

    # -- editing -----------------------------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_session(self) -> Session | None:
        row = self.selected_row()
        return None if row is None else self.model.session_at(row)

    @Slot()
    def _update_buttons(self) -> None:
        session = self.selected_session() if self.model.rowCount() else None
        editable = session is not None and session.status is not Status.RUNNING
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.delete_action.setEnabled(editable)
        self.undo_action.setEnabled(bool(self._deleted))
        for button in (self.export_button, self.import_button):
            button.setEnabled(not self._exchanging)

    def _title_of(self, session: Session) -> str:
        return display_title(self._titles, session.routine_id, session.routine_title)

    @Slot()
    def edit_selected(self) -> None:
        session = self.selected_session()
        if session is None or session.status is Status.RUNNING:
            return
        title = f"{self._title_of(session)} · {date_text(self.repository.local_time(session.started_at))}"
        with modal(EditSessionDialog(session, title, self)) as dialog:
            if dialog.exec() != EditSessionDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        self.apply_edit(session.id, *values)

    def apply_edit(self, session_id: str, before: int | None, after: int | None, note: str) -> None:
        with self._storage("The change could not be saved"):
            self.repository.set_checkin(session_id, before, after, note)
            row = self.model.row_of(session_id)
            if row is not None:
                self.model.refresh_row(row)
            self._refresh_stats()
            self.historyChanged.emit()

    @Slot()
    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        session = self.model.session_at(row)
        if session.status is Status.RUNNING:
            return
        with self._storage("The session could not be deleted"):
            deleted = self.repository.delete(session.id)
            self._deleted.append(deleted)
            self.model.forget_row(row)
            if self.model.rowCount():
                self.table.selectRow(min(row, self.model.rowCount() - 1))
            self._refresh_stats()
            self._refresh_routines()
            when = date_text(self.repository.local_time(deleted.started_at))
            self.undo_bar.show_message(f"Deleted “{self._title_of(deleted)}” of {when}.")
            self.historyChanged.emit()
        self._update_count()
        self._update_buttons()

    @Slot()
    def undo_delete(self) -> None:
        if not self._deleted:
            return
        session = self._deleted[-1]
        with self._storage("The session could not be restored"):
            self.repository.restore(session)
            self._deleted.pop()
            self.model.reload()
            row = self.model.row_of(session.id)
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            self._refresh_stats()
            self._refresh_routines()
            if self._deleted:
                last = self._deleted[-1]
                when = date_text(self.repository.local_time(last.started_at))
                self.undo_bar.show_message(f"Deleted “{self._title_of(last)}” of {when}.")
            else:
                self.undo_bar.hide()
            self.historyChanged.emit()
        self._update_count()
        self._update_buttons()

    # -- export and import -----------------------------------------------------------------

    def _in_worker(self, job: Callable[[HistoryRepository, Progress], T], label: str) -> Task[T]:
        """Run ``job`` on a connection of its own in a worker, with a progress dialog; one job at a time."""

        def run(progress: Progress) -> T:
            repository = self.repository.for_worker()
            try:
                return job(repository, progress)
            finally:
                repository.db.close()

        task = self.tasks.start(run)
        self._exchanging = True
        for button in (self.export_button, self.import_button):
            button.setEnabled(False)
        task.ended.connect(self._exchange_ended)
        show_progress(task, self, label)
        return task

    @Slot()
    def _exchange_ended(self) -> None:
        self._exchanging = False
        self._update_buttons()

    def export_history(self, fmt: ExportFormat) -> Task[int] | None:
        suffix = f".{fmt.value}"
        kind = "CSV files (*.csv)" if fmt is ExportFormat.CSV else "JSON files (*.json)"
        default = Path.home() / f"practice-history-{self.repository.today().isoformat()}{suffix}"
        chosen, _ = QFileDialog.getSaveFileName(self, "Export practice history", str(default), kind)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        chosen_filter = self.model.filter
        task = self._in_worker(
            lambda repository, progress: export_to_file(repository, path, fmt, chosen_filter, progress),
            "Exporting your practice history…",
        )
        task.succeeded.connect(
            lambda count: QMessageBox.information(
                self, "Export done", f"Exported {_plural(count, 'session')} to\n{path}"
            )
        )
        task.failed.connect(
            lambda exc: self._failed("Export failed", f"The history could not be exported.\n\n{exc}", exc)
        )
        return task

    @Slot()
    def import_history(self) -> Task[ImportResult] | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import practice history", str(Path.home()), "History export (*.json);;All files (*)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        task = self._in_worker(
            lambda repository, progress: import_json(repository, path, report=progress),
            "Importing a practice history…",
        )
        task.succeeded.connect(self._imported)
        task.failed.connect(lambda exc: self._import_failed(path, exc))
        return task

    def _imported(self, result: ImportResult) -> None:
        self.refresh()
        self.historyChanged.emit()
        QMessageBox.information(
            self,
            "Import done",
            f"Added {_plural(result.added, 'session')}; "
            f"{_plural(result.skipped, 'session')} {'was' if result.skipped == 1 else 'were'} already in your history.",
        )

    def _import_failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            problems = "\n".join(f"• {problem}" for problem in exc.problems)
            self._failed("Nothing was imported", f"{path.name} cannot be imported:\n\n{problems}", exc)
        else:
            self._failed("Nothing was imported", f"The file could not be imported.\n\n{exc}", exc)

    def _failed(self, title: str, text: str, exc: BaseException) -> None:
        """Say what the disk or the file did wrong; anything else is a bug for the error reporter."""
        if not isinstance(exc, (StorageError, OSError)):
            raise exc
        warn(self, title, text)
