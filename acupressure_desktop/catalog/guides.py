"""Measuring guides resolved on their view, and the check that measures them. Qt-free.

A guide (``data/guides.json``) is written for one side of the body; on a view drawn
symmetrically (``View.mirror_x``) it is reflected for the other side. Resolving turns landmark
ids into coordinates, fills each measuring step's start from the previous step's end and
works out the view's SVG units per B-cun from the step's scale, so the map, the export and
the check all use the same numbers.

The check measures every segment against its scale: the drawn length must match the stated
B-cun within 15 % (or 0.3 B-cun for short segments), a dividing step must land where its
fraction puts it, and the guide must end on the point's hotspot. That is what catches a
misplaced dot.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from acupressure_desktop.catalog.bodymaps import BodyMap, Hotspot
from acupressure_desktop.domain.models import FINGER_CUN, Finger, Guide, GuideStep, Place, View

RELATIVE_TOLERANCE = 0.15
SHORT_TOLERANCE_CUN = 0.3

XY = tuple[float, float]


class GuideError(ValueError):
    """A guide names something its view does not have (``str()`` says what)."""


@dataclass(frozen=True)
class LitLandmark:
    id: str
    title: str
    x: float
    y: float


@dataclass(frozen=True)
class ResolvedStep:
    """One step with every place as coordinates on its view (for one side)."""

    index: int
    text: str
    kind: str  # "measure", "divide", "mark" or "read"
    landmarks: tuple[LitLandmark, ...]
    start: XY | None  # measuring and dividing steps
    end: XY | None  # where the step leaves the finger (None for reading steps)
    cun: float | None
    scale: str | None
    unit: float | None  # SVG units per B-cun of the step's scale
    fingers: tuple[Finger, ...]
    between: tuple[XY, XY] | None
    fraction: float | None

    @property
    def measured_cun(self) -> float | None:
        if self.start is None or self.end is None or not self.unit:
            return None
        return math.dist(self.start, self.end) / self.unit

    @property
    def finger_label(self) -> str:
        return finger_label(self.fingers)


FINGER_WORDS: dict[Finger, str] = {
    Finger.HALF_THUMB: "half a thumb",
    Finger.THUMB: "1 thumb",
    Finger.TWO_FINGERS: "2 fingers",
    Finger.THREE_FINGERS: "3 fingers",
    Finger.FOUR_FINGERS: "4 fingers",
}


PLURAL_WORDS: dict[Finger, str] = {Finger.THUMB: "thumbs", Finger.HALF_THUMB: "half thumbs"}


def finger_label(fingers: tuple[Finger, ...] | list[Finger]) -> str:
    """Such as "4 fingers + 1 thumb", "2 thumbs", "2 × 4 fingers"; empty when too long for fingers."""
    parts: list[str] = []
    for finger in dict.fromkeys(fingers):
        count = sum(1 for f in fingers if f is finger)
        if count == 1:
            parts.append(FINGER_WORDS[finger])
        elif finger in PLURAL_WORDS:
            parts.append(f"{count} {PLURAL_WORDS[finger]}")
        else:
            parts.append(f"{count} × {FINGER_WORDS[finger]}")
    return " + ".join(parts)


def fingers_cun(fingers: tuple[Finger, ...] | list[Finger]) -> float:
    return sum(FINGER_CUN[f] for f in fingers)


@dataclass(frozen=True)
class ResolvedGuide:
    point: str
    view: str
    side: str | None  # "L", "R" or None: the hotspot side this copy ends on
    steps: tuple[ResolvedStep, ...]

    @property
    def end(self) -> XY:
        last = self.steps[-1].end
        assert last is not None  # guaranteed by the Guide model
        return last


def _landmarks(view: View) -> dict[str, XY]:
    return {lm.id: (lm.x, lm.y) for lm in view.landmarks}


def scale_units(view: View) -> dict[str, float]:
    """SVG units per B-cun for every scale of the view whose landmarks exist."""
    places = _landmarks(view)
    units: dict[str, float] = {}
    for scale in view.scales:
        if scale.from_ in places and scale.to in places:
            units[scale.id] = math.dist(places[scale.from_], places[scale.to]) / scale.cun
    return units


def _reflect(xy: XY, mirror_x: float | None) -> XY:
    return xy if mirror_x is None else (2 * mirror_x - xy[0], xy[1])


def resolve_guide(guide: Guide, view: View, *, mirrored: bool = False, side: str | None = None) -> ResolvedGuide:
    """Coordinates for every step; ``mirrored`` reflects the guide about the view's ``mirror_x``."""
    places = _landmarks(view)
    titles = {lm.id: lm.title for lm in view.landmarks}
    units = scale_units(view)
    axis = view.mirror_x if mirrored else None
    if mirrored and view.mirror_x is None:
        raise GuideError(f"view {view.id!r} is not drawn mirrored")

    def place(value: Place, where: str) -> XY:
        if isinstance(value, str):
            if value not in places:
                raise GuideError(f"{where}: unknown landmark {value!r}")
            return _reflect(places[value], axis)
        return _reflect((float(value[0]), float(value[1])), axis)

    steps: list[ResolvedStep] = []
    previous: XY | None = None
    for index, step in enumerate(guide.steps):
        where = f"steps.{index}"
        lit = []
        for lm in step.landmarks:
            x, y = place(lm, f"{where}.landmarks")
            lit.append(LitLandmark(lm, titles[lm], x, y))
        start: XY | None = None
        end = place(step.to, f"{where}.to") if step.to is not None else None
        unit: float | None = None
        if step.scale is not None:
            if step.scale not in units:
                raise GuideError(f"{where}.scale: unknown scale {step.scale!r}")
            unit = units[step.scale]
        between = None
        if step.kind == "measure":
            if step.from_ is not None:
                start = place(step.from_, f"{where}.from")
            elif previous is not None:
                start = previous
            else:
                raise GuideError(f"{where}.from: the first measuring step needs 'from'")
            if isinstance(step.from_, str) and step.from_ not in step.landmarks:
                lit.insert(0, LitLandmark(step.from_, titles[step.from_], *start))
        elif step.kind == "divide":
            assert step.between is not None
            between = (place(step.between[0], f"{where}.between"), place(step.between[1], f"{where}.between"))
            start = between[0]
            for value, xy in zip(step.between, between, strict=True):
                if isinstance(value, str) and value not in step.landmarks:
                    lit.append(LitLandmark(value, titles[value], *xy))
        steps.append(
            ResolvedStep(
                index=index,
                text=step.text,
                kind=step.kind,
                landmarks=tuple(lit),
                start=start,
                end=end,
                cun=step.cun,
                scale=step.scale,
                unit=unit,
                fingers=tuple(step.fingers),
                between=between,
                fraction=step.fraction,
            )
        )
        if end is not None:
            previous = end
    return ResolvedGuide(point=guide.point, view=guide.view, side=side, steps=tuple(steps))


