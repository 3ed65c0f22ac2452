"""Work off the GUI thread: results, errors and cancels come back as signals on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from acupressure_desktop.ui.tasks import Cancelled, Progress, TaskRunner


def test_a_job_runs_off_the_gui_thread_and_its_result_arrives_on_it(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def job(progress: Progress) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 42

    task = runner.start(job)
    task.succeeded.connect(lambda value: seen.update(value=value, on_gui=QThread.currentThread() is gui))
    with qtbot.waitSignal(task.ended):
        pass
    assert seen == {"worker": True, "value": 42, "on_gui": True}
    qtbot.waitUntil(lambda: not runner.busy)


def test_waiting_lets_every_job_end_and_its_result_arrives_with_the_next_events() -> None:
    # A screenshot waits so that what workers read (the history's statistics) is in the picture.
    from PySide6.QtWidgets import QApplication

    runner = TaskRunner()
    results: list[int] = []
    task = runner.start(lambda _progress: time.sleep(0.2) or 7)
    task.succeeded.connect(results.append)
    assert runner.wait(5000)
    QApplication.processEvents()
    assert results == [7] and not runner.busy


def test_an_error_comes_back_as_failed(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def job(progress: Progress) -> None:
        raise OSError(28, "No space left on device")

    task = runner.start(job)
    with qtbot.waitSignal(task.failed) as failed:
        pass
    assert isinstance(failed.args[0], OSError)


def test_a_cancel_stops_the_job_at_its_next_report(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started, reports = threading.Event(), []
    release = threading.Event()

    def job(progress: Progress) -> str:
        started.set()
        release.wait(10)
        for done in range(1_000_000):
            progress(done, 1_000_000)
            reports.append(done)
        return "finished anyway"

    task = runner.start(job)
    assert started.wait(10)
    task.cancel()
    release.set()
    with qtbot.waitSignal(task.cancelled):
        pass
    assert reports == []


def test_progress_reports_are_throttled_but_the_last_always_arrives() -> None:
    now = [0.0]
    heard: list[tuple[int, int]] = []
    progress = Progress(lambda done, total: heard.append((done, total)), clock=lambda: now[0])
    for done in range(100):
        now[0] += 0.01
        progress(done, 100)
    progress(100, 100)
    assert len(heard) <= 11 and heard[-1] == (100, 100)
    progress.cancel()
    with pytest.raises(Cancelled):
        progress(50, 100)
