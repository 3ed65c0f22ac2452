"""The window's side of the history writer: reports reach the GUI thread; a deleted history is said
and the latest backup offered; quitting keeps what is unsaved."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.history import Status, open_history
from acupressure_desktop.storage.recovery import pending_recovery_files
from acupressure_desktop.ui.storage_status import MainThreadRelay, attach_recorder
from tests.historydata import TZ, Clock, make_session


class FakeView:
    def __init__(self) -> None:
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


class FakeShell:
    def __init__(self) -> None:
        self.window = QMainWindow()
        self.history_view: FakeView | None = None
        self.problems: list[str | None] = []
        self.told: list[str] = []

    def show_storage_problem(self, problem: str | None) -> None:
        self.problems.append(problem)

    def tell(self, text: str) -> None:
        self.told.append(text)


def test_the_relay_runs_calls_from_another_thread_on_the_gui_thread(qtbot: QtBot) -> None:
    relay = MainThreadRelay()
    seen: list[bool] = []
    call = relay.wrap(lambda: seen.append(threading.current_thread() is threading.main_thread()))
    worker = threading.Thread(target=call)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: seen == [True], timeout=3000)


def test_the_history_view_refreshes_once_an_ended_session_is_on_disk(qtbot: QtBot, app_paths: AppPaths) -> None:
    opened = open_history(app_paths, clock=Clock(), tz=TZ)
    shell = FakeShell()
    shell.history_view = FakeView()
    qtbot.addWidget(shell.window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    recorder = attach_recorder(shell, opened, app_paths, app)  # type: ignore[arg-type]
    try:
        recorder.begin("neck-release", "Neck release", 120, 2)
        assert recorder.writer is not None and recorder.writer.wait_saved(10)
        qtbot.wait(100)
        assert shell.history_view.refreshed == 0  # a running session: nothing new to show
        recorder.end(Status.COMPLETED, 120, 2)
        qtbot.waitUntil(lambda: shell.history_view is not None and shell.history_view.refreshed == 1, timeout=5000)
        assert opened.repository.count() == 1
    finally:
        recorder.close()
        opened.repository.db.close()


def _offer(shell: FakeShell) -> QMessageBox | None:
    boxes = [b for b in shell.window.findChildren(QMessageBox) if b.objectName() == "offer-backup" and b.isVisible()]
    return boxes[0] if boxes else None


def test_a_deleted_history_is_said_and_the_backup_offered_and_restored(qtbot: QtBot, app_paths: AppPaths) -> None:
    first = open_history(app_paths, clock=Clock(), tz=TZ)
    first.repository.add_sessions([make_session()])
    first.repository.db.close()
    day_after = Clock(Clock().now.replace(day=13))
    opened = open_history(app_paths, clock=day_after, tz=TZ)  # makes a backup holding the session
    shell = FakeShell()
    qtbot.addWidget(shell.window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    recorder = attach_recorder(shell, opened, app_paths, app)  # type: ignore[arg-type]
    assert recorder.writer is not None
    try:
        recorder.begin("neck-release", "Neck release", 120, 2)
        assert recorder.writer.wait_saved(10)
        for companion in app_paths.data.glob("history.sqlite3*"):
            companion.unlink()
        qtbot.waitUntil(lambda: _offer(shell) is not None, timeout=15_000)
        box = _offer(shell)
        assert box is not None
        assert "was deleted while" in box.text()
        assert "history-2024-06-13.sqlite3" in box.text()
        assert "2 session(s) the app still had open were written into it" in box.text()
        assert opened.repository.count() == 2  # nothing lost: the earlier session and this one
        restore = next(b for b in box.buttons() if b.text() == "Restore the backup")
        restore.click()
        qtbot.waitUntil(lambda: "Restored 0 session(s)" in shell.window.statusBar().currentMessage(), timeout=5000)
        recorder.end(Status.COMPLETED, 120, 2)
        assert recorder.writer.wait_saved(10)
    finally:
        recorder.close()
        opened.repository.db.close()


def test_quitting_with_a_locked_history_writes_a_recovery_file(qtbot: QtBot, app_paths: AppPaths) -> None:
    import sqlite3

    opened = open_history(app_paths, clock=Clock(), tz=TZ)
    shell = FakeShell()
    qtbot.addWidget(shell.window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    recorder = attach_recorder(shell, opened, app_paths, app)  # type: ignore[arg-type]
    other = sqlite3.connect(app_paths.history_db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        recorder.begin("neck-release", "Neck release", 120, 2)
        recorder.end(Status.COMPLETED, 120, 2)
        qtbot.waitUntil(lambda: any(p for p in shell.problems), timeout=15_000)  # said in the status bar
        app.aboutToQuit.emit()  # what quitting does
    finally:
        other.execute("ROLLBACK")
        other.close()
        opened.repository.db.close()
    (file,) = pending_recovery_files(app_paths)
    assert '"status": "completed"' in file.read_text()
    assert isinstance(file, Path)


def test_a_report_from_the_writer_after_the_window_is_gone_is_dropped_quietly(qtbot: QtBot) -> None:
    import threading

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from acupressure_desktop.ui.storage_status import MainThreadRelay

    relay = MainThreadRelay()
    heard: list[int] = []
    call = relay.wrap(heard.append)
    relay.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            call(1)
        except BaseException as exc:  # what used to escape the writer thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(5)
    assert errors == [] and heard == []
