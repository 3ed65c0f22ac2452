"""The routine runner: a pure state machine over an injected monotonic clock.

Qt-free. Time is kept as deadlines on the clock, never by counting ticks: the UI
asks :meth:`SessionRunner.seconds_until_next_deadline`, sets one single-shot timer,
and calls :meth:`SessionRunner.update` when it fires (late or not). ``update``
walks through every deadline that has passed; each next segment starts at the
previous deadline, not at "now", so a late timer or a stalled event loop never
stretches the routine.

A routine is cut into segments: an optional preparation before each step, then
the pressing time. A bilateral step (``Side.BOTH``) presses left then right, each
for half the step's time, with a :class:`SidesSwitched` cue between the halves.

Commands that make no sense in the current state (pause while ready, resume
while running...) do nothing and return an empty list, so the UI can forward
key presses without checking first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from acupressure_desktop.domain.models import Point, Side, Step

Clock = Callable[[], float]

# previous_step within this many seconds of a step's start goes back a step;
# later it restarts the current step (as media players do).
RESTART_THRESHOLD_SECONDS = 3.0
SWITCH_CUE_SECONDS = 4.0  # how long "switch sides" stays up at the start of the second side


class RunnerState(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


class Outcome(StrEnum):
    """How a session ended, as the history records it."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    PAIN = "pain"  # stopped after the person reported pain


class Phase(StrEnum):
    PREPARE = "prepare"  # find the point, settle; not counted as practice
    PRESS = "press"


@dataclass(frozen=True)
class Segment:
    step_index: int
    side: Side  # for a preparation: the side pressed first
    phase: Phase
    duration: float
    second_side: bool = False  # the right side of a step pressed on both sides


# Events. ``at`` is the clock time the event happened: the passed deadline for
# events raised by update(), the command's time for events raised by commands.


@dataclass(frozen=True)
class Started:
    at: float


@dataclass(frozen=True)
class SegmentStarted:
    step_index: int
    side: Side
    phase: Phase
    duration: float
    at: float


@dataclass(frozen=True)
class SidesSwitched:
    step_index: int
    at: float


@dataclass(frozen=True)
class StepCompleted:
    step_index: int
    at: float


@dataclass(frozen=True)
class StepSkipped:
    """The person left a step early with next/previous step."""

    step_index: int
    at: float


@dataclass(frozen=True)
class PainReported:
    step_index: int
    at: float


@dataclass(frozen=True)
class Paused:
    at: float


@dataclass(frozen=True)
class Resumed:
    at: float


@dataclass(frozen=True)
class Finished:
    at: float


@dataclass(frozen=True)
class Stopped:
    at: float


RunnerEvent = (
    Started
    | SegmentStarted
    | SidesSwitched
    | StepCompleted
    | StepSkipped
    | PainReported
    | Paused
    | Resumed
    | Finished
    | Stopped
)


@dataclass(frozen=True)
class Snapshot:
    """What the UI shows; every time value is in seconds and never negative."""

    state: RunnerState
    step_index: int
    step_count: int
    side: Side
    phase: Phase
    segment_remaining: float
    segment_duration: float
    step_remaining: float
    total_remaining: float
    total_duration: float
    practised_seconds: float  # time spent pressing; preparation and pauses excluded
    steps_done: int  # distinct steps whose pressing time ran out
    painful_steps: tuple[int, ...]
    switching_sides: bool  # the first seconds of a step's second side: time to say "switch sides"

    @property
    def every_step_pressed(self) -> bool:
        """Every step pressed to its end: a routine also reaches its end when steps are skipped
        (Next), and only this earns a "well done" (the dock, the voice, the screen reader)."""
        return self.steps_done >= self.step_count


def build_segments(steps: Sequence[Step], prepare_seconds: float) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    for index, step in enumerate(steps):
        first_side = Side.LEFT if step.side is Side.BOTH else step.side
        if prepare_seconds > 0:
            segments.append(Segment(index, first_side, Phase.PREPARE, prepare_seconds))
        if step.side is Side.BOTH:
            half = step.seconds / 2
            segments.append(Segment(index, Side.LEFT, Phase.PRESS, half))
            segments.append(Segment(index, Side.RIGHT, Phase.PRESS, half, second_side=True))
        else:
            segments.append(Segment(index, step.side, Phase.PRESS, float(step.seconds)))
    return tuple(segments)


