"""What a real Orca 43.1 run found (issue 19), each pinned by a test of the accessible tree offscreen.

1. the point details could not be read line by line (no text interface);
2. a running routine was silent in Orca 43 (it ignores announcement events);
3. a routine's step read the map's view and group tabs out as noise;
4. lists announced no current item on focus;
5. map regions could not be reached by keyboard;
6. the Settings dialog did not say its name when it opened.
The Orca logs, before and after, are quoted in docs/accessibility.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QFocusEvent, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.session.library import RoutineLibrary
from acupressure_desktop.settings import Settings
from acupressure_desktop.ui import accessibility, theme
from acupressure_desktop.ui.accessibility import RegionAccessible
from acupressure_desktop.ui.learn_page import LearnPage
from acupressure_desktop.ui.main_window import learn_window
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
from acupressure_desktop.ui.session_dock import SessionDock
from acupressure_desktop.ui.shell import Shell
from tests.test_accessibility import CATALOG, shown_learn_page


@pytest.fixture
def page(qtbot: QtBot) -> LearnPage:
    return shown_learn_page(qtbot)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- 1. the point details, line by line ------------------------------------------------------------


def _move_to(page: LearnPage, words: str) -> None:
    browser = page.panel.browser
    found = browser.document().find(words)
    assert not found.isNull(), words
    cursor = QTextCursor(found.block())
    browser.setTextCursor(cursor)


def test_point_details_have_a_text_interface_with_a_caret_the_arrow_keys_move(page: LearnPage, qtbot: QtBot) -> None:
    page.open_point("LI4")
    browser = page.panel.browser
    iface = QAccessible.queryAccessibleInterface(browser)
    assert iface is not None
    text = iface.textInterface()
    assert text is not None, "Orca reads a text line by line through its text interface"
    assert text.characterCount() == browser.document().characterCount() - 1
    assert "Where it is" in text.text(0, text.characterCount())
    assert browser.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard  # a caret to move
    browser.setFocus()
    before = text.cursorPosition()
    qtbot.keyClick(browser, Qt.Key.Key_Down)
    assert text.cursorPosition() > before  # the caret moved a line: Orca reads the new line


def test_the_caret_line_says_whether_it_is_a_heading_a_list_item_or_a_link(page: LearnPage) -> None:
    page.open_point("LI4")
    browser = page.panel.browser
    iface = QAccessible.queryAccessibleInterface(browser)
    assert iface is not None
    li4 = CATALOG.points["LI4"]
    _move_to(page, "How to find it")
    assert iface.text(QAccessible.Text.Description) == "heading level 3"
    _move_to(page, li4.find_it[1])
    assert iface.text(QAccessible.Text.Description) == f"list item 2 of {len(li4.find_it)}"
    benefit = CATALOG.benefits[li4.evidence[0].benefit].title
    _move_to(page, benefit)
    assert iface.text(QAccessible.Text.Description).startswith(f"link: {benefit}")
    _move_to(page, li4.location[:30])
    assert iface.text(QAccessible.Text.Description) == ""  # a plain paragraph adds nothing


def test_the_structure_stays_under_the_details(page: LearnPage) -> None:
    page.open_point("LI4")
    browser = page.panel.browser
    iface = QAccessible.queryAccessibleInterface(browser)
    assert iface is not None
    structure = next(
        iface.child(i) for i in range(iface.childCount()) if iface.child(i).role() == QAccessible.Role.Document
    )
    assert structure.text(QAccessible.Text.Name) == "Point details"
    roles = set()
    stack = [structure.child(i) for i in range(structure.childCount())]
    while stack:
        node = stack.pop()
        roles.add(node.role())
        stack += [node.child(i) for i in range(node.childCount())]
    assert {QAccessible.Role.Heading, QAccessible.Role.ListItem, QAccessible.Role.Link} <= roles


# -- 2. a running routine, heard in Orca 43 -------------------------------------------------------------

PLAN = SessionPlan(
    routine_id="test",
    title="Test",
    steps=[Step(point="LI4", seconds=60, side=Side.BOTH), Step(point="GV20", seconds=30, side=Side.CENTER)],
    rating_label="Stress",
)


HOSTS: list[QWidget] = []


def _dock(qtbot: QtBot, hears: bool) -> tuple[SessionDock, SessionController, FakeClock]:
    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    host = QWidget()
    qtbot.addWidget(host)
    HOSTS.append(host)  # the window the dock lives in, as the main window is
    dock = SessionDock(controller, CATALOG, host)
    dock.announcer.hears_announcements = lambda: hears
    return dock, controller, clock


def _notice(dock: SessionDock) -> Any:
    notice = accessibility.notice_of(dock)
    assert notice is not None
    return notice


def test_a_routine_is_said_by_a_notification_when_announcements_are_not_heard(qtbot: QtBot) -> None:
    dock, controller, clock = _dock(qtbot, hears=False)
    controller.load(PLAN)
    controller.start()
    notice = _notice(dock)
    notice.flush()  # the timer would, 300 ms later
    li4 = CATALOG.step_title("LI4")
    assert notice.shown == [f"Step 1 of 2: {li4}, left side."]
    iface = QAccessible.queryAccessibleInterface(notice.label)
    assert iface is not None
    assert iface.role() == QAccessible.Role.Notification  # Orca 43 speaks one as it shows
    assert iface.text(QAccessible.Text.Name) == notice.shown[-1]
    assert notice.label.isVisibleTo(dock.window()) and notice.label.size().isEmpty()  # never painted
    for _ in range(300):  # 30 s of the countdown, ten refreshes a second: never a tick
        clock.now += 0.1
        controller.update()
        notice.flush()
    assert len(notice.shown) <= 4, notice.shown  # press now, switch sides... once each
    assert not any("0:" in shown for shown in notice.shown)
    controller.stop()


def test_a_screen_reader_that_hears_announcements_gets_no_notification(qtbot: QtBot) -> None:
    dock, controller, _clock = _dock(qtbot, hears=True)
    controller.load(PLAN)
    controller.start()
    assert dock.announcer.spoken  # the announcement event went out
    assert dock.window().findChild(accessibility.LiveNotice) is None  # and nothing else: never the same words twice
    controller.stop()


def test_what_is_said_together_is_shown_once(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    notice = accessibility.LiveNotice(host)
    notice.say("Routine stopped.")
    notice.say("Sharp pain: stop.")
    notice.flush()
    notice.flush()
    assert notice.shown == ["Routine stopped. Sharp pain: stop."]


def test_orca_43_registers_no_announcement_listener_so_it_is_shown_a_notification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = "([(':1.5', 'Focus::'), (':1.5', 'Object:StateChanged:Showing')],)"  # Orca 43.1's, shortened
    monkeypatch.setattr(accessibility, "_registered_events", lambda: events)
    monkeypatch.setattr(accessibility, "_heard", None)
    monkeypatch.setattr(QAccessible, "isActive", staticmethod(lambda: True))
    assert accessibility.screen_reader_hears_announcements() is False
    monkeypatch.setattr(accessibility, "_heard", None)
    newer = events[:-3] + ", (':1.6', 'Object:Announcement:')],)"  # a screen reader that hears announcements
    monkeypatch.setattr(accessibility, "_registered_events", lambda: newer)
    assert accessibility.screen_reader_hears_announcements() is True


# -- 3. a step's view changes the tabs quietly ---------------------------------------------------------


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> Iterator[Shell]:
    library = RoutineLibrary(CATALOG, tmp_path / "routines")
    library.load()
    window, learn = learn_window(ResourceDirs.locate())
    clock = FakeClock()
    built = Shell(CATALOG, PointSearch(CATALOG), window, learn, library, Settings(), theme.LIGHT, clock=clock)
    yield built
    built.window.deleteLater()
    built.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def hushed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The widgets of each change the Learn page makes quietly, in order."""
    changes: list[tuple[Any, ...]] = []

    @contextmanager
    def recording(*widgets: Any) -> Iterator[None]:
        changes.append(widgets)
        with accessibility.quietly(*widgets):
            yield

    monkeypatch.setattr("acupressure_desktop.ui.learn_page.quietly", recording)
    return changes


