"""The settings dialog: every control applies at once, invalid hours never leave it, the shell re-themes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QMessageBox,
    QSlider,
    QWidget,
)
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.domain.safety import CONDITIONS, SafetyProfile
from acupressure_desktop.reminders import ReminderSchedule
from acupressure_desktop.session.library import RoutineLibrary
from acupressure_desktop.settings import BreathingPacer, Settings, SoundSettings
from acupressure_desktop.ui import theme
from acupressure_desktop.ui.main_window import learn_window
from acupressure_desktop.ui.settings_dialog import SafetyProfileEditor, SettingsDialog
from acupressure_desktop.ui.shell import Shell
from acupressure_desktop.ui.welcome import WelcomeDialog

ROUTINES = [("quick-reset", "Quick reset"), ("headache-relief", "Headache relief")]
# Reminders on, so that their controls are enabled as a person would find them.
START = Settings(reminders=ReminderSchedule(enabled=True))


def _dialog(qtbot: QtBot, settings: Settings = START) -> tuple[SettingsDialog, list[Settings]]:
    dialog = SettingsDialog(settings, ROUTINES)
    qtbot.addWidget(dialog)
    emitted: list[Settings] = []
    dialog.settingsChanged.connect(emitted.append)
    return dialog, emitted


def _reminders(**changes: Any) -> Callable[[Settings], bool]:
    return lambda s: s.reminders == START.reminders.model_copy(update=changes)


Change = tuple[Callable[[SettingsDialog], object], Callable[[Settings], bool]]
CHANGES: dict[str, Change] = {
    "theme dark": (lambda d: d.theme_buttons["dark"].setChecked(True), lambda s: s.theme == "dark"),
    "theme light": (lambda d: d.theme_buttons["light"].setChecked(True), lambda s: s.theme == "light"),
    "same hold for all": (lambda d: d.hold_same.setChecked(True), lambda s: s.default_hold_seconds == 60),
    "hold seconds": (
        lambda d: (d.hold_same.setChecked(True), d.hold_seconds.setValue(95)),
        lambda s: s.default_hold_seconds == 95,
    ),
    "preparation": (lambda d: d.prepare_seconds.setValue(12), lambda s: s.prepare_seconds == 12),
    "no preparation": (lambda d: d.prepare_seconds.setValue(0), lambda s: s.prepare_seconds == 0),
    "sounds off": (lambda d: d.sounds_enabled.setChecked(False), lambda s: s.sounds == SoundSettings(enabled=False)),
    "volume": (lambda d: d.volume.setValue(35), lambda s: s.sounds == SoundSettings(volume=35)),
    "pacer on": (lambda d: d.breathing_enabled.setChecked(True), lambda s: s.breathing == BreathingPacer(enabled=True)),
    "inhale": (lambda d: d.inhale_seconds.setValue(5.5), lambda s: s.breathing.inhale_seconds == 5.5),
    "exhale": (lambda d: d.exhale_seconds.setValue(8), lambda s: s.breathing.exhale_seconds == 8),
    "reminders off": (lambda d: d.reminders_enabled.setChecked(False), _reminders(enabled=False)),
    "interval": (lambda d: d.interval_minutes.setValue(45), _reminders(interval_minutes=45)),
    "work start": (lambda d: d.work_start.setTime(QTime(8, 30)), _reminders(work_start=time(8, 30))),
    "work end": (lambda d: d.work_end.setTime(QTime(18, 15)), _reminders(work_end=time(18, 15))),
    "saturday on": (lambda d: d.weekday_boxes[5].setChecked(True), _reminders(weekdays=(0, 1, 2, 3, 4, 5))),
    "monday off": (lambda d: d.weekday_boxes[0].setChecked(False), _reminders(weekdays=(1, 2, 3, 4))),
    "routine": (lambda d: d.default_routine.setCurrentIndex(2), _reminders(default_routine_id="headache-relief")),
    "snooze": (lambda d: d.snooze_minutes.setValue(25), _reminders(snooze_minutes=25)),
    "profile": (
        lambda d: d.safety.boxes["pregnant_or_trying"].setChecked(True),
        lambda s: s.safety == SafetyProfile(pregnant_or_trying=True),
    ),
    "start minimised": (lambda d: d.start_minimised.setChecked(True), lambda s: s.start_minimised),
}


@pytest.mark.parametrize("name", CHANGES)
def test_each_control_changes_the_emitted_settings(qtbot: QtBot, name: str) -> None:
    act, expected = CHANGES[name]
    assert not expected(START)
    dialog, emitted = _dialog(qtbot)
    act(dialog)
    assert emitted, "no settings emitted"
    assert expected(emitted[-1])
    assert dialog.settings() == emitted[-1]
    # Only that setting changed: everything else is still what the dialog was given.
    assert sum(1 for field in Settings.model_fields if getattr(emitted[-1], field) != getattr(START, field)) == 1


def test_loading_shows_the_settings_and_emits_nothing(qtbot: QtBot) -> None:
    settings = Settings(
        theme="dark",
        default_hold_seconds=45,
        prepare_seconds=0,
        sounds=SoundSettings(enabled=False, volume=20),
        breathing=BreathingPacer(enabled=True, inhale_seconds=3.5, exhale_seconds=7),
        reminders=ReminderSchedule(
            enabled=True,
            interval_minutes=90,
            work_start=time(7, 45),
            work_end=time(15, 30),
            weekdays=(1, 3),
            default_routine_id="quick-reset",
            snooze_minutes=5,
        ),
        safety=SafetyProfile(recent_injury_or_surgery=True),
        start_minimised=True,
    )
    dialog, emitted = _dialog(qtbot, settings)
    assert dialog.theme_buttons["dark"].isChecked()
    assert dialog.hold_same.isChecked() and dialog.hold_seconds.value() == 45
    assert dialog.prepare_seconds.text() == "None"
    assert not dialog.sounds_enabled.isChecked() and dialog.volume.value() == 20
    assert dialog.volume_value.text() == "20 %"
    assert (dialog.inhale_seconds.value(), dialog.exhale_seconds.value()) == (3.5, 7)
    assert [box.isChecked() for box in dialog.weekday_boxes] == [False, True, False, True, False, False, False]
    assert (dialog.work_start.time(), dialog.work_end.time()) == (QTime(7, 45), QTime(15, 30))
    assert dialog.default_routine.currentText() == "Quick reset"
    assert dialog.safety.profile() == settings.safety
    assert dialog.start_minimised.isChecked()
    assert dialog.settings() == settings
    assert emitted == []


def test_keyboard_changes_apply(qtbot: QtBot) -> None:
    dialog, emitted = _dialog(qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentIndex(2)
    dialog.interval_minutes.setFocus()
    qtbot.keyClick(dialog.interval_minutes, Qt.Key.Key_Up)
    assert emitted[-1].reminders.interval_minutes == 65
    qtbot.keyClick(dialog.weekday_boxes[6], Qt.Key.Key_Space)
    assert emitted[-1].reminders.weekdays == (0, 1, 2, 3, 4, 6)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClick(dialog.volume, Qt.Key.Key_PageDown)  # the slider applies keys at once, drags on release
    assert emitted[-1].sounds.volume == 60


def test_dependent_controls_follow_their_switch(qtbot: QtBot) -> None:
    dialog, _ = _dialog(qtbot)
    assert not dialog.hold_seconds.isEnabled()
    dialog.hold_same.setChecked(True)
    assert dialog.hold_seconds.isEnabled()
    assert dialog.volume.isEnabled()
    dialog.sounds_enabled.setChecked(False)
    assert not dialog.volume.isEnabled()
    assert not dialog.inhale_seconds.isEnabled()
    dialog.breathing_enabled.setChecked(True)
    assert dialog.inhale_seconds.isEnabled() and dialog.exhale_seconds.isEnabled()
    dialog.reminders_enabled.setChecked(False)
    assert not dialog.interval_minutes.isEnabled() and not dialog.snooze_minutes.isEnabled()


@pytest.mark.parametrize("end", [QTime(8, 0), QTime(9, 0)], ids=["before start", "equal to start"])
def test_invalid_working_hours_show_an_error_and_do_not_emit(qtbot: QtBot, end: QTime) -> None:
    dialog, emitted = _dialog(qtbot)
    assert dialog.hours_error.isHidden()
    dialog.work_end.setTime(end)
    assert emitted == []
    assert not dialog.hours_error.isHidden()
    assert "Working hours must start before they end" in dialog.hours_error.text()
    assert f"09:00 is not before {end.toString('HH:mm')}" in dialog.hours_error.text()
    assert dialog.work_end.accessibleDescription() == dialog.hours_error.text()
    dialog.snooze_minutes.setValue(30)  # other changes wait too, rather than apply half a form
    assert emitted == []
    assert dialog.settings() == START

    dialog.work_end.setTime(QTime(12, 0))
    assert dialog.hours_error.isHidden()
    assert len(emitted) == 1
    assert emitted[0].reminders == START.reminders.model_copy(update={"work_end": time(12), "snooze_minutes": 30})


def test_no_days_ticked_warns_but_applies(qtbot: QtBot) -> None:
    dialog, emitted = _dialog(qtbot)
    for box in dialog.weekday_boxes[:5]:
        box.setChecked(False)
    assert emitted[-1].reminders.weekdays == ()
    assert not dialog.days_warning.isHidden()
    dialog.reminders_enabled.setChecked(False)
    assert dialog.days_warning.isHidden()


def test_values_beyond_the_offered_range_are_kept(qtbot: QtBot) -> None:
    """A hold longer than the dialog offers, or a deleted routine, survives an unrelated change."""
    settings = START.updated(
        default_hold_seconds=900, reminders=START.reminders.model_copy(update={"default_routine_id": "gone"})
    )
    dialog, emitted = _dialog(qtbot, settings)
    assert dialog.hold_seconds.value() == 900
    assert "gone" in dialog.default_routine.currentText()
    dialog.start_minimised.setChecked(True)
    assert emitted[-1] == settings.updated(start_minimised=True)


class Confirm:
    """Stands in for the question's exec: gives ``reply`` and records each question's text, its
    default button and its buttons' names."""

    def __init__(self, reply: QMessageBox.StandardButton) -> None:
        self.reply = reply
        self.calls: list[tuple[str, QMessageBox.StandardButton, set[str]]] = []

    def __call__(self, box: QMessageBox) -> int:
        default = box.standardButton(box.defaultButton())
        self.calls.append((box.text(), default, {b.text() for b in box.buttons()}))
        return int(self.reply.value)


