"""Modal dialogs that are deleted once answered (a parented dialog otherwise lives as long as its window)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtWidgets import QDialog

D = TypeVar("D", bound=QDialog)


@contextmanager
def modal(dialog: D) -> Iterator[D]:
    """``with modal(SomeDialog(...)) as dialog: if dialog.exec(): ...``; read its answers inside the block."""
    try:
        yield dialog
    finally:
        dialog.deleteLater()
