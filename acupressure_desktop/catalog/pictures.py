"""Which picture shows a point, a technique step or a routine step; and the coverage checks.

Qt-free. Every self-care point and every step of every technique has exactly one picture;
reference-only points (never practised) have none. A technique or routine step shows the
picture of its first step that is not a setup picture (the pressing itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from acupressure_desktop.domain.models import MassageTechnique, Point, Step
from acupressure_desktop.domain.pictures import Picture

if TYPE_CHECKING:
    from acupressure_desktop.catalog.loader import Problem


class PictureIndex:
    """Look-ups from what is practised to its picture."""

    def __init__(self, pictures: Mapping[str, Picture]) -> None:
        self.pictures = dict(pictures)
        self._points: dict[str, Picture] = {}
        self._steps: dict[tuple[str, int], Picture] = {}
        for picture in pictures.values():
            for code in picture.points:
                self._points.setdefault(code, picture)
            for technique, numbers in picture.technique_steps.items():
                for number in numbers:
                    self._steps.setdefault((technique, number - 1), picture)

    def for_point(self, code: str) -> Picture | None:
        return self._points.get(code)

    def for_technique_step(self, technique: str, index: int) -> Picture | None:
        """The picture of step ``index`` (0 for the first) of a technique."""
        return self._steps.get((technique, index))

    def for_technique(self, technique: MassageTechnique) -> Picture | None:
        """The technique's own picture: its first step that is not a setup."""
        found = [self.for_technique_step(technique.id, i) for i in range(len(technique.steps))]
        pictures = [p for p in found if p is not None]
        return next((p for p in pictures if not p.setup), pictures[0] if pictures else None)

    def for_step(self, step: Step, techniques: Mapping[str, MassageTechnique]) -> Picture | None:
        """The picture of a routine step, a point or a technique."""
        if step.point is not None:
            return self.for_point(step.point)
        technique = techniques.get(step.technique or "")
        return self.for_technique(technique) if technique is not None else None


def picture_problems(
    pictures: Mapping[str, Picture],
    points: Mapping[str, Point],
    techniques: Mapping[str, MassageTechnique],
    folder: Path,
    file: str,
    shown_asset: Callable[[Path], str],
) -> list[Problem]:
    """Unknown targets, missing files, and every point or step left without one picture."""
    from acupressure_desktop.catalog.loader import Problem

    problems: list[Problem] = []
    point_owner: dict[str, str] = {}
    step_owner: dict[tuple[str, int], str] = {}
    for picture in pictures.values():
        if not (folder / picture.file).is_file():
            problems.append(Problem(shown_asset(folder / picture.file), "(file)", f"missing (picture {picture.id!r})"))
        for code in picture.points:
            point = points.get(code)
            if point is None:
                problems.append(Problem(file, f"{picture.id}.points", f"unknown point {code!r}"))
            elif not point.self_care:
                problems.append(Problem(file, f"{picture.id}.points", f"{code} is a {point.tier.value} point"))
            elif code in point_owner:
                problems.append(Problem(file, f"{picture.id}.points", f"{code} already shown by {point_owner[code]!r}"))
            else:
                point_owner[code] = picture.id
        for technique_id, numbers in picture.technique_steps.items():
            technique = techniques.get(technique_id)
            if technique is None:
                problems.append(Problem(file, f"{picture.id}.technique_steps", f"unknown technique {technique_id!r}"))
                continue
            for number in numbers:
                where = f"{picture.id}.technique_steps.{technique_id}"
                key = (technique_id, number)
                if number > len(technique.steps):
                    problems.append(Problem(file, where, f"step {number}: {technique_id} has {len(technique.steps)}"))
                elif key in step_owner:
                    problems.append(Problem(file, where, f"step {number} already shown by {step_owner[key]!r}"))
                else:
                    step_owner[key] = picture.id
    for code, point in points.items():
        if point.self_care and code not in point_owner:
            problems.append(Problem(file, "(points)", f"no picture for point {code}"))
    for technique in techniques.values():
        for number in range(1, len(technique.steps) + 1):
            if (technique.id, number) not in step_owner:
                problems.append(Problem(file, "(technique_steps)", f"no picture for {technique.id} step {number}"))
    return problems
