"""Presence and quiet-time sources over D-Bus (QtDBus, part of PySide6-Essentials), and the monitor.

* logind's session ``LockedHint`` (system bus), with its change signal.
* ``org.freedesktop.ScreenSaver`` (KDE and others) and ``org.gnome.ScreenSaver``: whether the
  screen is locked (``GetActive`` and ``ActiveChanged``); KDE also answers ``GetSessionIdleTime``.
* Mutter's ``IdleMonitor`` (GNOME, also under Wayland): idle time.
* The notification daemon's ``Inhibited`` property: the desktop's do-not-disturb.

Every call has a short timeout: a hung service must not freeze the window. A source that
does not answer at start-up is left out, and Settings says what is missing.
:class:`PresenceMonitor` combines them with the ctypes sources of ``acupressure_desktop.platform``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import SLOT, QAbstractNativeEventFilter, QCoreApplication, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

from acupressure_desktop import APP_TITLE
from acupressure_desktop.platform.busy import BusySource, RunningPrograms, native_busy_sources
from acupressure_desktop.platform.gdbus import GioCaller, strings, text
from acupressure_desktop.platform.presence import PresenceSource, SourceUnavailable, combine, native_sources
from acupressure_desktop.reminders import Presence, ReminderSchedule

CALL_TIMEOUT_MS = 400


def _value(message: QDBusMessage) -> Any:
    """The first reply argument, unwrapped from a D-Bus variant; None on an error reply."""
    if message.type() != QDBusMessage.MessageType.ReplyMessage or not message.arguments():
        return None
    value = message.arguments()[0]
    variant = getattr(value, "variant", None)
    return variant() if callable(variant) else value


def _interface(bus: QDBusConnection, service: str, path: str, interface: str) -> QDBusInterface:
    proxy = QDBusInterface(service, path, interface, bus)
    proxy.setTimeout(CALL_TIMEOUT_MS)
    return proxy


def _subscribe(bus: QDBusConnection, *arguments: Any) -> bool:
    """``QDBusConnection.connect`` with a ``SLOT()`` string, which PySide6 takes though its stubs say bytes."""
    connect: Any = bus.connect
    return bool(connect(*arguments))


def _registered(bus: QDBusConnection, service: str) -> bool:
    if not bus.isConnected():
        return False
    reply = bus.interface().isServiceRegistered(service)
    return bool(reply.value()) if reply.isValid() else False


class DBusScreenSaver(QObject):
    """``GetActive`` / ``ActiveChanged`` of a screen saver service: the lock screen is up."""

    changed = Signal()
    provides = frozenset({"lock"})
    signalled = True

    def __init__(self, bus: QDBusConnection, service: str, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not _registered(bus, service):
            raise SourceUnavailable(f"{service} is not on the session bus")
        self.name = service
        self._proxy = _interface(bus, service, path, service)
        if _value(self._proxy.call("GetActive")) is None:
            raise SourceUnavailable(f"{service} does not answer GetActive")
        self._idle = _value(self._proxy.call("GetSessionIdleTime")) is not None  # KDE only
        if self._idle:
            self.provides = frozenset({"lock", "idle"})
            self.signalled = False  # idle time has no signal here
        self._locked: bool | None = None
        _subscribe(bus, service, path, service, "ActiveChanged", self, SLOT("_on_active(bool)"))

    @Slot(bool)
    def _on_active(self, active: bool) -> None:
        self._locked = bool(active)
        self.changed.emit()

    def read(self) -> Presence:
        if self._locked is None or self._idle:
            active = _value(self._proxy.call("GetActive"))
            self._locked = None if active is None else bool(active)
        idle = _value(self._proxy.call("GetSessionIdleTime")) if self._idle else None
        return Presence(idle_seconds=None if idle is None else float(idle), locked=self._locked)

    def close(self) -> None:
        pass


class MutterIdleMonitor(QObject):
    """GNOME's idle monitor (also under Wayland, where X11 cannot see input): idle time on request.

    Mutter also offers watches (``AddIdleWatch``) that would make polling unnecessary, but they
    take a ``uint64`` argument, and PySide6 marshals a Python int as ``int32`` or ``int64``
    only; Mutter refuses those. So this source is read, like X11's, once a minute at most.
    """

    changed = Signal()
    name = "GNOME Mutter idle monitor"
    provides = frozenset({"idle"})
    signalled = False
    SERVICE = "org.gnome.Mutter.IdleMonitor"
    PATH = "/org/gnome/Mutter/IdleMonitor/Core"

    def __init__(self, bus: QDBusConnection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not _registered(bus, self.SERVICE):
            raise SourceUnavailable(f"{self.SERVICE} is not on the session bus")
        self._proxy = _interface(bus, self.SERVICE, self.PATH, self.SERVICE)
        if _value(self._proxy.call("GetIdletime")) is None:
            raise SourceUnavailable("the Mutter idle monitor does not answer")

    def read(self) -> Presence:
        idle = _value(self._proxy.call("GetIdletime"))
        return Presence(idle_seconds=None if idle is None else int(idle) / 1000.0)

    def close(self) -> None:
        pass


class LogindSession(QObject):
    """The session's ``LockedHint`` on the system bus, with its PropertiesChanged signal."""

    changed = Signal()
    name = "logind session lock"
    provides = frozenset({"lock"})
    signalled = True
    SERVICE = "org.freedesktop.login1"
    INTERFACE = "org.freedesktop.login1.Session"

    def __init__(self, bus: QDBusConnection, session_id: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not _registered(bus, self.SERVICE):
            raise SourceUnavailable("logind is not on the system bus")
        manager = _interface(bus, self.SERVICE, "/org/freedesktop/login1", "org.freedesktop.login1.Manager")
        session_id = session_id or os.environ.get("XDG_SESSION_ID")
        path = _value(manager.call("GetSession", session_id)) if session_id else None
        if path is None:
            path = _value(manager.call("GetSessionByPID", os.getpid()))
        path = getattr(path, "path", lambda: path)()
        if not path:
            raise SourceUnavailable("this process has no logind session")
        self._props = _interface(bus, self.SERVICE, str(path), "org.freedesktop.DBus.Properties")
        self._locked = self._get()
        if self._locked is None:
            raise SourceUnavailable("the logind session has no LockedHint")
        _subscribe(
            bus,
            self.SERVICE,
            str(path),
            "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            "sa{sv}as",  # only well-formed signals: QtDBus aborts on one it cannot demarshal
            self,
            SLOT("_on_properties(QString,QVariantMap,QStringList)"),
        )

    def _get(self) -> bool | None:
        value = _value(self._props.call("Get", self.INTERFACE, "LockedHint"))
        return None if value is None else bool(value)

    @Slot(str, "QVariantMap", "QStringList")
    def _on_properties(self, interface: str, changed: dict[str, Any], invalidated: list[str]) -> None:
        if interface == self.INTERFACE and ("LockedHint" in changed or "LockedHint" in invalidated):
            self._locked = self._get()
            self.changed.emit()

    def read(self) -> Presence:
        return Presence(locked=self._locked)

    def close(self) -> None:
        pass


WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, WTS_SESSION_UNLOCK, NOTIFY_FOR_THIS_SESSION = 0x02B1, 0x7, 0x8, 0


class WindowsSessionLock(QObject, QAbstractNativeEventFilter):
    """Windows' session lock notifications (``WTSRegisterSessionNotification``) for a window of ours."""

    changed = Signal()
    name = "Windows session lock notifications"
    provides = frozenset({"lock"})
    signalled = True
    _wtsapi32: Any
    _window: int

    def __init__(self, window_id: int, parent: QObject | None = None) -> None:
        QObject.__init__(self, parent)
        QAbstractNativeEventFilter.__init__(self)
        if sys.platform != "win32":
            raise SourceUnavailable("not Windows")
        import ctypes

        wtsapi32: Any = getattr(ctypes, "windll").wtsapi32  # noqa: B009 - only on Windows
        wtsapi32.WTSRegisterSessionNotification.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        if not wtsapi32.WTSRegisterSessionNotification(window_id, NOTIFY_FOR_THIS_SESSION):
            raise SourceUnavailable("WTSRegisterSessionNotification failed")
        self._wtsapi32, self._window = wtsapi32, window_id
        self._locked: bool | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self)

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:
        from ctypes import wintypes  # type: ignore[attr-defined,unused-ignore]

        if bytes(event_type) == b"windows_generic_MSG":
            msg = wintypes.MSG.from_address(int(message))
            if msg.message == WM_WTSSESSION_CHANGE and msg.wParam in (WTS_SESSION_LOCK, WTS_SESSION_UNLOCK):
                self._locked = msg.wParam == WTS_SESSION_LOCK
                self.changed.emit()
        return False, 0

    def read(self) -> Presence:
        return Presence(locked=self._locked)

    def close(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeNativeEventFilter(self)
        self._wtsapi32.WTSUnRegisterSessionNotification(self._window)


class NotificationsInhibited(QObject):
    """The notification daemon's ``Inhibited`` property: do-not-disturb is on."""

    changed = Signal()
    name = "notification daemon do-not-disturb"
    SERVICE = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"

    def __init__(self, bus: QDBusConnection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not _registered(bus, self.SERVICE):
            raise SourceUnavailable("no notification daemon on the session bus")
        self._props = _interface(bus, self.SERVICE, self.PATH, "org.freedesktop.DBus.Properties")
        if self._get() is None:
            raise SourceUnavailable("the notification daemon has no Inhibited property")

    def _get(self) -> bool | None:
        value = _value(self._props.call("Get", self.SERVICE, "Inhibited"))
        return None if value is None else bool(value)

    def busy(self) -> str | None:
        return "do not disturb" if self._get() else None

    def close(self) -> None:
        pass


class DBusNotifier(QObject):
    """A reminder as a desktop notification with Start / Snooze / Skip buttons.

    ``Notify`` takes a ``uint32``, which PySide6 cannot marshal, so the calls go through GIO
    (:class:`~acupressure_desktop.platform.gdbus.GioCaller`); the answers come back through QtDBus."""

    actionInvoked = Signal(str)  # "start", "snooze", "skip"
    closed = Signal()
    SERVICE = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"

    def __init__(self, bus: QDBusConnection, parent: QObject | None = None, caller: GioCaller | None = None) -> None:
        super().__init__(parent)
        if not _registered(bus, self.SERVICE):
            raise SourceUnavailable("no notification server on the session bus")
        self._proxy = _interface(bus, self.SERVICE, self.PATH, self.SERVICE)
        caps = _value(self._proxy.call("GetCapabilities"))
        if not caps or "actions" not in caps:
            raise SourceUnavailable("the notification server cannot show buttons")
        try:
            self._caller = caller or GioCaller()
        except (SourceUnavailable, OSError) as exc:
            raise SourceUnavailable(f"GIO is needed to send notifications: {exc}") from exc
        self._id: int | None = None
        _subscribe(bus, self.SERVICE, self.PATH, self.SERVICE, "ActionInvoked", self, SLOT("_on_action(uint,QString)"))
        _subscribe(
            bus, self.SERVICE, self.PATH, self.SERVICE, "NotificationClosed", self, SLOT("_on_closed(uint,uint)")
        )

    def show(self, summary: str, body: str, actions: Sequence[tuple[str, str]], icon: str = "") -> bool:
        flat: list[str] = [part for pair in actions for part in pair]
        arguments = (
            f"({text(APP_TITLE)}, uint32 {self._id or 0}, {text(icon)}, {text(summary)}, {text(body)}, "
            f"{strings(flat)}, @a{{sv}} {{'urgency': <byte 1>}}, 0)"
        )
        try:
            self._id = self._caller.call(self.SERVICE, self.PATH, self.SERVICE, "Notify", arguments)
        except OSError:
            self._id = None
        return self._id is not None

    def close_notification(self) -> None:
        if self._id is not None:
            with contextlib.suppress(OSError):
                self._caller.call(self.SERVICE, self.PATH, self.SERVICE, "CloseNotification", f"(uint32 {self._id},)")
            self._id = None

    @Slot("uint", str)
    def _on_action(self, notification: int, action: str) -> None:
        if notification == self._id:
            self._id = None
            self.actionInvoked.emit(action)

    @Slot("uint", "uint")
    def _on_closed(self, notification: int, _reason: int) -> None:
        if notification == self._id:
            self._id = None
            self.closed.emit()


class PresenceMonitor(QObject):
    """Every presence and quiet-time source this desktop offers, read together on demand.

    ``changed`` fires when a signalled source saw something (a lock, the person back);
    sources without a signal are read when the reminder controller looks (once a minute at most).
    """

    changed = Signal()

    def __init__(
        self,
        sources: Sequence[PresenceSource] = (),
        busy_sources: Sequence[BusySource] = (),
        missing: Sequence[str] = (),
        parent: QObject | None = None,
        programs: Callable[[Sequence[str]], BusySource] = RunningPrograms,
    ) -> None:
        super().__init__(parent)
        self.sources = list(sources)
        self.busy_sources = list(busy_sources)
        self.missing = list(missing)
        self._programs_factory = programs
        self._programs: tuple[tuple[str, ...], BusySource] | None = None
        for source in [*self.sources, *self.busy_sources]:
            signal = getattr(source, "changed", None)
            if signal is not None:
                signal.connect(self.changed)

    @property
    def available(self) -> bool:
        return any("idle" in s.provides or "lock" in s.provides for s in self.sources)

    @property
    def polled(self) -> bool:
        """Idle time has to be read to be known (no watch fires by itself)."""
        idle = [s for s in self.sources if "idle" in s.provides]
        return bool(idle) and not any(s.signalled for s in idle)

    def presence(self) -> Presence | None:
        if not self.sources:
            return None
        return combine(source.read() for source in self.sources)

    def busy(self, schedule: ReminderSchedule) -> str | None:
        """Why now is the wrong moment for a reminder, or None."""
        for source in self.busy_sources:
            reason = source.busy()
            if reason is None:
                continue
            if reason == "full screen" and not schedule.respect_full_screen:
                continue
            if reason != "full screen" and not schedule.respect_do_not_disturb:
                continue
            return reason
        if schedule.quiet_programs:
            if self._programs is None or self._programs[0] != schedule.quiet_programs:
                self._programs = (schedule.quiet_programs, self._programs_factory(schedule.quiet_programs))
            return self._programs[1].busy()
        return None

    def describe(self) -> str:
        """For Settings: what this desktop tells us, or that it tells us nothing."""
        idle = [s.name for s in self.sources if "idle" in s.provides]
        lock = [s.name for s in self.sources if "lock" in s.provides]
        quiet = [s.name for s in self.busy_sources]
        if not idle and not lock:
            text = (
                "Idle and lock detection is not available on this desktop, so only sleep is seen as a break; "
                "reminders keep to the clock."
            )
        else:
            text = f"Idle time from: {', '.join(idle) or 'not available'}."
            text += f" Lock from: {', '.join(lock) or 'not available'}."
        text += f" Full screen and do-not-disturb from: {', '.join(quiet) or 'not available here'}."
        return text

    def close(self) -> None:
        sources: list[PresenceSource | BusySource] = [*self.sources, *self.busy_sources]
        for source in sources:
            source.close()


def desktop_monitor(parent: QObject | None = None, window_id: int | None = None) -> PresenceMonitor:
    """A monitor with every source this computer offers (D-Bus and ctypes).

    ``window_id``: a native window of ours, for Windows' session lock notifications."""
    sources: list[PresenceSource] = []
    busy: list[BusySource] = []
    missing: list[str] = []
    if sys.platform == "win32" and window_id is not None:
        try:
            sources.append(WindowsSessionLock(window_id, parent))
        except SourceUnavailable as exc:
            missing.append(f"{WindowsSessionLock.name}: {exc}")
    session, system = QDBusConnection.sessionBus(), QDBusConnection.systemBus()
    dbus_sources: list[tuple[str, Callable[[], Any]]] = [
        ("GNOME Mutter idle monitor", lambda: MutterIdleMonitor(session, parent)),
        ("org.freedesktop.ScreenSaver", lambda: _first_screensaver(session, parent)),
        ("logind session lock", lambda: LogindSession(system, parent=parent)),
    ]
    for name, factory in dbus_sources:
        try:
            sources.append(factory())
        except SourceUnavailable as exc:
            missing.append(f"{name}: {exc}")
    native, why = native_sources()
    if any("idle" in s.provides for s in sources):
        for source in native:  # Mutter already gives idle time (X11's would be a second read)
            source.close()
    else:
        sources.extend(native)
    missing.extend(why)
    try:
        busy.append(NotificationsInhibited(session, parent))
    except SourceUnavailable as exc:
        missing.append(f"do-not-disturb: {exc}")
    native_busy, why = native_busy_sources()
    busy.extend(native_busy)
    missing.extend(why)
    return PresenceMonitor(sources, busy, missing, parent)


def _first_screensaver(bus: QDBusConnection, parent: QObject | None) -> DBusScreenSaver:
    problems = []
    for service, path in (
        ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
        ("org.freedesktop.ScreenSaver", "/ScreenSaver"),
        ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    ):
        try:
            return DBusScreenSaver(bus, service, path, parent)
        except SourceUnavailable as exc:
            problems.append(str(exc))
    raise SourceUnavailable("; ".join(dict.fromkeys(problems)))
