"""Is the person at the computer? Idle and lock time from the platform, through ctypes.

Each source answers one question, :meth:`PresenceSource.read`, with a
:class:`~acupressure_desktop.reminders.Presence`; ``None`` fields mean "cannot tell".
A source is cheap to read (one call into the system), so reading it once a minute is
the whole cost where the platform has no signal (``signalled`` is False).

* X11: the MIT-SCREEN-SAVER extension (``libXss``): input idle time, and whether the
  server's screen saver is on. Not under Wayland, where X11 sees only X11 clients' input.
* Windows: ``GetLastInputInfo`` for idle; the input desktop cannot be switched to while
  the workstation is locked.
* macOS: IOKit's ``HIDIdleTime``, and CoreGraphics' session dictionary for the lock.

The D-Bus sources (logind ``LockedHint``, ``org.freedesktop.ScreenSaver``, Mutter's
IdleMonitor) live in ``acupressure_desktop.ui.presence``: they need QtDBus.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from acupressure_desktop.reminders import Presence


class PresenceSource(Protocol):
    name: str  # what the person reads in Settings: "X11 screen-saver extension"
    provides: frozenset[str]  # "idle", "lock"
    signalled: bool  # tells of changes by itself; otherwise it is read once a minute at most

    def read(self) -> Presence: ...

    def close(self) -> None: ...


class SourceUnavailable(Exception):
    """This platform or desktop does not offer the source."""


def combine(readings: Iterable[Presence]) -> Presence:
    """One answer from several sources: the first idle time given; locked if any says so."""
    idle: float | None = None
    locked: bool | None = None
    for reading in readings:
        if idle is None and reading.idle_seconds is not None:
            idle = reading.idle_seconds
        if reading.locked is not None:
            locked = bool(locked) or reading.locked
    return Presence(idle_seconds=idle, locked=locked)


class FakePresenceSource:
    """For tests: set ``idle_seconds`` and ``locked``; counts its reads."""

    def __init__(
        self,
        idle_seconds: float | None = 0.0,
        locked: bool | None = False,
        *,
        name: str = "fake presence",
        signalled: bool = False,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.locked = locked
        self.name = name
        self.provides = frozenset({"idle", "lock"})
        self.signalled = signalled
        self.reads = 0
        self.closed = False

    def read(self) -> Presence:
        self.reads += 1
        return Presence(self.idle_seconds, self.locked)

    def close(self) -> None:
        self.closed = True


# -- X11: MIT-SCREEN-SAVER ------------------------------------------------------------------


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    )


SCREEN_SAVER_ON = 1
_X_ERROR_HANDLER: Any = None  # kept alive for as long as libX11 may call it


def load_library(name: str, fallback: str) -> ctypes.CDLL:
    path = ctypes.util.find_library(name) or fallback
    try:
        return ctypes.CDLL(path)
    except OSError as exc:
        raise SourceUnavailable(f"{path}: {exc}") from exc


def x11_display(env: Mapping[str, str]) -> str:
    """The X display to use, or SourceUnavailable (no DISPLAY, or a Wayland session)."""
    display = env.get("DISPLAY", "")
    if not display:
        raise SourceUnavailable("no X display")
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        raise SourceUnavailable("a Wayland session: X11 sees only its own clients' input")
    return display


def open_x11(display: str) -> tuple[ctypes.CDLL, int]:
    """libX11 and an open connection; X errors are ignored instead of ending the process."""
    global _X_ERROR_HANDLER
    xlib = load_library("X11", "libX11.so.6")
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XFree.argtypes = [ctypes.c_void_p]
    if _X_ERROR_HANDLER is None:
        # libX11's default handler exits the process on a BadWindow; ours ignores the error.
        handler_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
        _X_ERROR_HANDLER = handler_type(lambda _display, _event: 0)
        xlib.XSetErrorHandler.argtypes = [handler_type]
        xlib.XSetErrorHandler.restype = ctypes.c_void_p
        xlib.XSetErrorHandler(_X_ERROR_HANDLER)
    connection = xlib.XOpenDisplay(display.encode())
    if not connection:
        raise SourceUnavailable(f"cannot open X display {display}")
    return xlib, int(connection)


class X11ScreenSaverSource:
    """Idle time and the screen saver's state from the MIT-SCREEN-SAVER extension."""

    name = "X11 screen-saver extension"
    provides = frozenset({"idle", "lock"})
    signalled = False

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        display = x11_display(os.environ if env is None else env)
        self._xlib, self._display = open_x11(display)
        try:
            xss = load_library("Xss", "libXss.so.1")
            xss.XScreenSaverQueryExtension.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_int),
                ctypes.POINTER(ctypes.c_int),
            ]
            xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
            xss.XScreenSaverQueryInfo.argtypes = [
                ctypes.c_void_p,
                ctypes.c_ulong,
                ctypes.POINTER(_XScreenSaverInfo),
            ]
            event_base, error_base = ctypes.c_int(), ctypes.c_int()
            if not xss.XScreenSaverQueryExtension(self._display, ctypes.byref(event_base), ctypes.byref(error_base)):
                raise SourceUnavailable("the X server has no MIT-SCREEN-SAVER extension")
            self._info = xss.XScreenSaverAllocInfo()
            if not self._info:
                raise SourceUnavailable("XScreenSaverAllocInfo failed")
        except SourceUnavailable:
            self._xlib.XCloseDisplay(self._display)
            raise
        self._xss = xss
        self._root = self._xlib.XDefaultRootWindow(self._display)

    def read(self) -> Presence:
        if not self._display or not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            return Presence()
        info = self._info.contents
        return Presence(idle_seconds=info.idle / 1000.0, locked=info.state == SCREEN_SAVER_ON)

    def close(self) -> None:
        if self._display:
            self._xlib.XFree(self._info)
            self._xlib.XCloseDisplay(self._display)
            self._display = 0


