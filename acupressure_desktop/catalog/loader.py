"""Load ``data/`` and the body maps into one validated, cross-checked Catalog.

Data files are all-or-nothing: one broken file stops the load with every problem listed
as ``file: field: problem``. A broken body map only removes that view (the app says so);
``validate-data`` reports both kinds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from acupressure_desktop.catalog.bodymaps import (
    MINOR_HOTSPOT_R,
    BodyMap,
    BodyMapError,
    ChannelPath,
    parse_bodymap,
)
from acupressure_desktop.catalog.guides import check_guide
from acupressure_desktop.catalog.pictures import picture_problems
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.domain.models import (
    ADVICE_KINDS,
    RESEARCH_KINDS,
    STEP_SECONDS,
    Benefit,
    Caution,
    CautionKind,
    EvidenceLevel,
    Guide,
    MassageTechnique,
    Meridian,
    Point,
    Routine,
    Side,
    Source,
    SourceKind,
    Synonym,
    Term,
    View,
)
from acupressure_desktop.domain.pictures import Picture
from acupressure_desktop.domain.safety import PREGNANCY_LIST
from acupressure_desktop.domain.validation import error_message, field_path
from acupressure_desktop.fileio import FileProblem, read_json

M = TypeVar("M", bound=BaseModel)
PREGNANCY_SAFE_CHECK = CautionKind.PREGNANCY
BUILTIN_ROUTINE_SECONDS = (120, 600)
MAX_DATA_FILE_BYTES = 20_000_000  # the largest data file is a few hundred KiB


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class CatalogError(Exception):
    """The data cannot be loaded; ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Catalog:
    points: dict[str, Point]
    meridians: dict[str, Meridian]
    benefits: dict[str, Benefit]
    techniques: dict[str, MassageTechnique]
    routines: dict[str, Routine]
    views: dict[str, View]
    sources: dict[str, Source]
    maps: dict[str, BodyMap]
    glossary: dict[str, Term] = field(default_factory=dict)
    pictures: dict[str, Picture] = field(default_factory=dict)  # data/pictures.json; see catalog/pictures.py
    synonyms: dict[str, Synonym] = field(default_factory=dict)  # everyday words search understands
    view_problems: list[Problem] = field(default_factory=list)
    # Measuring guides by (point code, view id); data/guides.json.
    guides: Mapping[tuple[str, str], Guide] = field(default_factory=dict)
    _drawn: dict[str, tuple[BodyMap, frozenset[str]]] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (catalog/cache.py, on a worker thread) without what the GUI thread fills in as it goes."""
        state = dict(self.__dict__)
        state.pop("_drawn", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._drawn = {}

    def terms_in(self, texts: Iterable[str]) -> list[Term]:
        """Glossary terms that occur in any of ``texts``, in glossary order."""
        joined = "\n".join(texts)
        return [t for t in self.glossary.values() if re.search(rf"(?<![\w-]){re.escape(t.term)}(?![\w-])", joined)]

    def views_of(self, code: str) -> list[View]:
        """Views that show the point and loaded fine, in catalog order.

        A point is on a view when the view's SVG has a hotspot for it: the hotspot layer is the
        one record of which points a view shows (and where), so no list of views is kept per point.
        """
        return [v for v in self.views.values() if v.id in self.maps and code in self._codes(v.id)]

    def _codes(self, view_id: str) -> frozenset[str]:
        self.hotspot_codes(view_id)  # fills the record
        known = self._drawn.get(view_id)
        return known[1] if known else frozenset()

    def guide(self, code: str, view_id: str) -> Guide | None:
        """The measuring guide of a point on a view, if the view loaded and has one."""
        return self.guides.get((code, view_id)) if view_id in self.maps else None

    def guides_of(self, code: str) -> list[Guide]:
        return [g for v in self.views_of(code) if (g := self.guides.get((code, v.id))) is not None]

    def hotspot_codes(self, view_id: str) -> set[str]:
        """The codes a view draws (worked out once per body map: views_of asks for every view)."""
        body_map = self.maps.get(view_id)
        if body_map is None:
            return set()
        known = self._drawn.get(view_id)
        if known is None or known[0] is not body_map:
            known = (body_map, frozenset(h.code for h in body_map.hotspots))
            self._drawn[view_id] = known
        return set(known[1])

    def side_choices(self, target: str) -> list[Side]:
        """The sides a step on ``target`` (a point code or technique id) may use, the default first."""
        point = self.points.get(target)
        if point is not None:
            return [Side.BOTH, Side.LEFT, Side.RIGHT] if point.bilateral else [Side.CENTER]
        return [Side.CENTER, Side.BOTH]

    def default_seconds(self, target: str, side: Side) -> int:
        """The time the instructions ask for: the point's hold on each side pressed, or the technique's time."""
        point = self.points.get(target)
        if point is None:
            seconds = self.techniques[target].seconds
        else:
            seconds = point.pressing().hold_seconds * (2 if side is Side.BOTH else 1)
        low, high = STEP_SECONDS
        return max(low, min(high, seconds))

    def point_title(self, code: str) -> str:
        """Code, pinyin and English name: "LI4 Hégǔ · Joining Valley"."""
        point = self.points[code]
        return f"{point.code} {point.pinyin} · {point.english}"

    def step_title(self, target: str) -> str:
        if target in self.points:
            point = self.points[target]
            return f"{point.code} {point.pinyin}"
        return self.techniques[target].title


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _read_json(path: Path, shown: str, problems: list[Problem]) -> Any:
    """The parsed file, or None after adding a file-level problem (a root fault: see load_catalog)."""
    try:
        return read_json(path, MAX_DATA_FILE_BYTES, shown=shown)
    except FileNotFoundError:
        problems.append(Problem(shown, "(file)", "missing"))
    except FileProblem as exc:
        problems.append(Problem(shown, exc.where, exc.problem))
    return None


def _load_list(
    path: Path, shown: str, model: type[M], key: Callable[[M], str], problems: list[Problem], broken: set[str]
) -> dict[str, M]:
    """Validate each item alone so a problem names the item (its id) and the field."""
    raw = _read_json(path, shown, problems)
    if raw is None:
        return {}
    if not isinstance(raw, list):
        problems.append(Problem(shown, "(file)", "expected a JSON array"))
        return {}
    items: dict[str, M] = {}
    for index, entry in enumerate(raw):
        label = f"[{index}]"
        if isinstance(entry, dict):
            guide_key = f"{entry.get('point')}@{entry.get('view')}" if "point" in entry and "view" in entry else None
            label = str(entry.get("code") or entry.get("id") or guide_key or label)
        try:
            item = model.model_validate(entry)
        except RecursionError:
            problems.append(Problem(shown, label, "nested too deeply"))
            broken.add(label)
            continue
        except ValidationError as exc:
            for error in exc.errors():
                problems.append(Problem(shown, field_path((label, *error["loc"])), error_message(error)))
            broken.add(label)  # already reported: references to it are not faults of their own
            continue
        item_key = key(item)
        if item_key in items:
            problems.append(Problem(shown, item_key, "duplicate id"))
        items[item_key] = item
    return items


def _load_folder(
    folder: Path, base: Path, model: type[M], key: Callable[[M], str], problems: list[Problem], broken: set[str]
) -> dict[str, M]:
    if not folder.is_dir():
        problems.append(Problem(_display(folder, base), "(folder)", "missing"))
        return {}
    merged: dict[str, M] = {}
    for path in sorted(folder.glob("*.json")):
        shown = _display(path, base)
        for item_key, item in _load_list(path, shown, model, key, problems, broken).items():
            if item_key in merged:
                problems.append(Problem(shown, item_key, "duplicate id (also defined in another file)"))
            merged[item_key] = item
    return merged


def load_catalog(dirs: ResourceDirs | None = None) -> Catalog:
    """Load and cross-check everything; raise CatalogError listing every data fault."""
    dirs = dirs or ResourceDirs.locate()
    base = dirs.data.parent
    data = dirs.data
    problems: list[Problem] = []
    broken: set[str] = set()  # ids of items that failed validation

    def shown(name: str) -> str:
        return _display(data / name, base)

    def load(name: str, model: type[M], key: Callable[[M], str]) -> dict[str, M]:
        return _load_list(data / name, shown(name), model, key, problems, broken)

    sources = _load_folder(data / "sources", base, Source, lambda s: s.id, problems, broken)
    points = _load_folder(data / "points", base, Point, lambda p: p.code, problems, broken)
    meridians = load("meridians.json", Meridian, lambda m: m.code)
    benefits = load("benefits.json", Benefit, lambda b: b.id)
    techniques = load("techniques.json", MassageTechnique, lambda t: t.id)
    routines = load("routines.json", Routine, lambda r: r.id)
    views = load("views.json", View, lambda v: v.id)
    guide_list = load("guides.json", Guide, lambda g: f"{g.point}@{g.view}")
    glossary = load("glossary.json", Term, lambda t: t.id)
    # Optional for a data folder of its own (--data); when present it must cover everything.
    has_pictures = (data / "pictures.json").is_file()
    pictures = load("pictures.json", Picture, lambda p: p.id) if has_pictures else {}
    synonyms = load("synonyms.json", Synonym, lambda s: s.id)

    catalog = Catalog(
        points=points,
        meridians=meridians,
        benefits=benefits,
        techniques=techniques,
        routines=routines,
        views=views,
        sources=sources,
        maps={},
        guides={(g.point, g.view): g for g in guide_list.values()},
        glossary=glossary,
        pictures=pictures,
        synonyms=synonyms,
    )
    # A file that is missing or unreadable as a whole is a root fault: every reference into it
    # would fail too and bury it under follow-on lines (some naming other files), so the
    # cross-checks wait until the root faults are fixed.
    if not any(p.field in ("(folder)", "(file)") or p.field.startswith(("line ", "byte ")) for p in problems):
        problems.extend(p for p in _cross_check(catalog, shown) if not _mentions(p, broken))
        if has_pictures:
            folder = dirs.assets / "pictures"
            found = picture_problems(
                pictures, points, techniques, folder, shown("pictures.json"), lambda f: _display(f, dirs.assets.parent)
            )
            problems.extend(p for p in found if not _mentions(p, broken))
    if problems:
        raise CatalogError(problems)
    catalog.maps, catalog.view_problems = _load_maps(catalog, dirs)
    return catalog


def _mentions(problem: Problem, broken: set[str]) -> bool:
    """A cross-reference problem caused by an item that already failed validation."""
    return any(problem.message.endswith(f"{item!r}") for item in broken)


def _cross_check(catalog: Catalog, shown: Callable[[str], str]) -> list[Problem]:
    problems: list[Problem] = []

    def need(known: Mapping[str, object], ids: Iterable[str], file: str, where: str, what: str) -> None:
        for item in ids:
            if item not in known:
                problems.append(Problem(file, where, f"unknown {what} {item!r}"))

    def kinds(ids: Iterable[str]) -> set[SourceKind]:
        return {catalog.sources[i].kind for i in ids if i in catalog.sources}

    def check_cautions(cautions: Iterable[Caution], file: str, owner: str) -> None:
        for caution in cautions:
            where = f"{owner}.cautions.{caution.kind.value}"
            need(catalog.sources, caution.sources, file, where, "source")
            if caution.kind is CautionKind.PREGNANCY:
                if SourceKind.REVIEW not in kinds(caution.sources):
                    problems.append(Problem(file, where, "a pregnancy caution cites a review of the pregnancy points"))
            elif not kinds(caution.sources) & ADVICE_KINDS and all(s in catalog.sources for s in caution.sources):
                problems.append(
                    Problem(file, where, "cite a source that gives this advice, not only where the point is")
                )

    def check_grade(level: EvidenceLevel, sources: list[str], file: str, where: str) -> None:
        need(catalog.sources, sources, file, where, "source")
        if level is not EvidenceLevel.UNTESTED and not kinds(sources) & RESEARCH_KINDS:
            problems.append(Problem(file, where, f"level {level.value!r} needs a trial or review among its sources"))

    points_file = "data/points"
    for point in catalog.points.values():
        need(catalog.benefits, point.benefits, points_file, f"{point.code}.benefits", "benefit")
        need(catalog.sources, point.sources, points_file, f"{point.code}.sources", "source")
        for entry in point.evidence:
            check_grade(entry.level, entry.sources, points_file, f"{point.code}.evidence.{entry.benefit}")
        check_cautions(point.cautions, points_file, point.code)
        if point.code in PREGNANCY_LIST and CautionKind.PREGNANCY not in point.caution_kinds():
            problems.append(
                Problem(
                    points_file,
                    f"{point.code}.cautions",
                    "on the traditional pregnancy lists: needs a pregnancy caution",
                )
            )
        if point.disputed:
            need(catalog.sources, point.disputed.sources, points_file, f"{point.code}.disputed", "source")
        if point.meridian != "EX" and catalog.meridians and point.meridian not in catalog.meridians:
            problems.append(Problem(points_file, f"{point.code}.meridian", f"unknown meridian {point.meridian!r}"))

    for benefit in catalog.benefits.values():
        check_grade(benefit.evidence.level, benefit.evidence.sources, shown("benefits.json"), f"{benefit.id}.evidence")

    for technique in catalog.techniques.values():
        file = shown("techniques.json")
        need(catalog.benefits, technique.benefits, file, f"{technique.id}.benefits", "benefit")
        need(catalog.views, technique.views, file, f"{technique.id}.views", "view")
        need(catalog.sources, technique.sources, file, f"{technique.id}.sources", "source")
        check_cautions(technique.cautions, file, technique.id)

    for routine in catalog.routines.values():
        problems.extend(routine_problems(routine, catalog, shown("routines.json")))

    problems.extend(synonym_problems(catalog, shown("synonyms.json")))

    for view in catalog.views.values():
        for region in view.regions:
            if region.closeup is not None and region.closeup not in catalog.views:
                problems.append(Problem(shown("views.json"), f"{view.id}.regions.{region.id}", "unknown close-up view"))
        landmark_ids = [lm.id for lm in view.landmarks]
        for duplicate in sorted({i for i in landmark_ids if landmark_ids.count(i) > 1}):
            problems.append(Problem(shown("views.json"), f"{view.id}.landmarks", f"duplicate landmark {duplicate!r}"))
        for scale in view.scales:
            for end in (scale.from_, scale.to):
                if end not in landmark_ids:
                    problems.append(
                        Problem(shown("views.json"), f"{view.id}.scales.{scale.id}", f"unknown landmark {end!r}")
                    )

    for guide in catalog.guides.values():
        where = f"{guide.point}@{guide.view}"
        if guide.point not in catalog.points:
            problems.append(Problem(shown("guides.json"), where, f"unknown point {guide.point!r}"))
        if guide.view not in catalog.views:
            problems.append(Problem(shown("guides.json"), where, f"unknown view {guide.view!r}"))
    return problems


def synonym_problems(catalog: Catalog, file: str) -> list[Problem]:
    """Every benefit and region a synonym leads to exists; a phrase is given once (as search folds
    it), and never shadows a point's own code or name."""
    from acupressure_desktop.catalog.search import fold  # the one folding rule search uses

    problems: list[Problem] = []
    regions = {p.region for p in catalog.points.values()} | {t.region for t in catalog.techniques.values()}
    names = {fold(n) for p in catalog.points.values() for n in (p.code, p.pinyin, p.english)}
    seen: dict[str, str] = {}
    for synonym in catalog.synonyms.values():
        for benefit in synonym.benefits:
            if benefit not in catalog.benefits:
                problems.append(Problem(file, f"{synonym.id}.benefits", f"unknown benefit {benefit!r}"))
        for region in synonym.regions:
            if region not in regions:
                problems.append(Problem(file, f"{synonym.id}.regions", f"unknown region {region!r}"))
        for phrase in [*synonym.phrases, *synonym.misspellings]:
            folded = fold(phrase)
            if not folded:
                problems.append(Problem(file, f"{synonym.id}.phrases", f"{phrase!r} has no letters"))
            elif folded in seen:
                problems.append(Problem(file, f"{synonym.id}.phrases", f"{phrase!r} is also in {seen[folded]!r}"))
            elif folded in names:
                problems.append(Problem(file, f"{synonym.id}.phrases", f"{phrase!r} is a point's own name"))
            seen.setdefault(folded, synonym.id)
    return problems


