"""History visuals a person reads at a glance (issue 12): labels never clipped, the change's direction."""

from __future__ import annotations

from acupressure_desktop.ui.history.charts import label_left
from acupressure_desktop.ui.history.view import MARK_RADIUS, TRACK_INSET, change_arrow


def test_the_change_arrow_points_the_way_the_rating_went() -> None:
    down = change_arrow(7, 3, 0, 100)
    up = change_arrow(3, 7, 0, 100)
    assert down is not None and down[1] == -1  # stress went down: the head points left
    assert up is not None and up[1] == 1
    assert down[0] == up[0] == 50  # midway between the marks
    assert change_arrow(5, 5, 0, 100) is None


def test_a_small_change_still_shows_its_arrowhead_past_the_after_dot() -> None:
    """A change of a point or so put the two marks side by side with no room for a head between
    them: no arrow was drawn, though the legend says the arrow points the way it went."""
    for before, after, way in ((5.0, 4.0, -1), (4.0, 5.0, 1), (9.0, 10.0, 1), (1.0, 0.0, -1)):
        arrow = change_arrow(before, after, 0, 100)
        assert arrow is not None and arrow[1] == way
        centre = arrow[0]
        x_after = after * 10
        assert (centre - x_after) * way >= MARK_RADIUS + 2  # past the after dot, on its far side
        assert -TRACK_INSET <= centre <= 100 + TRACK_INSET  # inside the cell, at either end of the track


def test_a_label_at_the_right_edge_moves_in_instead_of_being_cut() -> None:
    assert label_left(10, 20, 300) == 10
    assert label_left(290, 24, 300) == 300 - 24 - 2