# -- Windows --------------------------------------------------------------------------------


class _LastInputInfo(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint))


DESKTOP_SWITCHDESKTOP = 0x0100


class WindowsInputSource:
    """``GetLastInputInfo`` for idle time; a locked workstation refuses a switch to the input desktop."""

    name = "Windows input and session lock"
    provides = frozenset({"idle", "lock"})
    signalled = False
    _user32: Any
    _kernel32: Any

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise SourceUnavailable("not Windows")
        windll: Any = getattr(ctypes, "windll")  # noqa: B009 - only on Windows
        self._user32 = windll.user32
        self._kernel32 = windll.kernel32
        self._user32.OpenInputDesktop.restype = ctypes.c_void_p
        self._user32.SwitchDesktop.argtypes = [ctypes.c_void_p]
        self._user32.CloseDesktop.argtypes = [ctypes.c_void_p]
        self._kernel32.GetTickCount.restype = ctypes.c_uint

    def read(self) -> Presence:
        info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
        idle: float | None = None
        if self._user32.GetLastInputInfo(ctypes.byref(info)):
            idle = ((self._kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF) / 1000.0
        desktop = self._user32.OpenInputDesktop(0, False, DESKTOP_SWITCHDESKTOP)
        if not desktop:
            return Presence(idle, True)
        try:
            locked = not self._user32.SwitchDesktop(desktop)
        finally:
            self._user32.CloseDesktop(desktop)
        return Presence(idle, locked)

    def close(self) -> None:
        pass


# -- macOS ----------------------------------------------------------------------------------

K_CF_STRING_ENCODING_UTF8 = 0x08000100
K_CF_NUMBER_SINT64 = 4


class MacHIDIdleSource:
    """IOKit's ``HIDIdleTime`` (nanoseconds since the last keyboard, pointer or trackpad input), and the
    session's ``CGSSessionScreenIsLocked`` from CoreGraphics for the lock."""

    name = "macOS HID idle time and screen lock"
    provides = frozenset({"idle", "lock"})
    signalled = False
    _iokit: Any
    _cf: Any
    _key: Any
    _lock_key: Any
    _service: int

    def __init__(self) -> None:
        if sys.platform != "darwin":
            raise SourceUnavailable("not macOS")
        iokit = load_library("IOKit", "/System/Library/Frameworks/IOKit.framework/IOKit")
        cf = load_library("CoreFoundation", "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
        iokit.IOServiceMatching.argtypes = [ctypes.c_char_p]
        iokit.IOServiceMatching.restype = ctypes.c_void_p
        iokit.IOServiceGetMatchingService.argtypes = [ctypes.c_uint, ctypes.c_void_p]
        iokit.IOServiceGetMatchingService.restype = ctypes.c_uint
        iokit.IORegistryEntryCreateCFProperty.argtypes = [
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_uint,
        ]
        iokit.IORegistryEntryCreateCFProperty.restype = ctypes.c_void_p
        iokit.IOObjectRelease.argtypes = [ctypes.c_uint]
        cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        cf.CFNumberGetValue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._iokit, self._cf = iokit, cf
        self._key = cf.CFStringCreateWithCString(None, b"HIDIdleTime", K_CF_STRING_ENCODING_UTF8)
        # The matching dictionary is consumed by the call; 0 is kIOMainPortDefault.
        self._service = iokit.IOServiceGetMatchingService(0, iokit.IOServiceMatching(b"IOHIDSystem"))
        if not self._service or not self._key:
            raise SourceUnavailable("IOHIDSystem not found")
        self._cg: Any = None
        try:
            cg = load_library("CoreGraphics", "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
        except SourceUnavailable:
            self.provides = frozenset({"idle"})
        else:
            cg.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
            cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
            cf.CFDictionaryGetValue.restype = ctypes.c_void_p
            cf.CFBooleanGetValue.argtypes = [ctypes.c_void_p]
            cf.CFBooleanGetValue.restype = ctypes.c_bool
            self._cg = cg
            self._lock_key = cf.CFStringCreateWithCString(None, b"CGSSessionScreenIsLocked", K_CF_STRING_ENCODING_UTF8)

    def _locked(self) -> bool | None:
        if self._cg is None:
            return None
        session = self._cg.CGSessionCopyCurrentDictionary()
        if not session:
            return None
        try:
            value = self._cf.CFDictionaryGetValue(session, self._lock_key)
            return bool(value) and bool(self._cf.CFBooleanGetValue(value))  # the key is there only while locked
        finally:
            self._cf.CFRelease(session)

    def read(self) -> Presence:
        locked = self._locked()
        value = self._iokit.IORegistryEntryCreateCFProperty(self._service, self._key, None, 0)
        if not value:
            return Presence(locked=locked)
        nanoseconds = ctypes.c_int64()
        try:
            ok = self._cf.CFNumberGetValue(value, K_CF_NUMBER_SINT64, ctypes.byref(nanoseconds))
        finally:
            self._cf.CFRelease(value)
        return Presence(idle_seconds=nanoseconds.value / 1e9 if ok else None, locked=locked)

    def close(self) -> None:
        if self._service:
            self._iokit.IOObjectRelease(self._service)
            self._cf.CFRelease(self._key)
            self._service = 0


def native_sources(env: Mapping[str, str] | None = None) -> tuple[list[PresenceSource], list[str]]:
    """The ctypes sources this computer offers, and why each other one is not available."""
    env = os.environ if env is None else env
    sources: list[PresenceSource] = []
    missing: list[str] = []
    candidates: list[tuple[str, Any]] = []
    if sys.platform == "win32":
        candidates.append((WindowsInputSource.name, WindowsInputSource))
    elif sys.platform == "darwin":
        candidates.append((MacHIDIdleSource.name, MacHIDIdleSource))
    else:
        candidates.append((X11ScreenSaverSource.name, lambda: X11ScreenSaverSource(env)))
    for name, factory in candidates:
        try:
            sources.append(factory())
        except (SourceUnavailable, OSError, AttributeError) as exc:
            missing.append(f"{name}: {exc}")
    return sources, missing
