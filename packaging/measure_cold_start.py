"""Cold start of the bundle against the installed wheel: time from spawn to exit of `--screenshot`.

    python3 packaging/measure_cold_start.py    # after packaging/build-bundle.sh

Both run the same command in a fresh process, alternating, with a clean environment and an
empty user folder; one untimed run each first, so both start from a warm disk cache. The wheel
is built from this checkout (`python -m build --wheel`) and installed with its dependencies
into a fresh venv (build/wheel-venv, reused across runs; the wheel is reinstalled each time).
Figures: medians in seconds, their ratio (target <= 1.5), and the bundle's unpacked size.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "acupressure-desktop"
WHEEL_VENV = ROOT / "build" / "wheel-venv"
RUNS = 5


def _folder_bytes(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() or path.is_symlink())


def _install_wheel(python: str = sys.executable) -> Path:
    """Build the wheel and install it (with dependencies, not editable) into a fresh venv."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([python, "-m", "build", "--wheel", "--outdir", out, str(ROOT)], check=True, capture_output=True)
        (wheel,) = Path(out).glob("*.whl")
        if not (WHEEL_VENV / "bin" / "python").exists():
            subprocess.run([python, "-m", "venv", str(WHEEL_VENV)], check=True)
        pip = [str(WHEEL_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, str(wheel)], check=True)
        subprocess.run([*pip, "--force-reinstall", "--no-deps", str(wheel)], check=True)
    return WHEEL_VENV / "bin" / "acupressure-desktop"


def _time_once(command: Path, home: Path, shot: Path) -> float:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    result = subprocess.run([str(command), "--screenshot", str(shot)], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or not shot.is_file():
        raise RuntimeError(f"{command} --screenshot failed ({result.returncode}): {result.stderr[-2000:]}")
    shot.unlink()
    return elapsed


def run() -> dict[str, float | str]:
    bundle_exe = BUNDLE / "acupressure-desktop"
    if not bundle_exe.is_file():
        return {"error": f"no bundle at {BUNDLE}: run packaging/build-bundle.sh first"}
    wheel_exe = _install_wheel()
    times: dict[str, list[float]] = {"bundle": [], "wheel": []}
    with tempfile.TemporaryDirectory() as scratch:
        shot = Path(scratch) / "shot.png"
        for label, exe in (("bundle", bundle_exe), ("wheel", wheel_exe)):
            home = Path(scratch) / f"home-{label}"
            home.mkdir()
            _time_once(exe, home, shot)  # warm-up, untimed
        for _ in range(RUNS):
            for label, exe in (("bundle", bundle_exe), ("wheel", wheel_exe)):
                times[label].append(_time_once(exe, Path(scratch) / f"home-{label}", shot))
    bundle_s = statistics.median(times["bundle"])
    wheel_s = statistics.median(times["wheel"])
    return {
        "bundle_cold_start_s": round(bundle_s, 3),
        "wheel_cold_start_s": round(wheel_s, 3),
        "bundle_over_wheel": round(bundle_s / wheel_s, 3),
        "bundle_unpacked_mb": round(_folder_bytes(BUNDLE) / 1e6, 1),
        "bundle_runs_s": " ".join(f"{t:.3f}" for t in times["bundle"]),
        "wheel_runs_s": " ".join(f"{t:.3f}" for t in times["wheel"]),
    }


if __name__ == "__main__":
    os.chdir(ROOT)
    figures = run()
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    sys.exit(1 if "error" in figures else 0)
