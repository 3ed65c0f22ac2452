"""Assistive technology sees the body map: every hotspot and region, named, with its state and a press action.

The tests ask Qt's accessibility layer (``QAccessible.queryAccessibleInterface``), which is what the
AT-SPI bridge reads; ``tools/check-accessibility`` walks the same tree over D-Bus.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface, QColor
from PySide6.QtWidgets import QLabel, QToolButton
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.ui.accessibility import HotspotAccessible, RegionAccessible
from acupressure_desktop.ui.bodymap import HotspotItem
from acupressure_desktop.ui.learn_page import LearnPage

CATALOG: Catalog = load_catalog()
PRESS = QAccessibleActionInterface.pressAction()


def shown_learn_page(qtbot: QtBot) -> LearnPage:
    """The Learn page on the shipped catalog, shown at 1280 x 800."""
    widget = LearnPage.loaded(CATALOG, PointSearch(CATALOG), ResourceDirs.locate())
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def page(qtbot: QtBot) -> LearnPage:
    return shown_learn_page(qtbot)


def _children(iface: QAccessibleInterface) -> list[QAccessibleInterface]:
    found = [iface.child(i) for i in range(iface.childCount())]
    assert all(c is not None for c in found)
    return found


def _map_children(page: LearnPage) -> list[QAccessibleInterface]:
    iface = QAccessible.queryAccessibleInterface(page.map)
    assert iface is not None
    return _children(iface)


@pytest.mark.parametrize("view_id", list(CATALOG.views))
def test_every_hotspot_and_region_is_an_accessible_child_with_a_name(page: LearnPage, view_id: str) -> None:
    page.show_view(view_id)
    # With the self-care filter (the default) only self-care markers are drawn, and only they are children.
    drawn = {id(m) for m in page.map.markers if CATALOG.points[m.hotspot.code].self_care}
    assert {id(c.marker) for c in _map_children(page) if isinstance(c, HotspotAccessible)} == drawn
    page.set_point_filter("all")
    children = _map_children(page)
    hotspots = [c for c in children if isinstance(c, HotspotAccessible)]
    regions = [c for c in children if isinstance(c, RegionAccessible)]
    assert {id(h.marker) for h in hotspots} == {id(m) for m in page.map.markers}
    assert len(regions) == len(CATALOG.maps[view_id].regions)
    for child in children:
        name = child.text(QAccessible.Text.Name)
        assert name, f"{view_id}: an unnamed child ({child.role()})"
        assert child.parent() is not None
        assert child.isValid()
    for hotspot in hotspots:
        point = CATALOG.points[hotspot.marker.hotspot.code]
        name = hotspot.text(QAccessible.Text.Name)
        assert name.startswith(f"{point.code} {point.pinyin}, {point.english}")
        if hotspot.marker.hotspot.side:
            assert f"{hotspot.marker.hotspot.side_label} {point.region.replace('-', ' ')}" in name
        assert hotspot.role() == QAccessible.Role.Button
        assert hotspot.state().focusable and not hotspot.state().invisible
        assert PRESS in hotspot.actionNames()
        assert not hotspot.rect().isEmpty()
        # The same object each time it is asked for: assistive technology keeps track of it.
        assert page.map.accessible_for(hotspot.marker) is hotspot
    for region in regions:
        assert region.text(QAccessible.Text.Name).startswith("Region: ")
        assert "region" not in region.text(QAccessible.Text.Name).removeprefix("Region: ").split("-")


def test_a_hotspot_has_the_spoken_name_of_the_issue(page: LearnPage) -> None:
    page.show_view("hand-back")
    page.map.set_flagged({"LI4"}, {"LI4": "Traditionally avoided in pregnancy"})  # refreshes the tooltips
    names = [c.text(QAccessible.Text.Name) for c in _map_children(page)]
    li4 = CATALOG.points["LI4"]
    assert f"LI4 {li4.pinyin}, {li4.english}, left hand" in names
    assert f"LI4 {li4.pinyin}, {li4.english}, right hand" in names


def _hotspot(page: LearnPage, code: str, side: str | None = None) -> HotspotAccessible:
    return next(
        c
        for c in _map_children(page)
        if isinstance(c, HotspotAccessible)
        and c.marker.hotspot.code == code
        and (side is None or c.marker.hotspot.side == side)
    )


def test_states_selected_current_step_and_flagged_are_exposed(page: LearnPage) -> None:
    page.show_view("hand-back")
    li4 = _hotspot(page, "LI4", "L")
    assert not li4.state().selected and not li4.state().active
    assert li4.text(QAccessible.Text.Description) == ""
    page.open_point("LI4")
    page.map.set_current("LI4", "L")
    page.map.set_flagged({"LI4"})
    state = li4.state()
    assert state.selected and state.active
    description = li4.text(QAccessible.Text.Description)
    assert "selected" in description
    assert "current routine step" in description
    assert "flagged by your safety profile" in description
    right = _hotspot(page, "LI4", "R")
    assert right.state().selected and not right.state().active  # the step is on the left side only


def test_the_press_action_opens_the_point_and_a_region_lists_its_points(page: LearnPage) -> None:
    page.show_view("body-front")
    children = _map_children(page)
    hotspot = next(c for c in children if isinstance(c, HotspotAccessible))
    action = hotspot.actionInterface()
    assert action is not None
    action.doAction(PRESS)
    assert page.panel.point is not None and page.panel.point.code == hotspot.marker.hotspot.code
    region = next(c for c in children if isinstance(c, RegionAccessible))
    region.doAction(PRESS)
    assert page.region_bar.isVisible()
    assert page.results.count() > 0


def test_the_accessible_focus_follows_the_arrow_keys(page: LearnPage, qtbot: QtBot) -> None:
    page.show_view("hand-back")
    page.map.setFocus()
    qtbot.keyClick(page.map, Qt.Key.Key_Home)
    iface = QAccessible.queryAccessibleInterface(page.map)
    assert iface is not None
    focus = iface.focusChild()
    assert isinstance(focus, HotspotAccessible)
    assert focus.marker is page.map.focused_marker
    assert focus.state().focused


def test_tab_leaves_the_map_and_arrows_stay_inside(page: LearnPage, qtbot: QtBot) -> None:
    page.show_view("body-front")
    page.map.setFocus(Qt.FocusReason.TabFocusReason)
    assert page.map.focused_marker is not None  # tabbing in lands on a point at once
    for _ in range(len(page.map.markers) * 2):
        qtbot.keyClick(page.map, Qt.Key.Key_Right)
        assert page.map.hasFocus()
    visited = []
    widget = page.focusWidget()
    for _ in range(6):  # Tab never comes back to the map's markers within a few presses
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = page.focusWidget()
        visited.append(widget)
    assert visited[0] is not page.map
    assert page.map not in visited[:3]


def test_opening_a_point_offers_its_details_with_one_key(page: LearnPage, qtbot: QtBot) -> None:
    page.show_view("hand-back")
    messages: list[str] = []
    page.statusMessage.connect(messages.append)
    page.map.setFocus()
    qtbot.keyClick(page.map, Qt.Key.Key_Home)
    qtbot.keyClick(page.map, Qt.Key.Key_Return)
    assert page.panel.point is not None
    assert any("shown" in m and "Press D" in m for m in messages)
    qtbot.keyClick(page.map, Qt.Key.Key_D)
    assert page.panel.browser.hasFocus()


def test_zoom_buttons_are_named_children_of_the_map(page: LearnPage) -> None:
    widgets = [c for c in _map_children(page) if c.object() is not None]
    assert [w.text(QAccessible.Text.Name) for w in widgets] == ["Zoom"]
    buttons = _children(widgets[0])
    names = [b.text(QAccessible.Text.Name) for b in buttons]
    assert names[:3] == ["Zoom out", "Fit the figure to the window", "Zoom in"]
    assert all(names)
    assert all(isinstance(b.object(), QToolButton) for b in buttons)


def _tree(iface: QAccessibleInterface) -> list[tuple[QAccessible.Role, str, int]]:
    """(role, name, depth) of every descendant."""
    found = []

    def walk(node: QAccessibleInterface, depth: int) -> None:
        for child in _children(node):
            found.append((child.role(), child.text(QAccessible.Text.Name), depth))
            walk(child, depth + 1)

    walk(iface, 0)
    return found


def test_point_details_expose_headings_numbered_steps_and_links(page: LearnPage) -> None:
    page.open_point("LI4")
    # The browser keeps Qt's own text interface (read line by line, issue 19's Orca run); the structure
    # is its child, on the viewport.
    iface = QAccessible.queryAccessibleInterface(page.panel.browser.viewport())
    assert iface is not None
    assert iface.parent() is not None and iface.parent().object() is page.panel.browser
    assert iface.role() == QAccessible.Role.Document
    assert iface.text(QAccessible.Text.Name) == "Point details"
    tree = _tree(iface)
    headings = [name for role, name, _ in tree if role == QAccessible.Role.Heading]
    li4 = CATALOG.points["LI4"]
    assert headings[0].startswith(f"LI4 · {li4.pinyin}")
    assert {"Where it is", "How to find it", "How to press", "Sources"} <= set(headings)
    lists = [name for role, name, _ in tree if role == QAccessible.Role.List]
    assert f"numbered list, {len(li4.find_it)} items" in lists
    items = [name for role, name, _ in tree if role == QAccessible.Role.ListItem]
    steps = [f"{n}. {step}" for n, step in enumerate(li4.find_it, start=1)]
    assert items[: len(steps)] == steps
    assert "Pressure: " + li4.technique.pressure in [name for _, name, _ in tree]  # a table row reads as one line
    links = [name for role, name, _ in tree if role == QAccessible.Role.Link]
    assert links, "the benefits and views are links"


def test_a_link_in_the_details_can_be_pressed(page: LearnPage, qtbot: QtBot) -> None:
    page.open_point("LI4")
    iface = QAccessible.queryAccessibleInterface(page.panel.browser)
    assert iface is not None
    stack = _children(iface)
    link = None
    while stack:
        node = stack.pop(0)
        if node.role() == QAccessible.Role.Link and node.text(QAccessible.Text.Name) in {
            v.title for v in CATALOG.views_of("LI4")
        }:
            link = node
            break
        stack += _children(node)
    assert link is not None
    action = link.actionInterface()
    assert action is not None and action.actionNames() == [PRESS]
    target = link.text(QAccessible.Text.Name)
    with qtbot.waitSignal(page.panel.viewRequested):
        action.doAction(PRESS)
    assert CATALOG.views[page.map.view_id].title == target


def test_the_welcome_notice_exposes_its_paragraphs(qtbot: QtBot) -> None:
    from acupressure_desktop.domain.safety import SafetyProfile
    from acupressure_desktop.ui.welcome import WelcomeDialog

    dialog = WelcomeDialog(SafetyProfile())
    qtbot.addWidget(dialog)
    label = next(w for w in dialog.findChildren(QLabel) if "What this app is" in w.text())
    iface = QAccessible.queryAccessibleInterface(label)
    assert iface is not None
    paragraphs = [c.text(QAccessible.Text.Name) for c in _children(iface)]
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("What this app is.")
    assert paragraphs[2].startswith("How to press safely.")


def _centre_colour(page: LearnPage, marker: HotspotItem) -> str:
    image = page.map.viewport().grab().toImage()
    centre = page.map.mapFromScene(marker.sceneBoundingRect().center())
    return QColor(image.pixel(centre.x(), centre.y())).name().upper()


def test_marker_states_differ_by_shape_as_well_as_colour(page: LearnPage, qtbot: QtBot) -> None:
    page.show_view("hand-back")
    page.map.set_zoom(3.0)
    left, right = (next(m for m in page.map.markers if m.hotspot.element_id == f"pt-LI4-{s}") for s in "LR")
    page.map.ensureVisible(left, 40, 40)
    assert left.glyph() == "" and left.pen().style() == Qt.PenStyle.SolidLine
    colours = page.map._colors
    plain = _centre_colour(page, left)
    assert plain != colours.marker_edge.upper()
    page.open_point("LI4")
    qtbot.waitUntil(lambda: left.glyph() == "dot")
    assert _centre_colour(page, left) == colours.marker_edge.upper()  # a bullseye, not only a new hue
    page.map.set_current("LI4", "R")
    assert right.glyph() == "square" and left.glyph() == "dot"
    other = next(m for m in page.map.markers if m.hotspot.code != "LI4")
    page.map.set_flagged({other.hotspot.code})
    assert other.pen().style() == Qt.PenStyle.CustomDashLine  # flagged: a dashed ring
    assert other.glyph() == ""


def test_the_search_box_clear_button_has_a_name(page: LearnPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.search_box, "li4")
    buttons = [c for c in _children(QAccessible.queryAccessibleInterface(page.search_box)) if c.object() is not None]
    assert buttons and all(b.text(QAccessible.Text.Name) for b in buttons)
