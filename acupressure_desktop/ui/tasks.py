"""File and database work off the GUI thread.

A job is a plain function of one argument, a ``Progress``; it runs on a ``QThreadPool`` thread,
and its result or exception comes back as a signal on the GUI thread. A job that needs the
history opens its own connection (SQLite connections stay in the thread that uses them). The job
reports progress through ``Progress``, which also raises ``Cancelled`` once the person cancels;
reports reach the GUI a few times a second at most, however often the job calls.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
log = logging.getLogger(__name__)
REPORT_INTERVAL = 0.1  # seconds between progress reports that reach the GUI
PROGRESS_DELAY_MS = 1000  # a progress dialog for work that takes longer than this


class Cancelled(Exception):
    """The person cancelled the task; raised inside the job by ``Progress``."""


class _Outcome(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Progress:
    """Handed to a job: ``progress(done, total)`` reports and is the point where a cancel takes effect."""

    def __init__(self, report: Callable[[int, int], None], clock: Callable[[], float] = time.monotonic) -> None:
        self._report = report
        self._clock = clock
        self._last = float("-inf")
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise Cancelled
        now = self._clock()
        if now - self._last >= REPORT_INTERVAL or done >= total:
            self._last = now
            self._report(done, total)


class Task(QObject, Generic[T]):
    """One job on its way; lives on the GUI thread, so its public signals arrive there."""

    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # the job's result
    failed = Signal(object)  # the exception it raised (not Cancelled)
    cancelled = Signal()
    ended = Signal()  # after any of the three above

    # Emitted from the worker thread; queued to the GUI thread because this object lives there.
    _progress = Signal(int, int)
    _outcome = Signal(object, object)  # _Outcome, the result or the exception

    def __init__(self, job: Callable[[Progress], T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self.progress = Progress(self._progress.emit)
        self.running = True
        self._progress.connect(self._on_progress)
        self._outcome.connect(self._on_outcome)

    def cancel(self) -> None:
        self.progress.cancel()

    def run_in_worker(self) -> None:
        try:
            result: Any = self._job(self.progress)
        except Cancelled:
            self._outcome.emit(_Outcome.CANCELLED, None)
        except Exception as exc:  # handed to the GUI thread, which decides what to say
            self._outcome.emit(_Outcome.FAILED, exc)
        else:
            self._outcome.emit(_Outcome.SUCCEEDED, result)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self.running:
            self.progressed.emit(done, total)

    @Slot(object, object)
    def _on_outcome(self, outcome: _Outcome, value: object) -> None:
        self.running = False
        if outcome is _Outcome.SUCCEEDED:
            self.succeeded.emit(value)
        elif outcome is _Outcome.FAILED:
            log.info("task failed: %r", value)
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.ended.emit()


class _CollectorPause:
    """The cyclic garbage collector waits while jobs run.

    A job that builds a hundred thousand objects triggers full collections that walk the whole
    heap while holding the interpreter lock: 100–200 ms each, during which the window cannot
    paint. The objects jobs make hold no reference cycles, so nothing piles up meanwhile.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs = 0
        self._was_enabled = True

    def __enter__(self) -> None:
        with self._lock:
            if self._jobs == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._jobs += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._jobs -= 1
            if self._jobs == 0 and self._was_enabled:
                gc.enable()


_collector_pause = _CollectorPause()


class _Runnable(QRunnable):
    def __init__(self, task: Task[Any]) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        with _collector_pause:
            self._task.run_in_worker()


class TaskRunner(QObject):
    """Starts jobs on a thread pool of its own and keeps each task alive until it ends."""

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._tasks: set[Task[Any]] = set()

    def start(self, job: Callable[[Progress], T]) -> Task[T]:
        task: Task[T] = Task(job)  # not a child: a task outlives a runner deleted before it ended
        self._tasks.add(task)
        task.ended.connect(lambda: self._forget(task))
        self._pool.start(_Runnable(task))
        return task

    def _forget(self, task: Task[Any]) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self, milliseconds: int = 5000) -> bool:
        """Cancel every job and wait for them to stop (the app is quitting); True if they did in time."""
        for task in self._tasks:
            task.cancel()
        return self.wait(milliseconds)

    def wait(self, milliseconds: int = 10_000) -> bool:
        """Wait for every job to end; their results arrive with the next events. True if they did in time."""
        return self._pool.waitForDone(milliseconds)


def show_progress(task: Task[Any], parent: QWidget, label: str) -> QProgressDialog:
    """A progress dialog for ``task`` that appears only if it takes more than a second; Cancel cancels."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(label.rstrip("…. "))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(task.cancel)

    def moved(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def ended() -> None:
        dialog.canceled.disconnect(task.cancel)
        dialog.close()
        dialog.deleteLater()

    task.progressed.connect(moved)
    task.ended.connect(ended)
    dialog.setValue(0)
    return dialog
