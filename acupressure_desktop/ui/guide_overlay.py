"""The measuring guide drawn over a body map: landmarks, the measuring line with its ticks, the point.

One item per scene, above the figure and below the markers. It draws what
``catalog.guides.resolve_guide`` worked out (scene units are the view's SVG units), so what the
check measured is what the person sees. Pens are cosmetic and labels are sized in pixels, so the
guide stays legible at every zoom; colours come from the theme.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from acupressure_desktop.catalog.guides import ResolvedGuide, ResolvedStep
from acupressure_desktop.ui.theme import Colors

TICK_PX = 7.0  # half-length of a B-cun tick
LANDMARK_PX = 9.0
LABEL_PT_PX = 13.0
LABEL_MAX_PX = 190.0  # longer landmark titles wrap
FRACTION_LABELS = {0.5: "½", 1 / 3: "⅓", 2 / 3: "⅔", 0.25: "¼"}


def step_caption(step: ResolvedStep) -> str:
    """The label drawn beside a step's line: "3 B-cun · 4 fingers", "½ way", or nothing."""
    if step.kind == "measure" and step.cun is not None:
        fingers = step.finger_label
        return f"{step.cun:g} B-cun" + (f" · {fingers}" if fingers else "")
    if step.kind == "divide" and step.fraction is not None:
        label = next((t for f, t in FRACTION_LABELS.items() if math.isclose(f, step.fraction, abs_tol=1e-3)), None)
        return f"{label or f'{step.fraction:.2g}'} of the way"
    return ""


