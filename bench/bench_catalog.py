"""Catalog load + validation time, and search time over a spread of queries."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from acupressure_desktop.app import freeze_long_lived
from acupressure_desktop.catalog.cache import load_catalog_cached, write_cached
from acupressure_desktop.catalog.loader import load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
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


def _loads(dirs: ResourceDirs | None, runs: int) -> tuple[float, float]:
    """Median ms of a full load (parse, validate, cross-check, measure) and of the start-up load (the
    validated catalog from its cache, as the app does from its second start on)."""
    load_catalog(dirs)  # warm the file cache
    full = []
    for _ in range(runs):
        started = time.perf_counter()
        catalog = load_catalog(dirs)
        full.append(time.perf_counter() - started)
    cached = []
    with tempfile.TemporaryDirectory() as folder:
        resolved = dirs or ResourceDirs.locate()
        _, key = load_catalog_cached(resolved, Path(folder))
        assert key is not None
        write_cached(Path(folder), key, catalog)
        for _ in range(runs):
            started = time.perf_counter()
            _, missed = load_catalog_cached(resolved, Path(folder))
            cached.append(time.perf_counter() - started)
            assert missed is None, "the cache was not used"
    return statistics.median(full) * 1000, statistics.median(cached) * 1000


def run() -> dict[str, float]:
    full_ms, cached_ms = _loads(None, 15)
    catalog = load_catalog()
    search = PointSearch(catalog)
    started = time.perf_counter()
    search.warm()  # the indexes, built in an idle turn after start-up as the app does
    index_ms = (time.perf_counter() - started) * 1000
    freeze_long_lived()  # as the app does once it has loaded and built the index
    times = []
    for _ in range(20):
        for query in QUERIES:
            started = time.perf_counter()
            search.search(query)
            times.append(time.perf_counter() - started)
    return {
        "catalog_load_ms": round(cached_ms, 2),  # what the app does at start (the cache; see catalog/cache.py)
        "catalog_full_validation_ms": round(full_ms, 2),  # validate-data, and the first start after a change
        "search_index_build_ms": round(index_ms, 2),
        "search_median_ms": round(statistics.median(times) * 1000, 3),
        "search_worst_ms": round(max(times) * 1000, 3),
        "points": float(len(catalog.points)),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
