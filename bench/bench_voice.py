"""Voice guidance: how soon the voice starts after a step boundary, CPU between utterances,
and one voiced routine recorded for real.

1. The real window in a fresh interpreter runs a short routine with the voice on, once with
   the fake engine (the time ``say`` is called) and once with espeak-ng writing its audio to a
   pipe (the time the first audio bytes arrive). Each is compared with the runner's deadline
   for the boundary: the ``at`` of its SegmentStarted event. Target: ≤ 300 ms.
2. CPU of the app's own process over a quiet stretch of the same run (a 20 s step: nothing is
   said from 4 s to 18 s). Target: ≤ 1 % of one core.
3. Quick reset (with the breathing pacer on) is planned on a fake clock and every utterance is
   synthesised by espeak-ng into a WAV placed at its moment: ``bench/results/voiced-routine.wav``.
   From the real audio lengths: how many utterances overlap the next (target 0); sox then reports
   the recording's length and loudness.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

CHILD = r"""
import os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, QProcess, QTimer
from acupressure_desktop.app import build_gui
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.session.runner import Finished, SegmentStarted
from acupressure_desktop.session.voice import EngineSpec, FakeEngine, find_engine
from acupressure_desktop.settings import VoiceSettings
from acupressure_desktop.ui.session_controller import SessionPlan

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

class PipeEngine(QObject):
    # espeak-ng with --stdout: the moment its first audio bytes arrive is when the voice starts.
    name = "espeak-ng (pipe)"
    def __init__(self, spec):
        super().__init__()
        self.spec, self.said, self.process = spec, [], None
    def say(self, text, options):
        self.hush()
        args, _ = self.spec.say(text, options)
        process = QProcess(self)
        entry = [None, text]
        def first():
            if entry[0] is None:
                entry[0] = time.monotonic()
            process.readAllStandardOutput()
        def ended():
            if self.process is process:
                self.process = None
            process.deleteLater()
        process.readyReadStandardOutput.connect(first)
        process.finished.connect(ended)
        self.said.append(entry)
        self.process = process
        process.start(self.spec.program, ["--stdout", *args])
    def hush(self):
        if self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()
        self.process = None

kind = sys.argv[2]
gui = build_gui(["--home", sys.argv[1]])
gui.load()
gui.window.resize(1280, 800)
gui.window.show()
gui.shell.ask_checkins = False
shell = gui.shell
if kind == "fake":
    engine = FakeEngine(time.monotonic)
else:
    engine = PipeEngine(find_engine())
shell.voice.engine = engine
shell.update_settings(shell.settings.updated(voice=VoiceSettings(enabled=True), prepare_seconds=0))
boundaries = []
shell.controller.eventHappened.connect(
    lambda e: boundaries.append(e.at) if isinstance(e, (SegmentStarted, Finished)) else None
)
plan = SessionPlan("bench", "Bench", [
    Step(point="LI4", seconds=6, side=Side.LEFT),
    Step(point="GV20", seconds=20, side=Side.CENTER),
    Step(point="PC6", seconds=12, side=Side.BOTH),
], "Stress")
marks = {}

def quiet_start():
    marks["quiet"] = (cpu(), time.monotonic())

def quiet_end():
    c, t = marks["quiet"]
    print(f"QUIET_CPU {(cpu() - c) / (time.monotonic() - t) * 100:.3f}", flush=True)

def done():
    said = [(t, text) for t, text in (engine.said if kind == "fake" else [tuple(e) for e in engine.said])]
    lateness = []
    for at in boundaries:
        starts = [t for t, _ in said if t is not None and t >= at - 0.001]
        if starts:
            lateness.append((min(starts) - at) * 1000)
    print(f"BOUNDARIES {len(boundaries)}", flush=True)
    print(f"MEASURED {len(lateness)}", flush=True)
    print(f"LATENESS_MAX {max(lateness):.1f}", flush=True)
    print(f"LATENESS_MEDIAN {sorted(lateness)[len(lateness) // 2]:.1f}", flush=True)
    print(f"UTTERANCES {len(said)}", flush=True)
    gui.app.quit()

def go():
    shell.run_plan(plan)
    QTimer.singleShot(6000 + 4000, gui.window, quiet_start)   # step 2 began at 6 s; its intro is over by 10 s
    QTimer.singleShot(6000 + 18000, gui.window, quiet_end)
    QTimer.singleShot(38000 + 3000, gui.window, done)

