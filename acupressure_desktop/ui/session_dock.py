"""The session timer dock: what to press now, for how long, and the controls."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPaintEvent, QPen, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.domain.models import Side
from acupressure_desktop.session.runner import (
    PainReported,
    Phase,
    RunnerEvent,
    RunnerState,
    SegmentStarted,
    SidesSwitched,
    Snapshot,
)
from acupressure_desktop.ui.accessibility import SessionAnnouncer, expose_time_left
from acupressure_desktop.ui.chime import ChimePlayer
from acupressure_desktop.ui.session_controller import SessionController
from acupressure_desktop.ui.theme import LIGHT, Colors

SIDE_WORDS = {Side.LEFT: "Left side", Side.RIGHT: "Right side", Side.CENTER: "", Side.BOTH: "Both sides"}
PAIN_ADVICE = (
    "Stopped this step. Sharp or severe pain is a signal to stop: release the pressure, breathe, and do not "
    "press that spot again today. Mild soreness can follow firm pressure; pain that is strong, lasts, or "
    "comes with swelling or numbness needs a health professional."
)


def clock_text(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-6))
    return f"{whole // 60}:{whole % 60:02d}"


class BreathingPacer(QWidget):
    """A circle that grows while you breathe in and shrinks while you breathe out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inhale, self.exhale = 4.0, 6.0
        self.running = False
        self._origin = time.monotonic()
        self._colors = LIGHT
        self.setMinimumSize(QSize(90, 90))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Breathing pacer")

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        self.update()

    def phase(self, now: float) -> tuple[str, float]:
        """('in' | 'out', 0..1 fullness) at monotonic time ``now``."""
        cycle = self.inhale + self.exhale
        t = (now - self._origin) % cycle
        if t < self.inhale:
            return "in", 0.5 - 0.5 * math.cos(math.pi * t / self.inhale)
        return "out", 0.5 + 0.5 * math.cos(math.pi * (t - self.inhale) / self.exhale)

    def paintEvent(self, event: QPaintEvent) -> None:
        word, fullness = self.phase(time.monotonic()) if self.running else ("", 0.4)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        centre = QRectF(self.rect()).center()
        radius = side / 2 * (0.45 + 0.55 * fullness)
        accent = QColor(self._colors.accent)
        painter.setPen(QPen(QColor(self._colors.border), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, side / 2, side / 2)
        accent.setAlphaF(0.35)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawEllipse(centre, radius, radius)
        painter.setPen(QColor(self._colors.text))
        label = {"in": "breathe in", "out": "breathe out"}.get(word, "")
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, label)
        if label != self.accessibleDescription():  # issue 19: not ten events a second
            self.setAccessibleDescription(label)


