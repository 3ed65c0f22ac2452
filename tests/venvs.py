"""A fresh venv that sees this interpreter's packages (PySide6, pydantic...) but not its copy of the app."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path


def venv_with_current_packages(folder: Path) -> Path:
    """Create the venv and return its python. A .pth file appends the running environment's
    site-packages, so this works from a venv as well as from a system Python (which
    --system-site-packages would not); the venv's own site-packages still come first."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=120)
    python = folder / "bin" / "python"
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    current = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(own) / "current-packages.pth").write_text("\n".join(sorted(current)) + "\n", encoding="utf-8")
    return python