@pytest.fixture
def confirm(monkeypatch: pytest.MonkeyPatch) -> Confirm:
    stand_in = Confirm(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: stand_in(box))
    return stand_in


def test_restore_defaults_keeps_the_profile_favourites_and_accepted_notice(qtbot: QtBot, confirm: Confirm) -> None:
    profile = SafetyProfile(pregnant_or_trying=True, varicose_veins_or_fragile_skin=True)
    settings = START.updated(
        theme="dark",
        sounds=SoundSettings(enabled=False),
        prepare_seconds=20,
        safety=profile,
        favourites=("LI4", "PC6"),
        disclaimer_accepted_version=1,
        start_minimised=True,
    )
    dialog, emitted = _dialog(qtbot, settings)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    [(_text, default, names)] = confirm.calls
    assert default == QMessageBox.StandardButton.Cancel  # Enter in the question keeps the settings
    assert names == {"Restore defaults", "Cancel"}  # buttons that say what they do, not Yes
    expected = Settings(safety=profile, favourites=("LI4", "PC6"), disclaimer_accepted_version=1)
    assert emitted == [expected]
    assert dialog.theme_buttons["system"].isChecked()
    assert dialog.sounds_enabled.isChecked() and dialog.prepare_seconds.value() == 5
    assert not dialog.reminders_enabled.isChecked() and not dialog.start_minimised.isChecked()
    assert dialog.safety.profile() == profile
    dialog.snooze_minutes.setValue(20)  # later changes build on the restored settings
    assert emitted[-1].favourites == ("LI4", "PC6") and emitted[-1].theme == "system"


