"""A tiny, valid data set written to a folder, for tests that break it on purpose."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from acupressure_desktop.catalog.resources import ResourceDirs

SOURCES = [
    {
        "id": "who-2008",
        "label": "WHO 2008",
        "kind": "location_standard",
        "authors": "World Health Organization",
        "year": 2008,
        "title": "WHO Standard Acupuncture Point Locations",
        "published_in": "Manila: WHO",
        "isbn": "978 92 9061 248 7",
    },
    {
        "id": "advice",
        "label": "Advice 2024",
        "kind": "patient_education",
        "authors": "A Hospital",
        "year": 2024,
        "title": "Safety precautions for acupressure",
        "published_in": "hospital.example",
        "url": "https://hospital.example/acupressure",
    },
    {
        "id": "review",
        "label": "Reviewer 2015",
        "kind": "review",
        "authors": "Reviewer A",
        "year": 2015,
        "title": "Points avoided in pregnancy: a review",
        "published_in": "Journal 1(1):1-2",
        "doi": "10.1000/review.2015",
    },
]
PREGNANCY = {"kind": "pregnancy", "text": "Traditionally avoided in pregnancy.", "sources": ["review"]}
EVIDENCE = {"level": "untested", "note": "Traditional use; not tested in trials.", "sources": []}


def uses(*benefits: str) -> list[dict[str, Any]]:
    """One untested evidence entry per benefit, as every point needs."""
    return [{"benefit": b, **EVIDENCE} for b in benefits]


def point(code: str, *, bilateral: bool = True, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code,
        "aliases": [],
        "pinyin": "Hégǔ" if code == "LI4" else f"Pīnyīn{code}",
        "chinese": "合谷" if code == "LI4" else "点",
        "english": "Union Valley" if code == "LI4" else f"Point {code}",
        "meridian": code[:2],
        "region": "hand",
        "bilateral": bilateral,
        "location": "On the back of the hand.",
        "find_it": ["Find the landmark.", "Press the hollow."],
        "technique": {
            "pressure": "firm",
            "motion": "hold",
            "hold_seconds": 60,
            "breathing": "Breathe slowly.",
            "instruction": "Press steadily.",
        },
        "benefits": ["stress"],
        "cautions": [],
        "sources": ["who-2008"],
    }
    data.update(extra)
    data.setdefault("evidence", uses(*data["benefits"]))
    kinds = {c["kind"] for c in data["cautions"]}
    data.setdefault("tier", "reference" if "reference_only" in kinds else "self-care")
    return data


GUIDES: list[dict[str, Any]] = [
    {
        "point": "LI4",
        "view": "hand",
        "steps": [
            {"text": "Find the knuckle.", "landmarks": ["knuckle"]},
            {
                "text": "Measure two fingers down from it.",
                "from": "knuckle",
                "to": [40, 50],
                "cun": 1.5,
                "scale": "hand",
                "fingers": ["two-fingers"],
            },
        ],
    },
    {
        "point": "PC6",
        "view": "hand",
        "steps": [
            {"text": "Find the wrist crease.", "landmarks": ["wrist"]},
            {"text": "Go half a thumb up.", "from": "wrist", "to": [40, 80], "cun": 0.5, "scale": "hand"},
        ],
    },
    {
        "point": "GV20",
        "view": "hand",
        "steps": [{"text": "Find the middle line."}, {"text": "The point is on it.", "to": [100, 50]}],
    },
]


def svg(hotspots: str, regions: str = '<polygon id="region-palm" points="0,0 90,0 90,100 0,100"/>') -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" viewBox="0 0 200 100" '
        'width="200" height="100"><g id="figure"><rect x="10" y="10" width="180" height="80" fill="#F2DCCB"/></g>'
        f'<g id="regions" fill="none" stroke="none">{regions}</g>'
        f'<g id="hotspots" fill="none" stroke="none">{hotspots}</g></svg>'
    )


def write_minidata(root: Path) -> ResourceDirs:
    data, bodymaps = root / "data", root / "assets" / "bodymaps"
    (data / "points").mkdir(parents=True)
    (data / "sources").mkdir()
    bodymaps.mkdir(parents=True)
    files: dict[str, Any] = {
        "sources/core.json": SOURCES,
        "points/hand.json": [
            point("LI4", aliases=["LI-4"], benefits=["stress", "headache"], cautions=[PREGNANCY]),
            point("PC6", benefits=["stress"]),
            point("GV20", bilateral=False, meridian="GV"),
        ],
        "meridians.json": [
            {"code": c, "name": n, "pinyin": "Pīnyīn", "point_count": k}
            for c, n, k in (("LI", "Large Intestine", 20), ("PC", "Pericardium", 9), ("GV", "Governor Vessel", 28))
        ],
        "benefits.json": [
            {
                "id": b,
                "title": b.title(),
                "summary": "s",
                "description": "d",
                "evidence": EVIDENCE,
                "red_flags": ["See a doctor if it is severe."],
                "rating_label": b.title(),
            }
            for b in ("stress", "headache")
        ],
        "techniques.json": [
            {
                "id": "palm-press",
                "title": "Palm press",
                "region": "hand",
                "views": ["hand"],
                "summary": "Press the palm.",
                "steps": ["Open the hand.", "Press the palm."],
                "seconds": 60,
                "benefits": ["stress"],
                "sources": ["who-2008"],
            }
        ],
        "routines.json": [
            {
                "id": "quick",
                "title": "Quick",
                "purpose": "A short test routine.",
                "benefits": ["stress"],
                "steps": [
                    {"point": "LI4", "seconds": 60},
                    {"technique": "palm-press", "seconds": 60, "side": "center"},
                ],
            }
        ],
        "glossary.json": [{"id": "b-cun", "term": "B-cun", "definition": "A body-proportional unit."}],
        "synonyms.json": [{"id": "calm", "phrases": ["stressed out"], "benefits": ["stress"]}],
        "views.json": [
            {
                "id": "hand",
                "title": "Hand",
                "file": "hand.svg",
                "group": "arm",
                "regions": [{"id": "palm", "title": "Palm"}],
                "mirror_x": 100,
                "landmarks": [
                    {"id": "knuckle", "title": "Knuckle", "x": 40, "y": 5},
                    {"id": "wrist", "title": "Wrist crease", "x": 40, "y": 95},
                ],
                "scales": [{"id": "hand", "from": "knuckle", "to": "wrist", "cun": 3}],
            }
        ],
        "guides.json": GUIDES,
    }
    for name, content in files.items():
        (data / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    (bodymaps / "hand.svg").write_text(
        svg(
            '<circle id="pt-LI4-L" cx="40" cy="50" r="9"/><circle id="pt-LI4-R" cx="160" cy="50" r="9"/>'
            '<circle id="pt-PC6-L" cx="40" cy="80" r="9"/><circle id="pt-PC6-R" cx="160" cy="80" r="9"/>'
            '<circle id="pt-GV20" cx="100" cy="50" r="9"/>'
        ),
        encoding="utf-8",
    )
    return ResourceDirs(data=data, assets=root / "assets")