def routine_problems(routine: Routine, catalog: Catalog, file: str) -> list[Problem]:
    """Problems of one routine against the catalog (also used for custom routines)."""
    problems: list[Problem] = []
    for index, step in enumerate(routine.steps):
        where = f"{routine.id}.steps.{index}"
        if step.point is not None:
            point = catalog.points.get(step.point)
            if point is None:
                problems.append(Problem(file, where, f"unknown point {step.point!r}"))
            elif not point.self_care:
                problems.append(Problem(file, where, f"{step.point} is a {point.tier.value} point: never practised"))
            elif step.side not in catalog.side_choices(step.point):
                want = "'both', 'left' or 'right'" if point.bilateral else "'center' (a midline point)"
                problems.append(Problem(file, f"{where}.side", f"{step.point} needs side {want}"))
        elif step.technique not in catalog.techniques:
            problems.append(Problem(file, where, f"unknown technique {step.technique!r}"))
        elif step.side not in catalog.side_choices(step.technique):
            problems.append(Problem(file, f"{where}.side", f"technique {step.technique} is done 'center' or 'both'"))
    need_benefits = [b for b in routine.benefits if b not in catalog.benefits]
    for benefit in need_benefits:
        problems.append(Problem(file, f"{routine.id}.benefits", f"unknown benefit {benefit!r}"))
    if routine.builtin:
        low, high = BUILTIN_ROUTINE_SECONDS
        if not low <= routine.total_seconds <= high:
            problems.append(
                Problem(
                    file, f"{routine.id}.steps", f"built-in routines last {low}-{high} s, not {routine.total_seconds}"
                )
            )
    if routine.safe_variant is not None:
        variant = catalog.routines.get(routine.safe_variant)
        if variant is None:
            problems.append(Problem(file, f"{routine.id}.safe_variant", f"unknown routine {routine.safe_variant!r}"))
        elif pregnancy_flagged_steps(variant, catalog):
            problems.append(Problem(file, f"{routine.id}.safe_variant", "the variant has pregnancy-flagged steps"))
    return problems


