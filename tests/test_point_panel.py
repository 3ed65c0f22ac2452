"""The point panel's text: grades beside each use, cautions in the core's order, words explained."""

from __future__ import annotations

import re
from html import escape, unescape

import pytest

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.models import CautionKind
from acupressure_desktop.ui.point_panel import point_html
from acupressure_desktop.ui.theme import LIGHT


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html)).replace("  ", " ")


def test_each_use_shows_its_own_grade(catalog: Catalog) -> None:
    text = re.sub(r"\s+", " ", _text(point_html(catalog.points["PC6"], catalog, LIGHT, set())))
    assert "Nausea relief — Low-quality evidence" in text
    assert "Better sleep — Very low-quality evidence" in text
    assert "Stress relief — Untested: traditional use" in text
    assert "How strong is the evidence?" not in text  # no single grade over every use


def test_cautions_follow_the_core_order_with_flagged_kinds_first(catalog: Catalog) -> None:
    html = point_html(catalog.points["BL40"], catalog, LIGHT, {CautionKind.SKIN})
    assert html.index("Skin and veins — flagged by your safety profile") < html.index("Artery nearby")
    html = point_html(catalog.points["BL1"], catalog, LIGHT, set())
    assert html.index("Reference only") < html.index("Near the eye") < html.index("Where it is")


def test_device_cautions_have_a_title(catalog: Catalog) -> None:
    assert "Implanted devices and ports" in point_html(catalog.points["LU1"], catalog, LIGHT, set())


def test_b_cun_is_explained_where_it_is_used(catalog: Catalog) -> None:
    assert "B-cun" in catalog.points["PC6"].location
    text = _text(point_html(catalog.points["PC6"], catalog, LIGHT, set()))
    assert "Words used here" in text and "body-proportional unit" in text
    assert "B-cun" not in " ".join([catalog.points["KI1"].location, *catalog.points["KI1"].find_it])
    assert "Words used here" not in _text(point_html(catalog.points["KI1"], catalog, LIGHT, set()))


def test_every_cited_source_is_listed_once(catalog: Catalog) -> None:
    html = point_html(catalog.points["SP6"], catalog, LIGHT, set())
    sources = html[html.index("Sources") :]
    for source_id in ("blodt-2018", "umn-safety-precautions", "betts-budd-2011"):
        assert sources.count(escape(catalog.sources[source_id].title)) == 1, source_id
