"""Break reminders on screen: one single-shot timer, a small prompt, a tray menu where a tray exists.

The scheduler (``acupressure_desktop.reminders``) decides; this module only asks the platform
(through a :class:`~acupressure_desktop.ui.presence.PresenceMonitor`) whether the person is
there and free, and shows the answer.

The prompt is a small always-on-top window with the three answers, on the screen where the
pointer is. It is shown without activation, so it never takes the keyboard from what the
person is typing; its keys (Enter, Space, Escape) work once it has been clicked, or once it
has had the focus for a moment with no typing. A desktop notification with the same buttons
can be chosen instead where the desktop's notification server shows buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QGuiApplication, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop import APP_TITLE
from acupressure_desktop.platform.autostart import Autostart, apply_autostart
from acupressure_desktop.reminders import RECHECK_SECONDS, Due, ReminderSchedule, ReminderScheduler
from acupressure_desktop.ui.presence import PresenceMonitor

KEY_READY_MS = 1500  # the prompt's keys work after this long with the focus and no typing
SCREEN_MARGIN = 24
FRAME_ALLOWANCE = 32  # room for a title bar before the window manager has framed the prompt
FRAME_SETTLE_MS = 150
STATUS_REFRESH_MS = 60_000  # the window's "Next break in 23 min", only while the app is active


def duration_words(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} min"


def prompt_position(size: tuple[int, int], screen: QRect) -> QPoint:
    """Bottom-right of the screen's free area, inside it however small it is."""
    width, height = size
    x = max(screen.left(), screen.right() + 1 - width - SCREEN_MARGIN)
    y = max(screen.top(), screen.bottom() + 1 - height - SCREEN_MARGIN)
    return QPoint(x, y)


class ReminderPrompt(QWidget):
    startRequested = Signal()
    snoozeRequested = Signal()
    skipRequested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # never take the keyboard
        self.setWindowTitle("Time for a short break")
        self.setAccessibleName("Break reminder")
        self.setObjectName("reminder-prompt")
        self.title = QLabel("Time for a short break")
        self.title.setObjectName("subtitle")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.routine_label = QLabel()
        self.routine_label.setObjectName("muted")
        self.routine_label.setWordWrap(True)
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
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.routine_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(360)
        self.keys_ready = False
        self._screen_area: QRect | None = None
        self._ready_timer = QTimer(self)
        self._ready_timer.setSingleShot(True)
        self._ready_timer.setInterval(KEY_READY_MS)
        self._ready_timer.timeout.connect(self._keys_now_ready)
        for widget in (self, self.title, self.message, self.routine_label, *self._buttons()):
            widget.installEventFilter(self)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.start_button, self.snooze_button, self.skip_button)

    @Slot()
    def _keys_now_ready(self) -> None:
        self.keys_ready = True

    def show_on_pointer_screen(self) -> None:
        """Show without activation at the bottom right of the screen the pointer is on."""
        self.keys_ready = False
        self._ready_timer.stop()
        self.adjustSize()
        self._screen_area = None
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            self._screen_area = screen.availableGeometry()
            self._place()
        self.show()
        self.raise_()
        self._announce()
        # The window manager adds its frame after the window appears; place the framed window again then.
        QTimer.singleShot(FRAME_SETTLE_MS, self, self._place)

    def _announce(self) -> None:
        """Tell a screen reader, since the prompt does not take the focus (Qt 6.8 and later)."""
        try:
            from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
        except ImportError:
            return
        event = QAccessibleAnnouncementEvent(self, f"{self.title.text()}. {self.routine_label.text()}")
        QAccessible.updateAccessibility(event)

    @Slot()
    def _place(self) -> None:
        area = self._screen_area
        if area is None:
            return
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        if not self.isVisible():
            extra_h = max(extra_h, FRAME_ALLOWANCE)  # not framed yet: leave room for a title bar
        self.move(prompt_position((self.width() + extra_w, self.height() + extra_h), area))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self.keys_ready = True  # clicked: the person is here, keys may answer now
        elif kind == QEvent.Type.WindowActivate and watched is self and not self.keys_ready:
            self._ready_timer.start()
        elif kind == QEvent.Type.KeyPress and not self.keys_ready and isinstance(event, QKeyEvent):
            # Typing meant for another window: swallow it and wait until the typing stops.
            self._ready_timer.start()
            return True
        return super().eventFilter(watched, event)

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


