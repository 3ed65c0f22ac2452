"""Storage errors: environment faults the person can fix, told apart from bugs.

A full or read-only disk, a lock held by another program or a damaged file is not a
bug in the app: it becomes :class:`StorageUnavailable` with a message the UI shows as
is. Anything else (a wrong SQL statement, a violated constraint) stays a plain
``sqlite3`` exception so that it fails loudly in tests.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from acupressure_desktop import fileio

# Primary SQLite result codes (extended codes carry them in the low byte).
_SQLITE_REASONS: dict[int, str] = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "the file or its folder is read-only",
    sqlite3.SQLITE_BUSY: "another program is using the file (is Acupressure Desktop open twice?)",
    sqlite3.SQLITE_LOCKED: "another program is using the file (is Acupressure Desktop open twice?)",
    sqlite3.SQLITE_IOERR: "the disk reported a read or write error",
    sqlite3.SQLITE_CANTOPEN: "the file cannot be opened",
    sqlite3.SQLITE_PERM: "permission denied",
    sqlite3.SQLITE_CORRUPT: "the file is damaged; it will be set aside at the next start",
    sqlite3.SQLITE_NOTADB: "the file is damaged; it will be set aside at the next start",
}

# The OS errors that are faults of the environment, not of the app (worded by fileio.reason).
_OS_FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.ENOTDIR})


class StorageError(Exception):
    """Base of the errors whose message is meant for the person using the app."""


class StorageUnavailable(StorageError):
    """The environment keeps the history from being read or saved (disk full, read-only, locked)."""


class DatabaseTooNew(StorageError):
    """The history was written by a newer version of the app; it is left untouched."""


def sqlite_code(exc: sqlite3.Error) -> int:
    """The primary SQLite result code of ``exc`` (0 when unknown)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def environment_fault(exc: BaseException, action: str, path: Path) -> StorageUnavailable | None:
    """A :class:`StorageUnavailable` when ``exc`` is an environment fault, else None (a bug)."""
    reason: str | None = None
    if isinstance(exc, sqlite3.Error):
        reason = _SQLITE_REASONS.get(sqlite_code(exc))
    elif isinstance(exc, OSError) and exc.errno == errno.EEXIST:
        reason = "a file stands where a folder should be"  # from mkdir, the only place it can come from
    elif isinstance(exc, OSError) and exc.errno in _OS_FAULTS:
        reason = fileio.reason(exc)
    if reason is None:
        return None
    if reason in (_SQLITE_REASONS[sqlite3.SQLITE_IOERR], _SQLITE_REASONS[sqlite3.SQLITE_CANTOPEN]) and disk_full(path):
        reason = _SQLITE_REASONS[sqlite3.SQLITE_FULL]  # SQLite reports a full disk as an I/O error at times
    return StorageUnavailable(f"{action}: {reason} ({path}).")


FULL_BELOW_BYTES = 256 * 1024  # less free space than this: a write of a page and its journal fails


def disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` (or its nearest existing folder) has (almost) no space left."""
    if not hasattr(os, "statvfs"):
        return False
    folder = path
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < FULL_BELOW_BYTES


def summarise(lines: list[str], limit: int = 160) -> str:
    """One line for a long diagnostic: the first line (shortened) and how many more there are.

    The full text goes to the log; a notice taller than the screen helps nobody.
    """
    if not lines:
        return "no details"
    first = " ".join(lines[0].split())
    if len(first) > limit:
        first = first[: limit - 1] + "…"
    more = len(lines) - 1
    return first + (f" (and {more} more problems; the full report is in the log)" if more else "")


@contextmanager
def translate_faults(action: str, path: Path) -> Iterator[None]:
    """Turn environment faults raised inside the block into :class:`StorageUnavailable`."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        fault = environment_fault(exc, action, path)
        if fault is None:
            raise
        raise fault from exc
