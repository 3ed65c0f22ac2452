"""Break reminders on screen: one single-shot timer, a small prompt, and a tray menu where a tray exists.

The prompt is a small always-on-top window with the three answers; it is used on every
platform, because tray notifications cannot carry buttons everywhere and many Linux
desktops (and tests) have no tray at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QSystemTrayIcon, QVBoxLayout, QWidget

from acupressure_desktop.reminders import ReminderSchedule, ReminderScheduler


class ReminderPrompt(QWidget):
    startRequested = Signal()
    snoozeRequested = Signal()
    skipRequested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Time for a short break")
        self.setAccessibleName("Break reminder")
        title = QLabel("Time for a short break")
        title.setObjectName("subtitle")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.start_button = QPushButton("Start routine")
        self.start_button.setProperty("primary", True)
        self.start_button.setDefault(True)
        self.snooze_button = QPushButton("Snooze")
        self.skip_button = QPushButton("Skip")
        for button, name in (
            (self.start_button, "Start the break routine"),
            (self.snooze_button, "Remind me again later"),
            (self.skip_button, "Skip this break"),
        ):
            button.setAccessibleName(name)
        self.start_button.clicked.connect(self.startRequested)
        self.snooze_button.clicked.connect(self.snoozeRequested)
        self.skip_button.clicked.connect(self.skipRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.snooze_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(340)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.skipRequested.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.start_button.isEnabled():
            self.startRequested.emit()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window answers like Skip, so the schedule goes on."""
        if self.isVisible():
            self.skipRequested.emit()
        super().closeEvent(event)


class ReminderController(QObject):
    """Arms one timer for the scheduler's next check and asks the person when a break is due."""

    startRoutine = Signal(str)  # routine id
    openRequested = Signal()
    quitRequested = Signal()

    def __init__(
        self, scheduler: ReminderScheduler, routine_title: Callable[[str], str | None], icon: QIcon | None = None
    ) -> None:
        super().__init__()
        self.scheduler = scheduler
        self._title_of = routine_title  # asked each time: routines made after start-up count too
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse 10-minute timer may run 5 % late
        self._timer.timeout.connect(self.check)
        self.prompt = ReminderPrompt()
        self.prompt.startRequested.connect(self._start)
        self.prompt.snoozeRequested.connect(self._snooze)
        self.prompt.skipRequested.connect(self._skip)
        self.tray: QSystemTrayIcon | None = None
        if icon is not None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = self._make_tray(icon)
        self.arm()

    def _make_tray(self, icon: QIcon) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(icon, self)
        menu = QMenu()
        for text, slot in (
            ("Start a break routine", self._start),
            ("Pause reminders for an hour", lambda: self.pause(timedelta(hours=1))),
            ("Pause reminders for today", self.pause_today),
            ("Resume reminders", self.resume),
            ("Open", self.openRequested.emit),
            ("Quit", self.quitRequested.emit),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        tray.setContextMenu(menu)
        tray.setToolTip("Acupressure Desktop")
        tray.activated.connect(lambda _reason: self.openRequested.emit())
        self._tray_menu = menu
        tray.show()
        return tray

    @property
    def timer_active(self) -> bool:
        return self._timer.isActive()

    def set_schedule(self, schedule: ReminderSchedule) -> None:
        self.scheduler.set_schedule(schedule)
        self.arm()

    def arm(self) -> None:
        """One single-shot timer to the next check; none when nothing is due or a prompt is open."""
        self._timer.stop()
        if self.prompt.isVisible():
            return
        wait = self.scheduler.seconds_until_next_check()
        if wait is not None:
            self._timer.start(int(wait * 1000) + 50)

    @Slot()
    def check(self) -> None:
        if self.scheduler.poll():
            self.show_prompt()
        self.arm()

    def show_prompt(self) -> None:
        routine_id = self.scheduler.schedule.default_routine_id
        known = self._title_of(routine_id) if routine_id else None
        title = known or "a short routine"
        self.prompt.message.setText(
            f"You have been working for a while. A few minutes of {title} can ease tension and reset your focus."
        )
        self.prompt.start_button.setEnabled(known is not None)
        self.prompt.snooze_button.setText(f"Snooze {self.scheduler.schedule.snooze_minutes} min")
        self.prompt.adjustSize()
        self.prompt.show()
        self.prompt.raise_()
        self.prompt.start_button.setFocus()

    def _close_prompt(self) -> None:
        self.prompt.hide()

    @Slot()
    def _start(self) -> None:
        self._close_prompt()
        routine_id = self.scheduler.schedule.default_routine_id
        if routine_id:
            self.startRoutine.emit(routine_id)  # the session start tells the scheduler
        self.arm()

    @Slot()
    def _snooze(self) -> None:
        self._close_prompt()
        self.scheduler.snooze()
        self.arm()

    @Slot()
    def _skip(self) -> None:
        self._close_prompt()
        self.scheduler.skip()
        self.arm()

    def pause(self, duration: timedelta) -> None:
        self.scheduler.pause_for(duration)
        self.arm()

    def pause_today(self) -> None:
        self.scheduler.pause_until_tomorrow()
        self.arm()

    def resume(self) -> None:
        self.scheduler.resume()
        self.arm()

    @Slot()
    def session_started(self) -> None:
        self.scheduler.session_started()
        self._close_prompt()
        self.arm()

    @Slot()
    def session_finished(self) -> None:
        self.scheduler.session_finished()
        self.arm()
