"""A second launch hands its request to the running instance."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from acupressure_desktop.ui.single_instance import InstanceServer, send_to_running, server_name


def test_second_launch_reaches_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path)
    server = InstanceServer(name)
    assert server.listening
    with qtbot.waitSignal(server.requested, timeout=3000) as blocker:
        assert send_to_running(name, "quick-reset")
    assert blocker.args == ["quick-reset"]
    with qtbot.waitSignal(server.requested, timeout=3000) as blocker:
        assert send_to_running(name, None)
    assert blocker.args == [None]


def test_no_running_instance(tmp_path: Path) -> None:
    assert not send_to_running(server_name(tmp_path / "nobody"), None)


def test_names_differ_per_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
