"""The heat map and the weekly chart: shades, scales, palette colours, tooltips, keyboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from acupressure_desktop.storage.history import DayTotal, WeekTotal
from acupressure_desktop.ui.history.charts import HEAT_WEEKS, HeatMap, WeeklyChart, minutes_text, mix

LAST = date(2024, 6, 12)  # a Wednesday


def _palette(highlight: str, base: str = "#ffffff", text: str = "#000000") -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Window, QColor(base))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    return palette


def _shown(qtbot: QtBot, widget: HeatMap | WeeklyChart, width: int = 520, height: int = 180) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)


@pytest.fixture
def heat(qtbot: QtBot) -> HeatMap:
    widget = HeatMap()
    widget.set_days(
        {
            LAST: DayTotal(45 * 60, 2, True),
            LAST - timedelta(days=1): DayTotal(5 * 60, 1, True),
            LAST - timedelta(days=8): DayTotal(12 * 60, 1, True),
        },
        LAST,
    )
    _shown(qtbot, widget)
    return widget


def test_shades_follow_fixed_minute_levels(heat: HeatMap) -> None:
    assert heat.level(LAST) == 4  # 45 min
    assert heat.level(LAST - timedelta(days=1)) == 1  # 5 min
    assert heat.level(LAST - timedelta(days=8)) == 2  # 12 min
    assert heat.level(LAST - timedelta(days=2)) == 0
    assert heat.first_day == date(2023, 12, 18)  # a Monday, 26 weeks back
    assert heat.first_day.weekday() == 0
    assert (LAST - heat.first_day).days // 7 == HEAT_WEEKS - 1


def test_the_heat_map_paints_with_the_palette_highlight(qtbot: QtBot, heat: HeatMap) -> None:
    for highlight in ("#2a7f62", "#c2410c"):
        heat.setPalette(_palette(highlight))
        image = heat.grab().toImage()
        centre = heat._cell_rect(LAST).center().toPoint()
        assert image.pixelColor(centre).name() == highlight
        empty = heat._cell_rect(LAST - timedelta(days=3)).center().toPoint()
        assert image.pixelColor(empty).name() != highlight


def test_day_text_names_minutes_and_sessions(heat: HeatMap) -> None:
    assert heat.day_text(LAST) == "Wednesday 12 June 2024: 45 min in 2 sessions"
    assert heat.day_text(LAST - timedelta(days=1)) == "Tuesday 11 June 2024: 5 min in 1 session"
    assert heat.day_text(LAST - timedelta(days=2)) == "Monday 10 June 2024: no practice"


def test_hovering_a_day_shows_its_tooltip(qtbot: QtBot, heat: HeatMap) -> None:
    centre = heat._cell_rect(LAST - timedelta(days=1)).center().toPoint()
    QApplication.sendEvent(heat, QHelpEvent(QEvent.Type.ToolTip, centre, heat.mapToGlobal(centre)))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == "Tuesday 11 June 2024: 5 min in 1 session"
    QToolTip.hideText()


def test_arrow_keys_move_the_day_cursor_and_enter_activates(qtbot: QtBot, heat: HeatMap) -> None:
    assert heat.cursor_day == LAST
    qtbot.keyClick(heat, Qt.Key.Key_Left)
    assert heat.cursor_day == LAST - timedelta(days=7)
    qtbot.keyClick(heat, Qt.Key.Key_Up)
    assert heat.cursor_day == LAST - timedelta(days=8)
    assert heat.accessibleDescription() == heat.day_text(LAST - timedelta(days=8))
    qtbot.keyClick(heat, Qt.Key.Key_End)
    qtbot.keyClick(heat, Qt.Key.Key_Down)  # no days after the last one
    assert heat.cursor_day == LAST
    qtbot.keyClick(heat, Qt.Key.Key_Home)
    assert heat.cursor_day == heat.first_day
    with qtbot.waitSignal(heat.dayActivated) as activated:
        qtbot.keyClick(heat, Qt.Key.Key_Return)
    assert activated.args == [heat.first_day]


def test_clicking_a_day_activates_it_but_not_beyond_the_last_day(qtbot: QtBot, heat: HeatMap) -> None:
    with qtbot.waitSignal(heat.dayActivated) as activated:
        qtbot.mouseClick(
            heat, Qt.MouseButton.LeftButton, pos=heat._cell_rect(LAST - timedelta(days=8)).center().toPoint()
        )
    assert activated.args == [LAST - timedelta(days=8)]
    future = heat._cell_rect(LAST + timedelta(days=2)).center().toPoint()
    with qtbot.assertNotEmitted(heat.dayActivated):
        qtbot.mouseClick(heat, Qt.MouseButton.LeftButton, pos=future)


def _weeks(*minutes: float) -> list[WeekTotal]:
    monday = LAST - timedelta(days=LAST.weekday() + 7 * (len(minutes) - 1))
    return [WeekTotal(monday + timedelta(days=7 * n), int(m * 60), 1 if m else 0) for n, m in enumerate(minutes)]


@pytest.mark.parametrize(
    ("top", "step", "axis_top"),
    [(7, 5, 10), (20, 5, 20), (45, 15, 45), (95, 30, 120), (400, 120, 480), (3000, 900, 3600), (10080, 3000, 12000)],
)
def test_the_axis_uses_a_few_round_steps(top: float, step: float, axis_top: float) -> None:
    assert WeeklyChart.scale(top) == (step, axis_top)


def test_tick_labels_switch_to_hours_for_hour_steps() -> None:
    assert WeeklyChart.tick_text(90, 30) == "90"
    assert WeeklyChart.tick_text(240, 120) == "4 h"
    assert minutes_text(75) == "1 h 15 min"
    assert minutes_text(120) == "2 h"
    assert minutes_text(9.6) == "10 min"


def test_bars_are_painted_in_the_highlight_colour(qtbot: QtBot) -> None:
    chart = WeeklyChart()
    chart.set_weeks(_weeks(30, 0, 60, 20), LAST + timedelta(days=30))  # no bar is the current week
    _shown(qtbot, chart, 400, 200)
    for highlight in ("#2a7f62", "#7c3aed"):
        chart.setPalette(_palette(highlight))
        image = chart.grab().toImage()
        _step, top = chart.scale(60)
        bar = chart._bar_rect(2, top)
        assert image.pixelColor(bar.center().toPoint()).name() == highlight
        assert chart._bar_rect(1, top).height() == 0


def test_week_text_and_keyboard(qtbot: QtBot) -> None:
    chart = WeeklyChart()
    chart.set_weeks(_weeks(30, 0, 75), LAST)
    _shown(qtbot, chart, 400, 200)
    assert chart.accessibleDescription() == "Week of 10 Jun – 16 Jun 2024: 1 h 15 min in 1 session"
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.accessibleDescription() == "Week of 3 Jun – 9 Jun 2024: no practice"
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.accessibleDescription().startswith("Week of 27 May")


def test_an_empty_chart_paints_a_friendly_line(qtbot: QtBot) -> None:
    chart = WeeklyChart()
    chart.set_weeks(_weeks(0, 0, 0), LAST)
    _shown(qtbot, chart, 400, 200)
    assert not chart.grab().isNull()
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, QPoint(2, 2), chart.mapToGlobal(QPoint(2, 2))))


def test_mix_blends_colours() -> None:
    assert mix(QColor("#000000"), QColor("#ffffff"), 0.5).name() in ("#7f7f7f", "#808080")
    assert mix(QColor("#123456"), QColor("#ffffff"), 0).name() == "#123456"


def test_the_heat_map_legend_words_are_never_cut_off_in_a_narrow_card(qtbot: QtBot) -> None:
    """With the session dock open the card is narrow and the cells small: "Less" and "More" were drawn
    in a box as tall as the small swatches and lost their lower half."""
    from PySide6.QtGui import QFontMetrics

    from acupressure_desktop.ui.history.charts import _small_font

    widget = HeatMap()
    palette = _palette("#00aa00")
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#ff0000"))  # only the muted words are red
    widget.setPalette(palette)
    font = widget.font()
    font.setPointSize(14)  # a font as tall as the desktop's (the offscreen one is smaller)
    widget.setFont(font)
    widget.set_days({}, LAST)
    _shown(qtbot, widget, 258, 160)
    image = widget.grab().toImage()
    grid_bottom = widget._top() + 7 * widget._cell()  # the legend is what lies below the grid
    rows = [
        y
        for y in range(int(grid_bottom) + 2, image.height())
        if any(
            (c := image.pixelColor(x, y)).red() > 150 and c.green() < 110 and c.blue() < 110
            for x in range(image.width())
        )
    ]
    assert rows, "no legend words drawn"
    drawn = rows[-1] - rows[0] + 1
    whole = QFontMetrics(_small_font(widget)).tightBoundingRect("Less").height()
    assert drawn >= whole - 1, (drawn, whole)


def test_on_a_wide_card_the_heat_map_grid_is_centred_and_clicks_still_land(qtbot: QtBot, heat: HeatMap) -> None:
    """At 2560 px the grid kept to the card's left edge with half the card empty beside it."""
    heat.resize(1200, 200)
    qtbot.waitUntil(lambda: heat.width() == 1200)
    first, last = heat._cell_rect(heat.first_day), heat._cell_rect(LAST)
    left_gap, right_gap = first.left(), heat.width() - (first.left() + HEAT_WEEKS * heat._cell())
    assert left_gap > 300 and abs(left_gap - heat._label_width() - right_gap) <= 2  # centred, labels to its left
    days: list[date] = []
    heat.dayActivated.connect(days.append)
    qtbot.mouseClick(heat, Qt.MouseButton.LeftButton, pos=last.center().toPoint())
    assert days == [LAST]
