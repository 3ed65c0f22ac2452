"""The window's size and place, its dock and its splitters, kept between runs in the state folder.

A missing or damaged file only means the default layout: it is window state, not the person's data.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from acupressure_desktop.fileio import reason, write_text_atomically

log = logging.getLogger(__name__)
STATE_FILE = "window.json"
MAX_STATE_BYTES = 64_000
DEFAULT_SIZE = QSize(1280, 820)
SCREEN_SHARE = 0.92  # of the available screen, at most, for the first window
LARGE_SCREEN_SHARE = 0.75  # on a large screen the first window takes this share (DEFAULT_SIZE at least)


def _read(path: Path) -> dict[str, str]:
    try:
        if path.stat().st_size > MAX_STATE_BYTES:
            return {}
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(document, dict):
        return {}
    return {key: value for key, value in document.items() if isinstance(key, str) and isinstance(value, str)}


def _bytes(text: str | None) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return None


def _text(data: QByteArray) -> str:
    return base64.b64encode(data.data()).decode("ascii")


def restore_geometry(window: QMainWindow, path: Path) -> None:
    """Size and place the window as it was, or to fit the screen it opens on (before it is shown)."""
    geometry = _bytes(_read(path).get("geometry"))
    if geometry is not None and window.restoreGeometry(geometry):
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        window.resize(first_size(available.size()))
        window.move(available.center() - window.rect().center())
    else:
        window.resize(DEFAULT_SIZE)


def first_size(available: QSize) -> QSize:
    """The first window's size on a screen with this much room: three quarters of a large screen
    (1280 x 820 looked lost on 2560 x 1440), 1280 x 820 on a common one, and never more than
    92 % of a small one (1366 x 768 and 1280 x 720 laptops)."""

    def share(fraction: float) -> QSize:
        return QSize(int(available.width() * fraction), int(available.height() * fraction))

    return share(LARGE_SCREEN_SHARE).expandedTo(DEFAULT_SIZE).boundedTo(share(SCREEN_SHARE))


def restore_layout(window: QMainWindow, path: Path) -> None:
    """The dock and the splitters as they were (once the pages are built)."""
    saved = _read(path)
    state = _bytes(saved.get("state"))
    if state is not None:
        window.restoreState(state)
    for splitter in window.findChildren(QSplitter):
        sizes = _bytes(saved.get(f"splitter:{splitter.objectName()}")) if splitter.objectName() else None
        if sizes is not None:
            splitter.restoreState(sizes)


def save_window_state(window: QMainWindow, path: Path) -> None:
    """Remember the window for the next run; a failure is only logged."""
    document = {"geometry": _text(window.saveGeometry()), "state": _text(window.saveState())}
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName():
            document[f"splitter:{splitter.objectName()}"] = _text(splitter.saveState())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(document, indent=1))
    except OSError as exc:
        log.warning("%s: window state not saved: %s", path, reason(exc))
