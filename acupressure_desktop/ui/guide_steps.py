"""The guide's controls in the point panel: *Show me how to find it*, the steps as text, back and next.

Widgets only: they show what they are given and say what the person asked for. The steps are
list items (read by a screen reader, walked with the arrow keys); hovering one previews it on
the map.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.catalog.guides import ResolvedGuide, ResolvedStep
from acupressure_desktop.ui.guide_overlay import step_caption

SHOW_TEXT = "Show me how to find it"
SHOW_TIP = "Show or hide the measuring guide on the map (Ctrl+G)"
STEPS_HEIGHT_PX = 118  # about four short steps; longer guides scroll
HIDE_TEXT = "Hide the guide"


class GuideSteps(QWidget):
    startRequested = Signal()  # show (or hide) the guide
    stepRequested = Signal(int)
    stepHovered = Signal(int)  # -1: the pointer left the steps
    backRequested = Signal()
    nextRequested = Signal()
    otherSideRequested = Signal()
    fingerGuideRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._playing = False
        self._view_text = ""
        self.show_button = QPushButton(SHOW_TEXT)
        self.show_button.setAccessibleName("Show on the map how to find this point, step by step")
        self.show_button.clicked.connect(self.startRequested)
        metrics = self.show_button.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in (SHOW_TEXT, HIDE_TEXT))
        self.show_button.setFixedWidth(widest + 32)  # the label changes; the layout does not
        self.finger_button = QToolButton()
        self.finger_button.setText("Finger measures…")
        self.finger_button.setAccessibleName("How your fingers measure B-cun")
        self.finger_button.setToolTip("What a B-cun is, and how your own fingers measure it")
        self.finger_button.clicked.connect(self.fingerGuideRequested)

        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps to find the point")
        self.steps.setWordWrap(True)
        self.steps.setMouseTracking(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.itemEntered.connect(lambda item: self.stepHovered.emit(self.steps.row(item)))
        self.steps.currentRowChanged.connect(self._on_row)
        self.steps.viewport().installEventFilter(self)

        self.back_button = QToolButton()
        self.back_button.setText("◀ Back")
        self.back_button.setAccessibleName("Previous guide step")
        self.back_button.clicked.connect(self.backRequested)
        self.next_button = QToolButton()
        self.next_button.setText("Next ▶")
        self.next_button.setAccessibleName("Next guide step")
        self.next_button.clicked.connect(self.nextRequested)
        self.side_button = QToolButton()
        self.side_button.setText("Other side")
        self.side_button.setAccessibleName("Show the guide on the other side of the body")
        self.side_button.clicked.connect(self.otherSideRequested)
        self.status = QLabel()
        self.status.setObjectName("muted")  # one line of fixed height: a new text never reflows the panel
        self.status.setFixedHeight(self.status.fontMetrics().height() + 4)

        top = QHBoxLayout()
        top.addWidget(self.show_button)
        top.addStretch(1)
        top.addWidget(self.finger_button)
        stepping = QHBoxLayout()
        stepping.addWidget(self.back_button)
        stepping.addWidget(self.next_button)
        stepping.addWidget(self.side_button)
        stepping.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.steps)
        layout.addLayout(stepping)
        # A steady layout: the block keeps its size whether a guide plays or not, so opening a point
        # or starting its guide never reflows the point's text above it.
        self.steps.setFixedHeight(STEPS_HEIGHT_PX)
        self.set_guide(None)

    @property
    def playing(self) -> bool:
        return self._playing

    def set_available(self, available: bool, reason: str = "") -> None:
        """Whether the point has a guide here; ``reason`` says why not (shown as the tooltip)."""
        self.show_button.setEnabled(available)
        self.show_button.setToolTip(SHOW_TIP if available else reason)

    def set_guide(
        self, guide: ResolvedGuide | None, *, view_title: str = "", both_sides: bool = False, playing: bool = False
    ) -> None:
        """List the guide's steps as text (None: no guide here); ``playing`` when the map shows it."""
        self._playing = playing and guide is not None
        self.show_button.setText(HIDE_TEXT if self._playing else SHOW_TEXT)
        self.side_button.setEnabled(self._playing and both_sides)  # enabled, not shown: a steady layout
        self.back_button.setEnabled(False)
        self.next_button.setEnabled(self._playing)
        texts = [self._item_text(step) for step in guide.steps] if guide is not None else []
        listed = [self.steps.item(i).text() for i in range(self.steps.count())]
        self.steps.blockSignals(True)
        if texts != listed:  # starting the guide of the listed steps keeps the list as it is
            self.steps.clear()
            self.steps.addItems(texts)
        if guide is not None:
            side = {"L": " (left side)", "R": " (right side)"}.get(guide.side or "", "") if both_sides else ""
            self._view_text = f"on {view_title}{side}"
            self.status.setText(
                f"{len(guide.steps)} steps {self._view_text}" if not self._playing else self.status.text()
            )
        else:
            self._view_text = ""
            self.status.setText("No measuring guide for this point on this view.")
        self.steps.setEnabled(guide is not None)
        self.steps.blockSignals(False)

    @staticmethod
    def _item_text(step: ResolvedStep) -> str:
        caption = step_caption(step)
        return f"{step.index + 1}. {step.text}" + (f"\n    {caption}" if caption else "")

    def set_current(self, index: int, count: int) -> None:
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index)
        self.steps.blockSignals(False)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        self.status.setText(f"Step {index + 1} of {count} {self._view_text}")
        item = self.steps.item(index)
        if item is not None:
            self.steps.scrollToItem(item)
            self.steps.setAccessibleDescription(item.text())

    @Slot(int)
    def _on_row(self, row: int) -> None:
        if row >= 0:
            self.stepRequested.emit(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.steps.viewport() and event.type() == QEvent.Type.Leave:
            self.stepHovered.emit(-1)
        return super().eventFilter(watched, event)
