"""The practice history at scale: 100,000 sessions over ten years.

Figures (targets): history view opened and populated (≤ 300 ms), each statistic
(≤ 50 ms), CSV export of every row (≤ 1 s), JSON import of the same rows into an
empty history (≤ 3 s), database size (≤ 20 MB). Also: opening the file with its
integrity check, one recorder write, and a baseline (reading every row with plain
sqlite3) to judge the machine's speed in the same run. Times are the median of a few
runs; the view needs a QApplication, made offscreen here.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from acupressure_desktop.storage.history import Session

SESSIONS = 100_000
YEARS = 10
TODAY = date(2026, 6, 1)

ROUTINES = [
    ("neck-and-shoulder-release", "Neck and shoulder release", "Neck and shoulder tension"),
    ("desk-stress-break", "Desk stress break", "Stress level"),
    ("headache-relief", "Headache relief", "Headache pain"),
    ("evening-wind-down", "Evening wind-down", "Stress level"),
    ("eye-strain-relief", "Eye strain relief", "Eye strain"),
    ("morning-energy", "Morning energy", "Energy"),
    ("digestive-comfort", "Digestive comfort", "Digestive discomfort"),
    ("lower-back-ease", "Lower back ease", "Back pain"),
]


def _median_ms(action: Callable[[], object], runs: int = 5) -> float:
    action()  # warm caches: the figure is the steady state
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def generate(count: int = SESSIONS, seed: int = 2026) -> list[Session]:
    """Seeded, varied sessions over the last ten years: about 27 a day."""
    from acupressure_desktop.storage.history import Session, Status

    rnd = random.Random(seed)
    end = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    span = int(timedelta(days=365 * YEARS).total_seconds())
    finished = [Status.COMPLETED, Status.STOPPED, Status.INTERRUPTED, Status.PAIN]
    notes = [""] * 7 + ["Felt calmer afterwards.", "Left shoulder still tight", "=2+3 looks like a formula"]
    sessions = []
    for _ in range(count):
        started = end - timedelta(seconds=rnd.randrange(span))
        routine_id, title, label = rnd.choice(ROUTINES)
        status = rnd.choices(finished, weights=(85, 10, 4, 1))[0]
        planned = rnd.choice((180, 240, 300, 420, 600))
        practised = planned if status is Status.COMPLETED else rnd.randrange(planned)
        steps = rnd.randint(2, 6)
        before = rnd.randint(2, 9) if rnd.random() < 0.5 else None
        after = max(0, before - rnd.randint(-1, 4)) if before is not None and rnd.random() < 0.9 else None
        sessions.append(
            Session(
                id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                routine_id=routine_id,
                routine_title=title,
                started_at=started,
                local_date=started.date(),
                ended_at=started + timedelta(seconds=practised + rnd.randrange(5, 120)),
                planned_seconds=planned,
                practised_seconds=practised,
                steps_total=steps,
                steps_done=steps if status is Status.COMPLETED else rnd.randint(0, steps),
                status=status,
                rating_label=label,
                before_rating=before,
                after_rating=after,
                note=rnd.choice(notes),
            )
        )
    return sessions


def run() -> dict[str, float | str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from acupressure_desktop.storage.db import open_database
    from acupressure_desktop.storage.exchange import ExportFormat, export_to_file, import_json
    from acupressure_desktop.storage.history import HistoryRepository, SortKey
    from acupressure_desktop.storage.recorder import SessionRecorder
    from acupressure_desktop.ui.history import HistoryView
    from acupressure_desktop.ui.history.charts import HEAT_WEEKS

    app = QApplication.instance() or QApplication(sys.argv[:1])
    figures: dict[str, float | str] = {"history_sessions": float(SESSIONS)}
    clock = lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 18, tzinfo=UTC)  # noqa: E731

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        sessions = generate()
        db = open_database(path)
        repo = HistoryRepository(db, clock=clock, tz=UTC)
        started = time.perf_counter()
        repo.add_sessions(sessions)
        figures["history_insert_100k_s"] = round(time.perf_counter() - started, 2)
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        figures["history_db_mb"] = round(path.stat().st_size / 1e6, 2)

        baseline = sqlite3.connect(path)
        figures["history_baseline_read_all_ms"] = _median_ms(
            lambda: baseline.execute("SELECT * FROM sessions").fetchall(), runs=3
        )
        baseline.close()

        first = TODAY - timedelta(days=TODAY.weekday() + 7 * (HEAT_WEEKS - 1))
        statistics_ = {
            "practice_days": lambda: repo.practice_days(first, TODAY),
            "streaks": lambda: repo.streaks(TODAY),
            "minutes_per_week": lambda: repo.minutes_per_week(first, TODAY),
            "routine_changes": lambda: repo.routine_changes(),
            "summary": lambda: repo.summary(TODAY),
            "routines": lambda: repo.routines(),
            "count": lambda: repo.count(),
        }
        worst = 0.0
        for name, action in statistics_.items():
            figures[f"history_stat_{name}_ms"] = value = _median_ms(action)
            worst = max(worst, value)
        figures["history_stat_worst_ms"] = worst
        figures["history_table_keys_by_date_ms"] = _median_ms(lambda: repo.session_keys(), runs=3)
        by_routine = lambda: repo.session_keys(sort=SortKey.ROUTINE)  # noqa: E731
        figures["history_table_sort_by_routine_ms"] = _median_ms(by_routine, runs=3)

        def open_view() -> None:
            view = HistoryView(repo)
            view.resize(1180, 820)
            view.show()
            app.processEvents()
            view.close()
            view.deleteLater()
            app.processEvents()

        figures["history_view_open_ms"] = _median_ms(open_view, runs=3)

        recorder = SessionRecorder(repo)
        recorder.begin("desk-stress-break", "Desk stress break", 300, 4)
        step = iter(range(1, 10_000))
        figures["history_progress_write_ms"] = _median_ms(lambda: recorder.progress(next(step), 1, force=True), runs=20)

        csv_file = Path(folder) / "history.csv"
        figures["history_export_csv_s"] = round(
            _median_ms(lambda: export_to_file(repo, csv_file, ExportFormat.CSV), runs=3) / 1000, 3
        )
        json_file = Path(folder) / "history.json"
        figures["history_export_json_s"] = round(
            _median_ms(lambda: export_to_file(repo, json_file, ExportFormat.JSON), runs=1) / 1000, 3
        )
        figures["history_export_json_mb"] = round(json_file.stat().st_size / 1e6, 1)
        db.close()

        started = time.perf_counter()
        opened = open_database(path)  # integrity check of the whole file
        figures["history_open_with_check_ms"] = round((time.perf_counter() - started) * 1000, 1)
        opened.close()

        fresh = open_database(Path(folder) / "fresh.sqlite3")
        started = time.perf_counter()
        result = import_json(HistoryRepository(fresh, clock=clock, tz=UTC), json_file)
        figures["history_import_json_s"] = round(time.perf_counter() - started, 2)
        assert result.added == SESSIONS + 1, result  # and the one the recorder wrote
        fresh.close()
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for key, value in run().items():
        print(f"{key:40} {value}")
