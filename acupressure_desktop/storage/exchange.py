"""Export the history as CSV or JSON; import a JSON export back, all or nothing.

An import reads and validates the whole file before it writes anything: one bad row
refuses the file with a message naming the row and the field, and nothing is added.
Session ids travel with the data, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from acupressure_desktop import __version__, fileio
from acupressure_desktop.domain.validation import error_message, field_path
from acupressure_desktop.storage.errors import StorageError, translate_faults
from acupressure_desktop.storage.history import (
    ALL_SESSIONS,
    COLUMNS,
    REPORT_EVERY,
    HistoryRepository,
    Report,
    Session,
    SessionFilter,
    Status,
    no_report,
    release,
    reporting,
)

FORMAT_NAME = "acupressure-desktop-history"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 50_000_000  # 50 MB, as the message says
MAX_IMPORT_ROWS = 1_000_000
MAX_PROBLEMS_SHOWN = 10
# Clocks of two machines disagree a little; a session up to this far "ahead" is not refused.
FUTURE_TOLERANCE = timedelta(minutes=10)
# Sessions outside this range cannot be real, and dates near year 1 or 9999 cannot even be
# shown in every time zone: refused at import with the row named.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_EVER = datetime(9000, 1, 1, tzinfo=UTC)  # without a "now" in the context; imports pass one

_COMPACT = (",", ":")  # keeps a 100,000-session export (about 40 MB) under the import limit

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = frozenset("=+-@\t\r")


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class ImportRefused(StorageError):
    """The file cannot be imported; nothing was. ``problems`` lists what is wrong, row by row."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"{path}: {problems[0]}{more}. Nothing was imported.")


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already in the history (same id)


# -- export -----------------------------------------------------------------------------


def neutralise(cell: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(cell, str) and cell[:1] in _FORMULA_STARTS:
        return "'" + cell
    return cell


# Columns a person or a routine author wrote; the rest (UUIDs, ISO times, numbers, status
# words) are formatted by the app and never start with a formula character.
_FREE_TEXT = tuple(COLUMNS.index(name) for name in ("routine_id", "routine_title", "rating_label", "note"))


def _csv_safe(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    routine_id, title, label, note = _FREE_TEXT
    starts = _FORMULA_STARTS
    for row in rows:
        # Most rows carry nothing dangerous; only rebuild the ones that do.
        if (
            row[routine_id][:1] in starts
            or row[title][:1] in starts
            or (row[label] or "")[:1] in starts
            or row[note][:1] in starts
        ):
            row = tuple(neutralise(cell) for cell in row)
        yield row


def _rows(repository: HistoryRepository, filter: SessionFilter, report: Report) -> Iterator[tuple[Any, ...]]:
    return reporting(repository.text_rows(filter), repository.count(filter), report)


def export_csv(
    repository: HistoryRepository, stream: TextIO, filter: SessionFilter = ALL_SESSIONS, report: Report = no_report
) -> int:
    """Write a header and one row per session (oldest first) to ``stream``; returns the row count.

    ``stream`` should be opened with ``newline=""`` (the csv module writes CRLF itself).
    """
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for row in _csv_safe(_rows(repository, filter, report)):
        writer.writerow(row)
        count += 1
    return count


def export_json(
    repository: HistoryRepository,
    stream: TextIO,
    filter: SessionFilter = ALL_SESSIONS,
    report: Report = no_report,
    *,
    now: datetime | None = None,
) -> int:
    """Write the export document, one session per line; returns the session count."""
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": (now or repository.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    stream.write("{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in header.items()))
    stream.write(', "sessions": [')
    count = 0
    for row in _rows(repository, filter, report):
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False, separators=_COMPACT))
        count += 1
    stream.write("\n]}\n")
    return count


class ExportRefused(StorageError):
    """The named output cannot be written (an empty name, a folder, a block device); nothing was."""


def export_to_file(
    repository: HistoryRepository,
    path: Path | str,
    fmt: ExportFormat,
    filter: SessionFilter = ALL_SESSIONS,
    report: Report = no_report,
    *,
    stdout: TextIO | None = None,
) -> int:
    """Export into ``path``: a regular or new file atomically (a half-written file never replaces an
    older one), a character device or pipe straight, ``-`` to standard output; returns the count."""
    writer = export_csv if fmt is ExportFormat.CSV else export_json
    name = str(path)
    with translate_faults("Cannot write the export", Path(name or ".")):
        try:
            return fileio.write_output(
                name, lambda stream: writer(repository, stream, filter, report), newline="", stdout=stdout
            )
        except fileio.OutputRefused as exc:
            raise ExportRefused(f"Cannot write the export: {exc}") from None


