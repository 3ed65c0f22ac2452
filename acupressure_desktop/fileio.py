"""Reading and writing the files the app touches, safely against hostile or broken ones.

Reading: :func:`read_bounded` opens a file once (never blocking on a FIFO), checks with
``fstat`` that it is a regular file, and reads at most a size limit, so a symlink to
``/dev/zero`` or a named pipe is refused instead of eating memory or hanging.
:func:`parse_json` turns every parser failure, including nesting too deep for the parser
(``RecursionError``) and integers with too many digits (``ValueError``), into a
:class:`FileProblem` whose message reads ``file: where: problem``.

Writing: :func:`write_atomically` writes a temporary file in the target's folder, flushed to
disk, then renamed over the target, so a crash or a full disk leaves the previous file as it
was. A symlink is written through to its target (a dotfiles folder keeps its link). Stale
temporary files of our own from a killed writer are removed at the next write (each writer
holds a lock on its temporary file while it is alive). :func:`open_output` chooses how to
write a file the person named: atomically for a regular or new file, straight into a
character device or a pipe, standard output for ``-``, and refuses other special files.

Qt-free.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

try:  # POSIX: a writer's lock on its temporary file tells a live writer from a killed one
    import fcntl
except ImportError:  # pragma: no cover - Windows: an open file cannot be deleted anyway
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_TEMP_SUFFIX = ".tmp"
_TEMP_MARK = "acupressure-"  # in every temporary name we make, so stale ones are known to be ours


class FileProblem(Exception):
    """A file cannot be used; ``str()`` is ``file: where: problem`` for the person."""

    def __init__(self, file: str | os.PathLike[str], where: str, problem: str) -> None:
        self.file = str(file)
        self.where = where
        self.problem = problem
        super().__init__(f"{self.file}: {where}: {problem}")


def reason(exc: OSError) -> str:
    """A short, plain reason for an OSError (no errno numbers, no ``None``)."""
    known = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the disk is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "a file stands where a folder should be",
        errno.ENOENT: "no such file or folder",
        errno.ELOOP: "too many levels of symbolic links",
        errno.ENXIO: "no program is reading from it",
        errno.EPIPE: "the reader has gone away",
        errno.EIO: "the disk reported a read or write error",
        errno.EBADF: "it is closed",
    }
    if exc.errno in known:
        return known[exc.errno]
    return exc.strerror or str(exc) or type(exc).__name__


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size / 1024:.0f} KiB"


# -- reading ----------------------------------------------------------------------------


def read_bounded(path: Path, limit: int, *, shown: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises FileNotFoundError when it does not exist (callers often have a default for
    that) and FileProblem for everything else: a FIFO, a device, a folder, a file too
    large, or a read error. ``shown`` names the file in messages (default: ``path``).
    """
    name = shown if shown is not None else str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileProblem(name, "(file)", f"cannot be read ({reason(exc)})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(name, "(file)", f"is {_kind(info.st_mode)}, not a regular file; not read")
        if info.st_size > limit:
            raise FileProblem(
                name, "(file)", f"is {_size_text(info.st_size)}, too large (at most {_size_text(limit)} can be read)"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # a file growing while it is read still stops at the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileProblem(name, "(file)", f"is too large (more than {_size_text(limit)}); not read")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(name, "(file)", f"cannot be read ({reason(exc)})") from exc
    finally:
        os.close(fd)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return dict(pairs)


def parse_json(raw: bytes, shown: str | os.PathLike[str], *, share_lock: bool = False) -> Any:
    """Parse UTF-8 JSON (a BOM allowed); every failure is a FileProblem naming where.

    The FileProblem's ``__cause__`` is the parser's own exception, for callers that word it.
    ``share_lock``: build objects through a Python hook, so that between two objects the parser
    lets other threads run (a 40 MB import in a worker then never freezes the window for the
    whole parse); it parses about half as fast.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(shown, f"byte {exc.start}", "not UTF-8 text") from exc
    try:
        return json.loads(text, object_pairs_hook=_object if share_lock else None)
    except json.JSONDecodeError as exc:
        raise FileProblem(shown, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise FileProblem(shown, "(file)", "invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits
        problem = "a number has too many digits" if "digits" in str(exc) else str(exc)
        raise FileProblem(shown, "(file)", f"invalid JSON: {problem}") from exc


def read_json(path: Path, limit: int, *, shown: str | None = None) -> Any:
    """:func:`read_bounded` then :func:`parse_json`."""
    name = shown if shown is not None else str(path)
    return parse_json(read_bounded(path, limit, shown=name), name)


def peek_json(path: Path, limit: int = 1_000_000) -> Any:
    """The parsed file, or None on any problem: a quick look that must never block or fail."""
    try:
        return read_json(path, limit)
    except (OSError, FileProblem):
        return None


def move_aside(path: Path, label: str, now: datetime, companions: Sequence[str] = ()) -> Path:
    """Rename a damaged file (and ``path`` + each companion suffix, where present) to
    ``<name>.<label>-YYYYmmdd-HHMMSS``, adding ``-2``, ``-3``… so that no earlier copy is ever
    overwritten; returns the new name of ``path``. Raises OSError."""

    def family(of: Path) -> list[Path]:
        return [of, *(of.with_name(of.name + suffix) for suffix in companions)]

    stem = f"{path.name}.{label}-{now:%Y%m%d-%H%M%S}"
    target = path.with_name(stem)
    counter = 1
    while any(p.exists() or p.is_symlink() for p in family(target)):
        counter += 1
        target = path.with_name(f"{stem}-{counter}")
    for source, destination in zip(family(path), family(target), strict=True):
        if source.exists() or source.is_symlink():
            os.rename(source, destination)
    return target


# -- writing ----------------------------------------------------------------------------


def _lock(fd: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def clean_stale_temporaries(path: Path) -> list[Path]:
    """Remove our own temporary files in ``path``'s folder left by a killed writer; returns them.

    Only files named like ours, owned by us and not locked by a live writer are removed, so a
    killed export of one day's file is cleaned by the next export of another day's.
    """
    return _clean(path.parent, path.name)


def clean_stale_temporaries_in(folder: Path) -> list[Path]:
    """At start-up: our stale temporary files in ``folder`` (see :func:`clean_stale_temporaries`)."""
    return _clean(folder, None)


def _clean(folder: Path, name: str | None) -> list[Path]:
    removed: list[Path] = []
    try:
        # Ours for any file in the folder (marked), and unmarked ones an older version left for this name.
        candidates = set(folder.glob(f".*.{_TEMP_MARK}*{_TEMP_SUFFIX}"))
        if name is not None:
            candidates.update(folder.glob(f".{_glob_escape(name)}.*{_TEMP_SUFFIX}"))
    except OSError:
        return removed
    for candidate in sorted(candidates):
        try:
            fd = os.open(candidate, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                continue
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live writer holds it
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
        finally:
            os.close(fd)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def real_target(path: Path) -> Path:
    """Where writing ``path`` really lands: a symlink (chain) is followed to its target."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_atomically(
    path: Path, write: Callable[[TextIO], T], newline: str | None = None, *, mode: int | None = None
) -> T:
    """Call ``write`` on a temporary text stream and replace ``path`` with it; raises OSError.

    A symlink is written through to its target. The folder must exist: whether to create
    it is the caller's choice. A replaced file keeps its permissions; a new one gets
    ``mode`` (default 0600: the app's files are private).
    """
    target = real_target(path)
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, f"it is {_kind(info.st_mode)}, not a regular file; not replaced", str(target))
    keep_mode = None if info is None else stat.S_IMODE(info.st_mode)
    clean_stale_temporaries(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.{_TEMP_MARK}", suffix=_TEMP_SUFFIX, dir=target.parent)
    _lock(fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
            final_mode = keep_mode if keep_mode is not None else (mode if mode is not None else PRIVATE_FILE)
            if hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), final_mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return result


def write_text_atomically(path: Path, text: str, *, mode: int | None = None) -> None:
    write_atomically(path, lambda stream: stream.write(text), mode=mode)


class OutputRefused(Exception):
    """A named output cannot be written; the message says why, for the person."""


STDOUT_NAME = "-"


def output_kind(name: str) -> str:
    """How :func:`write_output` writes ``name``: ``stdout``, ``stream`` (device/pipe) or ``file``.

    Raises OutputRefused for an empty name, a folder, a block device or a socket.
    """
    if name == STDOUT_NAME:
        return "stdout"
    if not name:
        raise OutputRefused("no file name given (use - for standard output)")
    try:
        info = os.stat(name)
    except FileNotFoundError:
        return "file"
    except OSError as exc:
        raise OutputRefused(f"{name}: cannot be written: {reason(exc)}") from exc
    if stat.S_ISREG(info.st_mode):
        return "file"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return "stream"
    raise OutputRefused(f"{name}: is {_kind(info.st_mode)}; refusing to write over it")


def write_output(
    name: str,
    write: Callable[[TextIO], T],
    *,
    newline: str | None = None,
    stdout: TextIO | None = None,
) -> T:
    """Write to the output the person named (see :func:`output_kind`); raises OutputRefused or OSError.

    A regular or new file is replaced atomically; a character device (``/dev/null``) or a
    pipe is written straight into, never replaced; ``-`` is standard output.
    """
    kind = output_kind(name)
    if kind == "file":
        return write_atomically(Path(name), write, newline)
    if kind == "stdout":
        stream = stdout or sys.stdout
        if stream is None or stream.closed:
            raise OutputRefused("standard output is closed")
        if hasattr(stream, "reconfigure") and newline is not None:
            stream.reconfigure(encoding="utf-8", newline=newline)
        result = write(stream)
        stream.flush()
        return result
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISFIFO(os.stat(name).st_mode):
        flags |= getattr(os, "O_NONBLOCK", 0)  # no reader: ENXIO at once rather than a hang
    fd = os.open(name, flags)
    if hasattr(os, "set_blocking"):
        with contextlib.suppress(OSError):
            os.set_blocking(fd, True)
    with open(fd, "w", encoding="utf-8", newline=newline, closefd=True) as out:
        result = write(out)
        out.flush()
    return result


# -- private folders and files ------------------------------------------------------------


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) with mode 0700; tighten it if it is ours and looser. Raises OSError."""
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    make_private(folder, PRIVATE_DIR)


def make_private(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Remove group and other access from ``path`` if it is ours (best effort, never raises)."""
    if os.name != "posix":
        return
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
            return
        if stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077 & (mode | 0o700))
    except OSError:
        return
