"""The point detail panel: everything about one point, safety first."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal, SignalInstance, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStyle, QTextBrowser, QVBoxLayout, QWidget

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.domain.models import CautionKind, EvidenceLevel, MassageTechnique, Point, Tier
from acupressure_desktop.domain.safety import ordered_cautions
from acupressure_desktop.ui.accessibility import expose_structure
from acupressure_desktop.ui.pictures import PictureView
from acupressure_desktop.ui.texts import PANEL_HINT
from acupressure_desktop.ui.theme import LIGHT, Colors

EVIDENCE_LABELS = {
    EvidenceLevel.MODERATE: "Moderate evidence",
    EvidenceLevel.LOW: "Low-quality evidence",
    EvidenceLevel.VERY_LOW: "Very low-quality evidence",
    EvidenceLevel.UNTESTED: "Untested: traditional use",
}
CAUTION_TITLES = {
    CautionKind.REFERENCE_ONLY: "Reference only: do not press",
    CautionKind.PREGNANCY: "Pregnancy",
    CautionKind.ARTERY: "Artery nearby",
    CautionKind.EYE: "Near the eye",
    CautionKind.GENTLE: "Gentle pressure",
    CautionKind.SKIN: "Skin and veins",
    CautionKind.DEVICE: "Implanted devices and ports",
    CautionKind.BLOOD_THINNERS: "Blood thinners",
    CautionKind.SPINE: "Spine",
    CautionKind.HARD_TO_REACH: "Hard to reach",
}

TIER_LABELS = {
    Tier.SELF_CARE: "Self-care point",
    Tier.GENTLE: "Gentle point: light pressure only",
    Tier.REFERENCE: "Reference point: learn where it is, do not press",
}
NOT_PRACTISED = {
    Tier.GENTLE: "Press this point lightly if you wish; it is not part of routines, which hold self-care points only.",
    Tier.REFERENCE: "This point is shown for learning only and is never pressed or practised.",
}

PICTURE_MIN_PANEL_HEIGHT = 640  # px: below this the panel shows no picture


class PointPanel(QWidget):
    practiseRequested = Signal(str)
    favouriteToggled = Signal(str, bool)
    addToRoutineRequested = Signal(str)
    viewRequested = Signal(str)
    benefitRequested = Signal(str)
    fingerGuideRequested = Signal()  # a "B-cun" link

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._colors = LIGHT
        self._point: Point | None = None
        self._flagged_kinds: set[CautionKind] = set()
        self._advisories: list[str] = []
        self._favourites: set[str] = set()

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        self.browser.setAccessibleName("Point details")
        cap_reading_width(self.browser)
        expose_structure(self.browser)  # headings, numbered steps and links reach screen readers

        self.practise_button = QPushButton("Practise now")
        self.practise_button.setProperty("primary", True)
        self.practise_button.setAccessibleName("Practise this point now")
        self.practise_button.clicked.connect(lambda: self._emit_code(self.practiseRequested))
        self.favourite_button = QPushButton("☆")
        self.favourite_button.setToolTip("Add to favourites")
        self.favourite_button.setCheckable(True)
        self.favourite_button.setAccessibleName("Add this point to favourites")
        self.favourite_button.toggled.connect(self._on_favourite)
        self.add_button = QPushButton("Add to routine…")
        self.add_button.setAccessibleName("Add this point to a routine")
        self.add_button.clicked.connect(lambda: self._emit_code(self.addToRoutineRequested))

        self.placeholder = QLabel(PANEL_HINT)
        self.placeholder.setObjectName("muted")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        for button in (self.practise_button, self.favourite_button, self.add_button):
            button.setMinimumWidth(button.sizeHint().width())  # never clip the labels
        actions = QHBoxLayout()
        actions.addWidget(self.practise_button)
        actions.addWidget(self.favourite_button)
        actions.addWidget(self.add_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.browser, 1)
        # Measuring guide (issue 15): its own widget; the Learn page fills it and plays it on the map.
        from acupressure_desktop.ui.guide_steps import GuideSteps

        self.guide = GuideSteps(self)
        layout.addWidget(self.guide)
        self.picture = PictureView(catalog, 120)  # how to press: the hands at work
        layout.addWidget(self.picture)
        layout.addLayout(actions)
        self._show_placeholder(True)

    @property
    def point(self) -> Point | None:
        return self._point

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # On a short screen the point's text needs the height more than the picture does (the
        # routine's steps and the session dock show it too).
        self.picture.setVisible(event.size().height() >= PICTURE_MIN_PANEL_HEIGHT)

    def _show_placeholder(self, empty: bool) -> None:
        self.placeholder.setVisible(empty)
        self.browser.setVisible(not empty)
        for button in (self.practise_button, self.favourite_button, self.add_button):
            button.setVisible(not empty)
        self.guide.setVisible(not empty)

    def set_colors(self, colors: Colors) -> None:
        self._colors = colors
        self._render()

    def set_flagged_kinds(self, kinds: set[CautionKind]) -> None:
        self._flagged_kinds = kinds
        self._render()

    def set_advisories(self, texts: list[str]) -> None:
        """Profile-wide advice (light pressure with blood thinners...), shown with every point."""
        self._advisories = list(texts)
        self._render()

    def set_favourites(self, codes: set[str]) -> None:
        self._favourites = set(codes)
        self._sync_favourite()

    def show_point(self, code: str | None) -> None:
        self._point = self._catalog.points.get(code) if code else None
        self._render()

    def show_technique(self, technique: MassageTechnique) -> None:
        """A massage step of a running routine: its own steps and cautions (no point buttons)."""
        self._point = None
        self.placeholder.setVisible(False)
        self.browser.setVisible(True)
        for button in (self.practise_button, self.favourite_button, self.add_button):
            button.setVisible(False)
        self.browser.setHtml(technique_html(technique, self._colors))

    def _render(self) -> None:
        point = self._point
        self._show_placeholder(point is None)
        self.picture.show_point(point.code if point is not None else None)
        if point is None:
            return
        html = point_html(point, self._catalog, self._colors, self._flagged_kinds, self._advisories)
        self.browser.setHtml(link_cun(html))
        for button in (self.practise_button, self.add_button):
            button.setEnabled(point.self_care)
            button.setToolTip("" if point.self_care else NOT_PRACTISED[point.tier])
        self._sync_favourite()

    def _sync_favourite(self) -> None:
        if self._point is None:
            return
        is_favourite = self._point.code in self._favourites
        self.favourite_button.blockSignals(True)
        self.favourite_button.setChecked(is_favourite)
        self.favourite_button.setText("★" if is_favourite else "☆")
        self.favourite_button.setToolTip("Remove from favourites" if is_favourite else "Add to favourites")
        self.favourite_button.blockSignals(False)

    def _emit_code(self, signal: SignalInstance) -> None:
        if self._point is not None:
            signal.emit(self._point.code)

    @Slot(bool)
    def _on_favourite(self, checked: bool) -> None:
        if self._point is None:
            return
        if checked:
            self._favourites.add(self._point.code)
        else:
            self._favourites.discard(self._point.code)
        self._sync_favourite()
        self.favouriteToggled.emit(self._point.code, checked)

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        kind, _, value = url.toString().partition(":")
        if kind == "view":
            self.viewRequested.emit(value)
        elif kind == "benefit":
            self.benefitRequested.emit(value)
        elif kind == "cun":
            self.fingerGuideRequested.emit()


READING_CHARACTERS = 90  # the longest comfortable line


class _ReadingWidth(QObject):
    """Wraps at the widget's width, but never wider than about READING_CHARACTERS."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.Resize and isinstance(watched, QTextBrowser):
            cap = watched.fontMetrics().averageCharWidth() * READING_CHARACTERS
            # The viewport is resized after this event: measure the widget itself (less frame and a scroll bar).
            scroll_bar = watched.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            wide = watched.width() - 2 * watched.frameWidth() - scroll_bar - 8 > cap
            mode = QTextBrowser.LineWrapMode.FixedPixelWidth if wide else QTextBrowser.LineWrapMode.WidgetWidth
            if watched.lineWrapMode() is not mode:
                watched.setLineWrapMode(mode)
            if wide and watched.lineWrapColumnOrWidth() != cap:
                watched.setLineWrapColumnOrWidth(cap)
        return False


