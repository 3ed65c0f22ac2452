"""Measuring guides: the model, the measurement check on made-up and on shipped data, the export."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from acupressure_desktop.catalog.export import catalog_document
from acupressure_desktop.catalog.guides import copies, expected_end, guide_for, tolerance_cun
from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.models import GuideStep
from tests.minidata import svg, write_minidata

SHIPPED: Catalog = load_catalog()

HOTSPOTS = (
    '<circle id="pt-LI4-L" cx="40" cy="50" r="9"/><circle id="pt-LI4-R" cx="160" cy="50" r="9"/>'
    '<circle id="pt-PC6-L" cx="40" cy="80" r="9"/><circle id="pt-PC6-R" cx="160" cy="80" r="9"/>'
    '<circle id="pt-GV20" cx="100" cy="50" r="9"/>'
)


def _problems(tmp_path: Path, *, hotspots: str = HOTSPOTS, edit: Any = None) -> list[str]:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").write_text(svg(hotspots), encoding="utf-8")
    if edit is not None:
        path = dirs.data / "guides.json"
        guides = json.loads(path.read_text())
        edit(guides)
        path.write_text(json.dumps(guides))
    return [str(p) for p in load_catalog(dirs).view_problems]


def test_the_mini_data_measures_true(tmp_path: Path) -> None:
    assert _problems(tmp_path) == []


def test_a_misplaced_dot_fails_the_measurement(tmp_path: Path) -> None:
    # LI4-L moved 21 units (0.7 B-cun) sideways from where its 1.5 B-cun guide ends (sideways: moved
    # down it would overlap PC6-L, which the loader refuses before any guide is measured).
    moved = HOTSPOTS.replace('id="pt-LI4-L" cx="40" cy="50"', 'id="pt-LI4-L" cx="61" cy="50"')
    problems = _problems(tmp_path, hotspots=moved)
    assert any(
        p.startswith("data/guides.json: LI4@hand.steps.1.to: ends 21.0 units from pt-LI4-L") for p in problems
    ), problems


def test_the_mirrored_copy_is_checked_against_the_other_side(tmp_path: Path) -> None:
    moved = HOTSPOTS.replace('id="pt-LI4-R" cx="160" cy="50"', 'id="pt-LI4-R" cx="175" cy="50"')
    problems = _problems(tmp_path, hotspots=moved)
    assert problems == [
        "data/guides.json: LI4@hand.steps.1.to: ends 15.0 units from pt-LI4-R (side R), outside its radius 9"
    ]


def test_a_wrong_length_is_caught_with_its_numbers(tmp_path: Path) -> None:
    def edit(guides: list[dict[str, Any]]) -> None:
        guides[0]["steps"][1]["cun"] = 2
        guides[0]["steps"][1]["fingers"] = ["thumb", "thumb"]

    problems = _problems(tmp_path, edit=edit)
    assert (
        "data/guides.json: LI4@hand.steps.1: measures 1.50 B-cun on scale 'hand' (side L), "
        "not the 2 it states (±0.30); 2 B-cun ends at (40.0, 65.0)"
    ) in problems


def test_short_segments_get_the_absolute_tolerance(tmp_path: Path) -> None:
    # 0.5 B-cun stated, 0.75 measured: 50 % off but within 0.3 B-cun, so it passes.
    def edit(guides: list[dict[str, Any]]) -> None:
        guides[1]["steps"][1]["to"] = [40, 72.5]

    moved = HOTSPOTS.replace('id="pt-PC6-L" cx="40" cy="80"', 'id="pt-PC6-L" cx="40" cy="72.5"').replace(
        'id="pt-PC6-R" cx="160" cy="80"', 'id="pt-PC6-R" cx="160" cy="72.5"'
    )
    assert _problems(tmp_path, hotspots=moved, edit=edit) == []
    assert tolerance_cun(0.5) == pytest.approx(0.3)
    assert tolerance_cun(8) == pytest.approx(1.2)


def test_a_dividing_step_must_land_on_its_fraction(tmp_path: Path) -> None:
    def edit(guides: list[dict[str, Any]]) -> None:
        guides[2]["steps"][1] = {
            "text": "Halfway between the knuckle and the wrist.",
            "between": ["knuckle", "wrist"],
            "fraction": 0.25,
            "to": [100, 50],
            "scale": "hand",
        }

    problems = _problems(tmp_path, edit=edit)
    assert problems == [
        "data/guides.json: GV20@hand.steps.1: ends 64.1 units from the 0.25 mark (40.0, 27.5); allowed 9.0"
    ]


def test_every_drawn_point_needs_a_guide_and_names_must_exist(tmp_path: Path) -> None:
    problems = _problems(tmp_path, edit=lambda guides: guides.pop(1))
    assert problems == ["data/guides.json: PC6@hand: no measuring guide for this point"]

    def unknown(guides: list[dict[str, Any]]) -> None:
        guides[0]["steps"][1]["from"] = "elbow"

    assert _problems(tmp_path / "b", edit=unknown) == [
        "data/guides.json: LI4@hand.steps.1.from: unknown landmark 'elbow'"
    ]


def test_step_kinds_are_validated() -> None:
    with pytest.raises(ValidationError, match="fingers add up to 3"):
        GuideStep.model_validate({"text": "t", "to": [0, 0], "cun": 2, "scale": "s", "fingers": ["four-fingers"]})
    with pytest.raises(ValidationError, match="needs 'scale' and 'to'"):
        GuideStep.model_validate({"text": "t", "cun": 2})
    with pytest.raises(ValidationError, match="'between' and 'fraction' go together"):
        GuideStep.model_validate({"text": "t", "between": ["a", "b"], "to": [0, 0]})
    assert GuideStep.model_validate({"text": "t"}).kind == "read"
    assert GuideStep.model_validate({"text": "t", "to": "a"}).kind == "mark"


# -- shipped data ---------------------------------------------------------------------------------


def test_shipped_guides_measure_true() -> None:
    guide_faults = [str(p) for p in SHIPPED.view_problems if p.file.endswith("guides.json")]
    assert guide_faults == []


def test_every_point_has_a_guide_on_every_view_that_draws_it() -> None:
    for view_id, body_map in SHIPPED.maps.items():
        for code in {h.code for h in body_map.hotspots}:
            assert (code, view_id) in SHIPPED.guides, f"{code} on {view_id}"


def test_shipped_guides_end_on_the_hotspot_of_every_side_and_measure_within_tolerance() -> None:
    sides_seen = 0
    for (code, view_id), guide in SHIPPED.guides.items():
        view, body_map = SHIPPED.views[view_id], SHIPPED.maps[view_id]
        for resolved, target in copies(guide, view, body_map):
            assert target is not None
            assert math.dist(resolved.end, (target.x, target.y)) <= target.r, (code, view_id, resolved.side)
            sides_seen += 1
            for step in resolved.steps:
                if step.kind == "measure":
                    assert step.measured_cun is not None and step.cun is not None
                    assert abs(step.measured_cun - step.cun) <= tolerance_cun(step.cun), (code, view_id, step.index)
                    end = expected_end(step)
                    assert end is not None and math.dist(end, step.end or end) <= tolerance_cun(step.cun) * (
                        step.unit or 0
                    )
        both = {h.side for h in body_map.hotspots if h.code == code}
        if {"L", "R"} <= both:
            assert {guide_for(guide, view, body_map, s).side for s in ("L", "R")} == {"L", "R"}
    assert sides_seen > len(SHIPPED.guides)


def test_bl32_sits_level_with_the_dimples_as_its_text_says() -> None:
    # WHO: midway between the PSIS and the S2 spinous process. The dot sat one sacral opening lower.
    spots = {h.side: (h.x, h.y) for h in SHIPPED.maps["lower-back"].hotspots if h.code == "BL32"}
    assert spots == {"L": (278.0, 335.0), "R": (322.0, 335.0)}


def test_export_carries_landmarks_scales_and_guides() -> None:
    document = catalog_document(SHIPPED)
    leg = next(v for v in document["views"] if v["id"] == "leg-inner")
    assert {"id": "medial-malleolus", "title": "Inner ankle bone (medial malleolus)", "x": 284.0, "y": 785.0} in leg[
        "landmarks"
    ]
    assert {"id": "lower-leg", "from": "tibial-condyle-hollow", "to": "medial-malleolus", "cun": 13.0} in leg["scales"]
    sp6 = next(p for p in document["points"] if p["code"] == "SP6")
    assert sp6["views"] == ["leg-inner"]
    (guide,) = sp6["guides"]
    measure = next(s for s in guide["steps"] if s["kind"] == "measure")
    assert measure == {
        "text": measure["text"],
        "kind": "measure",
        "landmarks": ["medial-malleolus"],
        "from": [284.0, 785.0],
        "to": [293.0, 689.0],
        "cun": 3.0,
        "scale": "lower-leg",
        "fingers": ["four-fingers"],
    }
    assert guide["steps"][-1]["to"] == [293.0, 689.0]
    st9 = next(p for p in document["points"] if p["code"] == "ST9")
    assert [g["view"] for g in st9["guides"]] == ["head-side"] and st9["self_care"] is False
    assert st9["tier"] == "reference"
    json.dumps(document)  # plain JSON all through


def test_a_broken_guide_entry_is_named_by_point_and_view(tmp_path: Path) -> None:
    from acupressure_desktop.catalog.loader import CatalogError

    dirs = write_minidata(tmp_path)
    path = dirs.data / "guides.json"
    guides = json.loads(path.read_text())
    guides[0]["steps"][1]["fingers"] = ["four-fingers"]  # 3 B-cun of fingers for a 1.5 B-cun step
    path.write_text(json.dumps(guides))
    with pytest.raises(CatalogError) as caught:
        load_catalog(dirs)
    assert [str(p) for p in caught.value.problems] == [
        "data/guides.json: LI4@hand.steps.1: the fingers add up to 3 B-cun, not 1.5"
    ]
