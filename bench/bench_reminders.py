"""Break reminders at rest: wake-ups, presence checks and CPU while nothing is due.

(a) wake-ups of the reminder timer per minute over a working day between reminders (60 min
    interval), driven as the UI drives the scheduler, with a fake clock:
      * no presence source, or one with a signal (lock): the timer's own rhythm only;
      * a presence source without a signal (X11's MIT-SCREEN-SAVER): one read a minute
        while the interval runs; outside working hours, none;
    baseline in the same run: a tick-per-second poller (60 per minute).
(b) cost of one check (presence read + poll), with the fake source and, when an X display
    is there, the real X11 source.
(c) CPU of the real controller with real Qt timers in a fresh interpreter, reminders on and
    nothing due, for 20 s (the timer's longest wait is 15 min, so it does not even fire).

Targets (bench/run.py): ≤ 0.1 wake-ups a minute when nothing is due (one per ten minutes);
≤ 1 presence read a minute where the platform has no signal; CPU idle ≈ 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from acupressure_desktop.platform.presence import FakePresenceSource
from acupressure_desktop.reminders import RECHECK_SECONDS, ReminderSchedule, ReminderScheduler

ROOT = Path(__file__).resolve().parent.parent
MONDAY = datetime(2024, 3, 4)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.mono = 0.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds


def wakeups(start: datetime, minutes: int, polled: bool) -> tuple[int, int]:
    """(timer firings, presence reads) over ``minutes`` from ``start`` without a reminder being due."""
    clock = Clock(start)
    scheduler = ReminderScheduler(ReminderSchedule(enabled=True, interval_minutes=60), clock, clock.monotonic)
    source = FakePresenceSource(idle_seconds=0.0)
    end = start + timedelta(minutes=minutes)
    fired = 0
    while True:
        delay = scheduler.seconds_until_next_check()
        assert delay is not None
        if polled and scheduler.counting():
            delay = min(delay, RECHECK_SECONDS)
        if clock.now + timedelta(seconds=delay) >= end:
            break
        clock.advance(delay + 0.05)
        fired += 1
        assert not scheduler.poll(source.read() if polled else None), "a reminder came: not 'nothing due'"
    return fired, source.reads


def check_cost() -> dict[str, float | str]:
    clock = Clock(MONDAY.replace(hour=10))
    scheduler = ReminderScheduler(ReminderSchedule(enabled=True), clock, clock.monotonic)
    source = FakePresenceSource()
    rounds = 20_000
    started = time.perf_counter()
    for _ in range(rounds):
        scheduler.poll(source.read())
    figures: dict[str, float | str] = {
        "reminder_check_fake_us": round((time.perf_counter() - started) / rounds * 1e6, 2)
    }
    if os.environ.get("DISPLAY"):
        try:
            from acupressure_desktop.platform.presence import X11ScreenSaverSource

            real = X11ScreenSaverSource()
        except Exception as exc:  # a benchmark reports, it does not fail
            figures["reminder_check_x11_us"] = f"unavailable: {exc}"
        else:
            started = time.perf_counter()
            for _ in range(2000):
                scheduler.poll(real.read())
            figures["reminder_check_x11_us"] = round((time.perf_counter() - started) / 2000 * 1e6, 2)
            real.close()
    else:
        figures["reminder_check_x11_us"] = "no X display"
    return figures


CHILD = """
import os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication
from acupressure_desktop.reminders import ReminderSchedule, ReminderScheduler
from acupressure_desktop.ui.presence import PresenceMonitor
from acupressure_desktop.platform.presence import FakePresenceSource
from acupressure_desktop.ui.reminders import ReminderController

app = QApplication([])
schedule = ReminderSchedule(enabled=True, interval_minutes=60, work_start="00:00", work_end="23:59",
                            weekdays=list(range(7)))
source = FakePresenceSource(signalled=True)  # a source with a signal: nothing to poll
controller = ReminderController(ReminderScheduler(schedule), lambda _id: None, monitor=PresenceMonitor([source], []))
seconds = float(sys.argv[1])
fired = []
controller._timer.timeout.connect(lambda: fired.append(1))

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def begin():
    global t0, c0
    t0, c0 = time.monotonic(), cpu()
    QTimer.singleShot(int(seconds * 1000), app, end)

def end():
    wall, used = time.monotonic() - t0, cpu() - c0
    print(f"{used / wall * 100:.4f} {len(fired)} {controller._timer.remainingTime()}")
    app.quit()

QTimer.singleShot(1000, app, begin)  # after start-up
app.exec()
"""


def idle_cpu(seconds: float = 20.0) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(seconds)], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    percent, fired, remaining = result.stdout.split()
    return {
        "reminder_idle_cpu_percent": float(percent),
        "reminder_idle_timer_firings": float(fired),
        "reminder_timer_wait_s": round(int(remaining) / 1000, 1),
    }


def run() -> dict[str, float | str]:
    day_minutes = 50  # 9:05 to 9:55: between the start of work and the first reminder at 10:00
    start = MONDAY.replace(hour=9, minute=5)
    plain, _ = wakeups(start, day_minutes, polled=False)
    polled_fired, polled_reads = wakeups(start, day_minutes, polled=True)
    evening, evening_reads = wakeups(MONDAY.replace(hour=18), 600, polled=True)
    return {
        "reminder_idle_wakeups_per_min": round(plain / day_minutes, 3),
        "reminder_polled_reads_per_min": round(polled_reads / day_minutes, 3),
        "reminder_polled_wakeups_per_min": round(polled_fired / day_minutes, 3),
        "reminder_evening_wakeups_per_min": round(evening / 600, 3),
        "reminder_evening_reads_per_min": round(evening_reads / 600, 3),
        "polling_baseline_wakeups_per_min": 60.0,
        **check_cost(),
        **idle_cpu(),
    }


if __name__ == "__main__":
    results = run()
    width = max(len(name) for name in results)
    for name, value in results.items():
        print(f"{name:<{width}}  {value}")
