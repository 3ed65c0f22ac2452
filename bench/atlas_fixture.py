"""A synthetic but valid data folder of the full atlas size, made from the shipped data.

The real atlas (issue 16) lands only when the region branches merge; the benches and the
scale tests measure against this stand-in meanwhile: the shipped points, views and guides,
plus generated points up to every WHO code and the WHO extra points (about 420, in the
three tiers), the 11 new views (their figures copied from a shipped view), about 100
hotspots a view with a guide each, and channel runs through every channel point in number
order. The geometry is not anatomy; it is only there to be loaded, checked and drawn.

    python3 bench/atlas_fixture.py [FOLDER]   # writes FOLDER/data and FOLDER/assets, prints FOLDER
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_VERSION = "5"  # bump when the generator changes: a cached folder of another version is rebuilt

# The new views of issue 16: id -> (title, group, the shipped view whose figure it borrows).
NEW_VIEWS: dict[str, tuple[str, str, str]] = {
    "head-top": ("Top of the head", "head", "head-back"),
    "ear": ("Ear region", "head", "head-side"),
    "upper-back": ("Upper back", "torso", "lower-back"),
    "chest": ("Chest", "torso", "torso-front"),
    "abdomen": ("Abdomen", "torso", "torso-front"),
    "trunk-side": ("Side of the trunk", "torso", "lower-back"),
    "arm-inner": ("Whole arm, inner side", "arm", "palm"),
    "arm-outer": ("Whole arm, outer side", "arm", "forearm-outer"),
    "leg-back": ("Back of the leg", "leg", "leg-outer"),
    "foot-inner": ("Inner foot", "leg", "foot-top"),
    "foot-outer": ("Outer foot", "leg", "sole"),
}
EXTRA_CODES = {"HN": 15, "CA": 1, "B": 9, "UE": 11, "LE": 12}
PINYIN_EXTRAS = ["Qianzheng", "Shanglianquan", "Jianqian", "Bailao", "Huanzhong", "Lanwei", "Dannang", "Xiyan"]
TARGET_PER_VIEW = 100  # hotspots a view (both sides counted), as issue 16 expects of the real atlas
SPACING = 30.0  # SVG units between generated hotspots: clear of each other at every view's default zoom
ADVICE = ["umn-safety-precautions"]
PREGNANCY_REVIEWS = ["betts-budd-2011", "carr-2015"]
Places = list[tuple[float, float]]


def _all_codes(meridians: list[dict[str, Any]]) -> list[str]:
    codes = [f"{m['code']}{n}" for m in meridians for n in range(1, int(m["point_count"]) + 1)]
    codes += [f"EX-{part}{n}" for part, count in EXTRA_CODES.items() for n in range(1, count + 1)]
    return codes + PINYIN_EXTRAS


def _new_point(code: str, meridian: str, tier: str, pregnancy: bool) -> dict[str, Any]:
    cautions: list[dict[str, Any]] = []
    if tier == "gentle":
        cautions.append({"kind": "gentle", "text": "Thin skin over bone: press lightly.", "sources": ADVICE})
    if tier == "reference":
        cautions.append({"kind": "reference_only", "text": "Over a large artery: learn it only.", "sources": ADVICE})
    if pregnancy:
        cautions.append(
            {
                "kind": "pregnancy",
                "text": "Traditionally avoided in pregnancy.",
                "sources": ["betts-budd-2011", "carr-2015"],
            }
        )
    point: dict[str, Any] = {
        "code": code,
        "aliases": [code.replace("EX-", "EX ")] if code.startswith("EX-") else [],
        "pinyin": f"Nǐdiǎn {code}",
        "chinese": "點",
        "english": f"Stand-in point {code}",
        "meridian": meridian,
        "region": "hand",
        "bilateral": meridian not in ("GV", "CV"),
        "tier": tier,
        "location": f"Stand-in location of {code}, generated for the benchmarks.",
        "cautions": cautions,
        "sources": ["who-2008", "who-1991"] if meridian == "EX" else ["who-2008"],
    }
    if tier == "self-care":
        point |= {
            "find_it": ["Find the landmark.", "Press the hollow beside it."],
            "technique": {
                "pressure": "moderate",
                "motion": "hold",
                "hold_seconds": 60,
                "breathing": "Breathe slowly.",
                "instruction": "Press steadily, then ease off.",
            },
            "benefits": ["stress"],
            "evidence": [
                {"benefit": "stress", "level": "untested", "note": "Traditional use; we found no trial.", "sources": []}
            ],
        }
    return point


def _meridian_of(code: str) -> str:
    if code.startswith("EX-") or not code[:2].isupper() or not code[2:].isdigit():
        return "EX"
    return code[:2]


def _number(code: str) -> int:
    digits = re.sub(r"\D", "", code)
    return int(digits) if digits else 0


def _view_box(svg: str) -> tuple[float, float]:
    match = re.search(r'viewBox="([^"]+)"', svg)
    assert match
    _x, _y, w, h = (float(v) for v in match.group(1).replace(",", " ").split())
    return w, h


def _existing_hotspots(svg: str) -> list[tuple[str, str, str | None, float, float, float]]:
    found = []
    for m in re.finditer(r'<circle id="pt-([^"]+)" cx="([^"]+)" cy="([^"]+)" r="([^"]+)"', svg):
        element = m.group(1)
        side = element.split("-")[-1] if element.split("-")[-1] in ("L", "R") else None
        code = element[:-2] if side else element
        found.append((f"pt-{element}", code, side, float(m.group(2)), float(m.group(3)), float(m.group(4))))
    return found


def _slots(
    width: float, height: float, mirror_x: float | None, taken: list[tuple[float, float, float]]
) -> list[tuple[float, float]]:
    """Free places on a grid, column by column (top to bottom); on a mirrored view the right-hand
    half only (each place stands for its mirror image too) plus the midline column."""
    places = []
    x = width * 0.08
    while x < width * 0.92:
        y = height * 0.06
        while y < height * 0.94:
            mirrored = mirror_x is not None and x > mirror_x - SPACING / 2
            images = [(x, y)] if mirror_x is None else [(x, y), (2 * mirror_x - x, y)]
            free = all(math.dist(p, (tx, ty)) >= SPACING + tr for p in images for tx, ty, tr in taken)
            if free and not mirrored:
                places.append((round(x, 1), round(y, 1)))
            y += SPACING
        x += SPACING
    return places


def _midline_slots(
    height: float, mirror_x: float, taken: list[tuple[float, float, float]]
) -> list[tuple[float, float]]:
    places = []
    y = height * 0.06
    while y < height * 0.94:
        if all(math.dist((mirror_x, y), (tx, ty)) >= SPACING + tr for tx, ty, tr in taken):
            places.append((mirror_x, round(y, 1)))
        y += SPACING
    return places


def _channel_layer(spots: list[tuple[str, str, str | None, float, float, float]], meridian_of: dict[str, str]) -> str:
    runs: dict[tuple[str, str | None], list[tuple[int, float, float]]] = {}
    for _element, code, side, x, y, _r in spots:
        meridian = meridian_of.get(code, "EX")
        if meridian == "EX":
            continue
        runs.setdefault((meridian, side), []).append((_number(code), x, y))
    lines = ['<g id="channels" fill="none" stroke="none">']
    for (meridian, side), placed in sorted(runs.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        placed.sort()
        (_n, x0, y0), rest = placed[0], placed[1:]
        # A lead-in before the first point, then a straight cubic between each pair (curves to parse).
        d = [f"M {x0:.1f} {y0 - 20:.1f} L {x0:.1f} {y0:.1f}"]
        px, py = x0, y0
        for _n, x, y in rest:
            d.append(
                f"C {px + (x - px) / 3:.3f} {py + (y - py) / 3:.3f} {px + 2 * (x - px) / 3:.3f} "
                f"{py + 2 * (y - py) / 3:.3f} {x:.1f} {y:.1f}"
            )
            px, py = x, y
        suffix = f"-{side}" if side else ""
        lines.append(f'  <path id="ch-{meridian}{suffix}" d="{" ".join(d)}"/>')
    lines.append("</g>")
    return "\n".join(lines)


def build_atlas(folder: Path) -> Path:
    """Write the fixture into ``folder`` (``data/`` and ``assets/``) unless it is there already."""
    stamp = folder / "fixture-version"
    if stamp.is_file() and stamp.read_text() == FIXTURE_VERSION:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "assets", folder / "assets")
    data, maps = folder / "data", folder / "assets" / "bodymaps"

    meridians = json.loads((data / "meridians.json").read_text())
    shipped: dict[str, dict[str, Any]] = {}
    for path in sorted((data / "points").glob("*.json")):
        for p in json.loads(path.read_text()):
            shipped[p["code"]] = p
    from acupressure_desktop.domain.safety import PREGNANCY_LIST

    new_points: list[dict[str, Any]] = []
    self_care = sum(1 for p in shipped.values() if p["tier"] == "self-care")
    for index, code in enumerate(c for c in _all_codes(meridians) if c not in shipped):
        tier = "self-care" if self_care < 130 and index % 3 == 0 else ("gentle" if index % 3 == 1 else "reference")
        self_care += tier == "self-care"
        new_points.append(_new_point(code, _meridian_of(code), tier, code in PREGNANCY_LIST))
    (data / "points" / "zz-fixture.json").write_text(json.dumps(new_points, ensure_ascii=False, indent=1))
    pictures = json.loads((data / "pictures.json").read_text())
    pictures[0]["points"] += [p["code"] for p in new_points if p["tier"] == "self-care"]
    (data / "pictures.json").write_text(json.dumps(pictures, ensure_ascii=False, indent=1))

    meridian_of = {c: p["meridian"] for c, p in shipped.items()} | {p["code"]: p["meridian"] for p in new_points}
    bilateral = {c: p["bilateral"] for c, p in shipped.items()} | {p["code"]: p["bilateral"] for p in new_points}
    views = json.loads((data / "views.json").read_text())
    for view_id, (title, group, borrowed) in NEW_VIEWS.items():
        base = next(v for v in views if v["id"] == borrowed)
        svg = (maps / base["file"]).read_text()
        svg = re.sub(r'(<g id="regions"[^>]*>).*?(</g>)', r"\1\2", svg, count=1, flags=re.S)
        svg = re.sub(r'(<g id="hotspots"[^>]*>).*?(</g>)', r"\1\2", svg, count=1, flags=re.S)
        w, h = _view_box(svg)
        region = f'<polygon id="region-all" points="0,0 {w:g},0 {w:g},{h:g} 0,{h:g}"/>'
        svg = svg.replace(
            '<g id="regions" fill="none" stroke="none">', f'<g id="regions" fill="none" stroke="none">{region}'
        )
        (maps / f"{view_id}.svg").write_text(svg)
        entry: dict[str, Any] = {
            "id": view_id,
            "title": title,
            "file": f"{view_id}.svg",
            "group": group,
            "regions": [{"id": "all", "title": title}],
            "landmarks": [{"id": "centre", "title": "Centre of the view", "x": w / 2, "y": h / 2}],
            "scales": [],
        }
        if base.get("mirror_x") is not None:
            entry["mirror_x"] = base["mirror_x"]
        views.append(entry)
    (data / "views.json").write_text(json.dumps(views, ensure_ascii=False, indent=1))

    guides = json.loads((data / "guides.json").read_text())
    pending = [p["code"] for p in new_points]
    cursor = 0
    for view in views:
        path = maps / view["file"]
        svg = path.read_text()
        w, h = _view_box(svg)
        spots = _existing_hotspots(svg)
        taken = [(x, y, r) for _e, _c, _s, x, y, r in spots]
        on_view = {c for _e, c, _s, _x, _y, _r in spots}
        mirror = view.get("mirror_x")
        slots = _slots(w, h, mirror, taken)
        middle = _midline_slots(h, mirror, taken) if mirror is not None else []
        midline_here = {meridian_of.get(c, "EX") for _e, c, side, _x, _y, _r in spots if side is None}
        budget = max(0, TARGET_PER_VIEW - len(spots))  # hotspots: a point drawn on both sides takes two
        chosen: list[str] = []
        while budget > 0 and len(chosen) < len(pending):
            code = pending[cursor % len(pending)]
            cursor += 1
            # A midline channel drawn here already keeps its own points: new ones on the same line
            # would run back and forth along it, out of order.
            kept = not bilateral[code] and meridian_of[code] in midline_here
            if code not in on_view and code not in chosen and not kept:
                chosen.append(code)
                budget -= 2 if (mirror is not None and bilateral[code]) else 1
        chosen.sort(key=lambda c: (meridian_of[c], _number(c), c))
        circles = []
        for code in chosen:
            sided = bilateral[code]
            pool = slots if (mirror is None or sided) else middle
            if not pool:
                continue
            x, y = pool.pop(0)
            tier = next(p["tier"] for p in new_points if p["code"] == code)
            r = 9 if tier == "self-care" else 6
            if sided:
                side = "R"
                circles.append((f"pt-{code}-R", code, side, x, y, r))
                if mirror is not None:
                    circles.append((f"pt-{code}-L", code, "L", round(2 * mirror - x, 1), y, r))
            else:
                circles.append((f"pt-{code}", code, None, x, y, r))
            guides.append(
                {
                    "point": code,
                    "view": view["id"],
                    "steps": [
                        {"text": "Find the landmark.", "landmarks": ["centre"] if view["id"] in NEW_VIEWS else []},
                        {"text": "The point is here.", "to": [x, y]},
                    ],
                }
            )
        markup = "".join(f'\n  <circle id="{e}" cx="{x:g}" cy="{y:g}" r="{r:g}"/>' for e, _c, _s, x, y, r in circles)
        svg = re.sub(r'(<g id="hotspots"[^>]*>)', lambda m, add=markup: m.group(1) + add, svg, count=1)
        svg = svg.replace("</svg>", _channel_layer(spots + circles, meridian_of) + "\n</svg>")
        path.write_text(svg)
    (data / "guides.json").write_text(json.dumps(guides, ensure_ascii=False, indent=1))
    stamp.write_text(FIXTURE_VERSION)
    return folder


def fixture_dirs(folder: Path | None = None) -> Any:
    """The fixture's ResourceDirs (built on first use)."""
    from acupressure_desktop.catalog.resources import ResourceDirs

    built = build_atlas(folder or Path("/tmp/acupressure-atlas-fixture"))
    return ResourceDirs(data=built / "data", assets=built / "assets")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/acupressure-atlas-fixture")
    print(build_atlas(target))
