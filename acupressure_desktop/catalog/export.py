"""The documented public JSON shape of the catalog (``acupressure-desktop catalog --json``)."""

from __future__ import annotations

from typing import Any

from acupressure_desktop.catalog.guides import ResolvedGuide, ResolvedStep, copies
from acupressure_desktop.catalog.loader import Catalog

FORMAT = "acupressure-desktop-catalog"
FORMAT_VERSION = 2  # 2: per-use evidence lists, structured sources, glossary


def catalog_document(catalog: Catalog) -> dict[str, Any]:
    """Everything in the catalog as plain JSON data, with a few derived conveniences.

    Per point ``tier`` is ``self-care``, ``gentle`` or ``reference``; ``self_care`` is true when
    its ``tier`` is ``self-care``: fully described and
    offered for practice (gentle points are pressed lightly and reference points never).
    """
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "points": [
            {
                **p.model_dump(mode="json"),
                # Derived from the hotspot layers (the one record of where a point is drawn).
                "views": [v.id for v in catalog.views_of(p.code)],
                "self_care": p.self_care,
                "guides": _guides(catalog, p.code),
            }
            for p in catalog.points.values()
        ],
        "views": [
            {
                **v.model_dump(mode="json", by_alias=True),
                "width": catalog.maps[v.id].width,
                "height": catalog.maps[v.id].height,
                "hotspots": [
                    {"id": h.element_id, "point": h.code, "side": h.side_label or None, "x": h.x, "y": h.y, "r": h.r}
                    for h in catalog.maps[v.id].hotspots
                ],
                # Each run of a channel over the view, as its segments: [[x, y], [x, y]] lines and
                # [[x, y] × 4] cubic curves; null while the view has no channels layer.
                "channels": _channels(catalog, v.id),
            }
            for v in catalog.views.values()
            if v.id in catalog.maps
        ],
        "routines": [
            {**r.model_dump(mode="json"), "total_seconds": r.total_seconds} for r in catalog.routines.values()
        ],
        "techniques": [t.model_dump(mode="json") for t in catalog.techniques.values()],
        "benefits": [b.model_dump(mode="json") for b in catalog.benefits.values()],
        "meridians": [m.model_dump(mode="json") for m in catalog.meridians.values()],
        "sources": [{**s.model_dump(mode="json"), "reference": s.reference} for s in catalog.sources.values()],
        "glossary": [t.model_dump(mode="json") for t in catalog.glossary.values()],
        "pictures": [p.model_dump(mode="json") for p in catalog.pictures.values()],
        "synonyms": [s.model_dump(mode="json") for s in catalog.synonyms.values()],  # new field: same version
    }


def _channels(catalog: Catalog, view_id: str) -> list[dict[str, Any]] | None:
    runs = catalog.maps[view_id].channels
    if runs is None:
        return None
    return [
        {
            "id": run.element_id,
            "meridian": run.meridian,
            "side": {"L": "left", "R": "right"}.get(run.side or ""),
            "segments": [[_xy(p) for p in segment] for segment in run.segments],
        }
        for run in runs
    ]


def _guides(catalog: Catalog, code: str) -> list[dict[str, Any]]:
    """Per view where the point is drawn: its guide with every place as [x, y] (for the side it was written)."""
    found = []
    for view in catalog.views_of(code):
        guide = catalog.guides.get((code, view.id))
        if guide is None:
            continue
        resolved, _ = next(copies(guide, view, catalog.maps[view.id]))
        found.append(_guide_document(resolved))
    return found


def _guide_document(guide: ResolvedGuide) -> dict[str, Any]:
    return {
        "view": guide.view,
        "side": {"L": "left", "R": "right"}.get(guide.side or ""),
        "steps": [_step_document(s) for s in guide.steps],
    }


def _xy(point: tuple[float, float]) -> list[float]:
    return [round(point[0], 2), round(point[1], 2)]


def _step_document(step: ResolvedStep) -> dict[str, Any]:
    doc: dict[str, Any] = {"text": step.text, "kind": step.kind, "landmarks": [lm.id for lm in step.landmarks]}
    if step.kind == "measure" and step.start is not None and step.end is not None:
        doc |= {
            "from": _xy(step.start),
            "to": _xy(step.end),
            "cun": step.cun,
            "scale": step.scale,
            "fingers": [f.value for f in step.fingers],
        }
    elif step.kind == "divide" and step.between is not None and step.end is not None:
        doc |= {
            "between": [_xy(step.between[0]), _xy(step.between[1])],
            "fraction": step.fraction,
            "to": _xy(step.end),
            "scale": step.scale,
        }
    elif step.end is not None:
        doc["to"] = _xy(step.end)
    return doc
