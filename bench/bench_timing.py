"""Timing bench: step-boundary lateness, drift over a long routine, idle wake-ups.

(a) lateness: a real SessionRunner on time.monotonic inside a Qt event loop, driven
    by one single-shot PreciseTimer set from seconds_until_next_deadline(), with the
    event loop deliberately blocked for 1 s mid-step. Baseline in the same run: a
    100 ms tick counter (the approach we avoid), whose error the block exposes.
(b) drift: a 30-minute routine on a fake clock advanced in irregular steps with
    stalls; the end-time error of the runner against a simulated tick counter.
(c) wake-ups: the reminder scheduler's single-shot timer while idle for an hour
    with reminders on, against polling once a second.

Run: python3 bench/bench_timing.py
"""

from __future__ import annotations

import math
import random
import time
from datetime import datetime, timedelta

from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.reminders import ReminderSchedule, ReminderScheduler
from acupressure_desktop.session.runner import Finished, SegmentStarted, SessionRunner

LATENESS_TARGET_MS = 50.0
BLOCK_SECONDS = 1.0


def boundary_lateness() -> dict[str, float | str]:
    # Qt only here: the runner under test is Qt-free.
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    steps = [Step(point="LI4", seconds=5, side=Side.BOTH), Step(point="GV20", seconds=5, side=Side.CENTER)]
    runner = SessionRunner(steps, title="bench", prepare_seconds=0.5)
    # Boundaries at 0.5, 3.0, 5.5, 6.0 and 11.0 s; the block (3.5-4.5 s) sits inside a segment.
    expected = [sum(s.duration for s in runner.segments[: i + 1]) for i in range(len(runner.segments))]

    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    ticks = QTimer()
    ticks.setInterval(100)  # default CoarseTimer, as a naive countdown would use
    tick_count = 0
    lateness: list[float] = []
    scheduled: list[float] = []
    tick_error = math.nan

    def count_tick() -> None:
        nonlocal tick_count
        tick_count += 1

    def schedule() -> None:
        delay = runner.seconds_until_next_deadline()
        if delay is None:
            loop.quit()
            return
        timer.start(math.ceil(delay * 1000))  # never early: update() then has work to do

    def on_timeout() -> None:
        nonlocal tick_error
        now = time.monotonic()
        for event in runner.update():
            if isinstance(event, SegmentStarted | Finished):
                lateness.append(now - event.at)
                scheduled.append(event.at - started)
            if isinstance(event, Finished):
                # What a tick counter believes has elapsed when the routine really ends.
                tick_error = (now - started) - tick_count * 0.1
        schedule()

    timer.timeout.connect(on_timeout)
    ticks.timeout.connect(count_tick)
    QTimer.singleShot(3500, lambda: time.sleep(BLOCK_SECONDS))
    QTimer.singleShot(60_000, loop.quit)  # a watchdog, should the runner never finish

    started = runner.start()[0].at  # the clock reading the deadlines are built on
    ticks.start()
    schedule()
    loop.exec()
    ticks.stop()
    app.processEvents()

    schedule_error = max(abs(at - want) for at, want in zip(scheduled, expected, strict=True))
    late_ms = max(lateness) * 1000
    return {
        "boundary_lateness_max_ms": round(late_ms, 2),
        "boundary_lateness_target_ms": LATENESS_TARGET_MS,
        "boundary_lateness_ok": "yes" if late_ms <= LATENESS_TARGET_MS else "NO",
        "boundary_schedule_error_ms": round(schedule_error * 1000, 6),
        "tick_counter_error_after_block_ms": round(tick_error * 1000, 1),
    }


def drift(seed: int = 20240304) -> dict[str, float | str]:
    rng = random.Random(seed)
    steps = [Step(point="LI4", seconds=300, side=Side.BOTH if i % 2 else Side.CENTER) for i in range(6)]
    now = 1000.0

    def clock() -> float:
        return now

    runner = SessionRunner(steps, title="30 minutes", prepare_seconds=5, clock=clock)
    total = runner.snapshot().total_duration
    runner.start()
    finished_at = math.nan
    while math.isnan(finished_at):
        # Irregular timer firings with the odd stall (a busy UI, a swapped-out process).
        now += rng.uniform(30, 90) if rng.random() < 0.01 else rng.uniform(0.001, 2.5)
        for event in runner.update():
            if isinstance(event, Finished):
                finished_at = event.at

    # Baseline: a 1 s tick counter on a timer running 0.35 % slow (measured for Qt's
    # CoarseTimer here), alone and when it also loses the ticks of similar stalls.
    slow_only = total * 1.0035
    tick_now, counted = 1000.0, 0
    stall = random.Random(seed)
    while counted < total:
        tick_now += 1.0035
        if stall.random() < 0.01:
            tick_now += stall.uniform(30, 90)  # ticks during a stall are dropped, not queued
        counted += 1
    return {
        "routine_seconds": total,
        "drift_end_error_ms": round((finished_at - (1000.0 + total)) * 1000, 6),
        "tick_counter_slow_timer_error_s": round(slow_only - total, 1),
        "tick_counter_with_stalls_error_s": round(tick_now - (1000.0 + total), 1),
    }


def idle_wakeups() -> dict[str, float | str]:
    start = datetime(2024, 3, 4, 9, 0)  # a Monday, start of work: next reminder at 10:00
    now = start

    def clock() -> datetime:
        return now

    def monotonic() -> float:  # the computer stays awake: the monotonic clock follows the wall clock
        return (now - start).total_seconds()

    scheduler = ReminderScheduler(ReminderSchedule(enabled=True, interval_minutes=60), clock, monotonic)
    wakeups = 0
    while True:
        delay = scheduler.seconds_until_next_check()
        assert delay is not None
        if now + timedelta(seconds=delay) >= start + timedelta(hours=1):
            break  # the next firing is the reminder itself
        now += timedelta(seconds=delay)
        wakeups += 1
        assert not scheduler.poll()
    return {
        "idle_wakeups_per_min": round(wakeups / 60, 3),
        "polling_baseline_wakeups_per_min": 60.0,
    }


def run() -> dict[str, float | str]:
    return {**boundary_lateness(), **drift(), **idle_wakeups()}


if __name__ == "__main__":
    results = run()
    width = max(len(name) for name in results)
    for name, value in results.items():
        print(f"{name:<{width}}  {value}")
