"""CPU use of the real window while a routine runs, and while it idles, in a fresh interpreter.

Targets: ≤ 1 % of one core while a routine runs (dock refreshed every 100 ms), measured from
2 s after the start so the one-off cost of opening the dock is not spread over the figure;
while idle, no timer of ours is armed, so the process should use next to nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 15
CHILD = """
import os, resource, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from acupressure_desktop.app import build_gui

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

gui = build_gui(["--home", sys.argv[1]])
gui.load()
gui.window.resize(1280, 800)
gui.window.show()
gui.attach_history()
gui.shell.ask_checkins = False  # nobody is there to answer the before/after questions
seconds = float(sys.argv[2])
marks = {}

def phase(name, then):
    marks[name] = (cpu(), time.monotonic())
    QTimer.singleShot(int(seconds * 1000), then)

def idle_done():
    c, t = marks["idle"]
    print(f"IDLE {(cpu() - c) / (time.monotonic() - t) * 100:.3f}", flush=True)
    gui.shell.start_routine("desk-stress-break")
    # Measure the steady state: the dock opening and the map re-fitting are a one-off.
    QTimer.singleShot(2000, lambda: phase("routine", routine_done))

def routine_done():
    c, t = marks["routine"]
    print(f"ROUTINE {(cpu() - c) / (time.monotonic() - t) * 100:.3f}", flush=True)
    print(f"TIMERS {gui.shell.controller.timers_active()}", flush=True)
    gui.app.quit()

# Let start-up work (deferred view building) finish before measuring.
QTimer.singleShot(3000, lambda: phase("idle", idle_done))
gui.app.exec()
"""


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, home, str(SECONDS)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    figures = {line.split()[0]: float(line.split()[1]) for line in result.stdout.splitlines() if line[:1].isupper()}
    return {
        "cpu_idle_percent": figures.get("IDLE", -1.0),
        "cpu_routine_percent": figures.get("ROUTINE", -1.0),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
