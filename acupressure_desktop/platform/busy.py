"""Is now the wrong moment? Full-screen focus, quiet time and listed programs, without Qt.

Each check answers :meth:`BusySource.busy` with a short reason ("full screen") or None.
They are asked only when a reminder is due, and then once a minute while it waits.

* X11: the active window (``_NET_ACTIVE_WINDOW``) has ``_NET_WM_STATE_FULLSCREEN``.
* Windows: ``SHQueryUserNotificationState`` (full-screen apps, presentations, quiet time).
* GNOME: the notification banners switch (``org.gnome.desktop.notifications show-banners``),
  read through GIO's GSettings by ctypes.
* Programs: the person's own running processes (``/proc`` on Linux, ``ps`` on macOS,
  the Toolhelp snapshot on Windows), matched by program name.

The notification daemon's ``Inhibited`` property is a D-Bus source: ``ui/presence.py``.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from acupressure_desktop.platform.presence import SourceUnavailable, load_library, open_x11, x11_display


class BusySource(Protocol):
    name: str

    def busy(self) -> str | None: ...

    def close(self) -> None: ...


class FakeBusySource:
    """For tests: set ``reason``."""

    def __init__(self, reason: str | None = None, name: str = "fake busy") -> None:
        self.reason = reason
        self.name = name
        self.asks = 0

    def busy(self) -> str | None:
        self.asks += 1
        return self.reason

    def close(self) -> None:
        pass


# -- X11 full screen ----------------------------------------------------------------------

XA_ATOM = 4
XA_WINDOW = 33


class X11FullScreen:
    """The focused window is full screen, as the window manager says (EWMH)."""

    name = "X11 full-screen window"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        display = x11_display(os.environ if env is None else env)
        self._xlib, self._display = open_x11(display)
        xlib = self._xlib
        xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        xlib.XInternAtom.restype = ctypes.c_ulong
        xlib.XGetWindowProperty.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_ulong,
            ctypes.c_long,
            ctypes.c_long,
            ctypes.c_int,
            ctypes.c_ulong,
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_void_p),
        ]
        self._root = xlib.XDefaultRootWindow(self._display)
        self._active = xlib.XInternAtom(self._display, b"_NET_ACTIVE_WINDOW", False)
        self._state = xlib.XInternAtom(self._display, b"_NET_WM_STATE", False)
        self._fullscreen = xlib.XInternAtom(self._display, b"_NET_WM_STATE_FULLSCREEN", False)

    def _property(self, window: int, prop: int, kind: int) -> list[int]:
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        items, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        status = self._xlib.XGetWindowProperty(
            self._display,
            window,
            prop,
            0,
            64,
            False,
            kind,
            ctypes.byref(actual_type),
            ctypes.byref(actual_format),
            ctypes.byref(items),
            ctypes.byref(after),
            ctypes.byref(data),
        )
        if status != 0 or not data.value:
            return []
        try:
            if actual_format.value != 32:
                return []
            # Format-32 items are C longs in Xlib, whatever the word size.
            values = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
            return [int(values[i]) for i in range(items.value)]
        finally:
            self._xlib.XFree(data)

    def busy(self) -> str | None:
        if not self._display:
            return None
        active = self._property(self._root, self._active, XA_WINDOW)
        if not active or not active[0]:
            return None
        return "full screen" if self._fullscreen in self._property(active[0], self._state, XA_ATOM) else None

    def close(self) -> None:
        if self._display:
            self._xlib.XCloseDisplay(self._display)
            self._display = 0


# -- Windows -------------------------------------------------------------------------------

# SHQueryUserNotificationState answers
QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_PRESENTATION_MODE, QUNS_QUIET_TIME = 2, 3, 4, 6
WINDOWS_BUSY = {
    QUNS_BUSY: "full screen",
    QUNS_RUNNING_D3D_FULL_SCREEN: "full screen",
    QUNS_PRESENTATION_MODE: "presentation",
    QUNS_QUIET_TIME: "do not disturb",
}


class WindowsNotificationState:
    """What Windows itself uses to hold its notifications back."""

    name = "Windows notification state"
    _shell32: Any

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise SourceUnavailable("not Windows")
        self._shell32 = getattr(ctypes, "windll").shell32  # noqa: B009 - only on Windows

    def busy(self) -> str | None:
        state = ctypes.c_int()
        if self._shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
            return None
        return WINDOWS_BUSY.get(state.value)

    def close(self) -> None:
        pass


# -- GNOME banners -------------------------------------------------------------------------

GNOME_NOTIFICATIONS_SCHEMA = b"org.gnome.desktop.notifications"


class GnomeBannersOff:
    """GNOME's do-not-disturb: the ``show-banners`` setting is off."""

    name = "GNOME do-not-disturb"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        if "gnome" not in env.get("XDG_CURRENT_DESKTOP", "").lower():
            raise SourceUnavailable("not a GNOME session")
        gio = load_library("gio-2.0", "libgio-2.0.so.0")
        gio.g_settings_schema_source_get_default.restype = ctypes.c_void_p
        gio.g_settings_schema_source_lookup.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        gio.g_settings_schema_source_lookup.restype = ctypes.c_void_p
        gio.g_settings_schema_unref.argtypes = [ctypes.c_void_p]
        gio.g_settings_new.argtypes = [ctypes.c_char_p]
        gio.g_settings_new.restype = ctypes.c_void_p
        gio.g_settings_get_boolean.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        gio.g_object_unref.argtypes = [ctypes.c_void_p]
        source = gio.g_settings_schema_source_get_default()
        schema = gio.g_settings_schema_source_lookup(source, GNOME_NOTIFICATIONS_SCHEMA, True) if source else None
        if not schema:
            raise SourceUnavailable("the GNOME notification settings are not installed")
        gio.g_settings_schema_unref(schema)  # g_settings_new would abort without the schema; it exists
        self._gio = gio

    def busy(self) -> str | None:
        settings = self._gio.g_settings_new(GNOME_NOTIFICATIONS_SCHEMA)
        try:
            return None if self._gio.g_settings_get_boolean(settings, b"show-banners") else "do not disturb"
        finally:
            self._gio.g_object_unref(settings)

    def close(self) -> None:
        pass


