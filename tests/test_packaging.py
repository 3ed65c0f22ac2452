"""Distribution files: the app icon, the Linux desktop entry and metainfo, the PyInstaller spec, the sdist.

Fast checks only; the bundle itself is built and smoke-tested by packaging/build-bundle.sh, and
the reference validators run in CI through packaging/check-desktop-files.
"""

from __future__ import annotations

import ast
import configparser
import datetime
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from acupressure_desktop import APP_ID, APP_NAME, __version__
from acupressure_desktop.catalog.resources import ResourceDirs
from tests.venvs import venv_with_current_packages

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICON_SVG = ROOT / "assets" / "icons" / "acupressure-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
SPEC = PACKAGING / "acupressure-desktop.spec"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem.replace("-", "_"), path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _desktop_entry() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser


def _routines() -> dict[str, dict[str, object]]:
    path = ResourceDirs.locate().data / "routines.json"
    if not path.is_file():
        pytest.skip(f"{path} does not exist yet: the desktop actions cannot be checked against it")
    return {routine["id"]: routine for routine in json.loads(path.read_text(encoding="utf-8"))}


# --- the icon --------------------------------------------------------------------------------


def test_icon_svg_renders_without_qt_warnings(qapp: QApplication) -> None:
    # Qt warnings fail the test through pytest-qt (qt_log_level_fail = WARNING).
    renderer = QSvgRenderer(str(ICON_SVG))
    assert renderer.isValid()
    assert renderer.viewBoxF().width() == renderer.viewBoxF().height(), "the icon must be square"
    module = _load_script(PACKAGING / "render-icons.py")
    image = module.render(renderer, 128)  # one pixel per viewBox unit
    assert image.pixelColor(1, 1).alpha() == 0, "the corners outside the rounded tile stay transparent"
    teal, palm, dot = image.pixelColor(12, 64), image.pixelColor(80, 90), image.pixelColor(52, 76)
    assert teal.alpha() == 255 and teal.green() > teal.red() + 60 and teal.blue() > teal.red() + 60, teal.name()
    assert palm.name() == "#ffffff", f"the hand is white, not {palm.name()}"
    assert dot.name() == "#f2994a", f"the LI4 dot is warm orange, not {dot.name()}"


@pytest.mark.parametrize("size", PNG_SIZES)
def test_every_png_size_exists_with_its_pixel_size(qapp: QApplication, size: int) -> None:
    path = ROOT / "assets" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    image = QImage(str(path))
    assert not image.isNull(), f"{path.relative_to(ROOT)} is missing or not an image"
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_pngs_ico_and_icns_match_a_fresh_render_of_the_svg(qapp: QApplication) -> None:
    """Editing the SVG without running packaging/render-icons.py leaves stale icons: caught here."""
    module = _load_script(PACKAGING / "render-icons.py")
    renderer = QSvgRenderer(str(ICON_SVG))
    for size in PNG_SIZES:
        stored = QImage(str(module.png_path(size))).convertToFormat(QImage.Format.Format_ARGB32)
        fresh = module.render(renderer, size)
        a, b = bytes(stored.constBits()), bytes(fresh.constBits())
        if a != b:  # allow a rounding step or two between Qt versions, not a different drawing
            mean = sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
            assert mean < 1.0, f"{size}x{size} PNG differs from the SVG (mean {mean:.2f}/255): run render-icons.py"
    for path, expected in ((module.ICO, module.ICO_SIZES), (module.ICNS, [s for _, s in module.ICNS_TYPES])):
        reader = QImageReader(str(path))
        sizes = []
        for index in range(reader.imageCount()):
            reader.jumpToImage(index)
            sizes.append(reader.read().width())
        assert sorted(sizes) == sorted(expected), f"{path.name}: {sizes}"