QTimer.singleShot(3000, gui.window, go)
gui.app.exec()
"""


def _child(kind: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, home, kind],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    figures = {line.split()[0]: float(line.split()[1]) for line in result.stdout.splitlines() if line[:1].isupper()}
    if not figures:
        print(result.stderr[-2000:], file=sys.stderr)
    return figures


def _wav_frames(data: bytes) -> tuple[int, bytes]:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getframerate(), wav.readframes(wav.getnframes())


def record_routine(routine_id: str = "quick-reset") -> dict[str, float]:
    """Plan a routine on a fake clock, synthesise each utterance with espeak-ng, mix them into one WAV."""
    from acupressure_desktop.catalog.loader import load_catalog
    from acupressure_desktop.session.runner import SessionRunner
    from acupressure_desktop.session.voice import (
        Breathing,
        EngineSpec,
        Say,
        VoiceGuide,
        VoiceOptions,
        find_engine,
        scripts_for,
    )

    spec = find_engine()
    if spec is None or spec.name != "espeak-ng":
        return {"voice_recorded_routine": 0.0}
    catalog = load_catalog()
    routine = catalog.routines[routine_id]
    now = [0.0]
    runner = SessionRunner(routine.steps, title=routine.title, prepare_seconds=5, clock=lambda: now[0])
    guide = VoiceGuide(
        scripts_for(routine.steps, catalog.points, catalog.techniques),
        clock=lambda: now[0],
        breathing=Breathing(4, 6, 0.0),
    )
    said: list[tuple[float, str]] = []

    def act(actions: list[object]) -> None:
        said.extend((now[0], a.utterance.text) for a in actions if isinstance(a, Say))

    act(guide.handle(runner.start(), runner.snapshot()))
    while runner.state.value == "running" or guide.next_due() is not None:
        wait = runner.seconds_until_next_deadline()
        deadline = now[0] + wait if wait is not None else None
        due = min(t for t in (deadline, guide.next_due()) if t is not None)
        now[0] = due
        if deadline is not None and now[0] >= deadline:
            act(guide.handle(runner.update(), runner.snapshot()))
        else:
            act(guide.poll())

    options = VoiceOptions()
    rate, mix = 22050, [0] * int(22050 * (now[0] + 6))
    overlaps = 0
    ends: list[float] = []
    for at, text in said:
        args, _ = EngineSpec(spec.name, spec.program).say(text, options)
        audio = subprocess.run([spec.program, "--stdout", *args], capture_output=True, check=True).stdout
        rate, frames = _wav_frames(audio)
        samples = struct.unpack(f"<{len(frames) // 2}h", frames)
        if ends and at < ends[-1]:
            overlaps += 1
        ends.append(at + len(samples) / rate)
        offset = int(at * rate)
        for i, sample in enumerate(samples):
            if offset + i < len(mix):
                mix[offset + i] += sample
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "voiced-routine.wav"
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(struct.pack(f"<{len(mix)}h", *(max(-32768, min(32767, s)) for s in mix)))
    figures = {
        "voice_recorded_utterances": float(len(said)),
        "voice_recorded_overlaps": float(overlaps),
        "voice_recorded_speech_s": round(sum(e - a for e, (a, _) in zip(ends, said, strict=True)), 1),
    }
    if shutil.which("sox"):
        stat = subprocess.run(["sox", str(out), "-n", "stat"], capture_output=True, text=True).stderr
        names = {"Length (seconds)": "voice_sox_length_s", "RMS     amplitude": "voice_sox_rms_amplitude"}
        for line in stat.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in names:
                figures[names[key.strip()]] = float(value)
    return figures


def run() -> dict[str, float]:
    figures: dict[str, float] = {}
    fake = _child("fake")
    figures["voice_fake_boundaries_measured"] = fake.get("MEASURED", -1.0)
    figures["voice_fake_start_max_ms"] = fake.get("LATENESS_MAX", -1.0)
    figures["voice_fake_start_median_ms"] = fake.get("LATENESS_MEDIAN", -1.0)
    figures["voice_cpu_quiet_percent"] = fake.get("QUIET_CPU", -1.0)
    if shutil.which("espeak-ng"):
        real = _child("espeak")
        figures["voice_espeak_boundaries_measured"] = real.get("MEASURED", -1.0)
        figures["voice_espeak_start_max_ms"] = real.get("LATENESS_MAX", -1.0)
        figures["voice_espeak_start_median_ms"] = real.get("LATENESS_MEDIAN", -1.0)
        figures["voice_espeak_cpu_quiet_percent"] = real.get("QUIET_CPU", -1.0)
        figures.update(record_routine())
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
