"""Pydantic's validation errors as the short ``where: problem`` lines the app shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails


def field_path(loc: Iterable[Any], empty: str = "(file)") -> str:
    """``steps.2.side`` from pydantic's location; ``empty`` when the problem is the whole document."""
    return ".".join(str(part) for part in loc) or empty


def error_message(error: ErrorDetails, unknown: str = "unknown field") -> str:
    """The problem in plain words (an extra field is ``unknown``; a validator's prefix is dropped)."""
    if error["type"] == "extra_forbidden":
        return unknown
    return str(error["msg"]).removeprefix("Value error, ")


def problems(exc: ValidationError, *, empty: str = "(file)", unknown: str = "unknown field") -> list[str]:
    """One ``where: problem`` line per error."""
    return [f"{field_path(e['loc'], empty)}: {error_message(e, unknown)}" for e in exc.errors()]


def summary(exc: ValidationError, limit: int, *, empty: str = "(file)", unknown: str = "unknown field") -> str:
    """The first ``limit`` problems on one line, and how many more there are."""
    lines = problems(exc, empty=empty, unknown=unknown)
    more = len(lines) - limit
    return "; ".join(lines[:limit]) + (f"; and {more} more" if more > 0 else "")
