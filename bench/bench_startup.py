"""Cold start to first paint of the main window, as a ratio to a bare PySide6 QMainWindow.

Both are started the same way (a fresh interpreter each run), alternating, and timed
from process spawn to the first paint event of the window. Peak RSS of each is read
from /proc at the end; the app's after it has built every body-map view.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7
ROOT = Path(__file__).resolve().parent.parent

COMMON = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QObject, QTimer

class FirstPaint(QObject):
    def __init__(self, on_paint):
        super().__init__()
        self.on_paint = on_paint
        self.done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print("PAINTED", flush=True)
            QTimer.singleShot(0, self.on_paint)
        return False

def peak_rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
"""

# Shows a plain ``window`` of ``app`` and reports its first paint (the bare and the themed window).
PLAIN_WINDOW = """
window.resize(1280, 800)
def finish():
    print(f"RSS {peak_rss_mb():.1f}", flush=True)
    app.quit()
spy = FirstPaint(finish)
window.installEventFilter(spy)
window.show()
app.exec()
"""

BARE = (
    COMMON
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
"""
    + PLAIN_WINDOW
)

# The floor under any window of this app: the bare window with the app's theme (Fusion proxy style,
# palette, style sheet), its menu bar and status bar, and nothing of its own. PySide6 builds the
# Python enums of every Qt class a program first touches (the Qt namespace alone: about 1,000
# members, some 25 ms here), which the bare window never does.
CHROME = (
    COMMON
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
from acupressure_desktop.ui import theme
theme.apply(app, theme.resolve("light"))
window = QMainWindow()
window.menuBar().addMenu("&App")
window.statusBar().setSizeGripEnabled(True)
"""
    + PLAIN_WINDOW
)

APP = (
    COMMON
    + """
from acupressure_desktop.app import build_gui
gui = build_gui(sys.argv[1:])
def finish():
    gui.load()
    gui.learn.prebuild_views()
    print(f"RSS {peak_rss_mb():.1f}", flush=True)
    gui.app.quit()
spy = FirstPaint(finish)
gui.window.installEventFilter(spy)
gui.window.resize(1280, 800)
gui.window.show()
gui.app.exec()
"""
)


def _one(script: str, home: str) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "--home", home], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert proc.stdout is not None
    painted = None
    rss = 0.0
    for line in proc.stdout:
        if line.startswith("PAINTED") and painted is None:
            painted = time.perf_counter() - started
        elif line.startswith("RSS"):
            rss = float(line.split()[1])
    proc.wait(timeout=60)
    if painted is None:
        raise RuntimeError(f"no first paint (exit {proc.returncode})")
    return painted, rss


def run() -> dict[str, float]:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "acupressure_desktop")], check=True)
    bare_times, chrome_times, app_times, bare_rss, app_rss = [], [], [], [], []
    with tempfile.TemporaryDirectory() as home:
        _one(APP, home)  # first run writes settings, the database and the catalog cache; not a cold start
        time.sleep(1.0)  # the catalog cache is written on a worker thread after the load
        _one(APP, home)
        for _ in range(RUNS):
            t, r = _one(BARE, home)
            bare_times.append(t)
            bare_rss.append(r)
            chrome_times.append(_one(CHROME, home)[0])
            t, r = _one(APP, home)
            app_times.append(t)
            app_rss.append(r)
    bare, app = statistics.median(bare_times), statistics.median(app_times)
    return {
        "bare_first_paint_ms": round(bare * 1000, 1),
        "app_first_paint_ms": round(app * 1000, 1),
        "startup_ratio": round(app / bare, 2),
        "themed_chrome_ratio": round(statistics.median(chrome_times) / bare, 2),
        "bare_peak_rss_mb": round(max(bare_rss), 1),
        "app_peak_rss_mb": round(max(app_rss), 1),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
