"""Whether the person asked their desktop for reduced motion (animations off).

Order: ``ACUPRESSURE_DESKTOP_REDUCED_MOTION`` (``1``/``0``) decides when set; on Windows and
macOS Qt's general UI-effects flag follows the system's animation setting; on Linux the
desktop portal's settings are asked (GNOME's ``enable-animations``, the freedesktop
``reduced-motion`` key) with a short timeout. Anything unknown means "motion is fine".
"""

from __future__ import annotations

import functools
import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

ENV = "ACUPRESSURE_DESKTOP_REDUCED_MOTION"
PORTAL_TIMEOUT_MS = 150


def prefers_reduced_motion() -> bool:
    value = os.environ.get(ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    if sys.platform in ("win32", "darwin"):
        return not QApplication.isEffectEnabled(Qt.UIEffect.UI_General)
    if QGuiApplication.platformName() in ("offscreen", "minimal", ""):
        return False
    return _portal_reduced_motion()


@functools.cache  # asked once per run: the map's guide and the session's pacer both want it
def _portal_reduced_motion() -> bool:  # pragma: no cover - needs a desktop session bus
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusMessage
    except ImportError:
        return False
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    for namespace, key, reduced in (
        ("org.freedesktop.appearance", "reduced-motion", lambda v: v == 1),
        ("org.gnome.desktop.interface", "enable-animations", lambda v: v is False),
    ):
        message = QDBusMessage.createMethodCall(
            "org.freedesktop.portal.Desktop",
            "/org/freedesktop/portal/desktop",
            "org.freedesktop.portal.Settings",
            "ReadOne",
        )
        message.setArguments([namespace, key])
        reply = bus.call(message, timeout=PORTAL_TIMEOUT_MS)
        if reply.type() == QDBusMessage.MessageType.ReplyMessage and reply.arguments():
            value = reply.arguments()[0]
            if hasattr(value, "variant"):  # a QDBusVariant
                value = value.variant()
            if reduced(value):
                return True
    return False
