"""The session controller and dock with a fake clock, and the shell's practice rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics
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

    def begin(
        self,
        routine_id: str,
        title: str,
        planned: int,
        steps: int,
        *,
        rating_label: str | None,
        before_rating: int | None = None,
    ) -> str:
        self.calls.append(("begin", routine_id, planned, steps))
        self.before_rating = before_rating
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
    assert recorder.calls == []  # written once a second has been pressed, not before
    assert controller.timers_active() == 2
    clock.now += 1.0
    controller.update()
    assert recorder.calls[0] == ("begin", "test", 90, 2)
    clock.now += 29.2
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
    clock.now += 4
    with qtbot.waitSignal(controller.sessionEnded) as ended:
        controller.report_pain()  # stops the session: nothing goes on to the next point
    assert ended.args[1] is Status.PAIN
    assert recorder.calls[-1] == ("end", Status.PAIN, 4, 0)
    assert not controller.active and controller.timers_active() == 0


def test_a_session_stopped_before_a_second_is_pressed_is_never_recorded(qtbot: QtBot) -> None:
    clock, recorder = FakeClock(), FakeRecorder()
    controller = SessionController(recorder, clock=clock)
    controller.load(PLAN, prepare_seconds=5, before_rating=6)
    controller.start()
    clock.now += 4  # still finding the point
    controller.update()
    controller.stop()
    assert recorder.calls == [] and not controller.recorded
    controller.load(PLAN, before_rating=6)
    controller.start()
    clock.now += 7
    controller.stop()  # no refresh in between: begun and ended at once, with the before rating
    assert [c[0] for c in recorder.calls] == ["begin", "end"] and recorder.calls[-1][2] == 7
    assert recorder.before_rating == 6 and controller.recorded


def _running_dock(qtbot: QtBot, catalog: Catalog) -> tuple[FakeClock, SessionController, SessionDock]:
    """A dock on PLAN, started, on a clock the test moves."""
    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    controller.load(PLAN)
    controller.start()
    return clock, controller, dock


def test_dock_shows_side_countdown_and_advice(qtbot: QtBot, catalog: Catalog) -> None:
    clock, controller, dock = _running_dock(qtbot, catalog)
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
    assert dock.end_box.isVisible() and not dock.running_controls.isVisible()
    assert "Stopped because it hurt" in dock.summary.text() and "Sharp or severe pain" in dock.summary.text()
    assert dock.side_label.isHidden()  # no stale "Right side" under the summary


def test_clock_text() -> None:
    assert clock_text(0) == "0:00"
    assert clock_text(59.2) == "1:00"
    assert clock_text(61) == "1:01"


@pytest.fixture
def shell(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> Iterator[Shell]:
    library = RoutineLibrary(catalog, tmp_path / "routines")
    library.load()
    window, learn = learn_window(ResourceDirs.locate())
    clock = FakeClock()
    built = Shell(catalog, PointSearch(catalog), window, learn, library, Settings(), theme.LIGHT, clock=clock)
    built.clock = clock  # type: ignore[attr-defined]  # the tests advance it
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
    shell.clock.now += 20  # type: ignore[attr-defined]
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
    shell.clock.now += 20  # type: ignore[attr-defined]
    shell.controller.update()
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
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
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


# -- the session behaves as a person expects (issue 12) ------------------------------------------


def _activate(qtbot: QtBot, window: Any) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _answer(monkeypatch: pytest.MonkeyPatch, *answers: QMessageBox.StandardButton) -> list[str]:
    """Answer the next message boxes (exec) in turn; returns their texts. A question's buttons must
    say what they do, and the safe answer must be the default."""
    asked: list[str] = []
    queue = iter(answers)

    def exec_(self: QMessageBox) -> int:
        asked.append(self.text())
        if self.icon() is QMessageBox.Icon.Question:
            names = {b.text() for b in self.buttons()}
            assert names.isdisjoint({"&Yes", "Yes", "&No", "No", "OK"}), names
            assert self.defaultButton() is self.button(QMessageBox.StandardButton.Cancel)
        return int(next(queue).value)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_starting_something_new_asks_first_and_never_chains_check_ins(
    shell: Shell, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from acupressure_desktop.ui.history.checkin import CheckIn, CheckInDialog

    checkins: list[str] = []
    monkeypatch.setattr(CheckInDialog, "exec", lambda self: checkins.append(self.windowTitle()) or 1)
    monkeypatch.setattr(CheckInDialog, "result_checkin", lambda self: CheckIn(5, ""))
    repository = _history_shell(shell, app_paths)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
    assert shell.start_routine("quick-reset")
    assert len(checkins) == 1  # the "before" question
    shell.clock.now += 20  # type: ignore[attr-defined]
    shell.controller.update()
    assert not shell.start_routine("headache-relief")  # kept: nothing changes
    assert asked == ["Stop “Quick reset” and start “Headache relief”?"]
    assert shell.controller.plan is not None and shell.controller.plan.routine_id == "quick-reset"
    assert shell.controller.active and len(checkins) == 1
    shell.practise_point("PC6")  # yes: the first is stopped and recorded, then one "before" question only
    assert len(asked) == 2 and "start “PC6" in asked[1]
    assert shell.controller.plan is not None and shell.controller.plan.routine_id == "point:PC6"
    assert len(checkins) == 1  # a point practised has no before question; the stopped one no after question
    (session,) = repository.list_sessions()
    assert (session.routine_id, session.status) == ("quick-reset", Status.STOPPED)
    shell.controller.stop()  # stopped during the preparation: 0 seconds pressed, never recorded
    assert len(repository.list_sessions()) == 1
    assert len(checkins) == 1  # and nothing to ask about


def test_stop_this_hurts_stops_records_pain_and_shows_the_advice(
    shell: Shell, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    from acupressure_desktop.ui.history.checkin import CheckInDialog

    checkins: list[str] = []
    monkeypatch.setattr(CheckInDialog, "exec", lambda self: checkins.append("asked") or 0)
    repository = _history_shell(shell, app_paths)
    shell.ask_checkins = False
    shell.window.show()
    assert shell.start_routine("quick-reset")
    shell.ask_checkins = True
    shell.clock.now += 5 + 12  # type: ignore[attr-defined]  # preparation, then 12 s pressed
    shell.controller.update()
    shell.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shell.window)
    shell.dock.pain.setFocus()
    shell.dock.pain.click()
    assert not shell.controller.active
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.STOPPED
    (session,) = repository.list_sessions()
    assert (session.status, session.practised_seconds) == (Status.PAIN, 12)
    assert checkins == []  # no "how do you feel now" after pain
    assert shell.dock.end_box.isVisible() and "Sharp or severe pain" in shell.dock.summary.text()
    assert shell.dock.summary.objectName() == "danger"  # the advice stands out
    assert shell.controller.timers_active() == 0
    # Read out too (Orca heard only "Start the routine"): announced, described, and focused.
    assert "Sharp or severe pain" in shell.dock.announcer.spoken[-1]
    assert shell.dock.summary.accessibleDescription() == shell.dock.summary.text()
    assert QApplication.focusWidget() is shell.dock.summary
    # "Do not press that spot again today": Close is the highlighted answer, not Repeat.
    assert shell.dock.close_button.property("primary") and shell.dock.close_button.isDefault()
    assert not shell.dock.repeat_button.property("primary") and not shell.dock.repeat_button.isDefault()


def test_after_a_finished_routine_repeat_is_the_highlighted_answer_again(shell: Shell) -> None:
    shell.window.show()
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    shell.controller.report_pain()
    assert shell.dock.close_button.property("primary")
    shell.dock.repeat_button.click()
    for _ in range(3):
        shell.controller.next_step()  # to the end
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.FINISHED
    assert shell.dock.repeat_button.property("primary") and not shell.dock.close_button.property("primary")


def test_the_dock_says_step_n_of_m_paused_and_ends_with_a_summary(shell: Shell) -> None:
    shell.window.show()
    shell.ask_checkins = False
    clock = shell.clock  # type: ignore[attr-defined]
    assert shell.start_routine("quick-reset")  # 3 steps: 30 s, 30 s, 60 s both sides; 5 s to get ready each
    dock = shell.dock
    assert dock.progress_label.text() == "Step 1 of 3 · Get ready"
    clock.now += 6
    shell.controller.update()
    assert dock.progress_label.text() == "Step 1 of 3"
    dock.play.click()
    assert dock.progress_label.text() == "Step 1 of 3 · Paused" and dock.play.text() == "Resume"
    dock.play.click()
    shell.controller.next_step()
    shell.controller.next_step()
    assert dock.progress_label.text().startswith("Step 3 of 3")
    clock.now += 5 + 60
    shell.controller.update()
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.FINISHED
    assert dock.end_box.isVisible() and not dock.running_controls.isVisible()
    # Steps 1 and 2 were skipped: the summary says so (it said "Well done: all 3 steps" here)
    assert dock.summary.text().startswith("Finished with 1 of 3 steps pressed to the end (the rest skipped)")
    assert dock.side_label.isHidden()  # no stale "Right side"
    assert dock.repeat_button.isVisible() and dock.close_button.isVisible()
    assert dock.features() & dock.DockWidgetFeature.DockWidgetClosable  # ended: × puts it away
    dock.repeat_button.click()
    assert shell.controller.active and dock.progress_label.text() == "Step 1 of 3 · Get ready"
    assert not dock.features() & dock.DockWidgetFeature.DockWidgetClosable  # running: it cannot vanish
    shell.controller.stop()
    dock.close_button.click()
    assert not dock.isVisible()
    assert not any(m.state.current for m in shell.learn.map.markers)


def test_the_point_panel_follows_every_step_also_a_massage_step(shell: Shell) -> None:
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")  # a massage first, then EX-HN3, then PC6
    assert "Shoulder" in shell.learn.panel.browser.toPlainText()
    assert shell.learn.panel.point is None and not shell.learn.panel.practise_button.isVisibleTo(shell.learn.panel)
    shell.controller.next_step()
    assert shell.learn.panel.point is not None and shell.learn.panel.point.code == "EX-HN3"
    shell.controller.stop()


def test_session_keys_work_from_the_search_box_and_never_type_into_it(shell: Shell, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    _activate(qtbot, shell.window)
    box = shell.learn.search_box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # no session: Space is an ordinary key
    assert shell.controller.runner is None
    box.clear()
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    assert not box.hasFocus()  # the keys are the session's now
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.text() == ""
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.PAUSED
    qtbot.keyClicks(box, "neck")
    qtbot.keyClick(box, Qt.Key.Key_Space)  # inside a search, a space is text
    assert box.text() == "neck " and shell.controller.runner.state is RunnerState.PAUSED
    qtbot.keyClick(box, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert shell.controller.runner.snapshot().step_index == 1
    shell.controller.stop()


def test_compact_mode_is_a_small_window_on_top_that_outlives_minimising(shell: Shell, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    _activate(qtbot, shell.window)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    dock = shell.dock
    dock.compact_button.click()
    timer = dock.compact
    assert timer.isVisible() and not dock.isVisible()
    assert timer.parent() is None and timer.isWindow()  # not hidden with the main window
    assert timer.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert timer.sizeHint().height() < 160 and timer.width() <= 300
    assert "Step 1 of 3" in timer.step.text()
    assert timer.focusWidget() is not timer.pain  # Enter in the fresh window never reports pain
    assert timer.play.accessibleName() == f"{timer.play.text()} the routine"  # named by its state (issue 19)
    shell.window.showMinimized()
    assert timer.isVisible()
    shell.clock.now += 3  # type: ignore[attr-defined]
    shell.controller.update()
    assert timer.countdown.text() == "0:02"
    timer.play.click()
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.PAUSED
    assert timer.play.text() == "Resume"
    timer.expand.click()
    assert not timer.isVisible() and dock.isVisibleTo(shell.window)
    dock.set_compact(True)
    timer.stop.click()  # the compact timer stays and says how it ended; Expand shows Repeat and Close
    assert timer.isVisible() and timer.step.text().startswith("Stopped after")
    assert timer.play.isHidden() and timer.stop.isHidden() and timer.countdown.isHidden()
    timer.expand.click()
    assert not timer.isVisible() and dock.end_box.isVisibleTo(dock)
    shell.ask_checkins = False
    dock.repeat_button.click()
    dock.set_compact(True)
    shell.window.showMinimized()
    timer.pain.click()  # pain, from the compact timer: the advice must be read, the panel and window come back
    assert not timer.isVisible() and dock.isVisibleTo(shell.window) and not shell.window.isMinimized()
    shell.window.close()


def test_ctrl_q_during_a_session_asks_first(shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    _activate(qtbot, shell.window)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    shell.dock.set_compact(True)  # from the compact timer too
    _activate(qtbot, shell.dock.compact)
    qtbot.keyClick(shell.dock.compact, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert asked and "Quick reset" in asked[0]
    assert shell.window.isVisible() and shell.controller.active
    shell.controller.stop()
    shell.dock.set_compact(False)


def test_a_reference_only_point_shows_no_pressing_and_cannot_be_added(shell: Shell) -> None:
    for code in ("ST9", "BL1"):
        shell.learn.open_point(code)
        panel = shell.learn.panel
        text = panel.browser.toPlainText()
        assert "Pressure" not in text and "Motion" not in text and "shown for learning only" in text
        assert not panel.add_button.isEnabled() and not panel.practise_button.isEnabled()
    shell.learn.open_point("LI4")
    assert shell.learn.panel.add_button.isEnabled()


# -- the safety profile keeps its word (issue 12) -------------------------------------------------


def test_the_profile_says_what_it_does_flagged_points_are_marked_not_hidden(shell: Shell) -> None:
    from acupressure_desktop.domain.safety import CONDITIONS, FLAGGED_MEANS

    for condition in CONDITIONS:  # nothing is hidden from the list or the map: the words must not say so
        assert "hidden" not in condition.explanation and "hides" not in condition.explanation
    shell.update_settings(shell.settings.model_copy(update={"safety": SafetyProfile(pregnant_or_trying=True)}))
    learn = shell.learn
    assert learn.flag_legend.isVisibleTo(learn) and "ring" in learn.flag_legend.text()
    learn.search_box.setText("SP6")
    item = learn.results.item(0)
    assert item.text().startswith("⚠ SP6")
    assert item.toolTip().startswith("Flagged by your safety profile:") and "pregnan" in item.toolTip().lower()
    learn.search_box.setText("PC6")
    assert not learn.results.item(0).text().startswith("⚠")
    for view in shell.catalog.maps:  # the reason is in the tooltip on every view, built now or later
        learn.show_view(view)
        for marker in learn.map.markers:
            if marker.hotspot.code == "SP6":
                assert "Flagged by your safety profile" in marker.toolTip()
    shell.update_settings(shell.settings.model_copy(update={"safety": SafetyProfile()}))
    assert not learn.flag_legend.isVisibleTo(learn)
    assert "marked" in FLAGGED_MEANS and "confirm" in FLAGGED_MEANS


def test_every_routine_shows_its_benefits_and_their_warning_signs(shell: Shell) -> None:
    page = shell.routines
    for row in range(page.list.count()):
        page.list.setCurrentRow(row)
        routine = shell.library.get(page.current_id() or "")
        assert routine is not None
        text = page.details.toPlainText()
        assert routine.id in text  # the id for --routine and the desktop actions, to copy
        for benefit_id in routine.benefits:
            benefit = shell.catalog.benefits[benefit_id]
            assert benefit.description[:40] in text
            assert "See a professional if" in text and benefit.red_flags[0][:40] in text


def test_a_benefit_filter_shows_the_benefit_and_its_warning_signs(shell: Shell) -> None:
    learn = shell.learn
    assert learn.benefit_card.isHidden()
    learn.filter_benefit("headache")
    benefit = shell.catalog.benefits["headache"]
    text = learn.benefit_card.toPlainText()
    assert not learn.benefit_card.isHidden()
    assert benefit.description[:40] in text and benefit.red_flags[-1][:40] in text
    learn.clear()
    assert learn.benefit_card.isHidden()


def test_a_swapped_routine_names_the_profile_not_always_pregnancy(shell: Shell) -> None:
    shell.update_settings(
        shell.settings.model_copy(update={"safety": SafetyProfile(eye_surgery_glaucoma_or_inflamed_eye=True)})
    )
    page = shell.routines
    swapped = 0
    for row in range(page.list.count()):
        page.list.setCurrentRow(row)
        text = page.details.toPlainText()
        if "Shown instead of" in text:
            swapped += 1
            assert "which uses points your safety profile flags" in text
    assert swapped


def test_the_learn_search_understands_complaints_and_says_when_nothing_matches(shell: Shell) -> None:
    learn = shell.learn
    learn.search_box.setText("period pain")
    assert learn.results_label.text().endswith(("matching points", "matching self-care points"))
    assert not learn.routine_links.isHidden() and "Menstrual cramp relief" in learn.routine_links.text()
    learn.routine_links.linkActivated.emit("routine:menstrual-cramp-relief")
    assert shell.window.pages.currentIndex() == shell.page_routines
    assert shell.routines.current_id() == "menstrual-cramp-relief"
    learn.search_box.setText("insomia")
    assert learn.results_label.text() == "Nothing matches “insomia”. Try:"
    assert learn.results.item(0).text() == "→ insomnia"
    # Every row is drawn in the list's own font: "🔍" came out as a missing-glyph box without an emoji font.
    metrics = QFontMetrics(learn.results.font())
    for row in range(learn.results.count()):
        assert all(metrics.inFontUcs4(ord(ch)) for ch in learn.results.item(row).text() if not ch.isspace())
    learn.results.itemActivated.emit(learn.results.item(0))
    assert learn.search_box.text() == "insomnia" and learn.results.count() > 3
    learn.search_box.setText("GV20")
    assert learn.results_label.text() == "1 matching point"
    shell.update_settings(shell.settings.model_copy(update={"safety": SafetyProfile(pregnant_or_trying=True)}))
    learn.search_box.setText("period pain")  # the profile offers no routine for it
    assert learn.routine_links.isHidden()


def test_dialog_buttons_carry_no_stock_icons_over_their_text(qapp: Any) -> None:
    from PySide6.QtWidgets import QStyle

    theme.apply(qapp, theme.LIGHT)
    assert qapp.style().styleHint(QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons) == 0
    box = QMessageBox(
        QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    )
    try:
        assert all(button.icon().isNull() for button in box.buttons())
    finally:
        box.deleteLater()


def test_the_compact_timer_fits_its_title_and_both_button_words(shell: Shell) -> None:
    from acupressure_desktop import APP_TITLE

    timer = shell.dock.compact
    assert timer.windowTitle() == APP_TITLE
    width = timer.play.fontMetrics().horizontalAdvance("Resume")
    assert timer.play.minimumWidth() > width


def test_a_point_opened_during_a_step_stays_open_until_the_next_step(shell: Shell) -> None:
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")  # 5 s to get ready, then the massage
    shell.learn.open_point("LI4")  # the person reads another point meanwhile
    shell.clock.now += 6  # type: ignore[attr-defined]  # the preparation ends: same step
    shell.controller.update()
    assert shell.learn.panel.point is not None and shell.learn.panel.point.code == "LI4"
    shell.clock.now += 30  # type: ignore[attr-defined]  # the next step begins: the panel follows
    shell.controller.update()
    assert shell.learn.panel.point is not None and shell.learn.panel.point.code == "EX-HN3"
    shell.controller.stop()


@pytest.mark.slow
def test_dialog_titles_get_no_app_name_appended(tmp_path: Path) -> None:
    """Qt appends the application display name to every window title when one is set; dialog titles
    then no longer fit their title bars. The main window names the app itself."""
    import subprocess
    import sys

    script = f"""
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QGuiApplication
from acupressure_desktop import APP_TITLE
from acupressure_desktop.app import build_gui
gui = build_gui(["--home", {str(tmp_path / "home")!r}])
assert QGuiApplication.applicationDisplayName() == QGuiApplication.applicationName(), "a display name is set"
assert gui.window.windowTitle() == APP_TITLE
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_reading_width_is_capped_on_a_wide_screen_and_wraps_on_a_narrow_one(shell: Shell, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from acupressure_desktop.ui.point_panel import READING_CHARACTERS

    shell.learn.open_point("LI4")
    browser = shell.learn.panel.browser
    shell.window.resize(2560, 1400)
    shell.window.show()
    qtbot.waitExposed(shell.window)
    cap = browser.fontMetrics().averageCharWidth() * READING_CHARACTERS
    qtbot.waitUntil(lambda: browser.lineWrapMode() is QTextBrowser.LineWrapMode.FixedPixelWidth)
    assert browser.lineWrapColumnOrWidth() == cap and browser.width() > cap
    sidebar = shell.learn.results.width()
    shell.window.resize(1024, 700)
    qtbot.waitUntil(lambda: browser.lineWrapMode() is QTextBrowser.LineWrapMode.WidgetWidth)
    assert not browser.horizontalScrollBar().isVisible()  # it wraps, never scrolls sideways
    assert shell.learn.results.width() < sidebar  # the list grew with the screen
    routines = shell.routines.details
    shell.window.show_page(shell.page_routines)
    shell.window.resize(2560, 1400)
    qtbot.waitUntil(lambda: routines.lineWrapMode() is QTextBrowser.LineWrapMode.FixedPixelWidth)


def test_two_character_chinese_names_never_break_across_lines(qtbot: QtBot, catalog: Catalog) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from acupressure_desktop.ui.point_panel import point_html

    browser = QTextBrowser()
    qtbot.addWidget(browser)
    browser.show()
    for width in range(240, 420, 6):
        browser.resize(width, 600)
        for code in ("PC6", "GB20", "EX-HN3"):
            chinese = catalog.points[code].chinese
            browser.setHtml(point_html(catalog.points[code], catalog, theme.LIGHT, set()))
            QApplication.processEvents()
            block = browser.document().firstBlock()
            layout, text = block.layout(), block.text()
            for index in range(layout.lineCount()):
                line = layout.lineAt(index)
                shown = text[line.textStart() : line.textStart() + line.textLength()]
                assert (chinese[0] in shown) == (chinese[-1] in shown), (width, code, shown)


def test_radio_and_check_box_edges_show_in_the_dark_theme(qapp: Any, qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

    theme.apply(qapp, theme.DARK)
    try:
        window = QColor(theme.DARK.window).lightness()
        for kind, element in (
            (QRadioButton, QStyle.SubElement.SE_RadioButtonIndicator),
            (QCheckBox, QStyle.SubElement.SE_CheckBoxIndicator),
        ):
            button = kind("Unticked")
            qtbot.addWidget(button)
            button.resize(button.sizeHint())
            image = button.grab().toImage()
            option = QStyleOptionButton()
            option.initFrom(button)
            box = button.style().subElementRect(element, option, button)
            edge = max(image.pixelColor(x, box.center().y()).lightness() for x in range(box.left(), box.right()))
            assert edge - window > 60, kind.__name__  # a clear edge, not a near-invisible one
    finally:
        theme.apply(qapp, theme.LIGHT)


def test_the_display_refreshes_once_a_second_just_after_the_countdown_turns(qtbot: QtBot) -> None:
    from acupressure_desktop.ui.session_controller import DISPLAY_LAG_MS

    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    controller.load(PLAN)
    controller.start()  # 30 s on the left side
    assert controller.next_refresh_ms() == 1000  # a whole second to the next change
    clock.now += 0.3
    controller.update()
    assert controller.next_refresh_ms() == 700 + DISPLAY_LAG_MS
    clock.now += 0.75  # 28.95 s left: "0:29" turns to "0:28" in 0.95 s
    controller.update()
    assert controller.next_refresh_ms() == 950 + DISPLAY_LAG_MS
    controller.stop()


def test_the_pacer_animates_on_its_own_only_while_running_and_shown(qtbot: QtBot, catalog: Catalog) -> None:
    from PySide6.QtCore import Qt

    clock = FakeClock()
    controller = SessionController(None, clock=clock)
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    dock.set_pacer(True, 4, 6)
    dock.show()
    controller.load(PLAN)
    pacer = dock.pacer
    assert pacer.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # a frame never repaints the panel behind
    assert not pacer._frames.isActive()  # ready: nothing moves
    controller.start()
    assert pacer._frames.isActive()
    described = pacer.accessibleDescription()
    pacer.repaint()
    assert pacer.accessibleDescription() == described  # painting never re-describes it
    controller.toggle()  # paused
    assert not pacer._frames.isActive()
    controller.toggle()
    dock.set_compact(True)  # the panel gives way to the compact timer: the hidden pacer stops
    assert not pacer._frames.isActive()
    dock.set_compact(False)
    controller.stop()
    assert not pacer._frames.isActive()


# -- the map tells the truth (issue 12) ------------------------------------------------------------


def test_a_region_filter_belongs_to_its_view_and_the_clicked_region_is_marked(shell: Shell) -> None:
    learn = shell.learn
    learn.show_view("body-front")
    learn._on_region("body-front", "hand")
    assert learn.results_label.text().endswith("in Hand and wrist")
    assert learn.map.region_outline is not None and learn.map.region_outline.isVisible()
    learn.show_view("face")  # another view: the filter and the mark go, nothing is greyed out
    self_care = sum(p.self_care for p in shell.catalog.points.values())
    assert learn.results_label.text() == f"All {self_care} self-care points"  # the default filter
    assert not any(m.state.dimmed for m in learn.map.markers)
    assert learn.map.region_outline is None
    learn.show_view("body-front")
    learn._on_region("body-front", "hand")
    closeup = learn._closeup
    assert closeup is not None
    learn._open_closeup()  # its close-up shows the same points: the filter stays
    assert learn.results_label.text().endswith("in Hand and wrist")


def test_every_view_with_both_sides_labels_them_from_the_hotspots(shell: Shell) -> None:
    from acupressure_desktop.ui.bodymap import SIDE_CONVENTION

    learn = shell.learn
    assert "own left and right" in SIDE_CONVENTION and learn.side_legend.toolTip() == SIDE_CONVENTION
    for view_id, body_map in shell.catalog.maps.items():
        learn.show_view(view_id)
        built = learn.map._scenes[view_id]
        sides = {h.side for h in body_map.hotspots} - {None}
        assert {label.text() for label in built.side_labels} == sides, view_id
        if sides == {"L", "R"}:
            mean = {
                s: sum(h.x for h in body_map.hotspots if h.side == s) / sum(1 for h in body_map.hotspots if h.side == s)
                for s in sides
            }
            left_label = next(label for label in built.side_labels if label.text() == "L")
            right_label = next(label for label in built.side_labels if label.text() == "R")
            assert (left_label.x() > right_label.x()) == (mean["L"] > mean["R"]), view_id


# -- fits the screen (issue 12) --------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1024, 700), (1280, 720), (1366, 768)])
def test_every_control_is_reachable_with_the_dock_open(
    shell: Shell, qtbot: QtBot, app_paths: AppPaths, size: tuple[int, int]
) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton

    _history_shell(shell, app_paths)  # the History page too: its minimum once widened the window to 1388 px
    window = shell.window
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    shell.learn.open_point("LI4")  # the point's buttons too
    QApplication.processEvents()
    assert window.width() <= size[0] and window.height() <= size[1]  # the window never grows past the screen
    inside = QRect(0, 0, window.width(), window.height())
    assert shell.page_history is not None
    for page in (shell.page_learn, shell.page_routines, shell.page_history):
        window.show_page(page)
        QApplication.processEvents()
        assert window.width() <= size[0] and window.height() <= size[1], (page, window.size())
        for button in window.findChildren(QAbstractButton):
            if not button.isVisible() or button.window() is not window or not button.text():
                continue
            top_left = button.mapTo(window, button.rect().topLeft())
            area = QRect(top_left, button.size())
            assert inside.contains(area), (button.text(), area, size)
            assert button.visibleRegion().boundingRect() == button.rect(), (button.text(), size)  # not cut by a parent
            assert button.width() >= button.minimumSizeHint().width() - 1, button.text()  # not squeezed
    shell.controller.stop()


def test_point_labels_on_the_map_are_optional_and_the_selected_point_always_has_one(shell: Shell) -> None:
    learn = shell.learn
    learn.show_view("hand-back")
    learn.open_point("LI4")
    built = learn.map._scenes["hand-back"]
    shown = {label.text() for label in learn.map.shown_labels()}
    assert shown == {"LI4"}  # labels off: only the selected point's
    learn.map.labels_button.click()
    visible = {m.hotspot.code for m in built.markers if m.isVisible()}  # the self-care filter's markers
    labelled = {label.text() for label in learn.map.shown_labels()}
    assert labelled <= visible and len(labelled) >= 0.8 * len(visible)
    learn.show_view("face")  # every view, built on first use
    face = learn.map._scenes["face"]
    # Every drawn marker's label where it has room (crowded views thin them: tests/test_atlas_ui.py).
    drawn = [m for m in face.markers if m.isVisible()]
    assert face.labels and len(learn.map.shown_labels()) >= 0.8 * len(drawn)
    learn.map.set_labels(False)
    assert not learn.map.shown_labels()


@pytest.mark.parametrize("size", [(1024, 700), (1280, 720)])
def test_narrow_windows_with_the_dock_open_clip_nothing(
    shell: Shell, qtbot: QtBot, qapp: Any, size: tuple[int, int]
) -> None:
    theme.apply(qapp, theme.LIGHT)  # the real style sheet: tab paddings decide what fits
    window = shell.window
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    QApplication.processEvents()
    learn = shell.learn
    assert window.width() == size[0]  # the window does not widen itself
    assert not learn.sidebar.isVisible()  # the list gives way to the map while the panel is open
    assert learn.map.width() >= 380
    for group in range(learn.group_tabs.count()):  # every group's views, each tab whole in sight
        learn.group_tabs.setCurrentIndex(group)
        QApplication.processEvents()
        for tabs in (learn.group_tabs, learn.view_tabs):
            for index in range(tabs.count()):
                rect = tabs.tabRect(index)
                assert rect.left() >= 0 and rect.right() <= tabs.width(), (tabs.tabText(index), rect, tabs.width())
    shell.controller.stop()
    shell.dock.close_button.click()
    QApplication.processEvents()
    assert learn.sidebar.isVisible()  # back once the panel is closed


def test_the_welcome_dialog_fits_its_text_and_opens_centred_on_the_window(shell: Shell, qtbot: QtBot) -> None:
    from acupressure_desktop.ui.welcome import WelcomeDialog

    window = shell.window
    screen = window.screen().availableGeometry()
    window.setGeometry(screen.adjusted(40, 40, -40, -40))
    window.show()
    qtbot.waitExposed(window)
    dialog = WelcomeDialog(shell.settings.safety, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    frame = dialog.geometry()
    assert screen.contains(frame)  # never above the screen's top, never off its edges
    assert abs(frame.center().x() - window.frameGeometry().center().x()) <= 2
    body = dialog._body.sizeHint().height()
    assert frame.height() <= body + 120  # as tall as its text: no empty band


def test_the_dock_announces_steps_sides_halfway_and_the_end_once_each(qtbot: QtBot, catalog: Catalog) -> None:
    from PySide6.QtGui import QAccessible

    clock, controller, dock = _running_dock(qtbot, catalog)
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


def test_a_routine_skipped_to_its_end_is_announced_without_praise(qtbot: QtBot, catalog: Catalog) -> None:
    """A screen reader heard "Routine finished. Well done." after Next skipped every step, as the dock
    and the voice once said; all three now follow Snapshot.every_step_pressed."""
    _clock, controller, dock = _running_dock(qtbot, catalog)
    while controller.runner.snapshot().state is RunnerState.RUNNING:
        controller.next_step()
    assert dock.announcer.spoken[-1] == "Routine finished. 0 of 2 steps pressed to the end."


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
    assert focused is not None and focused.isEnabled()  # never left on the disabled Pause button
    assert focused not in (shell.dock.play, shell.dock.stop, shell.dock.pain)
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


def test_with_reduced_motion_the_pacer_stays_still_and_counts_the_seconds(
    qtbot: QtBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from acupressure_desktop.ui import motion, session_dock

    monkeypatch.setenv(motion.ENV, "1")
    dock = SessionDock(SessionController(None, clock=FakeClock()), catalog)
    qtbot.addWidget(dock)
    pacer = dock.pacer
    assert pacer.reduced_motion and pacer._frames.interval() == session_dock.STILL_INTERVAL_MS
    pacer.running = True
    origin = pacer.origin
    assert pacer.label(origin + 0.2) == "breathe in\n4"
    assert pacer.label(origin + 3.5) == "breathe in\n1"
    assert pacer.label(origin + 4.0) == "breathe out\n6"
    painted: list[int] = []
    monkeypatch.setattr(pacer, "update", lambda *args: painted.append(1))
    monkeypatch.setattr(session_dock.time, "monotonic", lambda: origin + 1.1)
    pacer._frame()
    pacer._frame()  # the same second: nothing to repaint
    monkeypatch.setattr(session_dock.time, "monotonic", lambda: origin + 2.1)
    pacer._frame()
    assert len(painted) == 2
    monkeypatch.delenv(motion.ENV)
    moving = SessionDock(SessionController(None, clock=FakeClock()), catalog)
    qtbot.addWidget(moving)
    assert not moving.pacer.reduced_motion


# A 1280x720 or 1366x768 screen less the panel and the title bar: what the window really gets.
@pytest.mark.parametrize("size", [(1177, 640), (1256, 700)])
def test_the_dock_never_lays_its_picture_over_the_text_and_keeps_its_controls_in_sight(
    shell: Shell, qtbot: QtBot, size: tuple[int, int]
) -> None:
    """At 1280x720 the shoulder-rolls drawing was painted over the instruction under it (the dock's
    layout asked for more height than the window had); now the text scrolls and the controls stay."""
    from PySide6.QtCore import QRect

    window = shell.window
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")  # step 1: a technique with a long instruction
    QApplication.processEvents()
    assert window.height() <= size[1]  # the dock's own minimum never makes the window taller than the screen
    dock = shell.dock
    parts = [dock.title, dock.progress_label, dock.step_label, dock.countdown, dock.picture, dock.instruction]
    parts += [dock.guide_button, dock.steps]
    shown = [w for w in parts if w.isVisible()]
    assert dock.picture in shown and dock.instruction in shown
    boxes = [QRect(w.mapTo(dock, w.rect().topLeft()), w.size()) for w in shown]
    for index, box in enumerate(boxes):
        for other, later in zip(shown[index + 1 :], boxes[index + 1 :], strict=True):
            assert not box.intersects(later), (shown[index].objectName() or type(shown[index]).__name__, other)
    assert dock.instruction.height() >= dock.instruction.heightForWidth(dock.instruction.width())  # no cut lines
    for button in (dock.play, dock.pain, dock.stop, dock.next, dock.previous):
        assert button.visibleRegion().boundingRect() == button.rect(), button.text()
        assert dock.rect().contains(QRect(button.mapTo(dock, button.rect().topLeft()), button.size()))
    shell.controller.stop()


def test_the_summary_tells_a_skipped_end_from_a_finished_routine(shell: Shell) -> None:
    """Next on the last step ends the routine: the dock said "Well done: all 1 steps" after nothing
    was pressed to the end, above "0 of 1 steps done"."""
    shell.window.show()
    shell.ask_checkins = False
    clock = shell.clock  # type: ignore[attr-defined]
    assert shell.start_routine("quick-reset")
    clock.now += 6
    shell.controller.update()
    shell.controller.next_step()
    shell.controller.next_step()
    shell.controller.next_step()  # skips the last step: the routine is at its end
    dock = shell.dock
    assert shell.controller.runner is not None and shell.controller.runner.state is RunnerState.FINISHED
    assert not dock.summary.text().startswith("Well done")
    assert "0 of 3 steps pressed to the end" in dock.summary.text()
    assert dock.progress_label.text() == "0 of 3 steps done"


def test_one_step_is_one_step_in_the_dock() -> None:
    from dataclasses import replace

    from acupressure_desktop.session.runner import Outcome, Phase, Snapshot
    from acupressure_desktop.ui.session_dock import steps_done_text, summary_text

    snap = Snapshot(
        state=RunnerState.FINISHED,
        step_index=0,
        step_count=1,
        side=Side.CENTER,
        phase=Phase.PRESS,
        segment_remaining=0,
        segment_duration=60,
        step_remaining=0,
        total_remaining=0,
        total_duration=65,
        practised_seconds=60,
        steps_done=1,
        painful_steps=(),
        switching_sides=False,
    )
    assert summary_text(snap, Outcome.COMPLETED) == "Well done: the step, 1:00 of pressing."
    assert steps_done_text(snap) == "1 of 1 step done"
    three = replace(snap, step_count=3, steps_done=3)
    assert summary_text(three, Outcome.COMPLETED) == "Well done: all 3 steps, 1:00 of pressing."
    assert steps_done_text(three) == "3 of 3 steps done"


def test_the_first_focus_is_in_the_page_so_ctrl_f_searches_at_once(shell: Shell, qtbot: QtBot) -> None:
    """At first launch the focus sat on the Learn page tab, above the page: Ctrl+F (the page's key)
    did nothing and the typed words went nowhere."""
    from PySide6.QtCore import Qt

    window = shell.window
    _activate(qtbot, window)
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is not None and QApplication.focusWidget() is not window.page_tabs
    )
    focused = QApplication.focusWidget()
    assert focused is not None and window.pages.currentWidget().isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is shell.learn.search_box


# A 1280x720 or 1366x768 screen less the panel and the title bar, and a tall one.
@pytest.mark.parametrize("size", [(1177, 640), (1256, 700), (1800, 1000)])
def test_the_current_step_stays_in_sight_in_the_dock(
    shell: Shell, qtbot: QtBot, qapp: Any, size: tuple[int, int]
) -> None:
    """At 1280x720 the dock's content scrolled and its step list was cut to its top edge: on step 3
    of 3 no step of the list was in sight. The picture now gives way first (down to half)."""
    from PySide6.QtCore import QRect

    theme.apply(qapp, theme.LIGHT)  # the real style sheet: its list rows are twice the bare height
    window = shell.window
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    shell.ask_checkins = False
    assert shell.start_routine("quick-reset")
    dock = shell.dock
    for step in range(3):
        QApplication.processEvents()
        viewport, content = dock.content_scroll.viewport(), dock.content_scroll.widget()
        assert content is not None
        row = dock.steps.visualItemRect(dock.steps.item(step))
        top_left = dock.steps.viewport().mapTo(content, row.topLeft())  # where it is before any scrolling
        assert QRect(0, 0, viewport.width(), viewport.height()).contains(QRect(top_left, row.size())), (step, size)
        assert dock.picture.height() >= 90  # half its size at the least
        shell.controller.next_step()
    if size[1] >= 1000:
        assert dock.picture.height() == 180  # room enough: the full picture
    shell.controller.stop()


def test_an_unknown_routine_id_names_the_likeliest_one_and_where_ids_are(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--routine neck-and-shoulder-break` said only "There is no routine called …"."""
    from acupressure_desktop.ui import shell as shell_module

    said: list[str] = []
    monkeypatch.setattr(shell_module, "warn", lambda _parent, _title, text: said.append(text))
    assert not shell.start_routine("neck-and-shoulder-break")
    assert "Did you mean 'neck-shoulder-break'?" in said[-1]
    assert "Routines page" in said[-1]
    assert not shell.start_routine("zzzz")
    assert "Did you mean" not in said[-1] and "Routines page" in said[-1]


def test_after_the_first_notice_the_focus_is_in_the_page_so_ctrl_f_searches(shell: Shell, qtbot: QtBot) -> None:
    """At first launch the notice comes before any focus; when it closed, the focus went to the
    window's first control, the page tabs, where Ctrl+F did nothing (seen under Xvfb and openbox)."""
    from PySide6.QtCore import Qt, QTimer

    from acupressure_desktop.ui.dialogs import modal
    from acupressure_desktop.ui.welcome import WelcomeDialog

    window = shell.window
    window.show()  # as the start-up does: the window, then at once the notice
    qtbot.waitExposed(window)

    def accept() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WelcomeDialog)
        dialog.accept()

    QTimer.singleShot(100, window, accept)
    with modal(WelcomeDialog(shell.settings.safety, window)) as dialog:
        dialog.exec()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focused = QApplication.focusWidget()
    assert focused is not window.page_tabs and window.pages.currentWidget().isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is shell.learn.search_box


def test_ctrl_f_searches_from_anywhere_in_the_window(shell: Shell, qtbot: QtBot) -> None:
    """Ctrl+F was the Learn page's key: from the Routines page, the page tabs or the session panel it
    did nothing; and with the panel open on a narrow window the search list was put away."""
    from PySide6.QtCore import Qt

    window = shell.window
    window.resize(1200, 700)
    _activate(qtbot, window)
    shell.start_routine("quick-reset")
    qtbot.waitUntil(lambda: not shell.learn.sidebar.isVisibleTo(shell.learn))  # narrow: the list gives way
    window.show_page(shell.page_routines)
    for start in (window.page_tabs, shell.dock.play):
        start.setFocus()
        qtbot.waitUntil(start.hasFocus)
        qtbot.keyClick(start, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert window.pages.currentIndex() == shell.page_learn
        assert QApplication.focusWidget() is shell.learn.search_box and shell.learn.search_box.isVisible()
        window.show_page(shell.page_routines)
    assert shell.controller.active  # the routine goes on
