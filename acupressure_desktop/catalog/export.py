"""The documented public JSON shape of the catalog (``acupressure-desktop catalog --json``)."""

from __future__ import annotations

from typing import Any

from acupressure_desktop.catalog.loader import Catalog

FORMAT = "acupressure-desktop-catalog"
FORMAT_VERSION = 2  # 2: per-use evidence lists, structured sources, glossary


def catalog_document(catalog: Catalog) -> dict[str, Any]:
    """Everything in the catalog as plain JSON data, with a few derived conveniences.

    Per point ``self_care`` is true when the point is fully described and may be
    practised (reference-only points are described for learning but never pressed).
    """
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "points": [{**p.model_dump(mode="json"), "self_care": not p.reference_only} for p in catalog.points.values()],
        "views": [
            {
                **v.model_dump(mode="json"),
                "width": catalog.maps[v.id].width,
                "height": catalog.maps[v.id].height,
                "hotspots": [
                    {"id": h.element_id, "point": h.code, "side": h.side_label or None, "x": h.x, "y": h.y, "r": h.r}
                    for h in catalog.maps[v.id].hotspots
                ],
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
        "synonyms": [s.model_dump(mode="json") for s in catalog.synonyms.values()],  # new field: same version
    }
