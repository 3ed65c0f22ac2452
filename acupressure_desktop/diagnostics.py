"""Diagnostics without Qt: a rotating log file and a crash log in the state folder.

Nobody reads a desktop app's stderr, so what goes wrong is written where the person (or a
developer they send it to) can find it: ``<state>/log/acupressure-desktop.log`` and, for hard
crashes that never reach Python's exception handling, ``<state>/log/crash.log``.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from acupressure_desktop import APP_NAME, __version__
from acupressure_desktop.fileio import reason

LOG_FILE = f"{APP_NAME}.log"
CRASH_FILE = "crash.log"
LOG_BYTES = 1_000_000  # per file; with the backups at most 4 MB stay on disk
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger(APP_NAME)


@dataclass
class Diagnostics:
    """Where this run writes; ``log_file`` is None when the log folder cannot be used (logs go to stderr)."""

    log_file: Path | None
    crash_file: Path | None
    handler: logging.Handler
    problem: str | None = None
    _crash_stream: IO[str] | None = None

    def close(self) -> None:
        """Stop logging to the files (tests, and the end of a run)."""
        logging.getLogger().removeHandler(self.handler)
        self.handler.close()
        if self._crash_stream is not None:
            faulthandler.disable()
            self._crash_stream.close()
            self._crash_stream = None


def start_diagnostics(log_dir: Path, *, level: int = logging.INFO) -> Diagnostics:
    """Log to a rotating file in ``log_dir`` and dump hard crashes (segfaults, aborts) to a crash log."""
    root = logging.getLogger()
    root.setLevel(level)
    problem: str | None = None
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        crash_stream: IO[str] | None = open(log_dir / CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115 (kept open for faulthandler)
    except OSError as exc:
        handler = logging.StreamHandler(sys.stderr)
        crash_stream = None
        problem = f"{log_dir}: cannot write the log: {reason(exc)}"
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    if crash_stream is not None:
        faulthandler.enable(file=crash_stream, all_threads=True)
    diagnostics = Diagnostics(
        log_file=log_dir / LOG_FILE if problem is None else None,
        crash_file=log_dir / CRASH_FILE if crash_stream is not None else None,
        handler=handler,
        problem=problem,
        _crash_stream=crash_stream,
    )
    log.info("%s %s starting (Python %s)", APP_NAME, __version__, sys.version.split()[0])
    if problem:
        log.warning("%s", problem)
    return diagnostics
