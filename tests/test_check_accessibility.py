"""tools/check-accessibility: the AT-SPI walk of the running app finds no fault (Linux, X11 packages)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "check-accessibility"
SYSTEM_PYTHON = Path("/usr/bin/python3")


def _missing() -> str | None:
    """What the walk needs and this machine lacks (install with tools/install-system-deps --accessibility)."""
    if not sys.platform.startswith("linux"):
        return "AT-SPI is Linux only"
    for tool in ("Xvfb", "dbus-launch"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (xvfb, dbus-x11)"
    if not any(Path(p).exists() for p in ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core")):
        return "at-spi2-core is not installed"
    if not SYSTEM_PYTHON.exists():
        return "no system Python for PyGObject"
    probe = "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"
    if subprocess.run([str(SYSTEM_PYTHON), "-c", probe], capture_output=True).returncode != 0:
        return "python3-gi or gir1.2-atspi-2.0 is not installed"
    return None


@pytest.mark.slow
def test_the_accessible_tree_has_every_hotspot_and_no_unnamed_control(tmp_path: Path) -> None:
    reason = _missing()
    if reason:
        pytest.skip(f"check-accessibility needs system packages: {reason}")
    counts_file = tmp_path / "counts.json"
    result = subprocess.run(
        [str(SYSTEM_PYTHON), str(TOOL), "--python", sys.executable, "--json", str(counts_file)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    counts = json.loads(counts_file.read_text(encoding="utf-8"))
    assert counts["faults"] == []
    assert counts["hotspots_expected"] > 100
    assert counts["hotspots_exposed"] == counts["hotspots_expected"]
    assert counts["main_window"]["unnamed"] == 0
    assert counts["welcome"]["unnamed"] == 0
    assert counts["press_checked"]
    # The Orca run's classes of bug (issue 19): every focusable text object has a text interface
    # (the point details too), a focused list says a selected item.
    assert counts["main_window"]["textless"] == 0
    assert counts["details_textless"] == 0
    assert counts["lists_focused"] >= 1
