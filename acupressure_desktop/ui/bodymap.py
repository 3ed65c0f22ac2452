"""The interactive body map: one SVG figure plus one marker item per hotspot.

Markers are placed from the hotspot coordinates the catalog read out of the SVG (plain
viewBox units, no transforms by contract), so scene units are viewBox units. Markers
keep a minimum on-screen radius while zooming; their shape is exactly what is drawn.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QAccessible,
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmapCache,
    QPolygonF,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QGestureEvent,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QPinchGesture,
    QStyleOptionGraphicsItem,
    QToolButton,
    QWidget,
)

from acupressure_desktop.catalog.bodymaps import BodyMap, ChannelPath, Hotspot
from acupressure_desktop.ui import accessibility
from acupressure_desktop.ui.accessibility import HotspotAccessible, RegionAccessible
from acupressure_desktop.ui.texts import FLAG_MARK
from acupressure_desktop.ui.theme import CHANNEL_CASING, CHANNEL_STYLES, LIGHT, MAP_FOCUS, Colors

if TYPE_CHECKING:  # the guides need the models (pydantic), which load after the first paint
    from acupressure_desktop.catalog.guides import ResolvedGuide
    from acupressure_desktop.ui.guide_overlay import GuideOverlay

MIN_RADIUS_PX = 6.0  # smallest on-screen marker radius: still easy to hit, and whole-body views stay legible
MINOR_RADIUS_PX = 4.5  # the same for gentle and reference points: smaller, the map stays calm
LABEL_MARGIN_PX = 2.5  # a label keeps this far from every marker (its ring and pixel rounding included)
ROOM_CAP = 40.0  # scene units: no marker grows past this to keep its minimum size on screen
MARKER_GAP_PX = 1.5  # a marker never grows past this gap to its neighbour (its ring included)
SELF_CARE, GENTLE, REFERENCE = "self-care", "gentle", "reference"  # Point.tier values (no models before paint)
MIN_ZOOM, MAX_ZOOM = 1.0, 6.0  # relative to "fit in window"
DRAG_THRESHOLD_PX = 4
SIDE_CONVENTION = (
    "L and R always mark the person's own left and right. Body and head views show someone facing you "
    "(their left on your right), or turned away on back views; hand and foot views show your own hands "
    "and feet as you look down at them."
)
ZOOM_KEYS = {"−": "-", "Fit": "0", "+": "+"}
PIXMAP_CACHE_KB = 48 * 1024  # see BodyMapView.__init__
CHANNEL_PX = 2.5  # channel path width on screen, whatever the zoom
CHANNEL_CASING_PX = 5.0  # the light casing under it, so it shows on the dark canvas too
CHANNEL_HIT_PX = 6.0  # how near a click must be to a drawn channel to pick it
CHANNEL_MARGIN = 80.0  # scene units around the paths: room for the casing and the end codes
GUIDE_FRAME_MIN = 110.0  # SVG units: the smallest area a guide is framed in
GUIDE_MAX_ZOOM = 3.0
GUIDE_LABEL_ROOM_PX = 240.0  # landmark titles are drawn beside their landmark: keep room for them
MAP_HELP = (
    "Arrow keys move between points, Home and End go to the first and last, Return or Space shows "
    "a point's details, D moves to them, plus and minus zoom, Tab leaves the map."
)


# The layers the app draws itself (markers, region tints, channel paths) or never draws: the
# renderer gets the figure alone. Validated layers hold no nested groups (catalog/bodymaps.py).
_UNDRAWN_LAYERS = re.compile(r'<g\s+id="(?:hotspots|regions|channels)"(?:[^>]*?/>|[^>]*>.*?</g>)', re.S)


def figure_renderer(svg_path: str) -> QSvgRenderer:
    """A renderer of the SVG without its hotspot, region and channel layers: a third of the memory
    on a full view (hundreds of invisible circles and paths) and less to walk on every paint."""
    try:
        text = Path(svg_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return QSvgRenderer(svg_path)  # let Qt report it
    figure = _UNDRAWN_LAYERS.sub("", text)
    renderer = QSvgRenderer(QByteArray(figure.encode("utf-8")))
    return renderer if renderer.isValid() else QSvgRenderer(svg_path)


@dataclass(slots=True)
class MarkerState:
    selected: bool = False
    current: bool = False
    matched: bool = False
    dimmed: bool = False
    focused: bool = False
    hovered: bool = False
    flagged: bool = False  # the safety profile flags this point


class HotspotItem(QGraphicsEllipseItem):
    """One clickable marker. Its shape() is the drawn circle, outline included.

    Self-care points are solid discs; gentle points are smaller rings (a light centre), reference
    points the same ring crossed by a bar ("do not press"): told apart by shape and size, not
    only by colour. ``room`` is the largest radius that keeps the marker clear of its neighbours.
    """

    def __init__(self, hotspot: Hotspot, title: str, colors: Colors, tier: str = SELF_CARE) -> None:
        super().__init__()
        self.hotspot = hotspot
        self.title = title
        self.colors = colors
        self.tier = tier
        self.room = math.inf  # set by the view from the neighbours' distances (scene units)
        self.state = MarkerState()
        self._scale = 1.0
        self._applied: tuple[object, ...] = ()  # what the current look was made from
        self.setAcceptHoverEvents(True)
        self.setToolTip(title)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(10)
        self.relayout(1.0)

    def relayout(self, view_scale: float) -> None:
        """Resize for the view's scale so the marker never gets too small to hit (skipped when unchanged)."""
        s = self.state
        look = (
            view_scale,
            s.selected,
            s.current,
            s.matched,
            s.dimmed,
            s.focused,
            s.hovered,
            s.flagged,
            self.colors,
            self.tier,
        )
        if look == self._applied:
            return
        self._applied = look
        self._scale = view_scale
        emphasis = 1.3 if (self.state.selected or self.state.current) else 1.0
        radius = self.drawn_radius(view_scale) * emphasis
        self.setRect(QRectF(self.hotspot.x - radius, self.hotspot.y - radius, 2 * radius, 2 * radius))
        self.restyle()

    def drawn_radius(self, view_scale: float) -> float:
        """The radius drawn at this scale (unemphasised): at least the data's, at least the minimum on
        screen, but never so large that it touches a neighbour."""
        minimum = (MIN_RADIUS_PX if self.tier == SELF_CARE else MINOR_RADIUS_PX) / view_scale
        clear = self.room - MARKER_GAP_PX / view_scale
        return max(self.hotspot.r, min(minimum, clear))

    @property
    def minor(self) -> bool:
        return self.tier != SELF_CARE

    def restyle(self) -> None:
        c, s = self.colors, self.state
        fill = QColor(c.hotspot)
        edge = QColor(c.marker_edge)
        edge_px = 2.0
        dashed = False
        if s.current:
            fill = QColor(c.current)
            edge_px = 3.0
        elif s.selected:
            fill = QColor(c.selected)
            edge_px = 3.0
        elif s.matched:
            fill = QColor(c.match)
        if self.minor:  # a ring: the state's colour on the edge, a light centre
            fill, edge = QColor(c.marker_edge), fill
            edge_px = max(edge_px, 2.5)
        if s.flagged and not (s.selected or s.current):
            edge = QColor(c.flagged)
            edge_px = 2.5
            dashed = True  # flagged by shape too: a dashed ring
        if s.dimmed and not (s.selected or s.current):
            fill.setAlphaF(0.22)
            edge.setAlphaF(0.35)
        elif s.hovered or s.focused:
            fill = fill.lighter(115)
        else:
            fill.setAlphaF(0.88)
        if s.focused:
            edge = QColor(MAP_FOCUS)
            edge_px = 3.0
        self.setBrush(QBrush(fill))
        pen = QPen(edge, edge_px / self._scale)  # scene units: shape() then matches the drawing
        if dashed and not s.focused:
            pen.setStyle(Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([1.5, 1.0])
        self.setPen(pen)
        self.update()
        self.setZValue(12 if (s.selected or s.current) else 11 if s.matched else 10)

    def glyph(self) -> str:
        """The shape inside the marker that tells its state without colour: "", "dot" or "square"."""
        if self.state.current:
            return "square"
        if self.state.selected:
            return "dot"
        return ""

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)
        rect = self.rect()
        # The glyphs are drawn in the ring's colour on a ring (minor tiers), in the edge colour on a disc.
        ink = QColor(self.pen().color() if self.minor else QColor(self.colors.marker_edge))
        if self.tier == REFERENCE:  # a bar across the ring: learn it, never press it
            bar = QPen(ink, max(1.5 / self._scale, rect.width() * 0.14))
            bar.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(bar)
            inset = rect.width() * 0.2
            y = rect.center().y()
            painter.drawLine(QPointF(rect.left() + inset, y), QPointF(rect.right() - inset, y))
        glyph = self.glyph()
        if not glyph:
            return
        # Inside the circle, so shape() (what is hit) stays the drawn circle: selected shows a dot
        # (a bullseye), the current step a square, each in the ring's colour.
        size = rect.width() * 0.42
        inner = QRectF(rect.center().x() - size / 2, rect.center().y() - size / 2, size, size)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(ink))
        if glyph == "square":
            painter.drawRect(inner)
        else:
            painter.drawEllipse(inner)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.state.hovered = True
        self.restyle()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.state.hovered = False
        self.restyle()
        super().hoverLeaveEvent(event)


