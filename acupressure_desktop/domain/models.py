"""Validated content models: the public shape of everything in ``data/``.

Qt-free. Every model forbids unknown keys so that a typo in a data file is
reported instead of silently ignored.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

# WHO codes, the WHO extra points (EX-), and extra points outside the WHO list by their pinyin (Anmian).
CODE_PATTERN = r"^(?:(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)\d{1,2}|EX-(?:HN|CA|B|UE|LE)\d{1,2}|[A-Z][a-z]{2,})$"
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
STEP_SECONDS = (5, 1800)  # the shortest and longest step
ROUTINE_STEPS = (2, 6)  # routines of 2 to 6 steps: longer ones are not followed through
Seconds = Annotated[int, Field(ge=STEP_SECONDS[0], le=STEP_SECONDS[1])]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CautionKind(StrEnum):
    """Fixed vocabulary; the UI orders and styles cautions by kind."""

    REFERENCE_ONLY = "reference_only"  # never offered for pressing
    PREGNANCY = "pregnancy"  # traditionally avoided in pregnancy
    ARTERY = "artery"  # over or beside an artery: moderate pressure, feel for the pulse
    EYE = "eye"  # near the eye: eyes closed, never on the eyeball
    GENTLE = "gentle"  # light pressure only
    SKIN = "skin"  # broken, inflamed, bruised skin, scars, varicose veins
    DEVICE = "device"  # where pacemakers, ports, lines, pumps or stomas usually sit
    BLOOD_THINNERS = "blood_thinners"  # anticoagulants or a bleeding disorder
    SPINE = "spine"  # on or beside the spine: no pressure on the bony process itself
    HARD_TO_REACH = "hard_to_reach"  # needs a tool or a wall


# Kinds a safety profile can act on, most serious first (order used for display).
CAUTION_ORDER: tuple[CautionKind, ...] = tuple(CautionKind)


class SourceKind(StrEnum):
    """What a source can vouch for: a location standard supports anatomy, never advice."""

    LOCATION_STANDARD = "location_standard"  # WHO 2008, WHO 1991: where a point is
    LOCATION_REFERENCE = "location_reference"  # atlases and teaching sites for extra points
    REVIEW = "review"  # systematic reviews and clinical reviews
    TRIAL = "trial"  # randomised or pilot trials
    PATIENT_EDUCATION = "patient_education"  # hospital and health-service advice for patients


ADVICE_KINDS = frozenset({SourceKind.REVIEW, SourceKind.TRIAL, SourceKind.PATIENT_EDUCATION})
RESEARCH_KINDS = frozenset({SourceKind.REVIEW, SourceKind.TRIAL})


class Source(Strict):
    """A citation with enough to find it again: authors, year, title and a stable identifier."""

    id: Slug
    label: Text  # short form shown inline, e.g. "Waits et al. 2018"
    kind: SourceKind
    authors: Text  # people ("Waits A, Tang YR, et al.") or the organisation that wrote it
    year: int = Field(ge=1900, le=2100)
    title: Text
    published_in: Text  # journal with volume and pages, or publisher / website
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    isbn: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9 -]{8,15}[0-9X]$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if not (self.doi or self.pmid or self.isbn or self.url):
            raise ValueError("a source needs a DOI, PMID, ISBN or stable https URL")
        return self

    @property
    def reference(self) -> str:
        """The full citation as one line of text."""
        ids = [f"doi:{self.doi}" if self.doi else "", f"PMID {self.pmid}" if self.pmid else ""]
        ids.append(f"ISBN {self.isbn}" if self.isbn else "")
        tail = " ".join(i for i in ids if i)
        text = f"{self.authors.rstrip('.')}. {self.title}. {self.published_in}; {self.year}."
        return f"{text} {tail}".strip()


class Caution(Strict):
    kind: CautionKind
    text: Text
    sources: list[Slug] = Field(min_length=1)


class EvidenceLevel(StrEnum):
    """How well trials support a use, strongest first."""

    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"
    UNTESTED = "untested"  # no trial of acupressure for this use: traditional use only


EVIDENCE_ORDER: tuple[EvidenceLevel, ...] = tuple(EvidenceLevel)


class Evidence(Strict):
    """How strong the evidence is for one benefit as a whole."""

    level: EvidenceLevel
    note: Text
    sources: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cited_unless_untested(self) -> Evidence:
        if self.level is not EvidenceLevel.UNTESTED and not self.sources:
            raise ValueError(f"evidence level {self.level.value!r} needs at least one source")
        return self


class UseEvidence(Evidence):
    """How strong the evidence is for pressing one point for one benefit."""

    benefit: Slug


class Technique(Strict):
    """How to press one point."""

    pressure: Literal["light", "moderate", "firm"]
    motion: Literal["hold", "circles", "knead", "tap", "pinch", "stroke"]
    hold_seconds: Seconds
    breathing: Text
    instruction: Text  # one or two sentences, readable within the step's time


class Alternative(Strict):
    """A second location for a point whose WHO location is disputed."""

    location: Text
    sources: list[Slug] = Field(min_length=1)


class Tier(StrEnum):
    """How the atlas offers a point; the map and the panel show it."""

    SELF_CARE = "self-care"  # fully described for pressing: technique, uses graded by evidence, a guide
    GENTLE = "gentle"  # may be pressed lightly, never in a routine; its 'gentle' caution says why
    REFERENCE = "reference"  # learn where it is, never pressed; its 'reference_only' caution says why


class Point(Strict):
    code: Code
    aliases: list[str] = Field(default_factory=list)
    pinyin: Text  # with tone marks, e.g. "Hégǔ"
    chinese: Text
    english: Text
    meridian: Annotated[str, StringConstraints(pattern=r"^(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV|EX)$")]
    region: Slug
    bilateral: bool
    tier: Tier
    location: Text
    find_it: list[Text] = Field(default_factory=list)
    technique: Technique | None = None
    benefits: list[Slug] = Field(default_factory=list)
    evidence: list[UseEvidence] = Field(default_factory=list)  # one entry per benefit, in the same order
    cautions: list[Caution] = Field(default_factory=list)
    sources: list[Slug] = Field(min_length=1)
    disputed: Alternative | None = None

    @model_validator(mode="after")
    def _evidence_per_benefit(self) -> Point:
        graded = [e.benefit for e in self.evidence]
        if graded != self.benefits:
            raise ValueError(f"evidence must grade each benefit once, in order: {self.benefits}, not {graded}")
        return self

    @model_validator(mode="after")
    def _tier_has_what_it_needs(self) -> Point:
        kinds = self.caution_kinds()
        if (self.tier is Tier.REFERENCE) != (CautionKind.REFERENCE_ONLY in kinds):
            raise ValueError("a 'reference' point, and only one, carries a 'reference_only' caution saying why")
        if self.tier is Tier.GENTLE and CautionKind.GENTLE not in kinds:
            raise ValueError("a 'gentle' point carries a 'gentle' caution saying why")
        if self.tier is Tier.SELF_CARE and (len(self.find_it) < 2 or self.technique is None or not self.benefits):
            raise ValueError("a 'self-care' point needs 'find_it' (2 steps or more), 'technique' and 'benefits'")
        return self

    @property
    def self_care(self) -> bool:
        """Fully described and offered for practice."""
        return self.tier is Tier.SELF_CARE

    def evidence_for(self, benefit: str) -> UseEvidence | None:
        return next((e for e in self.evidence if e.benefit == benefit), None)

    def pressing(self) -> Technique:
        """How a routine presses it; routines hold self-care points only, which all have one."""
        if self.technique is None:
            raise ValueError(f"{self.code} is a {self.tier.value} point and has no technique to press it with")
        return self.technique

    def caution_kinds(self) -> set[CautionKind]:
        return {c.kind for c in self.cautions}

    @field_validator("find_it")
    @classmethod
    def _no_numbering(cls, steps: list[str]) -> list[str]:
        for step in steps:
            if re.match(r"^\s*\d+[.)]", step):
                raise ValueError("steps are numbered by the app; drop the leading number")
        return steps


class Meridian(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Text  # e.g. "Large Intestine"
    pinyin: Text
    point_count: int = Field(ge=1, le=67)
    aliases: list[str] = Field(default_factory=list)


class Benefit(Strict):
    id: Slug
    title: Text
    summary: Text  # one line for lists
    description: Text
    evidence: Evidence
    red_flags: list[Text] = Field(min_length=1)  # "see a professional if ..."
    rating_label: Text  # what before/after check-ins rate, e.g. "Stress"


class MassageTechnique(Strict):
    """A self-massage technique not tied to one point."""

    id: Slug
    title: Text
    region: Slug
    views: list[Slug] = Field(default_factory=list)
    summary: Text
    steps: list[Text] = Field(min_length=2)
    seconds: Seconds
    benefits: list[Slug] = Field(min_length=1)
    cautions: list[Caution] = Field(default_factory=list)
    sources: list[Slug] = Field(min_length=1)


class Side(StrEnum):
    BOTH = "both"  # bilateral point: the runner splits the time into left then right
    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"  # midline point or technique


class Step(Strict):
    """One step of a routine: a point or a technique, never both."""

    point: Code | None = None
    technique: Slug | None = None
    seconds: Seconds
    side: Side = Side.BOTH
    note: str | None = None  # optional routine-specific cue

    @model_validator(mode="after")
    def _one_target(self) -> Step:
        if (self.point is None) == (self.technique is None):
            raise ValueError("a step names exactly one of 'point' or 'technique'")
        return self

    @property
    def target(self) -> str:
        return self.point or self.technique or ""


class Routine(Strict):
    id: Slug
    title: Text
    purpose: Text
    benefits: list[Slug] = Field(min_length=1)
    steps: list[Step] = Field(min_length=ROUTINE_STEPS[0], max_length=ROUTINE_STEPS[1])
    safe_variant: Slug | None = None  # routine offered instead under a pregnancy profile
    builtin: bool = True

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)


class Synonym(Strict):
    """Everyday words for one complaint or place (data/synonyms.json): what a person types
    ("can't sleep", "migraine", "period pain") and the benefits and regions search should find."""

    id: Slug
    phrases: list[Text] = Field(min_length=1)  # also offered as suggestions
    misspellings: list[Text] = Field(default_factory=list)  # found, never suggested
    benefits: list[Slug] = Field(default_factory=list)  # most relevant first
    regions: list[Slug] = Field(default_factory=list)  # point or technique regions

    @model_validator(mode="after")
    def _leads_somewhere(self) -> Synonym:
        if not self.benefits and not self.regions:
            raise ValueError("needs at least one benefit or region")
        return self


class Term(Strict):
    """A word the texts use that a reader may not know, explained wherever it appears."""

    id: Slug
    term: Text  # as it appears in the texts, e.g. "B-cun"
    definition: Text


class Region(Strict):
    """A clickable area of a view; ``closeup`` is the view that shows it in detail."""

    id: Slug
    title: Text
    closeup: Slug | None = None


class Landmark(Strict):
    """An anatomical landmark drawn on a view (a crease, a bone prominence, the navel...).

    ``x``/``y`` are in the view's SVG units. A landmark may lie beyond the drawn edge where the
    figure continues past it (the palm view's elbow crease); the map lights only what it shows.
    """

    id: Slug
    title: Text
    x: float
    y: float


class Scale(Strict):
    """A proportional bone-cun segment of a view: landmark ``from`` to landmark ``to`` is ``cun`` B-cun."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Slug
    from_: Slug = Field(alias="from")
    to: Slug
    cun: float = Field(gt=0, le=30)


class View(Strict):
    id: Slug
    title: Text
    file: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.svg$")]
    group: Literal["body", "head", "arm", "torso", "leg"]
    regions: list[Region] = Field(default_factory=list)
    # The view draws both sides of the body mirrored about this vertical line (SVG x): a guide
    # written for one side is reflected for the other.
    mirror_x: float | None = None
    landmarks: list[Landmark] = Field(default_factory=list)
    scales: list[Scale] = Field(default_factory=list)


class Finger(StrEnum):
    """Finger measures of the person's own hand (F-cun), as WHO 2008 and patient sheets give them."""

    HALF_THUMB = "half-thumb"  # half a thumb width
    THUMB = "thumb"  # thumb width at the knuckle
    TWO_FINGERS = "two-fingers"  # index and middle finger together
    THREE_FINGERS = "three-fingers"  # index, middle and ring finger together
    FOUR_FINGERS = "four-fingers"  # index to little finger at the middle finger's middle crease


FINGER_CUN: dict[Finger, float] = {
    Finger.HALF_THUMB: 0.5,
    Finger.THUMB: 1.0,
    Finger.TWO_FINGERS: 1.5,
    Finger.THREE_FINGERS: 2.0,
    Finger.FOUR_FINGERS: 3.0,
}

# A place on a view: a landmark id or an [x, y] pair in SVG units.
Place = Slug | tuple[float, float]


class GuideStep(Strict):
    """One step of a measuring guide.

    Kinds, by the fields present: *measure* (``cun`` with ``scale`` and ``to``; ``from`` defaults
    to the previous step's end), *divide* (``between`` two places at ``fraction``, ending at
    ``to``), *mark* (``to`` alone: "the point is here"), or *read* (text, maybe lighting
    ``landmarks``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    text: Text
    landmarks: list[Slug] = Field(default_factory=list)
    from_: Place | None = Field(default=None, alias="from")
    to: Place | None = None
    cun: float | None = Field(default=None, gt=0, le=30)
    scale: Slug | None = None
    fingers: list[Finger] = Field(default_factory=list)
    between: tuple[Place, Place] | None = None
    fraction: float | None = Field(default=None, gt=0, lt=1)

    @model_validator(mode="after")
    def _one_kind(self) -> GuideStep:
        if self.cun is not None:
            if self.scale is None or self.to is None:
                raise ValueError("a measuring step needs 'scale' and 'to' with its 'cun'")
            if self.between is not None:
                raise ValueError("a step either measures ('cun') or divides ('between'), not both")
            if self.fingers:
                total = sum(FINGER_CUN[f] for f in self.fingers)
                if abs(total - self.cun) > 0.05:
                    raise ValueError(f"the fingers add up to {total:g} B-cun, not {self.cun:g}")
        elif self.fingers:
            raise ValueError("'fingers' goes with a measuring step ('cun')")
        if (self.between is None) != (self.fraction is None):
            raise ValueError("'between' and 'fraction' go together")
        if self.between is not None and self.to is None:
            raise ValueError("a dividing step needs 'to'")
        if self.from_ is not None and self.cun is None:
            raise ValueError("'from' goes with a measuring step ('cun')")
        return self

    @property
    def kind(self) -> Literal["measure", "divide", "mark", "read"]:
        if self.cun is not None:
            return "measure"
        if self.between is not None:
            return "divide"
        return "mark" if self.to is not None else "read"


class Guide(Strict):
    """How to find one point on one view, step by step; the last step ends on the point."""

    point: Code
    view: Slug
    steps: list[GuideStep] = Field(min_length=2, max_length=8)

    @model_validator(mode="after")
    def _ends_somewhere(self) -> Guide:
        if self.steps[-1].to is None:
            raise ValueError("the last step must end on the point ('to')")
        return self
