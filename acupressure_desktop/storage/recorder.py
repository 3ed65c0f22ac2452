"""Keep the running session's row current, so that a crash loses seconds, not the session.

The UI calls :meth:`SessionRecorder.progress` on every tick; the row is written at
every step boundary, pause and stop (``force=True``) and otherwise at most every
:data:`SAVE_INTERVAL` seconds. A full or read-only disk never stops the session: the
latest state is kept in memory, :attr:`SessionRecorder.problem` says what is wrong,
and each later call tries again until the write goes through.

With a :class:`~acupressure_desktop.storage.writer.SessionWriter` (the app's case) the
writes and their retries happen on the writer's thread, so a locked or slow database
never blocks the caller; without one (tools, tests) they happen in the call.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from enum import Enum

from acupressure_desktop.storage.errors import StorageUnavailable
from acupressure_desktop.storage.history import HistoryRepository, Session, Status
from acupressure_desktop.storage.writer import SessionWriter

SAVE_INTERVAL = 5.0  # seconds: the most a crash or kill -9 can lose


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # check-in argument left as it is


class SessionRecorder:
    """Writes one session at a time through ``repository``; never raises for environment faults."""

    def __init__(
        self,
        repository: HistoryRepository,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        interval: float = SAVE_INTERVAL,
        on_problem: Callable[[str | None], None] | None = None,
        writer: SessionWriter | None = None,
    ) -> None:
        self._repository = repository
        self._writer = writer
        self._monotonic = monotonic
        self._interval = interval
        self._on_problem = on_problem
        self._session: Session | None = None  # the current one, or the last one recorded
        self._unsaved: dict[str, Session] = {}  # latest state of each session not yet written
        self._last_attempt = float("-inf")
        self._problem: str | None = None

    @property
    def session(self) -> Session | None:
        """The session being recorded, or the one recorded last (for its check-in)."""
        return self._session

    @property
    def running(self) -> bool:
        return self._session is not None and self._session.status is Status.RUNNING

    @property
    def problem(self) -> str | None:
        """Why the history cannot be saved right now, for a warning in the UI; None when all is saved."""
        return self._writer.problem if self._writer is not None else self._problem

    @property
    def unsaved(self) -> bool:
        return bool(self._unsaved) or (self._writer is not None and bool(self._writer.pending()))

    @property
    def writer(self) -> SessionWriter | None:
        return self._writer

    def unsaved_sessions(self) -> list[Session]:
        """The latest state of every session not written yet."""
        merged = {s.id: s for s in self._writer.pending()} if self._writer is not None else {}
        merged.update(self._unsaved)
        return list(merged.values())

    def close(self, timeout: float = 2.0) -> list[Session]:
        """Hand over what is unsaved, make a last attempt (at most ``timeout`` s) and return what is still unsaved."""
        self._flush()
        if self._writer is None:
            return list(self._unsaved.values())
        return self._writer.close(timeout)

    def begin(
        self,
        routine_id: str,
        routine_title: str,
        planned_seconds: int,
        steps_total: int,
        *,
        rating_label: str | None = None,
        before_rating: int | None = None,
    ) -> str:
        """Start recording a session (written at once); returns its id."""
        if self.running:
            raise RuntimeError("a session is already being recorded; end() it first")
        session = self._repository.new_session(
            routine_id,
            routine_title,
            planned_seconds,
            steps_total,
            rating_label=rating_label,
            before_rating=before_rating,
        )
        self._record(session, force=True)
        return session.id

    def progress(self, practised_seconds: int, steps_done: int, *, force: bool = False) -> None:
        """Note the progress; written now if ``force`` (step boundary, pause) or the interval has passed."""
        current = self._require_running()
        self._record(
            replace(
                current,
                practised_seconds=practised_seconds,
                steps_done=steps_done,
                ended_at=self._repository.now(),
            ),
            force=force,
        )

    def end(self, status: Status, practised_seconds: int, steps_done: int) -> None:
        if status is Status.RUNNING:
            raise ValueError("end() needs a final status, not 'running'")
        current = self._require_running()
        self._record(
            replace(
                current,
                status=status,
                practised_seconds=practised_seconds,
                steps_done=steps_done,
                ended_at=self._repository.now(),
            ),
            force=True,
        )

    def checkin(
        self,
        *,
        before_rating: int | _Keep | None = KEEP,
        after_rating: int | _Keep | None = KEEP,
        note: str | _Keep = KEEP,
    ) -> None:
        """Record check-in answers for the current or last session (during it or after it ended)."""
        if self._session is None:
            raise RuntimeError("no session has been recorded")
        session = self._session
        for name, value in (("before", before_rating), ("after", after_rating)):
            if isinstance(value, int) and not 0 <= value <= 10:
                raise ValueError(f"{name} rating {value} is outside 0–10")
        if not isinstance(before_rating, _Keep):
            session = replace(session, before_rating=before_rating)
        if not isinstance(after_rating, _Keep):
            session = replace(session, after_rating=after_rating)
        if not isinstance(note, _Keep):
            session = replace(session, note=note)
        self._record(session, force=True)

    def retry(self) -> bool:
        """Try the unsaved writes again now; True when everything is saved (with a writer: already)."""
        self._flush()
        if self._writer is not None:
            self._writer.retry_now()
        return not self.unsaved

    def _require_running(self) -> Session:
        if self._session is None or self._session.status is not Status.RUNNING:
            raise RuntimeError("no session is running; call begin() first")
        return self._session

    def _record(self, session: Session, *, force: bool) -> None:
        self._session = session
        self._unsaved[session.id] = session
        if force or self._monotonic() - self._last_attempt >= self._interval:
            self._flush()

    def _flush(self) -> None:
        self._last_attempt = self._monotonic()
        if self._writer is not None:  # the writer's thread writes and retries
            for session in self._unsaved.values():
                self._writer.submit(session)
            self._unsaved.clear()
            return
        for session_id, session in list(self._unsaved.items()):
            try:
                self._repository.save(session)
            except StorageUnavailable as exc:
                # Same disk for every row: no use trying the others now.
                self._set_problem(f"{exc} Your session goes on; it will be saved as soon as the disk allows.")
                return
            del self._unsaved[session_id]
        self._set_problem(None)

    def _set_problem(self, problem: str | None) -> None:
        if problem != self._problem:
            self._problem = problem
            if self._on_problem is not None:
                self._on_problem(problem)
