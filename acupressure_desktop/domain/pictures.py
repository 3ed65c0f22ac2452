"""Pictures of the hands at work: which drawing shows each point and each technique step.

Qt-free. ``data/pictures.json`` lists shared press patterns (thumb press with the index
finger behind, fingertip circles, pinch, knuckles, palm heel...), each drawn once in
``assets/pictures/`` on the body part it is used on, and names what it shows: points by
code, technique steps by number (1 for the first step).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from acupressure_desktop.domain.models import Code, Slug, Strict, Text

StepNumber = Annotated[int, Field(ge=1)]


class Picture(Strict):
    id: Slug
    file: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.svg$")]
    title: Text  # a short caption: "Thumb press, index finger behind"
    description: Text  # what the drawing shows, for screen readers
    setup: bool = False  # a posture or preparation (sit tall, warm the palms), not the pressing itself
    points: list[Code] = Field(default_factory=list)
    technique_steps: dict[Slug, list[StepNumber]] = Field(default_factory=dict)

    @field_validator("points")
    @classmethod
    def _unique_points(cls, codes: list[str]) -> list[str]:
        if len(set(codes)) != len(codes):
            raise ValueError("a point is listed twice")
        return codes

    @field_validator("technique_steps")
    @classmethod
    def _unique_steps(cls, steps: dict[str, list[int]]) -> dict[str, list[int]]:
        for technique, numbers in steps.items():
            if not numbers or len(set(numbers)) != len(numbers):
                raise ValueError(f"{technique}: list each step number once")
        return steps
