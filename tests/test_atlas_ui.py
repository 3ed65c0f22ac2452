"""The complete atlas on the Learn page (issue 16): tiers, the self-care filter, channel paths, the
channel list and tour, 25 views that fit, labels and markers that never overlap.

The tests run on the shipped atlas: 420 points in three tiers on 26 views, with channel runs.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.export import catalog_document
from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.ui.bodymap import CHANNEL_MARGIN, HotspotItem
from acupressure_desktop.ui.learn_page import LearnPage
from acupressure_desktop.ui.theme import CHANNEL_STYLES, DARK, LIGHT, components
from tests.test_catalog_cache import dispose

SHIPPED: Catalog = load_catalog()


@pytest.fixture(scope="module")
def atlas_dirs() -> ResourceDirs:
    return ResourceDirs.locate()


@pytest.fixture(scope="module")
def atlas() -> Catalog:
    return SHIPPED


def _page(qtbot: QtBot, catalog: Catalog, dirs: ResourceDirs, width: int = 1280, height: int = 800) -> LearnPage:
    page = LearnPage.loaded(catalog, PointSearch(catalog), dirs)
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def page(qtbot: QtBot, atlas: Catalog, atlas_dirs: ResourceDirs) -> LearnPage:
    return _page(qtbot, atlas, atlas_dirs)


def _tier(catalog: Catalog, marker: HotspotItem) -> str:
    return catalog.points[marker.hotspot.code].tier.value


def _render(marker: HotspotItem, page: LearnPage) -> QImage:
    """The marker as drawn on the map, in greyscale: shape has to tell the tiers apart, not colour."""
    rect = page.map.mapFromScene(marker.sceneBoundingRect()).boundingRect().adjusted(-2, -2, 2, 2)
    image = QImage(rect.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("#F2DCCB"))
    painter = QPainter(image)
    page.map.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


# -- tiers ------------------------------------------------------------------------------------------


def test_the_three_tiers_differ_in_size_and_in_shape_in_greyscale(page: LearnPage, atlas: Catalog) -> None:
    page.set_point_filter("all")
    page.show_view("arm-inner")
    by_tier: dict[str, HotspotItem] = {}
    for marker in page.map.markers:
        by_tier.setdefault(_tier(atlas, marker), marker)
    assert set(by_tier) == {"self-care", "gentle", "reference"}
    radius = {tier: m.rect().width() / 2 for tier, m in by_tier.items()}
    assert radius["self-care"] > radius["gentle"] and radius["self-care"] > radius["reference"]
    centre = {
        tier: QColor(_render(m, page).pixel(_render(m, page).rect().center())).value() for tier, m in by_tier.items()
    }
    # A solid disc (dark centre), a ring (light centre), a ring with a bar across it (dark centre again).
    assert centre["self-care"] < 120 and centre["gentle"] > 200 and centre["reference"] < 150
    image = _render(by_tier["reference"], page)
    middle = image.rect().center()
    above = QColor(image.pixel(middle.x(), middle.y() - image.height() // 5)).value()
    assert above > 180, "the bar is a bar, not a filled disc"
    assert page.tier_legend.isVisible() and "reference" in page.tier_legend.text()


def test_the_filter_defaults_to_self_care_and_applies_to_markers_list_and_search(
    page: LearnPage, atlas: Catalog
) -> None:
    assert page.point_filter == "self-care" and page.tier_filter.currentText() == "Self-care points"
    page.show_view("arm-inner")
    drawn = [m for m in page.map.markers if m.isVisible()]
    assert drawn and all(_tier(atlas, m) == "self-care" for m in drawn)
    assert len(drawn) < len(page.map.markers)
    listed = [page.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.results.count())]
    assert listed and all(atlas.points[c].self_care for c in listed)
    assert len(listed) == sum(p.self_care for p in atlas.points.values())
    # A search for a reference point: the list says there is more and offers all points.
    reference = next(p for p in atlas.points.values() if p.tier.value == "reference")
    page.search_box.setText(reference.code)
    rows = [page.results.item(i) for i in range(page.results.count())]
    assert rows[-1].text().startswith("Show ") and rows[-1].data(Qt.ItemDataRole.UserRole + 2) == "all"
    page.set_point_filter("all")
    assert all(m.isVisible() for m in page.map.markers)
    page.search_box.clear()
    assert page.results.count() == len(atlas.points)


def test_a_point_the_filter_hides_opens_from_search_and_says_why(page: LearnPage, atlas: Catalog) -> None:
    reference = next(p for p in atlas.points.values() if p.tier.value == "reference" and atlas.views_of(p.code))
    page.search_box.setText(reference.code)
    page.open_best_match()
    assert page.panel.point is not None and page.panel.point.code == reference.code
    markers = [m for m in page.map.markers if m.hotspot.code == reference.code]
    assert markers and all(m.isVisible() for m in markers), "an opened point is drawn whatever the filter"
    assert not page.filter_note.isHidden() and "reference point" in page.filter_note.text()
    page.filter_note.linkActivated.emit("all")
    assert page.point_filter == "all" and page.filter_note.isHidden()


def test_keyboard_navigation_covers_exactly_the_drawn_markers(page: LearnPage, atlas: Catalog, qtbot: QtBot) -> None:
    page.show_view("leg-back")
    page.map.setFocus()
    for filter_, want in (("self-care", {"self-care"}), ("all", {"self-care", "gentle", "reference"})):
        page.set_point_filter(filter_)
        QTest.keyClick(page.map, Qt.Key.Key_Home)
        seen = set()
        for _ in range(len(page.map.markers) * 2):
            marker = page.map.focused_marker
            assert marker is not None and marker.isVisible()
            seen.add(id(marker))
            QTest.keyClick(page.map, Qt.Key.Key_Down)
            QTest.keyClick(page.map, Qt.Key.Key_Right)
        tiers = {_tier(atlas, m) for m in page.map.markers if id(m) in seen}
        assert tiers <= want
        drawn = [m for m in page.map.markers if m.isVisible()]
        order = page.map.accessible_hotspots()
        assert {id(a.marker) for a in order} == {id(m) for m in drawn}


def test_the_filter_is_saved_in_the_settings_and_restored(tmp_path: Path) -> None:
    from acupressure_desktop.app import build_gui

    home = tmp_path / "home"
    gui = build_gui(["--home", str(home)])
    assert gui.load() and gui.shell is not None
    assert gui.learn.point_filter == "self-care"
    gui.learn.tier_filter.setCurrentIndex(gui.learn.tier_filter.findData("all"))
    assert gui.shell.settings.map_points == "all"
    gui.shell._save()
    from acupressure_desktop.settings import load_settings

    for _ in range(200):
        gui.app.processEvents()
        if load_settings(gui.paths.settings_file).settings.map_points == "all":
            break
        QTest.qWait(10)
    assert load_settings(gui.paths.settings_file).settings.map_points == "all"
    again = build_gui(["--home", str(home)])
    assert again.load() and again.learn.point_filter == "all", "the choice is restored at the next start"
    dispose(gui)
    dispose(again)


# -- channels --------------------------------------------------------------------------------------


def test_fourteen_channel_styles_stay_apart_and_pass_contrast_in_both_themes() -> None:
    assert len(CHANNEL_STYLES) == 14
    colours = [c for c, _d in CHANNEL_STYLES.values()]
    assert len(set(colours)) == 14
    assert len(set(CHANNEL_STYLES.values())) == 14
    # Channels that share a dash pattern must differ strongly in hue or lightness.
    for (a, (ca, da)), (b, (cb, db)) in itertools.combinations(CHANNEL_STYLES.items(), 2):
        if da == db:
            x, y = QColor(ca), QColor(cb)
            apart = abs(x.hslHue() - y.hslHue()) % 360
            assert min(apart, 360 - apart) > 60 or abs(x.lightness() - y.lightness()) > 40, (a, b)
    for colors in (LIGHT, DARK):
        for pair in components(colors):
            if pair.component.startswith("Channel"):
                assert pair.ratio >= pair.needed, (colors.name, pair.component, pair.ratio)


def test_channels_are_drawn_under_the_markers_on_every_view_they_cross(page: LearnPage, atlas: Catalog) -> None:
    page.set_point_filter("all")
    page.set_channels({"LU", "GB"})
    assert page.channels_button.text() == "Channels (2)"
    crossed = [v for v, m in atlas.maps.items() if any(c.meridian == "GB" for c in m.channels or ())]
    assert len(crossed) > 3
    for view_id in crossed:
        page.show_view(view_id)
        layer = page.map.channel_layer()
        assert (
            layer is not None
            and layer.isVisible()
            and layer.shown
            == {"GB"} | ({"LU"} if any(c.meridian == "LU" for c in atlas.maps[view_id].channels or ()) else set())
        )
        runs = [c for c in atlas.maps[view_id].channels or () if c.meridian == "GB"]
        assert len([r for r in layer.runs if r.meridian == "GB"]) == len(runs)
        assert layer.zValue() < min(m.zValue() for m in page.map.markers)
        assert layer.zValue() > page.map._scenes[view_id].figure.zValue()
        frame = QRectF(0, 0, atlas.maps[view_id].width, atlas.maps[view_id].height)
        for run in runs:  # the drawing covers every run over the figure (casing and end codes included)
            for line in run.polyline():
                for x, y in line:
                    if frame.contains(QPointF(x, y)):
                        assert layer.boundingRect().contains(QPointF(x, y))

    # A solid channel is painted in its colour along its path (the cached picture is the drawing).
    page.show_view(crossed[0])
    run = next(c for c in atlas.maps[crossed[0]].channels or () if c.meridian == "GB")
    (ax, ay), (bx, by) = run.segments[-1][0], run.segments[-1][-1]
    page.set_channels({"LU", "GB", "HT"})
    solid = next((c for c in atlas.maps[crossed[0]].channels or () if c.meridian in ("LU", "HT")), None)
    if solid is not None and len(solid.segments) > 1:
        (ax, ay), (bx, by) = solid.segments[1][0], solid.segments[1][-1]
        image = page.map.viewport().grab().toImage()
        seen = page.map.mapFromScene(QPointF(ax + (bx - ax) * 0.4, ay + (by - ay) * 0.4))
        want = QColor(CHANNEL_STYLES[solid.meridian][0])
        near = [QColor(image.pixel(seen.x() + dx, seen.y() + dy)) for dx in range(-2, 3) for dy in range(-2, 3)]
        assert any(
            abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 60 for c in near
        )
    page.set_channels(set())
    layer = page.map.channel_layer()
    assert layer is not None and not layer.isVisible()
    assert page.channels_button.text() == "Channels"
    # The menu: All, None, and a checkbox per channel with its code and name.
    texts = [a.text() for a in page.channels_menu.actions() if a.text()]
    assert texts[:2] == ["&All channels", "&No channels"] and "GB  Gallbladder" in texts
    page.channels_menu.actions()[0].trigger()
    assert page.map.shown_channels == set(CHANNEL_STYLES)


def test_channel_runs_stop_at_the_edge_of_a_close_up(page: LearnPage, atlas: Catalog) -> None:
    """The ear close-up's runs go on past its view box: they were drawn across the empty canvas
    beside the figure, and their codes written out there. Now they stop at the drawing's edge, their
    codes stand at the ends that are drawn, and a click beside the figure picks no channel."""
    page.show_view("ear")
    body_map = atlas.maps["ear"]
    frame = QRectF(0, 0, body_map.width, body_map.height)
    outside = [(x, y) for run in body_map.channels or () for line in run.polyline() for x, y in line]
    outside = [(x, y) for x, y in outside if not frame.contains(QPointF(x, y))]
    assert outside, "the ear's runs no longer reach past its view box: the test needs another view"
    page.set_channels(set(CHANNEL_STYLES))
    layer = page.map.channel_layer()
    assert layer is not None
    margin = CHANNEL_MARGIN  # room for a casing and a code at the edge
    assert frame.adjusted(-margin, -margin, margin, margin).contains(layer.boundingRect())
    for _meridian, _path, ends in layer._paths:
        assert all(frame.contains(QPointF(x, y)) for x, y in ends)
    x, y = outside[0]
    beside = page.map.mapFromScene(QPointF(x, y))
    if page.map.viewport().rect().contains(beside):
        assert page.map.channel_at(QPointF(beside)) is None


def test_clicking_a_channel_lists_its_points_in_order_and_each_opens(page: LearnPage, atlas: Catalog) -> None:
    page.show_view("arm-inner")
    run = max((c for c in atlas.maps["arm-inner"].channels or ()), key=lambda c: len(c.segments))
    page.set_channels({run.meridian})
    (a, b) = run.segments[1][0], run.segments[1][-1]  # between two points: away from the markers
    middle = page.map.mapFromScene(QPointF((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
    QTest.mouseClick(page.map.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    box = page.channel_box
    assert box.isVisible() and box.meridian == run.meridian
    numbers = [row.number for row in box.rows]
    assert numbers == sorted(numbers) and len(numbers) == sum(p.meridian == run.meridian for p in atlas.points.values())
    assert box.list.item(0).text().startswith(f"1.  {run.meridian}1 ")
    box.list.itemActivated.emit(box.list.item(4))
    assert page.panel.point is not None and page.panel.point.code == box.rows[4].code


def test_the_channel_tour_walks_the_points_across_views(page: LearnPage, atlas: Catalog) -> None:
    page.list_channel("ST")
    box = page.channel_box
    assert not box.stop_button.isEnabled() and box.tour_button.isEnabled()
    box.start_tour()
    assert box.stop_button.isEnabled() and not box.back_button.isEnabled()
    views = []
    for index in range(len(box.rows)):
        row = box.rows[index]
        assert page.panel.point is not None and page.panel.point.code == row.code
        if atlas.views_of(row.code):
            assert row.code in atlas.hotspot_codes(page.map.view_id), "the view switches to one that shows it"
            assert any(m.hotspot.code == row.code and m.isVisible() for m in page.map.markers)
        assert box.status.text().startswith(f"Point {index + 1} of {len(box.rows)}: {row.code} ")
        views.append(page.map.view_id)
        QTest.keyClick(box.list, Qt.Key.Key_Right)  # the keyboard walks it too
    assert len(set(views)) > 1
    assert not box.next_button.isEnabled()
    box.back()
    assert box.tour_index == len(box.rows) - 2
    box.stop_tour()
    assert box.tour_index is None and box.status.text() == ""


# -- scale -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1024, 1280, 2560])
def test_the_views_of_every_group_fit(qtbot: QtBot, atlas: Catalog, atlas_dirs: ResourceDirs, width: int) -> None:
    """Tabs when every title fits whole; else a list of the views in their place. Never a cut title."""
    page = _page(qtbot, atlas, atlas_dirs, width, 760)
    listed = 0
    for group in ("body", "head", "arm", "torso", "leg"):
        first = next(v for v in atlas.views.values() if v.group == group)
        page.show_view(first.id)
        qtbot.wait(1)
        tabs, choice = page.view_tabs, page.view_choice
        wanted = [v.id for v in atlas.views.values() if v.group == group]
        assert tabs.count() == choice.count() == len(wanted)
        assert tabs.isVisible() != choice.isVisible()
        if tabs.isVisible():
            for i in range(tabs.count()):
                rect = tabs.tabRect(i)
                assert rect.right() <= tabs.width(), f"{group} tab {i} is cut off at {width} px"
                assert tabs.tabText(i) == atlas.views[tabs.tabData(i)].title
                whole = tabs.fontMetrics().horizontalAdvance(tabs.tabText(i))
                assert rect.width() >= whole, f"{group}: tab {tabs.tabText(i)!r} is elided at {width} px"
        else:
            listed += 1
            assert [choice.itemData(i) for i in range(choice.count())] == wanted
            assert choice.itemText(choice.currentIndex()) == first.title
            choice.activated.emit(len(wanted) - 1)
            assert page.map.view_id == wanted[-1]
            assert choice.width() <= page.view_tabs.parentWidget().width()
    if width >= 2560:
        assert listed == 0, "a wide window shows every group as tabs"


def _overlapping(markers: list[HotspotItem]) -> list[tuple[str, str, float]]:
    found = []
    drawn = [m for m in markers if m.isVisible()]
    for a, b in itertools.combinations(drawn, 2):
        ra, rb = a.rect().width() / 2, b.rect().width() / 2
        gap = math.dist((a.hotspot.x, a.hotspot.y), (b.hotspot.x, b.hotspot.y))
        if gap < ra + rb - 1e-6:
            found.append((a.hotspot.element_id, b.hotspot.element_id, gap))
    return found


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_no_two_drawn_markers_overlap_at_the_default_zoom_of_any_view(
    qtbot: QtBot, atlas: Catalog, atlas_dirs: ResourceDirs, size: tuple[int, int]
) -> None:
    catalog, dirs = atlas, atlas_dirs
    page = _page(qtbot, catalog, dirs, *size)
    page.set_point_filter("all")
    for view_id in catalog.maps:
        page.show_view(view_id)
        assert page.map.zoom == 1.0
        assert not _overlapping(page.map.markers), view_id


def _label_rects(page: LearnPage) -> list[QRectF]:
    rects = []
    for label in page.map.shown_labels():
        rects.append(page.map.mapFromScene(label.sceneBoundingRect()).boundingRect().toRectF())
    return rects


def test_labels_never_overlap_each_other_or_a_marker_on_any_view(page: LearnPage, atlas: Catalog) -> None:
    page.set_point_filter("all")
    page.map.set_labels(True)
    for view_id in atlas.maps:
        page.show_view(view_id)
        for zoom in (1.0, 2.0):
            page.map.set_zoom(zoom)
            labels = page.map.shown_labels()
            assert labels, view_id
            rects = []
            for label in labels:
                # A label ignores the zoom: its place on screen is its position plus its pixel offset.
                origin = page.map.mapFromScene(label.pos())
                offset = label.transform().map(QPointF(0, 0))
                bounds = label.boundingRect()
                rects.append(QRectF(origin.x() + offset.x(), origin.y() + offset.y(), bounds.width(), bounds.height()))
            for a, b in itertools.combinations(rects, 2):
                assert not a.adjusted(0.5, 0.5, -0.5, -0.5).intersects(b), view_id
            markers = [page.map.mapFromScene(m.sceneBoundingRect()).boundingRect().toRectF() for m in page.map.markers]
            for rect in rects:
                assert not any(
                    rect.adjusted(0.5, 0.5, -0.5, -0.5).intersects(m.adjusted(1, 1, -1, -1)) for m in markers
                )
        page.map.set_zoom(1.0)
    # A crowded view thins its labels rather than stacking them, and the selected point keeps its own.
    page.show_view("body-front")
    page.map.set_labels(False)
    code = page.map.markers[0].hotspot.code
    page.open_point(code)
    assert [label.text() for label in page.map.shown_labels()] == [code] * len(
        [m for m in page.map.markers if m.hotspot.code == code]
    )


# -- export ----------------------------------------------------------------------------------------


def test_the_export_carries_tiers_and_channel_runs(atlas: Catalog) -> None:
    document = catalog_document(atlas)
    tiers = {p["tier"] for p in document["points"]}
    assert tiers == {"self-care", "gentle", "reference"}
    assert all(p["self_care"] == (p["tier"] == "self-care") for p in document["points"])
    view = next(v for v in document["views"] if v["id"] == "leg-back")
    runs = view["channels"]
    assert runs and {"id", "meridian", "side", "segments"} <= set(runs[0])
    assert all(len(segment) in (2, 4) for run in runs for segment in run["segments"])
    shipped = catalog_document(SHIPPED)
    assert all(v["channels"] is None or isinstance(v["channels"], list) for v in shipped["views"])


def test_a_screen_reader_hears_the_tier_of_a_gentle_or_reference_marker(page: LearnPage, atlas: Catalog) -> None:
    from acupressure_desktop.ui.accessibility import spoken_states

    page.set_point_filter("all")
    page.show_view("arm-inner")
    words = {_tier(atlas, m): "; ".join(spoken_states(m)) for m in page.map.markers}
    assert "reference point: learn where it is, never pressed" in words["reference"]
    assert "gentle point: press lightly" in words["gentle"]
    assert "point" not in words["self-care"]


def test_the_channel_buttons_have_distinct_mnemonics(page: LearnPage) -> None:
    box = page.channel_box
    keys = [
        b.text().split("&")[1][0].lower() for b in (box.tour_button, box.back_button, box.next_button, box.stop_button)
    ]
    assert len(set(keys)) == 4, keys


def test_the_channels_menu_is_reached_and_opened_from_the_keyboard(page: LearnPage) -> None:
    button = page.channels_button
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert button.accessibleName() == "Show channel paths" and button.menu() is page.channels_menu
    assert button.popupMode() is button.ToolButtonPopupMode.InstantPopup  # Space or Return opens it
    assert button.parentWidget() is page.map.zoom_bar  # floats over the map: no layout width taken


def test_tab_walks_the_map_bar_left_to_right(page: LearnPage) -> None:
    bar = page.map.zoom_bar
    layout = bar.layout()
    assert layout is not None
    order = [layout.itemAt(i).widget() for i in range(layout.count())]  # type: ignore[union-attr]
    assert order[0] is page.channels_button and order[1] is page.map.labels_button
    for before, after in itertools.pairwise(order):
        assert before is not None and before.nextInFocusChain() is after


def test_the_first_paint_draws_only_self_care_sized_markers_under_the_self_care_filter(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Before the catalog loads the map cannot know the tiers; r 6 marks a gentle or reference hotspot."""
    from acupressure_desktop.app import _show_preview
    from acupressure_desktop.ui.main_window import learn_window
    from tests.minidata import write_minidata

    dirs = write_minidata(tmp_path / "mini")
    svg = dirs.bodymaps / "hand.svg"
    svg.write_text(
        svg.read_text().replace('cy="80" r="9"', 'cy="80" r="6"')  # PC6 drawn as a gentle point
    )
    for everything, hidden in ((False, {"pt-PC6-L", "pt-PC6-R"}), (True, set())):
        window, learn = learn_window(dirs)
        qtbot.addWidget(window)
        _show_preview(learn, dirs, everything)
        assert learn.map.markers
        assert {m.hotspot.element_id for m in learn.map.markers if not learn.map._drawn(m)} == hidden


