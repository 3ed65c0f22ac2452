"""The interactive start: requests wait for the load and the safety notice, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from acupressure_desktop.ui import startup as startup_module
from acupressure_desktop.ui.startup import Startup


@dataclass
class FakeSettings:
    start_minimised: bool = False


@dataclass
class FakeShell:
    accept_notice: bool = True
    settings: FakeSettings = field(default_factory=FakeSettings)
    handled: list[str | None] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def handle_launch_request(self, routine_id: str | None) -> None:
        self.handled.append(routine_id)

    def ensure_notice_accepted(self) -> bool:
        self.events.append("notice")
        return self.accept_notice


class FakeGui:
    def __init__(self, window: QWidget, shell: FakeShell, loads: bool = True) -> None:
        self.window: Any = window
        self.shell: Any = None
        self._shell = shell
        self._loads = loads
        self.history_done: Callable[[], None] = lambda: None

    def load(self) -> bool:
        self._shell.events.append("load")
        if self._loads:
            self.shell = self._shell
        return self._loads

    def open_history(self, done: Callable[[], None]) -> None:
        self._shell.events.append("history")
        self.history_done = done  # the worker's end, called by the test

    def tell_notices(self) -> None:
        self._shell.events.append("notices")


class FakeApp:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def exit(self, code: int) -> None:
        self.calls.append(f"exit {code}")

    def quit(self) -> None:
        self.calls.append("quit")


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> FakeApp:
    fake = FakeApp()
    monkeypatch.setattr(startup_module, "QCoreApplication", fake)
    return fake


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_requests_wait_for_the_load_and_the_notice_then_run_in_order(
    qtbot: QtBot, window: QWidget, app: FakeApp
) -> None:
    shell = FakeShell()
    gui = FakeGui(window, shell)
    start = Startup(gui, minimised=False, tray_available=False)
    assert window.isVisible()  # the first paint comes before the load
    start.request("from-the-command-line")
    start.request("from-a-second-launch")
    start.begin()
    assert shell.handled == []
    qtbot.waitUntil(lambda: shell.events == ["load", "history", "notice"])
    assert not start.ready and shell.handled == []  # the history is still opening
    gui.history_done()
    assert start.ready
    assert shell.events == ["load", "history", "notice", "notices"]  # the safety notice comes first
    assert shell.handled == ["from-the-command-line", "from-a-second-launch"]
    start.request(None)  # once ready, at once
    assert shell.handled[-1] is None
    assert app.calls == []


def test_a_declined_notice_quits_without_running_any_request(window: QWidget, app: FakeApp) -> None:
    shell = FakeShell(accept_notice=False)
    start = Startup(FakeGui(window, shell), minimised=False, tray_available=False)
    start.request("quick-reset")
    start.finish()
    assert app.calls == ["quit"] and shell.handled == [] and not start.ready


def test_damaged_data_exits_with_an_error(window: QWidget, app: FakeApp) -> None:
    shell = FakeShell()
    start = Startup(FakeGui(window, shell, loads=False), minimised=False, tray_available=False)
    start.finish()
    assert app.calls == ["exit 1"] and shell.events == ["load"]


@pytest.mark.parametrize(
    ("quick_look", "saved", "tray", "visible"),
    [
        (True, True, True, False),  # minimised to the tray, as asked
        (True, True, False, True),  # no tray to bring it back: shown
        (True, False, True, True),  # the validated settings disagree with the quick look
        (False, False, True, True),
    ],
)
def test_start_minimised_only_with_a_tray(
    window: QWidget, app: FakeApp, quick_look: bool, saved: bool, tray: bool, visible: bool
) -> None:
    shell = FakeShell(settings=FakeSettings(start_minimised=saved))
    start = Startup(FakeGui(window, shell), minimised=quick_look, tray_available=tray)
    start.finish()
    assert window.isVisible() is visible


def test_the_history_may_open_before_the_notice_is_accepted(window: QWidget, app: FakeApp) -> None:
    shell = FakeShell()
    gui = FakeGui(window, shell)
    gui.open_history = lambda done: done()  # type: ignore[method-assign]  # a quick worker
    start = Startup(gui, minimised=False, tray_available=False)
    start.request("quick-reset")
    start.finish()
    assert start.ready and shell.handled == ["quick-reset"]
    assert shell.events == ["load", "notice", "notices"]
