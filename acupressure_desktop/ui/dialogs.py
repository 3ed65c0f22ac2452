"""Modal dialogs that are deleted once answered (a parented dialog otherwise lives as long as its window)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

D = TypeVar("D", bound=QDialog)
log = logging.getLogger(__name__)


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/Cancel question whose safe answer (Cancel) is the default; True for Yes."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A problem the person must read; it goes to the log too, for when they report it later."""
    log.warning("%s: %s", title, text.replace("\n", " "))
    QMessageBox.warning(parent, title, text)


@contextmanager
def modal(dialog: D) -> Iterator[D]:
    """``with modal(SomeDialog(...)) as dialog: if dialog.exec(): ...``; read its answers inside the block."""
    try:
        yield dialog
    finally:
        dialog.deleteLater()
