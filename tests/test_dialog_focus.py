"""After a dialog closes the keyboard focus is somewhere sensible, never nowhere (issue 19)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from acupressure_desktop.ui.dialogs import ask, modal


def _window(qtbot: QtBot) -> tuple[QWidget, QLineEdit, QPushButton]:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    first, second = QLineEdit(), QPushButton("Later")
    layout.addWidget(first)
    layout.addWidget(second)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, first, second


def _answer_soon(window: QWidget, answer: object) -> None:
    def close() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        if isinstance(dialog, QMessageBox):
            dialog.button(QMessageBox.StandardButton.Cancel).click()
        elif isinstance(dialog, QDialog):
            dialog.done(int(answer))  # type: ignore[call-overload]

    QTimer.singleShot(50, window, close)


def test_focus_goes_back_to_where_it_was(qtbot: QtBot) -> None:
    window, _first, second = _window(qtbot)
    second.setFocus()
    _answer_soon(window, 0)
    with modal(QDialog(window)) as dialog:
        dialog.exec()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is second)
    _answer_soon(window, 0)
    assert ask(window, "Stop?", "Stop the routine?", action="Stop") is False
    qtbot.waitUntil(lambda: QApplication.focusWidget() is second)


def test_with_no_focus_before_it_lands_on_the_first_control(qtbot: QtBot) -> None:
    window, first, second = _window(qtbot)
    second.setFocus()
    second.hide()  # what had the focus is gone by the time the dialog closes
    _answer_soon(window, 1)
    with modal(QDialog(window)) as dialog:
        dialog.exec()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)


def test_the_welcome_notice_is_the_first_focus_and_reads_as_its_words(qtbot: QtBot) -> None:
    # A screen reader met an unnamed scroll area first, then read only the notice's short name.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    from acupressure_desktop.domain.safety import SafetyProfile
    from acupressure_desktop.ui.welcome import WelcomeDialog

    dialog = WelcomeDialog(SafetyProfile())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog._notice)
    assert "not medical advice" in dialog._notice.accessibleDescription()
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None and scroll.focusPolicy() == Qt.FocusPolicy.NoFocus and scroll.accessibleName()
    qtbot.keyClick(dialog._notice, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
