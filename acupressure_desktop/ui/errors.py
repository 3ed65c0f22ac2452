"""What the GUI does with what goes wrong: Qt's messages into the log, uncaught exceptions into
the log and a calm dialog, SIGINT and SIGTERM into a clean quit."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    QSocketNotifier,
    QtMsgType,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from acupressure_desktop import APP_TITLE
from acupressure_desktop.ui.dialogs import modal

qt_log = logging.getLogger("qt")
log = logging.getLogger(__name__)

QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

QtHandler = Callable[[QtMsgType, QMessageLogContext, str], None]


def route_qt_messages() -> QtHandler | None:
    """Send Qt's own warnings (``qt.svg``, ``qt.qpa``…) to the log; returns the handler it replaced."""

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category if context.category and context.category != "default" else "qt"
        qt_log.log(QT_LEVELS.get(kind, logging.WARNING), "%s: %s", category, message)

    previous: QtHandler | None = qInstallMessageHandler(handle)
    return previous


class ErrorReporter(QObject):
    """``sys.excepthook`` for the GUI: log the traceback and show one calm dialog with the details."""

    def __init__(self, parent_window: Callable[[], QWidget | None], log_file: Path | None) -> None:
        super().__init__()
        self._parent_window = parent_window
        self._log_file = log_file
        self._showing = False
        self.shown = 0  # dialogs shown this run (tests)

    def install(self) -> None:
        sys.excepthook = self.handle

    def handle(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("uncaught exception:\n%s", details)
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time; a failure inside the dialog itself only reaches the log
        self._showing = True
        try:
            self._show(details)
        finally:
            self._showing = False

    def _show(self, details: str) -> None:
        with modal(QMessageBox(self._parent_window())) as box:
            self._fill(box, details)
            self.shown += 1
            box.exec()

    def _fill(self, box: QMessageBox, details: str) -> None:
        where = f"The details are also in the log: {self._log_file}" if self._log_file else ""
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(f"{APP_TITLE}: something went wrong")
        box.setText("Something went wrong inside the app.")
        box.setInformativeText(
            "Your practice history is safe: sessions are saved as they run. You can go on, or restart the app "
            f"if something looks wrong. {where}"
        )
        box.setDetailedText(details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # keep the box open after copying
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        box.addButton(QMessageBox.StandardButton.Close)


class SignalQuit(QObject):
    """SIGINT and SIGTERM quit the event loop cleanly (``aboutToQuit`` runs the shutdown path).

    Python runs its signal handlers only between bytecodes, never while Qt's loop waits in C++:
    the wake-up fd makes the loop notice the signal at once.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self.received: list[int] = []
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self._on_signal)

    def _on_signal(self, number: int, _frame: object) -> None:
        self.received.append(number)
        log.info("received %s: quitting", signal.Signals(number).name)
        # exit(), not quit(): in Qt 6 quit() first asks every window to close, and the window asks
        # "Quit during a routine?", so a signal sent by the session manager would never quit.
        QCoreApplication.exit(0)

    @Slot()
    def _drain(self) -> None:
        with contextlib.suppress(BlockingIOError):
            self._reader.recv(64)
