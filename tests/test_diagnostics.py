"""Logs, the crash log, Qt messages, the error dialog and a clean quit on SIGTERM."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from acupressure_desktop.diagnostics import CRASH_FILE, LOG_FILE, start_diagnostics
from acupressure_desktop.ui.errors import ErrorReporter, route_qt_messages


def test_the_log_and_the_crash_log_live_in_the_log_folder(tmp_path: Path) -> None:
    diagnostics = start_diagnostics(tmp_path / "log")
    try:
        logging.getLogger("acupressure_desktop.test").warning("a notice for the log")
    finally:
        diagnostics.close()
    assert diagnostics.log_file == tmp_path / "log" / LOG_FILE
    text = diagnostics.log_file.read_text(encoding="utf-8")
    assert "starting" in text and "a notice for the log" in text
    assert diagnostics.crash_file == tmp_path / "log" / CRASH_FILE and diagnostics.crash_file.exists()
    logging.getLogger("acupressure_desktop.test").warning("after close")
    assert "after close" not in diagnostics.log_file.read_text(encoding="utf-8")


def test_an_unusable_log_folder_is_said_and_logs_go_to_stderr(tmp_path: Path) -> None:
    (tmp_path / "log").write_text("a file where the folder should be")
    diagnostics = start_diagnostics(tmp_path / "log")
    diagnostics.close()
    assert diagnostics.log_file is None and diagnostics.crash_file is None
    assert diagnostics.problem is not None and str(tmp_path / "log") in diagnostics.problem


def test_a_hard_crash_is_written_to_the_crash_log(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import ctypes
        from pathlib import Path
        from acupressure_desktop.diagnostics import start_diagnostics
        start_diagnostics(Path({str(tmp_path / "log")!r}))
        ctypes.string_at(0)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Segmentation fault" in (tmp_path / "log" / CRASH_FILE).read_text(encoding="utf-8")


def test_qt_messages_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    previous = route_qt_messages()
    try:
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning("a Qt warning")
    finally:
        qInstallMessageHandler(previous)
    assert any("a Qt warning" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_an_uncaught_exception_is_logged_and_shown_once(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    reporter = ErrorReporter(lambda: None, tmp_path / "app.log")

    def show(box: QMessageBox) -> int:
        shown.append((box.text(), box.detailedText()))
        try:
            raise RuntimeError("inside the dialog")
        except RuntimeError as exc:  # a second error while the first is on screen: logged, not shown
            reporter.handle(type(exc), exc, exc.__traceback__)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", show)
    try:
        raise ValueError("something broke")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR):
            reporter.handle(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1 and reporter.shown == 1
    assert shown[0][0] == "Something went wrong inside the app."
    assert "ValueError: something broke" in shown[0][1]
    logged = [r.getMessage() for r in caplog.records]
    assert any("something broke" in m for m in logged) and any("inside the dialog" in m for m in logged)


def test_sigterm_quits_the_event_loop_cleanly() -> None:
    script = textwrap.dedent(
        """
        import os, signal
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from acupressure_desktop.ui.errors import SignalQuit
        app = QApplication([])
        quitter = SignalQuit(app)
        app.aboutToQuit.connect(lambda: print("shutdown path ran"))
        QTimer.singleShot(200, app, lambda: os.kill(os.getpid(), signal.SIGTERM))
        QTimer.singleShot(20000, app, lambda: app.exit(3))  # the signal was missed
        print("exit", app.exec(), quitter.received == [signal.SIGTERM])
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["shutdown path ran", "exit 0 True"]


def test_sigterm_quits_even_when_a_window_would_ask_first() -> None:
    """A routine runs and the window asks before closing: SIGTERM (logout, kill) still quits at once
    through the shutdown path, asking nothing."""
    script = textwrap.dedent(
        """
        import os, signal
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QWidget
        from acupressure_desktop.ui.errors import SignalQuit

        class Asking(QWidget):
            def closeEvent(self, event):
                print("asked")
                event.ignore()

        app = QApplication([])
        window = Asking()
        window.show()
        quitter = SignalQuit(app)
        app.aboutToQuit.connect(lambda: print("shutdown path ran"))
        QTimer.singleShot(200, app, lambda: os.kill(os.getpid(), signal.SIGTERM))
        QTimer.singleShot(20000, app, lambda: app.exit(3))
        print("exit", app.exec())
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["shutdown path ran", "exit 0"]
