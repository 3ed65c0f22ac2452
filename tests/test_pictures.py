"""Pictures of the hands at work: every point and step has one, each renders cleanly, and the UI shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from acupressure_desktop.catalog.export import catalog_document
from acupressure_desktop.catalog.loader import Catalog, CatalogError, load_catalog
from acupressure_desktop.catalog.pictures import PictureIndex
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.catalog.svgcheck import qt_render_problems
from acupressure_desktop.domain.models import Side, Step
from acupressure_desktop.ui.pictures import PictureView, picture_for_step, render, thumbnail_tag
from acupressure_desktop.ui.point_panel import PointPanel
from acupressure_desktop.ui.routines_page import RoutinesPage
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
from acupressure_desktop.ui.session_dock import SessionDock
from tests.minidata import write_minidata


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_self_care_point_and_technique_step_has_a_picture(catalog: Catalog) -> None:
    index = PictureIndex(catalog.pictures)
    missing = [code for code, p in catalog.points.items() if p.self_care and index.for_point(code) is None]
    assert missing == []
    steps = [
        f"{t.id} step {i + 1}"
        for t in catalog.techniques.values()
        for i in range(len(t.steps))
        if index.for_technique_step(t.id, i) is None
    ]
    assert steps == []
    assert index.for_point("ST9") is None  # reference-only: never practised, so never pictured
    for technique in catalog.techniques.values():
        picture = index.for_technique(technique)
        assert picture is not None and not picture.setup  # a routine step shows the pressing itself


def test_every_picture_file_exists_is_used_and_renders_without_a_warning(qapp: object, catalog: Catalog) -> None:
    dirs = ResourceDirs.locate()
    files = {p.file for p in catalog.pictures.values()}
    assert files == {path.name for path in (dirs.assets / "pictures").glob("*.svg")}
    assert all(p.points or p.technique_steps for p in catalog.pictures.values())
    assert qt_render_problems(catalog, dirs) == []
    for picture in catalog.pictures.values():
        text = (dirs.assets / "pictures" / picture.file).read_text(encoding="utf-8")
        assert 'baseProfile="tiny"' in text and "<style" not in text and "<text" not in text and "<image" not in text
        assert "currentColor" not in text and '<rect x="0" y="0" width="240"' not in text  # no background
        image = render(picture, QSize(120, 90))
        assert not image.isNull() and image.pixelColor(0, 0).alpha() == 0  # transparent: light and dark themes


def _with_pictures(tmp_path: Path, pictures: list[dict[str, object]]) -> ResourceDirs:
    dirs = write_minidata(tmp_path)
    (dirs.data / "pictures.json").write_text(json.dumps(pictures), encoding="utf-8")
    (dirs.assets / "pictures").mkdir()
    (dirs.assets / "pictures" / "press.svg").write_text("<svg/>", encoding="utf-8")
    return dirs


def test_the_loader_reports_missing_unknown_and_doubled_pictures(tmp_path: Path) -> None:
    dirs = _with_pictures(
        tmp_path,
        [
            {
                "id": "press",
                "file": "press.svg",
                "title": "Press",
                "description": "d",
                "points": ["LI4", "PC6"],
                "technique_steps": {"palm-press": [1, 3]},
            },
            {
                "id": "other",
                "file": "other.svg",
                "title": "Other",
                "description": "d",
                "points": ["LI4", "KI1"],
                "technique_steps": {"nope": [1]},
            },
        ],
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(dirs)
    text = str(caught.value)
    assert "assets/pictures/other.svg: (file): missing (picture 'other')" in text
    assert "other.points: LI4 already shown by 'press'" in text
    assert "other.points: unknown point 'KI1'" in text
    assert "other.technique_steps: unknown technique 'nope'" in text
    assert "press.technique_steps.palm-press: step 3: palm-press has 2" in text
    assert "(points): no picture for point GV20" in text
    assert "(technique_steps): no picture for palm-press step 2" in text


def test_a_data_folder_without_pictures_still_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write_minidata(tmp_path))
    assert catalog.pictures == {}


def test_catalog_json_carries_the_pictures(catalog: Catalog) -> None:
    pictures = catalog_document(catalog)["pictures"]
    li4 = next(p for p in pictures if "LI4" in p["points"])
    assert li4["file"] == "thumb-press-hand.svg" and li4["title"]


def test_point_panel_shows_the_points_picture(qtbot: QtBot, catalog: Catalog) -> None:
    from acupressure_desktop.ui.point_panel import PICTURE_MIN_PANEL_HEIGHT

    panel = PointPanel(catalog)
    qtbot.addWidget(panel)
    panel.resize(400, PICTURE_MIN_PANEL_HEIGHT + 100)  # tall enough for a picture
    panel.show()
    panel.show_point("LI4")
    assert panel.picture.isVisible() and panel.picture.picture is not None
    assert panel.picture.accessibleName() == "Picture: Thumb press on the back of the hand"
    panel.show_point("ST9")
    assert not panel.picture.isVisible()
    panel.show_point(None)
    assert not panel.picture.isVisible()


def test_picture_view_paints_the_drawing(qtbot: QtBot, catalog: Catalog) -> None:
    view = PictureView(catalog, 120)
    qtbot.addWidget(view)
    view.resize(200, 120)
    view.show_point("KI1")
    view.show()
    image = view.grab().toImage()
    coloured = sum(
        1 for x in range(0, 200, 4) for y in range(0, 120, 4) if image.pixelColor(x, y).name() in ("#f2dccb", "#e8cbb6")
    )
    assert coloured > 50
    view.setVisible(False)  # hidden by its owner (compact mode) stays hidden when the picture changes
    view.show_point("LI4")
    assert view.isHidden()


def test_routines_page_lists_a_thumbnail_per_step(qtbot: QtBot, catalog: Catalog) -> None:
    page = RoutinesPage(catalog)
    qtbot.addWidget(page)
    routine = catalog.routines["quick-reset"]
    html = page._html(routine, None)
    assert html.count("<img src='picture:") == len(routine.steps)
    document = QTextDocument()
    tag = thumbnail_tag(document, picture_for_step(catalog, routine.steps[0]), 40)
    url = tag.split("'")[1]
    image = document.resource(QTextDocument.ResourceType.ImageResource.value, url)
    assert isinstance(image, QImage) and image.height() == 40


def test_session_dock_shows_the_current_steps_picture(qtbot: QtBot, catalog: Catalog) -> None:
    controller = SessionController(None, clock=lambda: 0.0)
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    dock.show()
    plan = SessionPlan(
        "t", "T", [Step(point="KI1", seconds=30, side=Side.BOTH), Step(technique="palm-press", seconds=30)], "Stress"
    )
    controller.load(plan)
    assert dock.picture.picture is not None and dock.picture.picture.id == "thumb-press-sole"
    controller.start()
    controller.next_step()
    assert dock.picture.picture is not None and dock.picture.picture.id == "thumb-circles-palm"
    dock.set_compact(True)  # the small timer takes over: no picture on screen
    assert not dock.picture.isVisible() and dock.compact.isVisible()


def test_the_dock_shows_a_techniques_moves_in_turn(qtbot: QtBot, catalog: Catalog) -> None:
    now = [0.0]
    controller = SessionController(None, clock=lambda: now[0])
    dock = SessionDock(controller, catalog)
    qtbot.addWidget(dock)
    plan = SessionPlan("t", "T", [Step(technique="neck-shoulder-kneading", seconds=100, side=Side.CENTER)], "Stress")
    controller.load(plan, prepare_seconds=5)
    controller.start()

    def shown() -> str:
        assert dock.picture.picture is not None
        return dock.picture.picture.id

    assert shown() == "sit-tall"  # getting ready: the posture
    seen = []
    for at in (5.0, 26.0, 46.0, 66.0, 86.0, 104.0):  # the five moves start at 0, 20, 40, 60 and 80 s of pressing
        now[0] = at
        controller.update()
        seen.append(shown())
    assert seen == [
        "sit-tall",
        "squeeze-shoulder",
        "squeeze-shoulder",
        "squeeze-shoulder",
        "fingertip-press-neck",
        "fingertip-press-neck",
    ]


def test_a_short_point_panel_leaves_the_height_to_the_text(qtbot: QtBot, catalog: Catalog) -> None:
    from acupressure_desktop.ui.point_panel import PICTURE_MIN_PANEL_HEIGHT

    panel = PointPanel(catalog)
    qtbot.addWidget(panel)
    panel.show_point("LI4")
    panel.resize(400, PICTURE_MIN_PANEL_HEIGHT + 100)
    panel.show()
    qtbot.waitUntil(lambda: panel.picture.isVisible())
    panel.resize(400, PICTURE_MIN_PANEL_HEIGHT - 100)  # a 1280x720 window
    qtbot.waitUntil(lambda: not panel.picture.isVisible())
