"""Atomic file writes: a temporary file in the same folder, flushed to disk, then renamed.

A crash or a full disk mid-write leaves the previous file as it was, never half a file.
Qt-free; callers turn the OSError into their own message.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[TextIO], T], newline: str | None = None) -> T:
    """Call ``write`` on a temporary text stream and replace ``path`` with it; raises OSError.

    The folder must exist: whether to create it is the caller's choice.
    """
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda stream: stream.write(text))