def test_a_step_on_another_view_changes_the_tabs_quietly(shell: Shell, hushed: list[tuple[Any, ...]]) -> None:
    shell.learn.show_view("body-front")
    routine = next(r for r in CATALOG.routines.values() if r.steps[0].point and r.id == "headache-relief")
    assert shell.start_routine(routine.id)
    assert shell.learn.map.view_id != "body-front"  # the step's point is on another view
    learn = shell.learn
    assert hushed and all({learn.group_tabs, learn.view_tabs} <= set(w) for w in hushed)
    shell.controller.stop()


def test_a_point_opened_from_the_list_changes_the_tabs_quietly(page: LearnPage, hushed: list[tuple[Any, ...]]) -> None:
    """Opening a point from the results list read out "Arms & hands page tab. Back of the hand page
    tab." before its details: the view was the page's doing, not the person's."""
    page.show_view("body-front")
    assert not hushed  # the person's own choice of view is read out
    page.open_point("LI4")  # drawn on the hand, not on the whole body
    assert page.map.view_id != "body-front"
    assert hushed and {page.group_tabs, page.view_tabs} <= set(hushed[0])


def test_quietly_drops_the_events_of_a_change_unless_the_widget_has_focus(
    page: LearnPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QAccessible, "isActive", staticmethod(lambda: True))
    tabs = page.view_tabs
    with accessibility.quietly(tabs):
        event = QAccessibleEvent(tabs, QAccessible.Event.Selection)
        assert event.accessibleInterface() is None  # Qt sends nothing for it
    iface = QAccessible.queryAccessibleInterface(tabs)
    assert iface is not None and iface.isValid() and iface.role() == QAccessible.Role.PageTabList
    tabs.setFocus()
    page.activateWindow()
    if tabs.hasFocus():  # what changes where the focus is, the user did: read out
        with accessibility.quietly(tabs):
            assert QAccessibleEvent(tabs, QAccessible.Event.Selection).accessibleInterface() is not None


# -- 4. lists: a current item on focus ------------------------------------------------------------------


