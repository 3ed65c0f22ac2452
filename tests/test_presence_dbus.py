"""The QtDBus sources against stand-in services on a private D-Bus daemon (tests/dbus_standin.py).

This runs the real QtDBus code: calls, replies, properties and signals over a real bus.
Skipped where there is no ``dbus-daemon``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusInterface
from pytestqt.qtbot import QtBot

from acupressure_desktop.platform.gdbus import GioCaller
from acupressure_desktop.platform.presence import SourceUnavailable
from acupressure_desktop.reminders import Presence, ReminderSchedule
from acupressure_desktop.ui.presence import (
    DBusNotifier,
    DBusScreenSaver,
    LogindSession,
    MutterIdleMonitor,
    NotificationsInhibited,
    PresenceMonitor,
)

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
STANDIN = Path(__file__).with_name("dbus_standin.py")


@pytest.fixture(scope="module")
def bus_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dbus")
    config = folder / "session.conf"
    config.write_text(
        "<!DOCTYPE busconfig PUBLIC '-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN'"
        " 'http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd'>"
        f"<busconfig><type>session</type><listen>unix:dir={folder}</listen>"
        "<policy context='default'><allow send_destination='*' eavesdrop='true'/>"
        "<allow eavesdrop='true'/><allow own='*'/></policy></busconfig>"
    )
    daemon = subprocess.Popen(
        ["dbus-daemon", "--nofork", "--print-address=1", f"--config-file={config}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
    standin = subprocess.Popen(
        [sys.executable, str(STANDIN), str(daemon.pid)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert standin.stdout is not None
    try:
        assert standin.stdout.readline().strip() == "ready"
        yield address
    finally:
        for process in (standin, daemon):
            process.terminate()
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()


@pytest.fixture(scope="module")
def bus(bus_address: str) -> QDBusConnection:
    # One connection for the module, never disconnected: the sources made in the tests keep
    # proxies on it, and QtDBus aborts when a named connection is dropped and made again.
    connection = QDBusConnection.connectToBus(bus_address, f"acupressure-test-{os.getpid()}")
    assert connection.isConnected()
    return connection


def control(bus: QDBusConnection, path: str, interface: str) -> Callable[..., object]:
    proxy = QDBusInterface(interface if "login1" not in path else "org.freedesktop.login1", path, interface, bus)

    def call(method: str, *args: object) -> object:
        reply = proxy.call(method, *args)
        return reply.arguments()[0] if reply.arguments() else None

    return call


def test_screen_saver_lock_and_idle_with_its_signal(qtbot: QtBot, bus: QDBusConnection) -> None:
    source = DBusScreenSaver(bus, "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver")
    assert source.provides == {"lock", "idle"}
    assert source.read() == Presence(idle_seconds=7.0, locked=False)
    standin = control(bus, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
    with qtbot.waitSignal(source.changed, timeout=3000):
        standin("TestSetActive", True)
    assert source.read().locked is True
    with qtbot.waitSignal(source.changed, timeout=3000):
        standin("TestSetActive", False)
    assert source.read().locked is False


def test_a_missing_service_is_reported_not_raised_later(bus: QDBusConnection) -> None:
    with pytest.raises(SourceUnavailable, match="not on the session bus"):
        DBusScreenSaver(bus, "org.gnome.ScreenSaver", "/org/gnome/ScreenSaver")


def test_mutter_idle_time(bus: QDBusConnection) -> None:
    source = MutterIdleMonitor(bus)
    assert not source.signalled  # read once a minute at most, like X11's
    assert source.read() == Presence(idle_seconds=1.5)
    monitor = PresenceMonitor([source], [])
    assert monitor.polled and monitor.available
    assert "GNOME Mutter idle monitor" in monitor.describe()


def test_logind_locked_hint_and_its_change_signal(qtbot: QtBot, bus: QDBusConnection) -> None:
    source = LogindSession(bus, session_id="1")
    assert source.read() == Presence(locked=False)
    standin = control(bus, "/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session")
    with qtbot.waitSignal(source.changed, timeout=3000):
        standin("TestSetLocked", True)
    assert source.read().locked is True


def test_do_not_disturb_from_the_notification_daemon(bus: QDBusConnection) -> None:
    quiet = NotificationsInhibited(bus)
    assert quiet.busy() is None
    standin = control(bus, "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
    standin("TestSetInhibited", True)
    assert quiet.busy() == "do not disturb"
    monitor = PresenceMonitor([], [quiet])
    assert monitor.busy(ReminderSchedule()) == "do not disturb"
    assert monitor.busy(ReminderSchedule(respect_do_not_disturb=False)) is None
    standin("TestSetInhibited", False)
    assert quiet.busy() is None


def test_a_notification_with_buttons_and_the_answer(qtbot: QtBot, bus: QDBusConnection, bus_address: str) -> None:
    notifier = DBusNotifier(bus, caller=GioCaller(bus_address))
    assert notifier.show("Time for a short break", "Quick reset · 4 min", [("start", "Start"), ("skip", "Skip")])
    standin = control(bus, "/org/freedesktop/Notifications", "org.freedesktop.Notifications")
    assert str(standin("TestShown")).splitlines()[-1] == "Time for a short break|start,Start,skip,Skip"
    notification = notifier._id
    assert notification is not None
    # The stand-in cannot send ActionInvoked itself: its first argument is a uint32, which PySide6
    # cannot marshal (the reason Notify goes through GIO). The answer is fed to the slot QtDBus calls.
    with qtbot.waitSignal(notifier.actionInvoked, timeout=3000) as answered:
        notifier._on_action(notification, "start")
    assert answered.args == ["start"]
    notifier._on_action(notification, "skip")  # an answer to a notification no longer shown: ignored
    assert notifier.show("Bedtime wind-down", "It's 22:30 \\ 'quoted'\nnext line", [("skip", "Skip")])
    assert str(standin("TestShown")).splitlines()[-1] == "Bedtime wind-down|skip,Skip"
    notifier.close_notification()
    assert str(standin("TestShown")).splitlines()[-1].startswith("closed ")