def pregnancy_flagged_steps(routine: Routine, catalog: Catalog) -> list[str]:
    flagged = []
    for step in routine.steps:
        cautions = (
            catalog.points[step.point].cautions
            if step.point in catalog.points
            else catalog.techniques[step.technique].cautions
            if step.technique in catalog.techniques
            else []
        )
        if any(c.kind is PREGNANCY_SAFE_CHECK for c in cautions):
            flagged.append(step.target)
    return flagged


def _load_maps(catalog: Catalog, dirs: ResourceDirs) -> tuple[dict[str, BodyMap], list[Problem]]:
    maps: dict[str, BodyMap] = {}
    problems: list[Problem] = []
    known = set(catalog.points)
    views_file = _display(dirs.data / "views.json", dirs.data.parent)
    for view in catalog.views.values():
        path = dirs.bodymaps / view.file
        shown = _display(path, dirs.assets.parent)
        try:
            body_map = parse_bodymap(path, known)
        except FileNotFoundError:
            # Reported against the file that names it: that is where the fix (or the typo) is.
            problems.append(Problem(views_file, f"{view.id}.file", f"{shown} is missing"))
            continue
        except BodyMapError as exc:
            problems.append(Problem(shown, exc.element or "(file)", str(exc)))
            continue
        view_problems = _map_problems(view, body_map, catalog, shown)
        if view_problems:
            problems.extend(view_problems)
            continue
        maps[view.id] = body_map
    problems.extend(guide_problems(catalog, maps, _display(dirs.data / "guides.json", dirs.data.parent)))
    return maps, problems


