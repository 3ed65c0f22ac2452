"""The Routines page on its own: its layout on a wide screen and its words."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.domain.safety import RoutineOffer
from acupressure_desktop.ui.routines_page import LIST_MAX_WIDTH, RoutinesPage


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _page(qtbot: QtBot, catalog: Catalog, width: int, height: int, hide: int = 0) -> RoutinesPage:
    page = RoutinesPage(catalog)
    qtbot.addWidget(page)
    routines = dict(catalog.routines)
    offers = [RoutineOffer(r) for r in list(routines.values())[hide:]]
    page.set_routines(offers, routines, set())
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_on_a_wide_screen_the_list_keeps_its_width_and_the_buttons_stay_together(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """At 2560 px the list of short names took 820 px and Edit…, Duplicate, Export… and Delete sat
    1,700 px from Start routine, at the window's far edge."""
    page = _page(qtbot, catalog, 2560, 1300)
    assert page.list.width() <= LIST_MAX_WIDTH
    assert page.details.width() > 1800  # the room went to the details
    buttons = [page.start_button, page.edit_button, page.duplicate_button, page.export_button, page.delete_button]
    lefts = [button.mapTo(page, button.rect().topLeft()).x() for button in buttons]
    assert lefts == sorted(lefts)
    right_end = page.delete_button.mapTo(page, page.delete_button.rect().topRight()).x()
    start = page.start_button.mapTo(page, page.start_button.rect().topLeft()).x()
    assert right_end - start < 700  # one group, under the text they act on


def test_at_1280_the_list_and_every_button_still_fit(qtbot: QtBot, catalog: Catalog) -> None:
    page = _page(qtbot, catalog, 900, 600)  # 1280 px less the session dock
    for button in (page.start_button, page.delete_button, page.new_button, page.import_button):
        assert button.visibleRegion().boundingRect() == button.rect(), button.text()


def test_one_hidden_routine_is_one_routine(qtbot: QtBot, catalog: Catalog) -> None:
    page = _page(qtbot, catalog, 1000, 700, hide=1)
    assert page.hidden_note.text().startswith("1 routine is hidden or replaced")
    page = _page(qtbot, catalog, 1000, 700, hide=3)
    assert page.hidden_note.text().startswith("3 routines are hidden or replaced")


def test_a_one_sided_step_says_its_side_on_the_page_and_in_the_dock(qtbot: QtBot, catalog: Catalog) -> None:
    """The editor said "0:30 · left only"; the Routines page and the session dock said nothing of the
    side, and "(left, then right)" on the page but nothing in the dock for both sides."""
    from acupressure_desktop.domain.models import Routine, Side, Step
    from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
    from acupressure_desktop.ui.session_dock import SessionDock

    steps = [Step(point="LI4", seconds=30, side=Side.LEFT), Step(point="PC6", seconds=60, side=Side.BOTH)]
    routine = Routine(id="mine", title="Mine", purpose="Test.", benefits=["stress"], steps=steps)
    page = RoutinesPage(catalog)
    qtbot.addWidget(page)
    page.details.setHtml(page._html(routine, None))
    text = page.details.toPlainText()
    assert "0:30 · left only" in text and "1:00 · left, then right" in text
    controller = SessionController(None, clock=lambda: 0.0)
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    controller.load(SessionPlan("mine", "Mine", steps, "Stress"))
    rows = [dock.steps.item(row).text() for row in range(dock.steps.count())]
    assert rows[0].endswith("0:30 · left only") and rows[1].endswith("1:00 · left, then right")
