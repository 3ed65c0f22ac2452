"""Nothing practised is lost: sessions still unsaved at quit go to a recovery file, imported next start.

:func:`background_recorder` builds the app's recorder: its writes go through a
:class:`~acupressure_desktop.storage.writer.SessionWriter` thread with a connection of its
own. :func:`save_unsaved` (at quit) writes what the writer could not save, in the history
export format, to ``recovery/unsaved-<time>.json`` in the data folder (the state folder when
the data folder cannot be written); :func:`import_recovered` (at the next start) writes those
sessions into the history, replacing the older state of any session already there, removes
the file and says how many came back. :func:`restore_backup` merges a daily backup's sessions
into the history (sessions already there are kept as they are).

Qt-free.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from acupressure_desktop import __version__
from acupressure_desktop.fileio import PRIVATE_FILE, make_private_dir, write_text_atomically
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.storage.db import Database, list_backups, open_database
from acupressure_desktop.storage.errors import StorageError, translate_faults
from acupressure_desktop.storage.exchange import FORMAT_NAME, FORMAT_VERSION, ImportRefused, read_export
from acupressure_desktop.storage.history import COLUMNS, HistoryRepository, OpenedHistory, Session
from acupressure_desktop.storage.recorder import SessionRecorder
from acupressure_desktop.storage.writer import SessionWriter

log = logging.getLogger(__name__)

RECOVERY_FOLDER = "recovery"
WRITER_BUSY_TIMEOUT_MS = 2000  # the writer's thread may wait; the GUI's connection may not


def recovery_dirs(paths: AppPaths) -> tuple[Path, Path]:
    return paths.data / RECOVERY_FOLDER, paths.state / RECOVERY_FOLDER


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def session_record(session: Session) -> dict[str, object]:
    """A session as one row of the export format."""
    values: dict[str, object] = {
        "id": session.id,
        "routine_id": session.routine_id,
        "routine_title": session.routine_title,
        "started_at": _iso(session.started_at),
        "local_date": session.local_date.isoformat(),
        "ended_at": _iso(session.ended_at),
        "planned_seconds": session.planned_seconds,
        "practised_seconds": session.practised_seconds,
        "steps_total": session.steps_total,
        "steps_done": session.steps_done,
        "status": str(session.status),
        "rating_label": session.rating_label,
        "before_rating": session.before_rating,
        "after_rating": session.after_rating,
        "note": session.note,
    }
    assert tuple(values) == COLUMNS
    return values


def save_unsaved(sessions: Sequence[Session], paths: AppPaths, *, now: datetime | None = None) -> Path:
    """Write ``sessions`` to a new recovery file; raises StorageError naming why it could not be."""
    moment = now or datetime.now(UTC)
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": _iso(moment),
        "sessions": [session_record(s) for s in sessions],
    }
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    last: StorageError | None = None
    for folder in recovery_dirs(paths):
        target = folder / f"unsaved-{moment.astimezone():%Y%m%d-%H%M%S}-{sessions[0].id[:8]}.json"
        try:
            with translate_faults("Cannot keep the unsaved sessions", folder):
                make_private_dir(folder)
                write_text_atomically(target, text, mode=PRIVATE_FILE)
            return target
        except StorageError as exc:
            last = exc
        except OSError as exc:
            last = StorageError(f"Cannot keep the unsaved sessions: {exc} ({folder}).")
    assert last is not None
    raise last


def pending_recovery_files(paths: AppPaths) -> list[Path]:
    found: list[Path] = []
    for folder in recovery_dirs(paths):
        if folder.is_dir():
            found.extend(sorted(folder.glob("unsaved-*.json")))
    return found


def import_recovered(repository: HistoryRepository, paths: AppPaths) -> list[str]:
    """Write the sessions of every recovery file into the history; return what to tell the person."""
    notices: list[str] = []
    for file in pending_recovery_files(paths):
        try:
            records = read_export(file, now=repository.now())
        except ImportRefused as exc:
            aside = file.with_name(file.name + ".unreadable")
            try:
                file.rename(aside)
            except OSError:
                aside = file
            notices.append(f"Sessions kept from last time could not be read back: {exc} The file is kept as {aside}.")
            continue
        except OSError as exc:
            notices.append(f"Sessions kept from last time in {file} could not be read ({exc}); they stay there.")
            continue
        sessions = [record.session(repository) for record in records]
        try:
            for session in sessions:  # the newest state wins over an older row of the same session
                repository.save(session)
        except StorageError as exc:
            notices.append(f"{len(sessions)} session(s) kept from last time are still waiting in {file}: {exc}")
            continue
        try:
            file.unlink()
        except OSError as exc:
            log.warning("cannot remove the recovery file %s: %s", file, exc)
        notices.append(f"{len(sessions)} session(s) that could not be saved last time were added to your history now.")
    return notices


def background_recorder(
    opened: OpenedHistory,
    paths: AppPaths,
    *,
    on_problem: Callable[[str | None], None] | None = None,
    on_replaced: Callable[[str], None] | None = None,
    on_saved: Callable[[list[Session]], None] | None = None,
    tz: tzinfo | None = None,
) -> SessionRecorder:
    """The app's recorder: writes and retries on a writer thread with its own connection."""
    repository = opened.repository

    def open_repository() -> HistoryRepository:
        db = open_database(paths.history_db, busy_timeout_ms=WRITER_BUSY_TIMEOUT_MS)
        return HistoryRepository(db, clock=repository.now, tz=tz)

    writer = SessionWriter(
        open_repository,
        on_problem=on_problem,
        on_replaced=on_replaced,
        on_saved=on_saved,
        identity=repository.db.identity,
    )
    return SessionRecorder(repository, writer=writer)


def close_recorder(recorder: SessionRecorder, paths: AppPaths, *, timeout: float = 2.0) -> str | None:
    """At quit: a last attempt, then a recovery file for what is still unsaved. Returns what to say, if anything."""
    unsaved = recorder.close(timeout)
    if not unsaved:
        return None
    try:
        file = save_unsaved(unsaved, paths)
    except StorageError as exc:
        log.error("unsaved sessions lost at quit: %s", exc)
        return f"{len(unsaved)} session(s) could not be saved and could not be kept either: {exc}"
    log.warning("%d unsaved session(s) kept in %s", len(unsaved), file)
    return (
        f"{len(unsaved)} session(s) could not be saved yet; they were kept in {file} "
        "and are added to the history at the next start."
    )


def carry_over(repository: HistoryRepository) -> int:
    """After the history file was deleted (or swapped) while the app ran: the window's connection
    still sees the old file, so its sessions are written into the file now at the path. Returns
    how many were added (known ids are skipped). Raises StorageError."""
    try:
        sessions = repository.list_sessions()
    except StorageError:
        sessions = []
    repository.db.reconnect()
    return repository.add_sessions(sessions) if sessions else 0


def latest_backup(paths: AppPaths) -> Path | None:
    backups = list_backups(paths.backups_dir)
    return backups[-1] if backups else None


def restore_backup(repository: HistoryRepository, backup: Path) -> int:
    """Add the sessions of a daily backup to the history (known ones kept); returns how many were added."""
    with translate_faults("Cannot read the backup", backup):
        connection = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        sessions = HistoryRepository(Database(connection, backup)).list_sessions()
    finally:
        connection.close()
    return repository.add_sessions(sessions)