def _nearest(hotspots: list[Hotspot], xy: XY) -> Hotspot | None:
    return min(hotspots, key=lambda h: math.dist((h.x, h.y), xy), default=None)


def copies(guide: Guide, view: View, body_map: BodyMap) -> Iterator[tuple[ResolvedGuide, Hotspot | None]]:
    """The guide as written and, on a mirrored view, reflected: each with the hotspot it should reach.

    The written copy belongs to the hotspot nearest its end; the reflected copy to the nearest
    hotspot of the other side.
    """
    spots = [h for h in body_map.hotspots if h.code == guide.point]
    written = resolve_guide(guide, view)
    target = _nearest(spots, written.end)
    yield ResolvedGuide(written.point, written.view, target.side if target else None, written.steps), target
    if view.mirror_x is not None and target is not None and target.side is not None:
        other = "R" if target.side == "L" else "L"
        reflected = resolve_guide(guide, view, mirrored=True, side=other)
        yield reflected, _nearest([h for h in spots if h.side == other], reflected.end)


def guide_for(guide: Guide, view: View, body_map: BodyMap, side: str | None) -> ResolvedGuide:
    """The copy of the guide that ends on ``side``'s hotspot (the written one when no copy does)."""
    found = list(copies(guide, view, body_map))
    for resolved, _ in found:
        if resolved.side == side:
            return resolved
    return found[0][0]


