"""Custom routines: atomic saves, validation, imports that refuse bad files and keep what exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.models import Routine, Step
from acupressure_desktop.session.library import RoutineError, RoutineLibrary
from tests.minidata import write_minidata


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return load_catalog(write_minidata(tmp_path / "res"))


@pytest.fixture
def library(catalog: Catalog, tmp_path: Path) -> RoutineLibrary:
    lib = RoutineLibrary(catalog, tmp_path / "routines")
    assert lib.load() == []
    return lib


def _custom(routine_id: str = "mine") -> Routine:
    return Routine(
        id=routine_id,
        title="Mine",
        purpose="Testing.",
        benefits=["stress"],
        steps=[Step(point="LI4", seconds=40), Step(point="PC6", seconds=40)],
        builtin=False,
    )


def test_save_load_roundtrip(library: RoutineLibrary, catalog: Catalog, tmp_path: Path) -> None:
    library.save(_custom())
    again = RoutineLibrary(catalog, tmp_path / "routines")
    assert again.load() == []
    assert again.get("mine") == _custom()
    assert [r.id for r in again.all()] == ["quick", "mine"]
    assert not list((tmp_path / "routines").glob("*.tmp"))


def test_builtin_cannot_be_overwritten(library: RoutineLibrary) -> None:
    with pytest.raises(RoutineError, match="built-in"):
        library.save(_custom("quick"))


def test_duplicate_makes_an_editable_copy(library: RoutineLibrary) -> None:
    copy = library.duplicate("quick")
    assert copy.id == "quick-my-copy" and not copy.builtin
    assert library.is_custom(copy.id)
    assert library.duplicate("quick").id == "quick-my-copy-2"


def test_delete_only_custom(library: RoutineLibrary, tmp_path: Path) -> None:
    library.save(_custom())
    library.delete("mine")
    assert library.get("mine") is None
    assert not (tmp_path / "routines" / "mine.json").exists()
    with pytest.raises(RoutineError):
        library.delete("quick")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not a JSON routine file"),
        (b"[]", "expected one routine object"),
        (json.dumps({**_custom().model_dump(mode="json"), "steps": [{"point": "XX1", "seconds": 10}] * 2}), "pattern"),
        (
            json.dumps({**_custom().model_dump(mode="json"), "steps": [{"point": "ST36", "seconds": 30}] * 2}),
            "unknown point 'ST36'",
        ),
        (json.dumps({**_custom().model_dump(mode="json"), "steps": [{"point": "LI4", "seconds": 0}] * 2}), "seconds"),
        (json.dumps({**_custom().model_dump(mode="json"), "steps": [{"point": "LI4", "seconds": -5}] * 2}), "seconds"),
        (b" " * 300_000, "too large"),
    ],
)
def test_bad_imports_are_refused_and_nothing_changes(
    library: RoutineLibrary, tmp_path: Path, content: bytes | str, message: str
) -> None:
    library.save(_custom())
    before = sorted(p.name for p in (tmp_path / "routines").iterdir())
    path = tmp_path / "incoming.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(RoutineError, match=message):
        library.import_file(path)
    assert sorted(p.name for p in (tmp_path / "routines").iterdir()) == before
    assert [r.id for r in library.custom()] == ["mine"]


def test_import_export_and_id_clash(library: RoutineLibrary, tmp_path: Path) -> None:
    library.save(_custom())
    exported = tmp_path / "out.json"
    library.export_file("mine", exported)
    imported = library.import_file(exported)
    assert imported.id == "mine-2"
    assert imported.steps == _custom().steps


def test_broken_custom_file_is_moved_aside(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "bad.json").write_text("{oops")
    library = RoutineLibrary(catalog, folder)
    notices = library.load()
    assert len(notices) == 1 and "kept as" in notices[0]
    kept = list(folder.glob("bad.json.broken-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{oops"
