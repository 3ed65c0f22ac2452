"""Every real view: each hotspot clicked where it is drawn opens its point; data and maps agree."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.ui.learn_page import LearnPage

CATALOG: Catalog = load_catalog()


def test_every_view_loads_without_problems() -> None:
    assert [str(p) for p in CATALOG.view_problems] == []
    assert set(CATALOG.maps) == set(CATALOG.views)


def test_every_point_is_drawn_somewhere_with_the_right_sides() -> None:
    for code, point in CATALOG.points.items():
        views = CATALOG.views_of(code)
        assert views, f"{code} is on no view"
        for view in views:
            sides = {h.side for h in CATALOG.maps[view.id].hotspots if h.code == code}
            assert sides == ({None} if not point.bilateral else sides - {None}), f"{code} on {view.id}: {sides}"


@pytest.mark.parametrize("view_id", list(CATALOG.views))
def test_clicking_every_hotspot_opens_its_point(qtbot: QtBot, view_id: str) -> None:
    page = LearnPage.loaded(CATALOG, PointSearch(CATALOG), ResourceDirs.locate())
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.set_point_filter("all")  # every marker drawn (the default draws self-care points only)
    page.show_view(view_id)
    assert page.map.view_id == view_id
    assert page.map.markers
    for marker in page.map.markers:
        centre = page.map.mapFromScene(marker.mapToScene(marker.rect().center()))
        hit = page.map.marker_at(centre.toPointF())
        if hit is not marker:
            # Another marker drawn on top covers this centre: it must at least be the same point.
            assert hit is not None and hit.hotspot.code == marker.hotspot.code, marker.hotspot.element_id
        qtbot.mouseClick(page.map.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        assert page.panel.point is not None
        assert page.panel.point.code == (hit or marker).hotspot.code


def test_hotspots_do_not_overlap_on_screen() -> None:
    """At the default fit, two different points' markers never cover each other's centres."""
    for view_id, body_map in CATALOG.maps.items():
        spots = body_map.hotspots
        for i, a in enumerate(spots):
            for b in spots[i + 1 :]:
                if a.code != b.code:
                    distance = ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5
                    assert distance >= a.r + b.r - 1e-6, f"{view_id}: {a.element_id} and {b.element_id} overlap"
