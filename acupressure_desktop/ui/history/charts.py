"""Custom-painted charts of the history: a calendar heat map and minutes per week.

Both paint with the widget's palette (Base, Text, Highlight, Mid, PlaceholderText),
so they follow the light and dark themes without colours of their own. Both work by
keyboard: the arrow keys move a cursor over days or weeks, whose value is shown as a
tooltip and given to assistive technology as the accessible description.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from acupressure_desktop.storage.history import DayTotal, WeekTotal

# Minutes that raise a day to the next shade; fixed, so a shade means the same every month.
LEVELS = (10, 20, 40)
HEAT_WEEKS = 26
# Round steps of the weekly chart's axis, in minutes.
_STEPS = (5, 10, 15, 20, 30, 60, 90, 120, 180, 240, 300, 600, 900, 1200, 1800, 3000)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def minutes_text(minutes: float) -> str:
    minutes = round(minutes)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def label_left(left: float, text_width: float, limit: float) -> float:
    """A label's left edge: where it belongs, moved left just enough to end inside ``limit`` ("Dec",
    not "De", at the right edge of a chart)."""
    return min(left, limit - text_width - 2)


def _small_font(widget: QWidget) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    return font


class HeatMap(QWidget):
    """Practice per day over the last weeks, one column per week, Monday on top (GitHub style)."""

    dayActivated = Signal(object)  # date: clicked, or Enter on the keyboard cursor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: dict[date, DayTotal] = {}
        self._last = date.today()
        self._cursor: date | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(f"Practice days, last {HEAT_WEEKS} weeks")

    # -- data ----------------------------------------------------------------------------

    def set_days(self, days: dict[date, DayTotal], last_day: date) -> None:
        self._days = days
        self._last = last_day
        if self._cursor is None or not self.first_day <= self._cursor <= last_day:
            self._cursor = last_day
        self._describe()
        self.update()

    @property
    def first_day(self) -> date:
        return self._last - timedelta(days=self._last.weekday() + 7 * (HEAT_WEEKS - 1))

    @property
    def cursor_day(self) -> date | None:
        return self._cursor

    def day_text(self, day: date) -> str:
        total = self._days.get(day)
        label = f"{day:%A} {day.day} {day:%B %Y}"
        if total is None:
            return f"{label}: no practice"
        sessions = "1 session" if total.sessions == 1 else f"{total.sessions} sessions"
        return f"{label}: {minutes_text(total.minutes)} in {sessions}"

    def level(self, day: date) -> int:
        total = self._days.get(day)
        if total is None or total.seconds <= 0:
            return 0
        return 1 + sum(total.minutes >= threshold for threshold in LEVELS)

    # -- geometry ------------------------------------------------------------------------

    def _label_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("Mon") + 8

    def _legend_height(self) -> float:
        return self.fontMetrics().height() + 8.0

    def _cell(self) -> float:
        across = (self.width() - self._label_width() - 2) / HEAT_WEEKS
        down = (self.height() - self._top() - self._legend_height()) / 7
        return max(8.0, min(20.0, across, down))

    def _left(self) -> float:
        """Where the grid starts: the weekday labels' width, and the grid centred when the cells
        reach their largest size (on a wide screen it sat at the card's left, half of it empty)."""
        grid = self._label_width() + HEAT_WEEKS * self._cell()
        return self._label_width() + max(0.0, (self.width() - grid) / 2)

    def _top(self) -> float:
        return float(self.fontMetrics().height() + 4)

    def _cell_rect(self, day: date) -> QRectF:
        cell = self._cell()
        gap = max(2.0, round(cell / 5))
        column = (day - self.first_day).days // 7
        return QRectF(
            self._left() + column * cell,
            self._top() + day.weekday() * cell,
            cell - gap,
            cell - gap,
        )

    def _day_at(self, point: QPoint) -> date | None:
        cell = self._cell()
        column = math.floor((point.x() - self._left()) / cell)
        row = math.floor((point.y() - self._top()) / cell)
        if not (0 <= column < HEAT_WEEKS and 0 <= row < 7):
            return None
        day = self.first_day + timedelta(days=7 * column + row)
        return day if day <= self._last else None

    def sizeHint(self) -> QSize:
        height = self._top() + 7 * 16 + self._legend_height()
        return QSize(self._label_width() + HEAT_WEEKS * 16 + 2, int(height))

    def minimumSizeHint(self) -> QSize:
        height = self._top() + 7 * 12 + self._legend_height()
        return QSize(self._label_width() + HEAT_WEEKS * 8 + 2, int(height))

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        shades = [mix(base, text, 0.08)] + [mix(base, accent, t) for t in (0.3, 0.55, 0.8, 1.0)]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(_small_font(self))
        metrics = painter.fontMetrics()
        cell = self._cell()
        radius = max(2.0, cell / 5)

        painter.setPen(muted)
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            # Centred on the row and never clipped, however small the cells ("Fri", not "Fr").
            middle = self._top() + row * cell + (cell - 2) / 2
            rect = QRectF(
                self._left() - self._label_width(),
                middle - metrics.height() / 2,
                self._label_width() - 6,
                metrics.height(),
            )
            flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip
            painter.drawText(rect, int(flags), name)

        month_right = -1.0
        for column in range(HEAT_WEEKS):
            monday = self.first_day + timedelta(days=7 * column)
            first_of_month = next(
                (monday + timedelta(days=n) for n in range(7) if (monday + timedelta(days=n)).day == 1), None
            )
            if column == 0 or first_of_month is not None:
                name = (first_of_month or monday).strftime("%b")
                left = label_left(self._left() + column * cell, metrics.horizontalAdvance(name), self.width())
                if left > month_right:
                    painter.drawText(QRectF(left, 0, 60, self._top() - 2), int(Qt.AlignmentFlag.AlignBottom), name)
                    month_right = left + metrics.horizontalAdvance(name) + 6

        painter.setPen(Qt.PenStyle.NoPen)
        day = self.first_day
        while day <= self._last:
            painter.setBrush(shades[self.level(day)])
            painter.drawRoundedRect(self._cell_rect(day), radius, radius)
            day += timedelta(days=1)

        today_rect = self._cell_rect(self._last).adjusted(-1, -1, 1, 1)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(mix(base, text, 0.55), 1.2))
        painter.drawRoundedRect(today_rect, radius + 1, radius + 1)
        if self.hasFocus() and self._cursor is not None:
            painter.setPen(QPen(accent, 2))
            painter.drawRoundedRect(self._cell_rect(self._cursor).adjusted(-2, -2, 2, 2), radius + 2, radius + 2)

        # Legend: less ■■■■■ more
        less, swatches, more = self.legend_layout(metrics, len(shades))
        painter.setPen(muted)
        centred = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(less, centred, "Less")
        painter.setPen(Qt.PenStyle.NoPen)
        for shade, swatch in zip(shades, swatches, strict=True):
            painter.setBrush(shade)
            painter.drawRoundedRect(swatch, 2, 2)
        painter.setPen(muted)
        painter.drawText(more, centred, "More")
        painter.end()

    def legend_layout(self, metrics: QFontMetrics, count: int) -> tuple[QRectF, list[QRectF], QRectF]:
        """Where "Less", the ``count`` swatches and "More" go under the grid. The words get a line of
        their own height (a rectangle as tall as the small swatches cut them off at the bottom)."""
        cell = self._cell()
        legend_y = self._top() + 7 * cell + 6
        size = min(cell - 2, 11.0)
        line = float(metrics.height())
        middle = legend_y + max(size, line) / 2
        right = self._left() + HEAT_WEEKS * cell - 2
        more_width = metrics.horizontalAdvance("More")
        less_width = metrics.horizontalAdvance("Less")
        x = right - more_width - 4 - count * (size + 3)
        less = QRectF(x - less_width - 6, middle - line / 2, less_width + 4, line)
        swatches = []
        for _ in range(count):
            swatches.append(QRectF(x, middle - size / 2, size, size))
            x += size + 3
        more = QRectF(x + 3, middle - line / 2, more_width + 4, line)
        return less, swatches, more

    # -- interaction ---------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            day = self._day_at(event.pos())
            return _tooltip(self, event, None if day is None else self.day_text(day))
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self._day_at(event.position().toPoint())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self._move_cursor(day)
            self.dayActivated.emit(day)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: -7,
            Qt.Key.Key_Right: 7,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
        }
        key = event.key()
        if self._cursor is not None and key in steps:
            self._move_cursor(self._cursor + timedelta(days=steps[Qt.Key(key)]))
        elif key == Qt.Key.Key_Home:
            self._move_cursor(self.first_day)
        elif key == Qt.Key.Key_End:
            self._move_cursor(self._last)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._cursor is not None:
            self.dayActivated.emit(self._cursor)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _move_cursor(self, day: date) -> None:
        day = min(max(day, self.first_day), self._last)
        self._cursor = day
        self._describe()
        self.update()
        if self.hasFocus():
            rect = self._cell_rect(day).toRect()
            QToolTip.showText(self.mapToGlobal(rect.bottomRight()), self.day_text(day), self)

    def _describe(self) -> None:
        if self._cursor is not None:
            self.setAccessibleDescription(self.day_text(self._cursor))


