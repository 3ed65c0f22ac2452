"""The Learn page with a tiny catalog: clicks, regions, filters, keyboard, hit accuracy."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import load_catalog
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.ui.bodymap import HotspotItem
from acupressure_desktop.ui.learn_page import LearnPage
from tests.minidata import write_minidata


@pytest.fixture
def page(qtbot: QtBot, tmp_path: Path) -> LearnPage:
    dirs = write_minidata(tmp_path)
    catalog = load_catalog(dirs)
    widget = LearnPage.loaded(catalog, PointSearch(catalog), dirs)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _view_pos(page: LearnPage, marker: HotspotItem, dx: float = 0.0) -> QPoint:
    centre = marker.mapToScene(marker.rect().center())
    return page.map.mapFromScene(QPointF(centre.x() + dx, centre.y()))


def _screen_radius(page: LearnPage, marker: HotspotItem) -> float:
    """Drawn radius on screen, outline included."""
    return (marker.rect().width() / 2 + marker.pen().widthF() / 2) * page.map.transform().m11()


def test_clicking_each_hotspot_opens_its_point(page: LearnPage, qtbot: QtBot) -> None:
    for marker in page.map.markers:
        qtbot.mouseClick(page.map.viewport(), Qt.MouseButton.LeftButton, pos=_view_pos(page, marker))
        assert page.panel.point is not None
        assert page.panel.point.code == marker.hotspot.code
        assert page.map.markers[page.map.markers.index(marker)].state.selected


def test_click_inside_the_drawn_edge_hits_and_two_pixels_outside_misses(page: LearnPage) -> None:
    marker = page.map.markers[0]
    radius = _screen_radius(page, marker)
    centre = page.map.mapFromScene(marker.mapToScene(marker.rect().center()))
    inside = QPointF(centre.x() + math.floor(radius) - 1, centre.y())
    outside = QPointF(centre.x() + math.ceil(radius) + 2, centre.y())
    assert page.map.marker_at(inside) is marker
    assert page.map.marker_at(outside) is None


def test_markers_keep_a_clickable_minimum_size(page: LearnPage) -> None:
    page.map.zoom_reset()
    page.resize(500, 300)
    for marker in page.map.markers:
        assert _screen_radius(page, marker) >= 6


def test_region_click_lists_its_points(page: LearnPage, qtbot: QtBot) -> None:
    # region-palm is the left part of the hand, x < 90: it holds LI4-L and PC6-L.
    pos = page.map.mapFromScene(QPointF(20, 20))
    qtbot.mouseClick(page.map.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    listed = {page.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.results.count())}
    assert listed == {"LI4", "PC6"}
    assert page.region_bar.isVisible()
    assert page.panel.point is None


def test_search_highlights_matches_and_dims_the_rest(page: LearnPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.search_box, "li-4")
    states = {m.hotspot.element_id: m.state for m in page.map.markers}
    assert states["pt-LI4-L"].matched and states["pt-LI4-R"].matched
    assert states["pt-PC6-L"].dimmed and states["pt-GV20"].dimmed
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    assert page.panel.point is not None and page.panel.point.code == "LI4"


def test_benefit_filter(page: LearnPage) -> None:
    page.filter_benefit("headache")
    matched = {m.hotspot.code for m in page.map.markers if m.state.matched}
    assert matched == {"LI4"}
    assert page.results.count() == 1


def test_escape_clears_search_and_selection(page: LearnPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.search_box, "pc6")
    page.open_best_match()
    qtbot.keyClick(page.search_box, Qt.Key.Key_Escape)
    assert page.search_box.text() == ""
    assert page.panel.point is None
    assert not any(m.state.dimmed or m.state.selected for m in page.map.markers)


def test_keyboard_moves_between_hotspots_and_opens(page: LearnPage, qtbot: QtBot) -> None:
    page.map.setFocus()
    qtbot.keyClick(page.map, Qt.Key.Key_Down)  # arrows move inside the map; Tab leaves it
    first = page.map.focused_marker
    assert first is not None and first.state.focused
    qtbot.keyClick(page.map, Qt.Key.Key_Right)
    second = page.map.focused_marker
    assert second is not None and second is not first
    assert second.hotspot.x > first.hotspot.x
    qtbot.keyClick(page.map, Qt.Key.Key_Return)
    assert page.panel.point is not None and page.panel.point.code == second.hotspot.code
    assert "Body map" in page.map.accessibleName()
    assert page.map.accessibleDescription() == second.title


def test_zoom_buttons_and_keys(page: LearnPage, qtbot: QtBot) -> None:
    page.map.setFocus()
    qtbot.keyClick(page.map, Qt.Key.Key_Plus)
    assert page.map.zoom > 1
    qtbot.keyClick(page.map, Qt.Key.Key_0)
    assert page.map.zoom == 1


def test_reference_only_point_cannot_be_practised(tmp_path: Path, qtbot: QtBot) -> None:
    import json

    dirs = write_minidata(tmp_path)
    path = dirs.data / "points" / "hand.json"
    points = json.loads(path.read_text())
    points[2]["cautions"] = [{"kind": "reference_only", "text": "Never press.", "sources": ["advice"]}]
    points[2]["tier"] = "reference"
    path.write_text(json.dumps(points))
    catalog = load_catalog(dirs)
    page = LearnPage.loaded(catalog, PointSearch(catalog), dirs)
    qtbot.addWidget(page)
    page.open_point("GV20")
    assert not page.panel.practise_button.isEnabled()
    html = page.panel.browser.toHtml()
    assert html.index("Reference only") < html.index("Where it is")


def test_the_waiting_hint_is_gone_once_the_page_is_filled(page: LearnPage) -> None:
    from PySide6.QtWidgets import QLabel

    from acupressure_desktop.ui.texts import PANEL_HINT

    hints = [label for label in page.findChildren(QLabel) if label.text() == PANEL_HINT and label.isVisible()]
    assert len(hints) == 1  # the point panel's own hint, not the one shown before the catalog loaded


def test_benefit_filter_ranks_by_the_evidence_for_that_use(tmp_path: Path, qtbot: QtBot) -> None:
    import json

    dirs = write_minidata(tmp_path)
    path = dirs.data / "points" / "hand.json"
    points = json.loads(path.read_text())
    graded = {"benefit": "stress", "level": "low", "note": "A review found less stress.", "sources": ["review"]}
    points[1]["evidence"] = [graded]  # PC6 comes after LI4 in the catalog, but has the better evidence
    path.write_text(json.dumps(points))
    catalog = load_catalog(dirs)
    page = LearnPage.loaded(catalog, PointSearch(catalog), dirs)
    qtbot.addWidget(page)
    page.filter_benefit("stress")
    assert page.matching_codes() == ["PC6", "LI4", "GV20"]  # ties keep the catalog order
    rows = [page.results.item(i).text() for i in range(page.results.count())]
    assert rows[0].startswith("PC6") and rows[0].endswith("Low-quality evidence")
    assert rows[1].endswith("Untested: traditional use")
    page.filter_benefit("headache")
    assert page.matching_codes() == ["LI4"]
