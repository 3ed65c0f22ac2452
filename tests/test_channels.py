"""Channel paths in the body maps, and the checks that keep them (and markers) true to the points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acupressure_desktop.catalog.bodymaps import BodyMapError, ChannelPath, parse_bodymap, parse_path_data
from acupressure_desktop.catalog.loader import load_catalog
from tests.minidata import point, svg, write_minidata

HOTSPOTS = (
    '<circle id="pt-LI4-L" cx="40" cy="50" r="9"/><circle id="pt-LI4-R" cx="160" cy="50" r="9"/>'
    '<circle id="pt-PC6-L" cx="40" cy="80" r="9"/><circle id="pt-PC6-R" cx="160" cy="80" r="9"/>'
    '<circle id="pt-GV20" cx="100" cy="50" r="9"/>'
)
CHANNELS = {
    "ch-LI-L": "M 40 0 C 40 20 40 30 40 50 L 40 60",
    "ch-LI-R": "M 160 0 L 160 60",
    "ch-PC-L": "M 30 100 C 35 90 40 85 40 80",
    "ch-PC-R": "M 170 100 L 160 80",
    "ch-GV": "M 100 0 L 100 100",
}


def _svg(hotspots: str = HOTSPOTS, channels: dict[str, str] | None = None) -> str:
    paths = "".join(f'<path id="{i}" d="{d}"/>' for i, d in (CHANNELS if channels is None else channels).items())
    return svg(hotspots).replace("</svg>", f'<g id="channels" fill="none" stroke="none">{paths}</g></svg>')


def _problems(tmp_path: Path, text: str) -> list[str]:
    dirs = write_minidata(tmp_path)
    (dirs.bodymaps / "hand.svg").write_text(text, encoding="utf-8")
    return [str(p) for p in load_catalog(dirs).view_problems]


def test_channels_on_their_points_pass_and_are_read_as_segments(tmp_path: Path) -> None:
    assert _problems(tmp_path, _svg()) == []
    dirs = write_minidata(tmp_path / "again")
    path = dirs.bodymaps / "hand.svg"
    path.write_text(_svg(), encoding="utf-8")
    body_map = parse_bodymap(path, None)
    assert body_map.channels is not None
    li = next(c for c in body_map.channels if c.element_id == "ch-LI-L")
    assert (li.meridian, li.side) == ("LI", "L")
    assert li.segments == (((40, 0), (40, 20), (40, 30), (40, 50)), ((40, 50), (40, 60)))


def test_a_view_without_a_channels_layer_is_not_checked_for_them(tmp_path: Path) -> None:
    assert _problems(tmp_path, svg(HOTSPOTS)) == []


def test_a_channel_missing_for_a_side_is_named(tmp_path: Path) -> None:
    channels = {k: v for k, v in CHANNELS.items() if k != "ch-PC-L"}
    assert _problems(tmp_path, _svg(channels=channels)) == [
        "assets/bodymaps/hand.svg: pt-PC6-L: no channel path ch-PC-L on this view"
    ]


def test_a_point_off_its_channel_is_caught_with_the_distance(tmp_path: Path) -> None:
    channels = {**CHANNELS, "ch-GV": "M 112 0 L 112 100"}
    assert _problems(tmp_path, _svg(channels=channels)) == [
        "assets/bodymaps/hand.svg: pt-GV20: 12.0 units off ch-GV (allowed 9)"
    ]


def test_points_out_of_number_order_along_a_run_are_caught(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    points_file = dirs.data / "points" / "hand.json"
    points = json.loads(points_file.read_text())
    points.append(point("LI10"))
    points_file.write_text(json.dumps(points))
    spots = HOTSPOTS + '<circle id="pt-LI10-L" cx="40" cy="20" r="9"/><circle id="pt-LI10-R" cx="160" cy="20" r="9"/>'
    channels = dict(CHANNELS)
    (dirs.bodymaps / "hand.svg").write_text(_svg(spots, channels), encoding="utf-8")
    problems = [str(p) for p in load_catalog(dirs).view_problems if "order" in p.message]
    assert problems == []  # the runs meet LI10 then LI4: drawn either way, numbers run in order
    # A run that meets LI4, then LI10, then LI4 drawn a second time on that side.
    channels["ch-LI-L"] = "M 40 50 L 40 20 L 60 20 L 60 70 L 40 70"
    spots += '<circle id="pt-LI4-L-2" cx="40" cy="70" r="9"/>'
    (dirs.bodymaps / "hand.svg").write_text(_svg(spots, channels), encoding="utf-8")
    problems = [str(p) for p in load_catalog(dirs).view_problems if "order" in p.message]
    assert problems == ["assets/bodymaps/hand.svg: ch-LI-L: passes its points out of order: LI4, LI10, LI4"]


def test_overlapping_markers_are_refused(tmp_path: Path) -> None:
    crowded = HOTSPOTS.replace('id="pt-PC6-L" cx="40" cy="80"', 'id="pt-PC6-L" cx="40" cy="62"')
    assert "assets/bodymaps/hand.svg: pt-LI4-L: overlaps pt-PC6-L: 12.0 units apart, needs 18" in _problems(
        tmp_path, svg(crowded)
    )


def test_a_hotspot_is_sized_for_its_tier(tmp_path: Path) -> None:
    """Self-care hotspots are larger than the others' r 6: the first paint tells the tiers by size."""
    small = HOTSPOTS.replace('id="pt-LI4-L" cx="40" cy="50" r="9"', 'id="pt-LI4-L" cx="40" cy="50" r="6"')
    assert _problems(tmp_path / "small", svg(small)) == [
        "assets/bodymaps/hand.svg: pt-LI4-L: r 6: a self-care point's hotspot needs r more than 6"
    ]
    dirs = write_minidata(tmp_path / "gentle")
    points_file = next((dirs.data / "points").glob("*.json"))
    points = json.loads(points_file.read_text(encoding="utf-8"))
    gv20 = next(p for p in points if p["code"] == "GV20")
    gv20["tier"] = "gentle"
    gv20["cautions"] = [{"kind": "gentle", "text": "Thin skin over the skull: press lightly.", "sources": ["advice"]}]
    points_file.write_text(json.dumps(points), encoding="utf-8")
    assert [str(p) for p in load_catalog(dirs).view_problems] == [
        "assets/bodymaps/hand.svg: pt-GV20: r 9: a gentle point's hotspot needs r 6"
    ]


