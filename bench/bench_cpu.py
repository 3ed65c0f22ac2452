"""CPU use of the real window while a routine runs, without and with the breathing pacer, and idle,
in a fresh interpreter, beside a baseline measured in the same run.

Targets (issue 12): ≤ 0.5 % of one core while a routine runs without the pacer, ≤ 1.5 % with it.
Machines differ 2–3× in speed, so the figures come with a baseline: a bare window whose label is
set at the dock's refresh rate (4 Hz), and the ratios against it. Each phase is measured from 2 s
after it begins, so one-off costs (opening the dock, re-fitting the map) are not spread over it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 12
CHILD = """
import os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from acupressure_desktop.app import build_gui
from acupressure_desktop.settings import BreathingPacer

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

gui = build_gui(["--home", sys.argv[1]])
gui.load()
gui.window.resize(1280, 800)
gui.window.show()
gui.attach_history()
shell = gui.shell
shell.ask_checkins = False  # nobody is there to answer the before/after questions
seconds = float(sys.argv[2])
steps = []

def measure(name, then):
    start = (cpu(), time.monotonic())
    def done():
        c, t = start
        print(f"{name} {(cpu() - c) / (time.monotonic() - t) * 100:.3f}", flush=True)
        then()
    QTimer.singleShot(int(seconds * 1000), shell, done)

def pacer(on):
    shell.update_settings(shell.settings.model_copy(update={"breathing": BreathingPacer(enabled=on)}))

def routine(on, name, then):
    shell.controller.stop() if shell.controller.active else None
    pacer(on)
    shell.start_routine("desk-stress-break")
    QTimer.singleShot(2000, shell, lambda: measure(name, then))

def baseline():
    shell.controller.stop()
    shell.dock.hide()
    label = QLabel("0:00")
    label.resize(200, 60)
    label.show()
    tick = QTimer(label)
    tick.setInterval(250)
    counter = [0]
    def step():
        counter[0] += 1
        label.setText(f"0:{counter[0] % 60:02d}")
    tick.timeout.connect(step)
    tick.start()
    steps.append(label)
    QTimer.singleShot(1000, shell, lambda: measure("BASELINE", finish))

def finish():
    print(f"TIMERS {shell.controller.timers_active()}", flush=True)
    gui.app.exit(0)  # not quit(): nothing to ask

QTimer.singleShot(3000, shell, lambda: measure(
    "IDLE",
    lambda: routine(False, "ROUTINE", lambda: routine(True, "PACER", baseline)),
))
gui.app.exec()
"""


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, home, str(SECONDS)],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    figures = {line.split()[0]: float(line.split()[1]) for line in result.stdout.splitlines() if line[:1].isupper()}
    baseline = figures.get("BASELINE", -1.0)

    def ratio(name: str) -> float:
        return round(figures.get(name, -1.0) / baseline, 2) if baseline > 0 else -1.0

    return {
        "cpu_idle_percent": figures.get("IDLE", -1.0),
        "cpu_routine_percent": figures.get("ROUTINE", -1.0),
        "cpu_routine_pacer_percent": figures.get("PACER", -1.0),
        "cpu_baseline_label_4hz_percent": baseline,
        "cpu_routine_ratio": ratio("ROUTINE"),
        "cpu_routine_pacer_ratio": ratio("PACER"),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
