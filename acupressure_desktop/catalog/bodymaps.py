"""Read hotspots and regions out of the body-map SVGs, without Qt.

Hotspots are ``<circle id="pt-CODE[-L|-R][-N]">`` in a ``<g id="hotspots">`` layer, regions
``<polygon id="region-ID">`` in ``<g id="regions">`` and channel paths ``<path id="ch-XX[-L|-R][-N]">``
in ``<g id="channels">``; no layer may carry a transform (checked here), so their coordinates
are plain viewBox units and the UI can place markers and draw channels without asking the
SVG renderer.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from acupressure_desktop.fileio import FileProblem, read_bounded

SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_SVG_BYTES = 10_000_000  # the largest body map is about 100 KiB


class BodyMapError(Exception):
    """A body map cannot be used; ``str()`` names the problem, ``element`` the id if any."""

    def __init__(self, message: str, element: str = "") -> None:
        super().__init__(message)
        self.element = element


@dataclass(frozen=True)
class Hotspot:
    element_id: str
    code: str
    side: str | None  # "L", "R" or None for midline points
    x: float
    y: float
    r: float

    @property
    def side_label(self) -> str:
        return {"L": "left", "R": "right"}.get(self.side or "", "")


@dataclass(frozen=True)
class RegionShape:
    region_id: str
    polygon: tuple[tuple[float, float], ...]

    def contains(self, x: float, y: float) -> bool:
        """Even-odd ray casting: region hit tests need no Qt."""
        inside = False
        pts = self.polygon
        j = len(pts) - 1
        for i in range(len(pts)):
            xi, yi = pts[i]
            xj, yj = pts[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
        return inside


Vec = tuple[float, float]
# Gentle and reference hotspots are drawn at this radius, self-care ones larger (9, or 7 on the
# crowded whole-body views): the loader holds the data to it, so the size alone tells the tiers apart
# before the catalog is loaded (the first paint's preview draws the self-care markers only).
MINOR_HOTSPOT_R = 6.0
CURVE_PIECES = 8  # straight pieces per cubic curve when measuring distance along a channel


@dataclass(frozen=True)
class ChannelPath:
    """One run of a channel across a view, on one side of the body (None on the midline).

    ``segments`` are lines (two points) and cubic curves (four points), each starting where
    the previous one ended or at a new move; only absolute M, L and C commands are read, so
    the path needs no SVG library and the check can measure it.
    """

    element_id: str
    meridian: str
    side: str | None
    segments: tuple[tuple[Vec, ...], ...]

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the pieces worked out from the segments (a cache stays small and quick)."""
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def polyline(self) -> list[list[Vec]]:
        """The path as straight pieces, one list per stretch drawn without lifting the pen."""
        return [list(line) for line in self._lines]

    @functools.cached_property
    def _lines(self) -> tuple[tuple[Vec, ...], ...]:
        lines: list[list[Vec]] = []
        for segment in self.segments:
            if not lines or lines[-1][-1] != segment[0]:
                lines.append([segment[0]])
            if len(segment) == 2:
                lines[-1].append(segment[1])
                continue
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = segment
            for i in range(1, CURVE_PIECES + 1):
                t = i / CURVE_PIECES
                u = 1 - t
                lines[-1].append(
                    (
                        u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                        u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                    )
                )
        return tuple(tuple(line) for line in lines)

    @functools.cached_property
    def _pieces(self) -> tuple[tuple[float, float, float, float, float, float], ...]:
        """Every straight piece as (ax, ay, dx, dy, length, distance along the path at its start)."""
        pieces = []
        along = 0.0
        for line in self._lines:
            for (ax, ay), (bx, by) in itertools.pairwise(line):
                dx, dy = bx - ax, by - ay
                length = math.hypot(dx, dy)
                pieces.append((ax, ay, dx, dy, length, along))
                along += length
        return tuple(pieces)

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        """Distance from (x, y) to the path, and how far along the path (in units) that nearest place lies."""
        best, best_along = float("inf"), 0.0
        for ax, ay, dx, dy, length, along in self._pieces:
            # A piece whose start is farther than the best distance plus its own length cannot be nearer.
            if abs(ax - x) - length > best or abs(ay - y) - length > best:
                continue
            length_sq = length * length
            t = 0.0 if length_sq == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length_sq))
            distance = math.hypot(ax + t * dx - x, ay + t * dy - y)
            if distance < best:
                best, best_along = distance, along + t * length
        return best, best_along


