"""Check-in and edit dialogs: skip in one click, Enter saves, Escape skips, keyboard rating."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from acupressure_desktop.ui.history.checkin import CheckIn, CheckInDialog, EditSessionDialog, RatingSelector
from tests.historydata import make_session


@pytest.fixture
def dialog(qtbot: QtBot) -> CheckInDialog:
    widget = CheckInDialog("after", "Stress level", "Calm evening")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_skip_is_one_click_and_records_nothing(qtbot: QtBot, dialog: CheckInDialog) -> None:
    qtbot.mouseClick(dialog.rating.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.result_checkin() is None


def test_escape_skips(qtbot: QtBot, dialog: CheckInDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result_checkin() is None


def test_enter_saves_the_rating_and_the_note(qtbot: QtBot, dialog: CheckInDialog) -> None:
    qtbot.mouseClick(dialog.rating.buttons[3], Qt.MouseButton.LeftButton)
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "  calmer  ")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_checkin() == CheckIn(3, "calmer")


def test_enter_on_the_rating_row_saves_too(qtbot: QtBot, dialog: CheckInDialog) -> None:
    dialog.rating.buttons[0].setFocus()
    qtbot.keyClick(dialog.rating.buttons[0], Qt.Key.Key_7)
    qtbot.keyClick(dialog.rating.buttons[7], Qt.Key.Key_Return)
    assert dialog.result_checkin() == CheckIn(7, "")


def test_saving_without_a_rating_keeps_the_rating_empty(qtbot: QtBot, dialog: CheckInDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_checkin() == CheckIn(None, "")


def test_the_before_dialog_asks_no_note(qtbot: QtBot) -> None:
    before = CheckInDialog("before", "Headache pain", "Headache relief")
    qtbot.addWidget(before)
    before.show()
    assert not before.note.isVisible()
    assert before.windowTitle() == "Before you start"


def test_rating_by_keyboard(qtbot: QtBot) -> None:
    selector = RatingSelector("Stress")
    qtbot.addWidget(selector)
    selector.show()
    qtbot.waitExposed(selector)
    selector.activateWindow()  # keyboard focus needs the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is selector)
    seen: list[int | None] = []
    selector.valueChanged.connect(seen.append)
    first = selector.buttons[0]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert selector.value == 1
    qtbot.keyClick(selector.buttons[1], Qt.Key.Key_End)
    assert selector.value == 10
    qtbot.keyClick(selector.buttons[10], Qt.Key.Key_Right)
    assert selector.value == 10
    qtbot.keyClick(selector.buttons[10], Qt.Key.Key_Left)
    assert selector.value == 9
    qtbot.keyClick(selector.buttons[9], Qt.Key.Key_4)
    assert selector.value == 4
    assert selector.buttons[4].hasFocus()
    assert seen == [1, 10, 9, 4]


def test_one_tab_stop_on_the_chosen_rating(qtbot: QtBot) -> None:
    selector = RatingSelector("Stress")
    qtbot.addWidget(selector)
    tab_stops = [b for b in selector.buttons if b.focusPolicy() == Qt.FocusPolicy.StrongFocus]
    assert tab_stops == [selector.buttons[0]]
    selector.set_value(6)
    tab_stops = [b for b in selector.buttons if b.focusPolicy() == Qt.FocusPolicy.StrongFocus]
    assert tab_stops == [selector.buttons[6]]
    assert selector.focusProxy() is selector.buttons[6]


def test_clicking_the_chosen_rating_again_clears_it(qtbot: QtBot) -> None:
    selector = RatingSelector("Stress")
    qtbot.addWidget(selector)
    qtbot.mouseClick(selector.buttons[5], Qt.MouseButton.LeftButton)
    assert selector.value == 5
    assert [b.isChecked() for b in selector.buttons].count(True) == 1
    qtbot.mouseClick(selector.buttons[5], Qt.MouseButton.LeftButton)
    assert selector.value is None
    assert not any(b.isChecked() for b in selector.buttons)
    with pytest.raises(ValueError, match="outside 0–10"):
        selector.set_value(11)


def test_every_rating_button_has_an_accessible_name(qtbot: QtBot, dialog: CheckInDialog) -> None:
    assert [b.accessibleName() for b in dialog.rating.buttons][:2] == ["Stress level: 0 of 10", "Stress level: 1 of 10"]
    for widget in (dialog.note, dialog.save_button, dialog.skip_button, dialog.rating):
        assert widget.accessibleName()


def test_edit_dialog_shows_and_returns_the_values(qtbot: QtBot) -> None:
    session = make_session(before=8, after=5, note="old note", rating_label="Stress")
    dialog = EditSessionDialog(session, "Neck release")
    qtbot.addWidget(dialog)
    assert dialog.values() == (8, 5, "old note")
    dialog.after.set_value(3)
    dialog.note.setText(" new note ")
    assert dialog.values() == (8, 3, "new note")
    clear_before = next(b for b in dialog.findChildren(QPushButton) if b.accessibleName() == "Clear stress before")
    qtbot.mouseClick(clear_before, Qt.MouseButton.LeftButton)
    assert dialog.values() == (None, 3, "new note")
