"""The window's side of the history writer: its reports reach the GUI thread, quit keeps what is unsaved.

The writer (``storage.writer``) runs on its own thread; :class:`MainThreadRelay` turns its
callbacks into queued calls on the GUI thread. :func:`attach_recorder` builds the app's
recorder, shows problems in the status bar, says when the history file was deleted while
the app ran (and offers the latest backup), and at quit writes still-unsaved sessions to a
recovery file. :func:`offer_backup` asks whether to restore a daily backup.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from acupressure_desktop import APP_NAME, APP_TITLE
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.errors import StorageError
from acupressure_desktop.storage.history import OpenedHistory, Session, Status
from acupressure_desktop.storage.recorder import SessionRecorder
from acupressure_desktop.storage.recovery import (
    background_recorder,
    carry_over,
    close_recorder,
    latest_backup,
    restore_backup,
)

if TYPE_CHECKING:
    from pathlib import Path

    from acupressure_desktop.ui.shell import Shell

log = logging.getLogger(__name__)


class MainThreadRelay(QObject):
    """``wrap(fn)`` gives a callable that any thread may call; ``fn`` then runs on this object's thread."""

    _call = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run)  # auto connection: queued when emitted from another thread

    def wrap(self, function: Callable[..., Any]) -> Callable[..., None]:
        def call(*args: Any) -> None:
            # The writer thread may outlive the window (a test, the end of the app): then nobody
            # is there to tell, and PySide raises instead of emitting.
            with contextlib.suppress(RuntimeError):
                self._call.emit(function, args)

        return call

    @Slot(object, object)
    def _run(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        function(*args)


def attach_recorder(
    shell: Shell, opened: OpenedHistory, paths: AppPaths, app: QApplication, *, ask: bool = True
) -> SessionRecorder:
    """The app's recorder, writing off the GUI thread; quitting keeps what is still unsaved.

    ``ask`` False (a screenshot, nobody there): a restorable backup is only named in the notices.
    """
    relay = MainThreadRelay(shell.window)

    def replaced(message: str) -> None:
        try:
            carried = carry_over(opened.repository)
            if carried:
                message += f" The {carried} session(s) the app still had open were written into it."
        except StorageError as exc:
            message += f" {exc}"
        if shell.history_view is not None:
            shell.history_view.refresh()
        backup = latest_backup(paths)
        shell.window.statusBar().showMessage(message)
        if backup is not None and ask:
            offer_backup(shell, opened, backup, message)
        else:
            shell.tell(message)

    def saved(sessions: list[Session]) -> None:
        # Writes happen off this thread: once a session's end or check-in is on disk, show it.
        if shell.history_view is not None and any(s.status is not Status.RUNNING for s in sessions):
            shell.history_view.refresh()

    recorder = background_recorder(
        opened,
        paths,
        on_problem=relay.wrap(shell.show_storage_problem),
        on_replaced=relay.wrap(replaced),
        on_saved=relay.wrap(saved),
    )

    def at_quit() -> None:
        message = close_recorder(recorder, paths)
        if message is not None:
            print(f"{APP_NAME}: {message}", file=sys.stderr)

    app.aboutToQuit.connect(at_quit)
    if opened.restorable is not None and ask:
        offer_backup(shell, opened, opened.restorable, "")
    return recorder


def offer_backup(shell: Shell, opened: OpenedHistory, backup: Path, reason: str) -> None:
    """Ask (without blocking) whether to add the sessions of ``backup`` to the history."""
    text = (reason + "\n\n" if reason else "") + (
        f"The latest daily backup of your practice history is {backup.name}. "
        "Restore its sessions into the history now? Sessions recorded since are kept."
    )
    box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE, text, parent=shell.window)
    restore = box.addButton("Restore the backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.setObjectName("offer-backup")

    def answered() -> None:
        box.deleteLater()
        if box.clickedButton() is not restore:
            return
        try:
            added = restore_backup(opened.repository, backup)
        except StorageError as exc:
            shell.tell(f"The backup could not be restored: {exc}")
            return
        if shell.history_view is not None:
            shell.history_view.refresh()
        shell.window.statusBar().showMessage(f"Restored {added} session(s) from {backup.name}.", 10000)

    box.finished.connect(answered)
    box.open()
