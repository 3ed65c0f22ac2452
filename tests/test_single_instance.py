"""A second launch hands its request to the first: private socket, same user only, one instance."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from acupressure_desktop.paths import runtime_dir
from acupressure_desktop.ui.single_instance import (
    InstanceNotAnswering,
    release,
    send_to_running,
    server_name,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

ROOT = Path(__file__).parent.parent


SERVE = """
import sys
from PySide6.QtCore import QCoreApplication
from acupressure_desktop.ui.single_instance import InstanceServer
app = QCoreApplication([])
server = InstanceServer(sys.argv[1])
server.requested.connect(lambda routine: print("requested", routine, flush=True))
print("listening" if server.listening else "not listening", flush=True)
app.exec()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def test_second_launch_reaches_the_first(tmp_path: Path) -> None:
    name = server_name(tmp_path, tmp_path)
    # The first instance is another process; this one is the second launch, which waits for its answer.
    first = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(SERVE), name], stdout=subprocess.PIPE, text=True, env=_env()
    )
    assert first.stdout is not None
    try:
        assert first.stdout.readline().strip() == "listening"
        for routine in ("quick-reset", None):
            assert send_to_running(name, routine) is True  # the first answered: the request was taken
            assert first.stdout.readline().strip() == f"requested {routine}"
    finally:
        first.kill()
        first.communicate()


def test_no_running_instance(tmp_path: Path) -> None:
    name = server_name(tmp_path / "nobody", tmp_path)
    try:
        assert not send_to_running(name, None)  # the first: it now holds the lock
    finally:
        release(name)


def test_names_differ_per_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")


@pytest.mark.skipif(os.name != "posix", reason="a socket file in the runtime folder is POSIX")
def test_the_socket_lives_in_a_private_runtime_folder_never_the_shared_tmp(tmp_path: Path) -> None:
    name = Path(server_name(tmp_path / "data"))
    folder = name.parent
    assert folder != Path("/tmp")
    info = folder.lstat()
    assert info.st_uid == os.getuid()
    assert info.st_mode & 0o777 == 0o700


@pytest.mark.skipif(os.name != "posix", reason="XDG runtime folders are POSIX")
def test_a_planted_or_shared_runtime_folder_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "xdg"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # world-writable: not a private runtime folder
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    planted = tmp_path / "tmp" / f"acupressure-desktop-{os.getuid()}"
    planted.symlink_to(tmp_path / "elsewhere")  # another user's trap: a symlink in the shared /tmp
    (tmp_path / "elsewhere").mkdir(mode=0o755)
    (tmp_path / "elsewhere").chmod(0o755)
    chosen = runtime_dir(tmp_path / "state")
    assert chosen == tmp_path / "state" / "run"
    assert chosen.stat().st_mode & 0o777 == 0o700


HUNG_FIRST = """
import sys, time
from PySide6.QtCore import QCoreApplication
from acupressure_desktop.ui.single_instance import InstanceServer, send_to_running
app = QCoreApplication([])
name = sys.argv[1]
assert not send_to_running(name, None)
server = InstanceServer(name)
assert server.listening
print("listening", flush=True)
app.exec()
"""


def _start_first(name: str) -> subprocess.Popen[str]:
    first = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HUNG_FIRST), name],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert first.stdout is not None
    assert first.stdout.readline().strip() == "listening"
    return first


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX job control signals")
def test_a_stopped_first_instance_times_out_with_a_message(tmp_path: Path) -> None:
    name = server_name(tmp_path, tmp_path)
    first = _start_first(name)
    try:
        assert send_to_running(name, None) is True  # alive: it answers
        os.kill(first.pid, signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(InstanceNotAnswering, match="does not answer"):
            send_to_running(name, "quick-reset")
        assert time.monotonic() - started < 10
    finally:
        os.kill(first.pid, signal.SIGCONT)
        first.kill()
        first.communicate()


LAUNCH = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from acupressure_desktop.ui.single_instance import InstanceServer, send_to_running
app = QCoreApplication([])
name = sys.argv[1]
if send_to_running(name, "r"):
    print("handed over", flush=True)
    sys.exit(0)
server = InstanceServer(name)
print("first" if server.listening else "not listening", flush=True)
taken = []
server.requested.connect(lambda routine: (taken.append(routine), len(taken) == 2 and app.quit()))
QTimer.singleShot(30_000, app.quit)  # a safety net: it quits once both others handed over
app.exec()
"""


@pytest.mark.slow
def test_three_launches_at_the_same_moment_give_one_instance(tmp_path: Path) -> None:
    name = server_name(tmp_path, tmp_path)
    env = _env()
    launches = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(LAUNCH), name], stdout=subprocess.PIPE, text=True, env=env
        )
        for _ in range(3)
    ]
    outputs = sorted(p.communicate(timeout=60)[0].strip() for p in launches)
    assert outputs == ["first", "handed over", "handed over"]


@pytest.mark.skipif(not hasattr(os, "setuid") or not IS_ROOT, reason="needs root to act as another user")
@pytest.mark.slow
def test_another_user_cannot_reach_or_squat_the_socket(tmp_path: Path) -> None:
    name = server_name(tmp_path / "data")
    other_user = 65534  # nobody
    probe = (
        "import os, socket, sys\n"
        f"os.setgid({other_user}); os.setuid({other_user})\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "try:\n"
        "    s.connect(sys.argv[1])\n"
        "    print('connected')\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
        "try:\n"
        "    open(sys.argv[1] + '.planted', 'w')\n"
        "    print('planted')\n"
        "except OSError:\n"
        "    print('cannot plant')\n"
    )
    server_proc = _start_first(name)
    try:
        result = subprocess.run(
            [sys.executable, "-c", probe, name], capture_output=True, text=True, timeout=30, check=False
        )
    finally:
        server_proc.kill()
        server_proc.communicate()
        for leftover in (Path(name), Path(name + ".lock")):  # the shared runtime folder stays tidy
            leftover.unlink(missing_ok=True)
    assert result.stdout.split("\n")[0].startswith("refused"), result
    assert "cannot plant" in result.stdout
