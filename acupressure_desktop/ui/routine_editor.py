"""The routine editor dialog, and the import and export helpers the window calls.

The dialog only collects a draft; ``RoutineLibrary.save`` validates it against the catalog
and writes it. A routine the library refuses keeps the dialog open with the reason shown.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QStringListModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.domain.models import ROUTINE_STEPS, STEP_SECONDS, Routine, Side, Step
from acupressure_desktop.domain.safety import SafetyProfile, target_flag_reasons
from acupressure_desktop.session.library import RoutineError, RoutineLibrary
from acupressure_desktop.ui.dialogs import warn
from acupressure_desktop.ui.session_dock import clock_text, step_time_text
from acupressure_desktop.ui.texts import FLAG_MARK
from acupressure_desktop.ui.theme import repolish

OFFER_LIMIT = 12  # entries in the add-step popup
BENEFIT_COLUMNS = 3

TARGET_ROLE = Qt.ItemDataRole.UserRole
SECONDS_ROLE = Qt.ItemDataRole.UserRole + 1
SIDE_ROLE = Qt.ItemDataRole.UserRole + 2
NOTE_ROLE = Qt.ItemDataRole.UserRole + 3
NAME_ROLE = Qt.ItemDataRole.UserRole + 4
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 5  # "2:00 · left, then right", drawn right-aligned
BENEFIT_ROLE = Qt.ItemDataRole.UserRole

POINT_SIDE_LABELS = {
    Side.BOTH: "Both sides (left, then right)",
    Side.LEFT: "Left side only",
    Side.RIGHT: "Right side only",
    Side.CENTER: "Centre (midline point)",
}
TECHNIQUE_SIDE_LABELS = {Side.CENTER: "No sides (one pass)", Side.BOTH: "Both sides (left, then right)"}

ROUTINE_FILTER = "Routine files (*.json);;All files (*)"
OpenFileName = Callable[[QWidget | None, str, str, str], tuple[str, str]]


class _StepDelegate(QStyledItemDelegate):
    """Number and name on the left, time and side right-aligned in the muted colour.

    The item's display text stays the full sentence, which is what screen readers read.
    """

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        name, detail = index.data(NAME_ROLE), index.data(DETAIL_ROLE)
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).adjusted(4, 0, -6, 0)
        metrics = opt.fontMetrics
        detail_width = metrics.horizontalAdvance(detail)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, detail)
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        name_rect = rect.adjusted(0, 0, -(detail_width + 16), 0)
        elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# -- the dialog ------------------------------------------------------------------------------------


class RoutineEditor(QDialog):
    """Create or edit one custom routine. After ``Accepted``, ``saved_routine`` is what was written.

    Shown non-modally, it keeps accepting ``add_step`` calls from the map and the point panel.
    """

    routineSaved = Signal(object)  # the Routine as written by the library

    def __init__(
        self,
        catalog: Catalog,
        search: PointSearch,
        library: RoutineLibrary,
        routine: Routine | None = None,
        parent: QWidget | None = None,
        profile: SafetyProfile | None = None,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        # Steps this person's safety profile flags: marked, with the reason, as on the map.
        targets = {c: p.cautions for c, p in catalog.points.items()} | {
            t.id: t.cautions for t in catalog.techniques.values()
        }
        self._flags = target_flag_reasons(targets, profile or SafetyProfile())
        self._search = search
        self._library = library
        self._original = routine
        self._offers: dict[str, str] = {}  # popup text -> target
        self.saved_routine: Routine | None = None

        self.setWindowTitle("Edit routine" if routine else "New routine")
        self.setAccessibleName(self.windowTitle())

        # About the routine.
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Routine title")
        self.title_edit.setPlaceholderText("For example: Desk break for tired eyes")
        self.title_edit.setMaxLength(80)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setAccessibleName("Purpose")
        self.purpose_edit.setPlaceholderText("What it is for, in one sentence (optional)")
        self.purpose_edit.setMaxLength(200)
        self.benefit_list = QListWidget()
        self.benefit_list.setAccessibleName("Benefits: tick at least one")
        self.benefit_list.setFlow(QListView.Flow.LeftToRight)
        self.benefit_list.setWrapping(True)
        self.benefit_list.setResizeMode(QListView.ResizeMode.Adjust)
        # Sized to show every benefit; a scroll bar would only steal the width of a column.
        self.benefit_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.benefit_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Ticks are the state; a selection highlight would look like a second kind of tick.
        self.benefit_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for benefit in catalog.benefits.values():
            item = QListWidgetItem(benefit.title)
            item.setData(BENEFIT_ROLE, benefit.id)
            item.setToolTip(benefit.summary)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.benefit_list.addItem(item)
        self._fit_benefit_grid()
        self.benefit_list.setCurrentRow(0)  # so that Space ticks from the first Tab

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow(self._buddy("&Title", self.title_edit), self.title_edit)
        form.addRow(self._buddy("&Purpose", self.purpose_edit), self.purpose_edit)
        form.addRow(self._buddy("&Benefits", self.benefit_list), self.benefit_list)

        # Steps: add, list, edit the selected one.
        steps_heading = QLabel("Steps")
        steps_heading.setObjectName("subtitle")
        self.total_label = QLabel()
        self.total_label.setObjectName("muted")
        self.total_label.setAccessibleName("Total duration")
        heading = QHBoxLayout()
        heading.addWidget(steps_heading)
        heading.addStretch(1)
        heading.addWidget(self.total_label)

        self.add_edit = QLineEdit()
        self.add_edit.setAccessibleName("Add a step: type a point or technique, then press Enter")
        self.add_edit.setPlaceholderText("Add a step: point name, code, complaint or technique…")
        self.add_edit.setClearButtonEnabled(True)
        self._offer_model = QStringListModel(self)
        self.completer = QCompleter(self._offer_model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(8)
        self.add_edit.setCompleter(self.completer)
        self.add_edit.textEdited.connect(self._update_offers)
        # A click in the popup; queued so that it runs after the completer has written the text.
        # The text overload (the stubs do not know signal overloads).
        activated = self.completer.activated[str]  # type: ignore[index]
        activated.connect(self._on_offer_clicked, Qt.ConnectionType.QueuedConnection)
        # Enter is handled here: QLineEdit would pass it on to the dialog (which would accept),
        # and the completer would add the highlighted entry a second time after returnPressed.
        self.add_edit.installEventFilter(self)
        popup = self.completer.popup()
        assert popup is not None
        popup.installEventFilter(self)
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add the best match as a step")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_best_match)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_edit, 1)
        add_row.addWidget(self.add_button)
        self.add_hint = QLabel("Or use “Add to routine…” on a point of the map.")
        self.add_hint.setObjectName("muted")
        self.add_hint.setWordWrap(True)
        self.add_hint.setAccessibleName("Add step feedback")

        self.step_list = QListWidget()
        self.step_list.setAccessibleName("Steps, in order: drag to reorder")
        self.step_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.step_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.step_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.step_list.setMinimumHeight(150)
        self.step_list.setItemDelegate(_StepDelegate(self.step_list))
        self.step_list.currentRowChanged.connect(self._show_current_step)
        # A drag moves the item itself (QListModel.moveRows), so its data travels with it.
        self.step_list.model().rowsMoved.connect(self._after_move)
        for text, key, slot in (
            ("Move step up", "Ctrl+Up", self.move_up),
            ("Move step down", "Ctrl+Down", self.move_down),
            ("Remove step", QKeySequence.StandardKey.Delete, self.remove_step),
        ):
            action = QAction(text, self.step_list)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.step_list.addAction(action)

        self.seconds_spin = QSpinBox()
        self.seconds_spin.setAccessibleName("Seconds for the selected step")
        self.seconds_spin.setRange(*STEP_SECONDS)
        self.seconds_spin.setSingleStep(5)
        self.seconds_spin.setSuffix(" s")
        self.seconds_spin.setKeyboardTracking(False)
        self.seconds_spin.setMinimumWidth(110)
        self.seconds_spin.valueChanged.connect(self._on_seconds)
        self.side_combo = QComboBox()
        self.side_combo.setAccessibleName("Side for the selected step")
        self.side_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.side_combo.setMinimumContentsLength(len(POINT_SIDE_LABELS[Side.BOTH]))
        self.side_combo.currentIndexChanged.connect(self._on_side)
        self.up_button = QPushButton("Move &up")
        self.up_button.setAccessibleName("Move the selected step up")
        self.up_button.setToolTip("Ctrl+Up in the list")
        self.up_button.clicked.connect(self.move_up)
        self.down_button = QPushButton("Move &down")
        self.down_button.setAccessibleName("Move the selected step down")
        self.down_button.setToolTip("Ctrl+Down in the list")
        self.down_button.clicked.connect(self.move_down)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove the selected step")
        self.remove_button.setToolTip("Delete in the list")
        self.remove_button.clicked.connect(self.remove_step)
        for button in (self.up_button, self.down_button, self.remove_button):
            button.setAutoDefault(False)
        step_buttons = QVBoxLayout()
        step_buttons.setSpacing(6)
        for button in (self.up_button, self.down_button, self.remove_button):
            step_buttons.addWidget(button)
        step_buttons.addStretch(1)
        list_row = QHBoxLayout()
        list_row.addWidget(self.step_list, 1)
        list_row.addLayout(step_buttons)
        self.step_label = QLabel()
        step_row = QHBoxLayout()
        step_row.addWidget(self.step_label)
        step_row.addSpacing(8)
        step_row.addWidget(self._buddy("&Seconds", self.seconds_spin))
        step_row.addWidget(self.seconds_spin)
        step_row.addSpacing(16)
        step_row.addWidget(self._buddy("Si&de", self.side_combo))
        step_row.addWidget(self.side_combo)
        step_row.addStretch(1)

        # Why it cannot be saved yet, or why saving failed.
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save routine")
        self.ok_button.setAccessibleName("Save the routine")
        self.ok_button.setProperty("primary", True)
        self.ok_button.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel without saving")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addLayout(heading)
        layout.addLayout(add_row)
        layout.addWidget(self.add_hint)
        layout.addLayout(list_row, 1)
        layout.addLayout(step_row)
        layout.addSpacing(4)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        chain = [
            self.title_edit,
            self.purpose_edit,
            self.benefit_list,
            self.add_edit,
            self.add_button,
            self.step_list,
            self.seconds_spin,
            self.side_combo,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.ok_button,
            cancel,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.title_edit.textChanged.connect(self._validate)
        self.benefit_list.itemChanged.connect(self._validate)
        if routine is not None:
            self._load(routine)
        self._show_current_step(self.step_list.currentRow())
        self._validate()
        self.resize(self.sizeHint().expandedTo(QSize(680, 640)))
        self.title_edit.setFocus()

    def _fit_benefit_grid(self) -> None:
        """Equal cells as wide as the longest title, three columns, exactly as many rows as needed."""
        count = self.benefit_list.count()
        if not count:
            return
        self.benefit_list.ensurePolished()  # the style sheet's item padding counts
        hints = [self.benefit_list.sizeHintForIndex(self.benefit_list.model().index(r, 0)) for r in range(count)]
        cell = QSize(max(h.width() for h in hints) + 8, max(h.height() for h in hints) + 2)
        for row in range(count):
            self.benefit_list.item(row).setSizeHint(cell)
        columns = BENEFIT_COLUMNS
        frame = 2 * self.benefit_list.frameWidth() + 8  # and a little slack for the flow layout
        self.benefit_list.setMinimumWidth(columns * cell.width() + frame)
        self.benefit_list.setFixedHeight(-(-count // columns) * cell.height() + frame)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _load(self, routine: Routine) -> None:
        self.title_edit.setText(routine.title)
        self.purpose_edit.setText(routine.purpose)
        self.purpose_edit.setCursorPosition(0)  # show how the purpose begins, not how it ends
        for row in range(self.benefit_list.count()):
            item = self.benefit_list.item(row)
            checked = item.data(BENEFIT_ROLE) in routine.benefits
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        for step in routine.steps:
            self._append(step.target, step.seconds, step.side, step.note)
        self.step_list.setCurrentRow(0)

    # -- the draft -----------------------------------------------------------------------------

    def benefits(self) -> list[str]:
        items = (self.benefit_list.item(row) for row in range(self.benefit_list.count()))
        return [item.data(BENEFIT_ROLE) for item in items if item.checkState() == Qt.CheckState.Checked]

    def steps(self) -> list[Step]:
        """The steps as they stand, in order."""
        steps = []
        for row in range(self.step_list.count()):
            item = self.step_list.item(row)
            target: str = item.data(TARGET_ROLE)
            kind = "point" if target in self._catalog.points else "technique"
            steps.append(
                Step.model_validate(
                    {
                        kind: target,
                        "seconds": item.data(SECONDS_ROLE),
                        "side": item.data(SIDE_ROLE),
                        "note": item.data(NOTE_ROLE),
                    }
                )
            )
        return steps

    def total_seconds(self) -> int:
        return sum(int(self.step_list.item(row).data(SECONDS_ROLE)) for row in range(self.step_list.count()))

    def problems(self) -> list[str]:
        """What stops the routine from being saved, as short phrases; empty when it can be."""
        problems = []
        if not self.title_edit.text().strip():
            problems.append("give it a title")
        count = self.step_list.count()
        fewest, most = ROUTINE_STEPS
        if count < fewest:
            missing = fewest - count
            problems.append(f"add {missing} more step{'s' if missing > 1 else ''} (a routine has {fewest} to {most})")
        elif count > most:
            extra = count - most
            problems.append(f"remove {extra} step{'s' if extra > 1 else ''} (a routine has at most {most})")
        if not self.benefits():
            problems.append("tick at least one benefit")
        return problems

    def build_routine(self) -> Routine:
        """The routine the form describes; the id is kept when editing, new otherwise."""
        title = self.title_edit.text().strip()
        benefits = self.benefits()
        purpose = self.purpose_edit.text().strip()
        if not purpose:
            titles = [self._catalog.benefits[b].title.lower() for b in benefits]
            purpose = f"For {_joined(titles)}."
        original = self._original
        return Routine(
            id=original.id if original is not None else self._library.free_id(title),
            title=title,
            purpose=purpose,
            benefits=benefits,
            steps=self.steps(),
            safe_variant=original.safe_variant if original is not None else None,
            builtin=False,
        )

    # -- adding steps ----------------------------------------------------------------------------

    def add_step(self, target: str) -> bool:
        """Append a point (code) or technique (id) with its default side and time.

        Returns False, with the reason shown, for a reference-only point; raises ValueError
        for a target the catalog does not know (a programming error in the caller).
        """
        point = self._catalog.points.get(target)
        if point is None and target not in self._catalog.techniques:
            raise ValueError(f"unknown point or technique {target!r}")
        name = self._catalog.step_title(target)
        if point is not None and not point.self_care:
            self.add_hint.setText(f"{name} is a {point.tier.value} point: only self-care points are routine steps.")
            return False
        side = self._catalog.side_choices(target)[0]
        self._append(target, self._catalog.default_seconds(target, side), side, None)
        self.step_list.setCurrentRow(self.step_list.count() - 1)
        flag = self._flags.get(target)
        self.add_hint.setText(
            f"Added {name}. {FLAG_MARK} Your safety profile flags it: {flag}" if flag else f"Added {name}."
        )
        return True

    def offers(self, query: str) -> list[tuple[str, str]]:
        """(popup text, target) for a query, best first."""
        catalog = self._catalog
        return [
            (
                ((FLAG_MARK + " ") if target in self._flags else "")
                + (
                    catalog.point_title(target)
                    if target in catalog.points
                    else f"{catalog.step_title(target)} · massage technique"
                ),
                target,
            )
            for target in self._search.step_targets(query, OFFER_LIMIT)
        ]

    @Slot()
    def add_best_match(self) -> bool:
        """Add what the add-step field names (a popup entry or the best match); clear it if added."""
        query = self.add_edit.text().strip()
        if not query:
            return False
        target = self._offers.get(query)
        if target is None:
            offers = self.offers(query)
            if not offers:
                self.add_hint.setText(f"No point or technique matches “{query}”.")
                return False
            target = offers[0][1]
        added = self.add_step(target)
        if added:
            self.add_edit.clear()
            self._update_offers("")
        return added

    @Slot(str)
    def _update_offers(self, text: str) -> None:
        offers = self.offers(text) if text.strip() else []
        self._offers = dict(offers)
        self._offer_model.setStringList([text for text, _target in offers])

    @Slot(str)
    def _on_offer_clicked(self, text: str) -> None:
        if text in self._offers:
            self.add_edit.setText(text)
            self.add_best_match()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        enter = (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        popup = self.completer.popup()
        if enter and watched is popup:
            current = popup.currentIndex()
            if current.isValid():
                self.add_edit.setText(current.data())
            popup.hide()
            self.add_best_match()
            return True
        if enter and watched is self.add_edit:
            # Even when empty: a second Enter after adding a step must not save the routine.
            self.add_best_match()
            return True
        return super().eventFilter(watched, event)

    # -- the step list ---------------------------------------------------------------------------

    def _append(self, target: str, seconds: int, side: Side, note: str | None) -> None:
        item = QListWidgetItem()
        item.setData(TARGET_ROLE, target)
        item.setData(SECONDS_ROLE, seconds)
        item.setData(SIDE_ROLE, side.value)
        item.setData(NOTE_ROLE, note)
        # Dropping onto an item would replace it; only drops between items are allowed.
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        self.step_list.addItem(item)
        self._refresh_steps()

    def _refresh_steps(self) -> None:
        for row in range(self.step_list.count()):
            item = self.step_list.item(row)
            target = item.data(TARGET_ROLE)
            name = self._catalog.step_title(target)
            if target in self._catalog.points:
                name = f"{name} · {self._catalog.points[target].english}"
            detail = step_time_text(item.data(SECONDS_ROLE), Side(item.data(SIDE_ROLE)))
            flag = self._flags.get(target)
            mark = f"{FLAG_MARK} " if flag else ""
            item.setData(NAME_ROLE, f"{row + 1}.  {mark}{name}")
            item.setData(DETAIL_ROLE, detail)
            item.setText(f"{row + 1}. {mark}{name}, {detail}" + (", flagged by your safety profile" if flag else ""))
            tips = [f"Flagged by your safety profile: {flag}" if flag else "", item.data(NOTE_ROLE) or ""]
            item.setToolTip("\n\n".join(t for t in tips if t))
        total = self.total_seconds()
        self.total_label.setText(f"{clock_text(total)} total" if total else "")
        self._update_step_buttons()
        self._validate()

    def _update_step_buttons(self) -> None:
        row, count = self.step_list.currentRow(), self.step_list.count()
        selected = 0 <= row < count
        for widget in (self.seconds_spin, self.side_combo, self.remove_button):
            widget.setEnabled(selected)
        self.up_button.setEnabled(selected and row > 0)
        self.down_button.setEnabled(selected and row < count - 1)

    @Slot(int)
    def _show_current_step(self, row: int) -> None:
        item = self.step_list.item(row) if row >= 0 else None
        self.seconds_spin.blockSignals(True)
        self.side_combo.blockSignals(True)
        self.side_combo.clear()
        if item is not None:
            target = item.data(TARGET_ROLE)
            labels = POINT_SIDE_LABELS if target in self._catalog.points else TECHNIQUE_SIDE_LABELS
            for side in self._catalog.side_choices(target):
                self.side_combo.addItem(labels[side], side.value)
            self.side_combo.setCurrentIndex(max(0, self.side_combo.findData(item.data(SIDE_ROLE))))
            self.seconds_spin.setValue(item.data(SECONDS_ROLE))
        self.step_label.setText(f"Step {row + 1}:" if item is not None else "No step selected")
        self.seconds_spin.blockSignals(False)
        self.side_combo.blockSignals(False)
        self._update_step_buttons()

    @Slot(int)
    def _on_seconds(self, seconds: int) -> None:
        item = self.step_list.currentItem()
        if item is not None:
            item.setData(SECONDS_ROLE, seconds)
            self._refresh_steps()

    @Slot(int)
    def _on_side(self, index: int) -> None:
        item = self.step_list.currentItem()
        if item is None or index < 0:
            return
        target = item.data(TARGET_ROLE)
        old, new = Side(item.data(SIDE_ROLE)), Side(self.side_combo.itemData(index))
        item.setData(SIDE_ROLE, new.value)
        # A time still at the old default follows the new one (one side takes half as long);
        # a time the person chose stays.
        if item.data(SECONDS_ROLE) == self._catalog.default_seconds(target, old):
            self.seconds_spin.setValue(self._catalog.default_seconds(target, new))
        self._refresh_steps()

    @Slot()
    def move_up(self) -> None:
        self._move(-1)

    @Slot()
    def move_down(self) -> None:
        self._move(+1)

    def _move(self, offset: int) -> None:
        row = self.step_list.currentRow()
        to = row + offset
        if row < 0 or not 0 <= to < self.step_list.count():
            return
        item = self.step_list.takeItem(row)
        self.step_list.insertItem(to, item)
        self.step_list.setCurrentRow(to)
        self._refresh_steps()
        self._show_current_step(to)

    @Slot(QModelIndex, int, int, QModelIndex, int)
    def _after_move(self, _parent: QModelIndex, _start: int, _end: int, _dest: QModelIndex, _row: int) -> None:
        self._refresh_steps()
        self._show_current_step(self.step_list.currentRow())

    @Slot()
    def remove_step(self) -> None:
        row = self.step_list.currentRow()
        if row < 0:
            return
        self.step_list.takeItem(row)
        self.step_list.setCurrentRow(min(row, self.step_list.count() - 1))
        self._refresh_steps()
        self._show_current_step(self.step_list.currentRow())

    # -- saving ----------------------------------------------------------------------------------

    @Slot()
    def _validate(self) -> None:
        problems = self.problems()
        self.ok_button.setEnabled(not problems)
        reason = f"To save: {'; '.join(problems)}." if problems else ""
        self.ok_button.setToolTip(reason)
        self._set_message(reason, "")  # plain text: to read, not an alarm

    def _set_message(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if self.message.objectName() != style:
            self.message.setObjectName(style)
            repolish(self.message)  # the style sheet matches on the object name

    @Slot()
    def accept(self) -> None:
        if self.problems():
            return
        try:
            self.saved_routine = self._library.save(self.build_routine())
        except RoutineError as exc:
            self._set_message(f"Not saved: {exc}", "danger")
            return
        self.routineSaved.emit(self.saved_routine)
        super().accept()


# -- import and export -----------------------------------------------------------------------------


def import_routine(
    parent: QWidget | None,
    library: RoutineLibrary,
    get_open_file_name: OpenFileName | None = None,
) -> Routine | None:
    """Ask for a file and import it; on a bad file say what is wrong. Nothing is saved then."""
    ask = get_open_file_name or QFileDialog.getOpenFileName  # looked up now, so tests can patch it
    path, _filter = ask(parent, "Import a routine", str(Path.home()), ROUTINE_FILTER)
    if not path:
        return None
    try:
        return library.import_file(Path(path))
    except RoutineError as exc:
        warn(parent, "Routine not imported", f"The routine was not imported and nothing was changed.\n\n{exc}")
        return None


def export_routine(
    parent: QWidget | None,
    library: RoutineLibrary,
    routine_id: str,
    get_save_file_name: OpenFileName | None = None,
) -> bool:
    """Ask where to write the routine and write it; False when cancelled or it failed (said so)."""
    ask = get_save_file_name or QFileDialog.getSaveFileName
    suggested = Path.home() / f"{routine_id}.json"
    path, _filter = ask(parent, "Export routine", str(suggested), ROUTINE_FILTER)
    if not path:
        return False
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".json")
    try:
        library.export_file(routine_id, target)
    except RoutineError as exc:
        warn(parent, "Routine not exported", str(exc))
        return False
    return True