def test_restore_defaults_declined_changes_nothing(qtbot: QtBot, confirm: Confirm) -> None:
    confirm.reply = QMessageBox.StandardButton.Cancel
    dialog, emitted = _dialog(qtbot, START.updated(theme="dark"))
    dialog.restore_button.click()
    assert len(confirm.calls) == 1
    assert emitted == []
    assert dialog.theme_buttons["dark"].isChecked()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape])
def test_enter_and_escape_close(qtbot: QtBot, key: Qt.Key) -> None:
    dialog, _ = _dialog(qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.close_button.isDefault()
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, key)
    assert not dialog.isVisible()


def test_enter_in_a_spin_box_applies_what_was_typed_then_closes(qtbot: QtBot) -> None:
    dialog, emitted = _dialog(qtbot)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentIndex(2)
    dialog.snooze_minutes.setFocus()
    dialog.snooze_minutes.selectAll()
    qtbot.keyClicks(dialog.snooze_minutes, "15")
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.snooze_minutes, Qt.Key.Key_Return)
    assert emitted[-1].reminders.snooze_minutes == 15


def test_every_control_is_named_and_every_mnemonic_label_has_a_buddy(qtbot: QtBot) -> None:
    dialog, _ = _dialog(qtbot)
    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider)) and w.parent() is not None
    ]
    assert len(controls) > 25
    unnamed = [w for w in controls if not w.accessibleName() and w.objectName() != "qt_spinbox_lineedit"]
    assert unnamed == []
    labels = [label for label in dialog.findChildren(QLabel) if "&" in label.text().replace("&&", "")]
    assert len(labels) >= 10
    assert [label.text() for label in labels if label.buddy() is None] == []


