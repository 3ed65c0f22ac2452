"""Both themes meet WCAG AA contrast for every component, and docs/accessibility.md says so truly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from acupressure_desktop.ui import theme
from acupressure_desktop.ui.theme import DARK, LIGHT, SKIN, Colors

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "accessibility.md"


def test_contrast_follows_wcag() -> None:
    assert theme.contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])
def test_every_component_reaches_its_contrast(colors: Colors) -> None:
    pairs = theme.components(colors)
    assert len(pairs) >= 40
    low = [f"{p.component}: {p.ratio:.2f}:1 < {p.needed:g}:1" for p in pairs if p.ratio < p.needed]
    assert low == []


def test_the_document_carries_the_figures_of_the_theme() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert theme.contrast_table() in text, "run tools/contrast-report --write"


def test_the_skin_tones_are_the_figures_own() -> None:
    svgs = " ".join(p.read_text(encoding="utf-8").upper() for p in (ROOT / "assets" / "bodymaps").glob("*.svg"))
    for tone in SKIN.values():
        assert f'FILL="{tone}"' in svgs
    fills = set(re.findall(r'FILL="(#[0-9A-F]{6})"', svgs))
    assert fills - set(SKIN.values()) <= {"#B08E7E", "#8A6A5C"}  # hair and nails: no marker sits there


@pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])
def test_a_focused_primary_button_shows_a_ring_in_the_focus_colour(qtbot: QtBot, colors: Colors) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    app.setStyleSheet(theme.style_sheet(colors))
    try:
        host = QWidget()
        qtbot.addWidget(host)
        button = QPushButton("Start", host)
        button.setProperty("primary", True)
        other = QPushButton("Other", host)
        other.move(0, 60)
        host.resize(200, 120)
        host.show()
        qtbot.waitExposed(host)
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        image = button.grab().toImage()
        y = image.height() // 2
        edge = QColor(image.pixel(0, y)).name().upper(), QColor(image.pixel(1, y)).name().upper()
        assert colors.focus.upper() in edge
        middle = QColor(image.pixel(image.width() // 2, 3)).name().upper()
        assert middle == colors.primary_focus_bg.upper()
    finally:
        app.setStyleSheet(before)


def test_buttons_and_tabs_get_one_focus_ring_and_list_items_keep_theirs(qtbot: QtBot) -> None:
    """The style sheet's ":focus" border marks a focused button or tab; the style's own focus frame
    around its text came on top, a second ring that crossed the letters of the "Learn" tab."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QCheckBox, QListWidget, QStyle, QStyleFactory, QStyleOptionFocusRect, QTabBar

    style = theme._Style(QStyleFactory.create("Fusion"))
    tabs, box, items = QTabBar(), QCheckBox("Remind me"), QListWidget()
    for widget in (tabs, box, items):
        qtbot.addWidget(widget)

    def painted(widget: QWidget) -> bool:
        image = QImage(60, 30, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        option = QStyleOptionFocusRect()
        option.initFrom(widget)
        option.rect = image.rect().adjusted(6, 6, -6, -6)
        painter = QPainter(image)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, widget)
        painter.end()
        return any(image.pixel(x, y) for x in range(60) for y in range(30))

    assert not painted(tabs) and not painted(box)
    assert painted(items)  # the current row's ring: how the keyboard shows where it is in a list


@pytest.mark.parametrize("name", ["", "groups"], ids=["page tabs", "group tabs"])
def test_a_focused_tab_keeps_room_for_its_text(qtbot: QtBot, name: str) -> None:
    """The focus border is 2 px where the resting tab has none (or 1 px): without padding that makes
    up for it, the focused tab's text had less room than the text needs ("Learn" was cut)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionTab, QTabBar

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    app.setStyleSheet(theme.style_sheet(LIGHT))
    try:
        tabs = QTabBar()
        tabs.setObjectName(name)
        qtbot.addWidget(tabs)
        tabs.addTab("Learn")
        tabs.show()
        qtbot.waitExposed(tabs)

        def text_room(focused: bool) -> tuple[int, int]:
            option = QStyleOptionTab()
            tabs.initStyleOption(option, 0)
            if focused:
                option.state |= QStyle.StateFlag.State_HasFocus
            else:
                option.state &= ~QStyle.StateFlag.State_HasFocus
            room = tabs.style().subElementRect(QStyle.SubElement.SE_TabBarTabText, option, tabs)
            return room.width(), room.height()

        assert text_room(focused=True) == text_room(focused=False)
    finally:
        app.setStyleSheet(before)