# -- programs -----------------------------------------------------------------------------


def program_key(name: str) -> str:
    """How program names are compared: the file name, without ``.exe`` or ``.app``, any case."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower()
    for suffix in (".exe", ".app"):
        base = base.removesuffix(suffix)
    return base


def linux_programs(proc: Path = Path("/proc"), uid: int | None = None) -> set[str]:
    """Names of this user's running programs: ``comm`` and the file name of ``argv[0]``."""
    uid = os.getuid() if uid is None and hasattr(os, "getuid") else uid
    names: set[str] = set()
    try:
        entries = list(proc.iterdir())
    except OSError:
        return names
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            if uid is not None and entry.stat().st_uid != uid:
                continue
            names.add(program_key((entry / "comm").read_text(encoding="utf-8", errors="replace").strip()))
            argv0 = (entry / "cmdline").read_bytes().split(b"\0", 1)[0]
        except OSError:
            continue
        if argv0:
            names.add(program_key(argv0.decode("utf-8", errors="replace")))
    names.discard("")
    return names


def ps_programs() -> set[str]:
    """macOS and other Unix: ``ps`` lists the user's processes' commands."""
    try:
        result = subprocess.run(["ps", "-x", "-o", "comm="], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    return {program_key(line.strip()) for line in result.stdout.splitlines() if line.strip()}


class _ProcessEntry(ctypes.Structure):
    _fields_ = (
        ("dwSize", ctypes.c_uint32),
        ("cntUsage", ctypes.c_uint32),
        ("th32ProcessID", ctypes.c_uint32),
        ("th32DefaultHeapID", ctypes.c_size_t),
        ("th32ModuleID", ctypes.c_uint32),
        ("cntThreads", ctypes.c_uint32),
        ("th32ParentProcessID", ctypes.c_uint32),
        ("pcPriClassBase", ctypes.c_long),
        ("dwFlags", ctypes.c_uint32),
        ("szExeFile", ctypes.c_wchar * 260),
    )


def windows_programs() -> set[str]:
    """The Toolhelp snapshot's executable names."""
    kernel32: Any = getattr(ctypes, "windll").kernel32  # noqa: B009 - only on Windows
    kernel32.CreateToolhelp32Snapshot.restype = ctypes.c_void_p
    kernel32.Process32FirstW.argtypes = [ctypes.c_void_p, ctypes.POINTER(_ProcessEntry)]
    kernel32.Process32NextW.argtypes = [ctypes.c_void_p, ctypes.POINTER(_ProcessEntry)]
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
    snapshot = kernel32.CreateToolhelp32Snapshot(0x2, 0)  # TH32CS_SNAPPROCESS
    names: set[str] = set()
    if not snapshot or snapshot == ctypes.c_void_p(-1).value:
        return names
    try:
        entry = _ProcessEntry()
        entry.dwSize = ctypes.sizeof(_ProcessEntry)
        more = kernel32.Process32FirstW(snapshot, ctypes.byref(entry))
        while more:
            names.add(program_key(entry.szExeFile))
            more = kernel32.Process32NextW(snapshot, ctypes.byref(entry))
    finally:
        kernel32.CloseHandle(snapshot)
    return names


def default_lister() -> Callable[[], set[str]]:
    if sys.platform == "win32":
        return windows_programs
    if sys.platform.startswith("linux") and Path("/proc/self/comm").exists():
        return linux_programs
    return ps_programs


class RunningPrograms:
    """ "Don't remind me while these are running": busy while one of the listed programs runs."""

    name = "running programs"

    def __init__(self, programs: Iterable[str], lister: Callable[[], set[str]] | None = None) -> None:
        self._wanted = {program_key(p): p for p in programs if program_key(p)}
        self._lister = lister or default_lister()

    def busy(self) -> str | None:
        if not self._wanted:
            return None
        running = self._lister()
        for key, shown in self._wanted.items():
            if key in running:
                return f"{shown} is running"
        return None

    def close(self) -> None:
        pass


def native_busy_sources(env: Mapping[str, str] | None = None) -> tuple[list[BusySource], list[str]]:
    """Full-screen and quiet-time checks this computer offers, and why the others are not there."""
    env = os.environ if env is None else env
    sources: list[BusySource] = []
    missing: list[str] = []
    candidates: list[tuple[str, Callable[[], BusySource]]] = []
    if sys.platform == "win32":
        candidates.append((WindowsNotificationState.name, WindowsNotificationState))
    elif sys.platform != "darwin":
        candidates.append((X11FullScreen.name, lambda: X11FullScreen(env)))
        candidates.append((GnomeBannersOff.name, lambda: GnomeBannersOff(env)))
    for name, factory in candidates:
        try:
            sources.append(factory())
        except (SourceUnavailable, OSError, AttributeError) as exc:
            missing.append(f"{name}: {exc}")
    return sources, missing