def write_atomically(path: Path, write: Callable[[TextIO], int]) -> int:
    """Write an export atomically; a full or read-only disk becomes a StorageUnavailable."""
    with translate_faults("Cannot write the export", path):
        return fileio.write_atomically(path, write, newline="")


# -- import -----------------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid_text(value: str) -> str:
    # A pattern, not a UUID object: 100,000 ids are checked in a fraction of the time.
    value = value.lower()
    if not _UUID.fullmatch(value):
        raise ValueError("expected a UUID like 6f1c1d1e-8a1b-4c57-9e58-0c8f7f1d2a10")
    return value


Text = Annotated[StrictStr, StringConstraints(min_length=1, max_length=200)]
Seconds = Annotated[StrictInt, Field(ge=0, le=86_400)]
Rating = Annotated[StrictInt, Field(ge=0, le=10)]


class SessionRecord(BaseModel):
    """One session as exported; checked field by field and for consistency."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[StrictStr, AfterValidator(_uuid_text)]
    routine_id: Text  # a routine's slug, or e.g. "point:LI4" for a single point
    routine_title: Text
    started_at: AwareDatetime
    local_date: date | None = None
    ended_at: AwareDatetime
    planned_seconds: Seconds
    practised_seconds: Seconds
    steps_total: Annotated[StrictInt, Field(ge=0, le=100)]
    steps_done: Annotated[StrictInt, Field(ge=0, le=100)]
    status: Status
    rating_label: Text | None = None
    before_rating: Rating | None = None
    after_rating: Rating | None = None
    note: Annotated[StrictStr, StringConstraints(max_length=10_000)] = ""

    def session(self, repository: HistoryRepository) -> Session:
        """The session to store. One still running in the file ended with the file (an export made
        mid-session, or an app that quit before the end), as a crash would have ended it."""
        return Session(
            id=self.id,
            routine_id=self.routine_id,
            routine_title=self.routine_title,
            started_at=self.started_at,
            local_date=self.local_date or repository.local_date(self.started_at),
            ended_at=self.ended_at,
            planned_seconds=self.planned_seconds,
            practised_seconds=self.practised_seconds,
            steps_total=self.steps_total,
            steps_done=self.steps_done,
            status=Status.INTERRUPTED if self.status is Status.RUNNING else self.status,
            rating_label=self.rating_label,
            before_rating=self.before_rating,
            after_rating=self.after_rating,
            note=self.note,
        )

    @model_validator(mode="after")
    def _possible(self, info: ValidationInfo) -> SessionRecord:
        if self.ended_at < self.started_at:
            raise ValueError(f"ended_at {self.ended_at} is before started_at {self.started_at}")
        now: datetime | None = (info.context or {}).get("now")
        if now is not None and self.ended_at > now + FUTURE_TOLERANCE:
            raise ValueError(f"ended_at {self.ended_at} is in the future")
        if self.steps_done > self.steps_total:
            raise ValueError(f"steps_done {self.steps_done} is more than steps_total {self.steps_total}")
        if self.local_date is not None and abs((self.local_date - self.started_at.date()).days) > 1:
            raise ValueError(f"local_date {self.local_date} is not the day started_at falls on anywhere")
        latest: datetime = (info.context or {}).get("latest", LATEST_EVER)
        for name in ("started_at", "ended_at"):
            moment: datetime = getattr(self, name)
            if not EARLIEST <= moment <= latest:
                raise ValueError(f"{name} {moment.isoformat()} is outside 1970 to tomorrow")
        if self.local_date is not None and not EARLIEST.date() <= self.local_date <= latest.date():
            raise ValueError(f"local_date {self.local_date} is outside 1970 to tomorrow")
        return self


_RECORDS = TypeAdapter(list[SessionRecord])


def _problem(error: Any, rows: list[Any], offset: int = 0) -> str:
    """'session 3 (id …): started_at: Input should …' from one pydantic error in ``rows[offset:]``."""
    location = list(error["loc"])
    message = error_message(error)
    where = "session"
    if location and isinstance(location[0], int):
        index = offset + location.pop(0)
        row = rows[index]
        ident = row.get("id") if isinstance(row, dict) else None
        where = f"session {index + 1}" + (f" (id {ident})" if isinstance(ident, str) else "")
    field = field_path(location, empty="")
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


def read_export(
    path: Path,
    *,
    now: datetime,
    max_bytes: int = MAX_IMPORT_BYTES,
    max_rows: int = MAX_IMPORT_ROWS,
    report: Report = no_report,
) -> list[SessionRecord]:
    """Read and check a whole JSON export; raise ImportRefused naming every problem found.

    ``report`` hears of the validation, row by row; the parse before it is not counted.
    """
    try:
        raw = fileio.read_bounded(path, max_bytes)  # FileNotFoundError passes: the caller names it
    except fileio.FileProblem as exc:
        problem = exc.problem
        if "too large" in problem:
            size = path.stat().st_size
            problem = f"the file is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB can be imported"
        raise ImportRefused(path, [problem]) from None
    try:
        document = fileio.parse_json(raw, path, share_lock=True)
    except fileio.FileProblem as exc:
        cause = exc.__cause__
        if isinstance(cause, UnicodeDecodeError):
            problem = "not a JSON file (it is not UTF-8 text)"
        elif isinstance(cause, json.JSONDecodeError):
            problem = f"not a JSON file: {cause.msg} at line {cause.lineno}, column {cause.colno}"
        else:
            problem = f"not a JSON file: {exc.problem.removeprefix('invalid JSON: ')}"
        raise ImportRefused(path, [problem]) from None

    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportRefused(path, [f'not an Acupressure Desktop history export (no "format": "{FORMAT_NAME}")'])
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise ImportRefused(path, [f"version: expected a whole number, got {version!r}"])
    if version > FORMAT_VERSION:
        raise ImportRefused(
            path,
            [f"made by a newer version of the app (format {version}; this version reads {FORMAT_VERSION})"],
        )
    unknown = sorted(set(document) - {"format", "version", "app_version", "exported_at", "sessions"})
    if unknown:
        raise ImportRefused(path, [f"unknown field {unknown[0]!r} at the top level"])
    rows = document.get("sessions")
    if not isinstance(rows, list):
        raise ImportRefused(path, ["sessions: expected a list of sessions"])
    if len(rows) > max_rows:
        raise ImportRefused(path, [f"{len(rows):,} sessions; at most {max_rows:,} can be imported"])

    # In slices, so that the progress moves and a cancel is heard between them.
    records: list[SessionRecord] = []
    problems: list[str] = []
    for start in range(0, len(rows), REPORT_EVERY):
        report(start, len(rows))
        try:
            records.extend(
                _RECORDS.validate_python(
                    rows[start : start + REPORT_EVERY], context={"now": now, "latest": now + timedelta(days=1)}
                )
            )
        except ValidationError as exc:
            problems.extend(_problem(error, rows, start) for error in exc.errors())
            if len(problems) >= MAX_PROBLEMS_SHOWN:
                break
    if problems:
        raise ImportRefused(path, problems[:MAX_PROBLEMS_SHOWN])
    report(len(rows), len(rows))
    release(rows)

    first_row: dict[str, int] = {}
    duplicates: list[str] = []
    for index, record in enumerate(records, start=1):
        earlier = first_row.setdefault(record.id, index)
        if earlier != index and len(duplicates) < MAX_PROBLEMS_SHOWN:
            duplicates.append(f"sessions {earlier} and {index} have the same id {record.id}")
    if duplicates:
        raise ImportRefused(path, duplicates)
    return records


def import_json(
    repository: HistoryRepository,
    path: Path,
    *,
    max_bytes: int = MAX_IMPORT_BYTES,
    max_rows: int = MAX_IMPORT_ROWS,
    report: Report = no_report,
) -> ImportResult:
    """Validate ``path`` completely, then add its sessions in one transaction (known ids skipped).

    ``report`` sees the validation as the first half of the work and the writing as the second.
    """
    records = read_export(
        path,
        now=repository.now(),
        max_bytes=max_bytes,
        max_rows=max_rows,
        report=lambda done, total: report(done, 2 * total),
    )
    sessions = [record.session(repository) for record in records]
    release(records)
    added = repository.add_sessions(sessions, lambda done, total: report(total + done, 2 * total))
    result = ImportResult(added=added, skipped=len(sessions) - added)
    release(sessions)
    return result
