"""The person's safety profile and what it means for points and routines.

Qt-free. A profile is a handful of yes/no answers. Each condition flags some
caution kinds (a point carrying a flagged caution is not offered for pressing)
and may add an advisory that applies to every point (for instance "light
pressure only" with blood thinners). We flag conservatively: reviews find no
objective evidence of harm from the traditional pregnancy points, but careful
apps avoid them and so do we.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from acupressure_desktop.domain.models import CAUTION_ORDER, Caution, CautionKind, Point, Routine


class SafetyProfile(BaseModel):
    """Answers from the safety questions; every answer defaults to "no"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pregnant_or_trying: bool = False
    blood_thinners_or_bleeding_disorder: bool = False
    varicose_veins_or_fragile_skin: bool = False
    recent_injury_or_surgery: bool = False
    eye_surgery_glaucoma_or_inflamed_eye: bool = False
    cancer_or_implanted_device: bool = False

    def conditions(self) -> list[Condition]:
        """The conditions answered "yes", in display order."""
        return [condition for condition in CONDITIONS if getattr(self, condition.field)]


def _codes(prefix: str, first: int, last: int) -> set[str]:
    return {f"{prefix}{n}" for n in range(first, last + 1)}


# Points on the traditional lists of points avoided in pregnancy (Betts & Budd 2011; Carr 2015):
# the classic five, the lower abdomen, the lumbosacral points and the spleen channel from SP6 up.
# ``validate-data`` checks that every one of them that the catalog holds has a pregnancy caution.
PREGNANCY_LIST: frozenset[str] = frozenset(
    {"LI4", "BL60", "BL67", "GB21", "ST25"}
    | _codes("SP", 6, 10)
    | _codes("CV", 3, 7)
    | _codes("KI", 11, 16)
    | _codes("BL", 22, 35)
    | _codes("GV", 3, 5)
)


@dataclass(frozen=True)
class Condition:
    field: str  # the SafetyProfile attribute
    label: str  # the question's short label
    explanation: str  # why we ask, and what changes
    flags: frozenset[CautionKind]  # points with these cautions are not offered
    advisory: str | None = None  # shown with every point while the condition applies


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        field="pregnant_or_trying",
        label="Pregnant or trying to conceive",
        explanation=(
            "Several points are traditionally avoided in pregnancy. Studies have not shown harm, "
            "but to be careful the app marks them, asks before you practise one, and offers gentler "
            "routines instead."
        ),
        flags=frozenset({CautionKind.PREGNANCY}),
    ),
    Condition(
        field="blood_thinners_or_bleeding_disorder",
        label="Blood thinners, low platelets or a bleeding disorder",
        explanation=(
            "Firm pressure can bruise more easily. No point is flagged for this: every point is shown "
            "with a light-pressure reminder, and so are the techniques that knead, squeeze or roll."
        ),
        flags=frozenset(),
        advisory="Use light pressure only: you bruise more easily with blood thinners or a bleeding disorder.",
    ),
    Condition(
        field="varicose_veins_or_fragile_skin",
        label="Varicose veins or fragile, broken or inflamed skin",
        explanation=(
            "Pressing on varicose veins or damaged skin can hurt it. Points that often lie over "
            "such areas are marked and asked about before practice; elsewhere, skip any spot where the "
            "skin is affected."
        ),
        flags=frozenset({CautionKind.SKIN}),
        advisory="Never press on varicose veins or on broken, inflamed, bruised or infected skin.",
    ),
    Condition(
        field="recent_injury_or_surgery",
        label="A recent injury, fracture or operation",
        explanation=(
            "A healing area needs rest. Points over skin problems or new scars are marked and asked "
            "about before practice; "
            "keep away from the injured area altogether."
        ),
        flags=frozenset({CautionKind.SKIN}),
        advisory="Keep away from the injured or operated area and from new scars.",
    ),
    Condition(
        field="eye_surgery_glaucoma_or_inflamed_eye",
        label="Recent eye surgery, glaucoma, or a red, infected or inflamed eye",
        explanation=(
            "Pressure around the eye can harm an eye that is healing, has raised pressure inside it "
            "or is inflamed. The points around the eyes are marked and asked about before practice, and "
            "routines with them or with the eye techniques are swapped or not offered."
        ),
        flags=frozenset({CautionKind.EYE}),
        advisory="Keep all pressure away from your eyes and the bone around them; ask your eye doctor first.",
    ),
    Condition(
        field="cancer_or_implanted_device",
        label="Cancer treatment, or an implanted port, line or device",
        explanation=(
            "Pressure over a tumour site, a port, a line or a device such as a pacemaker should be "
            "avoided. Points where such devices usually sit (below the collarbone, on the belly, "
            "in the upper buttock) are marked and asked about before practice. Ask your care team which "
            "areas are safe for you."
        ),
        flags=frozenset({CautionKind.DEVICE}),
        advisory="Do not press over a tumour site, a port, a line, an implanted device or a dialysis fistula.",
    ),
)


def flagged_kinds(profile: SafetyProfile) -> frozenset[CautionKind]:
    return frozenset(kind for condition in profile.conditions() for kind in condition.flags)


def advisories(profile: SafetyProfile) -> list[str]:
    """Advice for every point under this profile, most serious condition first."""
    return [c.advisory for c in profile.conditions() if c.advisory is not None]


