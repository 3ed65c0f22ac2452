"""Run every benchmark and print one table; write bench/results/latest.json.

Figures are ratios against a baseline measured in the same run wherever the
machine's speed matters, because these machines are noisy. Usage:

    python3 bench/run.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

# Each module exposes run() -> dict of figure name -> value; targets are checked here.
MODULES = [
    "bench_startup",
    "bench_catalog",
    "bench_ui",
    "bench_guide",
    "bench_timing",
    "bench_cpu",
    "bench_soak",
    "bench_history",
    "bench_history_gui",
    "bench_reminders",
    "bench_voice",
]
TARGETS: dict[str, tuple[str, float]] = {
    "startup_ratio": ("<=", 1.6),  # issue 16: with the full atlas (issue 11 asked for 2.0)
    "app_peak_rss_mb": ("<=", 120.0),
    "catalog_load_ms": ("<=", 50.0),
    "search_worst_ms": ("<=", 2.0),
    "click_to_panel_median_ms": ("<=", 16.0),
    "click_to_panel_worst_ms": ("<=", 33.0),
    "view_switch_worst_ms": ("<=", 50.0),
    "view_switch_densest_worst_ms": ("<=", 50.0),
    # Every point shown and every channel drawn.
    "all_view_switch_worst_ms": ("<=", 50.0),
    "all_view_switch_densest_worst_ms": ("<=", 50.0),
    "all_click_to_panel_worst_ms": ("<=", 33.0),
    "search_keystroke_worst_ms": ("<=", 16.0),
    "guide_step_paint_median_ms": ("<=", 16.0),
    "guide_open_ratio": ("<=", 1.2),
    "boundary_lateness_max_ms": ("<=", 50.0),
    "drift_end_error_ms": ("<=", 0.0),
    "cpu_routine_percent": ("<=", 0.5),  # issue 12: without the breathing pacer
    "cpu_routine_pacer_percent": ("<=", 1.5),
    "soak_30min_completed": (">=", 1.0),
    "history_db_mb": ("<=", 20.0),
    "history_stat_worst_ms": ("<=", 50.0),
    "history_view_open_ms": ("<=", 300.0),
    "history_export_csv_s": ("<=", 1.0),
    "history_import_json_s": ("<=", 3.0),
    "gui_stall_worst_ms": ("<=", 50.0),
    "reminder_idle_wakeups_per_min": ("<=", 0.1),
    "reminder_evening_wakeups_per_min": ("<=", 0.1),
    "reminder_polled_reads_per_min": ("<=", 1.0),
    "reminder_idle_cpu_percent": ("<=", 0.5),
    "voice_fake_start_max_ms": ("<=", 300.0),
    "voice_espeak_start_max_ms": ("<=", 300.0),
    "voice_cpu_quiet_percent": ("<=", 1.0),
    "voice_espeak_cpu_quiet_percent": ("<=", 1.0),
    "voice_recorded_overlaps": ("<=", 0.0),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these modules")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for name in args.only or MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"{name}: skipped ({exc})", file=sys.stderr)
            continue
        started = time.perf_counter()
        figures = module.run()
        figures[f"{name}_seconds"] = round(time.perf_counter() - started, 1)
        results.update(figures)
    width = max(len(k) for k in results)
    print(f"{'figure'.ljust(width)}  {'value':>12}  target")
    for key, value in results.items():
        target = TARGETS.get(key)
        verdict = ""
        if target and isinstance(value, (int, float)):
            op, bound = target
            ok = value <= bound if op == "<=" else value >= bound
            verdict = f"{op} {bound}  {'ok' if ok else 'MISSED'}"
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key.ljust(width)}  {shown:>12}  {verdict}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    document = {"python": platform.python_version(), "machine": platform.machine(), "figures": results}
    (out / "latest.json").write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