def test_mnemonics_do_not_clash_within_a_page(qtbot: QtBot) -> None:
    dialog, _ = _dialog(qtbot)
    tab_keys = {dialog.tabs.tabText(i).split("&")[1][0].lower() for i in range(dialog.tabs.count())}
    for index in range(dialog.tabs.count()):
        page = dialog.tabs.widget(index)
        texts = [w.text() for kind in (QLabel, QAbstractButton) for w in page.findChildren(kind)]
        texts.append(dialog.restore_button.text())
        keys = [t.replace("&&", "").split("&")[1][0].lower() for t in texts if "&" in t.replace("&&", "")]
        assert len(keys) == len(set(keys)), (dialog.tabs.tabText(index), keys)
        assert not set(keys) & tab_keys, (dialog.tabs.tabText(index), keys)


# -- the safety profile editor ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    list(itertools.product([False, True], repeat=len(CONDITIONS))),
    ids=lambda a: "".join("YN"[not x] for x in a),
)
def test_profile_round_trips(qtbot: QtBot, answers: tuple[bool, ...]) -> None:
    profile = SafetyProfile(**{c.field: a for c, a in zip(CONDITIONS, answers, strict=True)})
    editor = SafetyProfileEditor(SafetyProfile(), "Profile")
    qtbot.addWidget(editor)
    editor.set_profile(profile)
    assert editor.profile() == profile
    assert [editor.boxes[c.field].isChecked() for c in CONDITIONS] == list(answers)


def test_profile_edits_in_the_dialog_and_the_welcome_notice(qtbot: QtBot) -> None:
    dialog, emitted = _dialog(qtbot, START.updated(safety=SafetyProfile(cancer_or_implanted_device=True)))
    dialog.safety.boxes["blood_thinners_or_bleeding_disorder"].setChecked(True)
    dialog.safety.boxes["cancer_or_implanted_device"].setChecked(False)
    assert [s.safety for s in emitted] == [
        SafetyProfile(cancer_or_implanted_device=True, blood_thinners_or_bleeding_disorder=True),
        SafetyProfile(blood_thinners_or_bleeding_disorder=True),
    ]
    condition = CONDITIONS[1]
    box = dialog.safety.boxes[condition.field]
    assert box.text() == condition.label and box.accessibleDescription() == condition.explanation

    welcome = WelcomeDialog(SafetyProfile(pregnant_or_trying=True))
    qtbot.addWidget(welcome)
    assert welcome.profile() == SafetyProfile(pregnant_or_trying=True)
    welcome.safety.boxes["recent_injury_or_surgery"].setChecked(True)
    assert welcome.profile() == SafetyProfile(pregnant_or_trying=True, recent_injury_or_surgery=True)


# -- the shell's hook ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def restore_app_theme(qapp: QApplication) -> Iterator[None]:
    """The shell re-themes the whole application; put it back for the tests that follow."""
    palette, sheet, style = QPalette(qapp.palette()), qapp.styleSheet(), qapp.style().name()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


