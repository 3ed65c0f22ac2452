"""Steps through a measuring guide: which step is shown and how much of its line is drawn.

No business logic: the guide arrives resolved (``catalog.guides``). A measuring or dividing
step draws its line over ``DRAW_SECONDS`` on a timer owned by the player, reading an injected
monotonic clock; with reduced motion every step appears whole at once. Hovering a step shows it
for a moment (``preview``) without losing the step the person is on.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from acupressure_desktop.catalog.guides import ResolvedGuide

DRAW_SECONDS = 0.6
FRAME_MS = 16


class GuidePlayer(QObject):
    changed = Signal()  # the guide, the step shown or the drawn fraction changed

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        reduced_motion: bool = False,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.reduced_motion = reduced_motion
        self._guide: ResolvedGuide | None = None
        self._index = 0
        self._preview: int | None = None
        self._progress = 1.0
        self._started = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)

    @property
    def guide(self) -> ResolvedGuide | None:
        return self._guide

    @property
    def index(self) -> int:
        """The step shown: the hovered one while previewing, else the person's current step."""
        return self._preview if self._preview is not None else self._index

    @property
    def current(self) -> int:
        return self._index

    @property
    def progress(self) -> float:
        return self._progress

    @property
    def playing(self) -> bool:
        return self._guide is not None

    @property
    def at_end(self) -> bool:
        return self._guide is not None and self._index == len(self._guide.steps) - 1

    def play(self, guide: ResolvedGuide) -> None:
        """Start a guide at its first step."""
        self._guide = guide
        self._preview = None
        self._go(0, animate=True)

    def replace(self, guide: ResolvedGuide) -> None:
        """The same guide for the other side (or view): keep the step, draw it whole."""
        self._guide = guide
        self._preview = None
        self._go(min(self._index, len(guide.steps) - 1), animate=False)

    def stop(self) -> None:
        self.timer.stop()
        self._guide = None
        self._preview = None
        self._index = 0
        self._progress = 1.0
        self.changed.emit()

    @Slot()
    def next(self) -> None:
        if self._guide is not None and not self.at_end:
            self._go(self._index + 1, animate=True)

    @Slot()
    def back(self) -> None:
        if self._guide is not None and self._index > 0:
            self._go(self._index - 1, animate=False)

    def jump(self, index: int) -> None:
        """Straight to a step, drawn whole (a deep link or a picture, not the person stepping)."""
        if self._guide is not None and 0 <= index < len(self._guide.steps):
            self._go(index, animate=False)

    def go_to(self, index: int) -> None:
        if self._guide is not None and 0 <= index < len(self._guide.steps) and index != self._index:
            self._go(index, animate=index == self._index + 1)

    def preview(self, index: int | None) -> None:
        """Show a hovered step whole (None returns to the current step)."""
        if self._guide is None:
            return
        if index is not None and not 0 <= index < len(self._guide.steps):
            index = None
        if index == self._preview:
            return
        self._preview = index
        self.timer.stop()
        self._progress = 1.0
        self.changed.emit()

    def _go(self, index: int, *, animate: bool) -> None:
        assert self._guide is not None
        self._index = index
        self._preview = None
        step = self._guide.steps[index]
        draws = step.kind in ("measure", "divide")
        if animate and draws and not self.reduced_motion:
            self._started = self._clock()
            self._progress = 0.0
            self.timer.start()
        else:
            self.timer.stop()
            self._progress = 1.0
        self.changed.emit()

    @Slot()
    def _tick(self) -> None:
        elapsed = self._clock() - self._started
        self._progress = min(1.0, max(0.0, elapsed / DRAW_SECONDS))
        if self._progress >= 1.0:
            self.timer.stop()
        self.changed.emit()
