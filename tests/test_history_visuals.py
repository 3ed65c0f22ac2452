"""History visuals a person reads at a glance (issue 12): labels never clipped, the change's direction."""

from __future__ import annotations

from acupressure_desktop.ui.history.charts import label_left
from acupressure_desktop.ui.history.view import change_arrow


def test_the_change_arrow_points_the_way_the_rating_went() -> None:
    down = change_arrow(7, 3, 0, 100)
    up = change_arrow(3, 7, 0, 100)
    assert down is not None and down[1] == -1  # stress went down: the head points left
    assert up is not None and up[1] == 1
    assert down[0] == up[0] == 50  # midway between the marks
    assert change_arrow(5, 5, 0, 100) is None


def test_a_label_at_the_right_edge_moves_in_instead_of_being_cut() -> None:
    assert label_left(10, 20, 300) == 10
    assert label_left(290, 24, 300) == 300 - 24 - 2
