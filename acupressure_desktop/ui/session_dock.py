"""The session timer dock: what to press now, for how long, and the controls."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop import APP_TITLE
from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.domain.models import Side
from acupressure_desktop.session.runner import (
    Outcome,
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
from acupressure_desktop.ui.motion import prefers_reduced_motion
from acupressure_desktop.ui.pictures import PictureView
from acupressure_desktop.ui.session_controller import ANIMATED_INTERVAL_MS, SessionController
from acupressure_desktop.ui.theme import LIGHT, Colors, repolish

SIDE_WORDS = {Side.LEFT: "Left side", Side.RIGHT: "Right side", Side.CENTER: "", Side.BOTH: "Both sides"}
PAIN_ADVICE = (
    "Session stopped. Sharp or severe pain is a signal to stop: release the pressure, breathe, and do not "
    "press that spot again today. Mild soreness can follow firm pressure; pain that is strong, lasts, or "
    "comes with swelling or numbness needs a health professional."
)


STILL_INTERVAL_MS = 250  # reduced motion: the seconds left change within a quarter second


def clock_text(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-6))
    return f"{whole // 60}:{whole % 60:02d}"


PICTURE_HEIGHT = 180  # the dock's picture at full size; it shrinks to half in a short window
STEPS_IN_SIGHT = 72  # the step list's height with the current step and the next in sight


# One wording for a step's sides wherever a step is listed (the editor, the Routines page, the dock).
STEP_SIDE_WORDS = {Side.BOTH: "left, then right", Side.LEFT: "left only", Side.RIGHT: "right only", Side.CENTER: ""}


def step_time_text(seconds: float, side: Side) -> str:
    """'1:00 · left, then right', '0:30 · left only', '0:30'."""
    words = STEP_SIDE_WORDS[side]
    return clock_text(seconds) + (f" · {words}" if words else "")


class BreathingPacer(QWidget):
    """A circle that grows while you breathe in and shrinks while you breathe out.

    With reduced motion the circle stays still: the words and the seconds left of each breath
    change once a second instead.
    """

    def __init__(self, parent: QWidget | None = None, *, reduced_motion: bool = False) -> None:
        super().__init__(parent)
        self.inhale, self.exhale = 4.0, 6.0
        self.reduced_motion = reduced_motion
        self._running = False
        self._word = ""
        self._shown = ""  # the label last painted (reduced motion)
        self._origin = time.monotonic()
        self._frames = QTimer(self)  # its own animation: the session's refresh runs once a second
        self._frames.setInterval(STILL_INTERVAL_MS if reduced_motion else ANIMATED_INTERVAL_MS)
        self._frames.timeout.connect(self._frame)
        self._colors = LIGHT
        self.setMinimumSize(QSize(90, 90))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Breathing pacer")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        self.update()

    @property
    def origin(self) -> float:
        """Monotonic time of a breath in's start (the voice's breathing cues keep time with it)."""
        return self._origin

    @property
    def running(self) -> bool:
        return self._running

    @running.setter
    def running(self, on: bool) -> None:
        self._running = on
        self._sync_frames()
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._sync_frames()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._sync_frames()

    def _sync_frames(self) -> None:
        """Animate only while running and on screen (a hidden pacer costs nothing)."""
        animate = self._running and self.isVisible()
        if animate and not self._frames.isActive():
            self._frames.start()
        elif not animate:
            self._frames.stop()

    @Slot()
    def _frame(self) -> None:
        now = time.monotonic()
        word, _fullness = self.phase(now)
        if word != self._word:  # described when it changes, never from paintEvent
            self._word = word
            self.setAccessibleDescription({"in": "breathe in", "out": "breathe out"}[word])
        if self.reduced_motion:
            label = self.label(now)
            if label == self._shown:
                return  # nothing moves: repaint only when the words or the seconds change
            self._shown = label
        # Only the circle's square changes: repaint that, not the panel's whole width.
        side = min(self.width(), self.height())
        self.update((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def phase(self, now: float) -> tuple[str, float]:
        """('in' | 'out', 0..1 fullness) at monotonic time ``now``."""
        cycle = self.inhale + self.exhale
        t = (now - self._origin) % cycle
        if t < self.inhale:
            return "in", 0.5 - 0.5 * math.cos(math.pi * t / self.inhale)
        return "out", 0.5 + 0.5 * math.cos(math.pi * (t - self.inhale) / self.exhale)

    def seconds_left(self, now: float) -> int:
        """Whole seconds left of the current breath in or out (what reduced motion shows)."""
        t = (now - self._origin) % (self.inhale + self.exhale)
        left = self.inhale - t if t < self.inhale else self.inhale + self.exhale - t
        return max(1, math.ceil(left - 1e-6))

    def label(self, now: float) -> str:
        if not self.running:
            return ""
        word = {"in": "breathe in", "out": "breathe out"}[self.phase(now)[0]]
        return f"{word}\n{self.seconds_left(now)}" if self.reduced_motion else word

    def paintEvent(self, event: QPaintEvent) -> None:
        now = time.monotonic()
        fullness = 0.4 if not self.running else 0.7 if self.reduced_motion else self.phase(now)[1]
        painter = QPainter(self)
        # Opaque: it paints its own background, so a frame never repaints the panel behind it.
        painter.fillRect(event.rect(), self.palette().color(self.backgroundRole()))
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
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.label(now))


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


# The session's keys: (action, key). They work wherever the focus is, in the main window, a
# floating dock or the compact timer, while a session is loaded (so Space keeps its usual meaning
# on buttons and lists the rest of the time).
SESSION_KEYS = (
    ("play", "Space"),
    ("previous", "Ctrl+Left"),
    ("next", "Ctrl+Right"),
    ("stop", "Ctrl+."),
    ("pain", "Ctrl+H"),
    ("compact", "Ctrl+M"),
)


def step_text(snap: Snapshot) -> str:
    """'Step 3 of 3', with the state when it is not plain running: 'Step 2 of 3 · Paused'."""
    text = f"Step {snap.step_index + 1} of {snap.step_count}"
    if snap.state is RunnerState.PAUSED:
        return f"{text} · Paused"
    if snap.state is RunnerState.READY:
        return f"{text} · Ready"
    if snap.phase is Phase.PREPARE and snap.state is RunnerState.RUNNING:
        return f"{text} · Get ready"
    return text


def steps_done_text(snap: Snapshot) -> str:
    """'2 of 3 steps done', '0 of 1 step done'."""
    return f"{snap.steps_done} of {snap.step_count} {'step' if snap.step_count == 1 else 'steps'} done"


def summary_text(snap: Snapshot, outcome: Outcome | None) -> str:
    """The end of a session in one short paragraph, true to what was pressed: a routine reaches its
    end also when its last steps are skipped (Next), and that is no "all steps"."""
    pressed = clock_text(snap.practised_seconds)
    steps = f"{snap.steps_done} of {snap.step_count} {'step' if snap.step_count == 1 else 'steps'}"
    if outcome is Outcome.COMPLETED and snap.every_step_pressed:
        every = "the step" if snap.step_count == 1 else f"all {snap.step_count} steps"
        return f"Well done: {every}, {pressed} of pressing."
    if outcome is Outcome.COMPLETED:
        return f"Finished with {steps} pressed to the end (the rest skipped), {pressed} of pressing."
    if outcome is Outcome.PAIN:
        return f"Stopped because it hurt, after {pressed} of pressing ({steps}).\n\n{PAIN_ADVICE}"
    return f"Stopped after {pressed} of pressing ({steps})."


class _TextFieldGuard(QObject):
    """Lets the session keys win over a text field: Space in an empty field and the Ctrl keys never
    type or move the cursor there while a session is loaded (a field with text keeps its Space)."""

    def __init__(self, keys: list[QKeySequence], active: Callable[[], bool], parent: QObject) -> None:
        super().__init__(parent)
        self._keys = keys
        self._active = active

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is not QEvent.Type.ShortcutOverride or not self._active():
            return False
        assert isinstance(event, QKeyEvent)
        sequence = QKeySequence(event.keyCombination())
        if not any(sequence.matches(key) == QKeySequence.SequenceMatch.ExactMatch for key in self._keys):
            return False
        # Not accepted by the field, so the shortcut runs; but in "neck pain" a space is text.
        return not (event.key() == Qt.Key.Key_Space and isinstance(watched, QLineEdit) and bool(watched.text()))


class _TallScroll(QScrollArea):
    """Scrolls up and down only: as wide as its content needs (a plain scroll area could be
    squeezed to a sliver, and with no horizontal bar the text would be cut), as short as needed."""

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(content.minimumSizeHint().width() + bar, 120)


class CompactTimer(QWidget):
    """The compact session timer: a small window that stays on top, and stays up when the main
    window is minimised (it has no parent window, so the window manager does not hide it with it)."""

    expandRequested = Signal()

    def __init__(self, controller: SessionController) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("compact-timer")
        self.setWindowTitle(APP_TITLE)  # a longer title would be cut in a window this narrow
        self.setAccessibleName("Compact session timer")
        self._placed = False
        self.step = QLabel()
        self.step.setObjectName("subtitle")
        self.step.setWordWrap(True)
        self.countdown = QLabel("0:00")
        self.countdown.setAccessibleName("Time left in this step")
        font = self.countdown.font()
        font.setPointSize(22)
        self.countdown.setFont(font)
        self.play = QPushButton("Resume")
        self.play.setMinimumWidth(self.play.sizeHint().width())  # "Pause" and "Resume" both fit
        self.play.setAccessibleName("Start or pause")
        self.stop = QPushButton("Stop")
        self.stop.setAccessibleName("Stop the session")
        self.expand = QToolButton()
        self.expand.setText("Expand")
        self.expand.setAccessibleName("Show the full session panel")
        self.pain = QPushButton("It hurts")
        self.pain.setObjectName("pain")
        self.pain.setAccessibleName("Stop, this hurts")
        self.pain.setToolTip("Stop, this hurts (Ctrl+H)")
        self.play.clicked.connect(controller.toggle)
        self.stop.clicked.connect(controller.stop)
        self.pain.clicked.connect(controller.report_pain)
        self.expand.clicked.connect(self.expandRequested)
        top = QHBoxLayout()
        top.addWidget(self.step, 1)
        top.addWidget(self.pain, 0, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addWidget(self.countdown, 1)
        row.addWidget(self.play)
        row.addWidget(self.stop)
        row.addWidget(self.expand)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.addLayout(top)
        layout.addLayout(row)
        # Pause first in the focus chain: Enter in a fresh window must never mean "it hurts".
        QWidget.setTabOrder(self.play, self.stop)
        QWidget.setTabOrder(self.stop, self.expand)
        QWidget.setTabOrder(self.expand, self.pain)
        self.setFixedWidth(300)

    def showEvent(self, event: QShowEvent) -> None:
        """The first time: the top-right corner of the screen, out of the way of work."""
        super().showEvent(event)
        if not self._placed:
            self._placed = True
            screen = self.screen().availableGeometry()
            self.move(screen.right() - self.frameGeometry().width() - 16, screen.top() + 16)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the small window brings the full panel back (the session goes on)."""
        self.expandRequested.emit()
        super().closeEvent(event)


