"""``acupressure-desktop history export|import``: thin wrappers with exit codes and one-line errors."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import TextIO

from acupressure_desktop import APP_NAME
from acupressure_desktop.fileio import STDOUT_NAME, reason
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.errors import StorageError
from acupressure_desktop.storage.exchange import ExportFormat, export_to_file, import_json
from acupressure_desktop.storage.history import HistoryRepository


def _open(paths: AppPaths, stderr: TextIO) -> HistoryRepository:
    # Unlike the app, a command leaves 'running' sessions alone: the app may be running one now.
    db = open_database(paths.history_db)
    for notice in db.notices:
        print(f"{APP_NAME}: {notice}", file=stderr)
    return HistoryRepository(db)


def _fail(what: str, message: object, stderr: TextIO) -> int:
    print(f"{APP_NAME}: history {what}: {message}", file=stderr)
    return 1


def export_command(
    paths: AppPaths,
    fmt: str,
    output: Path | str | None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Write the whole history as CSV or JSON to ``output``, or to standard output for None or ``-``.

    A regular or new file is replaced atomically; a device or a pipe is written straight into.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr or io.StringIO()
    if fmt not in tuple(ExportFormat):
        return _fail("export", f"unknown format {fmt!r} (use csv or json)", stderr)
    export_format = ExportFormat(fmt)
    name = STDOUT_NAME if output is None else str(output)
    if name == STDOUT_NAME and (stdout is None or stdout.closed):
        return _fail("export", "standard output is closed; use --output FILE", stderr)
    try:
        repository = _open(paths, stderr)
        try:
            count = export_to_file(repository, name, export_format, stdout=stdout)
        finally:
            repository.db.close()
    except BrokenPipeError:
        # The reader stopped early (| head): not an error. Keep Python from failing on exit flush.
        if name == STDOUT_NAME and stdout is not None:
            with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stdout.fileno())
        return 0
    except StorageError as exc:
        return _fail("export", exc, stderr)
    except OSError as exc:
        where = "standard output" if name == STDOUT_NAME else name
        return _fail("export", f"cannot write {where}: {reason(exc)}", stderr)
    except ValueError as exc:  # writing to a stream closed meanwhile
        return _fail("export", f"cannot write: {exc}", stderr)
    if name != STDOUT_NAME:
        print(f"Exported {count} sessions to {name}.", file=stderr)
    return 0


def import_command(
    paths: AppPaths,
    file: Path,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Add the sessions of a JSON export to the history: all or nothing, known sessions skipped."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        repository = _open(paths, stderr)
        try:
            result = import_json(repository, file)
        finally:
            repository.db.close()
    except StorageError as exc:
        return _fail("import", exc, stderr)
    except OSError as exc:
        return _fail("import", f"cannot read {file}: {reason(exc)}", stderr)
    print(f"Imported {result.added} sessions; {result.skipped} were already in the history.", file=stdout)
    return 0
