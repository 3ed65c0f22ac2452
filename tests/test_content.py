"""The real content, checked with the eyes of a careful practitioner (issue 14).

Each test names one rule the data must keep; ``validate-data`` checks the general ones
(pregnancy list, caution sources, complete sources, evidence per benefit), these pin the
specific decisions so that a later edit cannot quietly undo them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from acupressure_desktop.catalog.export import catalog_document
from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.domain.models import CautionKind, EvidenceLevel, SourceKind, Tier
from acupressure_desktop.domain.safety import PREGNANCY_LIST, SafetyProfile, assess_point, routines_for_profile

LUMBOSACRAL = ["BL23", "BL25", "BL52", "BL32", "GV4"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _hidden(catalog: Catalog, profile: SafetyProfile) -> set[str]:
    return {code for code, p in catalog.points.items() if not assess_point(p, profile).practicable}


def _offered(catalog: Catalog, profile: SafetyProfile) -> dict[str, str | None]:
    cautions = {t.id: t.cautions for t in catalog.techniques.values()}
    offers = routines_for_profile(list(catalog.routines.values()), catalog.points, cautions, profile)
    return {o.routine.id: o.instead_of.id if o.instead_of else None for o in offers}


# -- safety ----------------------------------------------------------------------------------------


def test_pregnancy_hides_the_lumbosacral_and_spleen_channel_points(catalog: Catalog) -> None:
    hidden = _hidden(catalog, SafetyProfile(pregnant_or_trying=True))
    assert set(LUMBOSACRAL) | {"SP6", "SP8", "SP9", "SP10", "LI4", "GB21", "BL60", "BL67"} <= hidden
    assert set(catalog.points) & PREGNANCY_LIST <= hidden


def test_step_notes_about_the_eyes_belong_to_eye_steps(catalog: Catalog) -> None:
    for routine in catalog.routines.values():
        for step in routine.steps:
            if step.note and re.search(r"brow bone|toward the eye|on the eye", step.note):
                cautions = catalog.points[step.point].cautions if step.point else []
                if step.technique:
                    cautions = catalog.techniques[step.technique].cautions
                assert CautionKind.EYE in {c.kind for c in cautions}, (routine.id, step.target, step.note)


def test_the_gentle_low_back_routine_has_no_point_from_the_pregnancy_lists(catalog: Catalog) -> None:
    gentle = catalog.routines["low-back-relief-gentle"]
    assert not {s.point for s in gentle.steps} & PREGNANCY_LIST
    assert _offered(catalog, SafetyProfile(pregnant_or_trying=True))["low-back-relief-gentle"] == "low-back-relief"
    for routine_id in _offered(catalog, SafetyProfile(pregnant_or_trying=True)):
        assert not {s.point for s in catalog.routines[routine_id].steps} & PREGNANCY_LIST, routine_id


def test_varicose_veins_hide_the_points_over_the_great_saphenous_vein(catalog: Catalog) -> None:
    hidden = _hidden(catalog, SafetyProfile(varicose_veins_or_fragile_skin=True))
    assert {"SP6", "SP8", "SP9", "KI3", "BL40", "BL57"} <= hidden
    assert "PC6" not in hidden


def test_the_eye_condition_hides_every_eye_point_and_eye_technique(catalog: Catalog) -> None:
    profile = SafetyProfile(eye_surgery_glaucoma_or_inflamed_eye=True)
    assert {"BL1", "BL2", "GB1", "ST2", "TE23", "EX-HN4"} <= _hidden(catalog, profile)
    for technique in ("eyes-and-brow", "eye-palming"):
        assert CautionKind.EYE in {c.kind for c in catalog.techniques[technique].cautions}
    offered = _offered(catalog, profile)
    assert "eye-strain-break" not in offered
    assert offered["headache-relief-gentle"] == "headache-relief"  # the gentle variant has no eye point


# Words a stand-in routine's purpose uses for each condition it is offered under.
CONDITION_WORDS = {
    "pregnant_or_trying": "pregnancy",
    "varicose_veins_or_fragile_skin": "varicose",
    "recent_injury_or_surgery": "varicose",  # the same skin points are left out
    "eye_surgery_glaucoma_or_inflamed_eye": "eyes",
    "cancer_or_implanted_device": "devices",
}


@pytest.mark.parametrize("condition", sorted(CONDITION_WORDS))
def test_a_stand_in_routine_says_what_it_leaves_out_for_each_condition_it_serves(
    catalog: Catalog, condition: str
) -> None:
    # The gentle routines once all said "leaves out the points avoided in pregnancy", also
    # when they stood in for another condition.
    stand_ins = {rid for rid, instead in _offered(catalog, SafetyProfile(**{condition: True})).items() if instead}
    assert all(CONDITION_WORDS[condition] in catalog.routines[rid].purpose for rid in stand_ins), stand_ins


def test_bl1_is_described_for_learning_only(catalog: Catalog) -> None:
    bl1 = catalog.points["BL1"]
    assert bl1.tier is Tier.REFERENCE
    assert "BL2" in next(c.text for c in bl1.cautions if c.kind is CautionKind.REFERENCE_ONLY)


def test_an_implanted_device_hides_the_points_where_devices_sit(catalog: Catalog) -> None:
    hidden = _hidden(catalog, SafetyProfile(cancer_or_implanted_device=True))
    assert {"LU1", "CV12", "CV6", "CV4", "ST25", "GB30", "BL32"} <= hidden
    assert "PC6" not in hidden
    assert "digestion-ease" not in _offered(catalog, SafetyProfile(cancer_or_implanted_device=True))


def test_blood_thinners_hide_nothing_and_the_explanation_says_so(catalog: Catalog) -> None:
    hidden = _hidden(catalog, SafetyProfile(blood_thinners_or_bleeding_disorder=True))
    assert hidden == {code for code, p in catalog.points.items() if not p.self_care}  # never practised anyway
    assert len(_offered(catalog, SafetyProfile(blood_thinners_or_bleeding_disorder=True))) == len(
        _offered(catalog, SafetyProfile())
    )


@pytest.mark.parametrize(("code", "kind", "words"), [
    ("KI3", CautionKind.ARTERY, "posterior tibial artery"),
    ("HT7", CautionKind.ARTERY, "ulnar artery and nerve"),
    ("LR3", CautionKind.ARTERY, "dorsalis pedis"),
    ("BL40", CautionKind.ARTERY, "popliteal artery"),
    ("EX-HN5", CautionKind.ARTERY, "temporal artery"),
    ("GB20", CautionKind.GENTLE, "never forward into the neck"),
    ("PC6", CautionKind.GENTLE, "fingers tingle"),
    # found in the second review
    ("BL10", CautionKind.GENTLE, "never forward into the neck"),
    ("Anmian", CautionKind.GENTLE, "never forward into the side of the neck"),
    ("LU7", CautionKind.ARTERY, "radial artery"),
    ("CV12", CautionKind.ARTERY, "aorta"),
    ("GB30", CautionKind.GENTLE, "sciatic nerve"),
    ("GB34", CautionKind.GENTLE, "common fibular nerve"),
    ("LI10", CautionKind.GENTLE, "electric tingling"),
    ("KI1", CautionKind.GENTLE, "numb"),
    ("CV17", CautionKind.SKIN, "heart surgery"),
])  # fmt: skip
def test_pulse_and_nerve_cautions(catalog: Catalog, code: str, kind: CautionKind, words: str) -> None:
    assert any(c.kind is kind and words in c.text for c in catalog.points[code].cautions)


def test_nerve_tingling_is_never_described_as_the_sign_of_the_point(catalog: Catalog) -> None:
    for point in catalog.points.values():
        for step in point.find_it:
            assert not ("spread" in step and "shows you are on it" in step), (point.code, step)


def test_no_caution_rests_on_a_location_standard_alone(catalog: Catalog) -> None:
    cautions = [c for p in catalog.points.values() for c in p.cautions]
    cautions += [c for t in catalog.techniques.values() for c in t.cautions]
    location = {SourceKind.LOCATION_STANDARD, SourceKind.LOCATION_REFERENCE}
    for caution in cautions:
        assert {catalog.sources[s].kind for s in caution.sources} - location, caution.text


def test_blood_thinner_cautions_cite_the_clotting_precautions(catalog: Catalog) -> None:
    for technique in catalog.techniques.values():
        for caution in technique.cautions:
            if caution.kind is CautionKind.BLOOD_THINNERS:
                assert caution.sources == ["umn-safety-precautions"], technique.id


# -- evidence per use -----------------------------------------------------------------------------


def test_li4_is_graded_for_period_pain_only(catalog: Catalog) -> None:
    li4 = catalog.points["LI4"]
    assert {e.benefit: e.level for e in li4.evidence} == {
        "headache": EvidenceLevel.UNTESTED,
        "stress": EvidenceLevel.UNTESTED,
        "menstrual-cramps": EvidenceLevel.LOW,
        "congestion": EvidenceLevel.UNTESTED,
        "immunity": EvidenceLevel.UNTESTED,
    }


def test_the_trials_own_point_lists_grade_ht7_bl2_and_gv20(catalog: Catalog) -> None:
    """Au 2015 names HT7 among the commonest points; Hsieh 2010 names BL2, GV20 and GB20."""
    assert catalog.points["HT7"].evidence_for("anxiety").level is EvidenceLevel.LOW  # type: ignore[union-attr]
    for code in ("BL2", "GV20", "GB20"):
        assert catalog.points[code].evidence_for("headache").sources[0] == "hsieh-2010"  # type: ignore[union-attr]


def test_pc6_is_graded_for_nausea_not_for_stress(catalog: Catalog) -> None:
    pc6 = catalog.points["PC6"]
    assert pc6.evidence_for("nausea").level is EvidenceLevel.LOW  # type: ignore[union-attr]
    assert pc6.evidence_for("stress").level is EvidenceLevel.UNTESTED  # type: ignore[union-attr]


@pytest.mark.parametrize("benefit", ["immunity", "focus"])
def test_no_point_is_graded_above_untested_for_immunity_or_focus(catalog: Catalog, benefit: str) -> None:
    for point in catalog.points.values():
        entry = point.evidence_for(benefit)
        assert entry is None or entry.level is EvidenceLevel.UNTESTED, point.code


@pytest.mark.parametrize("code", ["EX-UE7", "SI3"])
def test_the_lumbar_sprain_trial_is_reported_truthfully(catalog: Catalog, code: str) -> None:
    note = catalog.points[code].evidence_for("back-pain").note  # type: ignore[union-attr]
    assert note.startswith("No acupressure trials.") and "10.1007/BF02845462" in note
    assert "not tested in trials" not in note


def test_untested_notes_say_what_was_found_not_that_no_trial_exists(catalog: Catalog) -> None:
    """'Not tested in trials' was untrue for EX-UE7 and SI3; an absence is only what a search found."""
    for point in catalog.points.values():
        for entry in point.evidence:
            note = entry.note.lower()
            assert "no trial has tested" not in note and "not tested in trials" not in note, (point.code, entry.benefit)


def test_lu1_is_not_said_to_be_traditional_for_the_nose(catalog: Catalog) -> None:
    note = catalog.points["LU1"].evidence_for("congestion").note  # type: ignore[union-attr]
    assert "rather than for the nose itself" in note


def test_catalog_json_has_per_use_evidence(catalog: Catalog) -> None:
    document = catalog_document(catalog)
    assert document["version"] == 2
    li4 = next(p for p in document["points"] if p["code"] == "LI4")
    assert [e["benefit"] for e in li4["evidence"]] == li4["benefits"]
    assert set(li4["evidence"][0]) == {"benefit", "level", "note", "sources"}
    levels = {e["level"] for p in document["points"] for e in p["evidence"]}
    assert levels <= {"moderate", "low", "very_low", "untested"}
    assert all(s["reference"] for s in document["sources"])


# -- citations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "field", "text"), [
    ("yeung-2022", "authors", "Yeung WF, Yu BYM, Chung KF"),
    ("murphy-2019", "authors", "Keshavarzi NR"),
    ("mskcc", "title", "Acupressure for Stress and Anxiety"),
    ("mskcc", "url", "https://www.mskcc.org/cancer-care/patient-education/acupressure-stress-and-anxiety"),
    ("wang-2005-yintang", "published_in", "101(3):666-669"),
    ("lamas-2009", "published_in", "46(6):759-767"),
])  # fmt: skip
def test_the_reported_citation_errors_are_fixed(catalog: Catalog, source: str, field: str, text: str) -> None:
    assert text in str(getattr(catalog.sources[source], field))


# -- texts that promise something -----------------------------------------------------------------


def test_no_benefit_promises_a_gentle_version_that_does_not_exist(catalog: Catalog) -> None:
    for benefit in catalog.benefits.values():
        if "gentle version" in benefit.description:
            assert any(benefit.id in r.benefits and r.safe_variant for r in catalog.routines.values()), benefit.id
    assert "routine" not in catalog.benefits["immunity"].summary


# -- finding the point ----------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "present", "absent"), [
    ("LU1", "coracoid", "below its outer end"),
    ("PC6", "palmaris longus", "If you can feel only one tendon, press just on its little-finger side"),
    ("KI6", "one thumb width (1 cun). You arrive just under the lower edge", "past the lower edge"),
    ("SI3", "not the small creases on the fingers", "crease across your palm nearest the fingers: it ends"),
    ("GV24", "three and a half thumb widths (3.5 cun)", "where the forehead starts to curve"),
    ("PC8", "alternative site", "notice where the tip of your middle finger touches the palm"),
])  # fmt: skip
def test_find_it_corrections(catalog: Catalog, code: str, present: str, absent: str) -> None:
    point = catalog.points[code]
    text = " ".join([point.location, *point.find_it])
    assert present in text
    assert absent not in text


def test_no_si3_cue_can_be_read_as_a_finger_crease(catalog: Catalog) -> None:
    for routine in catalog.routines.values():
        for step in routine.steps:
            if step.point == "SI3" and step.note:
                assert "knuckle" in step.note and "crease below the little finger" not in step.note, routine.id


def test_every_text_that_says_b_cun_gets_the_glossary_entry(catalog: Catalog) -> None:
    users = [p for p in catalog.points.values() if "B-cun" in p.location + " ".join(p.find_it)]
    assert len(users) > 20
    for point in users:
        assert "b-cun" in {t.id for t in catalog.terms_in([point.location, *point.find_it])}


def test_bl32_is_drawn_midway_between_the_psis_and_the_s2_spinous_process() -> None:
    """WHO: midway between the posterior superior iliac spine and the S2 spinous process, so
    roughly level with the PSIS, not one sacral opening lower."""
    svg = ResourceDirs.locate().bodymaps / "lower-back.svg"
    root = ET.parse(svg).getroot()
    circles = [e for e in root.iter() if e.tag.endswith("circle")]
    psis = sorted((float(e.get("cx", 0)), float(e.get("cy", 0))) for e in circles if e.get("r") == "3.2")
    sacral = sorted(float(e.get("cy", 0)) for e in root.iter() if e.tag.endswith("ellipse") and e.get("rx") == "4")
    s2 = (300.0, sacral[1])  # the small midline marks are the S1, S2 and S3 spinous processes
    bl32 = {e.get("id"): (float(e.get("cx", 0)), float(e.get("cy", 0))) for e in circles if "BL32" in e.get("id", "")}
    assert len(psis) == 2 and len(bl32) == 2
    for (px, py), side in zip(psis, ("pt-BL32-L", "pt-BL32-R"), strict=True):
        want = ((px + s2[0]) / 2, (py + s2[1]) / 2)
        x, y = bl32[side]
        assert abs(x - want[0]) <= 3 and abs(y - want[1]) <= 3, (side, (x, y), want)
        assert abs(y - py) < abs(y - (py + 26)), "closer to the PSIS level than to one opening lower"