@dataclass(frozen=True)
class Finding:
    """One fault of a guide: where (``steps.N``...) and what."""

    where: str
    message: str


def tolerance_cun(cun: float) -> float:
    return max(RELATIVE_TOLERANCE * cun, SHORT_TOLERANCE_CUN)


def check_guide(guide: Guide, view: View, body_map: BodyMap) -> list[Finding]:
    """Measure every step of every copy of the guide; empty when it all agrees with the drawing."""
    try:
        found = list(copies(guide, view, body_map))
    except GuideError as exc:
        where, _, message = str(exc).partition(": ")
        return [Finding(where, message)]
    if found[0][1] is None:
        return [Finding("point", f"{guide.point} has no hotspot on {view.id}")]
    findings: list[Finding] = []
    for resolved, target in found:
        side = f" (side {resolved.side})" if resolved.side and len(found) > 1 else ""
        for step in resolved.steps:
            findings.extend(_step_findings(step, guide.steps[step.index], side))
        if target is None:
            findings.append(Finding("steps", f"the mirrored guide{side} has no hotspot to end on"))
            continue
        distance = math.dist(resolved.end, (target.x, target.y))
        if distance > target.r:
            findings.append(
                Finding(
                    f"steps.{len(resolved.steps) - 1}.to",
                    f"ends {distance:.1f} units from {target.element_id}{side}, outside its radius {target.r:g}",
                )
            )
    return findings


def _step_findings(step: ResolvedStep, data: GuideStep, side: str) -> list[Finding]:
    where = f"steps.{step.index}"
    if step.kind == "measure" and step.cun is not None:
        measured = step.measured_cun
        if measured is None:
            return []
        if abs(measured - step.cun) > tolerance_cun(step.cun):
            fix = expected_end(step)
            where_it_ends = f"; {step.cun:g} B-cun ends at ({fix[0]:.1f}, {fix[1]:.1f})" if fix else ""
            return [
                Finding(
                    where,
                    f"measures {measured:.2f} B-cun on scale {step.scale!r}{side}, "
                    f"not the {step.cun:g} it states (±{tolerance_cun(step.cun):.2f}){where_it_ends}",
                )
            ]
    if step.kind == "divide" and step.between is not None and step.fraction is not None and step.end is not None:
        (ax, ay), (bx, by) = step.between
        expected = (ax + step.fraction * (bx - ax), ay + step.fraction * (by - ay))
        span = math.dist(step.between[0], step.between[1]) * step.fraction
        allowed = max(RELATIVE_TOLERANCE * span, SHORT_TOLERANCE_CUN * step.unit if step.unit else 9.0)
        off = math.dist(expected, step.end)
        if off > allowed:
            return [
                Finding(
                    where,
                    f"ends {off:.1f} units from the {step.fraction:g} mark{side} "
                    f"({expected[0]:.1f}, {expected[1]:.1f}); allowed {allowed:.1f}",
                )
            ]
    del data
    return []


def expected_end(step: ResolvedStep) -> XY | None:
    """Where a measuring step would end if its length were exactly its stated B-cun (same direction)."""
    if step.kind != "measure" or step.start is None or step.end is None or not step.unit or step.cun is None:
        return None
    length = math.dist(step.start, step.end)
    if length == 0:
        return None
    k = step.cun * step.unit / length
    return (step.start[0] + k * (step.end[0] - step.start[0]), step.start[1] + k * (step.end[1] - step.start[1]))