class WeeklyChart(QWidget):
    """Minutes practised per ISO week, as bars over a light grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: list[WeekTotal] = []
        self._current: date | None = None
        self._cursor: int | None = None
        self._hover: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Minutes per week")

    def set_weeks(self, weeks: list[WeekTotal], current_week: date) -> None:
        self._weeks = weeks
        self._current = current_week
        self._cursor = len(weeks) - 1 if weeks else None
        self._hover = None
        self._describe()
        self.update()

    @property
    def weeks(self) -> list[WeekTotal]:
        return self._weeks

    def week_text(self, index: int) -> str:
        week = self._weeks[index]
        end = week.week_start + timedelta(days=6)
        sessions = "1 session" if week.sessions == 1 else f"{week.sessions} sessions"
        span = f"{week.week_start.day} {week.week_start:%b} – {end.day} {end:%b %Y}"
        if not week.sessions:
            return f"Week of {span}: no practice"
        return f"Week of {span}: {minutes_text(week.minutes)} in {sessions}"

    @staticmethod
    def scale(top_minutes: float) -> tuple[float, float]:
        """(step, top) of the y axis: at most four round steps reach the highest bar.

        The last step (50 h) covers any week: a week has 168 hours.
        """
        step = next((s for s in _STEPS if top_minutes <= s * 4), _STEPS[-1])
        return float(step), float(step * max(1, math.ceil(top_minutes / step)))

    @staticmethod
    def tick_text(minutes: float, step: float) -> str:
        """Hours when every step is whole hours, else minutes."""
        if step % 60 == 0:
            return f"{minutes / 60:g} h"
        return f"{minutes:g}"

    def sizeHint(self) -> QSize:
        return QSize(360, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 110)

    def _plot(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("0000") + 10
        return QRectF(left, metrics.height() / 2 + 2, self.width() - left - 4, self.height() - 2.2 * metrics.height())

    def _bar_rect(self, index: int, top: float) -> QRectF:
        plot = self._plot()
        slot = plot.width() / max(1, len(self._weeks))
        width = max(2.0, slot * 0.62)
        minutes = self._weeks[index].minutes
        height = 0.0 if top <= 0 else plot.height() * minutes / top
        if minutes > 0:
            height = max(height, 2.0)
        left = plot.left() + index * slot + (slot - width) / 2
        return QRectF(left, plot.bottom() - height, width, height)

    def _index_at(self, point: QPoint) -> int | None:
        plot = self._plot()
        if not self._weeks or not plot.left() <= point.x() <= plot.right():
            return None
        slot = plot.width() / len(self._weeks)
        index = int((point.x() - plot.left()) // slot)
        return index if 0 <= index < len(self._weeks) else None

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = mix(base, text, 0.12)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(_small_font(self))
        metrics = painter.fontMetrics()
        plot = self._plot()

        highest = max((w.minutes for w in self._weeks), default=0.0)
        if highest <= 0:
            painter.setPen(QPen(grid, 1))
            painter.drawLine(plot.bottomLeft(), plot.bottomRight())
            painter.setPen(muted)
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "No practice in these weeks yet")
            painter.end()
            return

        step, top = self.scale(highest)
        value = 0.0
        while value <= top + 1e-9:
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(grid, 1, Qt.PenStyle.SolidLine if value == 0 else Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
            painter.drawText(
                label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), self.tick_text(value, step)
            )
            value += step

        painter.setPen(Qt.PenStyle.NoPen)
        for index, week in enumerate(self._weeks):
            rect = self._bar_rect(index, top)
            if rect.height() <= 0:
                continue
            colour = accent if week.week_start != self._current else mix(base, accent, 0.55)
            if index == self._hover or (self.hasFocus() and index == self._cursor):
                colour = mix(colour, text, 0.25)
            painter.setBrush(colour)
            radius = min(3.0, rect.width() / 3)
            painter.drawRoundedRect(rect.adjusted(0, 0, 0, radius), radius, radius)  # square bottom, round top

        # Month names under the first week of each month, as long as they do not collide.
        painter.setPen(muted)
        right_edge = -1.0
        slot = plot.width() / len(self._weeks)
        for index, week in enumerate(self._weeks):
            sunday = week.week_start + timedelta(days=6)
            starts_month = week.week_start.day == 1 or sunday.month != week.week_start.month
            if index == 0 or starts_month:
                name = (sunday if starts_month and index else week.week_start).strftime("%b")
                left = label_left(plot.left() + index * slot, metrics.horizontalAdvance(name), self.width())
                if left > right_edge:
                    painter.drawText(QRectF(left, plot.bottom() + 3, 60, metrics.height()), name)
                    right_edge = left + metrics.horizontalAdvance(name) + 8
        if self.hasFocus() and self._cursor is not None:
            painter.setPen(QPen(accent, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            cell = QRectF(plot.left() + self._cursor * slot, plot.top(), slot, plot.height()).adjusted(0.5, 0, -0.5, 0)
            painter.drawRoundedRect(cell, 3, 3)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self._index_at(event.pos())
            return _tooltip(self, event, None if index is None else self.week_text(index))
        if event.type() == QEvent.Type.Leave:
            self._hover = None
            self.update()
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position().toPoint())
        if index != self._hover:
            self._hover = index
            self.update()
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._weeks or self._cursor is None:
            super().keyPressEvent(event)
            return
        key = event.key()
        moves = {Qt.Key.Key_Left: self._cursor - 1, Qt.Key.Key_Right: self._cursor + 1}
        if key in moves:
            target = moves[Qt.Key(key)]
        elif key == Qt.Key.Key_Home:
            target = 0
        elif key == Qt.Key.Key_End:
            target = len(self._weeks) - 1
        else:
            super().keyPressEvent(event)
            return
        self._cursor = max(0, min(len(self._weeks) - 1, target))
        self._describe()
        self.update()
        plot = self._plot()
        slot = plot.width() / len(self._weeks)
        anchor = QPoint(int(plot.left() + (self._cursor + 0.5) * slot), int(plot.bottom()))
        QToolTip.showText(self.mapToGlobal(anchor), self.week_text(self._cursor), self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _describe(self) -> None:
        if self._cursor is not None:
            self.setAccessibleDescription(self.week_text(self._cursor))


def _tooltip(widget: QWidget, event: QHelpEvent, text: str | None) -> bool:
    """Answer a tooltip event: show ``text``, or hide the tooltip where there is nothing to say."""
    if text is None:
        QToolTip.hideText()
        event.ignore()
    else:
        QToolTip.showText(event.globalPos(), text, widget)
    return True
