"""The interactive start, one step after another, as an object that tests can drive.

1. The window paints with the first body map (``app.build_gui``); it stays hidden when the person
   asked to start minimised and a tray icon can bring it back.
2. On the first turn of the event loop the data loads and the history starts opening in a worker.
3. The safety notice is accepted (or the app quits).
4. Once the history is open too, the notices are told and launch requests are carried out: ours
   from the command line and any a second launch sent meanwhile, in the order they came (so
   that a routine asked for at launch is recorded).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

if TYPE_CHECKING:
    from acupressure_desktop.ui.main_window import MainWindow
    from acupressure_desktop.ui.shell import Shell


class Startable(Protocol):
    """What the start needs of the app (``app.Gui``)."""

    window: MainWindow
    shell: Shell | None

    def load(self) -> bool: ...

    def open_history(self, done: Callable[[], None]) -> None: ...

    def tell_notices(self) -> None: ...


class Startup(QObject):
    def __init__(self, gui: Startable, *, minimised: bool, tray_available: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gui = gui
        self._tray_available = tray_available
        self._pending: list[str | None] = []
        self._notice_accepted = False
        self._history_open = False
        self.ready = False
        if not (minimised and tray_available):
            gui.window.show()

    @Slot(object)
    def request(self, routine_id: str | None) -> None:
        """A launch asked for the window (and maybe a routine): now if ready, else once the start is done."""
        if self.ready and self._gui.shell is not None:
            self._gui.shell.handle_launch_request(routine_id)
        else:
            self._pending.append(routine_id)

    def begin(self) -> None:
        """Finish the start on the event loop's first turn, after the first paint."""
        QTimer.singleShot(0, self, self.finish)

    @Slot()
    def finish(self) -> None:
        gui = self._gui
        if not gui.load():
            QCoreApplication.exit(1)
            return
        shell = gui.shell
        assert shell is not None
        if not gui.window.isVisible() and not (shell.settings.start_minimised and self._tray_available):
            gui.window.show()  # the quick look said "minimised", the validated settings or the tray disagree
        gui.open_history(self._history_opened)
        if not shell.ensure_notice_accepted():
            QCoreApplication.quit()
            return
        self._notice_accepted = True
        self._go_if_ready()

    @Slot()
    def _history_opened(self) -> None:
        self._history_open = True
        self._go_if_ready()

    def _go_if_ready(self) -> None:
        shell = self._gui.shell
        if not (self._notice_accepted and self._history_open) or self.ready or shell is None:
            return
        self._gui.tell_notices()
        self.ready = True
        pending, self._pending = self._pending, []
        for routine_id in pending:
            shell.handle_launch_request(routine_id)
