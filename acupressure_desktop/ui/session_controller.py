"""Drives a SessionRunner from Qt timers and fans its events out to the UI and the recorder.

Two timers: a precise single-shot timer set to the runner's next deadline (so step
boundaries land on time, whatever happened to the event loop), and a display refresh
while a session runs, set to just after the countdown's next whole second (the only
moment the dock shows something new; the breathing pacer animates itself). Nothing
ticks when no session runs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from acupressure_desktop.domain.models import Step
from acupressure_desktop.session.runner import (
    Finished,
    PainReported,
    Paused,
    RunnerEvent,
    RunnerState,
    SegmentStarted,
    SessionRunner,
    Snapshot,
    StepCompleted,
    Stopped,
)

if TYPE_CHECKING:  # the history loads after the first paint; its Status is needed only when a session ends
    from acupressure_desktop.storage.history import Status

# Display refresh while running: once a second, just after the countdown turns (so "0:17"
# shows on time), never longer than DISPLAY_INTERVAL_MS. Step boundaries do not depend on it:
# they have their own precise timer. The breathing pacer animates on its own timer.
DISPLAY_INTERVAL_MS = 1000
DISPLAY_LAG_MS = 15  # after the second turns, so the rounding shows the new second
ANIMATED_INTERVAL_MS = 125  # the pacer's frames: its circle moves about a pixel a frame at 8 fps


class Recorder(Protocol):
    """What the controller needs from the history (storage.recorder.SessionRecorder)."""

    def begin(
        self,
        routine_id: str,
        routine_title: str,
        planned_seconds: int,
        steps_total: int,
        *,
        rating_label: str | None,
        before_rating: int | None = None,
    ) -> str: ...

    def progress(self, practised_seconds: int, steps_done: int, *, force: bool = False) -> None: ...

    def end(self, status: Status, practised_seconds: int, steps_done: int) -> None: ...


@dataclass(frozen=True)
class SessionPlan:
    """What to run: built by the window from a routine or a single point."""

    routine_id: str
    title: str
    steps: Sequence[Step]
    rating_label: str
    benefits: tuple[str, ...] = ()


class SessionController(QObject):
    snapshotChanged = Signal(object)  # Snapshot
    eventHappened = Signal(object)  # RunnerEvent
    sessionStarted = Signal(object)  # SessionPlan
    sessionEnded = Signal(object, object)  # SessionPlan, Status: completed | stopped | pain

    def __init__(
        self,
        recorder: Recorder | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._recorder = recorder
        self._clock = clock
        self.runner: SessionRunner | None = None
        self.plan: SessionPlan | None = None
        self.session_id: str | None = None
        self.recorded = False  # whether the last session was written to the history (it lasted a second or more)
        self._before_rating: int | None = None
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setSingleShot(True)
        self._deadline_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline_timer.timeout.connect(self.update)
        self._display_timer = QTimer(self)
        self._display_timer.setSingleShot(True)
        self._display_timer.timeout.connect(self.update)
        self._display_interval = DISPLAY_INTERVAL_MS

    def set_display_interval(self, milliseconds: int) -> None:
        """The longest wait between refreshes (DISPLAY_INTERVAL_MS: once a second)."""
        self._display_interval = max(50, milliseconds)

    def set_recorder(self, recorder: Recorder) -> None:
        self._recorder = recorder

    @property
    def active(self) -> bool:
        return self.runner is not None and self.runner.state in (RunnerState.RUNNING, RunnerState.PAUSED)

    def timers_active(self) -> int:
        return int(self._deadline_timer.isActive()) + int(self._display_timer.isActive())

    def load(self, plan: SessionPlan, prepare_seconds: float = 0, before_rating: int | None = None) -> None:
        """Load a plan without starting it (the dock shows it ready to go); ``before_rating`` is the
        check-in answer given before it, kept with the session when it is recorded."""
        if self.active:
            raise RuntimeError("a session is running: stop it before loading another")
        self._halt_timers()
        self.plan = plan
        self.runner = SessionRunner(plan.steps, title=plan.title, prepare_seconds=prepare_seconds, clock=self._clock)
        self.session_id = None
        self.recorded = False
        self._before_rating = before_rating
        self.snapshotChanged.emit(self.runner.snapshot())

    @Slot()
    def start(self) -> None:
        if self.runner is None or self.plan is None or self.runner.state is not RunnerState.READY:
            return
        self.sessionStarted.emit(self.plan)
        self._handle(self.runner.start())

    @Slot()
    def toggle(self) -> None:
        if self.runner is None:
            return
        if self.runner.state is RunnerState.READY:
            self.start()
        else:
            self._handle(self.runner.toggle())

    @Slot()
    def next_step(self) -> None:
        if self.runner is not None:
            self._handle(self.runner.next_step())

    @Slot()
    def previous_step(self) -> None:
        if self.runner is not None:
            self._handle(self.runner.previous_step())

    @Slot()
    def stop(self) -> None:
        if self.runner is not None:
            self._handle(self.runner.stop())

    @Slot()
    def report_pain(self) -> None:
        if self.runner is not None:
            self._handle(self.runner.report_pain())

    @Slot()
    def update(self) -> None:
        if self.runner is not None:
            self._handle(self.runner.update())

    def _handle(self, events: list[RunnerEvent]) -> None:
        runner = self.runner
        assert runner is not None
        snapshot = runner.snapshot()
        boundary = False
        for event in events:
            boundary = boundary or isinstance(event, (SegmentStarted, StepCompleted, Paused, PainReported))
            self.eventHappened.emit(event)
        self._record(snapshot, events, force=boundary)
        self._schedule()
        self.snapshotChanged.emit(snapshot)
        ending = self._ending(events)
        if ending is not None and self.plan is not None:
            self.sessionEnded.emit(self.plan, ending)

    def _ending(self, events: list[RunnerEvent]) -> Status | None:
        """The status to record when these events end the session."""
        outcome = self.runner.outcome if self.runner is not None else None
        if outcome is None or not any(isinstance(e, (Finished, Stopped)) for e in events):
            return None
        from acupressure_desktop.storage.history import Status

        return Status(outcome.value)

    def _record(self, snapshot: Snapshot, events: list[RunnerEvent], force: bool) -> None:
        """The history gets a session once a second has been pressed: one stopped during the
        preparation, or replaced at once by another, is not practice and is never recorded."""
        if self._recorder is None or self.plan is None:
            return
        practised = round(snapshot.practised_seconds)
        if self.session_id is None:
            if practised < 1 or self.recorded:
                return
            self.session_id = self._recorder.begin(
                self.plan.routine_id,
                self.plan.title,
                int(sum(s.seconds for s in self.plan.steps)),
                len(self.plan.steps),
                rating_label=self.plan.rating_label,
                before_rating=self._before_rating,
            )
            self.recorded = True
        ending = self._ending(events)
        if ending is not None:
            self._recorder.end(ending, practised, snapshot.steps_done)
            self.session_id = None
        else:
            self._recorder.progress(practised, snapshot.steps_done, force=force)

    def _schedule(self) -> None:
        runner = self.runner
        wait = runner.seconds_until_next_deadline() if runner is not None else None
        if wait is None:
            self._halt_timers()
            return
        self._deadline_timer.start(max(0, int(wait * 1000) + 1))
        self._display_timer.start(self.next_refresh_ms())

    def next_refresh_ms(self) -> int:
        """Milliseconds to just after the countdown's next whole second, at most the display interval."""
        runner = self.runner
        if runner is None:
            return self._display_interval
        remaining = runner.snapshot().segment_remaining
        to_second = (remaining - math.floor(remaining)) or 1.0
        return max(50, min(self._display_interval, int(to_second * 1000) + DISPLAY_LAG_MS))

    def _halt_timers(self) -> None:
        self._deadline_timer.stop()
        self._display_timer.stop()
