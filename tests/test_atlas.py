"""The complete atlas: every WHO point and the extra points, in three tiers, on 24 views or more,
with every channel drawn where it crosses a view (issue 16's figures, on the shipped data)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from acupressure_desktop.catalog.export import catalog_document
from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.models import CautionKind, Tier

WHO_COUNTS = {
    "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67,
    "KI": 27, "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24,
}  # fmt: skip
WHO_EXTRA = {"HN": 15, "CA": 1, "B": 9, "UE": 11, "LE": 12}  # the 48 extra points of WHO 1991


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_who_point_and_every_who_extra_point_is_in_the_atlas(catalog: Catalog) -> None:
    who = {f"{m}{n}" for m, count in WHO_COUNTS.items() for n in range(1, count + 1)}
    extra = {f"EX-{g}{n}" for g, count in WHO_EXTRA.items() for n in range(1, count + 1)}
    assert len(who) == 361 and len(extra) == 48
    assert who - set(catalog.points) == set()
    assert extra - set(catalog.points) == set()
    assert len(catalog.points) >= 415
    assert sum(m.point_count for m in catalog.meridians.values()) == 361


def test_the_catalog_json_lists_the_full_atlas() -> None:
    document = catalog_document(load_catalog())
    codes = {p["code"] for p in document["points"]}
    assert sum(1 for c in codes if re.fullmatch(r"(LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)\d+", c)) == 361
    assert len(document["points"]) >= 415
    assert sum(p["self_care"] for p in document["points"]) >= 120
    assert len(document["views"]) >= 24


def test_three_tiers_each_with_its_reason(catalog: Catalog) -> None:
    tiers = Counter(p.tier for p in catalog.points.values())
    assert tiers[Tier.SELF_CARE] >= 120 and tiers[Tier.GENTLE] and tiers[Tier.REFERENCE]
    for point in catalog.points.values():
        if point.tier is Tier.REFERENCE:
            assert CautionKind.REFERENCE_ONLY in point.caution_kinds(), point.code
        elif point.tier is Tier.GENTLE:
            assert CautionKind.GENTLE in point.caution_kinds(), point.code


@pytest.mark.parametrize(
    "code", ["ST9", "BL1", "ST1", "CV1", "GV1", "ST17", "HT1", "ST30", "SP12", "LR12"]
)  # fmt: skip
def test_points_over_arteries_the_eye_the_perineum_and_the_nipple_are_never_pressed(
    catalog: Catalog, code: str
) -> None:
    assert catalog.points[code].tier is Tier.REFERENCE


def test_at_least_twenty_benefits_each_with_eight_self_care_points(catalog: Catalog) -> None:
    assert len(catalog.benefits) >= 20
    counts = Counter(b for p in catalog.points.values() if p.self_care for b in p.benefits)
    short = {b: counts[b] for b in catalog.benefits if counts[b] < 8}
    assert short == {}


def test_every_point_is_drawn_on_a_view_and_every_view_draws_its_channels(catalog: Catalog) -> None:
    drawn = {h.code for m in catalog.maps.values() for h in m.hotspots}
    assert set(catalog.points) - drawn == set()
    assert len(catalog.views) >= 24 and set(catalog.maps) == set(catalog.views)
    assert [v for v, m in catalog.maps.items() if m.channels is None] == []
    crossing = {h_meridian for m in catalog.maps.values() for h_meridian in (c.meridian for c in m.channels or ())}
    assert crossing == set(WHO_COUNTS)


def test_the_shipped_atlas_has_no_view_problem(catalog: Catalog) -> None:
    assert [str(p) for p in catalog.view_problems] == []


def test_the_issue_s_new_views_exist(catalog: Catalog) -> None:
    for view in ("head-top", "ear", "upper-back", "chest", "abdomen", "trunk-side", "arm-inner", "arm-outer",
                 "leg-back", "foot-inner", "foot-outer"):  # fmt: skip
        assert view in catalog.maps, view