@dataclass(frozen=True)
class BodyMap:
    width: float
    height: float
    hotspots: tuple[Hotspot, ...]
    regions: tuple[RegionShape, ...]
    channels: tuple[ChannelPath, ...] | None = None  # None: the SVG has no channels layer yet


# A point code (as domain.models.CODE_PATTERN, kept here so parsing needs no pydantic),
# then the person's side and, for a point with two spots per side, their number.
_HOTSPOT_ID = re.compile(r"pt-([A-Z]{2}\d{1,2}|EX-[A-Z]{1,2}\d{1,2}|[A-Z][a-z]{2,})(?:-([LR]))?(?:-[1-9]\d?)?")


def split_hotspot_id(element_id: str, known_codes: set[str] | None) -> tuple[str, str | None] | None:
    """``pt-EX-UE7-L-2`` -> (``EX-UE7``, ``L``); None when malformed or (given known codes) unknown."""
    match = _HOTSPOT_ID.fullmatch(element_id)
    if match is None or (known_codes is not None and match.group(1) not in known_codes):
        return None
    return match.group(1), match.group(2)


_CHANNEL_ID = re.compile(r"ch-(LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)(?:-([LR]))?(?:-[1-9])?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_path_data(d: str, element: str) -> tuple[tuple[Vec, ...], ...]:
    """Absolute ``M``, ``L`` and ``C`` commands (coordinates repeat a command, as in SVG) as segments."""
    tokens = _PATH_TOKEN.findall(d)
    segments: list[tuple[Vec, ...]] = []
    command, here = "", None
    numbers: list[float] = []
    arity = {"M": 2, "L": 2, "C": 6}

    def flush() -> None:
        nonlocal here, command
        if not command:
            return
        if not numbers or len(numbers) % arity[command]:
            raise BodyMapError(f"{element}: {command} needs coordinates in groups of {arity[command]}", element)
        for i in range(0, len(numbers), arity[command]):
            group = numbers[i : i + arity[command]]
            pairs = [(group[j], group[j + 1]) for j in range(0, len(group), 2)]
            if command == "M" and i == 0:
                here = pairs[0]
                continue
            if here is None:
                raise BodyMapError(f"{element}: path data must start with M", element)
            segments.append((here, *pairs))
            here = pairs[-1]
        if command == "M":
            command = "L"  # later pairs of a move draw lines, as SVG has it

    for token in tokens:
        if token.isalpha():
            flush()
            if token not in arity:
                raise BodyMapError(f"{element}: only absolute M, L and C commands are read, not {token!r}", element)
            command, numbers = token, []
        else:
            if not command:
                raise BodyMapError(f"{element}: path data must start with M", element)
            numbers.append(float(token))
    flush()
    if not segments:
        raise BodyMapError(f"{element}: the path draws nothing", element)
    return tuple(segments)


def _floats(text: str | None, what: str, element: str) -> float:
    try:
        return float(text or "")
    except ValueError:
        raise BodyMapError(f"{element}: {what} is not a number: {text!r}", element) from None


def _layer_elements(layer: ET.Element, name: str) -> Iterator[ET.Element]:
    """Every element inside ``layer``; none of them, nor the layer, may carry a transform."""
    for el in layer.iter():
        if "transform" in el.attrib:
            raise BodyMapError(f"transforms are not allowed in the {name} layer", el.get("id", f"{name}s"))
        if el is not layer:
            yield el


def parse_bodymap(path: Path, known_codes: set[str] | None) -> BodyMap:
    """Parse one SVG; raise BodyMapError with the problem (and the element id), FileNotFoundError if missing.

    ``known_codes`` None accepts any well-formed code: the start-up preview, before the catalog loads.
    """
    try:
        raw = read_bounded(path, MAX_SVG_BYTES)  # FileNotFoundError passes: the caller names who wants it
    except FileProblem as exc:
        raise BodyMapError(exc.problem) from None
    try:
        root = ET.fromstring(raw)
    except (ET.ParseError, RecursionError) as exc:
        raise BodyMapError(f"not a readable SVG: {exc or 'nested too deeply'}") from None
    if root.tag != f"{SVG_NS}svg":
        raise BodyMapError("root element is not <svg> in the SVG namespace")
    try:
        _, _, width, height = (float(v) for v in root.attrib["viewBox"].replace(",", " ").split())
    except (KeyError, ValueError):
        raise BodyMapError("missing or malformed viewBox") from None

    layers = {el.get("id"): el for el in root if el.tag == f"{SVG_NS}g"}
    hotspot_layer = layers.get("hotspots")
    if hotspot_layer is None:
        raise BodyMapError('no top-level <g id="hotspots"> layer', "hotspots")
    hotspots: list[Hotspot] = []
    for el in _layer_elements(hotspot_layer, "hotspot"):
        element_id = el.get("id", "")
        if el.tag != f"{SVG_NS}circle":
            raise BodyMapError(f"{element_id or el.tag}: hotspots must be <circle> elements", element_id)
        parsed = split_hotspot_id(element_id, known_codes)
        if parsed is None:
            raise BodyMapError(f"{element_id}: hotspot names no known point", element_id)
        code, side = parsed
        hotspots.append(
            Hotspot(
                element_id=element_id,
                code=code,
                side=side,
                x=_floats(el.get("cx"), "cx", element_id),
                y=_floats(el.get("cy"), "cy", element_id),
                r=_floats(el.get("r"), "r", element_id),
            )
        )

    regions: list[RegionShape] = []
    region_layer = layers.get("regions")
    if region_layer is not None:
        for el in _layer_elements(region_layer, "region"):
            element_id = el.get("id", "")
            if el.tag != f"{SVG_NS}polygon" or not element_id.startswith("region-"):
                raise BodyMapError(f"{element_id or el.tag}: regions must be <polygon id='region-…'>", element_id)
            numbers = el.get("points", "").replace(",", " ").split()
            try:
                coords = [float(n) for n in numbers]
            except ValueError:
                raise BodyMapError(f"{element_id}: malformed points", element_id) from None
            if len(coords) < 6 or len(coords) % 2:
                raise BodyMapError(f"{element_id}: a region needs at least three x,y pairs", element_id)
            pairs = tuple(zip(coords[::2], coords[1::2], strict=True))
            regions.append(RegionShape(region_id=element_id.removeprefix("region-"), polygon=pairs))

    channels: list[ChannelPath] | None = None
    channel_layer = layers.get("channels")
    if channel_layer is not None:
        channels = []
        for el in _layer_elements(channel_layer, "channel"):
            element_id = el.get("id", "")
            match = _CHANNEL_ID.fullmatch(element_id)
            if el.tag != f"{SVG_NS}path" or match is None:
                raise BodyMapError(f"{element_id or el.tag}: channels must be <path id='ch-XX[-L|-R]'>", element_id)
            segments = parse_path_data(el.get("d", ""), element_id)
            channels.append(ChannelPath(element_id, match.group(1), match.group(2), segments))

    ids = Counter([h.element_id for h in hotspots] + [c.element_id for c in channels or ()])
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise BodyMapError(f"{duplicates[0]}: duplicate id", duplicates[0])
    return BodyMap(
        width=width,
        height=height,
        hotspots=tuple(hotspots),
        regions=tuple(regions),
        channels=None if channels is None else tuple(channels),
    )
