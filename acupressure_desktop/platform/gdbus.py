"""Typed D-Bus calls through GIO by ctypes, for the few calls QtDBus cannot make from Python.

PySide6 marshals a Python int as ``int32`` (or ``int64``), never as ``uint32`` or ``uint64``,
so a call such as ``org.freedesktop.Notifications.Notify`` (its ``replaces_id`` is ``u``) is
refused by the notification server. GIO's GDBus builds the arguments from GVariant text,
whose types are written out (``uint32 0``). Replies and signals still go through QtDBus,
which reads every type. Linux and other systems with GLib only.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence

from acupressure_desktop.platform.presence import SourceUnavailable, load_library

G_BUS_TYPE_SESSION = 2
G_DBUS_CONNECTION_FLAGS = 1 | 8  # AUTHENTICATION_CLIENT | MESSAGE_BUS_CONNECTION


class _GError(ctypes.Structure):
    _fields_ = (("domain", ctypes.c_uint32), ("code", ctypes.c_int), ("message", ctypes.c_char_p))


def text(value: str) -> str:
    """A string in GVariant text format."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
    return "'" + "".join(c if c.isprintable() or c in "\\n" else f"\\u{ord(c):04x}" for c in escaped) + "'"


def strings(values: Sequence[str]) -> str:
    return "@as [" + ", ".join(text(v) for v in values) + "]"


class GioCaller:
    """One GDBus connection: ``call(service, path, interface, method, "(uint32 0, 'x')")`` -> first reply value."""

    def __init__(self, address: str | None = None, timeout_ms: int = 1000) -> None:
        gio = load_library("gio-2.0", "libgio-2.0.so.0")
        glib = load_library("glib-2.0", "libglib-2.0.so.0")
        gerror = ctypes.POINTER(_GError)
        gio.g_bus_get_sync.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(gerror)]
        gio.g_bus_get_sync.restype = ctypes.c_void_p
        gio.g_dbus_connection_new_for_address_sync.argtypes = [
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.POINTER(gerror),
        ]
        gio.g_dbus_connection_new_for_address_sync.restype = ctypes.c_void_p
        gio.g_dbus_connection_call_sync.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.POINTER(gerror),
        ]
        gio.g_dbus_connection_call_sync.restype = ctypes.c_void_p
        glib.g_variant_new_parsed.argtypes = [ctypes.c_char_p]
        glib.g_variant_new_parsed.restype = ctypes.c_void_p
        glib.g_variant_parse.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.POINTER(gerror),
        ]
        glib.g_variant_parse.restype = ctypes.c_void_p
        glib.g_variant_n_children.argtypes = [ctypes.c_void_p]
        glib.g_variant_n_children.restype = ctypes.c_size_t
        glib.g_variant_get_child_value.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        glib.g_variant_get_child_value.restype = ctypes.c_void_p
        glib.g_variant_get_uint32.argtypes = [ctypes.c_void_p]
        glib.g_variant_get_uint32.restype = ctypes.c_uint32
        glib.g_variant_get_type_string.argtypes = [ctypes.c_void_p]
        glib.g_variant_get_type_string.restype = ctypes.c_char_p
        glib.g_variant_unref.argtypes = [ctypes.c_void_p]
        glib.g_variant_print.argtypes = [ctypes.c_void_p, ctypes.c_int]
        glib.g_variant_print.restype = ctypes.c_void_p
        glib.g_free.argtypes = [ctypes.c_void_p]
        glib.g_error_free.argtypes = [gerror]
        gio.g_object_unref.argtypes = [ctypes.c_void_p]
        self._gio, self._glib, self._timeout = gio, glib, timeout_ms
        error = gerror()
        if address is None:
            connection = gio.g_bus_get_sync(G_BUS_TYPE_SESSION, None, ctypes.byref(error))
        else:
            connection = gio.g_dbus_connection_new_for_address_sync(
                address.encode(), G_DBUS_CONNECTION_FLAGS, None, None, ctypes.byref(error)
            )
        if not connection:
            raise SourceUnavailable(f"no D-Bus session bus for GIO: {self._take(error)}")
        self._connection = connection

    def _take(self, error: ctypes._Pointer[_GError]) -> str:
        if not error:
            return "unknown error"
        message = (error.contents.message or b"").decode("utf-8", "replace")
        self._glib.g_error_free(error)
        return message

    def call_printed(self, service: str, path: str, interface: str, method: str, arguments: str) -> str:
        """Call ``method``; the whole reply in GVariant text ("([(':1.5', 'Focus::')],)")."""
        reply = self._call(service, path, interface, method, arguments)
        try:
            printed = self._glib.g_variant_print(reply, 0)
            try:
                return ctypes.string_at(printed).decode("utf-8", "replace")
            finally:
                self._glib.g_free(printed)
        finally:
            self._glib.g_variant_unref(reply)

    def call(self, service: str, path: str, interface: str, method: str, arguments: str) -> int | None:
        """Call ``method`` with arguments in GVariant text; the reply's first value when it is a uint32."""
        reply = self._call(service, path, interface, method, arguments)
        try:
            if self._glib.g_variant_n_children(reply) == 0:
                return None
            first = self._glib.g_variant_get_child_value(reply, 0)
            try:
                if self._glib.g_variant_get_type_string(first) != b"u":
                    return None
                return int(self._glib.g_variant_get_uint32(first))
            finally:
                self._glib.g_variant_unref(first)
        finally:
            self._glib.g_variant_unref(reply)

    def _call(self, service: str, path: str, interface: str, method: str, arguments: str) -> int:
        gerror = ctypes.POINTER(_GError)
        error = gerror()
        parameters = self._glib.g_variant_parse(None, arguments.encode(), None, None, ctypes.byref(error))
        if not parameters:
            raise ValueError(f"bad D-Bus arguments {arguments!r}: {self._take(error)}")
        error = gerror()
        reply = self._gio.g_dbus_connection_call_sync(
            self._connection,
            service.encode(),
            path.encode(),
            interface.encode(),
            method.encode(),
            parameters,
            None,
            0,
            self._timeout,
            None,
            ctypes.byref(error),
        )
        self._glib.g_variant_unref(parameters)  # a parsed value is not floating: the call did not take it
        if not reply:
            raise OSError(f"{interface}.{method}: {self._take(error)}")
        return int(reply)

    def close(self) -> None:
        if self._connection:
            self._gio.g_object_unref(self._connection)
            self._connection = None
