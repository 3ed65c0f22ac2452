"""Pictures of the hands at work: one small widget and thumbnails for rich-text lists.

The drawings are in ``assets/pictures/`` and the mapping in ``data/pictures.json``
(``catalog/pictures.py``). A :class:`PictureView` paints one drawing kept to its aspect
ratio and hides itself when there is none; :func:`thumbnail_tag` puts a small rendering
into a QTextDocument (the Routines page's step list).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QTextDocument
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.catalog.pictures import PictureIndex
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.domain.models import Step
from acupressure_desktop.domain.pictures import Picture
from acupressure_desktop.session.runner import Phase, Snapshot

ASPECT = 240 / 180  # every drawing's viewBox


@cache
def pictures_folder() -> Path:
    return ResourceDirs.locate().assets / "pictures"


@cache
def _renderer(file: str) -> QSvgRenderer:
    renderer = QSvgRenderer(str(pictures_folder() / file))
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    return renderer


_indexes: dict[int, tuple[Catalog, PictureIndex]] = {}


def index_for(catalog: Catalog) -> PictureIndex:
    """One look-up table per catalog."""
    cached = _indexes.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        cached = _indexes[id(catalog)] = (catalog, PictureIndex(catalog.pictures))
    return cached[1]


def picture_for_step(catalog: Catalog, step: Step) -> Picture | None:
    return index_for(catalog).for_step(step, catalog.techniques)


def render(picture: Picture, size: QSize, ratio: float = 1.0) -> QImage:
    """The drawing on a transparent image of ``size`` (logical pixels) at ``ratio`` device pixels."""
    image = QImage(size * ratio, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(picture.file).render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return image


def thumbnail_tag(document: QTextDocument, picture: Picture | None, height: int = 48, ratio: float = 1.0) -> str:
    """An ``<img>`` for ``picture`` registered in ``document`` (empty text when there is none)."""
    if picture is None:
        return ""
    size = QSize(round(height * ASPECT), height)
    url = f"picture:{picture.id}@{height}"
    document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url), render(picture, size, ratio))
    return f"<img src='{url}' width='{size.width()}' height='{height}' alt='{picture.title}'>"


class PictureView(QWidget):
    """One drawing, as large as the space allows up to ``height``; hidden when there is none."""

    def __init__(self, catalog: Catalog, height: int = 150, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._height = height
        self.picture: Picture | None = None
        self._wanted = True  # what the layout asked for (setVisible); shown only with a picture too
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(height // 2)
        self.setFixedHeight(height)
        super().setVisible(False)

    def sizeHint(self) -> QSize:
        return QSize(round(self._height * ASPECT), self._height)

    def setVisible(self, visible: bool) -> None:
        self._wanted = visible
        super().setVisible(visible and self.picture is not None)

    def show_picture(self, picture: Picture | None) -> None:
        self.picture = picture
        super().setVisible(self._wanted and picture is not None)
        name = f"Picture: {picture.title}" if picture else ""
        self.setAccessibleName(name)
        self.setAccessibleDescription(picture.description if picture else "")
        self.setToolTip(f"{picture.title}. {picture.description}" if picture else "")
        self.update()

    def show_point(self, code: str | None) -> None:
        self.show_picture(index_for(self._catalog).for_point(code) if code else None)

    def show_step(self, step: Step | None) -> None:
        self.show_picture(picture_for_step(self._catalog, step) if step else None)

    def follow(self, step: Step, snapshot: Snapshot) -> None:
        """A session's current picture: a technique shows each of its moves in turn, as the voice says them.

        While preparing, the technique's first step (often the posture); while pressing, move k of n
        from k/n of the pressing time (``session/voice.VoiceGuide`` says move k at the same moment).
        """
        technique = self._catalog.techniques.get(step.technique or "")
        if technique is None:
            picture = index_for(self._catalog).for_point(step.point) if step.point else None
        else:
            count = len(technique.steps)
            done = 1 - snapshot.segment_remaining / max(snapshot.segment_duration, 1e-6)
            move = 0 if snapshot.phase is Phase.PREPARE else min(count - 1, int(done * count + 1e-9))
            picture = index_for(self._catalog).for_technique_step(technique.id, move)
        if picture is not self.picture:
            self.show_picture(picture)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.picture is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = min(self.width(), self.height() * ASPECT)
        height = width / ASPECT
        area = QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
        _renderer(self.picture.file).render(painter, area)
        painter.end()
