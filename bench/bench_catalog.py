"""Catalog load + validation time, and search time over a spread of queries."""

from __future__ import annotations

import statistics
import time

from acupressure_desktop.catalog.loader import load_catalog
from acupressure_desktop.catalog.search import PointSearch

QUERIES = [
    "LI4",
    "li-4",
    "lv3",
    "hegu",
    "Hégǔ",
    "合谷",
    "sleep",
    "headache",
    "menstrual cramps",
    "wrist",
    "neck pain",
    "pericardium",
    "union valley",
    "zzz",
    "s",
    "eye strain",
    "back",
    "nausea",
    "GV29",
    "calm anxious mind",
]


def run() -> dict[str, float]:
    load_catalog()  # warm the file cache: the figure is parse + validate + cross-check
    loads = []
    for _ in range(15):
        started = time.perf_counter()
        catalog = load_catalog()
        loads.append(time.perf_counter() - started)
    search = PointSearch(catalog)
    started = time.perf_counter()
    search.search("warm")  # the index is built on first use, off the start-up path
    index_ms = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(20):
        for query in QUERIES:
            started = time.perf_counter()
            search.search(query)
            times.append(time.perf_counter() - started)
    return {
        "catalog_load_ms": round(statistics.median(loads) * 1000, 2),
        "search_index_build_ms": round(index_ms, 2),
        "search_median_ms": round(statistics.median(times) * 1000, 3),
        "search_worst_ms": round(max(times) * 1000, 3),
        "points": float(len(catalog.points)),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