class ChannelLayer(QGraphicsItem):
    """Every channel run of one view in one item, under the markers: the shown channels' casings,
    then their coloured, dashed paths, then each run's code at both ends.

    One item with a device-coordinate cache: switching back to a view, or restyling its markers,
    blits one picture instead of repainting some 40 antialiased dashed paths and their labels.
    Pens are cosmetic (pixels) and the codes keep their pixel size at any zoom.
    """

    def __init__(self, runs: tuple[ChannelPath, ...], font: QFont, names: dict[str, str], frame: QRectF) -> None:
        """``frame`` is the drawing's own area (its view box): a close-up's runs go on past it, where
        the SVG shows nothing, and are cut there rather than drawn across the empty canvas."""
        super().__init__()
        self.runs = runs
        self.shown: frozenset[str] = frozenset()
        self._font = font
        self._frame = frame
        self._paths = [(run.meridian, channel_path(run), _ends_within(run.polyline(), frame)) for run in runs]
        self._names = names
        bounds = QRectF()
        for _meridian, path, _ends in self._paths:
            bounds = bounds.united(path.boundingRect())
        margin = CHANNEL_MARGIN
        self._bounds = bounds.intersected(frame).adjusted(-margin, -margin, margin, margin)
        self.setZValue(5)  # over the figure (0) and the region tint (0.5), under the markers (10+)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view picks channels (channel_at)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_shown(self, meridians: set[str]) -> None:
        shown = frozenset(m for m in meridians if any(run.meridian == m for run in self.runs))
        if shown != self.shown:
            self.shown = shown
            self.setVisible(bool(shown))
            tips = [f"{m} {self._names.get(m, m)}" for m in CHANNEL_STYLES if m in shown]
            self.setToolTip(("Channels: " + ", ".join(tips) + ". Click a path to list its points.") if tips else "")
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        drawn = [(m, path, ends) for m, path, ends in self._paths if m in self.shown]
        painter.save()
        painter.setClipRect(self._frame, Qt.ClipOperation.IntersectClip)
        casing = QPen(QColor(CHANNEL_CASING), CHANNEL_CASING_PX)
        casing.setCosmetic(True)  # pixels, at any zoom
        casing.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setOpacity(0.8)
        painter.setPen(casing)
        for _meridian, path, _lines in drawn:
            painter.drawPath(path)
        painter.setOpacity(1.0)
        for meridian, path, _lines in drawn:
            colour, dashes = CHANNEL_STYLES[meridian]
            pen = QPen(QColor(colour), CHANNEL_PX)
            pen.setCosmetic(True)
            if dashes:
                pen.setDashPattern(list(dashes))
            painter.setPen(pen)
            painter.drawPath(path)
        painter.restore()
        transform = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        for meridian, text in self.end_codes(transform):
            painter.strokePath(text, QPen(QColor(CHANNEL_CASING), 2.5))
            painter.fillPath(text, QColor(CHANNEL_STYLES[meridian][0]))
        painter.restore()

    def end_codes(self, transform: QTransform) -> list[tuple[str, QPainterPath]]:
        """Each shown run's code at both ends of what is drawn, in pixels beside the end (the zoom
        does not scale it); runs that end together (the leg's ST, LR and SP at the ankle) stack
        their codes instead of writing them over each other."""
        codes: list[tuple[str, QPainterPath]] = []
        for meridian, _path, ends in self._paths:
            if meridian not in self.shown:
                continue
            for x, y in ends:
                text = QPainterPath()
                text.addText(transform.map(QPointF(x, y)) + QPointF(4, 4), self._font, meridian)
                while any(text.boundingRect().intersects(other.boundingRect()) for _, other in codes):
                    text.translate(0, text.boundingRect().height() + 1)
                codes.append((meridian, text))
        return codes


