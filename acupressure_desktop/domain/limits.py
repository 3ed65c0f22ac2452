"""The bounds a model field accepts, for widgets that offer a range (spin boxes, sliders).

A widget reads its range from the model instead of restating it, so a changed limit
changes every place that offers it.
"""

from __future__ import annotations

from annotated_types import Ge, Le
from pydantic import BaseModel


def bounds(model: type[BaseModel], field: str) -> tuple[int | float, int | float]:
    """``(ge, le)`` of ``model.field``; a field without both is a programming error."""
    low: int | float | None = None
    high: int | float | None = None
    for rule in model.model_fields[field].metadata:
        if isinstance(rule, Ge):
            low = rule.ge  # type: ignore[assignment]
        elif isinstance(rule, Le):
            high = rule.le  # type: ignore[assignment]
    if low is None or high is None:
        raise ValueError(f"{model.__name__}.{field} has no ge/le bounds")
    return low, high


def int_bounds(model: type[BaseModel], field: str) -> tuple[int, int]:
    low, high = bounds(model, field)
    return int(low), int(high)