def test_the_first_paint_of_the_shipped_atlas_draws_the_first_views_self_care_markers(
    qtbot: QtBot, atlas: Catalog, atlas_dirs: ResourceDirs
) -> None:
    """The whole-body views draw self-care points at r 7: the preview once looked for r 9, drew no
    marker at all, and every marker popped in when the catalog arrived."""
    from acupressure_desktop.app import _show_preview
    from acupressure_desktop.ui.main_window import learn_window

    window, learn = learn_window(atlas_dirs)
    qtbot.addWidget(window)
    _show_preview(learn, atlas_dirs)
    first = atlas.maps[next(iter(atlas.views))]
    drawn = {m.hotspot.element_id for m in learn.map.markers if learn.map._drawn(m)}
    assert drawn and drawn == {h.element_id for h in first.hotspots if atlas.points[h.code].self_care}


def test_a_marker_the_filter_hid_is_drawn_in_the_current_look_when_shown(page: LearnPage, atlas: Catalog) -> None:
    """Hidden markers are not restyled while hidden (a keystroke restyled all 95 of the densest view):
    they take the look of the moment they are drawn again."""
    page.show_view("arm-inner")
    hidden = [m for m in page.map.markers if not m.isVisible()]
    assert hidden
    page.search_box.setText(next(m for m in page.map.markers if m.isVisible()).hotspot.code)  # dims the rest
    page.set_point_filter("all")
    for marker in hidden:
        assert marker.isVisible() and marker.state.dimmed
        assert marker.brush().color().alphaF() == pytest.approx(0.22, abs=0.01)  # the dimmed fill


def test_the_map_bar_has_its_own_backdrop_over_the_figure(page: LearnPage) -> None:
    """Its buttons' texts are measured against the window colour, not the skin they float over."""
    for colors in (LIGHT, DARK):
        page.map.set_colors(colors)
        bar = page.map.zoom_bar
        assert bar.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        assert f"background: {colors.window}" in bar.styleSheet()
        image = bar.grab().toImage()
        edge = QColor(image.pixel(2, image.height() // 2))  # inside the border, beside the first button
        assert edge.name().upper() == colors.window.upper()


def test_channel_codes_that_end_together_never_overlap(page: LearnPage, atlas: Catalog) -> None:
    """At the leg's ankle ST, LR and SP end side by side: their codes were written over each other."""
    page.set_channels(set(CHANNEL_STYLES))
    for view_id in atlas.maps:
        page.show_view(view_id)
        layer = page.map.channel_layer()
        if layer is None:
            continue
        boxes = [text.boundingRect() for _, text in layer.end_codes(page.map.viewportTransform())]
        for a, b in itertools.combinations(boxes, 2):
            assert not a.intersects(b), view_id
