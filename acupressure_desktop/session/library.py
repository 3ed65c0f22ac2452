"""Built-in and custom routines. Custom ones are JSON files in the user data folder.

Writes are atomic (temp file + rename). A custom file that no longer validates is moved
aside with a timestamp, never deleted, and reported. Imports are validated completely
before anything is written.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from acupressure_desktop.catalog.loader import Catalog, routine_problems
from acupressure_desktop.domain.models import Routine
from acupressure_desktop.domain.validation import summary
from acupressure_desktop.fileio import (
    FileProblem,
    clean_stale_temporaries_in,
    move_aside,
    parse_json,
    read_bounded,
    reason,
    write_text_atomically,
)

MAX_IMPORT_BYTES = 256 * 1024  # a routine is a few hundred bytes; anything huge is not one


class RoutineError(Exception):
    """A routine cannot be saved or imported; the message says why, for the person."""


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "routine"


class RoutineLibrary:
    def __init__(self, catalog: Catalog, folder: Path) -> None:
        self._catalog = catalog
        self._folder = folder
        self._custom: dict[str, Routine] = {}

    @property
    def folder(self) -> Path:
        return self._folder

    def load(self, *, repair: bool = True) -> list[str]:
        """Read the custom routines; return a notice per unreadable file, moved aside when
        ``repair`` (the app does; a read-only command such as search leaves the folder alone)."""
        self._custom.clear()
        notices: list[str] = []
        if not self._folder.is_dir():
            return notices
        if repair:
            clean_stale_temporaries_in(self._folder)  # saves killed midway
        for path in sorted(self._folder.glob("*.json")):
            try:
                routine = self._parse(read_bounded(path, MAX_IMPORT_BYTES), name=path.name)
            except FileNotFoundError:
                continue  # deleted meanwhile
            except (FileProblem, RoutineError) as exc:
                if not repair:
                    notices.append(f"The routine file {path} could not be read ({exc}).")
                    continue
                try:
                    kept = move_aside(path, "broken", datetime.now())
                    notices.append(f"The routine file {path} could not be read ({exc}); it was kept as {kept}.")
                except OSError:
                    notices.append(f"The routine file {path} could not be read ({exc}).")
                continue
            self._custom[routine.id] = routine
        return notices

    def all(self) -> list[Routine]:
        return [*self._catalog.routines.values(), *self._custom.values()]

    def custom(self) -> list[Routine]:
        return list(self._custom.values())

    def get(self, routine_id: str) -> Routine | None:
        return self._catalog.routines.get(routine_id) or self._custom.get(routine_id)

    def is_custom(self, routine_id: str) -> bool:
        return routine_id in self._custom

    def free_id(self, title: str) -> str:
        base = _slug(title)
        candidate, n = base, 2
        while self.get(candidate) is not None:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def save(self, routine: Routine) -> Routine:
        """Validate against the catalog and write atomically; built-ins are never overwritten."""
        if routine.id in self._catalog.routines:
            raise RoutineError(f"'{routine.id}' is a built-in routine; save a copy under another name")
        routine = routine.model_copy(update={"builtin": False})
        problems = routine_problems(routine, self._catalog, "routine")
        if problems:
            raise RoutineError("; ".join(f"{p.field}: {p.message}" for p in problems))
        self._folder.mkdir(parents=True, exist_ok=True)
        self._write_atomic(self._folder / f"{routine.id}.json", routine.model_dump_json(indent=2))
        self._custom[routine.id] = routine
        return routine

    def delete(self, routine_id: str) -> None:
        if routine_id not in self._custom:
            raise RoutineError(f"'{routine_id}' is not a custom routine")
        (self._folder / f"{routine_id}.json").unlink(missing_ok=True)
        del self._custom[routine_id]

    def duplicate(self, routine_id: str) -> Routine:
        original = self.get(routine_id)
        if original is None:
            raise RoutineError(f"no routine '{routine_id}'")
        title = f"{original.title} (my copy)"
        copy = original.model_copy(update={"id": self.free_id(title), "title": title, "safe_variant": None})
        return self.save(copy)

    def import_file(self, path: Path) -> Routine:
        """Validate a routine file completely, then save it (under a new id if taken)."""
        try:
            raw = read_bounded(path, MAX_IMPORT_BYTES, shown=path.name)
        except FileNotFoundError as exc:
            raise RoutineError(f"{path.name}: cannot read: {reason(exc)}") from exc
        except FileProblem as exc:
            problem = exc.problem.replace("too large", "far too large for a routine file", 1)
            raise RoutineError(f"{path.name}: {problem}") from exc
        routine = self._parse(raw, name=path.name)
        if self.get(routine.id) is not None:
            routine = routine.model_copy(update={"id": self.free_id(routine.title)})
        return self.save(routine.model_copy(update={"safe_variant": None}))

    def export_file(self, routine_id: str, path: Path) -> None:
        routine = self.get(routine_id)
        if routine is None:
            raise RoutineError(f"no routine '{routine_id}'")
        self._write_atomic(path, routine.model_copy(update={"builtin": False}).model_dump_json(indent=2))

    def _parse(self, raw: bytes, name: str = "routine") -> Routine:
        try:
            data = parse_json(raw, name)
        except FileProblem as exc:
            raise RoutineError(f"{name}: not a JSON routine file ({exc.where}: {exc.problem})") from None
        if not isinstance(data, dict):
            raise RoutineError(f"{name}: expected one routine object")
        data["builtin"] = False
        try:
            routine = Routine.model_validate(data)
        except ValidationError as exc:
            raise RoutineError(f"{name}: {summary(exc, 1, empty='file')}") from None
        except RecursionError:
            raise RoutineError(f"{name}: (file): nested too deeply") from None
        problems = routine_problems(routine, self._catalog, name)
        if problems:
            raise RoutineError("; ".join(f"{p.file}: {p.field}: {p.message}" for p in problems))
        return routine

    @staticmethod
    def _write_atomic(path: Path, text: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, text)
        except OSError as exc:
            raise RoutineError(f"cannot write {path}: {reason(exc)}") from exc