class ThinProgress(QWidget):
    """A slim progress line. QProgressBar repaints synchronously on every change, which costs
    more than the rest of a 100 ms refresh; this one schedules a normal, coalesced repaint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fraction = 0.0
        self._colors = LIGHT
        self.setFixedHeight(6)
        self.setAccessibleName("Step progress")

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        self.update()

    def set_fraction(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, fraction))
        if abs(fraction - self._fraction) * self.width() >= 0.5:  # repaint only when a pixel changes
            self._fraction = fraction
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = self.height() / 2
        painter.setBrush(QColor(self._colors.border))
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        if self._fraction > 0:
            done = QRectF(0, 0, self.width() * self._fraction, self.height())
            painter.setBrush(QColor(self._colors.accent))
            painter.drawRoundedRect(done, radius, radius)


class SessionDock(QDockWidget):
    closeRequested = Signal()
    guideRequested = Signal(str)  # point code: show how to find it on the map

    def __init__(self, controller: SessionController, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__("Session", parent)
        self.setObjectName("session-dock")
        self.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.controller = controller
        self.catalog = catalog
        self._compact = False
        self._pacer_enabled = True
        self._shown: tuple[object, ...] = ()
        self._guide_point: str | None = None
        self.chime = ChimePlayer()

        self.title = QLabel()
        self.title.setObjectName("subtitle")
        self.title.setWordWrap(True)
        self.step_label = QLabel()
        self.step_label.setObjectName("title")
        self.step_label.setWordWrap(True)
        self.side_label = QLabel()
        self.side_label.setObjectName("warning")
        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        self.countdown = QLabel("0:00")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setAccessibleName("Time left in this step")
        expose_time_left(self.countdown)  # issue 19: read on demand
        self.announcer = SessionAnnouncer(self)  # issue 19: step, side, halfway, end
        font = self.countdown.font()
        font.setPointSize(34)
        font.setWeight(font.Weight.Light)
        self.countdown.setFont(font)
        self.step_progress = ThinProgress()
        self.routine_progress = QProgressBar()
        self.routine_progress.setAccessibleName("Routine progress")
        self.routine_progress.setFormat("%v of %m steps")
        self.pacer = BreathingPacer()
        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps of this routine")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setWordWrap(True)
        self.guide_button = QToolButton()
        self.guide_button.setText("How to find it")
        self.guide_button.setAccessibleName("Show on the map how to find this step's point")
        self.guide_button.clicked.connect(self._on_guide)
        self.notice = QLabel()
        self.notice.setObjectName("danger")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.play = QPushButton("Start")
        self.play.setProperty("primary", True)
        self.previous = QToolButton()
        self.previous.setText("Back")
        self.next = QToolButton()
        self.next.setText("Next")
        self.stop = QToolButton()
        self.stop.setText("Stop")
        self.pain = QPushButton("Stop, this hurts")
        self.pain.setObjectName("pain")
        self.compact_button = QToolButton()
        self.compact_button.setText("Compact")
        self.compact_button.setCheckable(True)
        for button, name, key in (
            (self.play, "Start or pause", "Space"),
            (self.previous, "Previous step", "Ctrl+Left"),
            (self.next, "Next step", "Ctrl+Right"),
            (self.stop, "Stop the session", "Ctrl+."),
            (self.pain, "Stop, this hurts", "Ctrl+H"),
            (self.compact_button, "Compact mode", "Ctrl+M"),
        ):
            button.setAccessibleName(name)
            button.setToolTip(f"{name} ({key})")
            shortcut = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(button.click)
        self.play.clicked.connect(controller.toggle)
        self.previous.clicked.connect(controller.previous_step)
        self.next.clicked.connect(controller.next_step)
        self.stop.clicked.connect(controller.stop)
        self.pain.clicked.connect(controller.report_pain)
        self.compact_button.toggled.connect(self.set_compact)

        controls = QHBoxLayout()
        controls.addWidget(self.previous)
        controls.addWidget(self.play, 1)
        controls.addWidget(self.next)
        controls.addWidget(self.stop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pain)
        bottom.addStretch(1)
        bottom.addWidget(self.compact_button)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.step_label)
        layout.addWidget(self.side_label)
        layout.addWidget(self.countdown)
        layout.addWidget(self.step_progress)
        layout.addWidget(self.instruction)
        layout.addWidget(self.guide_button)
        layout.addWidget(self.pacer)
        layout.addWidget(self.notice)
        layout.addWidget(self.routine_progress)
        layout.addWidget(self.steps, 1)
        layout.addLayout(controls)
        layout.addLayout(bottom)
        self.setWidget(body)
        self._expanded_only = (self.instruction, self.pacer, self.steps, self.routine_progress, self.title)

        controller.snapshotChanged.connect(self.show_snapshot)
        controller.eventHappened.connect(self._on_event)

    def set_colors(self, colors: Colors) -> None:
        self.pacer.set_colors(colors)
        self.step_progress.set_colors(colors)

    def set_pacer(self, enabled: bool, inhale: float, exhale: float) -> None:
        self.pacer.inhale, self.pacer.exhale = inhale, exhale
        self.pacer.setVisible(enabled and not self._compact)
        self._pacer_enabled = enabled

    @Slot(bool)
    def set_compact(self, compact: bool) -> None:
        """Compact: only the step, the countdown and the controls, small enough to keep beside work."""
        self._compact = compact
        for widget in self._expanded_only:
            widget.setVisible(not compact)
        self.guide_button.setVisible(not compact and self._guide_point is not None)
        if not compact:
            self.pacer.setVisible(self._pacer_enabled)
        self.setMinimumWidth(220 if compact else 260)
        if self.compact_button.isChecked() != compact:
            self.compact_button.setChecked(compact)

    def load_steps(self) -> None:
        plan = self.controller.plan
        self.steps.clear()
        if plan is None:
            return
        self.title.setText(plan.title)
        for index, step in enumerate(plan.steps):
            name = self.catalog.step_title(step.target)
            self.steps.addItem(f"{index + 1}. {name} · {clock_text(step.seconds)}")
        self.notice.hide()

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Called every 100 ms while running: per tick only the countdown and the progress line
        change; the rest is redone when the step, side, phase or state changes."""
        plan = self.controller.plan
        if plan is None:
            return
        key = (id(plan), snap.step_index, snap.side, snap.phase, snap.state, snap.steps_done, snap.switching_sides)
        if key != self._shown:
            self._shown = key
            self._show_step(snap)
        finished = snap.state in (RunnerState.FINISHED, RunnerState.STOPPED)
        if finished:
            self.countdown.setText("Done" if snap.state is RunnerState.FINISHED else "Stopped")
        else:
            self.countdown.setText(clock_text(snap.segment_remaining))
        duration = max(snap.segment_duration, 1e-6)
        self.step_progress.set_fraction(1 - snap.segment_remaining / duration)
        if self.pacer.running:
            self.pacer.update()
        self.announcer.update(snap, self.step_label.text(), SIDE_WORDS.get(snap.side, ""))

    def _show_step(self, snap: Snapshot) -> None:
        plan = self.controller.plan
        assert plan is not None
        if self.steps.count() != len(plan.steps):
            self.load_steps()
        step = plan.steps[snap.step_index]
        self.step_label.setText(self.catalog.step_title(step.target))
        if step.point:
            text = self.catalog.points[step.point].technique.instruction
        else:
            text = " ".join(self.catalog.techniques[step.target].steps)
        if step.note:
            text = f"{step.note} {text}"
        preparing = snap.phase is Phase.PREPARE
        ready = "Get ready: find the point. " if step.point else "Get ready. "
        self.instruction.setText((ready if preparing else "") + text)
        self._guide_point = step.point if step.point and self.catalog.guides_of(step.point) else None
        self.guide_button.setVisible(self._guide_point is not None and not self._compact)
        side = "Switch sides: now the right side" if snap.switching_sides else SIDE_WORDS.get(snap.side, "")
        self.side_label.setText(side)
        self.side_label.setVisible(bool(side))
        self.routine_progress.setMaximum(snap.step_count)
        self.routine_progress.setValue(snap.steps_done)
        self.steps.setCurrentRow(snap.step_index)
        self.play.setText({RunnerState.RUNNING: "Pause", RunnerState.PAUSED: "Resume"}.get(snap.state, "Start"))
        self.play.setAccessibleName(f"{self.play.text()} the routine")  # issue 19: named by its state
        finished = snap.state in (RunnerState.FINISHED, RunnerState.STOPPED)
        for button in (self.previous, self.next, self.stop, self.pain):
            button.setEnabled(not finished and snap.state is not RunnerState.READY)
        self.play.setEnabled(not finished)
        focused = QApplication.focusWidget()
        if finished and focused is not None and self.isAncestorOf(focused):  # issue 19: not a disabled button
            self.steps.setFocus(Qt.FocusReason.OtherFocusReason)
        self.pacer.running = snap.state is RunnerState.RUNNING
        self.pacer.update()

    @Slot()
    def _on_guide(self) -> None:
        if self._guide_point is not None:
            self.guideRequested.emit(self._guide_point)

    @Slot(object)
    def _on_event(self, event: RunnerEvent) -> None:
        if isinstance(event, PainReported):
            self.notice.setText(PAIN_ADVICE)
            self.notice.show()
        elif isinstance(event, (SegmentStarted, SidesSwitched)):
            self.chime.play()