class SessionRunner:
    """Runs a sequence of steps; see the module docstring."""

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        title: str,
        prepare_seconds: float = 0,
        clock: Clock = time.monotonic,
    ) -> None:
        if not steps:
            raise ValueError("a session needs at least one step")
        if not (math.isfinite(prepare_seconds) and prepare_seconds >= 0):
            raise ValueError(f"prepare_seconds must be 0 or more, not {prepare_seconds!r}")
        self.title = title
        self.steps: tuple[Step, ...] = tuple(steps)
        self.prepare_seconds = float(prepare_seconds)
        self._clock = clock
        self._segments = build_segments(self.steps, self.prepare_seconds)
        # The first segment of each step, for jumps between steps.
        self._step_starts = tuple(
            next(i for i, seg in enumerate(self._segments) if seg.step_index == step) for step in range(len(self.steps))
        )
        self._total_duration = sum(seg.duration for seg in self._segments)
        self._state = RunnerState.READY
        self._index = 0
        # Running: the deadline of the current segment. Otherwise: the time left in it.
        self._deadline: float | None = None
        self._remaining = self._segments[0].duration
        self._practised_closed = 0.0  # pressing time of segments already left
        self._completed: set[int] = set()
        self._painful: list[int] = []

    # -- queries ---------------------------------------------------------------

    @property
    def state(self) -> RunnerState:
        return self._state

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self._segments

    def seconds_until_next_deadline(self) -> float | None:
        """When the UI timer should next call update(); None unless running."""
        if self._state is not RunnerState.RUNNING or self._deadline is None:
            return None
        return max(0.0, self._deadline - self._clock())

    @property
    def outcome(self) -> Outcome | None:
        """How the session ended; None while it has not."""
        if self._state is RunnerState.FINISHED:
            return Outcome.COMPLETED
        if self._state is RunnerState.STOPPED:
            return Outcome.PAIN if self._painful else Outcome.STOPPED
        return None

    def snapshot(self) -> Snapshot:
        """The current view, without side effects.

        Call update() first: a deadline that passed without update() shows as a
        segment with nothing left rather than as the next segment.
        """
        segment = self._segments[self._index]
        remaining = self._segment_remaining(self._clock())
        step_rest = sum(
            seg.duration for seg in self._segments[self._index + 1 :] if seg.step_index == segment.step_index
        )
        later = sum(seg.duration for seg in self._segments[self._index + 1 :])
        done = self._state is RunnerState.FINISHED
        return Snapshot(
            state=self._state,
            step_index=segment.step_index,
            step_count=len(self.steps),
            side=segment.side,
            phase=segment.phase,
            segment_remaining=remaining,
            segment_duration=segment.duration,
            step_remaining=0.0 if done else remaining + step_rest,
            total_remaining=0.0 if done else remaining + later,
            total_duration=self._total_duration,
            practised_seconds=self._practised(remaining),
            steps_done=len(self._completed),
            switching_sides=segment.second_side and segment.duration - remaining < SWITCH_CUE_SECONDS,
            painful_steps=tuple(self._painful),
        )

    # -- the clock -------------------------------------------------------------

    def update(self) -> list[RunnerEvent]:
        """Advance through every deadline that has passed; return what happened."""
        return self._advance(self._clock())

    # -- commands --------------------------------------------------------------

    def start(self) -> list[RunnerEvent]:
        if self._state is not RunnerState.READY:
            return []
        now = self._clock()
        self._state = RunnerState.RUNNING
        self._deadline = now + self._remaining
        segment = self._segments[self._index]
        return [Started(now), self._segment_started(segment, now)]

    def pause(self) -> list[RunnerEvent]:
        now = self._clock()
        events = self._advance(now)
        if self._state is not RunnerState.RUNNING:
            return events
        self._remaining = self._segment_remaining(now)
        self._deadline = None
        self._state = RunnerState.PAUSED
        return [*events, Paused(now)]

    def resume(self) -> list[RunnerEvent]:
        if self._state is not RunnerState.PAUSED:
            return []
        now = self._clock()
        self._state = RunnerState.RUNNING
        self._deadline = now + self._remaining
        return [Resumed(now)]

    def toggle(self) -> list[RunnerEvent]:
        if self._state is RunnerState.READY:
            return self.start()
        if self._state is RunnerState.RUNNING:
            return self.pause()
        return self.resume()

    def stop(self) -> list[RunnerEvent]:
        now = self._clock()
        events = self._advance(now)
        if self._state not in (RunnerState.READY, RunnerState.RUNNING, RunnerState.PAUSED):
            return events
        self._leave_segment(now)
        self._state = RunnerState.STOPPED
        return [*events, Stopped(now)]

    def next_step(self) -> list[RunnerEvent]:
        """Skip to the next step; on the last step this finishes the session."""
        now = self._clock()
        events = self._advance(now)
        if self._state in (RunnerState.FINISHED, RunnerState.STOPPED):
            return events
        step = self._segments[self._index].step_index
        if self._state is RunnerState.READY:
            # Choosing where to begin: nothing is skipped, and there is nothing to finish.
            if step + 1 >= len(self.steps):
                return events
            return events + self._jump_to_step(step + 1, now)
        events.append(StepSkipped(step, now))
        return events + self._jump_to_step(step + 1, now)

    def previous_step(self) -> list[RunnerEvent]:
        """Restart the current step, or go back one if it has only just begun."""
        now = self._clock()
        events = self._advance(now)
        if self._state in (RunnerState.FINISHED, RunnerState.STOPPED):
            return events
        step = self._segments[self._index].step_index
        target = step if self._elapsed_in_step(now) > RESTART_THRESHOLD_SECONDS else max(step - 1, 0)
        return events + self._jump_to_step(target, now)

    def report_pain(self) -> list[RunnerEvent]:
        """The "stop, this hurts" action: the session stops here, and its outcome is *pain*.

        Pain is a signal to stop, not to go on to the next point: the person reads the advice
        and may start again later. The step's pressing time so far is kept.
        """
        now = self._clock()
        events = self._advance(now)
        if self._state not in (RunnerState.RUNNING, RunnerState.PAUSED):
            return events
        step = self._segments[self._index].step_index
        if step not in self._painful:
            self._painful.append(step)
        self._leave_segment(now)
        self._state = RunnerState.STOPPED
        return [*events, PainReported(step, now), Stopped(now)]

    # -- internals -------------------------------------------------------------

    def _segment_remaining(self, now: float) -> float:
        if self._deadline is None:
            return self._remaining
        return min(self._segments[self._index].duration, max(0.0, self._deadline - now))

    def _practised(self, remaining: float) -> float:
        if self._state in (RunnerState.FINISHED, RunnerState.STOPPED):
            return self._practised_closed  # everything is banked
        segment = self._segments[self._index]
        current = segment.duration - remaining if segment.phase is Phase.PRESS else 0.0
        return self._practised_closed + current

    def _elapsed_in_step(self, now: float) -> float:
        segment = self._segments[self._index]
        first = self._step_starts[segment.step_index]
        before = sum(seg.duration for seg in self._segments[first : self._index])
        return before + segment.duration - self._segment_remaining(now)

    def _leave_segment(self, now: float) -> None:
        """Bank the pressing time of the current segment and freeze its clock."""
        remaining = self._segment_remaining(now)
        self._practised_closed = self._practised(remaining)
        self._remaining = remaining
        self._deadline = None

    def _segment_started(self, segment: Segment, at: float) -> SegmentStarted:
        return SegmentStarted(segment.step_index, segment.side, segment.phase, segment.duration, at)

    def _jump_to_step(self, step: int, now: float) -> list[RunnerEvent]:
        running = self._state is RunnerState.RUNNING
        self._leave_segment(now)
        if step >= len(self.steps):
            self._remaining = 0.0
            self._state = RunnerState.FINISHED
            return [Finished(now)]
        self._index = self._step_starts[step]
        segment = self._segments[self._index]
        self._remaining = segment.duration
        if running:
            self._deadline = now + segment.duration
        return [self._segment_started(segment, now)]

    def _advance(self, now: float) -> list[RunnerEvent]:
        events: list[RunnerEvent] = []
        while self._state is RunnerState.RUNNING and self._deadline is not None and now >= self._deadline:
            passed = self._deadline
            segment = self._segments[self._index]
            if segment.phase is Phase.PRESS:
                self._practised_closed += segment.duration
            following = self._segments[self._index + 1] if self._index + 1 < len(self._segments) else None
            if following is None or following.step_index != segment.step_index:
                self._completed.add(segment.step_index)
                events.append(StepCompleted(segment.step_index, passed))
            if following is None:
                self._deadline = None
                self._remaining = 0.0
                self._state = RunnerState.FINISHED
                events.append(Finished(passed))
                break
            if segment.side is Side.LEFT and following.side is Side.RIGHT:
                events.append(SidesSwitched(segment.step_index, passed))
            self._index += 1
            # The next segment starts at the passed deadline, not at "now".
            self._deadline = passed + following.duration
            events.append(self._segment_started(following, passed))
        return events


def point_step(point: Point, seconds_per_side: int | None = None) -> Step:
    """A step pressing one point: both sides in turn if it is bilateral."""
    per_side = seconds_per_side if seconds_per_side is not None else point.pressing().hold_seconds
    if point.bilateral:
        return Step(point=point.code, seconds=2 * per_side, side=Side.BOTH)
    return Step(point=point.code, seconds=per_side, side=Side.CENTER)