def ordered_cautions(cautions: Iterable[Caution], flagged: Collection[CautionKind]) -> list[Caution]:
    """Display order: reference-only first, then what the profile flags, then the rest by kind."""
    return sorted(
        cautions,
        key=lambda c: (c.kind is not CautionKind.REFERENCE_ONLY, c.kind not in flagged, CAUTION_ORDER.index(c.kind)),
    )


def flagged_cautions(cautions: Iterable[Caution], profile: SafetyProfile) -> list[Caution]:
    """The cautions that this profile makes apply, in display order."""
    kinds = flagged_kinds(profile)
    return sorted((c for c in cautions if c.kind in kinds), key=lambda c: CAUTION_ORDER.index(c.kind))


def point_flags(point: Point, profile: SafetyProfile) -> list[Caution]:
    return flagged_cautions(point.cautions, profile)


# What the profile does to a flagged point, in one sentence (the map legend, settings, the notice).
FLAGGED_MEANS = (
    "Points your profile flags are marked (a ring on the map, ⚠ in the list) and practised only after "
    "you confirm; routines that use them are swapped for gentler versions or not offered."
)


def flag_reasons(points: Iterable[Point], profile: SafetyProfile) -> dict[str, str]:
    """Code -> why this profile flags it, one line for a tooltip ("Pregnancy: traditionally avoided…")."""
    return target_flag_reasons({point.code: point.cautions for point in points}, profile)


def target_flag_reasons(cautions: Mapping[str, Iterable[Caution]], profile: SafetyProfile) -> dict[str, str]:
    """Point code or technique id -> why this profile flags it, for the targets it flags."""
    reasons: dict[str, str] = {}
    for target, target_cautions in cautions.items():
        flagged = flagged_cautions(target_cautions, profile)
        if flagged:
            reasons[target] = " ".join(dict.fromkeys(c.text for c in flagged))
    return reasons


def flagged_points(points: Iterable[Point], profile: SafetyProfile) -> set[str]:
    """Codes of the points that carry a caution this profile makes apply (marked on the map)."""
    kinds = flagged_kinds(profile)
    return {point.code for point in points if point.caution_kinds() & kinds}


@dataclass(frozen=True)
class PointSafety:
    """Everything the point panel shows about safety for this person."""

    practicable: bool
    self_care: bool  # only self-care points are practised
    flagged: tuple[Caution, ...]  # cautions this profile makes apply
    advisories: tuple[str, ...]  # profile-wide advice, shown with every point


def assess_point(point: Point, profile: SafetyProfile) -> PointSafety:
    flagged = tuple(point_flags(point, profile))
    return PointSafety(
        practicable=point.self_care and not flagged,
        self_care=point.self_care,
        flagged=flagged,
        advisories=tuple(advisories(profile)),
    )


@dataclass(frozen=True)
class FlaggedStep:
    step_index: int
    target: str  # point code or technique id
    reason: str  # one line for the UI
    cautions: tuple[Caution, ...] = ()


def flagged_steps(
    routine: Routine,
    points: Mapping[str, Point],
    technique_cautions: Mapping[str, Sequence[Caution]],
    profile: SafetyProfile,
) -> list[FlaggedStep]:
    """Steps of ``routine`` the app should not offer to this person.

    ``technique_cautions`` maps a massage technique id to its cautions. A step
    naming an unknown point or technique is flagged too: we cannot vouch for it.
    """
    found: list[FlaggedStep] = []
    for index, step in enumerate(routine.steps):
        if step.point is not None:
            point = points.get(step.point)
            if point is None:
                found.append(FlaggedStep(index, step.point, f"unknown point {step.point!r}"))
                continue
            if not point.self_care:
                found.append(FlaggedStep(index, step.point, f"{step.point} is a {point.tier.value} point"))
                continue
            cautions = point_flags(point, profile)
        else:
            technique = step.target
            if technique not in technique_cautions:
                found.append(FlaggedStep(index, technique, f"unknown technique {technique!r}"))
                continue
            cautions = flagged_cautions(technique_cautions[technique], profile)
        if cautions:
            kinds = ", ".join(dict.fromkeys(c.kind.value for c in cautions))
            found.append(FlaggedStep(index, step.target, f"{step.target}: caution ({kinds})", tuple(cautions)))
    return found


@dataclass(frozen=True)
class RoutineOffer:
    routine: Routine
    instead_of: Routine | None = None  # the routine this safe variant replaces


def routines_for_profile(
    routines: Sequence[Routine],
    points: Mapping[str, Point],
    technique_cautions: Mapping[str, Sequence[Caution]],
    profile: SafetyProfile,
) -> list[RoutineOffer]:
    """The routines to show, in the given order.

    A routine with a flagged step is hidden; its ``safe_variant`` is offered in
    its place when that variant exists and is itself clean. No routine is
    listed twice.
    """
    by_id = {routine.id: routine for routine in routines}

    def clean(routine: Routine) -> bool:
        return not flagged_steps(routine, points, technique_cautions, profile)

    offers: list[RoutineOffer] = []
    listed: set[str] = set()
    for routine in routines:
        if clean(routine):
            offer = RoutineOffer(routine)
        else:
            variant = by_id.get(routine.safe_variant) if routine.safe_variant else None
            if variant is None or not clean(variant):
                continue
            offer = RoutineOffer(variant, instead_of=routine)
        if offer.routine.id not in listed:
            listed.add(offer.routine.id)
            offers.append(offer)
    return offers