def _drawing_area(body_map: BodyMap) -> QRectF:
    """The figure's own area in scene units (its view box): what lies past it the SVG does not show."""
    return QRectF(0, 0, body_map.width, body_map.height)


def _ends_within(lines: list[list[tuple[float, float]]], frame: QRectF) -> tuple[tuple[float, float], ...]:
    """The first and last vertex of a run that lie inside ``frame`` (none if it never enters it)."""
    inside = [(x, y) for line in lines for x, y in line if frame.contains(QPointF(x, y))]
    return (inside[0], inside[-1]) if inside else ()


class CodeLabel(QGraphicsSimpleTextItem):
    """A point's code beside its marker, on a backdrop of the canvas colour: legible over the skin
    and over channel paths in both themes."""

    backdrop = QColor(LIGHT.canvas)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        fill = QColor(self.backdrop)
        fill.setAlphaF(0.85)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(self.boundingRect().adjusted(-1, 0, 1, 0), 2, 2)
        super().paint(painter, option, widget)  # type: ignore[arg-type]  # Qt accepts no widget


@dataclass
class _ViewScene:
    scene: QGraphicsScene
    figure: QGraphicsSvgItem
    renderer: QSvgRenderer
    body_map: BodyMap
    markers: list[HotspotItem] = field(default_factory=list)
    overlay: GuideOverlay | None = None  # made the first time a guide plays on this view
    outline: QGraphicsPathItem | None = None  # the clicked region
    side_labels: list[QGraphicsSimpleTextItem] = field(default_factory=list)
    labels: list[QGraphicsSimpleTextItem | None] = field(default_factory=list)  # point codes, each made on first use
    labels_at: tuple[object, ...] = ()  # what the labels were last placed for (scale, shown markers)
    channel_layer: ChannelLayer | None = None  # the channel paths, made the first time one is shown here


