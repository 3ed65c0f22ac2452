"""Light and dark themes: a Fusion palette, a small style sheet, and the map's colours.

"system" follows the platform colour scheme (Qt 6.5+ style hints) and keeps following it.

Every colour pair that carries meaning is listed in ``components()`` with the contrast it needs
(WCAG 2.2: 4.5:1 for text, 3:1 for controls, focus indicators and map markers); a test holds both
themes to it, and ``docs/accessibility.md`` carries the figures (``tools/contrast-report``).
The body figures keep their skin tones in both themes, so the map's markers are measured
against the skin, not against the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QTabBar,
    QWidget,
)


@dataclass(frozen=True)
class Colors:
    name: str
    window: str
    surface: str  # cards, panels
    canvas: str  # behind the body figure
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    hotspot: str
    hotspot_edge: str
    selected: str
    current: str  # the current routine step
    match: str
    warning_bg: str
    warning_text: str
    danger_bg: str
    danger_text: str
    info_bg: str
    focus: str  # focus rings: against the window, cards and the primary button's fill
    control_border: str  # edges that show where a control is (entries, buttons, lists)
    marker_edge: str  # the ring around a map marker
    flagged: str  # a flagged marker's dashed ring
    primary_focus_bg: str  # a focused primary button's fill (where the ring cannot reach 3:1 on accent)
    primary_focus_text: str


# Skin tones the body figures are drawn in (assets/bodymaps/*.svg): markers sit on these.
SKIN = {"skin": "#F2DCCB", "skin, shaded": "#E8CBB6", "skin, shadow": "#C9B2A4"}
# The 14 channel paths: a colour (at least 3:1 on every skin tone and on the white casing drawn
# under each path, which carries it over the dark canvas) paired with a dash pattern (in pen
# widths), so that no two channels look alike in greyscale or to colour-blind readers who see
# two colours as one; the code is also written at both ends of each run.
CHANNEL_CASING = "#FFFFFF"
CHANNEL_STYLES: dict[str, tuple[str, tuple[float, ...]]] = {
    "LU": ("#1F5FA8", ()),
    "LI": ("#8A4B08", (6, 3)),
    "ST": ("#B0005A", (1, 2.5)),
    "SP": ("#7A5C00", (6, 2, 1, 2)),
    "HT": ("#C0162C", ()),
    "SI": ("#9A3412", (3, 3)),
    "BL": ("#0B5394", (6, 3)),
    "KI": ("#4B2E83", (6, 2, 1, 2)),
    "PC": ("#8E2491", (10, 3)),
    "TE": ("#006872", (3, 3)),
    "GB": ("#296E2C", (1, 2.5)),
    "LR": ("#3F6212", (10, 3)),
    "GV": ("#1F2937", (6, 2, 1, 2, 1, 2)),
    "CV": ("#5B4636", (6, 2, 1, 2, 1, 2)),
}
MAP_FOCUS = "#15181C"  # the focused marker's ring, in both themes: the figures do not change with the theme


LIGHT = Colors(
    name="light",
    window="#F6F4F1",
    surface="#FFFFFF",
    canvas="#FBFAF8",
    text="#24292F",
    muted="#5F6B76",
    border="#DDD8D2",
    accent="#23767A",
    accent_text="#FFFFFF",
    hotspot="#1B5E62",
    hotspot_edge="#FFFFFF",
    selected="#A3360A",
    current="#6D28D9",
    match="#0A6B4A",
    warning_bg="#FFF4E5",
    warning_text="#7A3E00",
    danger_bg="#FDECEC",
    danger_text="#8A1C1C",
    info_bg="#EAF4F4",
    focus="#15181C",
    control_border="#857F78",
    marker_edge="#FFFFFF",
    flagged="#8A1C1C",
    primary_focus_bg="#23767A",
    primary_focus_text="#FFFFFF",
)

DARK = Colors(
    name="dark",
    window="#1E2124",
    surface="#26292D",
    canvas="#2C3035",
    text="#E6E6E6",
    muted="#A3ACB5",
    border="#3A3F45",
    accent="#4FB3B6",
    accent_text="#0F1A1B",
    # The figures keep their skin tones in the dark theme: markers stay dark on light skin.
    hotspot="#1B5E62",
    hotspot_edge="#FFFFFF",
    selected="#A3360A",
    current="#6D28D9",
    match="#0A6B4A",
    warning_bg="#3A2E1C",
    warning_text="#FFD8A8",
    danger_bg="#3B2224",
    danger_text="#FFB4B4",
    info_bg="#213436",
    focus="#FFD166",
    control_border="#80878F",
    marker_edge="#FFFFFF",
    flagged="#8A1C1C",
    primary_focus_bg="#1E2124",
    primary_focus_text="#FFD166",
)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def resolve(theme: str) -> Colors:
    if theme == "dark":
        return DARK
    if theme == "light":
        return LIGHT
    return DARK if system_prefers_dark() else LIGHT


class _Style(QProxyStyle):
    """Fusion with check box, radio and focus edges that stay visible in both themes. (Dialog
    buttons lose their stock icons in the style sheet: they crowded *Save*, *Cancel* and *OK*.)"""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        """Fusion's radio and check box edges and focus rectangles all but vanish in the dark theme:
        draw a clear edge in the muted text colour, and the keyboard focus as an accent ring."""
        if element is QStyle.PrimitiveElement.PE_FrameFocusRect:
            if isinstance(widget, (QAbstractButton, QTabBar)):
                return  # their style sheet ":focus" border marks them; a second ring crossed "Learn"
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(
                QRectF(option.rect).adjusted(-2.5, -1.5, 2.5, 1.5), 3, 3
            )  # around, not on, the text
            painter.restore()
            return
        super().drawPrimitive(element, option, painter, widget)
        radio = element is QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if radio or element is QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.PlaceholderText), 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            box = QRectF(option.rect).adjusted(0.6, 0.6, -0.6, -0.6)
            if radio:
                painter.drawEllipse(box)
            else:
                painter.drawRoundedRect(box, 2, 2)
            painter.restore()


def apply(app: QApplication, colors: Colors) -> None:
    if not isinstance(app.style(), _Style):
        app.setStyle(_Style(QStyleFactory.create("Fusion")))
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.window,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.surface,
        QPalette.ColorRole.AlternateBase: colors.window,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.surface,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.Highlight: colors.accent,
        QPalette.ColorRole.HighlightedText: colors.accent_text,
        QPalette.ColorRole.ToolTipBase: colors.surface,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.muted,
        QPalette.ColorRole.Link: colors.accent,
        QPalette.ColorRole.Mid: colors.border,
        QPalette.ColorRole.Midlight: colors.border,
        # Fusion draws check box and frame edges with Dark: keep them visible in both themes.
        QPalette.ColorRole.Dark: colors.muted,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colors.muted))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(colors))


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property or object name it matches on changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def style_sheet(c: Colors) -> str:
    return f"""
    * {{ dialogbuttonbox-buttons-have-icons: 0; }}
    QToolTip {{ border: 1px solid {c.border}; padding: 4px 6px; }}
    QLineEdit, QPlainTextEdit, QTextEdit {{
        border: 1px solid {c.border}; border-radius: 6px; padding: 5px 8px; background: {c.surface};
    }}
    QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QTimeEdit {{ border-color: {c.control_border}; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {c.focus}; padding: 4px 7px; }}
    QPushButton {{
        border: 1px solid {c.control_border}; border-radius: 6px; padding: 6px 14px; background: {c.surface};
    }}
    QPushButton:hover {{ border-color: {c.accent}; }}
    QPushButton:focus {{ border: 2px solid {c.focus}; padding: 5px 13px; }}
    QPushButton[primary="true"] {{ background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; }}
    QPushButton[primary="true"]:focus {{
        background: {c.primary_focus_bg}; color: {c.primary_focus_text}; border: 2px solid {c.focus};
    }}
    QPushButton[primary="true"]:disabled {{ background: {c.border}; color: {c.muted}; border-color: {c.border}; }}
    QPushButton:disabled {{ color: {c.muted}; }}
    QToolButton {{ border: 1px solid transparent; border-radius: 6px; padding: 4px 8px; }}
    QToolButton:hover {{ border-color: {c.control_border}; background: {c.surface}; }}
    QToolButton:checked {{ background: {c.info_bg}; border-color: {c.accent}; }}
    QToolButton:focus {{ border: 2px solid {c.focus}; padding: 3px 7px; }}
    QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 4px; padding: 1px 3px; }}
    QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {c.focus}; }}
    QListWidget, QListView, QTableView, QTreeView, QTextBrowser {{
        border: 1px solid {c.control_border}; border-radius: 8px; background: {c.surface};
    }}
    QListWidget:focus, QListView:focus, QTableView:focus, QTreeView:focus, QTextBrowser:focus {{
        border: 2px solid {c.focus};
    }}
    QListWidget::item {{ padding: 6px 8px; border-radius: 6px; border: 2px solid transparent; }}
    QListWidget::item:selected {{ background: {c.info_bg}; color: {c.text}; border: 2px solid {c.accent}; }}
    QTabBar::tab {{ padding: 6px 12px; border: none; border-bottom: 2px solid transparent; color: {c.muted}; }}
    QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
    QTabBar::tab:focus {{ border: 2px solid {c.focus}; border-radius: 4px; padding: 4px 10px 6px 10px; }}
    QTabBar::tab:hover {{ color: {c.text}; }}
    QTabBar#groups::tab {{ border: 1px solid transparent; border-radius: 6px; margin-right: 1px; padding: 5px 7px; }}
    QTabBar#groups::tab:selected {{ background: {c.info_bg}; border-color: {c.accent}; }}
    QTabBar#groups::tab:focus {{ border: 2px solid {c.focus}; padding: 4px 6px; }}
    QDockWidget::title {{ padding: 6px 10px; background: {c.window}; }}
    QFrame#card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 10px; }}
    QLabel#muted {{ color: {c.muted}; }}
    QLabel#title {{ font-size: 15pt; font-weight: 600; }}
    QLabel#subtitle {{ font-size: 11pt; font-weight: 600; }}
    QLabel#warning {{ background: {c.warning_bg}; color: {c.warning_text}; border-radius: 6px; padding: 6px 10px; }}
    QLabel#danger {{ background: {c.danger_bg}; color: {c.danger_text}; border-radius: 6px; padding: 6px 10px; }}
    QStatusBar {{ color: {c.muted}; }}
    """


# -- contrast ---------------------------------------------------------------------------------------

TEXT, NON_TEXT = 4.5, 3.0  # WCAG 2.2 AA: 1.4.3 (text) and 1.4.11 (controls, focus, graphics)


def luminance(colour: str) -> float:
    """WCAG relative luminance of an opaque "#RRGGBB"."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Pair:
    component: str
    foreground: str  # which Colors field (or skin tone) is the component
    background: str  # which it sits on
    fg: str
    bg: str
    needed: float

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)


