"""Stand-in desktop services on a private D-Bus daemon, for tests/test_presence_dbus.py.

Run as a program with DBUS_SESSION_BUS_ADDRESS pointing at the private bus. It plays:
org.freedesktop.ScreenSaver, Mutter's IdleMonitor, org.freedesktop.Notifications (with the
Inhibited property) and logind (Manager.GetSession and a session's LockedHint). Each has
a ``Test*`` method so that the test can change its state and make it signal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from signal import SIGTERM

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import ClassInfo, Property, QCoreApplication, QObject, QTimer, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusObjectPath

app = QCoreApplication(sys.argv[:1])
bus = QDBusConnection.sessionBus()
EXPORT = (
    QDBusConnection.RegisterOption.ExportAllSlots
    | QDBusConnection.RegisterOption.ExportAllSignals
    | QDBusConnection.RegisterOption.ExportAllProperties
)


def signal(path: str, interface: str, name: str, *args: object) -> None:
    message = QDBusMessage.createSignal(path, interface, name)
    message.setArguments(list(args))
    bus.send(message)


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.idle = 7

    @Slot(result=bool)
    def GetActive(self) -> bool:
        return self.active

    @Slot(result="uint")
    def GetSessionIdleTime(self) -> int:
        return self.idle

    @Slot(bool)
    def TestSetActive(self, active: bool) -> None:
        self.active = active
        signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", active)


@ClassInfo({"D-Bus Interface": "org.gnome.Mutter.IdleMonitor"})
class IdleMonitor(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.idle_ms = 1500

    @Slot(result="qulonglong")
    def GetIdletime(self) -> int:
        return self.idle_ms


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Notifications(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._inhibited = False
        self.shown: list[str] = []

    def _get_inhibited(self) -> bool:
        return self._inhibited

    Inhibited = Property(bool, _get_inhibited)

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:
        return ["actions", "body"]

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(
        self, app: str, replaces: int, icon: str, summary: str, body: str, actions: list[str], hints: dict, timeout: int
    ) -> int:
        self.shown.append(f"{summary}|{','.join(actions)}")
        return len(self.shown)

    @Slot("uint")
    def CloseNotification(self, notification: int) -> None:
        self.shown.append(f"closed {notification}")

    @Slot(result=str)
    def TestShown(self) -> str:
        return "\n".join(self.shown)

    @Slot(bool)
    def TestSetInhibited(self, inhibited: bool) -> None:
        self._inhibited = inhibited


@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Manager"})
class LoginManager(QObject):
    @Slot(str, result=QDBusObjectPath)
    def GetSession(self, session_id: str) -> QDBusObjectPath:
        return QDBusObjectPath(f"/org/freedesktop/login1/session/_3{session_id}")


@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Session"})
class LoginSession(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._locked = False

    def _get_locked(self) -> bool:
        return self._locked

    LockedHint = Property(bool, _get_locked)

    @Slot(bool)
    def TestSetLocked(self, locked: bool) -> None:
        self._locked = locked
        signal(
            "/org/freedesktop/login1/session/_31",
            "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            "org.freedesktop.login1.Session",
            {"LockedHint": locked},
            ["IdleHint"],  # PySide marshals an empty list as "av"; logind sends "as"
        )


objects = {
    "/org/freedesktop/ScreenSaver": ScreenSaver(),
    "/org/gnome/Mutter/IdleMonitor/Core": IdleMonitor(),
    "/org/freedesktop/Notifications": Notifications(),
    "/org/freedesktop/login1": LoginManager(),
    "/org/freedesktop/login1/session/_31": LoginSession(),
}
for path, obj in objects.items():
    if not bus.registerObject(path, obj, EXPORT):
        sys.exit(f"cannot register {path}")
for name in (
    "org.freedesktop.ScreenSaver",
    "org.gnome.Mutter.IdleMonitor",
    "org.freedesktop.Notifications",
    "org.freedesktop.login1",
):
    if not bus.registerService(name):
        sys.exit(f"cannot own {name}")
PARENT = os.getppid()
DAEMON = int(sys.argv[1]) if len(sys.argv) > 1 else None


def orphaned() -> None:
    """The test process died without its teardown: take the private bus daemon down too, and leave."""
    if os.getppid() != PARENT:
        if DAEMON is not None:
            with contextlib.suppress(OSError):
                os.kill(DAEMON, SIGTERM)
        app.quit()


watchdog = QTimer(app)
watchdog.timeout.connect(orphaned)
watchdog.start(1000)
print("ready", flush=True)
app.exec()
