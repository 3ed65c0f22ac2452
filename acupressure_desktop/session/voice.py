"""Voice guidance: what to say during a session and when, and the commands that say it.

Qt-free. :class:`VoiceGuide` turns the runner's events (``session/runner.py``) into
utterances over an injected clock: the step's name and a short instruction when a step
begins, *switch sides*, *halfway*, *ten seconds left*, a technique's next move, the end,
and *breathe in* / *breathe out* in time with the pacer. Cues that fall while something
else is being said are dropped (breathing, halfway) or wait a moment (the rest); a new step
interrupts whatever is being said; pause and stop silence it at once.

The engines are the platform's own speech programs, started as processes by the UI
(``ui/voice.py``): espeak-ng or speech-dispatcher's ``spd-say`` on Linux, SAPI through
PowerShell on Windows, ``say`` on macOS. This module builds their command lines; nothing
leaves the machine.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from acupressure_desktop.domain.models import MassageTechnique, Point, Side, Step
from acupressure_desktop.session.runner import (
    Finished,
    PainReported,
    Paused,
    Phase,
    Resumed,
    RunnerEvent,
    SegmentStarted,
    SidesSwitched,
    Snapshot,
    Stopped,
)

Clock = Callable[[], float]

HALFWAY_MIN_SECONDS = 40.0  # "halfway" only in a pressing time at least this long
TEN_SECONDS_MIN = 25.0  # "ten seconds left" only in a pressing time at least this long
WAIT_LIMIT_SECONDS = 3.0  # a cue that cannot be said within this long after its time is dropped
PRESS_WAIT_LIMIT_SECONDS = 15.0  # "press now" waits for the step's introduction to end, however long
GAP_SECONDS = 0.4  # silence kept between two utterances
NORMAL_WORDS_PER_SECOND = 2.6  # speech at rate 100 %, pauses between sentences included
CHIME_SECONDS = 0.5  # the chime's length (session/chime.py: 0.44 s), plus a little


class Cue(StrEnum):
    STEP = "step"  # a step begins: its name and a short instruction
    PRESS = "press"  # preparation over: press now
    SWITCH = "switch"  # the second side of a bilateral point
    MOVE = "move"  # a technique's next move
    HALFWAY = "halfway"
    TEN_SECONDS = "ten-seconds"
    END = "end"
    BREATHE_IN = "breathe-in"
    BREATHE_OUT = "breathe-out"


DROPPABLE = frozenset({Cue.HALFWAY, Cue.BREATHE_IN, Cue.BREATHE_OUT})  # never worth waiting for
INTERRUPTING = frozenset({Cue.STEP, Cue.SWITCH, Cue.END})  # stop what is being said


@dataclass(frozen=True)
class Utterance:
    text: str
    cue: Cue
    due: float  # clock time it belongs to: a step boundary or a cue's moment


@dataclass(frozen=True)
class Say:
    utterance: Utterance
    interrupt: bool


@dataclass(frozen=True)
class Hush:
    """Stop speaking at once."""


Action = Say | Hush


@dataclass(frozen=True)
class StepScript:
    """What to say for one step of a session."""

    name: str
    instruction: str  # one short sentence
    moves: tuple[str, ...] = ()  # a technique's later moves, said in turn through its time
    is_point: bool = True


def first_sentence(text: str, max_words: int = 16) -> str:
    """The first sentence of ``text``, cut to ``max_words`` words at a comma if it is longer."""
    sentence = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    words = sentence.split()
    if len(words) <= max_words:
        return sentence
    clause = re.split(r",\s+", sentence)[0]
    if len(clause.split()) <= max_words:
        return clause.rstrip(",;:") + "."
    return " ".join(words[:max_words]).rstrip(",;:") + "."


def point_script(point: Point) -> StepScript:
    return StepScript(point.english, first_sentence(point.pressing().instruction))


def technique_script(technique: MassageTechnique) -> StepScript:
    steps = [first_sentence(s) for s in technique.steps]
    return StepScript(technique.title, steps[0], tuple(steps[1:]), is_point=False)


def scripts_for(
    steps: Sequence[Step], points: Mapping[str, Point], techniques: Mapping[str, MassageTechnique]
) -> list[StepScript]:
    scripts = []
    for step in steps:
        if step.point is not None and step.point in points:
            script = point_script(points[step.point])
        elif step.technique is not None and step.technique in techniques:
            script = technique_script(techniques[step.technique])
        else:
            script = StepScript(step.target, "")
        if step.note:
            script = StepScript(script.name, f"{script.instruction} {step.note}".strip(), script.moves, script.is_point)
        scripts.append(script)
    return scripts


@dataclass(frozen=True)
class Breathing:
    """The pacer's rhythm: breathe in from ``origin + k * cycle``, out ``inhale`` seconds later."""

    inhale: float
    exhale: float
    origin: float

    def boundaries(self, start: float, end: float) -> list[tuple[float, Cue]]:
        cycle = self.inhale + self.exhale
        k = int((start - self.origin) // cycle)
        found: list[tuple[float, Cue]] = []
        while True:
            t_in = self.origin + k * cycle
            if t_in >= end:
                return found
            for t, cue in ((t_in, Cue.BREATHE_IN), (t_in + self.inhale, Cue.BREATHE_OUT)):
                if start <= t < end:
                    found.append((t, cue))
            k += 1


@dataclass
class VoiceGuide:
    """Decides what to say and when; see the module docstring. Feed it with :meth:`handle`."""

    scripts: Sequence[StepScript]
    clock: Clock = time.monotonic
    words_per_second: float = NORMAL_WORDS_PER_SECOND
    breathing: Breathing | None = None
    _pending: list[Utterance] = field(default_factory=list)
    _busy_until: float = float("-inf")
    _last: tuple[int, Phase] | None = None  # the step and phase of the last segment started

    # -- what the UI calls -----------------------------------------------------------------------

    def handle(self, events: Sequence[RunnerEvent], snapshot: Snapshot) -> list[Action]:
        """React to the runner's events (as returned by a command or update())."""
        actions: list[Action] = []
        starts = [i for i, e in enumerate(events) if isinstance(e, SegmentStarted)]
        switched = False
        for position, event in enumerate(events):
            if isinstance(event, SidesSwitched):
                switched = True
            elif isinstance(event, (Paused, Stopped, PainReported)):
                self._pending.clear()
                self._busy_until = float("-inf")
                actions.append(Hush())
            elif isinstance(event, Resumed):
                self._plan_rest(snapshot, event.at)
            elif isinstance(event, SegmentStarted):
                if position != starts[-1]:
                    continue  # a stalled event loop passed several boundaries: speak only for the last
                self._pending.clear()
                intro = self._segment_started(event, snapshot.step_count, switched)
                switched = False
                if intro is not None and intro.cue in INTERRUPTING:
                    actions.append(self._say(intro, interrupt=True))
                elif intro is not None:  # "press now": after the introduction, if that is still being said
                    self._pending.insert(0, intro)
            elif isinstance(event, Finished):
                self._pending.clear()
                words = "That is the end of the routine." if len(self.scripts) > 1 else "Done."
                if snapshot.every_step_pressed:
                    words += " Well done."
                actions.append(self._say(Utterance(words, Cue.END, event.at), interrupt=True))
        return actions + self.poll()

    def poll(self) -> list[Action]:
        """The cues whose time has come; call at :meth:`next_due`."""
        now = self.clock()
        actions: list[Action] = []
        while self._pending and self._pending[0].due <= now:
            utterance = self._pending.pop(0)
            start = max(now, self._busy_until + GAP_SECONDS)
            if start > now:  # something is still being said
                limit = PRESS_WAIT_LIMIT_SECONDS if utterance.cue is Cue.PRESS else WAIT_LIMIT_SECONDS
                if utterance.cue in DROPPABLE or start - utterance.due > limit:
                    continue
                self._pending.insert(0, Utterance(utterance.text, utterance.cue, start))
                break
            actions.append(self._say(utterance, interrupt=False))
        return actions

    def next_due(self) -> float | None:
        """Clock time of the next cue, or None."""
        return self._pending[0].due if self._pending else None

    def finished_speaking(self, at: float) -> None:
        """The engine reports the utterance is over (earlier than estimated, usually)."""
        self._busy_until = min(self._busy_until, at)

    def hold_until(self, at: float) -> None:
        """Something else sounds until ``at`` (the chime): cues wait or drop until then."""
        self._busy_until = max(self._busy_until, at - GAP_SECONDS)

    def duration_of(self, text: str) -> float:
        return max(0.6, len(text.split()) / self.words_per_second)

    # -- planning --------------------------------------------------------------------------------

    def _say(self, utterance: Utterance, interrupt: bool) -> Say:
        now = self.clock()
        self._busy_until = max(now, utterance.due) + self.duration_of(utterance.text)
        return Say(utterance, interrupt)

    def _intro(self, index: int, count: int, side: Side) -> str:
        script = self.scripts[index]
        number = f"Step {index + 1} of {count}: " if count > 1 else ""
        side_words = {Side.LEFT: " Left side first.", Side.RIGHT: " Right side."}.get(side, "")
        return f"{number}{script.name}.{side_words} {script.instruction}".strip()

    def _segment_started(self, event: SegmentStarted, count: int, switched: bool) -> Utterance | None:
        """The utterance for a new segment; plans the cues through a pressing segment."""
        index = event.step_index
        previous, self._last = self._last, (index, event.phase)
        if index >= len(self.scripts):
            return None
        if event.phase is Phase.PREPARE:
            return Utterance(f"Get ready. {self._intro(index, count, event.side)}", Cue.STEP, event.at)
        self._plan(index, event.at, event.duration, event.at)
        if switched:
            return Utterance("Switch sides. Now the right side.", Cue.SWITCH, event.at)
        if previous == (index, Phase.PREPARE):
            return Utterance("Press now.", Cue.PRESS, event.at)
        return Utterance(self._intro(index, count, event.side), Cue.STEP, event.at)

    def _plan(self, index: int, start: float, duration: float, not_before: float) -> None:
        """Timed cues through one pressing segment that began at ``start``."""
        end = start + duration
        script = self.scripts[index]
        cues: list[Utterance] = []
        if script.moves:
            for n, move in enumerate(script.moves, start=1):
                cues.append(Utterance(move, Cue.MOVE, start + duration * n / (len(script.moves) + 1)))
        elif duration >= HALFWAY_MIN_SECONDS:
            cues.append(Utterance("Halfway.", Cue.HALFWAY, start + duration / 2))
        if duration >= TEN_SECONDS_MIN:
            cues.append(Utterance("Ten seconds left.", Cue.TEN_SECONDS, end - 10))
        if self.breathing is not None:
            for t, cue in self.breathing.boundaries(start + 1.0, end - 1.0):
                cues.append(Utterance("Breathe in." if cue is Cue.BREATHE_IN else "Breathe out.", cue, t))
        self._pending = sorted((c for c in cues if c.due >= not_before), key=lambda c: c.due)

    def _plan_rest(self, snapshot: Snapshot, now: float) -> None:
        """After a pause: the cues still ahead in the current pressing segment."""
        if snapshot.phase is not Phase.PRESS or snapshot.step_index >= len(self.scripts):
            return
        start = now - (snapshot.segment_duration - snapshot.segment_remaining)
        self._plan(snapshot.step_index, start, snapshot.segment_duration, now)


# -- engines: the platform's speech programs ---------------------------------------------------


@dataclass(frozen=True)
class VoiceOptions:
    volume: int = 70  # 0-100
    rate: int = 100  # percent of the engine's normal speed, 50-200
    voice: str = ""  # the engine's voice name; "" for its default


@dataclass(frozen=True)
class EngineSpec:
    """One speech program: how to say a text, how to stop, how to list voices."""

    name: str  # shown in Settings
    program: str

    def say(self, text: str, options: VoiceOptions) -> tuple[list[str], str | None]:
        """Arguments and the text for standard input (None: the text is an argument)."""
        if self.name == "espeak-ng":
            args = ["-a", str(round(options.volume * 1.5)), "-s", str(round(175 * options.rate / 100))]
            return [*args, *(["-v", options.voice] if options.voice else []), "--", text], None
        if self.name == "spd-say":
            args = ["-i", str(options.volume * 2 - 100), "-r", str(min(100, max(-100, options.rate - 100)))]
            return [*args, *(["-y", options.voice] if options.voice else []), "--", text], None
        if self.name == "say":
            args = ["-r", str(round(175 * options.rate / 100)), *(["-v", options.voice] if options.voice else [])]
            return [*args, "--", f"[[volm {options.volume / 100:.2f}]] {text}"], None
        # SAPI through PowerShell: the text arrives on standard input, so nothing needs quoting.
        voice = options.voice.replace("'", "''")
        script = (
            "Add-Type -AssemblyName System.Speech;"
            "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer;"
            f"$s.Volume = {options.volume}; $s.Rate = {round((options.rate - 100) / 10)};"
            + (f"$s.SelectVoice('{voice}');" if voice else "")
            + "$s.Speak([Console]::In.ReadToEnd())"
        )
        return ["-NoProfile", "-NonInteractive", "-Command", script], text

    def stop(self) -> list[str] | None:
        """A command that silences the engine, beyond ending the process (spd-say's daemon)."""
        return [self.program, "-C"] if self.name == "spd-say" else None

    def list_voices(self) -> list[str] | None:
        if self.name == "espeak-ng":
            return [self.program, "--voices=en"]
        if self.name == "say":
            return [self.program, "-v", "?"]
        return None


def parse_voices(engine: str, output: str) -> list[tuple[str, str]]:
    """(voice id, label) pairs from the engine's voice listing."""
    voices = []
    if engine == "espeak-ng":
        for line in output.splitlines()[1:]:
            parts = line.split()
            if len(parts) >= 4:
                voices.append((parts[1], parts[3].replace("_", " ")))
    elif engine == "say":
        for line in output.splitlines():
            match = re.match(r"^(.+?)\s{2,}(\w\w[_-]\w\w)", line)
            if match:
                voices.append((match.group(1).strip(), f"{match.group(1).strip()} ({match.group(2)})"))
    return voices


def find_engine(which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform) -> EngineSpec | None:
    """The speech program this system has, or None (the app then stays silent and says so)."""
    if platform == "win32":
        found = which("powershell")
        return EngineSpec("sapi", found) if found else None
    if platform == "darwin":
        found = which("say")
        return EngineSpec("say", found) if found else None
    for name in ("espeak-ng", "spd-say"):
        found = which(name)
        if found:
            return EngineSpec(name, found)
    return None


class SpeechEngine(Protocol):
    """What the voice controller needs from an engine (ui/voice.ProcessEngine, or FakeEngine)."""

    @property
    def name(self) -> str: ...

    def say(self, text: str, options: VoiceOptions) -> None:
        """Start saying ``text`` without waiting; stops anything still being said first."""

    def hush(self) -> None:
        """Silence at once."""


@dataclass
class FakeEngine:
    """Records what would be said and when, on the injected clock (tests and bench)."""

    clock: Clock = time.monotonic
    name: str = "fake"
    said: list[tuple[float, str]] = field(default_factory=list)
    hushed: list[float] = field(default_factory=list)

    def say(self, text: str, options: VoiceOptions) -> None:
        self.said.append((self.clock(), text))

    def hush(self) -> None:
        self.hushed.append(self.clock())
