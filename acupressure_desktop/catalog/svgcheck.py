"""Check that Qt's SVG renderer accepts every body map without a warning.

The only catalog module that touches Qt (QtGui/QtSvg, never widgets), imported lazily
by ``validate-data`` and the tests.
"""

from __future__ import annotations

import os

from acupressure_desktop.catalog.loader import Catalog, Problem
from acupressure_desktop.catalog.resources import ResourceDirs


def qt_render_problems(catalog: Catalog, dirs: ResourceDirs) -> list[Problem]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])  # rendering needs one alive
    messages: list[str] = []

    def collect(kind: QtMsgType, _context: object, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg:
            messages.append(message)

    problems: list[Problem] = []
    previous = qInstallMessageHandler(collect)
    try:
        files = [dirs.bodymaps / v.file for v in catalog.views.values() if v.id in catalog.maps]
        files += [dirs.assets / "pictures" / p.file for p in catalog.pictures.values()]
        for path in files:
            if not path.is_file():
                continue  # already reported by the loader
            shown = str(path.relative_to(dirs.assets.parent)) if path.is_relative_to(dirs.assets.parent) else str(path)
            messages.clear()
            renderer = QSvgRenderer(str(path))
            if renderer.isValid():
                image = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
                painter = QPainter(image)
                renderer.render(painter)
                painter.end()
            else:
                problems.append(Problem(shown, "(file)", "Qt cannot render this SVG"))
            problems.extend(Problem(shown, "(render)", f"Qt warning: {m}") for m in messages)
    finally:
        qInstallMessageHandler(previous)
    return problems
