"""Composition root: builds the QApplication, services and the main window, then runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from acupressure_desktop import APP_NAME, APP_TITLE, __version__
from acupressure_desktop.paths import AppPaths


def run_gui(args: argparse.Namespace, paths: AppPaths) -> int:
    screenshot: Path | None = args.screenshot
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtWidgets import QApplication, QMessageBox

    from acupressure_desktop.catalog.loader import CatalogError, load_catalog
    from acupressure_desktop.catalog.resources import ResourceDirs
    from acupressure_desktop.catalog.search import PointSearch
    from acupressure_desktop.ui import theme
    from acupressure_desktop.ui.learn_page import LearnPage
    from acupressure_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)

    try:
        dirs = ResourceDirs.locate()
        catalog = load_catalog(dirs)
    except (CatalogError, FileNotFoundError) as exc:
        message = f"{APP_TITLE} cannot start because its data is damaged:\n\n{exc}"
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        if screenshot is None:
            QMessageBox.critical(None, APP_TITLE, message)
        return 1

    colors = theme.resolve(args.theme or "system")
    theme.apply(app, colors)
    search = PointSearch(catalog)
    window = MainWindow()
    learn = LearnPage(catalog, search, dirs)
    learn.set_colors(colors)
    learn.statusMessage.connect(window.statusBar().showMessage)
    window.add_page("Learn", learn, "Ctrl+1")
    if catalog.view_problems:
        window.statusBar().showMessage(
            "Some body maps could not be loaded: " + "; ".join(str(p) for p in catalog.view_problems[:3])
        )

    if screenshot is not None:
        return _screenshot(app, window, learn, catalog, search, args, screenshot)
    window.resize(1280, 820)
    window.show()
    return app.exec()


def _screenshot(app, window, learn, catalog, search, args, path: Path) -> int:  # type: ignore[no-untyped-def]
    if args.view is not None:
        if args.view not in catalog.maps:
            print(f"{APP_NAME}: --view {args.view}: unknown view; known: {', '.join(catalog.maps)}", file=sys.stderr)
            return 2
        learn.show_view(args.view)
    if args.point is not None:
        code = search.resolve_code(args.point)
        if code is None:
            print(f"{APP_NAME}: --point {args.point}: no such point", file=sys.stderr)
            return 2
        learn.open_point(code)
        if args.view is not None and args.view in catalog.maps:
            learn.show_view(args.view)
    width, height = args.size or (1280, 800)
    window.resize(width, height)
    window.show()
    for _ in range(3):
        app.processEvents()
    image = window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        print(f"{APP_NAME}: {path}: cannot write the PNG", file=sys.stderr)
        return 1
    print(path)
    return 0
