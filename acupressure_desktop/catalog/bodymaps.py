"""Read hotspots and regions out of the body-map SVGs, without Qt.

Hotspots are ``<circle id="pt-CODE[-L|-R][-N]">`` in a ``<g id="hotspots">`` layer and
regions ``<polygon id="region-ID">`` in ``<g id="regions">``; neither layer may carry a
transform (checked here), so their coordinates are plain viewBox units and the UI can
place markers without asking the SVG renderer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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


@dataclass(frozen=True)
class BodyMap:
    width: float
    height: float
    hotspots: tuple[Hotspot, ...]
    regions: tuple[RegionShape, ...]


# A point code (as domain.models.CODE_PATTERN, kept here so parsing needs no pydantic),
# then the person's side and, for a point with two spots per side, their number.
_HOTSPOT_ID = re.compile(r"pt-([A-Z]{2}\d{1,2}|EX-[A-Z]{1,2}\d{1,2}|[A-Z][a-z]{2,})(?:-([LR]))?(?:-[1-9])?")


def split_hotspot_id(element_id: str, known_codes: set[str] | None) -> tuple[str, str | None] | None:
    """``pt-EX-UE7-L-2`` -> (``EX-UE7``, ``L``); None when malformed or (given known codes) unknown."""
    match = _HOTSPOT_ID.fullmatch(element_id)
    if match is None or (known_codes is not None and match.group(1) not in known_codes):
        return None
    return match.group(1), match.group(2)


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

    ids = [h.element_id for h in hotspots]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BodyMapError(f"{duplicates[0]}: duplicate hotspot id", duplicates[0])
    return BodyMap(width=width, height=height, hotspots=tuple(hotspots), regions=tuple(regions))