class SessionDock(QDockWidget):
    closeRequested = Signal()
    guideRequested = Signal(str)  # point code: show how to find it on the map
    repeatRequested = Signal()

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
        self.progress_label = QLabel()
        self.progress_label.setObjectName("muted")
        self.progress_label.setAccessibleName("Where you are in the routine")
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
        self.routine_progress.setAccessibleName("Steps done")
        self.routine_progress.setTextVisible(False)
        self.routine_progress.setFixedHeight(8)
        self.routine_progress.hide()  # "Step 2 of 3" says it; an empty bar looked like a text field
        self.pacer = BreathingPacer(reduced_motion=prefers_reduced_motion())
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
        self.repeat_button = QPushButton("Repeat")
        self.repeat_button.setProperty("primary", True)
        self.repeat_button.setAccessibleName("Repeat this routine")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the session panel")
        self.repeat_button.clicked.connect(self.repeatRequested)
        self.close_button.clicked.connect(self.closeRequested)
        self.compact = CompactTimer(controller)
        self.compact.expandRequested.connect(lambda: self.set_compact(False))
        self.destroyed.connect(self.compact.deleteLater)
        buttons = {
            "play": self.play,
            "previous": self.previous,
            "next": self.next,
            "stop": self.stop,
            "pain": self.pain,
            "compact": self.compact_button,
        }
        names = {
            "play": "Start or pause",
            "previous": "Previous step",
            "next": "Next step",
            "stop": "Stop the session",
            "pain": "Stop, this hurts",
            "compact": "Compact mode",
        }
        # The keys belong to the window (they must work while this dock is hidden behind the compact
        # timer) and to the whole application (a floating dock, the compact timer).
        host = parent if parent is not None else self
        self.shortcuts: list[QShortcut] = []
        for action, key in SESSION_KEYS:
            button = buttons[action]
            button.setAccessibleName(names[action])
            button.setToolTip(f"{names[action]} ({key})")
            shortcut = QShortcut(QKeySequence(key), host, context=Qt.ShortcutContext.ApplicationShortcut)
            shortcut.setEnabled(False)
            shortcut.activated.connect(self._key_action(action))
            self.shortcuts.append(shortcut)
        self._guard = _TextFieldGuard([s.key() for s in self.shortcuts], self._session_loaded, self)
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
        self.running_controls = QWidget()
        running_layout = QVBoxLayout(self.running_controls)
        running_layout.setContentsMargins(0, 0, 0, 0)
        running_layout.addLayout(controls)
        running_layout.addLayout(bottom)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("How the session went")
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable, so its text can be read
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        end_buttons = QHBoxLayout()
        end_buttons.addWidget(self.repeat_button, 1)
        end_buttons.addWidget(self.close_button, 1)
        self.end_box = QWidget()
        end_layout = QVBoxLayout(self.end_box)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.summary)
        end_layout.addLayout(end_buttons)
        self.end_box.hide()

        # What the session shows scrolls when the window is short (1280x720: a long instruction
        # under the picture); the controls below it never do, so Pause and Stop, this hurts are always
        # in reach and no widget is laid over another by an overfull layout.
        shown = QWidget()
        layout = QVBoxLayout(shown)
        layout.setContentsMargins(12, 8, 12, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.step_label)
        layout.addWidget(self.side_label)
        layout.addWidget(self.countdown)
        layout.addWidget(self.step_progress)
        self.picture = PictureView(catalog, PICTURE_HEIGHT)  # the current step's hands at work
        layout.addWidget(self.picture)
        layout.addWidget(self.instruction)
        layout.addWidget(self.guide_button)
        layout.addWidget(self.pacer)
        layout.addWidget(self.notice)
        layout.addWidget(self.routine_progress)
        layout.addWidget(self.steps, 1)
        # The list takes the height left over, two rows at the least (its size hint of six rows made
        # the content taller than a short window, so the list sat below the fold, current step and all).
        self.steps.setMinimumHeight(STEPS_IN_SIGHT)
        self.steps.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.content_scroll = _TallScroll()
        self.content_scroll.setWidgetResizable(True)
        self.content_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.content_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.content_scroll.setWidget(shown)
        self.content_scroll.viewport().installEventFilter(self)  # resized: fit the picture again
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.content_scroll, 1)
        pinned = QVBoxLayout()
        pinned.setContentsMargins(12, 4, 12, 12)
        pinned.addWidget(self.end_box)
        pinned.addWidget(self.running_controls)
        outer.addLayout(pinned)
        self.setWidget(body)

        controller.snapshotChanged.connect(self.show_snapshot)
        controller.eventHappened.connect(self._on_event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.content_scroll.viewport():
            self._fit_picture()
        return super().eventFilter(watched, event)

    def _fit_picture(self) -> None:
        """In a short window the picture gives way first, down to half its height, so that the
        step list (where you are in the routine) stays in sight before anything has to scroll."""
        viewport = self.content_scroll.viewport()
        shown = self.content_scroll.widget()
        if shown is None or not self.picture.isVisibleTo(self):
            return
        others = shown.heightForWidth(viewport.width()) - self.picture.height()  # the list counts as 0 there
        height = max(PICTURE_HEIGHT // 2, min(PICTURE_HEIGHT, viewport.height() - others - STEPS_IN_SIGHT))
        if height != self.picture.height():
            self.picture.setFixedHeight(height)

    def _key_action(self, action: str) -> Callable[[], None]:
        def run() -> None:
            if action == "compact":
                self.set_compact(not self._compact)
                return
            button = getattr(self, action)
            if button.isEnabled():
                button.click()

        return run

    def _session_loaded(self) -> bool:
        runner = self.controller.runner
        return runner is not None and runner.state in (RunnerState.READY, RunnerState.RUNNING, RunnerState.PAUSED)

    def guard_text_field(self, field: QWidget) -> None:
        """Let the session keys win over ``field`` (a search box) while a session is loaded."""
        field.installEventFilter(self._guard)

    def set_colors(self, colors: Colors) -> None:
        self.pacer.set_colors(colors)
        self.step_progress.set_colors(colors)

    def set_pacer(self, enabled: bool, inhale: float, exhale: float) -> None:
        self.pacer.inhale, self.pacer.exhale = inhale, exhale
        self.pacer.setVisible(enabled and not self._compact)
        self._pacer_enabled = enabled

    @Slot(bool)
    def set_compact(self, compact: bool) -> None:
        """Compact: this panel gives way to a small always-on-top timer (step, countdown, pause,
        stop) that stays up when the main window is minimised; Expand brings the panel back."""
        self._compact = compact
        if self.compact_button.isChecked() != compact:
            self.compact_button.setChecked(compact)
        if compact:
            self._show_compact()
            self.compact.show()
            self.compact.raise_()
            self.compact.play.setFocus(Qt.FocusReason.OtherFocusReason)  # never "It hurts" by an Enter
            self.hide()
        else:
            self.compact.blockSignals(True)
            self.compact.hide()
            self.compact.blockSignals(False)
            if self.controller.plan is not None:
                self.show()
                self.raise_()

    @property
    def is_compact(self) -> bool:
        return self._compact

    def load_steps(self) -> None:
        plan = self.controller.plan
        self.steps.clear()
        self._shown = ()
        if plan is None:
            return
        self.title.setText(plan.title)
        for index, step in enumerate(plan.steps):
            name = self.catalog.step_title(step.target)
            self.steps.addItem(f"{index + 1}. {name} · {step_time_text(step.seconds, step.side)}")
        self.notice.hide()

    @Slot(object)
    def show_snapshot(self, snap: Snapshot) -> None:
        """Called on every refresh while running: per tick only the countdown and the progress line
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
            text = "Done" if snap.state is RunnerState.FINISHED else "Stopped"
        else:
            text = clock_text(snap.segment_remaining)
        if text != self.countdown.text():
            self.countdown.setText(text)
            if self._compact:
                self.compact.countdown.setText(text)
        duration = max(snap.segment_duration, 1e-6)
        self.step_progress.set_fraction(1 - snap.segment_remaining / duration)
        self.picture.follow(plan.steps[snap.step_index], snap)
        runner = self.controller.runner
        pained = runner is not None and snap.state is RunnerState.STOPPED and runner.outcome is Outcome.PAIN
        ending = summary_text(snap, Outcome.PAIN) if pained else ""  # the advice is read out, not only shown
        self.announcer.update(snap, self.step_label.text(), SIDE_WORDS.get(snap.side, ""), ending)

    def _show_compact(self) -> None:
        ended = self.end_box.isVisibleTo(self)
        self.compact.step.setText(
            self.summary.text() if ended else f"{self.progress_label.text()}: {self.step_label.text()}"
        )
        self.compact.countdown.setText(self.countdown.text())
        self.compact.play.setText(self.play.text())
        self.compact.play.setAccessibleName(self.play.accessibleName())  # issue 19: named by its state
        self.compact.play.setEnabled(self.play.isEnabled())
        self.compact.stop.setEnabled(self.stop.isEnabled())
        self.compact.pain.setEnabled(self.pain.isEnabled())
        for widget in (self.compact.countdown, self.compact.play, self.compact.stop, self.compact.pain):
            widget.setVisible(not ended)  # the end: its sentence and Expand, no dead controls

    def _show_step(self, snap: Snapshot) -> None:
        plan = self.controller.plan
        assert plan is not None
        if self.steps.count() != len(plan.steps):
            self.load_steps()
        finished = snap.state in (RunnerState.FINISHED, RunnerState.STOPPED)
        loaded = snap.state in (RunnerState.READY, RunnerState.RUNNING, RunnerState.PAUSED)
        for shortcut in self.shortcuts:
            shortcut.setEnabled(loaded)
        # While a session runs the panel cannot be closed (its controls would vanish with it):
        # Compact makes it small, Stop ends it, and then Close (or ×) puts it away.
        features = QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        if not loaded:
            features |= QDockWidget.DockWidgetFeature.DockWidgetClosable
        if self.features() != features:
            self.setFeatures(features)
        step = plan.steps[snap.step_index]
        self.step_label.setText(self.catalog.step_title(step.target))
        self.progress_label.setText(step_text(snap))
        if step.point:
            text = self.catalog.points[step.point].pressing().instruction
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
        if finished:
            side = ""  # no stale "Right side" under the summary
        self.side_label.setText(side)
        self.side_label.setVisible(bool(side))
        self.routine_progress.setMaximum(snap.step_count)
        self.routine_progress.setValue(snap.steps_done)
        self.steps.setCurrentRow(snap.step_index)
        current = self.steps.currentItem()
        if current is not None:  # step 3 of 3 was below the list's edge, the list still showed 1 and 2
            self.steps.scrollToItem(current)
        self.play.setText({RunnerState.RUNNING: "Pause", RunnerState.PAUSED: "Resume"}.get(snap.state, "Start"))
        for button in (self.previous, self.next, self.stop, self.pain):
            button.setEnabled(not finished and snap.state is not RunnerState.READY)
        self.play.setEnabled(not finished)
        self.play.setAccessibleName(f"{self.play.text()} the routine")  # issue 19: named by its state
        focused = QApplication.focusWidget()
        # issue 19: when it ends, focus in the dock moves to the summary (and the pain advice) to be read
        in_dock = focused is not None and self.isAncestorOf(focused)
        focus_summary = finished and in_dock and not self.end_box.isVisibleTo(self)
        self.instruction.setVisible(not finished)
        self.step_progress.setVisible(not finished)
        self.running_controls.setVisible(not finished)
        self.end_box.setVisible(finished)
        if focus_summary:
            self.summary.setFocus(Qt.FocusReason.OtherFocusReason)
        if finished:
            outcome = self.controller.runner.outcome if self.controller.runner is not None else None
            self.summary.setText(summary_text(snap, outcome))
            self.summary.setAccessibleDescription(self.summary.text())
            self.summary.setObjectName("danger" if outcome is Outcome.PAIN else "")  # the advice stands out
            repolish(self.summary)
            self.progress_label.setText(steps_done_text(snap))
            self.notice.hide()  # the pain advice is in the summary
            # After "this hurts" the advice is not to press that spot again today: Close is the
            # highlighted answer then, not Repeat.
            self._set_primary(self.close_button if outcome is Outcome.PAIN else self.repeat_button)
            if outcome is Outcome.PAIN:  # the advice must be read: the full panel, the window up
                self.set_compact(False)
                host = self.parentWidget()
                if host is not None and host.isMinimized():
                    host.showNormal()
            # Otherwise a compact timer stays compact and says how it ended; Expand shows Repeat and Close.
        self._fit_picture()  # another instruction, side line or summary: another height left for it
        self.pacer.running = snap.state is RunnerState.RUNNING
        self.pacer.update()
        if self._compact:
            self._show_compact()

    def _set_primary(self, button: QPushButton) -> None:
        for candidate in (self.repeat_button, self.close_button):
            primary = candidate is button
            if bool(candidate.property("primary")) != primary:
                candidate.setProperty("primary", primary)
                repolish(candidate)
            candidate.setDefault(primary)

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
