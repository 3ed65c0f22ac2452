"""Voice guidance core: what is said and when, over a fake clock and a fake engine (no Qt)."""

from __future__ import annotations

import itertools

import pytest

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.session.runner import RunnerEvent, SessionRunner
from acupressure_desktop.session.voice import (
    Breathing,
    Cue,
    EngineSpec,
    FakeEngine,
    Hush,
    Say,
    StepScript,
    VoiceGuide,
    VoiceOptions,
    find_engine,
    first_sentence,
    parse_voices,
    scripts_for,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


SCRIPTS = [
    StepScript("Union Valley", "Squeeze the web between thumb and index finger."),
    StepScript("Palm press", "Cradle one hand in the other.", ("Press the centre.", "Work outward."), is_point=False),
]
STEPS = [Step(point="LI4", seconds=60, side=Side.BOTH), Step(technique="palm-press", seconds=60, side=Side.CENTER)]


class Session:
    """The runner and the guide driven as the UI drives them, recording what the engine says and when."""

    def __init__(self, prepare: float = 5, breathing: Breathing | None = None) -> None:
        self.clock = FakeClock()
        self.runner = SessionRunner(STEPS, title="t", prepare_seconds=prepare, clock=self.clock)
        self.guide = VoiceGuide(SCRIPTS, clock=self.clock, breathing=breathing)
        self.engine = FakeEngine(self.clock)

    def act(self, events: list[RunnerEvent]) -> None:
        self.perform(self.guide.handle(events, self.runner.snapshot()))

    def perform(self, actions: list[Say | Hush]) -> None:
        for action in actions:
            if isinstance(action, Hush):
                self.engine.hush()
            else:
                self.engine.say(action.utterance.text, VoiceOptions())

    def run_until(self, until: float) -> None:
        """Advance to each next deadline or cue in turn, as the two single-shot timers would."""
        while True:
            wait = self.runner.seconds_until_next_deadline()
            deadline = self.clock.now + wait if wait is not None else None
            cue = self.guide.next_due()
            due = min(t for t in (deadline, cue, until) if t is not None)
            self.clock.now = max(self.clock.now, due)
            if deadline is not None and self.clock.now >= deadline:
                self.act(self.runner.update())
            else:
                self.perform(self.guide.poll())
            if self.clock.now >= until or self.runner.state.value in ("finished", "stopped"):
                if self.clock.now >= until:
                    return
                if self.guide.next_due() is None:
                    return

    def said(self) -> list[tuple[float, str]]:
        return [(round(t - 100, 2), text) for t, text in self.engine.said]


def test_a_voiced_routine_names_each_step_and_marks_its_moments() -> None:
    session = Session()
    session.act(session.runner.start())
    session.run_until(1000)
    said = session.said()
    intro = "Get ready. Step 1 of 2: Union Valley. Left side first. Squeeze the web between thumb and index finger."
    second = "Get ready. Step 2 of 2: Palm press. Cradle one hand in the other."
    assert said[0] == (0, intro)
    # "Press now" comes at the end of the preparation (5 s), or after the introduction if that is longer.
    after_intro = round(session.guide.duration_of(intro) + 0.4, 2)
    assert said[1:] == [
        (after_intro, "Press now."),
        (25, "Ten seconds left."),
        (35, "Switch sides. Now the right side."),
        (55, "Ten seconds left."),
        (65, second),
        (max(70, round(65 + session.guide.duration_of(second) + 0.4, 2)), "Press now."),
        (90, "Press the centre."),
        (110, "Work outward."),
        (120, "Ten seconds left."),
        (130, "That is the end of the routine. Well done."),
    ]


def test_without_preparation_the_step_name_comes_at_the_boundary_and_halfway_in_long_steps() -> None:
    session = Session(prepare=0)
    session.runner = SessionRunner(
        [Step(point="LI4", seconds=40, side=Side.LEFT), STEPS[1]], title="t", clock=session.clock
    )
    session.act(session.runner.start())
    session.run_until(1000)
    assert session.said()[:3] == [
        (0, "Step 1 of 2: Union Valley. Left side first. Squeeze the web between thumb and index finger."),
        (20, "Halfway."),
        (30, "Ten seconds left."),
    ]
    assert session.said()[3][0] == 40


def test_pause_silences_at_once_and_resume_keeps_the_remaining_cues_on_time() -> None:
    session = Session()
    session.act(session.runner.start())
    session.run_until(112)  # 7 s into the first side
    session.act(session.runner.pause())
    assert session.engine.hushed == [112]
    assert session.guide.next_due() is None  # nothing is planned while paused
    session.clock.now = 212  # a 100 s pause
    session.act(session.runner.resume())
    session.run_until(240)
    assert (125, "Ten seconds left.") in session.said()  # 25 s of pressing after the start, plus the pause


def test_stop_silences_and_nothing_follows() -> None:
    session = Session()
    session.act(session.runner.start())
    session.run_until(110)
    count = len(session.engine.said)
    session.act(session.runner.stop())
    assert session.engine.hushed == [110]
    assert session.guide.next_due() is None
    session.run_until(400)
    assert len(session.engine.said) == count


def test_breathing_cues_follow_the_pacer_and_give_way_to_other_speech() -> None:
    # Pacer: in at 100 + 10k, out 4 s later; the first press segment runs 105-135.
    session = Session(breathing=Breathing(inhale=4, exhale=6, origin=100.0))
    session.act(session.runner.start())
    session.run_until(136)
    breaths = [(t, text) for t, text in session.said() if text.startswith("Breathe")]
    assert breaths[:3] == [(10, "Breathe in."), (14, "Breathe out."), (20, "Breathe in.")]
    # 24 s: out-breath; 25 s: "ten seconds left" waits for it to end: the two never overlap.
    said = session.said()
    assert [text for _, text in said].count("Ten seconds left.") == 1
    for (t1, text1), (t2, _) in itertools.pairwise(said):
        assert t2 - t1 >= session.guide.duration_of(text1)


def test_a_stalled_event_loop_speaks_only_for_the_last_boundary() -> None:
    session = Session()
    session.act(session.runner.start())
    session.clock.now = 100 + 66  # two boundaries passed without an update
    session.act(session.runner.update())
    assert session.said()[-1] == (66, "Get ready. Step 2 of 2: Palm press. Cradle one hand in the other.")
    assert not any(text == "Switch sides. Now the right side." for _, text in session.said())


def test_busy_speech_delays_a_cue_briefly_or_drops_it() -> None:
    clock = FakeClock()
    guide = VoiceGuide(SCRIPTS, clock=clock)
    guide.hold_until(clock.now + 2)  # the chime
    assert guide.poll() == []
    guide._pending = [
        guide_cue("Halfway.", Cue.HALFWAY, clock.now),
        guide_cue("Ten seconds left.", Cue.TEN_SECONDS, clock.now),
    ]
    assert guide.poll() == []  # halfway dropped, ten seconds waits
    assert guide.next_due() == pytest.approx(clock.now + 2)
    clock.now += 2
    [action] = guide.poll()
    assert isinstance(action, Say) and action.utterance.text == "Ten seconds left."


def guide_cue(text: str, cue: Cue, due: float):  # type: ignore[no-untyped-def]
    from acupressure_desktop.session.voice import Utterance

    return Utterance(text, cue, due)


def test_short_instructions() -> None:
    assert first_sentence("Press in. Then circle.") == "Press in."
    long = (
        "Squeeze the web between your thumb on top and index finger underneath, aiming toward the index-finger bone, "
        "and make slow small circles for a long while until it aches a little."
    )
    assert first_sentence(long) == "Squeeze the web between your thumb on top and index finger underneath."


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_routine_has_a_script_for_every_step(catalog: Catalog) -> None:
    for routine in catalog.routines.values():
        scripts = scripts_for(routine.steps, catalog.points, catalog.techniques)
        assert len(scripts) == len(routine.steps)
        for script in scripts:
            assert script.name and script.instruction
            assert len(script.instruction.split()) <= 50  # a short sentence, and the routine's own cue


def test_engine_command_lines() -> None:
    options = VoiceOptions(volume=50, rate=120, voice="en-gb")
    assert EngineSpec("espeak-ng", "/usr/bin/espeak-ng").say("-Hi", options) == (
        ["-a", "75", "-s", "210", "-v", "en-gb", "--", "-Hi"],
        None,
    )
    assert EngineSpec("spd-say", "spd-say").say("Hi", options)[0] == ["-i", "0", "-r", "20", "-y", "en-gb", "--", "Hi"]
    assert EngineSpec("spd-say", "spd-say").stop() == ["spd-say", "-C"]
    assert EngineSpec("say", "say").say("Hi", options)[0][-1] == "[[volm 0.50]] Hi"
    args, stdin = EngineSpec("sapi", "powershell").say("Don't 'quote' me", options)
    assert stdin == "Don't 'quote' me" and "SelectVoice('en-gb')" in args[-1] and "$s.Rate = 2" in args[-1]


def test_find_engine_per_platform() -> None:
    def which(found: set[str]):  # type: ignore[no-untyped-def]
        return lambda name: f"/bin/{name}" if name in found else None

    assert find_engine(which({"espeak-ng", "spd-say"}), "linux") == EngineSpec("espeak-ng", "/bin/espeak-ng")
    assert find_engine(which({"spd-say"}), "linux") == EngineSpec("spd-say", "/bin/spd-say")
    assert find_engine(which(set()), "linux") is None
    assert find_engine(which({"powershell"}), "win32") == EngineSpec("sapi", "/bin/powershell")
    assert find_engine(which({"say"}), "darwin") == EngineSpec("say", "/bin/say")


def test_voice_listings() -> None:
    espeak = (
        "Pty Language       Age/Gender VoiceName          File                 Other Languages\n"
        " 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)\n"
    )
    assert parse_voices("espeak-ng", espeak) == [("en-gb", "English (Great Britain)")]
    assert parse_voices("say", "Alex                en_US    # Most people recognize me by my voice.\n") == [
        ("Alex", "Alex (en_US)")
    ]


def test_a_single_point_session_is_not_called_a_routine() -> None:
    clock = FakeClock()
    runner = SessionRunner([Step(point="LI4", seconds=10, side=Side.LEFT)], title="t", clock=clock)
    guide = VoiceGuide(SCRIPTS[:1], clock=clock)
    [intro] = guide.handle(runner.start(), runner.snapshot())
    assert isinstance(intro, Say) and intro.utterance.text.startswith("Union Valley. Left side first.")
    clock.now += 10
    [end] = guide.handle(runner.update(), runner.snapshot())
    assert isinstance(end, Say) and end.utterance.text == "Done. Well done."


def test_skipping_to_the_end_is_no_well_done() -> None:
    """Next on the last step ends the routine; the voice said "Well done" with nothing pressed."""
    clock = FakeClock()
    runner = SessionRunner([Step(point="LI4", seconds=10, side=Side.LEFT)], title="t", clock=clock)
    guide = VoiceGuide(SCRIPTS[:1], clock=clock)
    guide.handle(runner.start(), runner.snapshot())
    clock.now += 2
    [end] = [a for a in guide.handle(runner.next_step(), runner.snapshot()) if isinstance(a, Say)]
    assert end.utterance.text == "Done."