def test_render_icons_check_mode_reports_a_stale_file(tmp_path: Path, qapp: QApplication) -> None:
    module = _load_script(PACKAGING / "render-icons.py")
    module.HICOLOR = tmp_path / "hicolor"  # an empty tree: every PNG is missing
    module.ICO, module.ICNS = tmp_path / "a.ico", tmp_path / "a.icns"
    module.ROOT = tmp_path
    assert module.main(["--check"]) == 1
    assert not module.ICO.exists(), "--check must not write"
    assert module.main([]) == 0
    assert module.main(["--check"]) == 0


def test_packaging_scripts_use_the_apps_id() -> None:
    assert _load_script(PACKAGING / "render-icons.py").APP_ID == APP_ID
    assert _spec_constant("APP_ID") == APP_ID
    assert f'app_id="{APP_ID}"' in (PACKAGING / "linux" / "install-desktop-files").read_text()
    assert f'app_id="{APP_ID}"' in (PACKAGING / "check-desktop-files").read_text()


# --- the desktop entry --------------------------------------------------------------------------


def test_desktop_entry_names_the_app_id_icon_and_command() -> None:
    entry = _desktop_entry()["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == APP_NAME
    assert APP_NAME in PYPROJECT["project"]["scripts"], "Exec runs a command the wheel does not install"
    assert entry["StartupWMClass"] == APP_NAME  # Qt's X11 WM_CLASS is the executable's name
    # The icon theme files the Icon= key resolves to.
    assert ICON_SVG.is_file()
    for size in PNG_SIZES:
        assert (ROOT / "assets" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{entry['Icon']}.png").is_file()


def test_desktop_actions_start_routines_that_exist_with_the_stated_length() -> None:
    routines = _routines()
    desktop = _desktop_entry()
    actions = [a for a in desktop["Desktop Entry"]["Actions"].split(";") if a]
    assert 2 <= len(actions) <= 3
    groups = {name.removeprefix("Desktop Action ") for name in desktop.sections() if name.startswith("Desktop Action")}
    assert groups == set(actions)
    for action in actions:
        group = desktop[f"Desktop Action {action}"]
        match = re.fullmatch(rf"{APP_NAME} --routine ([a-z0-9-]+)", group["Exec"])
        assert match, f"{action}: Exec={group['Exec']!r}"
        routine_id = match.group(1)
        assert routine_id in routines, f"{action}: routine {routine_id!r} is not in routines.json"
        steps = routines[routine_id]["steps"]
        assert isinstance(steps, list)
        minutes = round(sum(step["seconds"] for step in steps) / 60)
        assert f"({minutes} min)" in group["Name"], f"{action}: the routine lasts about {minutes} min"


# --- the AppStream metainfo ----------------------------------------------------------------------


def test_metainfo_has_the_elements_software_centres_need() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    text = {tag: (root.findtext(tag) or "").strip() for tag in ("id", "name", "summary", "project_license")}
    assert text["id"] == APP_ID
    assert text["name"] == "Acupressure Desktop"
    assert text["summary"]
    assert text["project_license"] == PYPROJECT["project"]["license"] == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("developer/name") == "Acupressure Desktop developers"
    assert len(root.findall("description/p")) >= 1 and len(root.findall("description/ul/li")) >= 3
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("url[@type='homepage']") == PYPROJECT["project"]["urls"]["Homepage"]
    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    assert root.findtext("provides/binary") == APP_NAME


def test_metainfo_releases_list_the_current_version_first_with_a_date() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "no <release>"
    assert releases[0].get("version") == __version__, "add a <release> for the version in __init__.py"
    for release in releases:
        datetime.date.fromisoformat(release.get("date", ""))


def test_metainfo_screenshots_are_https_and_made_by_make_screenshots() -> None:
    shots = ET.parse(METAINFO).getroot().findall("screenshots/screenshot")
    assert shots and [s.get("type") for s in shots].count("default") == 1
    made = set(re.findall(r"^shoot (\S+\.png)", (PACKAGING / "make-screenshots").read_text(), re.MULTILINE))
    for shot in shots:
        assert (shot.findtext("caption") or "").strip()
        url = shot.findtext("image") or ""
        assert url.startswith("https://raw.githubusercontent.com/acupressure-desktop/acupressure-desktop/main/")
        assert url.rsplit("/", 1)[-1] in made, f"{url}: packaging/make-screenshots does not make it"


# --- validators, when installed (CI runs packaging/check-desktop-files) ---------------------------


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_file_validate_is_silent() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_appstreamcli_validates_the_installed_tree(tmp_path: Path) -> None:
    subprocess.run([str(PACKAGING / "linux" / "install-desktop-files"), "--destdir", str(tmp_path), "/usr"], check=True)
    result = subprocess.run(
        ["appstreamcli", "validate-tree", "--no-net", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_install_desktop_files_lays_out_the_hicolor_theme(tmp_path: Path) -> None:
    subprocess.run(
        [str(PACKAGING / "linux" / "install-desktop-files"), "--destdir", str(tmp_path), "/usr"],
        check=True,
        capture_output=True,
    )
    share = tmp_path / "usr" / "share"
    assert (share / "applications" / DESKTOP.name).read_bytes() == DESKTOP.read_bytes()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == ICON_SVG.read_bytes()
    for size in PNG_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()


@pytest.mark.parametrize(
    "script",
    ["check-desktop-files", "build-bundle.sh", "make-screenshots", "render-icons.py", "linux/install-desktop-files"],
)
def test_packaging_scripts_are_executable_and_parse(script: str) -> None:
    path = PACKAGING / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    if path.suffix != ".py":
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


# --- the PyInstaller spec ------------------------------------------------------------------------


def _spec_constant(name: str) -> object:
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{SPEC.name} defines no {name}")


def test_spec_places_data_and_assets_where_the_resource_locator_looks() -> None:
    resources = _spec_constant("RESOURCES")
    # The wheel's layout (pyproject force-include) is what resources.py finds when installed.
    force_include = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force_include == {"data": f"{resources}/data", "assets": f"{resources}/assets"}
    assert resources == "acupressure_desktop/_resources"
    source = SPEC.read_text(encoding="utf-8")
    assert '(str(ROOT / "data"), f"{RESOURCES}/data")' in source
    assert '(str(ROOT / "assets"), f"{RESOURCES}/assets")' in source
    assert "bundle_entry.py" in source and (PACKAGING / "bundle_entry.py").is_file()


def test_spec_excludes_no_qt_module_the_app_imports() -> None:
    excluded = set(_spec_constant("UNUSED_QT"))  # type: ignore[call-overload]
    used = set()
    for path in (ROOT / "acupressure_desktop").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "the app imports no Qt module? the scan is broken"
    assert not used & excluded, f"the spec excludes modules the app imports: {sorted(used & excluded)}"
    assert {"QtWebEngineCore", "QtMultimedia", "QtQml", "QtQuick", "QtPdf"} <= excluded


# --- wheel and sdist -----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_sdist_builds_a_wheel_that_runs_from_another_folder(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],  # the wheel is built from the sdist
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    with tarfile.open(sdist) as archive:
        sdist_names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("LICENSE", "README.md", SPEC.relative_to(ROOT).as_posix(), DESKTOP.relative_to(ROOT).as_posix()):
        assert needed in sdist_names, f"{needed} missing from the sdist"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert f"acupressure_desktop/_resources/assets/icons/{ICON_SVG.name}" in names
    for field in ("License-Expression: MIT", "Project-URL: Homepage", "Classifier: ", "Requires-Python: "):
        assert field in metadata
    assert "Description-Content-Type: text/markdown" in metadata

    venv = tmp_path / "venv"
    venv_with_current_packages(venv)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import acupressure_desktop; print(acupressure_desktop.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in where.stdout, "the wheel built from the sdist, not the checkout, must run"
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [str(venv / "bin" / APP_NAME), "--home", str(tmp_path / "home"), "--screenshot", str(shot)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert QImage(str(shot)).size().width() > 0