def components(c: Colors) -> list[Pair]:
    """Every colour pair that must be told apart, with the ratio it needs."""
    pairs: list[tuple[str, str, str, float]] = [
        ("Body text on the window", "text", "window", TEXT),
        ("Body text on cards and entries", "text", "surface", TEXT),
        ("Secondary text on cards", "muted", "surface", TEXT),
        ("Secondary text on the window", "muted", "window", TEXT),
        ("Links on cards", "accent", "surface", TEXT),
        ("Primary button label", "accent_text", "accent", TEXT),
        ("Focused primary button label", "primary_focus_text", "primary_focus_bg", TEXT),
        ("Selected list row text", "text", "info_bg", TEXT),
        ("Caution text", "warning_text", "warning_bg", TEXT),
        ("Serious caution text", "danger_text", "danger_bg", TEXT),
        ("Control edges on cards (entries, buttons, lists)", "control_border", "surface", NON_TEXT),
        ("Control edges on the window", "control_border", "window", NON_TEXT),
        ("Check box edge (Fusion's Dark role) on cards", "muted", "surface", NON_TEXT),
        ("Primary button fill on the window", "accent", "window", NON_TEXT),
        ("Selected tab underline, selected row edge", "accent", "surface", NON_TEXT),
        ("Focus ring on the window", "focus", "window", NON_TEXT),
        ("Focus ring on cards, entries and list rows", "focus", "surface", NON_TEXT),
        ("Focus ring on a selected list row", "focus", "info_bg", NON_TEXT),
        ("Focus ring against the focused primary button's fill", "focus", "primary_focus_bg", NON_TEXT),
        # Where the ring cannot reach 3:1 on the accent fill (dark), the fill itself changes on focus.
        (
            "Focused primary button against the unfocused one",
            "primary_focus_bg" if c.primary_focus_bg != c.accent else "focus",
            "accent",
            NON_TEXT,
        ),
    ]
    found = [Pair(name, fg, bg, getattr(c, fg), getattr(c, bg), need) for name, fg, bg, need in pairs]
    markers = (
        ("Map marker", "hotspot"),
        ("Selected marker", "selected"),
        ("Current-step marker", "current"),
        ("Search-match marker", "match"),
        ("Flagged marker's ring", "flagged"),
    )
    for name, field in markers:
        for skin, tone in SKIN.items():
            found.append(Pair(f"{name} on {skin}", field, skin, getattr(c, field), tone, NON_TEXT))
    for name, field in markers[:4]:
        found.append(Pair(f"{name} against its ring", field, "marker_edge", getattr(c, field), c.marker_edge, NON_TEXT))
    for skin, tone in SKIN.items():
        found.append(Pair(f"Focused marker's ring on {skin}", "MAP_FOCUS", skin, MAP_FOCUS, tone, NON_TEXT))
    for meridian, (colour, _dash) in CHANNEL_STYLES.items():
        darkest = min(SKIN.items(), key=lambda item: contrast(colour, item[1]))
        found.append(Pair(f"Channel {meridian} on {darkest[0]}", meridian, darkest[0], colour, darkest[1], NON_TEXT))
        found.append(Pair(f"Channel {meridian} on its casing", meridian, "casing", colour, CHANNEL_CASING, NON_TEXT))
        # Off the figure the path itself stands out on a light canvas, its casing on a dark one.
        edge, fg = (meridian, colour) if contrast(colour, c.canvas) >= NON_TEXT else ("casing", CHANNEL_CASING)
        found.append(Pair(f"Channel {meridian} off the figure", edge, "canvas", fg, c.canvas, NON_TEXT))
    return found


def contrast_table() -> str:
    """The Markdown table of every component in both themes (docs/accessibility.md)."""
    lines = [
        "| Component | Needs | Light | Dark |",
        "|---|---|---|---|",
    ]
    for light, dark in zip(components(LIGHT), components(DARK), strict=True):
        assert light.component == dark.component
        lines.append(
            f"| {light.component} | {light.needed:g}:1 | {light.ratio:.2f}:1 ({light.fg} on {light.bg}) "
            f"| {dark.ratio:.2f}:1 ({dark.fg} on {dark.bg}) |"
        )
    return "\n".join(lines) + "\n"
