"""The measuring guide on the map: stepping, drawing, hover, sides, themes, motion, the dock and the dialog."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.guides import guide_for
from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.cli import build_parser, main
from acupressure_desktop.session.library import RoutineLibrary
from acupressure_desktop.settings import Settings
from acupressure_desktop.ui import theme
from acupressure_desktop.ui.finger_cun import FingerCunDialog, region_table_html
from acupressure_desktop.ui.guide_overlay import step_caption
from acupressure_desktop.ui.guide_player import DRAW_SECONDS, GuidePlayer
from acupressure_desktop.ui.learn_page import LearnPage
from acupressure_desktop.ui.main_window import learn_window
from acupressure_desktop.ui.motion import ENV, prefers_reduced_motion
from acupressure_desktop.ui.shell import Shell

CATALOG: Catalog = load_catalog()
# Pages are kept to the end of the run: their start-up prebuild timer may still be pending.
_KEEP: list[object] = []


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def _sp6(side: str | None = "R"):  # type: ignore[no-untyped-def]
    view = CATALOG.views["leg-inner"]
    guide = CATALOG.guide("SP6", "leg-inner")
    assert guide is not None
    return guide_for(guide, view, CATALOG.maps["leg-inner"], side)


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[LearnPage]:
    page = LearnPage.loaded(CATALOG, PointSearch(CATALOG), ResourceDirs.locate())
    _KEEP.append(page)
    page.prebuild_views()  # its start-up prebuild then has nothing left to do in later tests
    page.resize(1280, 800)
    page.show()
    page.player.reduced_motion = True  # each step whole; the animation has its own tests
    yield page
    page.hide()


# -- the player ---------------------------------------------------------------------------------


def test_a_measuring_step_draws_its_line_over_time_on_the_injected_clock(qtbot: QtBot) -> None:
    clock = FakeClock()
    player = GuidePlayer(clock=clock, reduced_motion=False)
    seen: list[tuple[int, float]] = []
    player.changed.connect(lambda: seen.append((player.index, player.progress)))
    player.play(_sp6())
    assert (player.index, player.progress) == (0, 1.0)  # a reading step has no line to draw
    player.next()
    assert (player.index, player.progress) == (1, 0.0) and player.timer.isActive()
    assert player.timer.parent() is player
    clock.now += DRAW_SECONDS / 2
    player._tick()
    assert player.progress == pytest.approx(0.5)
    clock.now += DRAW_SECONDS
    player._tick()
    assert player.progress == 1.0 and not player.timer.isActive()
    player.back()  # stepping back shows the earlier step whole, at once
    assert (player.index, player.progress) == (0, 1.0)
    assert seen[-1] == (0, 1.0)


def test_reduced_motion_shows_every_step_whole_without_a_timer() -> None:
    player = GuidePlayer(reduced_motion=True)
    player.play(_sp6())
    player.next()
    assert (player.index, player.progress) == (1, 1.0)
    assert not player.timer.isActive()


def test_preview_shows_a_hovered_step_and_returns_to_the_current_one() -> None:
    player = GuidePlayer(reduced_motion=True)
    player.play(_sp6())
    player.next()
    player.preview(2)
    assert (player.index, player.current) == (2, 1)
    player.preview(None)
    assert (player.index, player.current) == (1, 1)
    player.preview(9)  # out of range: back to the current step
    assert player.index == 1


def test_reduced_motion_preference_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "1")
    assert prefers_reduced_motion()
    monkeypatch.setenv(ENV, "0")
    assert not prefers_reduced_motion()


# -- the point panel and the map --------------------------------------------------------------------


def _viewport_colour(page: LearnPage, scene_point: tuple[float, float]) -> QColor:
    page.map.viewport().repaint()
    image: QImage = page.map.viewport().grab().toImage()
    at: QPoint = page.map.mapFromScene(QPointF(*scene_point))
    return image.pixelColor(at)


def test_show_me_how_plays_the_guide_step_by_step_on_the_map(page: LearnPage, qtbot: QtBot) -> None:
    page.open_point("SP6")
    steps = page.panel.guide
    # Before it plays, the guide is already there as text (for reading, and for a screen reader).
    assert steps.show_button.isEnabled() and steps.steps.isVisible() and steps.steps.count() == 3
    assert steps.status.text() == "3 steps on Inner leg and ankle"
    assert page.map.guide_overlay is None or not page.map.guide_overlay.isVisible()
    qtbot.mouseClick(steps.show_button, Qt.MouseButton.LeftButton)
    overlay = page.map.guide_overlay
    assert overlay is not None and overlay.isVisible() and overlay.guide is not None
    assert overlay.guide.point == "SP6" and overlay.index == 0
    texts = [steps.steps.item(i).text() for i in range(steps.steps.count())]
    assert len(texts) == 3 and texts[1].startswith("2. Lay four fingers") and "3 B-cun · 4 fingers" in texts[1]
    assert steps.status.text() == "Step 1 of 3 on Inner leg and ankle"
    assert page.map.zoom == 1.0  # the first step shows where on the body, the whole figure
    sp6 = next(m for m in page.map.markers if m.hotspot.code == "SP6")
    assert not sp6.isVisible()  # the point appears when the guide reaches it
    others = [m for m in page.map.markers if m.hotspot.code != "SP6" and page.passes_filter(m.hotspot.code)]
    assert others and all(m.isVisible() for m in others)  # the rest as the self-care filter shows them

    qtbot.mouseClick(steps.next_button, Qt.MouseButton.LeftButton)
    assert overlay.index == 1 and steps.steps.currentRow() == 1 and sp6.isVisible()
    assert page.map.zoom > 1.0  # the first measuring step zooms in on the guide
    step = overlay.guide.steps[1]
    assert step.start is not None and step.end is not None
    middle = ((step.start[0] + step.end[0]) / 2, (step.start[1] + step.end[1]) / 2)
    drawn = _viewport_colour(page, middle)
    line = QColor(theme.LIGHT.current)
    assert max(abs(drawn.red() - line.red()), abs(drawn.green() - line.green()), abs(drawn.blue() - line.blue())) < 40

    qtbot.mouseClick(steps.show_button, Qt.MouseButton.LeftButton)  # hide
    assert not overlay.isVisible() and sp6.isVisible() and page.map.zoom == 1.0
    assert steps.steps.count() == 3 and steps.show_button.text() == "Show me how to find it"


def test_hovering_a_step_shows_it_and_leaving_returns(page: LearnPage) -> None:
    page.open_point("SP6")
    assert page.show_guide(2)
    overlay = page.map.guide_overlay
    assert overlay is not None and overlay.index == 2
    steps = page.panel.guide.steps
    steps.itemEntered.emit(steps.item(0))
    assert overlay.index == 0 and page.player.current == 2
    QApplication.sendEvent(steps.viewport(), QEvent(QEvent.Type.Leave))
    assert overlay.index == 2


def test_the_steps_are_walked_with_the_keyboard(page: LearnPage, qtbot: QtBot) -> None:
    page.open_point("SP6")
    page.show_guide()
    steps = page.panel.guide.steps
    steps.setFocus()
    qtbot.keyClick(steps, Qt.Key.Key_Down)
    assert page.player.current == 1 and page.map.guide_overlay is not None and page.map.guide_overlay.index == 1
    qtbot.keyClick(steps, Qt.Key.Key_Down)
    assert page.player.current == 2
    qtbot.keyClick(steps, Qt.Key.Key_Up)
    assert page.player.current == 1
    assert steps.accessibleDescription().startswith("2. ")


def test_ctrl_g_shows_and_hides_the_guide(page: LearnPage, qtbot: QtBot) -> None:
    page.open_point("PC6")
    page.panel.guide.steps.setFocus()
    qtbot.keyClick(page.panel.guide.steps, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert page.player.guide is not None and page.player.guide.point == "PC6"
    qtbot.keyClick(page.panel.guide.steps, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert page.player.guide is None


def test_the_guide_plays_on_both_sides(page: LearnPage) -> None:
    page.open_point("LI4")  # back of the hand: both hands drawn
    assert page.map.view_id == "hand-back"
    assert page.show_guide(0)
    first = page.player.guide
    assert first is not None and first.side in ("L", "R")
    assert page.panel.guide.side_button.isEnabled()
    page.other_side()
    second = page.player.guide
    assert second is not None and second.side != first.side
    spot = next(h for h in CATALOG.maps["hand-back"].hotspots if h.code == "LI4" and h.side == second.side)
    assert math.dist(second.end, (spot.x, spot.y)) <= spot.r


def test_the_guide_follows_the_theme_and_the_view(page: LearnPage) -> None:
    page.open_point("ST36")
    first_view = page.map.view_id
    page.show_guide(1)
    page.set_colors(theme.DARK)
    overlay = page.map.guide_overlay
    assert overlay is not None and overlay._colors is theme.DARK
    other = next(v.id for v in CATALOG.views_of("ST36") if v.id != first_view)
    page.show_view(other)  # the same point's guide on the other view, at the same step
    moved = page.player.guide
    assert moved is not None and moved.view == other and page.player.current == 1
    page.show_view("face")  # no guide for ST36 there: it stops
    assert page.player.guide is None
    assert not page.panel.guide.show_button.isEnabled()


def test_a_reference_point_shows_where_it_is_but_offers_no_practice(page: LearnPage) -> None:
    page.open_point("ST9")
    assert page.show_guide()  # learning where it is: the whole point of a reference point
    assert page.player.guide is not None and page.player.guide.point == "ST9"
    assert not page.panel.practise_button.isEnabled()


def test_b_cun_links_open_the_finger_guide(page: LearnPage, qtbot: QtBot) -> None:
    page.open_point("SP6")
    assert 'href="cun:"' in page.panel.browser.toHtml()
    page.panel._on_link(QUrl("cun:"))
    dialog = page._finger_dialog
    assert isinstance(dialog, FingerCunDialog) and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "Wrist crease, between the two tendons" in text and "12 B-cun" in text
    dialog.close()
    qtbot.mouseClick(page.panel.guide.finger_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()


def test_the_region_table_lists_every_scale_once() -> None:
    html = region_table_html(CATALOG)
    scales = {(v.id, s.id) for v in CATALOG.views.values() for s in v.scales}
    assert len(scales) > 10
    assert html.count("8 B-cun") >= 2  # chest width and xiphisternal junction to navel
    assert html.count("Upper edge of the pubic bone") == 1  # the same scale on two views is listed once


def test_captions_name_the_length_and_the_fingers() -> None:
    steps = _sp6().steps
    assert [step_caption(s) for s in steps] == ["", "3 B-cun · 4 fingers", ""]


def test_guide_step_needs_a_point() -> None:
    with pytest.raises(SystemExit):
        main(["--screenshot", "x.png", "--guide-step", "2"])
    args = build_parser().parse_args(["--screenshot", "x.png", "--point", "SP6", "--guide-step", "2"])
    assert args.guide_step == 2


# -- the session dock -------------------------------------------------------------------------------


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> Iterator[Shell]:
    library = RoutineLibrary(CATALOG, tmp_path / "routines")
    library.load()
    window, learn = learn_window(ResourceDirs.locate())
    built = Shell(CATALOG, PointSearch(CATALOG), window, learn, library, Settings(), theme.LIGHT)
    built.learn.player.reduced_motion = True
    built.learn.prebuild_views()
    _KEEP.append(built)
    yield built
    built.controller.stop()
    built.window.hide()
    # Kept alive (see _KEEP), so it must stop following the platform's colour scheme.
    QGuiApplication.styleHints().colorSchemeChanged.disconnect(built._on_system_scheme)


def test_the_dock_offers_the_guide_for_the_current_step(shell: Shell, qtbot: QtBot) -> None:
    assert shell.start_routine("headache-relief")
    first = shell.catalog.routines["headache-relief"].steps[0]
    assert first.point is not None
    assert shell.dock.guide_button.isVisibleTo(shell.dock)
    qtbot.mouseClick(shell.dock.guide_button, Qt.MouseButton.LeftButton)
    guide = shell.learn.player.guide
    assert guide is not None and guide.point == first.point
    assert shell.window.pages.currentIndex() == shell.page_learn


def test_every_guide_plays_every_step_on_both_sides(page: LearnPage) -> None:
    """Each shipped guide, each step, each side drawn: the overlay paints it and ends on the point."""
    painted = 0
    for code, view_id in sorted(CATALOG.guides):
        page.open_point(code)
        page.show_view(view_id)
        sides = sorted({h.side for h in CATALOG.maps[view_id].hotspots if h.code == code}, key=str)
        for side in sides:
            assert page.show_guide(0, side)
            guide = page.player.guide
            assert guide is not None and guide.view == view_id
            for index in range(len(guide.steps)):
                page.player.jump(index)
                overlay = page.map.guide_overlay
                assert overlay is not None and overlay.index == index and not overlay.boundingRect().isEmpty()
                page.map.viewport().grab()
                painted += 1
            marker = next(m for m in page.map.markers if m.hotspot.code == code and m.hotspot.side == guide.side)
            assert marker.isVisible()  # the point has appeared by the last step
            page.player.stop()
    assert painted > 250  # 77 guides, both sides where drawn


def test_a_point_without_any_guide_shows_no_guide_controls(page: LearnPage, monkeypatch: pytest.MonkeyPatch) -> None:
    # A data folder of its own (--data) may draw a point on no view, so it has no guide.
    monkeypatch.delitem(page.catalog.guides, ("ST9", "head-side"))
    page.open_point("ST9")
    assert page.panel.guide.isHidden()
    page.open_point("SP6")
    assert not page.panel.guide.isHidden()
