"""The Routines page: choose a routine (filtered by the safety profile), read it, start it, manage your own."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal, SignalInstance, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.domain.models import Routine
from acupressure_desktop.domain.safety import RoutineOffer
from acupressure_desktop.ui.accessibility import current_item_on_focus
from acupressure_desktop.ui.pictures import picture_for_step, thumbnail_tag
from acupressure_desktop.ui.point_panel import cap_reading_width
from acupressure_desktop.ui.session_dock import clock_text, step_time_text

LIST_MAX_WIDTH = 460  # the routine list: titles of a few words and "6:15 · 6 steps"


class RoutinesPage(QWidget):
    startRequested = Signal(str)
    newRequested = Signal()
    editRequested = Signal(str)
    duplicateRequested = Signal(str)
    deleteRequested = Signal(str)
    importRequested = Signal()
    exportRequested = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self._offers: list[RoutineOffer] = []
        self._routines: dict[str, Routine] = {}
        self._custom: set[str] = set()

        self.list = QListWidget()
        current_item_on_focus(self.list)  # a screen reader says a row as the list gets focus
        self.list.setAccessibleName("Routines")
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemActivated.connect(lambda item: self.startRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.hidden_note = QLabel()
        self.hidden_note.setObjectName("muted")
        self.hidden_note.setWordWrap(True)
        self.new_button = QPushButton("New routine…")
        self.import_button = QPushButton("Import…")
        self.new_button.clicked.connect(self.newRequested)
        self.import_button.clicked.connect(self.importRequested)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.new_button)
        left_buttons.addWidget(self.import_button)
        left_buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 6, 12)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.hidden_note)
        left_layout.addLayout(left_buttons)

        self.details = QTextBrowser()
        self.details.setAccessibleName("Routine details")
        self.details.setOpenLinks(False)
        cap_reading_width(self.details)
        self.start_button = QPushButton("Start routine")
        self.start_button.setProperty("primary", True)
        self.start_button.clicked.connect(self._emit_with_id(self.startRequested))
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self._emit_with_id(self.editRequested))
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.clicked.connect(self._emit_with_id(self.duplicateRequested))
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self._emit_with_id(self.exportRequested))
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self._emit_with_id(self.deleteRequested))
        for button, name in (
            (self.start_button, "Start the selected routine"),
            (self.edit_button, "Edit the selected routine"),
            (self.duplicate_button, "Duplicate the selected routine"),
            (self.export_button, "Export the selected routine to a file"),
            (self.delete_button, "Delete the selected routine"),
            (self.new_button, "Create a new routine"),
            (self.import_button, "Import a routine from a file"),
        ):
            button.setAccessibleName(name)
        # The buttons stay together under the text they act on: with the reading width capped, a
        # stretch before Edit… put them 1,700 px from Start routine on a 2560 px screen.
        actions = QHBoxLayout()
        actions.addWidget(self.start_button)
        actions.addSpacing(12)
        for button in (self.edit_button, self.duplicate_button, self.export_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 12, 12, 12)
        right_layout.addWidget(self.details, 1)
        right_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("routines-splitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([340, 700])
        splitter.setChildrenCollapsible(False)
        # A wider window widens the details, not the list of short names (820 px of it at 2560 px).
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        left.setMaximumWidth(LIST_MAX_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _emit_with_id(self, signal: SignalInstance) -> Callable[[], None]:
        def emit() -> None:
            routine_id = self.current_id()
            if routine_id:
                signal.emit(routine_id)

        return emit

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def set_routines(self, offers: list[RoutineOffer], routines: dict[str, Routine], custom: set[str]) -> None:
        """Offers come from the safety profile: each names the routine shown and what it replaces."""
        selected = self.current_id()
        self._offers, self._routines, self._custom = offers, routines, custom
        self.list.clear()
        for offer in offers:
            routine = offer.routine
            label = f"{routine.title}\n{clock_text(routine.total_seconds)} · {len(routine.steps)} steps"
            if routine.id in custom:
                label += " · yours"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, routine.id)
            item.setToolTip(routine.purpose)
            self.list.addItem(item)
            if routine.id == selected:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        hidden = sum(1 for routine_id in routines if routine_id not in {o.routine.id for o in offers})
        self.hidden_note.setVisible(hidden > 0)
        routines_are = "1 routine is" if hidden == 1 else f"{hidden} routines are"
        self.hidden_note.setText(
            f"{routines_are} hidden or replaced by gentler versions because of your safety profile."
        )

    def select(self, routine_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == routine_id:
                self.list.setCurrentRow(row)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        routine = self._routines.get(current.data(Qt.ItemDataRole.UserRole)) if current else None
        custom = routine is not None and routine.id in self._custom
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(custom)
        for button in (self.start_button, self.duplicate_button, self.export_button):
            button.setEnabled(routine is not None)
        if routine is None:
            self.details.setHtml("<p>No routine selected.</p>")
            return
        offer = next((o for o in self._offers if o.routine.id == routine.id), None)
        self.details.setHtml(self._html(routine, offer))

    def _html(self, routine: Routine, offer: RoutineOffer | None) -> str:
        benefits = ", ".join(
            escape(self.catalog.benefits[b].title) for b in routine.benefits if b in self.catalog.benefits
        )
        parts = [
            f"<div style='font-size:17pt; font-weight:600'>{escape(routine.title)}</div>",
            f"<p>{escape(routine.purpose)}</p>",
            f"<p><b>{clock_text(routine.total_seconds)}</b> · {len(routine.steps)} steps · {benefits}</p>",
        ]
        if offer is not None and offer.instead_of is not None:
            name = escape(offer.instead_of.title)
            parts.append(f"<p><i>Shown instead of “{name}”, which uses points your safety profile flags.</i></p>")
        rows = []
        parts.append(
            f"<p style='color:gray'>Routine id for <code>--routine</code>: <code>{escape(routine.id)}</code></p>"
        )
        for index, step in enumerate(routine.steps, start=1):
            name = escape(self.catalog.step_title(step.target))
            if step.point:
                english = escape(self.catalog.points[step.point].english)
                name = f"{name} <span>· {english}</span>"
            note = f"<br><i>{escape(step.note)}</i>" if step.note else ""
            picture = picture_for_step(self.catalog, step)
            thumb = thumbnail_tag(self.details.document(), picture, 48, self.devicePixelRatioF())
            rows.append(
                f"<tr><td valign='top' width='24'>{index}.</td><td valign='top'>{thumb}</td><td>{name}{note}</td>"
                f"<td valign='top' align='right'>{escape(step_time_text(step.seconds, step.side))}</td></tr>"
            )
        parts.append(f"<table cellpadding='5' width='100%'>{''.join(rows)}</table>")
        parts.extend(benefit_html(self.catalog, b) for b in routine.benefits if b in self.catalog.benefits)
        return "".join(parts)


def benefit_html(catalog: Catalog, benefit_id: str) -> str:
    """What a benefit is, and when to see a professional instead ("see a professional if…")."""
    benefit = catalog.benefits[benefit_id]
    flags = "".join(f"<li>{escape(flag)}</li>" for flag in benefit.red_flags)
    return (
        f"<h3 style='margin-top:14px; margin-bottom:4px'>{escape(benefit.title)}</h3>"
        f"<p>{escape(benefit.description)}</p>"
        f"<p><b>See a professional if…</b></p><ul>{flags}</ul>"
    )