def test_the_point_list_has_a_current_selected_row_when_it_gets_focus(page: LearnPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.search_box, "neck")
    results = page.results
    assert results.count() > 1 and results.currentItem() is None
    results.setFocus(Qt.FocusReason.TabFocusReason)
    assert results.currentRow() == 0 and results.currentItem().isSelected()
    iface = QAccessible.queryAccessibleInterface(results)
    assert iface is not None
    rows = [iface.child(i) for i in range(iface.childCount())]
    selected = [row for row in rows if row is not None and row.state().selected]
    assert selected and selected[0].text(QAccessible.Text.Name).startswith(results.item(0).text().split("\n")[0])
    assert page.panel.point is None  # selecting a row opens nothing: Return does


def _focus_in(view: QAbstractItemView) -> None:
    QApplication.sendEvent(view, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))


def test_the_routine_list_gets_a_current_row_on_focus(shell: Shell) -> None:
    from acupressure_desktop.ui.routines_page import RoutinesPage

    routines = shell.window.findChild(RoutinesPage)
    assert routines is not None
    routines.list.setCurrentRow(-1)
    routines.list.clearSelection()
    assert routines.list.currentItem() is None
    _focus_in(routines.list)
    assert routines.list.currentRow() == 0 and routines.list.currentItem().isSelected()


def test_the_history_table_gets_a_current_row_on_focus(qtbot: QtBot, tmp_path: Path) -> None:
    from acupressure_desktop.storage.db import open_database
    from acupressure_desktop.storage.history import HistoryRepository
    from acupressure_desktop.ui.history.view import HistoryView
    from tests.historydata import TODAY, TZ, Clock, make_session

    repository = HistoryRepository(open_database(tmp_path / "h.sqlite3"), clock=Clock(), tz=TZ)
    repository.add_sessions([make_session(TODAY, practised=600), make_session(TODAY, practised=300)])
    view = HistoryView(repository, {}.get)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: not view.stats_pending and view.table.model().rowCount() == 2)
    view.table.selectionModel().clear()
    view.table.setCurrentIndex(view.table.model().index(-1, -1))
    assert not view.table.currentIndex().isValid()
    _focus_in(view.table)
    assert view.table.currentIndex().row() == 0
    assert view.table.selectionModel().isSelected(view.table.currentIndex())
    repository.db.close()


# -- 5. regions by keyboard -------------------------------------------------------------------------------


def test_r_reaches_the_regions_focused_and_exposed_as_the_hotspots_are(page: LearnPage, qtbot: QtBot) -> None:
    page.show_view("body-front")
    page.map.setFocus()
    qtbot.keyClick(page.map, Qt.Key.Key_Home)
    qtbot.keyClick(page.map, Qt.Key.Key_R)
    iface = QAccessible.queryAccessibleInterface(page.map)
    assert iface is not None
    focus = iface.focusChild()
    assert isinstance(focus, RegionAccessible)
    assert page.map.focused_marker is None
    state = focus.state()
    assert state.focusable and state.focused
    assert focus.actionNames() == [
        accessibility.PRESS,
        "SetFocus",
    ]
    first = focus.region_id
    qtbot.keyClick(page.map, Qt.Key.Key_R)
    second = iface.focusChild()
    assert isinstance(second, RegionAccessible) and second.region_id != first
    assert not focus.state().focused
    qtbot.keyClick(page.map, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    back = iface.focusChild()
    assert isinstance(back, RegionAccessible) and back.region_id == first
    with qtbot.waitSignal(page.map.regionActivated):
        qtbot.keyClick(page.map, Qt.Key.Key_Return)
    assert page.region_bar.isVisibleTo(page) and page.results.count() > 0
    qtbot.keyClick(page.map, Qt.Key.Key_Right)  # the arrows go back to the points
    assert page.map.focused_marker is not None and page.map.focused_region is None


# -- 6. the Settings dialog says its name --------------------------------------------------------------------


def test_the_settings_dialog_builds_its_tabs_quietly_so_its_name_is_said_first(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Orca 43 took the first tab's selection event, sent while the dialog was built, for a focus move;
    # it came before the window's activation, so "Settings dialog" was never said.
    from acupressure_desktop.ui import settings_dialog

    counts: list[tuple[str, int]] = []

    @contextmanager
    def recording(*widgets: Any) -> Iterator[None]:
        tabs = next(w for w in widgets if hasattr(w, "count"))
        counts.append(("before", tabs.count()))
        with accessibility.quietly(*widgets):
            yield
        counts.append(("after", tabs.count()))

    monkeypatch.setattr(settings_dialog, "quietly", recording)
    dialog = settings_dialog.SettingsDialog(Settings(), [("quick-reset", "Quick reset")])
    qtbot.addWidget(dialog)
    assert counts == [("before", 0), ("after", dialog.tabs.count())] and dialog.tabs.count() == 5
    dialog.show()
    qtbot.waitExposed(dialog)
    iface = QAccessible.queryAccessibleInterface(dialog)
    assert iface is not None and iface.text(QAccessible.Text.Name) == "Settings"
    assert iface.role() == QAccessible.Role.Dialog