@pytest.fixture
def shell(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> tuple[Shell, list[Settings]]:
    library = RoutineLibrary(catalog, tmp_path / "routines")
    library.load()
    saved: list[Settings] = []
    window, learn = learn_window(ResourceDirs.locate())
    built = Shell(catalog, PointSearch(catalog), window, learn, library, Settings(), theme.LIGHT, persist=saved.append)
    qtbot.addWidget(built.window)
    return built, saved


def test_settings_menu_action(shell: tuple[Shell, list[Settings]]) -> None:
    built, _ = shell
    actions = built.window.menu_app.actions()
    assert built.settings_action in actions
    assert built.window.quit_action in actions[actions.index(built.settings_action) :]
    assert built.settings_action.shortcut() == QKeySequence("Ctrl+,")


def test_the_shell_applies_and_saves_changes_and_rethemes(
    qtbot: QtBot,
    shell: tuple[Shell, list[Settings]],
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
    restore_app_theme: None,
) -> None:
    built, saved = shell
    shown: list[SettingsDialog] = []

    def run(dialog: SettingsDialog) -> int:
        shown.append(dialog)
        dialog.sounds_enabled.setChecked(False)
        assert qapp.palette().color(QPalette.ColorRole.Window) != QColor(theme.DARK.window)  # not re-themed yet
        dialog.theme_buttons["dark"].setChecked(True)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(SettingsDialog, "exec", run)
    built.settings_action.trigger()
    assert len(shown) == 1
    titles = [shown[0].default_routine.itemText(i) for i in range(shown[0].default_routine.count())]
    assert {r.title for r in built.library.all()} <= set(titles)
    assert built.settings.theme == "dark" and not built.settings.sounds.enabled
    assert saved == []  # the burst of changes is written once, a moment after the last
    qtbot.waitUntil(lambda: len(saved) == 1)
    assert saved[0].theme == "dark" and not saved[0].sounds.enabled
    assert not built.dock.chime.enabled
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(theme.DARK.window)
    assert built.dock.pacer._colors == theme.DARK


def test_a_failed_save_is_said_in_the_status_bar(qtbot: QtBot, catalog: Catalog, tmp_path: Path) -> None:
    from acupressure_desktop.settings import SettingsError

    def refuse(_settings: Settings) -> None:
        raise SettingsError("settings.json: the disk is full")

    library = RoutineLibrary(catalog, tmp_path / "routines")
    window, learn = learn_window(ResourceDirs.locate())
    built = Shell(catalog, PointSearch(catalog), window, learn, library, Settings(), theme.LIGHT, persist=refuse)
    qtbot.addWidget(built.window)
    built.update_settings(built.settings.model_copy(update={"prepare_seconds": 10}))
    qtbot.waitUntil(lambda: "Settings not saved" in built.window.statusBar().currentMessage())
    assert "the disk is full" in built.window.statusBar().currentMessage()


def test_unsaved_settings_are_written_at_quit(shell: tuple[Shell, list[Settings]]) -> None:
    built, saved = shell
    built.update_settings(built.settings.model_copy(update={"prepare_seconds": 10}))
    built.shut_down()
    assert [s.prepare_seconds for s in saved] == [10]


def test_the_dialog_takes_the_room_its_longest_page_needs_within_the_screen(qtbot: QtBot) -> None:
    """In a fixed 600 x 560 dialog the Reminders page scrolled both ways, on a 1920 x 1080 screen too."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QScrollArea

    from acupressure_desktop.ui.settings_dialog import dialog_size

    assert dialog_size(QSize(614, 880), QSize(1920, 1050)) == QSize(614, 880)  # all of it: no scrolling
    assert dialog_size(QSize(614, 880), QSize(1366, 738)) == QSize(614, 664)  # 90 % of a small screen
    assert dialog_size(QSize(300, 200), QSize(1920, 1050)) == QSize(600, 560)  # never smaller than this
    dialog, _emitted = _dialog(qtbot, START)
    available = dialog.screen().availableGeometry()
    assert dialog.width() <= available.width() * 0.9 and dialog.height() <= available.height() * 0.9
    dialog.show()
    qtbot.waitExposed(dialog)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        page = dialog.tabs.currentWidget()
        if isinstance(page, QScrollArea):
            QApplication.processEvents()
            assert not page.horizontalScrollBar().isVisible(), dialog.tabs.tabText(index)
