"""The session controller and dock with a fake clock, and the shell's practice rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.domain.safety import SafetyProfile
from acupressure_desktop.paths import AppPaths
from acupressure_desktop.session.library import RoutineLibrary
from acupressure_desktop.session.runner import RunnerState
from acupressure_desktop.settings import Settings
from acupressure_desktop.storage.history import HistoryRepository, Status, open_history
from acupressure_desktop.ui import theme
from acupressure_desktop.ui.main_window import learn_window
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
from acupressure_desktop.ui.session_dock import SessionDock, clock_text
from acupressure_desktop.ui.shell import Shell


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeRecorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def begin(self, routine_id: str, title: str, planned: int, steps: int, *, rating_label: str | None) -> str:
        self.calls.append(("begin", routine_id, planned, steps))
        return "session-1"

    def progress(self, practised_seconds: int, steps_done: int, *, force: bool = False) -> None:
        self.calls.append(("progress", practised_seconds, steps_done, force))

    def end(self, status: Status, practised_seconds: int, steps_done: int) -> None:
        self.calls.append(("end", status, practised_seconds, steps_done))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


PLAN = SessionPlan(
    routine_id="test",
    title="Test",
    steps=[Step(point="LI4", seconds=60, side=Side.BOTH), Step(point="GV20", seconds=30, side=Side.CENTER)],
    rating_label="Stress",
)


def test_controller_records_and_finishes(qtbot: QtBot) -> None:
    clock, recorder = FakeClock(), FakeRecorder()
    controller = SessionController(recorder, clock=clock)
    controller.load(PLAN)
    assert controller.timers_active() == 0  # nothing ticks before the start
    controller.start()
    assert recorder.calls[0] == ("begin", "test", 90, 2)
    assert controller.timers_active() == 2
    clock.now += 30.2
    controller.update()
    clock.now += 30.0
    controller.update()
    assert controller.runner is not None and controller.runner.snapshot().step_index == 1
    assert any(c[0] == "progress" and c[3] for c in recorder.calls)  # forced at a step boundary
    with qtbot.waitSignal(controller.sessionEnded) as ended:
        clock.now += 31
        controller.update()
    assert ended.args[1] is Status.COMPLETED
    assert recorder.calls[-1] == ("end", Status.COMPLETED, 90, 2)
    assert controller.timers_active() == 0


def test_pause_halts_timers_and_pain_is_recorded(qtbot: QtBot) -> None:
    clock, recorder = FakeClock(), FakeRecorder()
    controller = SessionController(recorder, clock=clock)
    controller.load(PLAN)
    controller.start()
    controller.toggle()
    assert controller.runner is not None and controller.runner.state is RunnerState.PAUSED
    assert controller.timers_active() == 0
    controller.toggle()
    controller.report_pain()
    with qtbot.waitSignal(controller.sessionEnded) as ended:
        controller.stop()
    assert ended.args[1] is Status.PAIN
    assert recorder.calls[-1][:2] == ("end", Status.PAIN)


def test_dock_shows_side_countdown_and_advice(qtbot: QtBot, catalog: Catalog) -> None:
    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    controller.load(PLAN)
    controller.start()
    assert dock.side_label.text() == "Left side"
    assert dock.countdown.text() == "0:30"
    clock.now += 12.5
    controller.update()
    assert dock.countdown.text() == "0:18"
    clock.now += 18
    controller.update()
    assert dock.side_label.text() == "Switch sides: now the right side"
    clock.now += 5
    controller.update()
    assert dock.side_label.text() == "Right side"
    dock.show()
    controller.report_pain()
    assert dock.notice.isVisible()
    assert "Stopped this step" in dock.notice.text()
    dock.set_compact(True)
    assert dock.steps.isHidden() and not dock.countdown.isHidden()


def test_clock_text() -> None:
    assert clock_text(0) == "0:00"
    assert clock_text(59.2) == "1:00"
    assert clock_text(61) == "1:01"


@pytest.fixture
def shell(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> Iterator[Shell]:
    library = RoutineLibrary(catalog, tmp_path / "routines")
    library.load()
    window, learn = learn_window(ResourceDirs.locate())
    built = Shell(catalog, PointSearch(catalog), window, learn, library, Settings(), theme.LIGHT)
    yield built
    built.window.deleteLater()
    built.deleteLater()  # as when the app ends: a deleted shell no longer follows the system scheme
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_starting_a_routine_marks_its_point_on_the_map(shell: Shell) -> None:
    assert shell.start_routine("headache-relief")
    first = shell.catalog.routines["headache-relief"].steps[0]
    assert shell.dock.isVisibleTo(shell.window)
    current = [m for m in shell.learn.map.markers if m.state.current]
    assert current and {m.hotspot.code for m in current} == {first.target}
    shell.controller.stop()


def test_pregnancy_profile_swaps_in_the_safe_variant(shell: Shell) -> None:
    shell.update_settings(shell.settings.model_copy(update={"safety": SafetyProfile(pregnant_or_trying=True)}))
    offer = shell.offer_for("headache-relief")
    assert offer is not None and offer.routine.id == "headache-relief-gentle"
    assert shell.offer_for("menstrual-cramp-relief") is None
    listed = {shell.routines.list.item(i).text().split("\n")[0] for i in range(shell.routines.list.count())}
    assert "Menstrual cramp relief" not in listed
    shell.learn.show_view("torso-front")
    flagged = {m.hotspot.code for m in shell.learn.map.markers if m.state.flagged}
    assert {"CV4", "CV6", "CV12", "ST25"} <= flagged
    assert "CV17" not in flagged
    shell.learn.open_point("LI4")
    assert "flagged by your safety profile" in shell.learn.panel.browser.toPlainText()


def test_flagged_point_asks_before_practice(shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    shell.update_settings(shell.settings.model_copy(update={"safety": SafetyProfile(pregnant_or_trying=True)}))
    asked: list[str] = []

    def refuse(self: QMessageBox) -> int:
        asked.append(self.text())
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    shell.practise_point("SP6")
    assert asked and "SP6" in asked[0]
    assert shell.controller.runner is None
    shell.practise_point("PC6")  # not flagged: no question, the session starts
    assert len(asked) == 1
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.RUNNING
    shell.controller.stop()


def test_reference_only_point_is_never_practised(shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    shell.practise_point("ST9")
    assert shown and shell.controller.runner is None


def test_history_page_and_check_ins_record_the_session(
    shell: Shell, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from acupressure_desktop.storage.history import open_history
    from acupressure_desktop.storage.recorder import SessionRecorder
    from acupressure_desktop.ui.history.checkin import CheckIn, CheckInDialog

    answers = iter([CheckIn(7, ""), CheckIn(3, "calmer")])
    monkeypatch.setattr(CheckInDialog, "exec", lambda self: 1)
    monkeypatch.setattr(CheckInDialog, "result_checkin", lambda self: next(answers))
    opened = open_history(app_paths)
    shell.attach_history(opened.repository, SessionRecorder(opened.repository))
    assert shell.window.page_tabs.tabText(shell.page_history) == "History"
    assert shell.start_routine("quick-reset")
    shell.controller.stop()
    (session,) = opened.repository.list_sessions()
    assert (session.routine_id, session.status.value) == ("quick-reset", "stopped")
    assert (session.before_rating, session.after_rating, session.note) == (7, 3, "calmer")


def test_system_theme_follows_the_platform_scheme(shell: Shell, qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QGuiApplication, QPalette

    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    try:
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(theme.DARK.window)
        shell.update_settings(shell.settings.model_copy(update={"theme": "light"}))
        shell.retheme()
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # a chosen theme stays
        assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(theme.LIGHT.window)
    finally:
        theme.apply(qapp, theme.LIGHT)


def test_blood_thinners_put_light_pressure_advice_on_every_point(shell: Shell) -> None:
    shell.update_settings(
        shell.settings.model_copy(update={"safety": SafetyProfile(blood_thinners_or_bleeding_disorder=True)})
    )
    for code in ("PC6", "GV20", "ST36"):
        shell.learn.open_point(code)
        text = shell.learn.panel.browser.toPlainText()
        assert "Your safety profile" in text and "light pressure" in text.lower()
    shell.update_settings(shell.settings.model_copy(update={"safety": SafetyProfile()}))
    shell.learn.open_point("PC6")
    assert "Your safety profile" not in shell.learn.panel.browser.toPlainText()


def _history_shell(shell: Shell, app_paths: AppPaths) -> HistoryRepository:
    from acupressure_desktop.storage.history import open_history
    from acupressure_desktop.storage.recorder import SessionRecorder

    opened = open_history(app_paths)
    shell.attach_history(opened.repository, SessionRecorder(opened.repository))
    return opened.repository


def test_quitting_mid_routine_records_it_as_stopped_and_closes_the_history(
    shell: Shell, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from acupressure_desktop.ui.history.checkin import CheckInDialog

    asked: list[str] = []
    monkeypatch.setattr(CheckInDialog, "exec", lambda self: asked.append("check-in") or 0)
    repository = _history_shell(shell, app_paths)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    shell.ask_checkins = True
    shell.shut_down()
    assert not shell.controller.active
    assert asked == []  # nobody is asked anything while the app quits
    assert shell.history is None
    with pytest.raises(sqlite3.ProgrammingError):
        repository.db.connection.execute("SELECT 1")
    reopened = open_history(app_paths)
    (session,) = reopened.repository.list_sessions()
    assert (session.routine_id, session.status) == ("quick-reset", Status.STOPPED)
    assert reopened.interrupted == 0


def test_closing_the_window_during_a_routine_asks_first(shell: Shell, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    shell.window.show()
    assert shell.window.close()  # nothing runs: no question
    assert asked == []
    shell.window.show()
    shell.start_routine("quick-reset")
    assert not shell.window.close()  # cancelled: the routine goes on
    assert shell.window.isVisible() and shell.controller.active
    assert "Quick reset" in asked[0]
    assert shell.window.close()
    assert len(asked) == 2
    shell.controller.stop()


def test_the_dock_announces_steps_sides_halfway_and_the_end_once_each(qtbot: QtBot, catalog: Catalog) -> None:
    from PySide6.QtGui import QAccessible

    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    controller.load(PLAN)
    controller.start()
    li4 = catalog.step_title("LI4")
    assert dock.announcer.spoken[0].startswith(f"Step 1 of 2: {li4}, left side.")
    assert dock.play.accessibleName() == "Pause the routine"
    for _ in range(10):  # ten refreshes, nothing new: nothing said
        clock.now += 0.1
        controller.update()
    assert len(dock.announcer.spoken) == 1
    iface = QAccessible.queryAccessibleInterface(dock.countdown)
    assert iface is not None
    assert iface.text(QAccessible.Text.Name) == f"Time left in this step: {dock.countdown.text()}"
    controller.toggle()
    assert dock.announcer.spoken[-1] == "Paused."
    assert dock.play.accessibleName() == "Resume the routine"
    controller.toggle()
    assert dock.announcer.spoken[-1] == "Resumed."
    clock.now += 30
    controller.update()
    assert dock.announcer.spoken[-1] == "Switch sides: now the right side."
    while controller.runner.snapshot().state is RunnerState.RUNNING:
        clock.now += 1
        controller.update()
    gv20 = catalog.step_title("GV20")
    assert dock.announcer.spoken == [
        f"Step 1 of 2: {li4}, left side.",
        "Paused.",
        "Resumed.",
        "Switch sides: now the right side.",
        "Halfway through the routine.",
        f"Step 2 of 2: {gv20}.",
        "Routine finished. Well done.",
    ]


def test_focus_goes_to_the_session_then_somewhere_sensible_and_to_a_page_s_first_control(
    shell: Shell, qtbot: QtBot
) -> None:
    shell.window.resize(1280, 800)
    shell.window.show()
    qtbot.waitExposed(shell.window)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow)
    assert shell.start_routine("quick-reset")
    assert shell.dock.play.hasFocus()
    assert shell.dock.play.accessibleName() == "Pause the routine"
    shell.controller.stop()
    focused = QApplication.focusWidget()
    assert focused is shell.dock.steps and focused.isEnabled()  # never left on the disabled Pause button
    assert shell.page_routines is not None
    shell.window.show_page(shell.page_routines)  # as Ctrl+2 does
    focused = QApplication.focusWidget()
    page = shell.window.pages.widget(shell.page_routines)
    assert focused is not None and page.isAncestorOf(focused) and focused.accessibleName()


def test_keyboard_journey_open_a_point_read_it_practise_pause_stop_and_open_history(
    shell: Shell, qtbot: QtBot, app_paths: AppPaths
) -> None:
    """Issue 19's journey with keys only: no Ctrl+F to escape the map, no mouse."""
    from PySide6.QtCore import Qt

    from acupressure_desktop.storage.recorder import SessionRecorder

    opened = open_history(app_paths)
    shell.attach_history(opened.repository, SessionRecorder(opened.repository))
    shell.ask_checkins = False
    window = shell.window
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    learn = shell.learn

    def tab_until(target: Any, limit: int = 40) -> None:
        for _ in range(limit):
            if target():
                return
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        assert target(), f"Tab never reached it; focus is on {QApplication.focusWidget()!r}"

    learn.search_box.setFocus()  # where the Learn page starts (its first control)
    tab_until(learn.map.hasFocus)
    assert learn.map.focused_marker is not None  # tabbing in lands on a point
    qtbot.keyClick(learn.map, Qt.Key.Key_Down)
    code = learn.map.focused_marker.hotspot.code
    qtbot.keyClick(learn.map, Qt.Key.Key_Return)
    assert learn.panel.point is not None and learn.panel.point.code == code
    qtbot.keyClick(learn.map, Qt.Key.Key_D)  # the one-key jump to the details
    assert learn.panel.browser.hasFocus()
    tab_until(learn.panel.practise_button.hasFocus)
    qtbot.keyClick(learn.panel.practise_button, Qt.Key.Key_Space)
    assert shell.controller.runner is not None
    assert shell.controller.runner.snapshot().state is RunnerState.RUNNING
    assert shell.dock.play.hasFocus()
    qtbot.keyClick(shell.dock.play, Qt.Key.Key_Space)
    assert shell.controller.runner.snapshot().state is RunnerState.PAUSED
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert shell.controller.runner.snapshot().state is RunnerState.STOPPED
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert shell.page_history is not None
    assert window.pages.currentIndex() == shell.page_history
    focused = QApplication.focusWidget()
    assert focused is not None and window.pages.currentWidget().isAncestorOf(focused)
