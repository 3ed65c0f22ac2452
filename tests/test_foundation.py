"""Foundation guarantees: the PySide6 refcount pitfall, the layering rule, folders, CLI basics."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from acupressure_desktop import __version__
from acupressure_desktop.cli import main
from acupressure_desktop.paths import HOME_ENV, AppPaths, PathsError

PACKAGE = Path(__file__).resolve().parent.parent / "acupressure_desktop"
VOID_CALLS = 60_000


def test_many_void_qt_calls_do_not_crash_the_interpreter() -> None:
    """PySide6 6.12.0 on Python 3.11 aborted after ~5,200 void calls (none_dealloc)."""
    script = f"""
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range({VOID_CALLS}):
    label.setText("x")
    label.resize(10 + i % 5, 10)
print("done")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "done"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# Qt-free core: no PySide6 at all. svgcheck may use QtGui/QtSvg (never widgets) for validate-data.
QT_FREE = [
    "domain",
    "catalog",
    "session",
    "storage",
    "platform",
    "paths.py",
    "settings.py",
    "reminders.py",
    "streaks.py",
    "fileio.py",
]
ALLOWED_QT = {PACKAGE / "catalog" / "svgcheck.py": {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtSvg"}}


def _core_files() -> list[Path]:
    files: list[Path] = []
    for entry in QT_FREE:
        target = PACKAGE / entry
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target] if target.exists() else [])
    return files


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_never_imports_qt(path: Path) -> None:
    qt = {name for name in _imports(path) if name.split(".")[0] in ("PySide6", "shiboken6")}
    assert qt <= ALLOWED_QT.get(path, set()), f"{path.name} imports {sorted(qt)}"
    ui = {name for name in _imports(path) if name.startswith(("acupressure_desktop.ui", "acupressure_desktop.app"))}
    assert not ui, f"{path.name} imports the UI layer: {sorted(ui)}"


def test_only_ui_imports_qtwidgets() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(name.startswith("PySide6.QtWidgets") or name == "PySide6.QtSvgWidgets" for name in _imports(path))
        and "ui" not in path.relative_to(PACKAGE).parts
        and path.name != "app.py"
    ]
    assert offenders == []


def test_home_puts_every_folder_under_one_root(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "portable")
    assert {p.parent for p in (paths.data, paths.config, paths.state)} == {tmp_path / "portable"}


def test_home_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "env-home"))
    assert AppPaths.resolve().data == tmp_path / "env-home" / "data"


def test_xdg_variables_are_honoured(tmp_path: Path) -> None:
    paths = AppPaths.resolve()
    if sys.platform.startswith("linux"):
        assert paths.data == Path(os.environ["XDG_DATA_HOME"]) / "acupressure-desktop"
        assert paths.config == Path(os.environ["XDG_CONFIG_HOME"]) / "acupressure-desktop"
        assert paths.state == Path(os.environ["XDG_STATE_HOME"]) / "acupressure-desktop"
    assert str(paths.data).startswith(str(tmp_path))


def test_home_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    with pytest.raises(PathsError, match="is a file"):
        AppPaths.resolve(target)


def test_cli_home_file_gives_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    assert main(["--home", str(target), "history", "export", "--format", "csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is a file" in err


def test_cli_uncreatable_home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert main(["--home", str(blocker / "sub"), "history", "export", "--format", "csv"]) == 2
    assert "cannot create folder" in capsys.readouterr().err
    assert blocker.read_text() == "x"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"acupressure-desktop {__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["--screenshot", "x.png", "--size", "huge"],
        ["--screenshot", "x.png", "--theme", "purple"],
        ["history", "export", "--format", "xml"],
        ["validate-data", "a", "b"],
        ["--view", "face"],
        ["catalog"],
    ],
)
def test_bad_arguments_exit_2_without_traceback(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [[], ["catalog"], ["validate-data"], ["history"], ["history", "export"]])
def test_help_for_each_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    assert info.value.code == 0
    assert "usage: acupressure-desktop" in capsys.readouterr().out


def test_python_dash_m_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "acupressure_desktop", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and __version__ in result.stdout


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    root = PACKAGE.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = next(line.strip() for line in readme.splitlines() if "pytest" in line and not line.startswith("#"))
    assert command in (root / ".ci" / "run").read_text(encoding="utf-8")


def _timer_faults(path: Path) -> list[str]:
    """Single-shot timers without a receiver and QTimers without a parent outlive their widgets."""
    faults: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "singleShot" and len(node.args) < 3:
            faults.append(f"{path.name}:{node.lineno}: singleShot without a receiver")
        elif name == "QTimer" and not node.args and not node.keywords:
            faults.append(f"{path.name}:{node.lineno}: QTimer without a parent")
    return faults


def test_every_timer_has_an_owner() -> None:
    faults = [fault for path in sorted(PACKAGE.rglob("*.py")) for fault in _timer_faults(path)]
    assert faults == [], "\n".join(faults)


def test_the_timer_check_sees_an_ownerless_timer(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("QTimer.singleShot(0, go)\nt = QTimer()\nQTimer.singleShot(0, self, go)\nQTimer(self)\n")
    assert _timer_faults(sample) == [
        "sample.py:1: singleShot without a receiver",
        "sample.py:2: QTimer without a parent",
    ]
