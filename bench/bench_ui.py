"""Interaction latency in the real window (offscreen): click to painted panel, view switch, keystroke.

Each figure includes the repaint: the measurement ends once the event queue has
processed the paint events the action caused, which paints what changed (as a real
window does), not the whole window. A paint counter on the detail panel checks that
every click really painted it before the clock stopped.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run() -> dict[str, float]:
    figures = _measure()
    # The worst case of the full atlas: every point shown and every channel drawn.
    figures |= {f"all_{k}": v for k, v in _measure(everything=True).items()}
    return figures


def _measure(everything: bool = False) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    from acupressure_desktop.app import build_gui

    with tempfile.TemporaryDirectory() as home:
        gui = build_gui(["--home", home])
        assert gui.load()
        gui.window.resize(1280, 800)
        gui.window.show()
        learn = gui.learn
        if everything:
            learn.set_point_filter("all")
            learn.set_channels(set(learn.channel_actions))
        learn.prebuild_views()
        gui.app.processEvents()

        class PaintCounter(QObject):
            count = 0

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    PaintCounter.count += 1
                return False

        counter = PaintCounter()
        learn.panel.browser.viewport().installEventFilter(counter)

        def settle() -> None:
            gui.app.processEvents()  # runs the UpdateRequest: the paint of every dirty widget

        clicks = []
        view_ids = [v for v in gui.catalog.views if v in gui.catalog.maps]
        for round_ in range(100):
            learn.show_view(view_ids[round_ % len(view_ids)])
            settle()
            drawn = [m for m in learn.map.markers if m.isVisible()]  # the filter may hide some
            marker = drawn[round_ % len(drawn)]
            pos = learn.map.mapFromScene(marker.mapToScene(marker.rect().center()))
            painted = PaintCounter.count
            started = time.perf_counter()
            QTest.mouseClick(learn.map.viewport(), Qt.MouseButton.LeftButton, pos=pos)
            settle()
            clicks.append(time.perf_counter() - started)
            assert learn.panel.point is not None and learn.panel.point.code == marker.hotspot.code
            assert PaintCounter.count > painted, "the panel was not painted"
        switches = []
        densest = max(view_ids, key=lambda v: len(gui.catalog.maps[v].hotspots))
        to_densest = []
        for _ in range(3):
            for view_id in view_ids:
                started = time.perf_counter()
                learn.show_view(view_id)
                settle()
                switches.append(time.perf_counter() - started)
                if view_id == densest:
                    to_densest.append(switches[-1])
                else:  # and from each view to the densest one
                    started = time.perf_counter()
                    learn.show_view(densest)
                    settle()
                    to_densest.append(time.perf_counter() - started)
        keystrokes = []
        # Names, codes, everyday complaints (the synonym table), and a typo that finds nothing (suggestions).
        words = ["hegu", "sleep", "neck", "li-4", "yintang", "can't sleep", "period pain", "insomia", "sore nek"]
        for word in words * 3:
            learn.search_box.clear()
            settle()
            for char in word:
                started = time.perf_counter()
                QTest.keyClick(learn.search_box, char)
                settle()
                keystrokes.append(time.perf_counter() - started)
        # Baseline in the same run: a bare line edit whose keystroke refills a 64-row list.
        from PySide6.QtWidgets import QLineEdit, QListWidget, QVBoxLayout, QWidget

        bare = QWidget()
        edit, rows = QLineEdit(), QListWidget()
        layout = QVBoxLayout(bare)
        layout.addWidget(edit)
        layout.addWidget(rows)
        names = [f"{p.code}  {p.pinyin}\n{p.english}" for p in gui.catalog.points.values()]

        def refill(text: str) -> None:
            rows.clear()
            rows.addItems([n for n in names if text.lower() in n.lower()] or names)

        edit.textChanged.connect(refill)
        bare.resize(300, 700)
        bare.show()
        settle()
        bare_strokes = []
        for word in words * 3:
            edit.clear()
            settle()
            for char in word:
                started = time.perf_counter()
                QTest.keyClick(edit, char)
                settle()
                bare_strokes.append(time.perf_counter() - started)
        bare.close()
        gui.window.close()
    return {
        "search_keystroke_baseline_worst_ms": round(max(bare_strokes) * 1000, 2),
        "search_keystroke_worst_ratio": round(max(keystrokes) / max(bare_strokes), 2),
        "click_to_panel_median_ms": round(statistics.median(clicks) * 1000, 2),
        "click_to_panel_worst_ms": round(max(clicks) * 1000, 2),
        "view_switch_median_ms": round(statistics.median(switches) * 1000, 2),
        "view_switch_worst_ms": round(max(switches) * 1000, 2),
        "view_switch_densest_worst_ms": round(max(to_densest) * 1000, 2),
        "densest_view_hotspots": float(len(gui.catalog.maps[densest].hotspots)),
        "search_keystroke_median_ms": round(statistics.median(keystrokes) * 1000, 2),
        "search_keystroke_worst_ms": round(max(keystrokes) * 1000, 2),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