class GuideOverlay(QGraphicsItem):
    """Paints one step of a guide; ``set_step`` changes what is shown and schedules one repaint."""

    def __init__(self, bounds: QRectF, colors: Colors) -> None:
        super().__init__()
        self._bounds = QRectF(bounds)
        self._colors = colors
        self._guide: ResolvedGuide | None = None
        self._index = 0
        self._progress = 1.0
        self._pixel = 1.0  # scene units per device pixel, for the painted area's label room
        self._area = QRectF()
        self._sizes: dict[tuple[str, bool], tuple[float, float]] = {}
        self._fonts: dict[bool, QFont] = {}
        self.setZValue(15)  # above the figure and the markers; it takes no clicks or hovers, they pass through
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, False)

    # -- state ---------------------------------------------------------------------------------

    @property
    def guide(self) -> ResolvedGuide | None:
        return self._guide

    @property
    def index(self) -> int:
        return self._index

    @property
    def progress(self) -> float:
        return self._progress

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        self.update()

    def set_step(self, guide: ResolvedGuide | None, index: int, progress: float = 1.0, *, pixel: float = 0.0) -> None:
        same = guide is self._guide and index == self._index
        self._guide = guide
        self._index = max(0, min(index, len(guide.steps) - 1)) if guide else 0
        self._progress = max(0.0, min(progress, 1.0))
        if pixel > 0:
            self._pixel = pixel
        self.setVisible(guide is not None)
        if not same:
            self._set_area()
        self.update()

    def set_pixel(self, pixel: float) -> None:
        """The view's zoom changed: the labels (sized in pixels) need a different room."""
        if pixel > 0 and not math.isclose(pixel, self._pixel):
            self._pixel = pixel
            self._set_area()

    def _set_area(self) -> None:
        """Paint only around the guide (its places plus room for labels), not the whole scene."""
        area = QRectF()
        guide = self._guide
        if guide is not None:
            xs: list[float] = []
            ys: list[float] = []
            for step in guide.steps[: self._index + 1]:
                for place in [step.start, step.end, *(step.between or ()), *((lm.x, lm.y) for lm in step.landmarks)]:
                    if place is not None:
                        xs.append(place[0])
                        ys.append(place[1])
            if xs:
                # Labels sit beside their place: up to one label width across, a few lines up or down.
                room_x, room_y = (LABEL_MAX_PX + 40) * self._pixel, 60 * self._pixel
                area = QRectF(
                    min(xs) - room_x, min(ys) - room_y, max(xs) - min(xs) + 2 * room_x, max(ys) - min(ys) + 2 * room_y
                )
                area = area.intersected(self._bounds)
        if area != self._area:
            self.prepareGeometryChange()
            self._area = area

    def boundingRect(self) -> QRectF:
        return self._area

    # -- painting ------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        guide = self._guide
        if guide is None:
            return
        c = self._colors
        scale = max(painter.worldTransform().m11(), 1e-6)
        px = 1.0 / scale  # one device pixel in scene units
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line_colour = QColor(c.current)
        done_colour = QColor(c.muted)
        done_colour.setAlphaF(0.8)

        # Earlier steps: their lines, thin and quiet, so the chain stays readable.
        for step in guide.steps[: self._index]:
            self._segment(painter, step, 1.0, done_colour, 1.5, px, ticks=False)

        step = guide.steps[self._index]
        before = next((s.end for s in reversed(guide.steps[: self._index]) if s.end is not None), None)
        if step.kind == "mark" and before is not None and step.end is not None and math.dist(before, step.end) > 3:
            # "Move onto the thumb side...": a dotted hint from where the last step ended.
            painter.setPen(self._pen(line_colour, 2.0, Qt.PenStyle.DotLine))
            painter.drawLine(QLineF(QPointF(*before), QPointF(*step.end)))
        places = [(lm.x, lm.y) for lm in step.landmarks] + [p for p in (step.start, step.end) if p is not None]
        centre_x = sum(p[0] for p in places) / len(places) if places else 0.0
        for landmark in step.landmarks:
            # Each title on the side away from the step's middle, so two titles never cover each other.
            outward_right = landmark.x > centre_x + 1.0
            self._landmark(painter, QPointF(landmark.x, landmark.y), landmark.title, px, right=outward_right)
        self._segment(painter, step, self._progress, line_colour, 3.0, px, ticks=True)

        last = self._index == len(guide.steps) - 1
        if step.end is not None and self._progress >= 1.0:
            self._target(painter, QPointF(*step.end), px, final=last)
        caption = step_caption(step)
        if caption and step.start is not None and step.end is not None:
            self._caption(painter, step, caption, px)

    def _pen(self, colour: QColor, width_px: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(colour, width_px)
        pen.setCosmetic(True)
        pen.setStyle(style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen

    def _segment(
        self,
        painter: QPainter,
        step: ResolvedStep,
        progress: float,
        colour: QColor,
        width: float,
        px: float,
        *,
        ticks: bool,
    ) -> None:
        if step.kind == "divide" and step.between is not None:
            a, b = QPointF(*step.between[0]), QPointF(*step.between[1])
            painter.setPen(self._pen(colour, width * 0.7, Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(a, a + (b - a) * progress))
            if ticks and step.fraction is not None and progress >= step.fraction:
                self._tick(painter, a, b, a + (b - a) * step.fraction, colour, px, 1.6)
            return
        if step.kind != "measure" or step.start is None or step.end is None:
            return
        a, b = QPointF(*step.start), QPointF(*step.end)
        tip = a + (b - a) * progress
        painter.setPen(self._pen(colour, width))
        painter.drawLine(QLineF(a, tip))
        if not ticks or not step.unit or step.cun is None:
            return
        length = math.dist(step.start, step.end)
        if length <= 0:
            return
        # A tick at each whole B-cun along the drawn line (scale units), and at the start.
        drawn = length * progress
        k = 0
        while k * step.unit <= drawn + 1e-6 and k <= math.ceil(step.cun) + 1:
            self._tick(painter, a, b, a + (b - a) * (k * step.unit / length), colour, px, 1.0)
            k += 1

    def _tick(
        self, painter: QPainter, a: QPointF, b: QPointF, at: QPointF, colour: QColor, px: float, size: float
    ) -> None:
        dx, dy = b.x() - a.x(), b.y() - a.y()
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm * TICK_PX * size * px, dx / norm * TICK_PX * size * px
        painter.setPen(self._pen(colour, 2.0))
        painter.drawLine(QLineF(at.x() - nx, at.y() - ny, at.x() + nx, at.y() + ny))

    def _landmark(self, painter: QPainter, at: QPointF, title: str, px: float, *, right: bool = False) -> None:
        c = self._colors
        glow = QColor(c.match)
        glow.setAlphaF(0.28)
        painter.setBrush(QBrush(glow))
        painter.setPen(self._pen(QColor(c.match), 2.0))
        r = LANDMARK_PX * px
        painter.drawEllipse(at, r, r)
        width = self._label_width(title, px, small=True)
        if right and at.x() + r * 1.4 + width > self._bounds.right():
            right = False  # no room on that side of the drawing: the other side
        elif not right and at.x() - r * 1.4 - width < self._bounds.left():
            right = True
        offset = QPointF(r * 1.4, 0) if right else QPointF(-r * 1.4, 0)
        self._label(painter, at + offset, title, px, QColor(c.text), small=True, anchor_right=not right)

    def _target(self, painter: QPainter, at: QPointF, px: float, *, final: bool) -> None:
        c = self._colors
        colour = QColor(c.selected if final else c.current)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._pen(colour, 3.0 if final else 2.0))
        r = max(15.0 * px, 16.0 + 4.0 * px) if final else 6.0 * px  # outside the point's own marker
        painter.drawEllipse(at, r, r)
        if final:
            painter.setPen(self._pen(colour, 1.5))
            painter.drawEllipse(at, r * 1.5, r * 1.5)

    def _caption(self, painter: QPainter, step: ResolvedStep, text: str, px: float) -> None:
        assert step.start is not None and step.end is not None
        a, b = QPointF(*step.start), QPointF(*step.end)
        if step.kind == "divide" and step.between is not None:
            a, b = QPointF(*step.between[0]), QPointF(*step.between[1])
        mid = a + (b - a) * step.fraction if step.kind == "divide" and step.fraction is not None else (a + b) / 2
        dx, dy = b.x() - a.x(), b.y() - a.y()
        norm = math.hypot(dx, dy) or 1.0
        offset = QPointF(-dy / norm, dx / norm) * (18 * px)
        if offset.x() < 0:  # keep the label on the right-hand side of the line where possible
            offset = -offset
        self._label(painter, mid + offset, text, px, QColor(self._colors.text), small=False)

    def _label_width(self, text: str, px: float, *, small: bool) -> float:
        """The label's width in scene units."""
        return self._measure(text, small)[0] * px

    def _measure(self, text: str, small: bool) -> tuple[float, float]:
        """A label's size in pixels, measured once per text (labels repeat on every paint)."""
        key = (text, small)
        size = self._sizes.get(key)
        if size is None:
            flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
            limit = LABEL_MAX_PX if small else 4 * LABEL_MAX_PX
            needed = QFontMetricsF(self._font(small)).boundingRect(QRectF(0, 0, limit, 10_000), flags, text)
            size = self._sizes[key] = (needed.width() + 10, needed.height() + 4)
        return size

    def _font(self, small: bool) -> QFont:
        font = self._fonts.get(small)
        if font is None:
            font = self._fonts[small] = QFont()
            font.setPixelSize(max(1, round(LABEL_PT_PX - (2 if small else 0))))
            font.setBold(not small)
        return font

    def _label(
        self,
        painter: QPainter,
        at: QPointF,
        text: str,
        px: float,
        colour: QColor,
        *,
        small: bool,
        anchor_right: bool = False,
    ) -> None:
        """Text of a fixed pixel size on a rounded backing, clamped inside the scene."""
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        width, height = self._measure(text, small)
        painter.save()
        painter.translate(at)
        painter.scale(px, px)  # draw in device pixels from here
        box = QRectF(-width if anchor_right else 0, -height / 2, width, height)
        limit = self._bounds
        right_px, left_px = (limit.right() - at.x()) / px, (limit.left() - at.x()) / px
        if box.right() > right_px:
            box.moveRight(right_px)
        if box.left() < left_px:
            box.moveLeft(left_px)
        backing = QColor(self._colors.surface)
        backing.setAlphaF(0.92)
        path = QPainterPath()
        path.addRoundedRect(box, 4, 4)
        painter.fillPath(path, backing)
        painter.setPen(QPen(colour))
        painter.setFont(self._font(small))
        painter.drawText(box, flags, text)
        painter.restore()
