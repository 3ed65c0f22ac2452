"""Measuring guides in the real window (offscreen): step paint time, and opening a point with its guide.

Ratios are against a baseline in the same run: opening a point and playing its guide's first step
is timed against opening the same point as the app did before guides ("today": the page's guide
hook switched off, so no steps are listed and nothing is drawn). "plain" is opening a point now,
which lists its steps as text without playing them. Each figure
includes the repaint: the clock stops once the event queue has processed the paints the action
caused. A paint counter on the map checks that every step was really painted.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run() -> dict[str, float]:
    from PySide6.QtCore import QEvent, QObject

    from acupressure_desktop.app import build_gui

    with tempfile.TemporaryDirectory() as home:
        gui = build_gui(["--home", home])
        assert gui.load()
        gui.window.resize(1280, 800)
        gui.window.show()
        learn = gui.learn
        learn.prebuild_views()
        gui.app.processEvents()
        catalog = gui.catalog
        learn.player.reduced_motion = True  # every step drawn whole: one paint per step

        class PaintCounter(QObject):
            count = 0

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    PaintCounter.count += 1
                return False

        counter = PaintCounter()
        learn.map.viewport().installEventFilter(counter)

        def settle() -> None:
            gui.app.processEvents()

        codes = sorted({code for code, _view in catalog.guides})
        # Warm both paths once (first overlay per scene, first fonts).
        for code in codes:
            learn.open_point(code)
            learn.show_guide()
            settle()
        learn.player.stop()
        settle()

        follow_guide = learn._follow_guide

        def today_open(code: str) -> None:
            learn._follow_guide = lambda: None  # type: ignore[method-assign]
            try:
                learn.open_point(code)
            finally:
                learn._follow_guide = follow_guide  # type: ignore[method-assign]

        today, plain, guided, steps, frames = [], [], [], [], []
        for _round in range(3):
            for code in codes:
                learn.player.stop()
                today_open("ST9" if code != "ST9" else "LI4")
                settle()
                started = time.perf_counter()
                today_open(code)
                settle()
                today.append(time.perf_counter() - started)

                learn.player.stop()
                learn.open_point("ST9" if code != "ST9" else "LI4")  # open from another point every time
                settle()
                started = time.perf_counter()
                learn.open_point(code)
                settle()
                plain.append(time.perf_counter() - started)

                learn.open_point("ST9")
                settle()
                started = time.perf_counter()
                learn.open_point(code)
                learn.show_guide()
                settle()
                guided.append(time.perf_counter() - started)

                guide = learn.player.guide
                assert guide is not None
                for _ in range(len(guide.steps) - 1):
                    painted = PaintCounter.count
                    started = time.perf_counter()
                    learn.player.next()
                    settle()
                    steps.append(time.perf_counter() - started)
                    assert PaintCounter.count > painted, "the step was not painted"
        # One animated line, frame by frame: each frame is a tick of the player's timer.
        learn.player.reduced_motion = False
        learn.open_point("SP6")
        learn.show_guide()
        settle()
        learn.player.next()
        while learn.player.progress < 1.0:
            painted = PaintCounter.count
            started = time.perf_counter()
            learn.player._tick()
            settle()
            frames.append(time.perf_counter() - started)
            assert PaintCounter.count > painted
            learn.player._started -= 0.05  # advance the animation without waiting
        gui.window.close()
    plain_ms, guided_ms = statistics.median(plain) * 1000, statistics.median(guided) * 1000
    today_ms = statistics.median(today) * 1000
    return {
        "guide_open_today_median_ms": round(today_ms, 2),
        "guide_open_plain_median_ms": round(plain_ms, 2),
        "guide_open_with_guide_median_ms": round(guided_ms, 2),
        "guide_open_ratio": round(guided_ms / today_ms, 3),
        "guide_open_listed_ratio": round(plain_ms / today_ms, 3),
        "guide_step_paint_median_ms": round(statistics.median(steps) * 1000, 2),
        "guide_step_paint_worst_ms": round(max(steps) * 1000, 2),
        "guide_frame_paint_median_ms": round(statistics.median(frames) * 1000, 2),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
