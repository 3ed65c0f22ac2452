"""The routine editor: adding steps by typing, defaults, sides, order, limits, saving, import and export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.domain.models import Point, Routine, Side, Step
from acupressure_desktop.domain.safety import SafetyProfile
from acupressure_desktop.session.library import RoutineError, RoutineLibrary
from acupressure_desktop.ui import routine_editor
from acupressure_desktop.ui.routine_editor import (
    NAME_ROLE,
    RoutineEditor,
    export_routine,
    import_routine,
)
from tests.minidata import point, write_minidata

MakeEditor = Callable[..., RoutineEditor]
# The offscreen platform cannot raise the completer's popup or let it grab the keyboard; harmless.
popup_shown = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    catalog = load_catalog(write_minidata(tmp_path / "res"))
    # A reference-only point (shown for learning, never pressed): it must never be offered.
    reference = point(
        "LI10",
        english="Arm Three Miles",
        cautions=[{"kind": "reference_only", "text": "Shown for reference only.", "sources": ["who-2008"]}],
        tier="reference",
    )
    catalog.points["LI10"] = Point.model_validate(reference)
    return catalog


@pytest.fixture
def library(catalog: Catalog, tmp_path: Path) -> RoutineLibrary:
    lib = RoutineLibrary(catalog, tmp_path / "routines")
    assert lib.load() == []
    return lib


@pytest.fixture
def make_editor(qtbot: QtBot, catalog: Catalog, library: RoutineLibrary) -> MakeEditor:
    def make(routine: Routine | None = None, profile: SafetyProfile | None = None) -> RoutineEditor:
        editor = RoutineEditor(catalog, PointSearch(catalog), library, routine, profile=profile)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()  # keyboard focus and shortcuts need the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
        return editor

    return make


def test_steps_the_safety_profile_flags_are_marked_with_the_reason(make_editor: MakeEditor) -> None:
    editor = make_editor(profile=SafetyProfile(pregnant_or_trying=True))
    assert editor.offers("LI4")[0] == ("⚠ LI4 Hégǔ · Union Valley", "LI4")
    assert editor.add_step("LI4")
    assert editor.add_hint.text().endswith("Your safety profile flags it: Traditionally avoided in pregnancy.")
    assert editor.add_step("PC6")
    assert "flags" not in editor.add_hint.text()
    flagged, plain = editor.step_list.item(0), editor.step_list.item(1)
    assert "⚠" in flagged.text() and "flagged by your safety profile" in flagged.text()
    assert flagged.toolTip() == "Flagged by your safety profile: Traditionally avoided in pregnancy."
    assert "⚠" not in plain.text() and plain.toolTip() == ""
    unflagged = make_editor()
    assert unflagged.offers("LI4")[0][0] == "LI4 Hégǔ · Union Valley"


def _targets(editor: RoutineEditor) -> list[str]:
    return [step.target for step in editor.steps()]


def _type_and_enter(qtbot: QtBot, editor: RoutineEditor, text: str, downs: int = 0) -> None:
    """Type into the add-step field and press Enter where a person's key press would go."""
    editor.add_edit.setFocus()
    qtbot.keyClicks(editor.add_edit, text)
    popup = editor.completer.popup()
    # While the completer's popup is open it receives the keys.
    target = popup if popup.isVisible() else editor.add_edit
    for _ in range(downs):
        qtbot.keyClick(target, Qt.Key.Key_Down)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def _fill(editor: RoutineEditor, title: str = "My break", steps: tuple[str, ...] = ("LI4", "PC6")) -> None:
    editor.title_edit.setText(title)
    editor.benefit_list.item(0).setCheckState(Qt.CheckState.Checked)
    for target in steps:
        assert editor.add_step(target)


def _custom() -> Routine:
    return Routine(
        id="mine",
        title="Mine",
        purpose="Testing.",
        benefits=["headache"],
        steps=[
            Step(point="LI4", seconds=40, note="Breathe out as you press."),
            Step(point="PC6", seconds=35, side=Side.LEFT),
            Step(technique="palm-press", seconds=45, side=Side.CENTER),
        ],
        builtin=False,
    )


# -- adding steps ----------------------------------------------------------------------------------