def cap_reading_width(browser: QTextBrowser) -> None:
    """Lines no longer than about READING_CHARACTERS, however wide the window (2560 px screens)."""
    browser.installEventFilter(_ReadingWidth(browser))


def chinese_unbroken(name: str) -> str:
    """A Chinese name kept on one line: a word joiner between its characters (内关, never 内 / 关)."""
    return "\u2060".join(name)


def point_html(
    point: Point, catalog: Catalog, c: Colors, flagged: set[CautionKind], advisories: list[str] | None = None
) -> str:
    """The panel's rich text; plain Qt rich-text subset (tables, no CSS layout)."""
    meridian = catalog.meridians.get(point.meridian)
    meridian_text = f"{meridian.name} meridian ({meridian.code})" if meridian else "Extra point (outside the meridians)"
    side_text = "both sides of the body" if point.bilateral else "on the midline"
    parts = [
        f"<h2 style='font-size:18pt; font-weight:600; margin-top:0; margin-bottom:0'>{escape(point.code)} · "
        f"{escape(point.pinyin)} <span style='font-weight:400; white-space:nowrap'>"
        f"{escape(chinese_unbroken(point.chinese))}</span></h2>",
        f"<div style='font-size:12pt; color:{c.muted}'>{escape(point.english)} — {escape(meridian_text)}, "
        f"{side_text} · {TIER_LABELS[point.tier]}</div>",
    ]
    for caution in ordered_cautions(point.cautions, flagged):
        serious = caution.kind is CautionKind.REFERENCE_ONLY or caution.kind in flagged
        bg, fg = (c.danger_bg, c.danger_text) if serious else (c.warning_bg, c.warning_text)
        note = " — flagged by your safety profile" if caution.kind in flagged else ""
        parts.append(
            f"<table width='100%' cellpadding='8' style='margin-top:8px; background:{bg}'><tr><td style='color:{fg}'>"
            f"<b>⚠ {escape(CAUTION_TITLES[caution.kind])}{note}</b><br>{escape(caution.text)}</td></tr></table>"
        )
    for advice in advisories or []:
        parts.append(
            f"<table width='100%' cellpadding='8' style='margin-top:8px; background:{c.warning_bg}'><tr>"
            f"<td style='color:{c.warning_text}'><b>⚠ Your safety profile</b><br>{escape(advice)}</td></tr></table>"
        )
    parts.append(_section("Where it is", f"<p>{escape(point.location)}</p>"))
    if point.disputed:
        parts.append(
            f"<p style='color:{c.muted}'><i>Location disputed in the WHO standard. Alternative: "
            f"{escape(point.disputed.location)}</i></p>"
        )
    if point.find_it:
        steps = "".join(f"<li>{escape(step)}</li>" for step in point.find_it)
        parts.append(_section("How to find it", f"<ol>{steps}</ol>"))
    t = point.technique
    sides = " on each side" if point.bilateral else ""
    if not point.self_care or t is None:  # nothing to follow in a routine: say how it may be touched
        parts.append(_section("How to press", f"<p>{escape(NOT_PRACTISED[point.tier])}</p>"))
    else:
        parts.append(
            _section(
                "How to press",
                f"<p>{escape(t.instruction)}</p>"
                f"<table cellpadding='3'><tr><td style='color:{c.muted}'>Pressure</td><td>{t.pressure}</td></tr>"
                f"<tr><td style='color:{c.muted}'>Motion</td><td>{t.motion}</td></tr>"
                f"<tr><td style='color:{c.muted}'>Time</td><td>{_duration(t.hold_seconds)}{sides}</td></tr>"
                f"<tr><td style='color:{c.muted}'>Breathing</td><td>{escape(t.breathing)}</td></tr></table>",
            )
        )
    uses = "".join(
        f"<tr><td style='padding-top:6px'><a href='benefit:{e.benefit}'>{escape(catalog.benefits[e.benefit].title)}</a>"
        f" — <b>{EVIDENCE_LABELS[e.level]}</b><br>{escape(e.note)}{_citations(e.sources, catalog)}</td></tr>"
        for e in point.evidence
        if e.benefit in catalog.benefits
    )
    if uses:
        parts.append(_section("Used for, and how strong the evidence is", f"<table cellpadding='2'>{uses}</table>"))
    views = catalog.views_of(point.code)
    if views:
        links = " · ".join(f"<a href='view:{v.id}'>{escape(v.title)}</a>" for v in views)
        parts.append(_section("Shown on", f"<p>{links}</p>"))
    terms = catalog.terms_in([point.location, *point.find_it, *([t.instruction] if t else [])])
    if terms:
        words = "".join(f"<p><b>{escape(t.term)}</b>: {escape(t.definition)}</p>" for t in terms)
        parts.append(_section("Words used here", words))
    sources = "".join(f"<li>{escape(catalog.sources[s].reference)}</li>" for s in _cited(point) if s in catalog.sources)
    parts.append(_section("Sources", f"<ul style='color:{c.muted}'>{sources}</ul>"))
    parts.append(
        f"<p style='color:{c.muted}; font-size:9pt'>Self-care information, not medical advice. Stop if pressing "
        "causes sharp or severe pain, and see a health professional for anything serious or persistent.</p>"
    )
    return "".join(parts)