@pytest.mark.parametrize(
    ("d", "message"),
    [
        ("m 0 0 l 10 10", "only absolute M, L and C commands are read, not 'm'"),
        ("M 0 0 A 5 5 0 0 1 10 10", "only absolute M, L and C commands are read, not 'A'"),
        ("L 10 10", "path data must start with M"),
        ("M 0 0 C 1 2 3 4 5", "C needs coordinates in groups of 6"),
        ("M 0 0", "the path draws nothing"),
    ],
)
def test_path_data_outside_the_subset_is_refused_by_name(d: str, message: str) -> None:
    with pytest.raises(BodyMapError) as caught:
        parse_path_data(d, "ch-LU-R")
    assert str(caught.value) == f"ch-LU-R: {message}"


def test_coordinates_after_a_move_draw_lines_as_in_svg() -> None:
    assert parse_path_data("M0,0 10,0 10-5", "ch-GV") == (((0, 0), (10, 0)), ((10, 0), (10, -5)))


def test_a_channel_element_must_be_a_named_path(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    path = dirs.bodymaps / "hand.svg"
    path.write_text(_svg(channels={"ch-XX": "M 0 0 L 1 1"}), encoding="utf-8")
    with pytest.raises(BodyMapError, match="channels must be <path id='ch-XX"):
        parse_bodymap(path, None)


def test_distance_and_position_along_a_run() -> None:
    run = ChannelPath("ch-GV", "GV", None, parse_path_data("M 0 0 L 10 0 L 10 10", "ch-GV"))
    assert run.nearest(5, 3) == (3, 5)
    assert run.nearest(13, 6) == (3, 16)
    curve = ChannelPath("ch-GV", "GV", None, parse_path_data("M 0 0 C 0 10 10 10 10 0", "ch-GV"))
    distance, along = curve.nearest(5, 7.5)  # the curve's top: x 5, y 7.5
    assert distance < 0.2 and 9 < along < 11


def test_a_point_drawn_many_times_per_side_numbers_its_spots_past_nine() -> None:
    # Jiaji (EX-B2) has a spot beside each of seventeen vertebrae on each side.
    from acupressure_desktop.catalog.bodymaps import split_hotspot_id

    assert split_hotspot_id("pt-EX-B2-L-17", None) == ("EX-B2", "L")
    assert split_hotspot_id("pt-Huanmen-R", None) == ("Huanmen", "R")
    assert split_hotspot_id("pt-EX-B2-L-0", None) is None
