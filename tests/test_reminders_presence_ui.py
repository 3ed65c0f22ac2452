"""The reminder controller with fake clocks and fake platform sources.

Suspend, lock, idle, full screen and do-not-disturb: no prompt at the wrong time, and
exactly one at the right time. Also the prompt itself (pointer's screen, no stolen keys),
the status line, notifications, closing without a tray and start at login.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from acupressure_desktop.platform.busy import FakeBusySource, RunningPrograms
from acupressure_desktop.platform.presence import FakePresenceSource
from acupressure_desktop.reminders import RECHECK_SECONDS, ReminderSchedule, ReminderScheduler
from acupressure_desktop.ui.presence import PresenceMonitor
from acupressure_desktop.ui.reminders import NextBreakLabel, ReminderController, prompt_position


class Clocks:
    """Wall and monotonic clocks; ``awake`` moves both, ``suspend`` only the wall clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0)  # a Monday
        self.mono = 0.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def awake(self, **kwargs: float) -> None:
        step = timedelta(**kwargs)
        self.now += step
        self.mono += step.total_seconds()

    def suspend(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


SCHEDULE = ReminderSchedule(
    enabled=True,
    interval_minutes=30,
    work_start=time(9),
    work_end=time(17),
    default_routine_id="quick-reset",
    break_minutes=5,
)
TITLES = {"quick-reset": "Quick reset"}
SECONDS = {"quick-reset": 240}


class Rig:
    def __init__(self, qtbot: QtBot, schedule: ReminderSchedule = SCHEDULE, signalled: bool = False) -> None:
        self.clock = Clocks()
        self.presence = FakePresenceSource(idle_seconds=0.0, locked=False, signalled=signalled)
        self.quiet = FakeBusySource()
        self.monitor = PresenceMonitor([self.presence], [self.quiet])
        self.scheduler = ReminderScheduler(schedule, self.clock, self.clock.monotonic)
        self.controller = ReminderController(
            self.scheduler, TITLES.get, routine_seconds=SECONDS.get, monitor=self.monitor
        )
        qtbot.addWidget(self.controller.prompt)

    @property
    def shown(self) -> int:
        return self.controller.prompts_shown

    def minutes(self, count: int, idle: bool = False) -> None:
        """Let ``count`` minutes pass, checking once a minute as the controller's timer would."""
        for _ in range(count):
            self.clock.awake(minutes=1)
            if idle and self.presence.idle_seconds is not None:
                self.presence.idle_seconds += 60
            self.controller.check()

    def answer_skip(self) -> None:
        self.controller.prompt.skip_button.click()


# -- suspend -----------------------------------------------------------------------------------


def test_suspend_no_prompt_on_waking_then_exactly_one(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(10)
    rig.clock.suspend(hours=2, minutes=45)
    rig.controller.check()  # the first check on waking
    assert rig.shown == 0 and not rig.controller.prompt.isVisible()
    rig.minutes(29)
    assert rig.shown == 0
    rig.minutes(1)
    assert rig.shown == 1 and rig.controller.prompt.isVisible()
    rig.minutes(5)
    assert rig.shown == 1


# -- lock --------------------------------------------------------------------------------------


def test_lock_no_prompt_while_locked_nor_on_unlock_then_exactly_one(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(25)
    rig.presence.locked = True
    rig.presence.idle_seconds = None
    rig.minutes(15)  # the 9:30 deadline passes while locked
    assert rig.shown == 0
    rig.presence.locked = False
    rig.presence.idle_seconds = 0.0
    rig.minutes(1)  # unlocked after 15 minutes: that was the break
    assert rig.shown == 0
    rig.minutes(28)
    assert rig.shown == 0
    rig.minutes(2)
    assert rig.shown == 1


def test_a_signalled_lock_checks_at_once(qtbot: QtBot) -> None:
    class Signalling(QObject):
        changed = Signal()

    rig = Rig(qtbot)
    calls: list[int] = []
    rig.controller.check = lambda: calls.append(1)  # type: ignore[method-assign]
    source = Signalling()
    monitor = PresenceMonitor([rig.presence], [])
    monitor.changed.connect(lambda: rig.controller.check())
    source.changed.connect(monitor.changed)
    source.changed.emit()
    assert calls == [1]


# -- idle --------------------------------------------------------------------------------------


def test_idle_no_prompt_while_away_nor_on_return_then_exactly_one(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(26)
    rig.minutes(10, idle=True)  # away from 9:26 to 9:36, through the 9:30 deadline
    assert rig.shown == 0
    assert rig.controller.status_text() == "Away: counts as a break"
    rig.presence.idle_seconds = 0.0
    rig.minutes(1)
    assert rig.shown == 0
    assert rig.controller.status_text() == "Next break in 30 min"
    rig.minutes(29)
    assert rig.shown == 0
    rig.minutes(1)
    assert rig.shown == 1


def test_leaving_while_the_prompt_is_open_answers_it(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(30)
    assert rig.shown == 1
    assert rig.controller.timer_active  # it watches, once a minute, for the person leaving
    rig.minutes(7, idle=True)
    assert not rig.controller.prompt.isVisible()  # nobody was there: the absence was the break
    rig.presence.idle_seconds = 0.0
    rig.minutes(1)
    assert rig.shown == 1


def test_a_polled_source_is_read_once_a_minute_at_most_while_the_interval_runs(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    assert rig.controller.timer_active
    assert rig.controller.timer_remaining_ms <= RECHECK_SECONDS * 1000 + 50
    assert rig.controller.timer_remaining_ms >= RECHECK_SECONDS * 1000 - 1000


def test_a_signalled_source_needs_no_polling(qtbot: QtBot) -> None:
    rig = Rig(qtbot, signalled=True)
    assert rig.controller.timer_remaining_ms > RECHECK_SECONDS * 1000 * 5


# -- full screen and do-not-disturb ------------------------------------------------------------


@pytest.mark.parametrize("why", ["full screen", "do not disturb"])
def test_busy_no_prompt_while_busy_then_exactly_one(qtbot: QtBot, why: str) -> None:
    rig = Rig(qtbot)
    rig.minutes(20)
    rig.quiet.reason = why
    rig.minutes(100)  # through three deadlines
    assert rig.shown == 0
    assert why in rig.controller.status_text()
    assert rig.controller.timer_remaining_ms <= RECHECK_SECONDS * 1000 + 50
    rig.quiet.reason = None
    rig.minutes(1)
    assert rig.shown == 1  # exactly one, never a pile
    rig.answer_skip()
    rig.minutes(29)
    assert rig.shown == 1
    rig.minutes(1)
    assert rig.shown == 2


def test_the_busy_sources_are_asked_only_when_a_reminder_is_due(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(29)
    assert rig.quiet.asks == 0
    rig.minutes(1)
    assert rig.quiet.asks == 1


def test_full_screen_can_be_ignored_by_choice(qtbot: QtBot) -> None:
    rig = Rig(qtbot, SCHEDULE.model_copy(update={"respect_full_screen": False}))
    rig.quiet.reason = "full screen"
    rig.minutes(30)
    assert rig.shown == 1


def test_listed_programs_hold_the_reminder(qtbot: QtBot) -> None:
    running = {"bash", "zoom"}
    rig = Rig(qtbot, SCHEDULE.model_copy(update={"quiet_programs": ("Zoom.exe",)}))
    rig.monitor._programs_factory = lambda names: RunningPrograms(names, lambda: running)
    rig.minutes(40)
    assert rig.shown == 0
    assert "Zoom.exe is running" in rig.controller.status_text()
    running.discard("zoom")
    rig.minutes(1)
    assert rig.shown == 1


# -- the prompt ---------------------------------------------------------------------------------


def test_the_prompt_offers_the_routine_its_length_and_three_answers(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(30)
    prompt = rig.controller.prompt
    assert prompt.routine_label.text() == "Quick reset · 4 min"
    assert "30 minutes" in prompt.message.text()
    assert [b.text() for b in (prompt.start_button, prompt.snooze_button, prompt.skip_button)] == [
        "Start",
        "Snooze 10 min",
        "Skip",
    ]
    assert prompt.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    assert screen.availableGeometry().contains(prompt.frameGeometry().center())


def test_keys_typed_for_another_window_never_answer_the_prompt(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(30)
    prompt = rig.controller.prompt
    started: list[str] = []
    rig.controller.startRoutine.connect(started.append)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Escape):
        qtbot.keyClick(prompt, key)
        qtbot.keyClick(prompt.start_button, key)
    assert prompt.isVisible() and started == []
    qtbot.mouseClick(prompt.message, Qt.MouseButton.LeftButton)
    qtbot.keyClick(prompt, Qt.Key.Key_Return)
    assert started == ["quick-reset"]


def test_keys_work_after_a_moment_with_the_focus_and_no_typing(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(30)
    prompt = rig.controller.prompt
    QApplication.sendEvent(prompt, QEvent(QEvent.Type.WindowActivate))
    assert prompt._ready_timer.isActive() and not prompt.keys_ready
    prompt._ready_timer.timeout.emit()
    assert prompt.keys_ready


def test_prompt_position_stays_inside_the_screen() -> None:
    screen = QRect(1920, 0, 1280, 1024)  # a second monitor on the right
    point = prompt_position((400, 200), screen)
    assert screen.contains(point) and screen.contains(point.x() + 399, point.y() + 199)
    tiny = prompt_position((400, 200), QRect(0, 0, 300, 100))
    assert (tiny.x(), tiny.y()) == (0, 0)


def test_a_fixed_time_reminder_names_itself(qtbot: QtBot) -> None:
    schedule = SCHEDULE.model_copy(update={"weekdays": (), "fixed": ()})
    schedule = ReminderSchedule.model_validate(
        {**schedule.model_dump(), "fixed": [{"at": "09:10", "label": "Bedtime wind-down", "weekdays": [0]}]}
    )
    rig = Rig(qtbot, schedule)
    rig.minutes(10)
    assert rig.shown == 1
    assert rig.controller.prompt.title.text() == "Bedtime wind-down"
    assert not rig.controller.prompt.start_button.isEnabled()  # no routine chosen for it


# -- always know when ---------------------------------------------------------------------------


def test_the_status_line_says_when(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    label = rig.controller.status_label()
    qtbot.addWidget(label)
    assert label.text() == "Next break in 30 min"
    rig.minutes(7)
    assert label.text() == "Next break in 23 min"
    rig.controller.set_schedule(SCHEDULE.model_copy(update={"enabled": False}))
    assert label.isHidden()
    assert isinstance(label, NextBreakLabel)


# -- notifications ------------------------------------------------------------------------------


class FakeNotifier(QObject):
    actionInvoked = Signal(str)  # noqa: N815 - named like the notifier it stands in for
    closed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str, Sequence[tuple[str, str]]]] = []
        self.close_calls = 0

    def show(self, summary: str, body: str, actions: Sequence[tuple[str, str]]) -> bool:
        self.shown.append((summary, body, actions))
        return True

    def close_notification(self) -> None:
        self.close_calls += 1


def test_a_notification_instead_of_the_prompt(qtbot: QtBot) -> None:
    notifier = FakeNotifier()
    rig = Rig(qtbot, SCHEDULE.model_copy(update={"delivery": "notification"}))
    rig.controller._notifier_factory = lambda: notifier
    rig.minutes(30)
    assert not rig.controller.prompt.isVisible()
    summary, body, actions = notifier.shown[0]
    assert summary == "Time for a short break" and "Quick reset · 4 min" in body
    assert [key for key, _ in actions] == ["start", "snooze", "skip"]
    notifier.actionInvoked.emit("snooze")
    assert rig.scheduler.snoozed_until == rig.clock.now + timedelta(minutes=10)
    assert rig.controller.showing is None and notifier.close_calls == 1
    rig.minutes(10)
    assert len(notifier.shown) == 2
    notifier.closed.emit()  # dismissed without a button: as Skip
    assert rig.controller.showing is None
    assert rig.scheduler.next_due() == rig.clock.now + timedelta(minutes=30)


def test_without_a_notification_server_the_prompt_is_used(qtbot: QtBot) -> None:
    from acupressure_desktop.platform.presence import SourceUnavailable

    def missing() -> QObject:
        raise SourceUnavailable("no notification server on the session bus")

    rig = Rig(qtbot, SCHEDULE.model_copy(update={"delivery": "notification"}))
    rig.controller._notifier_factory = missing
    rig.minutes(30)
    assert rig.controller.prompt.isVisible()
    assert "no notification server" in rig.controller.platform_note()


# -- keeps running ------------------------------------------------------------------------------


class TitleBarClose(QCloseEvent):
    """A close from the window manager (the title bar's button), which Qt marks spontaneous."""

    def spontaneous(self) -> bool:
        return True


def test_closing_without_a_tray_asks_and_keeps_reminding(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    rig = Rig(qtbot)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    rig.controller.keep_running_on_close(window)
    asked: list[int] = []
    monkeypatch.setattr(rig.controller, "_ask_background", lambda: asked.append(1) or True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        assert rig.controller.tray is None  # offscreen: no tray, as on many Linux desktops
        event = TitleBarClose()
        assert rig.controller.eventFilter(window, event)
        assert asked == [1] and not event.isAccepted()
        assert window.isHidden()
        assert not app.quitOnLastWindowClosed()
        window.show()  # a second launch brings the window back
        assert app.quitOnLastWindowClosed()
        assert not rig.controller.eventFilter(window, QCloseEvent())  # Quit from the menu quits
        assert asked == [1]
    finally:
        app.setQuitOnLastWindowClosed(True)


def test_with_reminders_off_closing_quits(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    rig = Rig(qtbot, SCHEDULE.model_copy(update={"enabled": False}))
    window = QWidget()
    qtbot.addWidget(window)
    rig.controller.keep_running_on_close(window)
    monkeypatch.setattr(rig.controller, "_ask_background", lambda: pytest.fail("must not ask"))
    assert not rig.controller.eventFilter(window, TitleBarClose())


def test_the_answer_can_be_remembered(qtbot: QtBot) -> None:
    rig = Rig(qtbot, SCHEDULE.model_copy(update={"background": "quit"}))
    assert not rig.controller._keep_in_background()
    rig.controller.set_schedule(SCHEDULE.model_copy(update={"background": "keep"}))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        assert rig.controller._keep_in_background()
    finally:
        app.setQuitOnLastWindowClosed(True)


class FakeAutostart:
    name = "fake autostart"
    location = "nowhere"

    def __init__(self) -> None:
        self.command: list[str] | None = None

    def is_enabled(self) -> bool:
        return self.command is not None

    def enable(self, command: Sequence[str]) -> None:
        self.command = list(command)

    def disable(self) -> None:
        self.command = None


def test_start_at_login_is_written_and_removed_by_the_setting(qtbot: QtBot) -> None:
    autostart = FakeAutostart()
    scheduler = ReminderScheduler(SCHEDULE)
    controller = ReminderController(scheduler, TITLES.get, autostart=autostart)
    qtbot.addWidget(controller.prompt)
    assert autostart.command is None
    controller.set_schedule(SCHEDULE.model_copy(update={"start_at_login": True}))
    assert autostart.command is not None and autostart.command[-1] in ("acupressure_desktop", autostart.command[0])
    controller.set_schedule(SCHEDULE)
    assert autostart.command is None


@pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged")
def test_the_tray_menu_and_tooltip_say_when(qtbot: QtBot) -> None:
    from PySide6.QtGui import QIcon, QPixmap

    rig = Rig(qtbot)
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.darkCyan)
    tray = rig.controller._make_tray(QIcon(pixmap))  # offscreen has no tray: build it as a desktop would
    rig.controller.tray = tray
    rig.clock.awake(minutes=7)
    rig.controller._tray_menu.aboutToShow.emit()
    assert rig.controller._status_action is not None
    assert rig.controller._status_action.text() == "Next break in 23 min"
    assert tray.toolTip() == "Acupressure Desktop\nNext break at 09:30"
    tray.hide()


@pytest.mark.skipif(sys.platform == "win32", reason="the refusal is for other systems")
def test_windows_session_notifications_refuse_other_systems() -> None:
    from acupressure_desktop.platform.presence import SourceUnavailable
    from acupressure_desktop.ui.presence import WindowsSessionLock

    with pytest.raises(SourceUnavailable, match="not Windows"):
        WindowsSessionLock(0)


def test_the_prompt_says_how_long_since_the_last_break(qtbot: QtBot) -> None:
    rig = Rig(qtbot)
    rig.minutes(30)
    assert "working for 30 minutes" in rig.controller.prompt.message.text()
    rig.controller.prompt.snooze_button.click()
    rig.minutes(10)
    assert "working for 40 minutes" in rig.controller.prompt.message.text()  # counted from the last break


@pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged")
def test_with_a_tray_closing_the_window_keeps_reminding_without_asking(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QIcon, QPixmap

    rig = Rig(qtbot)
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.darkCyan)
    rig.controller.tray = rig.controller._make_tray(QIcon(pixmap))
    monkeypatch.setattr(rig.controller, "_ask_background", lambda: pytest.fail("a tray needs no question"))
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    rig.controller.keep_running_on_close(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        assert rig.controller.eventFilter(window, TitleBarClose())
        assert window.isHidden() and not app.quitOnLastWindowClosed()
        quits: list[int] = []
        rig.controller.quitRequested.connect(lambda: quits.append(1))
        monkeypatch.setattr(app, "quit", lambda: quits.append(2))
        rig.controller._quit()  # the tray's Quit
        assert app.quitOnLastWindowClosed()
        qtbot.waitUntil(lambda: quits == [1, 2])
    finally:
        app.setQuitOnLastWindowClosed(True)
        rig.controller.tray.hide()