def link_cun(html: str) -> str:
    """Every "B-cun" in the text links to the finger-measure guide (what a B-cun is, and how to measure it)."""
    return html.replace("B-cun", "<a href='cun:'>B-cun</a>")


def technique_html(technique: MassageTechnique, c: Colors) -> str:
    """A massage technique during a routine: what it is, its steps, its cautions."""
    steps = "".join(f"<li>{escape(step)}</li>" for step in technique.steps)
    cautions = "".join(
        f"<table width='100%' cellpadding='8' style='margin-top:8px; background:{c.warning_bg}'><tr>"
        f"<td style='color:{c.warning_text}'><b>⚠ {escape(CAUTION_TITLES[caution.kind])}</b><br>"
        f"{escape(caution.text)}</td></tr></table>"
        for caution in technique.cautions
    )
    return (
        f"<div style='font-size:18pt; font-weight:600'>{escape(technique.title)}</div>"
        f"<p>{escape(technique.summary)}</p>{cautions}{_section('How to do it', f'<ol>{steps}</ol>')}"
    )


def _cited(point: Point) -> list[str]:
    """Every source the panel cites for this point, each once, in the order they appear."""
    ids = [*point.sources]
    ids += [s for caution in point.cautions for s in caution.sources]
    ids += [s for entry in point.evidence for s in entry.sources]
    if point.disputed:
        ids += point.disputed.sources
    return list(dict.fromkeys(ids))


def _section(title: str, body: str) -> str:
    return f"<h3 style='margin-top:14px; margin-bottom:4px'>{escape(title)}</h3>{body}"


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    return f"{minutes} min" if minutes else f"{rest} s"


def _citations(source_ids: list[str], catalog: Catalog) -> str:
    labels = [escape(catalog.sources[s].label) for s in source_ids if s in catalog.sources]
    return f" <span>({'; '.join(labels)})</span>" if labels else ""
