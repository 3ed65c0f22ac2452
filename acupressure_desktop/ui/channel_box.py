"""The channel list under the map: one channel's points in order, and its tour.

No business logic: the Learn page gives the rows (number, code, title, note) in channel order;
this widget shows them, opens one when activated, and walks them with *Tour*, *Back*, *Next* and
*Stop* (buttons with mnemonics, and the arrow keys on the list), saying where it is in words for
screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.ui.accessibility import announce


@dataclass(frozen=True)
class ChannelRow:
    number: int
    code: str
    title: str  # "LU1 Zhōngfǔ · Central Treasury"
    note: str = ""  # "gentle", "reference", "not drawn on any view"…


class ChannelBox(QFrame):
    pointRequested = Signal(str)  # a row was activated: open that point
    tourStep = Signal(int)  # the tour moved to this row: show it (the page switches views)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setAccessibleName("Channel points")
        self.meridian = ""
        self.rows: list[ChannelRow] = []
        self.tour_index: int | None = None  # None: no tour
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAccessibleName("Close the channel list")
        self.close_button.setToolTip("Close the channel list (stops the tour)")
        self.close_button.clicked.connect(self.close_box)
        self.list = QListWidget()
        self.list.setAccessibleName("Points of the channel, in order")
        self.list.setMaximumHeight(96)  # about three rows: the map keeps its room
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.tour_button = QPushButton("&Tour")
        self.tour_button.setAccessibleName("Tour the channel point by point")
        self.back_button = QPushButton("&Back")
        self.back_button.setAccessibleName("Previous point of the tour")
        self.next_button = QPushButton("&Next")
        self.next_button.setAccessibleName("Next point of the tour")
        self.stop_button = QPushButton("St&op")
        self.stop_button.setAccessibleName("Stop the tour")
        self.tour_button.clicked.connect(self.start_tour)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.stop_button.clicked.connect(self.stop_tour)
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Tour position")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        buttons = QHBoxLayout()
        for button in (self.tour_button, self.back_button, self.next_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_box)
        self.list.installEventFilter(self)
        self._sync_buttons()

    def show_channel(self, meridian: str, heading: str, rows: list[ChannelRow]) -> None:
        """List a channel's points (stopping any tour of another channel)."""
        if meridian != self.meridian:
            self.stop_tour(quiet=True)
        self.meridian = meridian
        self.rows = rows
        self.title.setText(heading)
        self.setAccessibleDescription(heading)
        self.list.clear()
        for row in rows:
            note = f"  ({row.note})" if row.note else ""
            item = QListWidgetItem(f"{row.number}.  {row.title}{note}")
            item.setData(Qt.ItemDataRole.UserRole, row.code)
            self.list.addItem(item)
        self._sync_buttons()
        self.show()

    @Slot(QListWidgetItem)
    def _activated(self, item: QListWidgetItem) -> None:
        index = self.list.row(item)
        if self.tour_index is not None:
            self._go(index)
        else:
            self.pointRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def start_tour(self) -> None:
        if self.rows:
            self._go(0)

    @Slot()
    def next(self) -> None:
        if self.tour_index is not None and self.tour_index + 1 < len(self.rows):
            self._go(self.tour_index + 1)

    @Slot()
    def back(self) -> None:
        if self.tour_index is not None and self.tour_index > 0:
            self._go(self.tour_index - 1)

    @Slot()
    def stop_tour(self, quiet: bool = False) -> None:
        if self.tour_index is None:
            return
        self.tour_index = None
        self.status.setText("")
        self._sync_buttons()
        if not quiet:
            announce(self, "Tour stopped.")

    @Slot()
    def close_box(self) -> None:
        self.stop_tour(quiet=True)
        self.hide()
        self.closed.emit()

    def _go(self, index: int) -> None:
        self.tour_index = index
        self.list.setCurrentRow(index)
        self._sync_buttons()
        self.tourStep.emit(index)

    def say(self, text: str) -> None:
        """Where the tour is, in words (shown, and announced to a screen reader)."""
        self.status.setText(text)
        announce(self, text)

    def _sync_buttons(self) -> None:
        touring = self.tour_index is not None
        self.status.setVisible(touring)
        self.tour_button.setEnabled(bool(self.rows) and not touring)
        self.stop_button.setEnabled(touring)
        self.back_button.setEnabled(touring and (self.tour_index or 0) > 0)
        self.next_button.setEnabled(touring and (self.tour_index or 0) + 1 < len(self.rows))

    def eventFilter(self, watched: object, event: object) -> bool:
        """During a tour, Right/Left on the list go to the next/previous point as well."""
        if watched is self.list and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if self.tour_index is not None and event.key() == Qt.Key.Key_Right:
                self.next()
                return True
            if self.tour_index is not None and event.key() == Qt.Key.Key_Left:
                self.back()
                return True
        return False
