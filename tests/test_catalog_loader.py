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
from tests.minidata import point, svg, uses, write_minidata


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
    assert any("PC6.colour: unknown field" in p for p in _problems(dirs))


def test_cross_references_are_checked(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "points" / "hand.json", lambda d: d[0].update(benefits=["flying"], evidence=uses("flying")))
    _edit(dirs.data / "routines.json", lambda d: d[0]["steps"].append({"point": "ST36", "seconds": 30}))
    problems = _problems(dirs)
    assert "data/points: LI4.benefits: unknown benefit 'flying'" in problems
    assert "data/routines.json: quick.steps.2: unknown point 'ST36'" in problems


def test_reference_only_point_cannot_be_in_a_routine(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    caution = {"kind": "reference_only", "text": "Never press.", "sources": ["advice"]}
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(cautions=[caution], tier="reference"))
    _edit(dirs.data / "routines.json", lambda d: d[0]["steps"].append({"point": "PC6", "seconds": 30}))
    assert "data/routines.json: quick.steps.2: PC6 is a reference point: never practised" in _problems(dirs)


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


def test_a_technique_step_is_done_in_the_centre_or_on_both_sides(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(
        dirs.data / "routines.json",
        lambda d: d[0]["steps"].append({"technique": "palm-press", "seconds": 30, "side": "left"}),
    )
    problems = _problems(dirs)
    assert "data/routines.json: quick.steps.2.side: technique palm-press is done 'center' or 'both'" in problems


# -- content checks: evidence per use, caution sources, pregnancy list, complete sources --------------


def test_evidence_must_grade_every_benefit_once_in_order(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "points" / "hand.json", lambda d: d[0].update(evidence=uses("stress")))
    problems = _problems(dirs)
    assert any(p.startswith("data/points/hand.json: LI4: evidence must grade each benefit") for p in problems)


def test_a_graded_use_needs_a_trial_or_review(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    graded = {"benefit": "stress", "level": "low", "note": "Says a patient leaflet.", "sources": ["advice"]}
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(evidence=[graded]))
    problems = _problems(dirs)
    assert "data/points: PC6.evidence.stress: level 'low' needs a trial or review among its sources" in problems
    graded["sources"] = ["review"]
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(evidence=[graded]))
    assert load_catalog(dirs).points["PC6"].evidence_for("stress").level == "low"  # type: ignore[union-attr]


def test_untested_level_is_the_only_one_without_sources(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    graded = {"benefit": "stress", "level": "very_low", "note": "No source.", "sources": []}
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(evidence=[graded]))
    assert any("PC6.evidence.0: evidence level 'very_low' needs" in p for p in _problems(dirs))


def test_a_caution_must_cite_a_source_that_gives_advice(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    caution = {"kind": "artery", "text": "Press beside the pulse.", "sources": ["who-2008"]}
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(cautions=[caution]))
    problems = _problems(dirs)
    assert "data/points: PC6.cautions.artery: cite a source that gives this advice, not only where the point is" in (
        problems
    )
    caution["sources"] = ["who-2008", "advice"]
    _edit(dirs.data / "points" / "hand.json", lambda d: d[1].update(cautions=[caution]))
    load_catalog(dirs)


def test_technique_cautions_are_checked_too(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    caution = {"kind": "gentle", "text": "Lightly.", "sources": ["who-2008"]}
    _edit(dirs.data / "techniques.json", lambda d: d[0].update(cautions=[caution]))
    assert any(p.startswith("data/techniques.json: palm-press.cautions.gentle: cite a source") for p in _problems(dirs))


def test_a_pregnancy_caution_must_cite_a_review(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    caution = {"kind": "pregnancy", "text": "Avoid.", "sources": ["advice"]}
    _edit(dirs.data / "points" / "hand.json", lambda d: d[0].update(cautions=[caution]))
    assert "data/points: LI4.cautions.pregnancy: a pregnancy caution cites a review of the pregnancy points" in (
        _problems(dirs)
    )


@pytest.mark.parametrize("code", ["LI4", "BL23", "GV4", "SP9"])
def test_every_point_on_the_pregnancy_lists_needs_a_pregnancy_caution(tmp_path: Path, code: str) -> None:
    dirs = write_minidata(tmp_path)
    meridian = code.rstrip("0123456789")
    extra = point(code, meridian=meridian, bilateral=meridian != "GV", cautions=[])
    _edit(dirs.data / "points" / "hand.json", lambda d: d.__setitem__(0, extra) if code == "LI4" else d.append(extra))
    assert f"data/points: {code}.cautions: on the traditional pregnancy lists: needs a pregnancy caution" in (
        _problems(dirs)
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("authors"), "who-2008.authors: Field required"),
        (lambda s: s.pop("year"), "who-2008.year: Field required"),
        (lambda s: s.pop("title"), "who-2008.title: Field required"),
        (lambda s: s.pop("isbn"), "who-2008: a source needs a DOI, PMID, ISBN or stable https URL"),
        (lambda s: s.update(url="http://insecure.example"), "who-2008.url: String should match pattern"),
        (lambda s: s.update(doi="doi:10.1/x"), "who-2008.doi: String should match pattern"),
    ],
)
def test_every_source_has_authors_year_title_and_an_identifier(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    dirs = write_minidata(tmp_path)
    _edit(dirs.data / "sources" / "core.json", lambda d: change(d[0]))
    problems = _problems(dirs)
    assert any(p.startswith(f"data/sources/core.json: {message}") for p in problems), problems


def test_glossary_terms_are_found_as_whole_words(tmp_path: Path) -> None:
    catalog = load_catalog(write_minidata(tmp_path))
    assert [t.id for t in catalog.terms_in(["Go up 2 B-cun from the crease."])] == ["b-cun"]
    assert catalog.terms_in(["An AB-cunning plan."]) == []


def test_a_source_reads_as_one_citation_line(tmp_path: Path) -> None:
    from acupressure_desktop.domain.models import Source

    source = Source(
        id="x",
        label="X 2020",
        kind="trial",
        authors="Smith A, Jones B, et al.",
        year=2020,
        title="A trial",
        published_in="Journal 1(2):3-4",
        doi="10.1000/x",
        pmid="123",
    )
    assert source.reference == "Smith A, Jones B, et al. A trial. Journal 1(2):3-4; 2020. doi:10.1000/x PMID 123"
