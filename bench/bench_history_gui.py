"""The window while the History page exports and imports 100,000 sessions.

Figure (target): the longest event-loop stall while each job runs from the GUI ≤ 50 ms.
A 5 ms timer ticks throughout; a stall is the longest gap between two ticks, minus the
interval. The baseline is the same timer with nothing else to do, in the same run; the
job's own duration is printed beside it (what the window froze for when the work ran on
the GUI thread).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TICK_MS = 5


class StallMeter:
    """Ticks every 5 ms and keeps the longest gap between two ticks."""

    def __init__(self, parent: Any) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer(parent)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.worst = 0.0
        self._last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self._last)
        self._last = now

    def measure(self, app: Any, start: Callable[[], Any] | None, seconds: float = 1.0) -> tuple[float, float]:
        """Run ``start`` (which returns a Task) or idle for ``seconds``; (worst stall ms, duration s)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        self.worst, self._last = 0.0, time.perf_counter()
        self.timer.start()
        began = time.perf_counter()
        if start is None:
            QTimer.singleShot(int(seconds * 1000), loop, loop.quit)
        else:
            task = start()
            task.ended.connect(loop.quit)
        loop.exec()
        duration = time.perf_counter() - began
        self.timer.stop()
        return round(max(0.0, self.worst * 1000 - TICK_MS), 1), round(duration, 2)


def run() -> dict[str, float | str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench_history import TODAY, generate
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    from acupressure_desktop.storage.db import open_database
    from acupressure_desktop.storage.exchange import ExportFormat
    from acupressure_desktop.storage.history import HistoryRepository
    from acupressure_desktop.ui.history import HistoryView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    clock = lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 18, tzinfo=UTC)  # noqa: E731
    QMessageBox.information = lambda *a, **k: QMessageBox.StandardButton.Ok  # type: ignore[method-assign]
    QMessageBox.warning = lambda *a, **k: QMessageBox.StandardButton.Ok  # type: ignore[method-assign]
    figures: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory() as folder:
        full = HistoryRepository(open_database(Path(folder) / "full.sqlite3"), clock=clock, tz=UTC)
        full.add_sessions(generate())
        empty = HistoryRepository(open_database(Path(folder) / "empty.sqlite3"), clock=clock, tz=UTC)
        views = [HistoryView(full), HistoryView(empty)]
        for view in views:
            view.resize(1180, 820)
            view.show()
        app.processEvents()
        meter = StallMeter(app)
        figures["gui_stall_idle_baseline_ms"], _ = meter.measure(app, None)
        for fmt in (ExportFormat.CSV, ExportFormat.JSON):
            target = str(Path(folder) / f"export.{fmt.value}")
            QFileDialog.getSaveFileName = lambda *a, t=target, **k: (t, "")  # type: ignore[method-assign,misc]
            stall, took = meter.measure(app, lambda f=fmt: views[0].export_history(f))
            figures[f"gui_stall_export_{fmt.value}_ms"], figures[f"gui_export_{fmt.value}_s"] = stall, took
        source = str(Path(folder) / "export.json")
        QFileDialog.getOpenFileName = lambda *a, **k: (source, "")  # type: ignore[method-assign]
        stall, took = meter.measure(app, views[1].import_history)
        figures["gui_stall_import_json_ms"], figures["gui_import_json_s"] = stall, took
        assert empty.count() == full.count(), (empty.count(), full.count())
        figures["gui_stall_worst_ms"] = max(
            float(figures[k])
            for k in ("gui_stall_export_csv_ms", "gui_stall_export_json_ms", "gui_stall_import_json_ms")
        )
        for view in views:
            view.close()
        full.db.close()
        empty.db.close()
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for key, value in run().items():
        print(f"{key:40} {value}")
