"""Safety profile: flagged cautions, practicable points, routine choice."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from acupressure_desktop.domain.models import Caution, CautionKind, Point, Routine, Side, Step, Technique, UseEvidence
from acupressure_desktop.domain.safety import (
    CONDITIONS,
    FlaggedStep,
    RoutineOffer,
    SafetyProfile,
    advisories,
    assess_point,
    flagged_cautions,
    flagged_steps,
    ordered_cautions,
    point_flags,
    routines_for_profile,
)


def caution(kind: CautionKind, text: str = "Take care.") -> Caution:
    return Caution(kind=kind, text=text, sources=["who-2008"])


def point(code: str, *kinds: CautionKind) -> Point:
    return Point(
        code=code,
        pinyin="Pinyin",
        chinese="穴",
        english="Point",
        meridian=code[:2] if not code.startswith("EX") else "EX",
        region="hand",
        bilateral=True,
        tier="reference" if CautionKind.REFERENCE_ONLY in kinds else "self-care",
        location="Somewhere.",
        find_it=["Find the landmark.", "Press there."],
        technique=Technique(pressure="firm", motion="hold", hold_seconds=60, breathing="Slow.", instruction="Press."),
        benefits=["headache"],
        evidence=[UseEvidence(benefit="headache", level="untested", note="Traditional use.")],
        cautions=[caution(kind) for kind in kinds],
        sources=["who-2008"],
    )


POINTS = {
    p.code: p
    for p in (
        point("LI4", CautionKind.PREGNANCY),
        point("SP6", CautionKind.PREGNANCY),
        point("PC6"),
        point("HT7"),
        point("BL40", CautionKind.GENTLE, CautionKind.SKIN),
        point("LR3", CautionKind.ARTERY),
        point("ST9", CautionKind.REFERENCE_ONLY, CautionKind.ARTERY),
        point("ST36", CautionKind.BLOOD_THINNERS),
        point("LU1", CautionKind.DEVICE),
        point("BL2", CautionKind.EYE),
    )
}
TECHNIQUES = {"neck-kneading": [caution(CautionKind.SPINE)], "belly-circles": [caution(CautionKind.PREGNANCY)]}

PREGNANT = SafetyProfile(pregnant_or_trying=True)
THINNERS = SafetyProfile(blood_thinners_or_bleeding_disorder=True)
NOBODY = SafetyProfile()


def routine(rid: str, *targets: str, safe_variant: str | None = None) -> Routine:
    steps = [
        Step(point=t, seconds=60, side=Side.BOTH) if t[0].isupper() else Step(technique=t, seconds=60, side=Side.CENTER)
        for t in targets
    ]
    return Routine(
        id=rid, title=rid.title(), purpose="Test.", benefits=["stress"], steps=steps, safe_variant=safe_variant
    )


# -- the profile -----------------------------------------------------------------


def test_every_profile_field_has_exactly_one_condition_with_label_and_explanation() -> None:
    assert [c.field for c in CONDITIONS] == list(SafetyProfile.model_fields)
    for condition in CONDITIONS:
        assert condition.label.strip() and condition.explanation.strip()
        assert condition.flags or condition.advisory, f"{condition.field} changes nothing"


def test_default_profile_answers_no_and_flags_nothing() -> None:
    assert NOBODY.conditions() == []
    assert advisories(NOBODY) == []
    assert all(not point_flags(p, NOBODY) for p in POINTS.values())


def test_profile_rejects_unknown_and_non_boolean_answers() -> None:
    with pytest.raises(ValidationError, match="pregnant"):
        SafetyProfile.model_validate({"pregnant": True})
    with pytest.raises(ValidationError, match="pregnant_or_trying"):
        SafetyProfile.model_validate({"pregnant_or_trying": "maybe"})


def test_profile_round_trips_through_json() -> None:
    profile = SafetyProfile(pregnant_or_trying=True, recent_injury_or_surgery=True)
    assert SafetyProfile.model_validate_json(profile.model_dump_json()) == profile


# -- points ----------------------------------------------------------------------


def test_pregnancy_flags_pregnancy_cautions_only() -> None:
    assert [c.kind for c in point_flags(POINTS["LI4"], PREGNANT)] == [CautionKind.PREGNANCY]
    assert point_flags(POINTS["BL40"], PREGNANT) == []
    assert point_flags(POINTS["ST36"], PREGNANT) == []
    assert not assess_point(POINTS["LI4"], PREGNANT).practicable
    assert assess_point(POINTS["PC6"], PREGNANT).practicable


def test_blood_thinners_add_light_pressure_for_every_point_and_hide_nothing() -> None:
    assert advisories(PREGNANT) == []
    assert any("light pressure" in text.lower() for text in advisories(THINNERS))
    for code in ("ST36", "PC6"):
        safety = assess_point(POINTS[code], THINNERS)
        assert safety.practicable, "a light-pressure caution is a reminder, not a reason to hide the point"
        assert safety.flagged == ()
        assert safety.advisories == tuple(advisories(THINNERS))
    condition = next(c for c in CONDITIONS if c.field == "blood_thinners_or_bleeding_disorder")
    assert "hidden" not in condition.explanation.replace("No point is hidden", "")


@pytest.mark.parametrize("field", ["varicose_veins_or_fragile_skin", "recent_injury_or_surgery"])
def test_skin_conditions_flag_skin_cautions(field: str) -> None:
    profile = SafetyProfile.model_validate({field: True})
    assert [c.kind for c in point_flags(POINTS["BL40"], profile)] == [CautionKind.SKIN]
    assert not assess_point(POINTS["BL40"], profile).practicable
    assert advisories(profile)


def test_implanted_device_hides_device_cautioned_points_only() -> None:
    profile = SafetyProfile(cancer_or_implanted_device=True)
    assert [c.kind for c in point_flags(POINTS["LU1"], profile)] == [CautionKind.DEVICE]
    assert not assess_point(POINTS["LU1"], profile).practicable
    assert assess_point(POINTS["PC6"], profile).practicable
    assert any("device" in text for text in advisories(profile))


def test_eye_condition_hides_eye_points_only() -> None:
    profile = SafetyProfile(eye_surgery_glaucoma_or_inflamed_eye=True)
    assert [c.kind for c in point_flags(POINTS["BL2"], profile)] == [CautionKind.EYE]
    assert not assess_point(POINTS["BL2"], profile).practicable
    assert assess_point(POINTS["LU1"], profile).practicable
    assert point_flags(POINTS["BL2"], PREGNANT) == []


def test_reference_only_is_never_practicable() -> None:
    for profile in (NOBODY, PREGNANT, THINNERS):
        assert not assess_point(POINTS["ST9"], profile).practicable
        assert not assess_point(POINTS["ST9"], profile).self_care


def test_artery_and_gentle_cautions_do_not_hide_a_point() -> None:
    everything = SafetyProfile(**dict.fromkeys(SafetyProfile.model_fields, True))
    assert assess_point(POINTS["LR3"], everything).practicable


def test_flagged_cautions_are_in_display_order_and_multiple_conditions_combine() -> None:
    both = SafetyProfile(pregnant_or_trying=True, varicose_veins_or_fragile_skin=True)
    cautions = [caution(CautionKind.SKIN), caution(CautionKind.ARTERY), caution(CautionKind.PREGNANCY)]
    assert [c.kind for c in flagged_cautions(cautions, both)] == [CautionKind.PREGNANCY, CautionKind.SKIN]
    assert len(advisories(both)) == 1  # pregnancy hides points, it gives no per-point advice


# -- routines --------------------------------------------------------------------


def test_flagged_steps_names_step_target_and_cautions() -> None:
    cramps = routine("cramps", "PC6", "SP6", "belly-circles", "LI4")
    flagged = flagged_steps(cramps, POINTS, TECHNIQUES, PREGNANT)
    assert [(f.step_index, f.target) for f in flagged] == [(1, "SP6"), (2, "belly-circles"), (3, "LI4")]
    assert flagged[0].cautions[0].kind is CautionKind.PREGNANCY
    assert "pregnancy" in flagged[0].reason
    assert flagged_steps(cramps, POINTS, TECHNIQUES, NOBODY) == []


def test_unknown_and_reference_only_steps_are_always_flagged() -> None:
    odd = routine("odd", "PC6", "ST9", "GB99", "mystery-rub")
    flagged = flagged_steps(odd, POINTS, TECHNIQUES, NOBODY)
    assert flagged == [
        FlaggedStep(1, "ST9", "ST9 is a reference point"),
        FlaggedStep(2, "GB99", "unknown point 'GB99'"),
        FlaggedStep(3, "mystery-rub", "unknown technique 'mystery-rub'"),
    ]


def test_pregnancy_hides_flagged_routines_and_offers_the_safe_variant_in_their_place() -> None:
    calm = routine("calm", "PC6", "HT7")
    headache = routine("headache", "LI4", "HT7", safe_variant="headache-gentle")
    gentle = routine("headache-gentle", "PC6", "HT7")
    cramps = routine("cramps", "SP6", "LI4")  # no variant: simply hidden
    routines = [calm, headache, cramps, gentle]

    assert routines_for_profile(routines, POINTS, TECHNIQUES, NOBODY) == [RoutineOffer(r) for r in routines]
    assert routines_for_profile(routines, POINTS, TECHNIQUES, PREGNANT) == [
        RoutineOffer(calm),
        RoutineOffer(gentle, instead_of=headache),  # in the hidden routine's place, listed once
    ]


def test_a_variant_that_is_itself_flagged_or_missing_is_not_offered() -> None:
    first = routine("first", "LI4", "PC6", safe_variant="second")
    second = routine("second", "SP6", "PC6")
    dangling = routine("dangling", "LI4", "HT7", safe_variant="not-there")
    assert routines_for_profile([first, second, dangling], POINTS, TECHNIQUES, PREGNANT) == []


def test_blood_thinners_keep_routines_and_devices_hide_routines_with_device_points() -> None:
    legs = routine("legs", "ST36", "PC6")
    chest = routine("chest", "LU1", "PC6")
    devices = SafetyProfile(cancer_or_implanted_device=True)
    assert routines_for_profile([legs], POINTS, TECHNIQUES, THINNERS) == [RoutineOffer(legs)]
    assert routines_for_profile([legs, chest], POINTS, TECHNIQUES, devices) == [RoutineOffer(legs)]
    assert routines_for_profile([chest], POINTS, TECHNIQUES, PREGNANT) == [RoutineOffer(chest)]


def test_ordered_cautions_put_reference_only_then_flagged_then_vocabulary_order() -> None:
    cautions = [caution(k) for k in (CautionKind.SKIN, CautionKind.ARTERY, CautionKind.REFERENCE_ONLY, CautionKind.EYE)]
    kinds = [c.kind for c in ordered_cautions(cautions, {CautionKind.SKIN})]
    assert kinds == [CautionKind.REFERENCE_ONLY, CautionKind.SKIN, CautionKind.ARTERY, CautionKind.EYE]
    assert [c.kind for c in ordered_cautions(cautions, set())][1:] == [
        CautionKind.ARTERY,
        CautionKind.EYE,
        CautionKind.SKIN,
    ]


def test_flagged_points_are_those_with_a_caution_the_profile_raises() -> None:
    from acupressure_desktop.catalog.loader import load_catalog
    from acupressure_desktop.domain.safety import flagged_points

    points = load_catalog().points
    assert flagged_points(points.values(), SafetyProfile()) == set()
    pregnant = flagged_points(points.values(), SafetyProfile(pregnant_or_trying=True))
    assert {"LI4", "SP6", "GB21"} <= pregnant
    assert "PC6" not in pregnant
