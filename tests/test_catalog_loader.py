"""The loader: valid data loads; every kind of fault is named as file: field: problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from acupressure_desktop.catalog.bodymaps import split_hotspot_id
from acupressure_desktop.catalog.loader import CatalogError, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from tests.minidata import point, svg, write_minidata


def _edit(path: Path, change: Callable[[Any], object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _problems(dirs: ResourceDirs) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(dirs)
    return [str(p) for p in info.value.problems]


def test_valid_minidata_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write_minidata(tmp_path))
    assert set(catalog.points) == {"LI4", "PC6", "GV20"}
    hand = catalog.maps["hand"]
    assert {h.element_id for h in hand.hotspots} == {"pt-LI4-L", "pt-LI4-R", "pt-PC6-L", "pt-PC6-R", "pt-GV20"}
    assert catalog.view_problems == []
    assert [v.id for v in catalog.views_of("LI4")] == ["hand"]
    assert catalog.routines["quick"].total_seconds == 120


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.data / "benefits.json").write_text('[{"id": "stress",', encoding="utf-8")
    problems = _problems(dirs)
    assert any(p.startswith("data/benefits.json: line 1 column") and "invalid JSON" in p for p in problems), problems


def test_wrong_field_names_item_and_field(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "points" / "hand.json", lambda d: d[0]["technique"].update(hold_seconds=-3))
    problems = _problems(dirs)
    assert any(p.startswith("data/points/hand.json: LI4.technique.hold_seconds:") for p in problems), problems


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(colour="red"))
    assert any("PC6.colour: Extra inputs are not permitted" in p for p in _problems(dirs))


def test_cross_references_are_checked(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "points" / "hand.json", lambda d: d[0].update(benefits=["flying"]))
    _edit(dirs.data / "routines.json", lambda d: d[0]["steps"].append({"point": "ST36", "seconds": 30}))
    problems = _problems(dirs)
    assert "data/points: LI4.benefits: unknown benefit 'flying'" in problems
    assert "data/routines.json: quick.steps.2: unknown point 'ST36'" in problems


def test_reference_only_point_cannot_be_in_a_routine(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    caution = {"kind": "reference_only", "text": "Never press.", "sources": ["who-2008"]}
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(cautions=[caution]))
    _edit(dirs.data / "routines.json", lambda d: d[0]["steps"].append({"point": "PC6", "seconds": 30}))
    assert "data/routines.json: quick.steps.2: PC6 is reference-only and cannot be practised" in _problems(dirs)


def test_duplicate_point_across_files(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.data / "points" / "zz.json").write_text(json.dumps([point("LI4")]), encoding="utf-8")
    assert any("zz.json: LI4: duplicate id" in p for p in _problems(dirs))


def test_broken_svg_drops_only_that_view(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").write_text("<svg", encoding="utf-8")
    catalog = load_catalog(dirs)
    assert "hand" not in catalog.maps
    assert str(catalog.view_problems[0]).startswith("assets/bodymaps/hand.svg: (file): not a readable SVG")


def test_missing_and_orphan_hotspots_named(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").write_text(
        svg('<circle id="pt-LI4-L" cx="1" cy="1" r="9"/><circle id="pt-PC6" cx="1" cy="1" r="9"/>'),
        encoding="utf-8",
    )
    problems = [str(p) for p in load_catalog(dirs).view_problems]
    assert "assets/bodymaps/hand.svg: pt-PC6: PC6 hotspot needs a -L/-R side" in problems
    dirs2 = write_minidata(tmp_path / "b")
    (dirs2.bodymaps / "hand.svg").write_text(svg('<circle id="pt-LI4-L" cx="1" cy="1" r="9"/>'), encoding="utf-8")
    problems = [str(p) for p in load_catalog(dirs2).view_problems]
    # A point is on a view only through its hotspot: the guides that still name the view say so.
    assert "data/guides.json: PC6@hand.point: PC6 has no hotspot on hand" in problems
    assert "data/guides.json: GV20@hand.point: GV20 has no hotspot on hand" in problems


def test_unknown_hotspot_and_transform_rejected(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").write_text(svg('<circle id="pt-XX9" cx="1" cy="1" r="9"/>'), encoding="utf-8")
    assert "pt-XX9: hotspot names no known point" in str(load_catalog(dirs).view_problems[0])
    (dirs.bodymaps / "hand.svg").write_text(
        svg('<circle id="pt-GV20" cx="1" cy="1" r="9" transform="scale(2)"/>'), encoding="utf-8"
    )
    assert "transforms are not allowed" in str(load_catalog(dirs).view_problems[0])


@pytest.mark.parametrize(
    ("element_id", "expected"),
    [
        ("pt-LI4-L", ("LI4", "L")),
        ("pt-GV20", ("GV20", None)),
        ("pt-EX-HN3", ("EX-HN3", None)),
        ("pt-EX-UE7-R-2", ("EX-UE7", "R")),
        ("pt-LI4-X", None),
        ("region-neck", None),
    ],
)
def test_split_hotspot_id(element_id: str, expected: tuple[str, str | None] | None) -> None:
    assert split_hotspot_id(element_id, {"LI4", "GV20", "EX-HN3", "EX-UE7", "EX-HN"}) == expected


def test_committed_json_schemas_match_the_models() -> None:
    from acupressure_desktop.catalog.resources import ResourceDirs
    from acupressure_desktop.catalog.schema import render, schema_documents

    folder = ResourceDirs.locate().data / "schema"
    for name, schema in schema_documents().items():
        committed = (folder / name).read_text(encoding="utf-8")
        assert committed == render(schema), f"data/schema/{name} is stale: python -m acupressure_desktop.catalog.schema"


def test_step_side_must_fit_the_point(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "routines.json", lambda d: d[0]["steps"].append({"point": "GV20", "seconds": 30}))
    _edit(
        dirs.data / "routines.json", lambda d: d[0]["steps"].append({"point": "LI4", "seconds": 30, "side": "center"})
    )
    problems = _problems(dirs)
    assert "data/routines.json: quick.steps.2.side: GV20 needs side 'center' (a midline point)" in problems
    assert "data/routines.json: quick.steps.3.side: LI4 needs side 'both', 'left' or 'right'" in problems