def guide_problems(catalog: Catalog, maps: Mapping[str, BodyMap], file: str) -> list[Problem]:
    """Every point has a guide on every view that draws it, and every guide measures true: a dot is
    placed by measurement, whether it is pressed or only learnt."""
    problems: list[Problem] = []
    drawn = {h.code for body_map in maps.values() for h in body_map.hotspots}
    if len(maps) == len(catalog.views):  # with a broken view its points may look undrawn
        for code in sorted(set(catalog.points) - drawn):
            problems.append(Problem(file, code, "drawn on no view: place it on one with its guide"))
    for view_id, body_map in maps.items():
        for code in sorted({h.code for h in body_map.hotspots}):
            if (code, view_id) not in catalog.guides:
                problems.append(Problem(file, f"{code}@{view_id}", "no measuring guide for this point"))
    for (code, view_id), guide in catalog.guides.items():
        if view_id not in maps or code not in catalog.points:
            continue
        for finding in check_guide(guide, catalog.views[view_id], maps[view_id]):
            problems.append(Problem(file, f"{code}@{view_id}.{finding.where}", finding.message))
    return problems


def _map_problems(view: View, body_map: BodyMap, catalog: Catalog, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for hotspot in body_map.hotspots:
        point = catalog.points[hotspot.code]
        if point.bilateral != (hotspot.side is not None):
            want = "a -L/-R side" if point.bilateral else "no side (midline point)"
            problems.append(Problem(shown, hotspot.element_id, f"{point.code} hotspot needs {want}"))
        # The size tells the tier before the catalog is loaded (the first paint): see MINOR_HOTSPOT_R.
        sized = hotspot.r > MINOR_HOTSPOT_R if point.self_care else hotspot.r == MINOR_HOTSPOT_R
        if not sized:
            want = f"more than {MINOR_HOTSPOT_R:g}" if point.self_care else f"{MINOR_HOTSPOT_R:g}"
            problems.append(
                Problem(
                    shown, hotspot.element_id, f"r {hotspot.r:g}: a {point.tier.value} point's hotspot needs r {want}"
                )
            )
    region_ids = {r.region_id for r in body_map.regions}
    for region in view.regions:
        if region.id not in region_ids:
            problems.append(Problem(shown, f"region-{region.id}", "missing region polygon"))
    for region_id in region_ids - {r.id for r in view.regions}:
        problems.append(Problem(shown, f"region-{region_id}", f"region not listed for view {view.id!r}"))
    problems.extend(_overlaps(body_map, shown))
    if body_map.channels is not None:
        problems.extend(_channel_problems(body_map, catalog, shown))
    return problems


def _overlaps(body_map: BodyMap, shown: str) -> list[Problem]:
    """No two markers of a view overlap: a dense area needs a close-up view instead."""
    problems: list[Problem] = []
    spots = sorted(body_map.hotspots, key=lambda h: h.x)
    widest = max((h.r for h in spots), default=0.0)
    for i, a in enumerate(spots):
        for b in spots[i + 1 :]:
            if b.x - a.x >= a.r + widest:
                break
            gap = math.dist((a.x, a.y), (b.x, b.y))
            if gap < a.r + b.r:
                problems.append(
                    Problem(shown, a.element_id, f"overlaps {b.element_id}: {gap:.1f} units apart, needs {a.r + b.r:g}")
                )
    return problems


def _channel_problems(body_map: BodyMap, catalog: Catalog, shown: str) -> list[Problem]:
    """Each channel point of the view lies on a run of its channel's path for its side, and along
    each run the points come in the order of their numbers."""
    problems: list[Problem] = []
    runs: dict[tuple[str, str | None], list[ChannelPath]] = {}
    for channel in body_map.channels or ():
        runs.setdefault((channel.meridian, channel.side), []).append(channel)
    along_runs: dict[str, list[tuple[float, int, str]]] = {}
    for hotspot in body_map.hotspots:
        meridian = catalog.points[hotspot.code].meridian
        if meridian not in catalog.meridians:
            continue  # extra points lie off the channels
        candidates = runs.get((meridian, hotspot.side), [])
        if not candidates:
            side = f"-{hotspot.side}" if hotspot.side else ""
            problems.append(Problem(shown, hotspot.element_id, f"no channel path ch-{meridian}{side} on this view"))
            continue
        distance, along, run = min((*c.nearest(hotspot.x, hotspot.y), c.element_id) for c in candidates)
        if distance > hotspot.r:
            problems.append(
                Problem(shown, hotspot.element_id, f"{distance:.1f} units off {run} (allowed {hotspot.r:g})")
            )
            continue
        along_runs.setdefault(run, []).append((along, int(hotspot.code[len(meridian) :]), hotspot.code))
    for run, placed in along_runs.items():
        numbers = [number for _along, number, _code in sorted(placed)]
        if numbers != sorted(numbers) and numbers != sorted(numbers, reverse=True):
            order = ", ".join(code for _along, _number, code in sorted(placed))
            problems.append(Problem(shown, run, f"passes its points out of order: {order}"))
    return problems