@popup_shown
def test_typing_then_enter_adds_the_best_match(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    _type_and_enter(qtbot, editor, "hegu")
    _type_and_enter(qtbot, editor, "pc-6")  # a code in another spelling
    _type_and_enter(qtbot, editor, "palm")  # a technique by its title
    assert _targets(editor) == ["LI4", "PC6", "palm-press"]
    assert editor.add_edit.text() == ""
    assert editor.add_hint.text() == "Added Palm press."
    assert editor.isVisible() and editor.result() == 0


@popup_shown
def test_arrow_keys_choose_another_entry_of_the_popup(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    offers = editor.offers("stress")
    assert len(offers) >= 2
    _type_and_enter(qtbot, editor, "stress", downs=2)
    assert _targets(editor) == [offers[1][1]]


@popup_shown
def test_clicking_a_popup_entry_adds_it_once(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    editor.add_edit.setFocus()
    qtbot.keyClicks(editor.add_edit, "union")
    popup = editor.completer.popup()
    assert popup.isVisible()
    index = popup.model().index(0, 0)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center())
    qtbot.waitUntil(lambda: _targets(editor) == ["LI4"])
    qtbot.wait(20)  # let any second, queued add happen if it were going to
    assert _targets(editor) == ["LI4"]
    assert editor.add_edit.text() == ""


@popup_shown
def test_enter_in_the_add_field_never_saves_the_routine(
    make_editor: MakeEditor, qtbot: QtBot, library: RoutineLibrary
) -> None:
    editor = make_editor()
    _fill(editor)
    assert editor.ok_button.isEnabled()
    _type_and_enter(qtbot, editor, "gv20")
    qtbot.keyClick(editor.add_edit, Qt.Key.Key_Return)  # a second Enter, field now empty
    assert editor.isVisible() and editor.result() == 0
    assert library.custom() == []
    assert _targets(editor) == ["LI4", "PC6", "GV20"]


def test_no_match_says_so(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    _type_and_enter(qtbot, editor, "zzzz")
    assert _targets(editor) == []
    assert "No point or technique matches “zzzz”" in editor.add_hint.text()
    assert editor.add_edit.text() == "zzzz"  # kept, to correct


@popup_shown
def test_reference_only_points_are_never_offered(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    assert PointSearch(editor._catalog).search("LI10")[0].code == "LI10"  # the search itself finds it
    assert all(target != "LI10" for _text, target in editor.offers("LI10") + editor.offers("arm three"))
    _type_and_enter(qtbot, editor, "LI10")
    assert "LI10" not in _targets(editor)
    # From the map or the point panel: refused, with the reason.
    assert editor.add_step("LI10") is False
    assert "reference point" in editor.add_hint.text()
    assert _targets(editor) == []


def test_add_step_from_the_map(make_editor: MakeEditor) -> None:
    editor = make_editor()
    assert editor.add_step("GV20") is True
    assert editor.step_list.currentRow() == 0
    with pytest.raises(ValueError, match="unknown point or technique 'XX9'"):
        editor.add_step("XX9")


# -- seconds and sides -----------------------------------------------------------------------------


def test_default_seconds_follow_the_instructions(make_editor: MakeEditor, catalog: Catalog) -> None:
    editor = make_editor()
    for target in ("LI4", "GV20", "palm-press"):
        editor.add_step(target)
    steps = editor.steps()
    hold = catalog.points["LI4"].technique.hold_seconds
    assert (steps[0].seconds, steps[0].side) == (2 * hold, Side.BOTH)  # each side in turn
    assert (steps[1].seconds, steps[1].side) == (catalog.points["GV20"].technique.hold_seconds, Side.CENTER)
    assert (steps[2].seconds, steps[2].side) == (catalog.techniques["palm-press"].seconds, Side.CENTER)
    assert catalog.default_seconds("LI4", Side.LEFT) == hold


def test_side_choices_are_valid_for_each_target(make_editor: MakeEditor, catalog: Catalog) -> None:
    editor = make_editor()
    expected = {
        "LI4": [Side.BOTH, Side.LEFT, Side.RIGHT],
        "GV20": [Side.CENTER],
        "palm-press": [Side.CENTER, Side.BOTH],
    }
    for row, (target, sides) in enumerate(expected.items()):
        editor.add_step(target)
        editor.step_list.setCurrentRow(row)
        offered = [Side(editor.side_combo.itemData(i)) for i in range(editor.side_combo.count())]
        assert offered == sides == catalog.side_choices(target)


def test_one_side_halves_a_default_time_but_keeps_a_chosen_one(make_editor: MakeEditor) -> None:
    editor = make_editor()
    editor.add_step("LI4")
    editor.side_combo.setCurrentIndex(editor.side_combo.findData("left"))
    assert (editor.steps()[0].side, editor.steps()[0].seconds) == (Side.LEFT, 60)
    editor.seconds_spin.setValue(90)
    editor.side_combo.setCurrentIndex(editor.side_combo.findData("both"))
    assert (editor.steps()[0].side, editor.steps()[0].seconds) == (Side.BOTH, 90)


def test_seconds_edit_the_selected_step_and_the_total_follows(make_editor: MakeEditor) -> None:
    editor = make_editor()
    editor.add_step("LI4")
    editor.add_step("GV20")
    assert editor.total_label.text() == "3:00 total"
    editor.step_list.setCurrentRow(0)
    assert editor.seconds_spin.value() == 120
    editor.seconds_spin.setValue(150)
    assert [s.seconds for s in editor.steps()] == [150, 60]
    assert editor.total_label.text() == "3:30 total"
    assert editor.step_list.item(0).text() == "1. LI4 Hégǔ · Union Valley, 2:30 · left, then right"
    assert (editor.seconds_spin.minimum(), editor.seconds_spin.maximum()) == (5, 1800)


# -- order -----------------------------------------------------------------------------------------


def test_reorder_with_buttons_and_keys(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    for target in ("LI4", "PC6", "GV20"):
        editor.add_step(target)
    editor.step_list.item(2).setData(routine_editor.SECONDS_ROLE, 45)  # travels with its step
    assert editor.step_list.currentRow() == 2
    assert editor.up_button.isEnabled() and not editor.down_button.isEnabled()
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert _targets(editor) == ["LI4", "GV20", "PC6"]
    assert editor.step_list.currentRow() == 1
    assert editor.step_label.text() == "Step 2:"
    editor.step_list.setFocus()
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _targets(editor) == ["GV20", "LI4", "PC6"]
    assert editor.steps()[0].seconds == 45
    assert not editor.up_button.isEnabled()
    qtbot.mouseClick(editor.down_button, Qt.MouseButton.LeftButton)
    assert _targets(editor) == ["LI4", "GV20", "PC6"]
    assert [editor.step_list.item(r).data(NAME_ROLE)[:2] for r in range(3)] == ["1.", "2.", "3."]
    editor.step_list.setFocus()  # the click focused the button
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Delete)
    assert _targets(editor) == ["LI4", "PC6"]


def test_drag_and_drop_moves_the_step_with_its_settings(make_editor: MakeEditor) -> None:
    editor = make_editor()
    for target in ("LI4", "PC6", "GV20"):
        editor.add_step(target)
    editor.step_list.setCurrentRow(0)
    editor.side_combo.setCurrentIndex(editor.side_combo.findData("right"))
    assert editor.step_list.dragDropMode() == editor.step_list.DragDropMode.InternalMove
    # What an internal drop does (QListView.dropEvent -> model.moveRow): first step to the end.
    assert editor.step_list.model().moveRow(QModelIndex(), 0, QModelIndex(), 3)
    assert _targets(editor) == ["PC6", "GV20", "LI4"]
    assert (editor.steps()[2].side, editor.steps()[2].seconds) == (Side.RIGHT, 60)
    assert editor.step_list.item(2).data(NAME_ROLE).startswith("3.  LI4")
    assert editor.total_label.text() == "4:00 total"


# -- limits ----------------------------------------------------------------------------------------


def test_save_needs_a_title_a_benefit_and_two_to_six_steps(make_editor: MakeEditor) -> None:
    editor = make_editor()
    assert not editor.ok_button.isEnabled()
    assert editor.message.text() == (
        "To save: give it a title; add 2 more steps (a routine has 2 to 6); tick at least one benefit."
    )
    _fill(editor, steps=("LI4",))
    assert not editor.ok_button.isEnabled()
    assert editor.message.text() == "To save: add 1 more step (a routine has 2 to 6)."
    assert editor.ok_button.toolTip() == editor.message.text()
    editor.add_step("PC6")
    assert editor.ok_button.isEnabled() and editor.message.isHidden()
    for target in ("GV20", "palm-press", "LI4", "PC6"):
        editor.add_step(target)
    assert editor.ok_button.isEnabled()  # six
    editor.add_step("GV20")
    assert not editor.ok_button.isEnabled()
    assert editor.message.text() == "To save: remove 1 step (a routine has at most 6)."
    editor.remove_step()
    assert editor.ok_button.isEnabled()
    editor.benefit_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert editor.message.text() == "To save: tick at least one benefit."
    editor.title_edit.setText("   ")
    assert editor.problems() == ["give it a title", "tick at least one benefit"]


def test_a_benefit_is_ticked_with_the_keyboard(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    editor.benefit_list.setFocus()
    qtbot.keyClick(editor.benefit_list, Qt.Key.Key_Space)
    assert editor.benefits() == [editor.benefit_list.item(0).data(routine_editor.BENEFIT_ROLE)]


# -- saving ----------------------------------------------------------------------------------------


def test_save_writes_the_routine_to_the_library_folder(
    make_editor: MakeEditor, qtbot: QtBot, library: RoutineLibrary
) -> None:
    editor = make_editor()
    _fill(editor, title="Desk break")
    with qtbot.waitSignal(editor.routineSaved) as saved:
        qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert editor.result() == QDialog.DialogCode.Accepted
    routine = editor.saved_routine
    assert routine is not None and saved.args == [routine]
    assert routine.id == "desk-break" and not routine.builtin
    assert routine.purpose == "For stress."  # from the benefits when left empty
    path = library.folder / "desk-break.json"
    assert Routine.model_validate_json(path.read_text(encoding="utf-8")) == routine
    assert library.get("desk-break") == routine


def test_a_new_title_that_is_taken_gets_a_free_id(make_editor: MakeEditor, library: RoutineLibrary) -> None:
    editor = make_editor()
    _fill(editor, title="Quick")  # the built-in routine's id
    editor.accept()
    assert editor.saved_routine is not None and editor.saved_routine.id == "quick-2"
    assert library.get("quick") is not None and not library.is_custom("quick")


def test_enter_saves_when_valid_and_escape_cancels(
    make_editor: MakeEditor, qtbot: QtBot, library: RoutineLibrary
) -> None:
    editor = make_editor()
    _fill(editor, title="First")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.result() == QDialog.DialogCode.Rejected and not editor.isVisible()
    assert library.custom() == []

    editor = make_editor()
    _fill(editor, title="Second", steps=("LI4",))
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Return)  # not valid yet: nothing happens
    assert editor.isVisible() and library.custom() == []
    editor.add_step("GV20")
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Return)
    assert editor.result() == QDialog.DialogCode.Accepted
    assert [r.id for r in library.custom()] == ["second"]


def test_editing_keeps_the_id_and_what_it_does_not_show(
    make_editor: MakeEditor, qtbot: QtBot, library: RoutineLibrary
) -> None:
    library.save(_custom())
    editor = make_editor(_custom())
    assert editor.windowTitle() == "Edit routine"
    assert editor.title_edit.text() == "Mine" and editor.purpose_edit.text() == "Testing."
    assert editor.benefits() == ["headache"]
    assert editor.steps() == _custom().steps
    editor.title_edit.setText("Renamed")
    editor.step_list.setCurrentRow(1)
    editor.seconds_spin.setValue(50)
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    saved = library.get("mine")
    assert saved is not None and saved.title == "Renamed"
    assert [s.seconds for s in saved.steps] == [40, 50, 45]
    assert saved.steps[0].note == "Breathe out as you press."
    assert sorted(p.name for p in library.folder.iterdir()) == ["mine.json"]


def test_a_refused_save_is_shown_and_the_dialog_stays(
    make_editor: MakeEditor, qtbot: QtBot, library: RoutineLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(routine: Routine) -> Routine:
        raise RoutineError(f"cannot write {library.folder / routine.id}.json: No space left on device")

    monkeypatch.setattr(library, "save", refuse)
    editor = make_editor()
    _fill(editor)
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.result() == 0 and editor.saved_routine is None
    assert editor.message.isVisible() and editor.message.objectName() == "danger"
    assert editor.message.text().startswith("Not saved: cannot write ")
    assert "No space left on device" in editor.message.text()
    # The next edit replaces the error with the live state.
    editor.title_edit.setText("Other")
    assert editor.message.isHidden()


def test_a_builtin_routine_cannot_be_overwritten_from_the_editor(
    make_editor: MakeEditor, library: RoutineLibrary, catalog: Catalog
) -> None:
    editor = make_editor(catalog.routines["quick"])
    editor.accept()
    assert editor.isVisible() and "built-in" in editor.message.text()
    assert library.custom() == []


# -- keyboard and accessibility --------------------------------------------------------------------


def test_every_control_has_an_accessible_name_and_tab_reaches_it(make_editor: MakeEditor, qtbot: QtBot) -> None:
    editor = make_editor()
    _fill(editor, steps=("LI4", "PC6", "GV20"))
    editor.step_list.setCurrentRow(1)  # so that both move buttons are enabled
    cancel = editor.buttons.button(editor.buttons.StandardButton.Cancel)
    expected: list[QWidget] = [
        editor.title_edit,
        editor.purpose_edit,
        editor.benefit_list,
        editor.add_edit,
        editor.add_button,
        editor.step_list,
        editor.seconds_spin,
        editor.side_combo,
        editor.up_button,
        editor.down_button,
        editor.remove_button,
        editor.ok_button,
        cancel,
    ]
    for widget in expected:
        assert widget.accessibleName(), widget
    editor.title_edit.setFocus()
    reached = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert set(reached) == set(expected)  # the button box orders OK and Cancel per platform
    assert reached[:-2] == expected[:-2]


# -- import and export -----------------------------------------------------------------------------


class Warnings:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, _parent: QWidget | None, title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.calls.append((title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Warnings:
    recorder = Warnings()
    monkeypatch.setattr(QMessageBox, "warning", recorder)
    return recorder


def _choose_file(monkeypatch: pytest.MonkeyPatch, name: str, path: Path | None) -> None:
    """Make QFileDialog.<name> answer as if the person picked ``path`` (None: cancelled)."""
    monkeypatch.setattr(QFileDialog, name, lambda *_args, **_kw: (str(path) if path else "", ""))


_GOOD = _custom().model_dump(mode="json")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not a JSON routine file"),
        (json.dumps({**_GOOD, "steps": [{"point": "ST36", "seconds": 30}] * 2}), "unknown point 'ST36'"),
        (json.dumps({**_GOOD, "steps": [{"point": "LI4", "seconds": 0}] * 2}), "greater than or equal to 5"),
        (json.dumps({**_GOOD, "steps": [{"point": "LI4", "seconds": -30}] * 2}), "greater than or equal to 5"),
        (b" " * 300_000, "far too large"),
    ],
)
def test_importing_a_bad_file_names_the_problem_and_changes_nothing(
    library: RoutineLibrary,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: Warnings,
    content: bytes | str,
    problem: str,
) -> None:
    library.save(_custom())
    before = {p.name: p.read_bytes() for p in library.folder.iterdir()}
    incoming = tmp_path / "incoming.json"
    incoming.write_bytes(content if isinstance(content, bytes) else content.encode())
    _choose_file(monkeypatch, "getOpenFileName", incoming)
    assert import_routine(None, library) is None
    assert len(warnings.calls) == 1
    title, text = warnings.calls[0]
    assert title == "Routine not imported"
    assert "nothing was changed" in text and problem in text and "incoming.json" in text
    assert {p.name: p.read_bytes() for p in library.folder.iterdir()} == before
    assert library.custom() == [_custom()]


def test_importing_a_good_file_saves_it(
    library: RoutineLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: Warnings
) -> None:
    incoming = tmp_path / "shared.json"
    incoming.write_text(json.dumps(_GOOD), encoding="utf-8")
    _choose_file(monkeypatch, "getOpenFileName", incoming)
    routine = import_routine(None, library)
    assert routine is not None and routine.id == "mine" and warnings.calls == []
    assert (library.folder / "mine.json").is_file()


def test_cancelling_a_file_dialog_does_nothing(
    library: RoutineLibrary, monkeypatch: pytest.MonkeyPatch, warnings: Warnings
) -> None:
    _choose_file(monkeypatch, "getOpenFileName", None)
    _choose_file(monkeypatch, "getSaveFileName", None)
    assert import_routine(None, library) is None
    assert export_routine(None, library, "quick") is False
    assert warnings.calls == [] and not library.folder.exists()


def test_export_writes_a_file_that_imports_again(
    library: RoutineLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: Warnings
) -> None:
    library.save(_custom())
    _choose_file(monkeypatch, "getSaveFileName", tmp_path / "out" / "to-share")  # no suffix typed
    assert export_routine(None, library, "mine") is True
    written = tmp_path / "out" / "to-share.json"
    assert Routine.model_validate_json(written.read_text(encoding="utf-8")) == _custom()
    # Injected instead of patched, as the window may do.
    again = import_routine(None, library, get_open_file_name=lambda *_args: (str(written), ""))
    assert again is not None and again.id == "mine-2" and warnings.calls == []


def test_a_failed_export_says_why(
    library: RoutineLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: Warnings
) -> None:
    folder_in_the_way = tmp_path / "taken.json"
    folder_in_the_way.mkdir()
    _choose_file(monkeypatch, "getSaveFileName", folder_in_the_way)
    assert export_routine(None, library, "quick") is False
    assert len(warnings.calls) == 1 and "cannot write" in warnings.calls[0][1]
    assert folder_in_the_way.is_dir()