class BodyMapView(QGraphicsView):
    """Shows one view at a time; scenes are built once per view and kept."""

    pointActivated = Signal(str)  # point code
    channelActivated = Signal(str)  # meridian code: a drawn channel path was clicked
    regionActivated = Signal(str, str)  # view id, region id
    hotspotFocused = Signal(str)  # accessible description of the focused hotspot
    detailsRequested = Signal()  # D: move focus to the open point's details
    zoomChanged = Signal(float)

    def __init__(self, titles: dict[str, str], parent: QWidget | None = None) -> None:
        accessibility.install()  # before the widget exists: Qt keeps the first interface it makes for it
        super().__init__(parent)
        # Each view's figure and channel drawing is cached as a picture of the map's size (about 2 MB
        # each): Qt's default 10 MB keeps four views, and switching back to a fifth re-renders its SVG.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self._titles = titles  # point code -> "LI4 Hégǔ · Union Valley"
        self._places: dict[str, str] = {}  # point code -> "hand" (where on the body, for spoken names)
        self._region_titles: dict[tuple[str, str], str] = {}  # (view, region) -> "Face and head"
        self._accessibles: dict[int, HotspotAccessible] = {}  # id(marker) -> its accessible child
        self._region_accessibles: dict[tuple[str, str], RegionAccessible] = {}
        self._focus_region: str | None = None  # a region focused by R / Shift+R (its points: Return)
        self._region_tint_is_focus = False  # the tint shows the focused region, not an opened one
        self._scenes: dict[str, _ViewScene] = {}
        self._view_id = ""
        self._colors = LIGHT
        self._zoom = 1.0
        self._press: QPointF | None = None
        self._dragging = False
        self._focus_index = -1
        self._selected: str | None = None
        self._current: tuple[str, str | None] | None = None
        self._matches: set[str] | None = None
        self._flagged: set[str] = set()
        self._framed: ResolvedGuide | None = None  # the guide the map is zoomed to, kept through resizes
        self._guided: tuple[str, bool] | None = None  # the guided point, and whether the guide reached it
        self._flag_reasons: dict[str, str] = {}
        self._labels_on = False
        self._tiers: dict[str, str] = {}  # point code -> tier ("self-care", "gentle", "reference")
        self._shown_codes: set[str] | None = None  # the filter: only these markers are drawn (None: all)
        self._channels: set[str] = set()  # meridian codes whose paths are drawn
        self._channel_names: dict[str, str] = {}  # meridian code -> "Lung"
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.setAccessibleName("Body map")
        self.setAccessibleDescription(MAP_HELP)
        self.viewport().setAccessibleName("Body figure")
        self.zoom_bar = self._make_zoom_bar()
        accessibility.adopt(self)

    def _make_zoom_bar(self) -> QWidget:
        """Zoom buttons floating in the map's top-right corner, where they take no layout width."""
        bar = QWidget(self)
        bar.setAccessibleName("Zoom")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(3, 2, 3, 2)  # the backdrop shows round the buttons
        layout.setSpacing(2)
        for text, name, slot in (
            ("−", "Zoom out", self.zoom_out),
            ("Fit", "Fit the figure to the window", self.zoom_reset),
            ("+", "Zoom in", self.zoom_in),
        ):
            button = QToolButton(bar)
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(f"{name} ({ZOOM_KEYS[text]})")
            button.clicked.connect(slot)
            layout.addWidget(button)
        self.labels_button = QToolButton(bar)
        self.labels_button.setText("Labels")
        self.labels_button.setCheckable(True)
        self.labels_button.setAccessibleName("Show point codes on the map")
        self.labels_button.setToolTip("Show every point's code on the map (the selected point always has its label)")
        self.labels_button.toggled.connect(self.set_labels)
        layout.insertWidget(0, self.labels_button)
        bar.adjustSize()
        return bar

    def fit_bar(self) -> None:
        """Size the floating bar to its buttons again (one changed its text) and keep it in the corner."""
        self.zoom_bar.adjustSize()
        self.zoom_bar.move(self.viewport().width() - self.zoom_bar.width() - 8, 8)

    def add_to_bar(self, button: QToolButton) -> None:
        """Another control in the floating bar (first in it), such as the Learn page's Channels menu."""
        layout = self.zoom_bar.layout()
        assert isinstance(layout, QHBoxLayout)
        button.setParent(self.zoom_bar)
        layout.insertWidget(0, button)
        # Tab walks the bar left to right (Qt's own order is the order the buttons were made in).
        items = [layout.itemAt(i) for i in range(layout.count())]
        buttons = [w for item in items if item is not None and (w := item.widget()) is not None]
        for before, after in itertools.pairwise(buttons):
            QWidget.setTabOrder(before, after)
        self.fit_bar()

    @Slot(bool)
    def set_labels(self, on: bool) -> None:
        """Codes beside every marker (on), or only beside the selected point (off)."""
        self._labels_on = on
        if self.labels_button.isChecked() != on:
            self.labels_button.setChecked(on)
        self._sync_labels()

    def _sync_labels(self) -> None:
        built = self._scenes.get(self._view_id)
        if built is None:
            return
        if not built.labels:
            built.labels = [None] * len(built.markers)  # each made when first wanted
        self._place_labels(built)

    def _label(self, built: _ViewScene, index: int) -> QGraphicsSimpleTextItem:
        """The code label of one marker, made on first use and restyled when the selection or theme changes."""
        label = built.labels[index]
        marker = built.markers[index]
        if label is None:
            font = self.font()
            font.setPixelSize(11)
            label = CodeLabel(marker.hotspot.code)
            label.setFont(font)
            label.setFlag(QGraphicsSimpleTextItem.GraphicsItemFlag.ItemIgnoresTransformations)  # legible at any zoom
            label.setPos(marker.hotspot.x, marker.hotspot.y)
            label.setZValue(11)
            label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            built.scene.addItem(label)
            built.labels[index] = label
        selected = marker.hotspot.code == self._selected
        look = (selected, self._colors)
        if label.data(0) != look:  # unchanged: a click restyles two labels, not all of them
            label.setData(0, look)
            if isinstance(label, CodeLabel):
                label.backdrop = QColor(self._colors.canvas)
            font = label.font()
            font.setBold(selected)
            label.setFont(font)
            label.setBrush(QColor(self._colors.selected if selected else self._colors.text))
        return label

    def _place_labels(self, built: _ViewScene) -> None:
        """Put each wanted label beside its marker where it overlaps no other label and no marker;
        a label with no free place is left out (the selected point's first, then self-care points).

        Labels ignore the zoom, so places are worked out in screen pixels, again on each zoom.
        """
        scale = self._scale()
        if self._labels_on:
            candidates: list[int] | range = range(len(built.markers))
        else:  # only the selected point's labels: no need to look at every marker
            candidates = [i for i, m in enumerate(built.markers) if m.hotspot.code == self._selected]
        wanted = [i for i in candidates if built.markers[i].isVisible() and self._drawn(built.markers[i])]
        key = (scale, tuple(wanted), self._selected, self._colors)
        if key == built.labels_at:
            return
        built.labels_at = key
        markers = built.markers
        # Every drawn marker is an obstacle, in pixels around the scene origin (scale only: no scroll).
        obstacles: list[QRectF] = []
        for m in markers:
            if m.isVisible():
                r = m.rect()
                box = QRectF(r.left() * scale, r.top() * scale, r.width() * scale, r.height() * scale)
                obstacles.append(box.adjusted(-LABEL_MARGIN_PX, -LABEL_MARGIN_PX, LABEL_MARGIN_PX, LABEL_MARGIN_PX))
        order = sorted(
            wanted,
            key=lambda i: (markers[i].hotspot.code != self._selected, markers[i].minor, markers[i].hotspot.y),
        )
        placed: list[QRectF] = []
        shown: set[int] = set()
        for i in order:
            marker, label = markers[i], self._label(built, i)
            bounds = label.boundingRect()
            w, h = bounds.width(), bounds.height()
            cx, cy = marker.hotspot.x * scale, marker.hotspot.y * scale
            reach = marker.rect().width() / 2 * scale + LABEL_MARGIN_PX + 1
            for dx, dy in ((reach, -h / 2), (-reach - w, -h / 2), (-w / 2, -reach - h), (-w / 2, reach)):
                box = QRectF(cx + dx, cy + dy, w, h)
                if not any(box.intersects(o) for o in placed) and not any(box.intersects(o) for o in obstacles):
                    placed.append(box.adjusted(-1, -1, 1, 1))  # a pixel apart: whole pixels on screen
                    shown.add(i)
                    label.setTransform(QTransform.fromTranslate(dx, dy))
                    break
        for i, existing in enumerate(built.labels):
            if existing is not None:
                existing.setVisible(i in shown)

    def shown_labels(self) -> list[QGraphicsSimpleTextItem]:
        built = self._scenes.get(self._view_id)
        return [label for label in built.labels if label is not None and label.isVisible()] if built else []

    # -- building ---------------------------------------------------------------------------

    def add_view(self, view_id: str, svg_path: str, body_map: BodyMap) -> None:
        if not shiboken6.isValid(self):  # a late idle-time build for a map already deleted: nothing to do
            return
        self._scenes[view_id] = self._build(svg_path, body_map)

    def _build(self, svg_path: str, body_map: BodyMap) -> _ViewScene:
        renderer = figure_renderer(svg_path)
        figure = QGraphicsSvgItem()
        figure.setSharedRenderer(renderer)
        figure.setCacheMode(QGraphicsSvgItem.CacheMode.DeviceCoordinateCache)
        default = renderer.defaultSize()
        if default.width() > 0:
            figure.setScale(body_map.width / default.width())  # scene units = viewBox units
        figure.setZValue(0)
        scene = QGraphicsScene(self)
        scene.addItem(figure)
        margin = 0.04 * max(body_map.width, body_map.height)
        scene.setSceneRect(QRectF(-margin, -margin, body_map.width + 2 * margin, body_map.height + 2 * margin))
        built = _ViewScene(scene=scene, figure=figure, renderer=renderer, body_map=body_map)
        for hotspot in body_map.hotspots:
            marker = HotspotItem(hotspot, self._title(hotspot), self._colors, self._tiers.get(hotspot.code, SELF_CARE))
            scene.addItem(marker)
            built.markers.append(marker)
        _set_room(built.markers)
        self._add_side_labels(built)
        return built

    def set_tiers(self, tiers: dict[str, str]) -> None:
        """Each point's tier (code -> "self-care", "gentle" or "reference"), once the catalog is in."""
        self._tiers = dict(tiers)
        for built in self._scenes.values():
            for marker in built.markers:
                marker.tier = self._tiers.get(marker.hotspot.code, SELF_CARE)
        self._restyle_all()

    def set_shown(self, codes: set[str] | None) -> None:
        """Draw only these points' markers (the tier filter); None draws every marker. The selected
        point is always drawn, so a point opened by search or link shows even when the filter hides it."""
        if codes == self._shown_codes:
            return
        self._shown_codes = None if codes is None else set(codes)
        if self.focused_marker is not None and not self._drawn(self.focused_marker):
            self._focus_index = -1
        self._restyle_all()
        self._sync_labels()
        accessibility.notify_reorder(self)

    def set_channel_names(self, names: dict[str, str]) -> None:
        """Meridian code -> name ("Lung"), for the paths' tooltips."""
        self._channel_names = dict(names)

    def set_channels(self, meridians: set[str]) -> None:
        """Draw these channels' paths on every view they cross (under the markers)."""
        self._channels = set(meridians)
        self._sync_channels()

    @property
    def shown_channels(self) -> set[str]:
        return set(self._channels)

    def channels_here(self) -> list[str]:
        """The meridians this view has a path for, in the order of CHANNEL_STYLES."""
        body_map = self.body_map()
        found = {c.meridian for c in (body_map.channels or ())} if body_map else set()
        return [m for m in CHANNEL_STYLES if m in found]

    def channel_layer(self) -> ChannelLayer | None:
        """The shown view's channel drawing (made the first time a channel is shown on it)."""
        built = self._scenes.get(self._view_id)
        return built.channel_layer if built else None

    def _sync_channels(self) -> None:
        built = self._scenes.get(self._view_id)
        if built is None or (built.channel_layer is None and not self._channels):
            return
        if built.channel_layer is None:
            font = self.font()
            font.setPixelSize(10)
            font.setBold(True)
            built.channel_layer = ChannelLayer(
                built.body_map.channels or (), font, self._channel_names, _drawing_area(built.body_map)
            )
            built.scene.addItem(built.channel_layer)
        built.channel_layer.set_shown(self._channels)

    def channel_at(self, view_pos: QPointF) -> str | None:
        """The shown channel drawn nearest to a place in the viewport, if within reach of a click."""
        body_map = self.body_map()
        if body_map is None or not self._channels:
            return None
        scene_pos = self.mapToScene(view_pos.toPoint())
        if not _drawing_area(body_map).contains(scene_pos):
            return None  # past the drawing, where its runs are not drawn
        reach = CHANNEL_HIT_PX / self._scale()
        best: tuple[float, str] | None = None
        for run in body_map.channels or ():
            if run.meridian in self._channels:
                distance, _along = run.nearest(scene_pos.x(), scene_pos.y())
                if distance <= reach and (best is None or distance < best[0]):
                    best = (distance, run.meridian)
        return best[1] if best else None

    def is_hidden_by_filter(self, code: str) -> bool:
        return self._shown_codes is not None and code not in self._shown_codes

    def _drawn(self, marker: HotspotItem) -> bool:
        """Whether the filter draws this marker (the guide may still hide it while it plays)."""
        code = marker.hotspot.code
        return self._shown_codes is None or code in self._shown_codes or code == self._selected

    def _add_side_labels(self, built: _ViewScene) -> None:
        """ "L" and "R" over the sides of the figure, placed from the hotspots themselves: a hotspot's
        side is always the person's own (SIDE_CONVENTION), whichever way the figure faces."""
        body_map = built.body_map
        for side, text in (("L", "L"), ("R", "R")):
            xs = [h.x for h in body_map.hotspots if h.side == side]
            if not xs:
                continue
            label = QGraphicsSimpleTextItem(text)
            font = label.font()
            font.setPixelSize(max(12, int(body_map.height * 0.035)))
            font.setBold(True)
            label.setFont(font)
            label.setBrush(QColor(self._colors.muted))
            label.setToolTip(f"The person's own {'left' if side == 'L' else 'right'} side. {SIDE_CONVENTION}")
            # Over the figure's outer edge on that side (which edge: where that side's hotspots are).
            others = [h.x for h in body_map.hotspots if h.side not in (side, None)]
            on_right = not others or sum(xs) / len(xs) > sum(others) / len(others)
            width = label.boundingRect().width()
            x = body_map.width * 0.92 - width if on_right else body_map.width * 0.08
            label.setPos(x, body_map.height - label.boundingRect().height())  # the top right is the zoom bar's
            label.setZValue(2)
            built.scene.addItem(label)
            built.side_labels.append(label)

    def set_region_outline(self, region_id: str | None) -> None:
        """Outline the clicked region on this view (None: no outline)."""
        built = self._scenes.get(self._view_id)
        for scene in self._scenes.values():
            if scene.outline is not None:
                scene.scene.removeItem(scene.outline)
                scene.outline = None
        if built is None or region_id is None:
            return
        path = QPainterPath()
        for region in built.body_map.regions:
            if region.region_id == region_id and region.polygon:
                path.addPolygon(QPolygonF([QPointF(x, y) for x, y in region.polygon]))
                path.closeSubpath()
        if path.isEmpty():
            return
        # A tint, not a stroke: some regions are one polygon joined by a seam (both hands), which a
        # stroke would draw across the body.
        fill = QColor(self._colors.accent)
        fill.setAlphaF(0.25)
        outline = QGraphicsPathItem(path)
        outline.setPen(Qt.PenStyle.NoPen)
        outline.setBrush(fill)
        outline.setZValue(0.5)  # over the figure, under the markers
        outline.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        built.scene.addItem(outline)
        built.outline = outline

    @property
    def region_outline(self) -> QGraphicsPathItem | None:
        built = self._scenes.get(self._view_id)
        return built.outline if built else None

    def _title(self, hotspot: Hotspot) -> str:
        title = self._titles.get(hotspot.code, hotspot.code)
        title = f"{title} ({hotspot.side_label} side)" if hotspot.side else title
        why = self._flag_reasons.get(hotspot.code)
        return f"{title}\n{FLAG_MARK} Flagged by your safety profile: {why}" if why else title

    def set_titles(
        self,
        titles: dict[str, str],
        places: dict[str, str] | None = None,
        regions: dict[tuple[str, str], str] | None = None,
    ) -> None:
        """Point names for tooltips and accessible names, once the catalog has loaded.

        ``places`` says where a point is ("hand"), ``regions`` names each (view, region); None keeps
        what was given before (a refresh of the tooltips keeps the spoken names whole).
        """
        self._titles = titles
        if places is not None:
            self._places = dict(places)
        if regions is not None:
            self._region_titles = dict(regions)
        for built in self._scenes.values():
            for marker in built.markers:
                marker.title = self._title(marker.hotspot)
                marker.setToolTip(marker.title)

    def has_view(self, view_id: str) -> bool:
        return view_id in self._scenes

    # -- accessibility ------------------------------------------------------------------------

    def spoken_name(self, marker: HotspotItem) -> str:
        """What a screen reader says for a marker: "LI4 Hégǔ, Union Valley, left hand"."""
        hotspot = marker.hotspot
        title = self._titles.get(hotspot.code, hotspot.code).replace(" · ", ", ")
        place = self._places.get(hotspot.code, "").replace("-", " ")
        where = " ".join(w for w in (hotspot.side_label, place or ("side" if hotspot.side else "")) if w)
        return f"{title}, {where}" if where else title

    def region_title(self, view_id: str, region_id: str) -> str:
        return self._region_titles.get((view_id, region_id), region_id.replace("-", " "))

    def region_rect(self, view_id: str, region_id: str) -> QRectF:
        built = self._scenes.get(view_id)
        shape = next((r for r in built.body_map.regions if r.region_id == region_id), None) if built else None
        if shape is None or not shape.polygon:
            return QRectF()
        xs, ys = [p[0] for p in shape.polygon], [p[1] for p in shape.polygon]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def accessible_for(self, marker: HotspotItem) -> HotspotAccessible:
        """The marker's accessible child: one per marker, kept, so assistive technology sees one object."""
        iface = self._accessibles.get(id(marker))
        if iface is None or iface.marker is not marker:
            iface = HotspotAccessible(self, marker)
            self._accessibles[id(marker)] = iface
        return iface

    def accessible_hotspots(self) -> list[HotspotAccessible]:
        """The shown view's hotspots in reading order (top to bottom, then left to right)."""
        markers = self.markers
        return [self.accessible_for(markers[i]) for i in self._reading_order()]  # the drawn ones

    def accessible_regions(self) -> list[RegionAccessible]:
        body_map = self.body_map()
        if body_map is None:
            return []
        found = []
        for region in body_map.regions:
            key = (self._view_id, region.region_id)
            if key not in self._region_accessibles:
                self._region_accessibles[key] = RegionAccessible(self, *key)
            found.append(self._region_accessibles[key])
        return found

    def press_marker(self, marker: HotspotItem) -> None:
        """Open a marker's point, as a click or Return does."""
        if marker in self.markers:
            self._focus_index = self.markers.index(marker)
            self.pointActivated.emit(marker.hotspot.code)

    # -- state --------------------------------------------------------------------------------

    @property
    def view_id(self) -> str:
        return self._view_id

    @property
    def markers(self) -> list[HotspotItem]:
        built = self._scenes.get(self._view_id)
        return built.markers if built else []

    def body_map(self) -> BodyMap | None:
        built = self._scenes.get(self._view_id)
        return built.body_map if built else None

    def show_view(self, view_id: str) -> None:
        built = self._scenes[view_id]
        self._view_id = view_id
        self._focus_index = -1
        self._focus_region = None
        self.setScene(built.scene)
        self.setBackgroundBrush(QBrush(QColor(self._colors.canvas)))
        self._zoom = 1.0
        self._fit()
        self._restyle_all()
        self._apply_frame()
        self._sync_labels()
        self._sync_channels()
        accessibility.notify_reorder(self)

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        # The floating bar sits over the figure (skin in both themes): its own backdrop keeps the
        # button texts on the window's colours, where their contrast is measured.
        self.zoom_bar.setObjectName("map-bar")
        self.zoom_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.zoom_bar.setStyleSheet(
            f"#map-bar {{ background: {colors.window}; border: 1px solid {colors.border}; border-radius: 7px; }}"
        )
        for built in self._scenes.values():
            for marker in built.markers:
                marker.colors = colors
            if built.overlay is not None:
                built.overlay.set_colors(colors)
            for label in built.side_labels:
                label.setBrush(QColor(colors.muted))
        self.setBackgroundBrush(QBrush(QColor(colors.canvas)))
        self._restyle_all()
        self._sync_labels()

    # -- measuring guide ------------------------------------------------------------------------

    @property
    def guide_overlay(self) -> GuideOverlay | None:
        built = self._scenes.get(self._view_id)
        return built.overlay if built else None

    def set_guide(self, guide: ResolvedGuide | None, index: int = 0, progress: float = 1.0) -> None:
        """Draw one step of a guide on its view (None hides every guide)."""
        for view_id, built in self._scenes.items():
            if built.overlay is not None and (guide is None or view_id != guide.view):
                built.overlay.set_step(None, 0)
        if guide is None:
            if self._framed is not None:
                self._framed = None
                self.zoom_reset()
            if self._guided is not None:
                self._guided = None
                self._restyle_all()
        if guide is None or guide.view not in self._scenes:
            return
        built = self._scenes[guide.view]
        if built.overlay is None:
            from acupressure_desktop.ui.guide_overlay import GuideOverlay

            built.overlay = GuideOverlay(built.scene.sceneRect(), self._colors)
            built.scene.addItem(built.overlay)
        before = built.overlay.guide
        was = (before, built.overlay.index)
        built.overlay.set_step(guide, index, progress, pixel=1.0 / self._scale())
        step = guide.steps[index]
        reached = step.end is not None and step.end == guide.end and progress >= 1.0
        guided = (guide.point, reached or index == len(guide.steps) - 1)
        if guided != self._guided:
            self._guided = guided
            self._restyle_all()
        if guide.view != self._view_id:
            return
        # The first step shows the whole figure with its landmark lit (where on the body); the first
        # step that measures zooms in on the guide, and later steps keep the current step in sight.
        new_guide = before is None or (before.point, before.side) != (guide.point, guide.side)
        if new_guide:
            self._framed = None
        measuring = any(s.kind in ("measure", "divide") for s in guide.steps[: index + 1])
        if measuring and (self._framed is None or new_guide) and self._zoom <= 1.0:
            self.frame_guide(guide)
        elif was != (guide, index) and self._zoom > 1.0:
            self._keep_in_sight(guide, index)
        built.overlay.set_pixel(1.0 / self._scale())  # after any zoom: labels keep their room

    def frame_guide(self, guide: ResolvedGuide) -> None:
        """Zoom in (never out) so the whole guide fills the map: a 3 B-cun line is big enough to read.

        The framing is kept through resizes until the person zooms or the guide stops.
        """
        self._framed = guide
        self._apply_frame()

    def _apply_frame(self) -> None:
        guide = self._framed
        if guide is None or guide.view != self._view_id:
            return
        # The measured segments and the point frame the zoom; landmarks only when nothing is measured.
        places = [p for step in guide.steps for p in (step.start, step.end) if p is not None]
        places += [p for step in guide.steps if step.between for p in step.between]
        if len(places) < 2:
            places += [(lm.x, lm.y) for step in guide.steps for lm in step.landmarks]
        xs, ys = [p[0] for p in places], [p[1] for p in places]
        centre = QPointF((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        width = max(max(xs) - min(xs), GUIDE_FRAME_MIN) * 1.7
        height = max(max(ys) - min(ys), GUIDE_FRAME_MIN) * 1.7
        fit_scale = self._scale() / self._zoom
        viewport = self.viewport().rect()
        room = max(viewport.width() - GUIDE_LABEL_ROOM_PX, viewport.width() / 2)
        wanted = min(room / width, viewport.height() / height) / max(fit_scale, 1e-6)
        zoom = min(GUIDE_MAX_ZOOM, max(MIN_ZOOM, wanted))
        if not math.isclose(zoom, self._zoom):
            self.scale(zoom / self._zoom, zoom / self._zoom)
            self._zoom = zoom
            self._restyle_all()
            self.zoomChanged.emit(zoom)
        self.centerOn(centre)
        overlay = self.guide_overlay
        if overlay is not None and overlay.guide is guide:
            self._keep_in_sight(guide, overlay.index)

    def _keep_in_sight(self, guide: ResolvedGuide, index: int) -> None:
        step = guide.steps[index]
        places = [p for p in (step.start, step.end) if p is not None] + [(lm.x, lm.y) for lm in step.landmarks]
        if places:
            xs, ys = [p[0] for p in places], [p[1] for p in places]
            self.ensureVisible(QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), 40, 40)

    def set_selected(self, code: str | None) -> None:
        self._selected = code
        self._restyle_all()
        self._sync_labels()

    def set_current(self, code: str | None, side: str | None = None) -> None:
        """Mark the current routine step; side 'L'/'R' narrows it to one side."""
        self._current = (code, side) if code else None
        self._restyle_all()

    def set_matches(self, codes: set[str] | None) -> None:
        """Codes that match the search or filter; None clears the filter."""
        if codes == self._matches:
            return  # a keystroke that matches the same points restyles nothing
        self._matches = codes
        self._restyle_all()

    def set_flagged(self, codes: set[str], reasons: dict[str, str] | None = None) -> None:
        """Ring these points; ``reasons`` (code -> why) goes into their tooltips on every view."""
        self._flagged = codes
        if reasons is not None:
            self._flag_reasons = reasons
            self.set_titles(self._titles)
        self._restyle_all()

    def _restyle_all(self) -> None:
        scale = self._scale()
        listening = QAccessible.isActive()
        for index, marker in enumerate(self.markers):
            code = marker.hotspot.code
            state = marker.state
            was = (state.selected, state.current)
            state.selected = code == self._selected
            state.current = bool(
                self._current
                and self._current[0] == code
                and (self._current[1] is None or self._current[1] == marker.hotspot.side)
            )
            state.matched = self._matches is not None and code in self._matches
            state.dimmed = self._matches is not None and code not in self._matches
            drawn = self._drawn(marker)
            if self._guided is not None:  # a guide plays: its point appears when the guide reaches it
                drawn = drawn and (code != self._guided[0] or self._guided[1])
            if marker.isVisible() != drawn:
                marker.setVisible(drawn)
            state.focused = index == self._focus_index and self.hasFocus()
            state.flagged = code in self._flagged
            if drawn:  # a hidden marker takes its look when it is drawn again (which comes through here)
                marker.relayout(scale)
            if listening and was != (state.selected, state.current):
                changed = {"selected": was[0] != state.selected, "active": was[1] != state.current}
                accessibility.notify_state(self.accessible_for(marker), **{k: v for k, v in changed.items() if v})
        overlay = self.guide_overlay
        if overlay is not None and overlay.guide is not None:
            overlay.set_pixel(1.0 / scale)
        built = self._scenes.get(self._view_id)
        if built is not None and built.labels:
            self._place_labels(built)

    # -- geometry -----------------------------------------------------------------------------

    def _scale(self) -> float:
        return max(self.transform().m11(), 1e-6)

    def _fit(self) -> None:
        built = self._scenes.get(self._view_id)
        if not built:
            return
        self.resetTransform()
        self.fitInView(built.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        if self._zoom != 1.0:
            self.scale(self._zoom, self._zoom)
        self._restyle_all()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.zoom_bar.move(self.viewport().width() - self.zoom_bar.width() - 8, 8)
        self._fit()
        self._apply_frame()

    @Slot()
    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * 1.25)

    @Slot()
    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / 1.25)

    @Slot()
    def zoom_reset(self) -> None:
        self.set_zoom(1.0)

    def set_zoom(self, zoom: float) -> None:
        """The person's zoom (buttons, keys, wheel, pinch): it ends any framing of a guide."""
        self._framed = None
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        if math.isclose(zoom, self._zoom):
            return
        factor = zoom / self._zoom
        self._zoom = zoom
        self.scale(factor, factor)
        self._restyle_all()
        self.zoomChanged.emit(zoom)

    @property
    def zoom(self) -> float:
        return self._zoom

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.set_zoom(self._zoom * (1.15**steps))
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            gesture = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if isinstance(gesture, QPinchGesture):
                self.set_zoom(self._zoom * gesture.scaleFactor())
                assert isinstance(event, QGestureEvent)
                event.accept(gesture)
                return True
        return super().viewportEvent(event)

    # -- mouse --------------------------------------------------------------------------------

    def marker_at(self, view_pos: QPointF) -> HotspotItem | None:
        scene_pos = self.mapToScene(view_pos.toPoint())
        for item in self.scene().items(scene_pos) if self.scene() else []:
            if (
                isinstance(item, HotspotItem)
                and item.isVisible()
                and item.shape().contains(item.mapFromScene(scene_pos))
            ):
                return item
        return None

    def region_at(self, view_pos: QPointF) -> str | None:
        built = self._scenes.get(self._view_id)
        if not built:
            return None
        scene_pos = self.mapToScene(view_pos.toPoint())
        for region in built.body_map.regions:
            if region.contains(scene_pos.x(), scene_pos.y()):
                return region.region_id
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = event.position() - self._press
            if self._dragging or delta.manhattanLength() > DRAG_THRESHOLD_PX:
                self._dragging = True
                self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
                self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
                self._press = event.position()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            was_drag = self._dragging
            self._press = None
            self._dragging = False
            if not was_drag:
                self._click(event.position())
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _click(self, pos: QPointF) -> None:
        marker = self.marker_at(pos)
        if marker is not None:
            self._focus_index = self.markers.index(marker)
            self.pointActivated.emit(marker.hotspot.code)
            return
        channel = self.channel_at(pos)
        if channel is not None:
            self.channelActivated.emit(channel)
            return
        region = self.region_at(pos)
        if region is not None:
            self.regionActivated.emit(self._view_id, region)

    # -- keyboard -----------------------------------------------------------------------------

    def _reading_order(self) -> list[int]:
        """The drawn markers (those the filter hides are skipped), top to bottom, then left to right."""
        markers = self.markers
        drawn = [i for i, m in enumerate(markers) if self._drawn(m)]
        return sorted(drawn, key=lambda i: (markers[i].hotspot.y, markers[i].hotspot.x))

    def focus_marker(self, index: int) -> None:
        markers = self.markers
        if not markers:
            return
        if self._focus_region is not None:  # back from a region to the points
            if self._region_tint_is_focus:
                self.set_region_outline(None)
            self._focus_region = None
        self._focus_index = index % len(markers)
        marker = markers[self._focus_index]
        self.ensureVisible(marker, 40, 40)
        self._restyle_all()
        self.setAccessibleDescription(marker.title)
        self.hotspotFocused.emit(marker.title)
        if self.hasFocus():
            accessibility.notify_focus(self, self.accessible_for(marker))

    @property
    def focused_region(self) -> str | None:
        return self._focus_region

    def focus_region(self, step: int) -> None:
        """R / Shift+R: the next / previous region of the view (issue 19: regions were mouse-only)."""
        ids = [r.region_id for r in self.accessible_regions()]
        if not ids:
            return
        here = ids.index(self._focus_region) if self._focus_region in ids else (-1 if step > 0 else 0)
        self.focus_region_id(ids[(here + step) % len(ids)])

    def focus_region_id(self, region_id: str) -> None:
        """Focus this region of the view (R / Shift+R, or a screen reader's SetFocus)."""
        region = next((r for r in self.accessible_regions() if r.region_id == region_id), None)
        if region is None:
            return
        self._focus_region = region.region_id
        self._focus_index = -1
        self._restyle_all()
        self.set_region_outline(region.region_id)  # the region's tint shows where focus is
        self._region_tint_is_focus = True
        self.hotspotFocused.emit(region.text(QAccessible.Text.Name))  # the status line; the focus event speaks it
        if self.hasFocus():
            accessibility.notify_focus(self, region)

    @property
    def focused_marker(self) -> HotspotItem | None:
        markers = self.markers
        return markers[self._focus_index] if 0 <= self._focus_index < len(markers) else None

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab and Shift+Tab leave the map (arrows move inside it): no focus trap.

        The zoom buttons are the map's children, so Qt asks the map when Tab is pressed on them;
        walking the hotspots here would trap focus between the markers and a button.
        """
        return super().focusNextPrevChild(forward)

    def _move_focus(self, dx: int, dy: int) -> None:
        """Arrow keys: the nearest hotspot in that direction."""
        markers = self.markers
        if not markers:
            return
        if self.focused_marker is None:
            self.focus_marker(self._reading_order()[0])
            return
        origin = self.focused_marker.hotspot
        best, best_cost = None, math.inf
        for index, marker in enumerate(markers):
            if not self._drawn(marker):
                continue
            ddx, ddy = marker.hotspot.x - origin.x, marker.hotspot.y - origin.y
            along = ddx * dx + ddy * dy
            if along <= 0:
                continue
            across = abs(ddx * dy) + abs(ddy * dx)
            cost = along + 2 * across
            if cost < best_cost:
                best, best_cost = index, cost
        if best is not None:
            self.focus_marker(best)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        arrows = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        order = self._reading_order()
        if key in arrows:
            self._move_focus(*arrows[Qt.Key(key)])
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and order:
            self.focus_marker(order[0 if key == Qt.Key.Key_Home else -1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.focused_marker:
            self.pointActivated.emit(self.focused_marker.hotspot.code)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._focus_region is not None:
            self._region_tint_is_focus = False  # now the opened region's: the page keeps it
            self.regionActivated.emit(self._view_id, self._focus_region)
        elif key == Qt.Key.Key_R and not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        ):
            self.focus_region(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        elif key == Qt.Key.Key_D and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.detailsRequested.emit()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.zoom_reset()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        tabbed = event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
        if tabbed and self.focused_marker is None and self.markers:
            selected = [i for i, m in enumerate(self.markers) if m.hotspot.code == self._selected]
            self.focus_marker(selected[0] if selected else self._reading_order()[0])
            return
        self._restyle_all()
        if self.focused_marker is not None:
            accessibility.notify_focus(self, self.accessible_for(self.focused_marker))
        elif self._focus_region is not None:
            region = next((r for r in self.accessible_regions() if r.region_id == self._focus_region), None)
            if region is not None:
                accessibility.notify_focus(self, region)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._restyle_all()


def _set_room(markers: list[HotspotItem]) -> None:
    """Each marker's room: the largest radius that cannot touch a neighbour, whatever the neighbour
    draws (each pair shares its distance in proportion to the two data radii, which the loader
    already keeps apart), so the minimum on-screen size never makes two markers overlap.

    Room is capped at ROOM_CAP scene units, so neighbours farther than a few caps need no look.
    """
    spots = sorted(markers, key=lambda m: m.hotspot.x)
    for marker in markers:
        marker.room = ROOM_CAP
    radii = [m.hotspot.r for m in markers if m.hotspot.r > 0]
    low = min(radii) / (min(radii) + max(radii)) if radii else 1.0  # the smallest share any pair gives
    for i, a in enumerate(spots):
        ha = a.hotspot
        for b in spots[i + 1 :]:
            hb = b.hotspot
            total = ha.r + hb.r
            if total <= 0:
                continue
            if (hb.x - ha.x) * low > ROOM_CAP:
                break  # this and every later neighbour leave both rooms at the cap
            distance = math.dist((ha.x, ha.y), (hb.x, hb.y))
            a.room = min(a.room, distance * ha.r / total)
            b.room = min(b.room, distance * hb.r / total)


def channel_path(run: ChannelPath) -> QPainterPath:
    """A run's segments (lines and cubic curves, as the SVG has them) as a painter path."""
    path = QPainterPath()
    here: tuple[float, float] | None = None
    for segment in run.segments:
        if segment[0] != here:
            path.moveTo(*segment[0])
        if len(segment) == 2:
            path.lineTo(*segment[1])
        else:
            path.cubicTo(QPointF(*segment[1]), QPointF(*segment[2]), QPointF(*segment[3]))
        here = segment[-1]
    return path
