"""A 30-minute routine with the dock refreshed every 100 ms (18,000 refreshes), in a fresh interpreter.

Guards the PySide6 refcount pitfall (void calls dropping references to None): the figure
is whether the run reaches the end, and how long the refreshes took. The clock is faked
so the run takes seconds, but every refresh makes the same Qt calls as a real one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from acupressure_desktop.catalog.loader import load_catalog
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
from acupressure_desktop.ui.session_dock import SessionDock

app = QApplication([])
catalog = load_catalog()
now = [0.0]
controller = SessionController(None, clock=lambda: now[0])
dock = SessionDock(controller, catalog)
dock.show()
steps = [Step(point="PC6", seconds=600, side=Side.BOTH), Step(point="GV20", seconds=600, side=Side.CENTER),
         Step(technique="neck-shoulder-kneading", seconds=600, side=Side.CENTER)]
controller.load(SessionPlan(routine_id="soak", title="Soak", steps=steps, rating_label="Stress"))
controller.start()
refreshes = 0
while controller.runner.state.value == "running":
    now[0] += 0.1
    controller.update()
    dock.pacer.repaint()
    refreshes += 1
print("REFRESHES", refreshes, flush=True)
"""


def run() -> dict[str, float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.perf_counter() - started
    refreshes = next((int(line.split()[1]) for line in result.stdout.splitlines() if line.startswith("REFRESHES")), 0)
    return {
        "soak_30min_completed": float(result.returncode == 0 and refreshes >= 18_000),
        "soak_refreshes": float(refreshes),
        "soak_seconds": round(elapsed, 1),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
