"""The built wheel carries data/ and assets/ and works from any folder, outside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.venvs import venv_with_current_packages

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (built,) = out.glob("*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_every_data_file_and_body_map(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("data", "assets"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                inside = f"acupressure_desktop/_resources/{path.relative_to(ROOT).as_posix()}"
                assert inside in names, f"{inside} missing from the wheel"


@pytest.mark.slow
def test_installed_wheel_loads_the_catalog_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    python = venv_with_current_packages(venv)  # PySide6 and pydantic from here; the wheel goes in the venv
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import acupressure_desktop; print(acupressure_desktop.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in where.stdout, "the installed wheel, not the checkout, must be imported"
    result = subprocess.run(
        [str(venv / "bin" / "acupressure-desktop"), "catalog", "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    source_points = sum(len(json.loads(p.read_text())) for p in (ROOT / "data" / "points").glob("*.json"))
    assert len(document["points"]) == source_points > 0
    assert len(document["views"]) == len(json.loads((ROOT / "data" / "views.json").read_text()))
