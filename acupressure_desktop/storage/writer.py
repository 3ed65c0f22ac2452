"""Write sessions off the GUI thread and retry until the disk allows: the one storage-retry path.

A :class:`SessionWriter` owns a small daemon thread with its own SQLite connection. The
recorder hands it the latest state of each session (:meth:`SessionWriter.submit` never
blocks on the database); the thread writes them, and when the history cannot be written
(a lock held by another program, a full or read-only disk) it keeps them in memory and
tries again with a growing pause, saying what is wrong through ``on_problem`` until a write
goes through. Every few seconds, and before each write, it checks that the history file is
still the one it opened: a file deleted (or swapped) while the app runs is recreated, the
sessions in memory are written into it, and ``on_replaced`` says so. ``on_saved`` hears of each
batch written (a view can refresh once a session's end is on disk). At quit,
:meth:`SessionWriter.close` returns whatever is still unsaved, for a recovery file.

Qt-free: callbacks run on the writer's thread; the UI marshals them to its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from acupressure_desktop.storage.errors import DatabaseTooNew, StorageError, StorageUnavailable
from acupressure_desktop.storage.history import HistoryRepository, Session

log = logging.getLogger(__name__)

RETRY_FIRST = 1.0  # seconds before the first retry; doubled each time up to RETRY_MOST
RETRY_MOST = 15.0
WATCH_INTERVAL = 5.0  # how often an idle writer checks that the history file is still there


class SessionWriter:
    def __init__(
        self,
        open_repository: Callable[[], HistoryRepository],
        *,
        on_problem: Callable[[str | None], None] | None = None,
        on_replaced: Callable[[str], None] | None = None,
        on_saved: Callable[[list[Session]], None] | None = None,
        retry_first: float = RETRY_FIRST,
        retry_most: float = RETRY_MOST,
        watch_interval: float = WATCH_INTERVAL,
        identity: tuple[int, int] | None = None,
    ) -> None:
        """``identity``: (device, inode) of the history file the app opened, so that a file deleted
        even before this writer's first write is noticed."""
        self._open_repository = open_repository
        self._on_problem = on_problem
        self._on_replaced = on_replaced
        self._on_saved = on_saved
        self._retry_first = retry_first
        self._retry_most = retry_most
        self._watch_interval = watch_interval
        self._condition = threading.Condition()
        self._pending: dict[str, Session] = {}  # latest unsaved state of each session
        self._writing: set[str] = set()
        self._next_attempt = 0.0
        self._pause = retry_first
        self._stopping = False
        self._problem: str | None = None
        self._repository: HistoryRepository | None = None
        self._known = identity
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    # -- called from the GUI thread -----------------------------------------------------

    def submit(self, session: Session) -> None:
        """Queue the latest state of ``session`` (replacing an older unsaved one); never blocks on I/O."""
        with self._condition:
            self._pending[session.id] = session
            self._condition.notify_all()

    def retry_now(self) -> None:
        with self._condition:
            self._next_attempt = 0.0
            self._condition.notify_all()

    @property
    def problem(self) -> str | None:
        return self._problem

    def pending(self) -> list[Session]:
        with self._condition:
            return list(self._pending.values())

    def wait_saved(self, timeout: float) -> bool:
        """Wait until everything submitted is written, at most ``timeout`` seconds; True when it is."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._pending or self._writing:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._condition.wait(left)
            return True

    def close(self, timeout: float = 2.0) -> list[Session]:
        """Make a last attempt (waiting at most ``timeout`` seconds), stop, and return what is unsaved."""
        with self._condition:
            self._stopping = True
            self._next_attempt = 0.0
            self._condition.notify_all()
        self._thread.join(timeout)
        with self._condition:
            return list(self._pending.values())

    # -- the writer's thread --------------------------------------------------------------

    def _run(self) -> None:
        last_watch = time.monotonic()
        while True:
            with self._condition:
                while not self._stopping:
                    now = time.monotonic()
                    if self._pending and now >= self._next_attempt:
                        break
                    wait = self._watch_interval - (now - last_watch)
                    if wait <= 0:
                        break
                    if self._pending:
                        wait = min(wait, self._next_attempt - now)
                    self._condition.wait(max(wait, 0.01))
                stopping = self._stopping
                due = stopping or time.monotonic() >= self._next_attempt  # a watch turn keeps the pause
                batch = dict(self._pending) if due else {}
                self._writing = set(batch)
            try:
                last_watch = time.monotonic()
                self._watch()
                if batch:
                    self._write(batch)
            except Exception as exc:  # a bug must not end the writer, nor lose the sessions
                log.exception("the history writer failed")
                self._close_repository()
                self._failed(f"Cannot save the practice history: {exc}. Your session is kept and will be tried again.")
            finally:
                with self._condition:
                    self._writing = set()
                    self._condition.notify_all()
            if stopping:  # that was the last attempt: what is still pending goes to the recovery file
                self._close_repository()
                return

    def _repository_or_open(self) -> HistoryRepository:
        if self._repository is None:
            self._repository = self._open_repository()
        return self._repository

    def _close_repository(self) -> None:
        if self._repository is not None:
            try:
                self._repository.db.close()
            except Exception:  # closing a connection to a vanished disk: nothing to keep
                log.debug("closing the writer's connection failed", exc_info=True)
            self._repository = None

    def _watch(self) -> None:
        """Recreate the history file if it was deleted or swapped since it was opened."""
        try:
            repository = self._repository_or_open()
        except (StorageUnavailable, DatabaseTooNew):
            log.info("the history cannot be opened for writing now", exc_info=True)
            return  # said by _write when there is something to save
        if self._known is None:
            self._known = repository.db.identity
        if not repository.db.replaced() and repository.db.identity == self._known:
            return
        path = repository.db.path
        existed = path.exists()
        self._close_repository()
        try:
            repository = self._repository_or_open()
        except (StorageUnavailable, DatabaseTooNew) as exc:
            self._failed(str(exc))
            return
        self._known = repository.db.identity
        try:  # an empty history there: ours, made because the file was gone (now or before our first open)
            gone = not existed or repository.count() == 0
        except StorageError:
            gone = True
        log.warning("the history file %s was %s while the app ran", path, "deleted" if gone else "replaced")
        if self._on_replaced is not None:
            what = "deleted" if gone else "replaced by another file"
            self._on_replaced(
                f"Your practice history file {path} was {what} while {_APP} was running. "
                + ("A new history was started there" if gone else "The app now uses the file found there")
                + "; sessions from now on are saved in it."
            )

    def _write(self, batch: dict[str, Session]) -> None:
        try:
            repository = self._repository_or_open()
            for session_id, session in batch.items():
                repository.save(session)
                with self._condition:
                    if self._pending.get(session_id) is session:  # not superseded meanwhile
                        del self._pending[session_id]
        except (StorageUnavailable, DatabaseTooNew) as exc:
            self._failed(f"{exc} Your session is kept; it will be saved as soon as the disk allows.")
            return
        except Exception as exc:  # a bug must not end the writer, nor lose the sessions
            log.exception("writing the practice history failed")
            self._close_repository()
            self._failed(f"Cannot save the practice history: {exc}. Your session is kept and will be tried again.")
            return
        with self._condition:
            self._pause = self._retry_first
        self._set_problem(None)
        if self._on_saved is not None:
            self._on_saved(list(batch.values()))

    def _failed(self, problem: str) -> None:
        with self._condition:
            self._next_attempt = time.monotonic() + self._pause
            self._pause = min(self._pause * 2, self._retry_most)
        self._set_problem(problem)

    def _set_problem(self, problem: str | None) -> None:
        if problem != self._problem:
            self._problem = problem
            if self._on_problem is not None:
                self._on_problem(problem)


_APP = "Acupressure Desktop"