class NextBreakLabel(QLabel):
    """The window's "Next break in 23 min"."""

    def __init__(self, scheduler: ReminderScheduler, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scheduler = scheduler
        self.setObjectName("muted")
        self.setAccessibleName("Next break")
        self.show_status(scheduler.status_text())

    @Slot(str)
    def show_status(self, text: str) -> None:
        self.setText(text)
        self.setVisible(self._scheduler.schedule.enabled)


class ReminderController(QObject):
    """Arms one timer for the scheduler's next check and asks the person when a break is due."""

    startRoutine = Signal(str)  # routine id
    openRequested = Signal()
    quitRequested = Signal()
    statusChanged = Signal(str)  # "Next break in 23 min"
    scheduleEdited = Signal(object)  # ReminderSchedule: the person answered a question (keep in background)
    problem = Signal(str)  # something to tell the person (start at login could not be written)

    def __init__(
        self,
        scheduler: ReminderScheduler,
        routine_title: Callable[[str], str | None],
        icon: QIcon | None = None,
        *,
        routine_seconds: Callable[[str], int | None] | None = None,
        monitor: PresenceMonitor | None = None,
        notifier_factory: Callable[[], QObject] | None = None,
        autostart: Autostart | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.scheduler = scheduler
        self._title_of = routine_title  # asked each time: routines made after start-up count too
        self._seconds_of = routine_seconds or (lambda _routine_id: None)
        self.monitor = monitor
        self._autostart = autostart
        self._notifier_factory = notifier_factory
        self._notifier: QObject | None = None
        self.notification_problem: str | None = None
        self.showing: Due | None = None
        self.prompts_shown = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse 15-minute timer may run 5 % late
        self._timer.timeout.connect(self.check)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self._emit_status)
        self.prompt = ReminderPrompt()
        self.prompt.startRequested.connect(self._start)
        self.prompt.snoozeRequested.connect(self._snooze)
        self.prompt.skipRequested.connect(self._skip)
        self.tray: QSystemTrayIcon | None = None
        self._told_tray = False
        self._status_action: QAction | None = None
        if icon is not None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = self._make_tray(icon)
        if monitor is not None:
            monitor.changed.connect(self.check)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state)
            self._on_app_state(app.applicationState())
        if scheduler.schedule.start_at_login:
            self._apply_autostart(True)
        self.arm()

    def _make_tray(self, icon: QIcon) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(icon, self)
        menu = QMenu()
        self._status_action = QAction("", menu)
        self._status_action.setEnabled(False)
        menu.addAction(self._status_action)
        menu.addSeparator()
        for text, slot in (
            ("Start a break routine", self._start),
            ("Pause reminders for an hour", lambda: self.pause(timedelta(hours=1))),
            ("Pause reminders for today", self.pause_today),
            ("Resume reminders", self.resume),
            ("Open", self.openRequested.emit),
            ("Quit", self._quit),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.aboutToShow.connect(self._emit_status)  # the menu says "in 23 min", exact when opened
        tray.setContextMenu(menu)
        tray.setToolTip(APP_TITLE)
        tray.activated.connect(lambda _reason: self.openRequested.emit())
        self._tray_menu = menu
        tray.show()
        return tray

    @Slot()
    def _quit(self) -> None:
        """Quit from the tray: the window may be hidden, and closing a hidden window ends nothing."""
        self.quitRequested.emit()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
            QTimer.singleShot(0, app, app.quit)

    @property
    def timer_active(self) -> bool:
        return self._timer.isActive()

    @property
    def timer_remaining_ms(self) -> int:
        return self._timer.remainingTime()

    def status_text(self) -> str:
        return self.scheduler.status_text()

    def status_label(self) -> NextBreakLabel:
        """ "Next break in 23 min" for the window's header; hidden while reminders are off."""
        label = NextBreakLabel(self.scheduler)
        self.statusChanged.connect(label.show_status)
        return label

    def platform_note(self) -> str:
        """For Settings: what this desktop can tell the reminders."""
        note = (
            self.monitor.describe()
            if self.monitor is not None
            else "Idle and lock detection is not available, so only sleep is seen as a break; "
            "reminders keep to the clock."
        )
        if self.tray is None:
            note += " There is no system tray here: the reminder comes as a small window of its own."
        if self.notification_problem:
            note += f" Notifications: {self.notification_problem}; the small window is used instead."
        return note

    def set_schedule(self, schedule: ReminderSchedule) -> None:
        before = self.scheduler.schedule
        self.scheduler.set_schedule(schedule)
        if schedule.start_at_login != before.start_at_login:
            self._apply_autostart(schedule.start_at_login)
        if schedule.delivery != before.delivery:
            self._notifier = None
            self.notification_problem = None
        self.arm()

    def _apply_autostart(self, wanted: bool) -> None:
        problem = apply_autostart(wanted, self._autostart)
        if problem:
            self.problem.emit(problem)

    def arm(self) -> None:
        """One single-shot timer to the next check; none when nothing is due.

        While a reminder is on show, the timer only watches (once a minute) for the person
        leaving: an absence as long as the break answers the reminder by itself."""
        self._timer.stop()
        if self.showing is not None:
            if self.monitor is not None and self.monitor.available:
                self._timer.start(int(RECHECK_SECONDS * 1000))
            self._emit_status()
            return
        wait = self.scheduler.seconds_until_next_check()
        if wait is not None and self.monitor is not None and self.monitor.polled and self.scheduler.counting():
            wait = min(wait, RECHECK_SECONDS)  # idle time has no signal here: look once a minute
        if wait is not None:
            self._timer.start(int(wait * 1000) + 50)
        self._emit_status()

    @Slot()
    def _emit_status(self) -> None:
        text = self.scheduler.status_text()
        if self._status_action is not None:
            self._status_action.setText(text)
        if self.tray is not None:
            # The tooltip is not refreshed every minute, so it names the time rather than the minutes left.
            self.tray.setToolTip(f"{APP_TITLE}\n{self.scheduler.status_text(absolute=True)}")
        self.statusChanged.emit(text)

    @Slot(Qt.ApplicationState)
    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        """The window's countdown is refreshed each minute only while someone is looking at the app."""
        if state == Qt.ApplicationState.ApplicationActive:
            self._emit_status()
            self._status_timer.start()
        else:
            self._status_timer.stop()

    @Slot()
    def check(self) -> None:
        presence = self.monitor.presence() if self.monitor is not None else None
        if self.showing is not None:
            self.scheduler.observe(presence)
            if self.scheduler.away:
                self._close_prompt()  # they left: the absence is the break; nothing waits for their return
            self.arm()
            return
        busy = None
        due = self.scheduler.next_due()
        if self.monitor is not None and due is not None and due <= self.scheduler.now():
            busy = self.monitor.busy(self.scheduler.schedule)  # asked only when a reminder is due
        reminder = self.scheduler.poll_due(presence, busy)
        if reminder is not None:
            self.show_prompt(reminder)
        self.arm()

    # -- showing ---------------------------------------------------------------------

    def _texts(self, reminder: Due) -> tuple[str, str, str, bool]:
        routine_id = reminder.routine_id
        title = self._title_of(routine_id) if routine_id else None
        known = title is not None
        if reminder.kind == "fixed":
            message = f"It is {reminder.at:%H:%M}: time for your {reminder.label.lower()}."
        else:
            since = reminder.since
            minutes = (
                round((self.scheduler.now() - since).total_seconds() / 60)
                if since is not None
                else self.scheduler.schedule.interval_minutes
            )
            worked = f"{minutes} minutes" if minutes < 120 else f"over {minutes // 60} hours"
            rest = f"A few minutes of {title}" if title is not None else "A few minutes away from the screen"
            message = f"You have been working for {worked}. {rest} can ease tension and reset your focus."
        if title is not None and routine_id:
            seconds = self._seconds_of(routine_id)
            routine = f"{title} · {duration_words(seconds)}" if seconds else title
        else:
            routine = "Stand up, look into the distance and roll your shoulders."
        return reminder.label, message, routine, known

    def show_prompt(self, reminder: Due | None = None) -> None:
        if reminder is None:
            schedule = self.scheduler.schedule
            reminder = Due("interval", "Time for a short break", schedule.default_routine_id, self.scheduler.now())
        self.showing = reminder
        self.prompts_shown += 1
        title, message, routine, known = self._texts(reminder)
        if self.scheduler.schedule.delivery == "notification" and self._notify(title, message, routine, known):
            return
        prompt = self.prompt
        prompt.setWindowTitle(title)
        prompt.title.setText(title)
        prompt.message.setText(message)
        prompt.routine_label.setText(routine)
        prompt.start_button.setEnabled(known)
        prompt.start_button.setText("Start" if known else "Start routine")
        prompt.snooze_button.setText(f"Snooze {self.scheduler.schedule.snooze_minutes} min")
        prompt.show_on_pointer_screen()

    def _notify(self, title: str, message: str, routine: str, known: bool) -> bool:
        """As a desktop notification; False (and the reason kept for Settings) where there is none."""
        from acupressure_desktop.platform.presence import SourceUnavailable

        if self._notifier is None:
            try:
                if self._notifier_factory is not None:
                    self._notifier = self._notifier_factory()
                else:
                    from PySide6.QtDBus import QDBusConnection

                    from acupressure_desktop.ui.presence import DBusNotifier

                    self._notifier = DBusNotifier(QDBusConnection.sessionBus(), self)
            except SourceUnavailable as exc:
                self.notification_problem = str(exc)
                return False
            self._notifier.actionInvoked.connect(self._on_notification_action)  # type: ignore[attr-defined]
            closed = getattr(self._notifier, "closed", None)
            if closed is not None:
                closed.connect(self._on_notification_closed)
        snooze = f"Snooze {self.scheduler.schedule.snooze_minutes} min"
        actions = (
            [("start", "Start"), ("snooze", snooze), ("skip", "Skip")]
            if known
            else [
                ("snooze", snooze),
                ("skip", "Skip"),
            ]
        )
        shown: bool = self._notifier.show(title, f"{message}\n{routine}", actions)  # type: ignore[attr-defined]
        if not shown:
            self.notification_problem = "the notification could not be shown"
        return shown

    @Slot()
    def _on_notification_closed(self) -> None:
        """Dismissed without a button: as Skip, so the schedule goes on."""
        if self.showing is not None:
            self._skip()

    @Slot(str)
    def _on_notification_action(self, action: str) -> None:
        {"start": self._start, "snooze": self._snooze}.get(action, self._skip)()

    def _close_prompt(self) -> None:
        self.showing = None
        self.prompt.hide()
        close = getattr(self._notifier, "close_notification", None)
        if callable(close):
            close()

    @Slot()
    def _start(self) -> None:
        reminder = self.showing
        self._close_prompt()
        routine_id = reminder.routine_id if reminder is not None else self.scheduler.schedule.default_routine_id
        if routine_id:
            self.startRoutine.emit(routine_id)  # the session start tells the scheduler
        self.arm()

    @Slot()
    def _snooze(self) -> None:
        reminder = self.showing
        self._close_prompt()
        self.scheduler.snooze(reminder=reminder)
        self.arm()

    @Slot()
    def _skip(self) -> None:
        reminder = self.showing
        self._close_prompt()
        self.scheduler.skip(reminder)
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

    # -- keeping on without a tray ---------------------------------------------------------

    def keep_running_on_close(self, window: QWidget) -> None:
        """Without a tray, closing ``window`` while reminders are on asks whether to keep reminding.

        Only the person's close (the title bar's button) asks; Quit from the menu quits."""
        self._kept_window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is getattr(self, "_kept_window", None):
            if event.type() == QEvent.Type.Close and event.spontaneous() and self._keep_in_background():
                event.ignore()
                assert isinstance(watched, QWidget)
                watched.hide()
                return True
            if event.type() == QEvent.Type.Show:
                app = QApplication.instance()
                if isinstance(app, QApplication):
                    app.setQuitOnLastWindowClosed(True)
        return super().eventFilter(watched, event)

    def _keep_in_background(self) -> bool:
        schedule = self.scheduler.schedule
        if not schedule.enabled or schedule.background == "quit":
            return False
        if self.tray is not None:
            keep = True  # the tray icon stays, with Open and Quit: no need to ask
            if not self._told_tray:
                self._told_tray = True
                self.tray.showMessage(
                    APP_TITLE, "Still reminding you about breaks. Quit from this icon's menu.", self.tray.icon(), 8000
                )
        else:
            keep = schedule.background == "keep" or self._ask_background()
        if keep:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(False)
        return keep

    def _ask_background(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question, "Keep reminding you?", "", parent=getattr(self, "_kept_window", None)
        )
        box.setText("Keep reminding you about breaks in the background?")
        box.setInformativeText(
            f"{self.scheduler.status_text()}. This desktop has no tray icon, so {APP_TITLE} runs without a "
            "window; open it again from your applications menu to bring the window back or to quit."
        )
        keep = box.addButton("Keep reminding", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        remember = QCheckBox("Don't ask again")
        box.setCheckBox(remember)
        box.exec()
        kept = box.clickedButton() is keep
        if remember.isChecked():
            self.scheduleEdited.emit(
                self.scheduler.schedule.model_copy(update={"background": "keep" if kept else "quit"})
            )
        return kept
