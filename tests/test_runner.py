"""SessionRunner: deadlines on a fake monotonic clock, commands, and invariants."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from acupressure_desktop.domain.models import Caution, CautionKind, Point, Routine, Side, Step, Technique, UseEvidence
from acupressure_desktop.session.runner import (
    SWITCH_CUE_SECONDS,
    Finished,
    Outcome,
    PainReported,
    Paused,
    Phase,
    Resumed,
    RunnerEvent,
    RunnerState,
    SegmentStarted,
    SessionRunner,
    SidesSwitched,
    Started,
    StepCompleted,
    StepSkipped,
    Stopped,
    point_step,
)


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


LI4 = Step(point="LI4", seconds=20, side=Side.BOTH)  # 10 s left, 10 s right
GV20 = Step(point="GV20", seconds=10, side=Side.CENTER)
NECK = Step(technique="neck-kneading", seconds=30, side=Side.CENTER)


def make(
    steps: list[Step] | None = None, prepare: float = 0, start_at: float = 1000.0
) -> tuple[SessionRunner, FakeClock]:
    clock = FakeClock(start_at)
    runner = SessionRunner(steps or [LI4, GV20, NECK], title="Test", prepare_seconds=prepare, clock=clock)
    return runner, clock


def make_point(code: str = "LI4", *, bilateral: bool = True, hold: int = 60) -> Point:
    return Point(
        code=code,
        pinyin="Hégǔ",
        chinese="合谷",
        english="Union Valley",
        meridian="LI",
        region="hand",
        bilateral=bilateral,
        tier="self-care",
        location="On the back of the hand.",
        find_it=["Squeeze thumb and finger together.", "Press the top of the bulge."],
        technique=Technique(pressure="firm", motion="hold", hold_seconds=hold, breathing="Slow.", instruction="Press."),
        benefits=["headache"],
        evidence=[UseEvidence(benefit="headache", level="untested", note="Traditional use.")],
        cautions=[Caution(kind=CautionKind.PREGNANCY, text="Avoid in pregnancy.", sources=["who-2008"])],
        sources=["who-2008"],
    )


# -- building --------------------------------------------------------------------


def test_bilateral_step_splits_into_left_then_right_halves() -> None:
    runner, _ = make([Step(point="LI4", seconds=45, side=Side.BOTH), GV20])
    assert [(s.step_index, s.side, s.phase, s.duration) for s in runner.segments] == [
        (0, Side.LEFT, Phase.PRESS, 22.5),
        (0, Side.RIGHT, Phase.PRESS, 22.5),
        (1, Side.CENTER, Phase.PRESS, 10.0),
    ]


def test_preparation_comes_before_each_step_and_names_the_first_side() -> None:
    runner, _ = make([LI4, GV20], prepare=5)
    assert [(s.step_index, s.side, s.phase, s.duration) for s in runner.segments] == [
        (0, Side.LEFT, Phase.PREPARE, 5.0),
        (0, Side.LEFT, Phase.PRESS, 10.0),
        (0, Side.RIGHT, Phase.PRESS, 10.0),
        (1, Side.CENTER, Phase.PREPARE, 5.0),
        (1, Side.CENTER, Phase.PRESS, 10.0),
    ]


def test_single_sided_steps_are_one_segment() -> None:
    runner, _ = make([Step(point="LI4", seconds=20, side=Side.LEFT), Step(point="LI4", seconds=20, side=Side.RIGHT)])
    assert [(s.side, s.duration) for s in runner.segments] == [(Side.LEFT, 20.0), (Side.RIGHT, 20.0)]


@pytest.mark.parametrize("prepare", [-1, float("nan"), float("inf")])
def test_bad_preparation_time_is_refused(prepare: float) -> None:
    with pytest.raises(ValueError, match="prepare_seconds"):
        make(prepare=prepare)


def test_no_steps_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        SessionRunner([], title="Empty")


def test_a_routine_runs_its_steps_under_its_title() -> None:
    routine = Routine(id="calm", title="Calm down", purpose="Relax.", benefits=["stress"], steps=[LI4, GV20])
    runner = SessionRunner(routine.steps, title=routine.title, prepare_seconds=3, clock=FakeClock())
    assert runner.title == "Calm down"
    assert runner.steps == (LI4, GV20)
    assert runner.prepare_seconds == 3


def test_a_bilateral_point_is_pressed_for_its_hold_time_on_each_side() -> None:
    runner = SessionRunner([point_step(make_point(hold=60))], title="LI4", clock=FakeClock())
    assert runner.steps == (Step(point="LI4", seconds=120, side=Side.BOTH),)
    assert [(s.side, s.duration) for s in runner.segments] == [(Side.LEFT, 60.0), (Side.RIGHT, 60.0)]


def test_a_midline_point_is_one_centre_segment_and_time_can_be_overridden() -> None:
    point = make_point("GV20", bilateral=False, hold=60)
    assert point_step(point, seconds_per_side=30) == Step(point="GV20", seconds=30, side=Side.CENTER)
    runner = SessionRunner([point_step(point, 30)], title="GV20", prepare_seconds=5, clock=FakeClock())
    assert [(s.phase, s.duration) for s in runner.segments] == [(Phase.PREPARE, 5.0), (Phase.PRESS, 30.0)]


# -- ready and start -------------------------------------------------------------


def test_ready_snapshot_shows_the_whole_routine_and_no_deadline() -> None:
    runner, _ = make()
    snap = runner.snapshot()
    assert snap.state is RunnerState.READY
    assert (snap.step_index, snap.step_count, snap.side, snap.phase) == (0, 3, Side.LEFT, Phase.PRESS)
    assert (snap.segment_remaining, snap.segment_duration, snap.step_remaining) == (10, 10, 20)
    assert snap.total_remaining == snap.total_duration == 60
    assert (snap.practised_seconds, snap.steps_done, snap.painful_steps) == (0, 0, ())
    assert runner.seconds_until_next_deadline() is None


def test_time_does_not_pass_before_start() -> None:
    runner, clock = make()
    clock.advance(500)
    assert runner.update() == []
    assert runner.snapshot().total_remaining == 60


def test_start_emits_started_and_first_segment_and_sets_the_deadline() -> None:
    runner, clock = make(prepare=5)
    assert runner.start() == [Started(1000.0), SegmentStarted(0, Side.LEFT, Phase.PREPARE, 5.0, 1000.0)]
    assert runner.state is RunnerState.RUNNING
    clock.advance(2)
    assert runner.seconds_until_next_deadline() == 3
    assert runner.start() == []  # already running


# -- deadlines -------------------------------------------------------------------


def test_nothing_happens_before_a_deadline_and_the_boundary_fires_exactly_at_it() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(9.999)
    assert runner.update() == []
    clock.advance(0.001)
    assert runner.update() == [
        SidesSwitched(0, 1010.0),
        SegmentStarted(0, Side.RIGHT, Phase.PRESS, 10.0, 1010.0),
    ]
    assert runner.update() == []  # each boundary is reported once


def test_full_run_reports_every_boundary_in_order() -> None:
    runner, clock = make([LI4, GV20], prepare=5)
    runner.start()
    events: list[RunnerEvent] = []
    for _ in range(40):
        clock.advance(1)
        events += runner.update()
    assert events == [
        SegmentStarted(0, Side.LEFT, Phase.PRESS, 10.0, 1005.0),
        SidesSwitched(0, 1015.0),
        SegmentStarted(0, Side.RIGHT, Phase.PRESS, 10.0, 1015.0),
        StepCompleted(0, 1025.0),
        SegmentStarted(1, Side.CENTER, Phase.PREPARE, 5.0, 1025.0),
        SegmentStarted(1, Side.CENTER, Phase.PRESS, 10.0, 1030.0),
        StepCompleted(1, 1040.0),
        Finished(1040.0),
    ]
    snap = runner.snapshot()
    assert snap.state is RunnerState.FINISHED
    assert (snap.segment_remaining, snap.step_remaining, snap.total_remaining) == (0, 0, 0)
    assert snap.practised_seconds == 30  # preparation is not practice
    assert snap.steps_done == 2
    assert runner.seconds_until_next_deadline() is None


def test_a_long_stall_passes_every_deadline_once_at_its_own_time() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(35)  # past 1010 and 1020, into the third step
    assert runner.update() == [
        SidesSwitched(0, 1010.0),
        SegmentStarted(0, Side.RIGHT, Phase.PRESS, 10.0, 1010.0),
        StepCompleted(0, 1020.0),
        SegmentStarted(1, Side.CENTER, Phase.PRESS, 10.0, 1020.0),
        StepCompleted(1, 1030.0),
        SegmentStarted(2, Side.CENTER, Phase.PRESS, 30.0, 1030.0),
    ]
    # The third step began at its deadline (1030), not when update() ran (1035).
    snap = runner.snapshot()
    assert snap.segment_remaining == 25
    assert snap.practised_seconds == 35
    assert runner.seconds_until_next_deadline() == 25


def test_a_late_timer_never_stretches_the_routine() -> None:
    runner, clock = make()
    runner.start()
    for late in (10.7, 10.3, 10.9):  # each update 0.3-0.9 s after its boundary
        clock.advance(late)
        runner.update()
    clock.now = 1060.0
    assert runner.update()[-1] == Finished(1060.0)


def test_finishes_exactly_when_the_last_deadline_passes() -> None:
    runner, clock = make()
    runner.start()
    clock.now = 1059.999
    runner.update()
    assert runner.state is RunnerState.RUNNING
    assert runner.snapshot().total_remaining == pytest.approx(0.001)
    clock.now = 1060.0
    assert runner.update() == [StepCompleted(2, 1060.0), Finished(1060.0)]
    assert runner.state is RunnerState.FINISHED


def test_stale_snapshot_clamps_to_zero_instead_of_going_negative() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(12)  # deadline at 10 passed, update() not called yet
    snap = runner.snapshot()
    assert snap.segment_remaining == 0
    assert snap.practised_seconds == 10
    assert runner.seconds_until_next_deadline() == 0


def test_snapshot_mid_bilateral_step() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(13)
    runner.update()
    snap = runner.snapshot()
    assert (snap.step_index, snap.side, snap.phase) == (0, Side.RIGHT, Phase.PRESS)
    assert (snap.segment_remaining, snap.segment_duration) == (7, 10)
    assert snap.step_remaining == 7
    assert snap.total_remaining == 47
    assert snap.practised_seconds == 13
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.step_index = 2  # type: ignore[misc]


# -- pause, resume, toggle -------------------------------------------------------


def test_pause_freezes_the_clock_and_resume_moves_the_deadline() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(4)
    assert runner.pause() == [Paused(1004.0)]
    assert runner.seconds_until_next_deadline() is None
    clock.advance(600)
    assert runner.update() == []
    snap = runner.snapshot()
    assert (snap.state, snap.segment_remaining, snap.practised_seconds) == (RunnerState.PAUSED, 6, 4)
    assert runner.resume() == [Resumed(1604.0)]
    assert runner.seconds_until_next_deadline() == 6
    clock.advance(6)
    assert runner.update()[0] == SidesSwitched(0, 1610.0)
    assert runner.snapshot().practised_seconds == 10


def test_pause_first_catches_up_with_deadlines_that_passed() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(12)
    events = runner.pause()
    assert events == [
        SidesSwitched(0, 1010.0),
        SegmentStarted(0, Side.RIGHT, Phase.PRESS, 10.0, 1010.0),
        Paused(1012.0),
    ]
    assert runner.snapshot().segment_remaining == 8


def test_pause_after_the_end_just_reports_the_finish() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(100)
    events = runner.pause()
    assert events[-1] == Finished(1060.0)
    assert runner.state is RunnerState.FINISHED


def test_toggle_starts_pauses_and_resumes() -> None:
    runner, clock = make()
    assert isinstance(runner.toggle()[0], Started)
    clock.advance(1)
    assert runner.toggle() == [Paused(1001.0)]
    assert runner.toggle() == [Resumed(1001.0)]
    assert runner.state is RunnerState.RUNNING


@pytest.mark.parametrize(
    ("setup", "command"),
    [
        ("ready", "pause"),
        ("ready", "resume"),
        ("ready", "report_pain"),
        ("running", "resume"),
        ("paused", "pause"),
        ("paused", "start"),
        ("stopped", "start"),
        ("stopped", "resume"),
        ("stopped", "toggle"),
        ("stopped", "stop"),
        ("stopped", "next_step"),
        ("stopped", "previous_step"),
        ("stopped", "report_pain"),
        ("finished", "start"),
        ("finished", "toggle"),
        ("finished", "stop"),
        ("finished", "next_step"),
        ("finished", "previous_step"),
        ("finished", "report_pain"),
    ],
)
def test_commands_that_do_not_apply_do_nothing(setup: str, command: str) -> None:
    runner, clock = make()
    if setup != "ready":
        runner.start()
    if setup == "paused":
        runner.pause()
    elif setup == "stopped":
        runner.stop()
    elif setup == "finished":
        clock.advance(60)
        runner.update()
    before = runner.snapshot()
    assert getattr(runner, command)() == []
    assert runner.snapshot() == before


# -- next and previous step ------------------------------------------------------


def test_next_step_skips_to_the_next_step_starting_now() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(3)
    assert runner.next_step() == [StepSkipped(0, 1003.0), SegmentStarted(1, Side.CENTER, Phase.PRESS, 10.0, 1003.0)]
    snap = runner.snapshot()
    assert (snap.step_index, snap.segment_remaining, snap.practised_seconds, snap.steps_done) == (1, 10, 3, 0)
    assert runner.seconds_until_next_deadline() == 10


def test_next_step_on_the_last_step_finishes() -> None:
    runner, clock = make()
    runner.start()
    runner.next_step()
    runner.next_step()
    clock.advance(5)
    assert runner.next_step() == [StepSkipped(2, 1005.0), Finished(1005.0)]
    snap = runner.snapshot()
    assert (snap.state, snap.practised_seconds, snap.steps_done, snap.total_remaining) == (
        RunnerState.FINISHED,
        5,
        0,
        0,
    )


def test_next_step_while_paused_stays_paused_at_the_start_of_the_next_step() -> None:
    runner, clock = make(prepare=5)
    runner.start()
    clock.advance(8)
    runner.pause()
    runner.next_step()
    snap = runner.snapshot()
    assert (snap.state, snap.step_index, snap.phase, snap.segment_remaining) == (
        RunnerState.PAUSED,
        1,
        Phase.PREPARE,
        5,
    )
    assert snap.practised_seconds == 3


def test_next_step_before_start_chooses_where_to_begin() -> None:
    runner, _ = make()
    assert runner.next_step() == [SegmentStarted(1, Side.CENTER, Phase.PRESS, 10.0, 1000.0)]
    runner.next_step()
    assert runner.next_step() == []  # last step: nothing to finish before starting
    assert runner.snapshot().step_index == 2
    assert runner.state is RunnerState.READY


def test_previous_step_late_in_a_step_restarts_it() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(14)  # into the right half of step 0
    runner.update()
    assert runner.previous_step() == [SegmentStarted(0, Side.LEFT, Phase.PRESS, 10.0, 1014.0)]
    snap = runner.snapshot()
    assert (snap.step_index, snap.side, snap.segment_remaining, snap.practised_seconds) == (0, Side.LEFT, 10, 14)


def test_previous_step_early_in_a_step_goes_back_one() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(21)  # 1 s into step 1
    runner.update()
    assert runner.previous_step()[-1] == SegmentStarted(0, Side.LEFT, Phase.PRESS, 10.0, 1021.0)
    assert runner.snapshot().step_index == 0


def test_previous_step_on_the_first_step_restarts_it() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(1)
    runner.previous_step()
    assert runner.snapshot().segment_remaining == 10


def test_previous_step_counts_preparation_as_time_into_the_step() -> None:
    runner, clock = make([LI4, GV20], prepare=5)
    runner.start()
    runner.next_step()
    clock.advance(4)  # 4 s into step 1's preparation: past the threshold
    runner.previous_step()
    assert runner.snapshot().step_index == 1


def test_previous_step_while_paused_uses_time_before_the_pause() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(21)
    runner.update()
    runner.pause()
    clock.advance(100)  # paused time does not count as time into the step
    runner.previous_step()
    assert runner.snapshot().step_index == 0
    assert runner.state is RunnerState.PAUSED


# -- stop, this hurts ------------------------------------------------------------


def test_report_pain_stops_the_session_and_keeps_the_time_pressed() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(13)
    events = runner.report_pain()
    assert events == [
        SidesSwitched(0, 1010.0),
        SegmentStarted(0, Side.RIGHT, Phase.PRESS, 10.0, 1010.0),
        PainReported(0, 1013.0),
        Stopped(1013.0),
    ]
    snap = runner.snapshot()
    assert (snap.state, snap.step_index, snap.painful_steps, snap.steps_done) == (RunnerState.STOPPED, 0, (0,), 0)
    assert snap.practised_seconds == 13
    assert runner.outcome is Outcome.PAIN
    assert runner.seconds_until_next_deadline() is None  # nothing goes on to the next point
    clock.advance(30)
    assert runner.update() == [] and runner.resume() == [] and runner.stop() == []


def test_report_pain_on_the_last_step_is_pain_not_completed() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(25)
    runner.next_step()  # at 1025: skip step 1, step 2 starts
    clock.advance(5)
    events = runner.report_pain()
    assert events == [PainReported(2, 1030.0), Stopped(1030.0)]
    snap = runner.snapshot()
    assert (snap.state, snap.painful_steps, snap.practised_seconds, snap.steps_done) == (
        RunnerState.STOPPED,
        (2,),
        30,
        1,
    )
    assert runner.outcome is Outcome.PAIN


def test_report_pain_while_paused_stops_too() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(3)
    runner.pause()
    clock.advance(20)  # paused time is not practice
    assert runner.report_pain() == [PainReported(0, 1023.0), Stopped(1023.0)]
    assert runner.snapshot().practised_seconds == 3
    assert runner.report_pain() == []  # once stopped, nothing more happens


# -- stop ------------------------------------------------------------------------


def test_stop_freezes_everything_and_keeps_what_was_practised() -> None:
    runner, clock = make(prepare=5)
    runner.start()
    clock.advance(12)
    events = runner.stop()
    assert events == [SegmentStarted(0, Side.LEFT, Phase.PRESS, 10.0, 1005.0), Stopped(1012.0)]
    clock.advance(100)
    assert runner.update() == []
    snap = runner.snapshot()
    assert (snap.state, snap.practised_seconds, snap.segment_remaining) == (RunnerState.STOPPED, 7, 3)
    assert runner.seconds_until_next_deadline() is None


def test_stop_before_start() -> None:
    runner, _ = make()
    assert runner.stop() == [Stopped(1000.0)]
    assert runner.snapshot().practised_seconds == 0


def test_stop_after_the_end_reports_the_finish_not_a_stop() -> None:
    runner, clock = make()
    runner.start()
    clock.advance(61)
    assert runner.stop()[-1] == Finished(1060.0)
    assert runner.state is RunnerState.FINISHED


def test_steps_done_counts_each_completed_step_once() -> None:
    runner, clock = make([GV20, NECK])
    runner.start()
    clock.advance(10)
    runner.update()  # step 0 completed
    runner.previous_step()  # within 3 s of step 1: back to step 0
    clock.advance(10)
    runner.update()  # step 0 completed again
    assert runner.snapshot().steps_done == 1


# -- invariants under random command sequences -----------------------------------

STEP_CHOICES = [
    LI4,
    GV20,
    NECK,
    Step(point="SP6", seconds=45, side=Side.BOTH),
    Step(point="ST36", seconds=5, side=Side.LEFT),
]
TERMINAL = (RunnerState.FINISHED, RunnerState.STOPPED)


class RunnerMachine(RuleBasedStateMachine):
    """Random commands and clock advances; all times are multiples of 1/8 s so
    floating-point arithmetic is exact and the invariants can be checked exactly."""

    def __init__(self) -> None:
        super().__init__()
        self.runner: SessionRunner | None = None
        self.clock = FakeClock(100.0)
        self.started_at: float | None = None
        self.last_practised = 0.0
        self.last_step = 0

    @precondition(lambda self: self.runner is None)
    @rule(
        steps=st.lists(st.sampled_from(STEP_CHOICES), min_size=1, max_size=6),
        prepare=st.sampled_from([0, 2, 5]),
    )
    def build(self, steps: list[Step], prepare: int) -> None:
        self.runner = SessionRunner(steps, title="Random", prepare_seconds=prepare, clock=self.clock)

    @precondition(lambda self: self.runner is not None)
    @rule(eighths=st.integers(min_value=0, max_value=400))
    def advance_and_update(self, eighths: int) -> None:
        assert self.runner is not None
        before = self.runner.snapshot()
        self.clock.advance(eighths / 8)
        events = self.runner.update()
        self._check_order(events)
        after = self.runner.snapshot()
        if before.state is RunnerState.RUNNING:
            # Time is conserved: the routine shrinks by exactly the time that passed.
            assert after.total_remaining == max(0.0, before.total_remaining - eighths / 8)
            assert (after.state is RunnerState.FINISHED) == (eighths / 8 >= before.total_remaining)
        else:
            assert events == []
            assert after == before

    @precondition(lambda self: self.runner is not None)
    @rule(command=st.sampled_from(["start", "pause", "resume", "toggle", "next_step", "stop", "report_pain"]))
    def command(self, command: str) -> None:
        assert self.runner is not None
        was = self.runner.state
        events = getattr(self.runner, command)()
        self._check_order(events)
        if was is RunnerState.READY and self.runner.state is RunnerState.RUNNING:
            self.started_at = self.clock.now
        if was in TERMINAL:
            assert events == []

    @precondition(lambda self: self.runner is not None)
    @rule()
    def previous_step(self) -> None:
        assert self.runner is not None
        self.runner.previous_step()
        self.last_step = self.runner.snapshot().step_index

    @precondition(lambda self: self.runner is not None and self.runner.state is RunnerState.RUNNING)
    @rule()
    def run_to_the_end(self) -> None:
        assert self.runner is not None
        left = self.runner.snapshot().total_remaining
        if left > 0:
            self.clock.advance(left / 2)  # left/2 is still a multiple of 1/16: exact
            self._check_order(self.runner.update())
            assert self.runner.state is RunnerState.RUNNING
            self.clock.advance(left / 2)
        self._check_order(self.runner.update())
        assert self.runner.state is RunnerState.FINISHED

    def _check_order(self, events: list[RunnerEvent]) -> None:
        for event in events:
            if isinstance(event, SegmentStarted):
                assert event.step_index >= self.last_step, "steps go forward except via previous_step"
                self.last_step = event.step_index

    @invariant()
    def times_are_sane(self) -> None:
        if self.runner is None:
            return
        snap = self.runner.snapshot()
        for value in (snap.segment_remaining, snap.step_remaining, snap.total_remaining, snap.practised_seconds):
            assert value >= 0
        assert snap.segment_remaining <= snap.segment_duration
        assert snap.segment_remaining <= snap.step_remaining <= snap.total_remaining <= snap.total_duration
        assert snap.step_index >= self.last_step or snap.state is RunnerState.READY
        wall = 0.0 if self.started_at is None else self.clock.now - self.started_at
        assert snap.practised_seconds <= wall
        assert snap.practised_seconds >= self.last_practised, "practised time never goes back"
        self.last_practised = snap.practised_seconds
        assert snap.steps_done <= snap.step_count
        assert all(0 <= i < snap.step_count for i in snap.painful_steps)
        until = self.runner.seconds_until_next_deadline()
        assert (until is None) == (snap.state is not RunnerState.RUNNING)
        if until is not None:
            assert 0 <= until == snap.segment_remaining


RunnerMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestRunnerInvariants = RunnerMachine.TestCase


def test_switch_sides_is_cued_only_on_the_second_side_of_a_both_sides_step() -> None:
    right_only = Step(point="LI4", seconds=20, side=Side.RIGHT)
    runner, clock = make([right_only, LI4])
    runner.start()
    assert not runner.snapshot().switching_sides  # a right-only step starts on the right: nothing to switch
    clock.advance(20)
    runner.update()
    assert runner.snapshot().side is Side.LEFT and not runner.snapshot().switching_sides
    clock.advance(10)
    runner.update()
    assert runner.snapshot().side is Side.RIGHT and runner.snapshot().switching_sides
    clock.advance(SWITCH_CUE_SECONDS)
    assert not runner.snapshot().switching_sides


def test_the_outcome_says_how_the_session_ended() -> None:
    runner, clock = make([GV20, GV20])
    assert runner.outcome is None
    runner.start()
    assert runner.outcome is None
    clock.advance(20)
    runner.update()
    assert runner.outcome is Outcome.COMPLETED
    runner, clock = make([GV20, GV20])
    runner.start()
    runner.stop()
    assert runner.outcome is Outcome.STOPPED
    runner, clock = make([GV20, GV20])
    runner.start()
    runner.report_pain()
    assert runner.outcome is Outcome.PAIN
