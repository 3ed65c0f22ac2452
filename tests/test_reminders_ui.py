"""Reminders on screen with a fake wall clock: one timer, one prompt, answers re-arm the schedule."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from acupressure_desktop.reminders import MAX_CHECK_SECONDS, ReminderSchedule, ReminderScheduler
from acupressure_desktop.ui.reminders import ReminderController


class WallClock:
    """The wall clock, with a monotonic clock that follows it (the computer stays awake)."""

    def __init__(self) -> None:
        self._now = datetime(2026, 11, 23, 9, 0)  # a Monday
        self.mono = 0.0

    @property
    def now(self) -> datetime:
        return self._now

    @now.setter
    def now(self, value: datetime) -> None:
        self.mono += max(0.0, (value - self._now).total_seconds())
        self._now = value

    def __call__(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self.mono


SCHEDULE = ReminderSchedule(
    enabled=True, interval_minutes=30, work_start=time(9), work_end=time(17), default_routine_id="quick-reset"
)


def _controller(clock: WallClock) -> ReminderController:
    return ReminderController(ReminderScheduler(SCHEDULE, clock, clock.monotonic), {"quick-reset": "Quick reset"}.get)


def test_nothing_due_means_one_sleeping_timer(qtbot: QtBot) -> None:
    clock = WallClock()
    controller = _controller(clock)
    assert controller.timer_active
    assert 0 < controller._timer.remainingTime() <= MAX_CHECK_SECONDS * 1000 + 50  # never later than the next check
    controller.check()
    assert not controller.prompt.isVisible()


def test_after_hours_without_a_check_only_one_prompt(qtbot: QtBot) -> None:
    clock = WallClock()
    controller = _controller(clock)
    clock.now += timedelta(hours=5)  # awake, but the timer fired late through many intervals
    controller.check()
    assert controller.prompt.isVisible()
    assert not controller.timer_active  # no second prompt piles up behind the first
    controller.check()
    assert controller.prompt.isVisible()


def test_start_snooze_skip(qtbot: QtBot) -> None:
    clock = WallClock()
    controller = _controller(clock)
    clock.now += timedelta(minutes=31)
    controller.check()
    qtbot.mouseClick(controller.prompt.message, Qt.MouseButton.LeftButton)  # the keys answer once clicked
    with qtbot.waitSignal(controller.startRoutine) as started:
        qtbot.keyClick(controller.prompt, Qt.Key.Key_Return)
    assert started.args == ["quick-reset"]
    controller.session_started()
    assert not controller.timer_active  # no reminder while a routine runs
    controller.session_finished()
    clock.now += timedelta(minutes=31)
    controller.check()
    controller.prompt.snooze_button.click()
    assert not controller.prompt.isVisible() and controller.timer_active
    clock.now += timedelta(minutes=11)
    controller.check()
    assert controller.prompt.isVisible()
    controller.prompt.keys_ready = True  # as after a moment with the focus and no typing
    qtbot.keyClick(controller.prompt, Qt.Key.Key_Escape)
    assert not controller.prompt.isVisible()
    assert controller.scheduler.next_due() == clock.now + timedelta(minutes=30)


def test_pause_for_today(qtbot: QtBot) -> None:
    clock = WallClock()
    controller = _controller(clock)
    controller.pause_today()
    clock.now += timedelta(hours=3)
    controller.check()
    assert not controller.prompt.isVisible()


def test_a_routine_made_after_start_up_can_be_started_from_a_reminder(qtbot: QtBot) -> None:
    clock = WallClock()
    titles: dict[str, str] = {}
    schedule = SCHEDULE.model_copy(update={"default_routine_id": "my-evening"})
    controller = ReminderController(ReminderScheduler(schedule, clock, clock.monotonic), titles.get)
    titles["my-evening"] = "My evening"  # made in the routine editor after the controller was built
    clock.now += timedelta(minutes=31)
    controller.check()
    assert controller.prompt.start_button.isEnabled()
    assert "My evening" in controller.prompt.routine_label.text()
