"""Light and dark themes: a Fusion palette, a small style sheet, and the map's colours.

"system" follows the platform colour scheme (Qt 6.5+ style hints) and keeps following it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleHintReturn,
    QStyleOption,
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
    hotspot="#23767A",
    hotspot_edge="#FFFFFF",
    selected="#C2410C",
    current="#7C3AED",
    match="#0E9F6E",
    warning_bg="#FFF4E5",
    warning_text="#7A3E00",
    danger_bg="#FDECEC",
    danger_text="#8A1C1C",
    info_bg="#EAF4F4",
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
    hotspot="#4FB3B6",
    hotspot_edge="#1E2124",
    selected="#FB923C",
    current="#A78BFA",
    match="#34D399",
    warning_bg="#3A2E1C",
    warning_text="#FFD8A8",
    danger_bg="#3B2224",
    danger_text="#FFB4B4",
    info_bg="#213436",
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
    """Fusion without the platform's stock icons on dialog buttons (they crowded the text of *Save*,
    *Cancel* and *OK*)."""

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        return_data: QStyleHintReturn | None = None,
    ) -> int:
        if hint is QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, return_data)

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


def style_sheet(c: Colors) -> str:
    return f"""
    QToolTip {{ border: 1px solid {c.border}; padding: 4px 6px; }}
    QLineEdit, QPlainTextEdit, QTextEdit {{
        border: 1px solid {c.border}; border-radius: 6px; padding: 5px 8px; background: {c.surface};
    }}
    QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {c.accent}; }}
    QPushButton {{
        border: 1px solid {c.border}; border-radius: 6px; padding: 6px 14px; background: {c.surface};
    }}
    QPushButton:hover {{ border-color: {c.accent}; }}
    QPushButton:focus {{ border: 2px solid {c.accent}; padding: 5px 13px; }}
    QPushButton[primary="true"] {{ background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; }}
    QPushButton[primary="true"]:disabled {{ background: {c.border}; color: {c.muted}; border-color: {c.border}; }}
    QPushButton:disabled {{ color: {c.muted}; }}
    QToolButton {{ border: 1px solid transparent; border-radius: 6px; padding: 4px 8px; }}
    QToolButton:hover {{ border-color: {c.border}; background: {c.surface}; }}
    QToolButton:checked {{ background: {c.info_bg}; border-color: {c.accent}; }}
    QToolButton:focus {{ border: 2px solid {c.accent}; }}
    QListWidget, QListView, QTableView, QTreeView, QTextBrowser {{
        border: 1px solid {c.border}; border-radius: 8px; background: {c.surface};
    }}
    QListWidget::item {{ padding: 6px 8px; border-radius: 6px; }}
    QListWidget::item:selected {{ background: {c.info_bg}; color: {c.text}; }}
    QTabBar::tab {{ padding: 6px 12px; border: none; border-bottom: 2px solid transparent; color: {c.muted}; }}
    QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
    QTabBar::tab:hover {{ color: {c.text}; }}
    QTabBar#groups::tab {{ border: 1px solid transparent; border-radius: 6px; margin-right: 1px; padding: 5px 7px; }}
    QTabBar#groups::tab:selected {{ background: {c.info_bg}; border-color: {c.accent}; }}
    QDockWidget::title {{ padding: 6px 10px; background: {c.window}; }}
    QFrame#card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 10px; }}
    QLabel#muted {{ color: {c.muted}; }}
    QLabel#title {{ font-size: 15pt; font-weight: 600; }}
    QLabel#subtitle {{ font-size: 11pt; font-weight: 600; }}
    QLabel#warning {{ background: {c.warning_bg}; color: {c.warning_text}; border-radius: 6px; padding: 6px 10px; }}
    QLabel#danger {{ background: {c.danger_bg}; color: {c.danger_text}; border-radius: 6px; padding: 6px 10px; }}
    QStatusBar {{ color: {c.muted}; }}
    """
