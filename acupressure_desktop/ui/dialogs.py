"""Modal dialogs that are deleted once answered (a parented dialog otherwise lives as long as its window)
and give the keyboard focus back when they close."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeGuard, TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from acupressure_desktop.ui.accessibility import focus_first

D = TypeVar("D", bound=QDialog)
log = logging.getLogger(__name__)


@contextmanager
def focus_returns(parent: QWidget | None) -> Iterator[None]:
    """Around a dialog: focus goes back to where it was, or, when that is gone (or there was none,
    as before the first notice), to the first control of the window; never nowhere."""
    before = QApplication.focusWidget()
    try:
        yield
    finally:
        if _alive(before) and before.isVisible() and before.isEnabled():
            before.window().activateWindow()
            before.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        elif _alive(parent):
            window = parent.window()
            window.activateWindow()
            # The main window names its home (the page, not the page tabs above it, where the page's
            # keys did nothing after the first notice); any other window gets its first control.
            home = getattr(window, "focus_home", None)
            if callable(home):
                home()
            else:
                focus_first(window)


def _alive(widget: QWidget | None) -> TypeGuard[QWidget]:
    return widget is not None and shiboken6.isValid(widget)


def ask(parent: QWidget | None, title: str, text: str, action: str, keep: str = "Cancel", detail: str = "") -> bool:
    """A question whose buttons say what they do ("Delete", not "Yes"); the safe answer (``keep``)
    is the default. True when the person chose ``action``."""
    with modal(QMessageBox(parent)) as box:
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        box.setInformativeText(detail)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(action)
        box.button(QMessageBox.StandardButton.Cancel).setText(keep)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    with focus_returns(parent):
        QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A problem the person must read; it goes to the log too, for when they report it later."""
    log.warning("%s: %s", title, text.replace("\n", " "))
    with focus_returns(parent):
        QMessageBox.warning(parent, title, text)


@contextmanager
def modal(dialog: D) -> Iterator[D]:
    """``with modal(SomeDialog(...)) as dialog: if dialog.exec(): ...``; read its answers inside the block."""
    with focus_returns(dialog.parentWidget()):
        try:
            yield dialog
        finally:
            dialog.deleteLater()
