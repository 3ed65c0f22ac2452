"""Composition root: builds the QApplication, the services and the window, then runs."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from acupressure_desktop import APP_ID, APP_NAME, APP_TITLE, __version__
from acupressure_desktop.paths import AppPaths

if TYPE_CHECKING:  # Qt is imported only once a GUI is really wanted
    from PySide6.QtWidgets import QApplication

    from acupressure_desktop.catalog.loader import Catalog
    from acupressure_desktop.ui.learn_page import LearnPage
    from acupressure_desktop.ui.main_window import MainWindow
    from acupressure_desktop.ui.shell import Shell


@dataclass
class Gui:
    app: QApplication
    catalog: Catalog
    shell: Shell
    paths: AppPaths
    interactive: bool
    notices: list[str] = field(default_factory=list)

    @property
    def window(self) -> MainWindow:
        return self.shell.window

    @property
    def learn(self) -> LearnPage:
        return self.shell.learn

    def attach_history(self) -> None:
        """Open the practice history; done right after the first paint, off the start-up path."""
        from acupressure_desktop.storage.errors import DatabaseTooNew, StorageUnavailable
        from acupressure_desktop.storage.history import open_history
        from acupressure_desktop.storage.recorder import SessionRecorder

        try:
            opened = open_history(self.paths)
        except (DatabaseTooNew, StorageUnavailable) as exc:
            self.notices.append(f"Your practice history cannot be opened: {exc} Sessions are not recorded this time.")
            return
        self.notices.extend(opened.notices)
        if opened.interrupted:
            self.notices.append(
                f"{opened.interrupted} session(s) were interrupted last time; History shows them as interrupted."
            )
        recorder = SessionRecorder(opened.repository, on_problem=self.shell.show_storage_problem)
        self.shell.attach_history(opened.repository, recorder)

    def tell_notices(self) -> None:
        """What the person must know (a file moved aside, a history problem), once."""
        if self.notices and self.interactive:
            self.shell.tell("\n\n".join(self.notices))
        for notice in self.notices if not self.interactive else []:
            print(f"{APP_NAME}: {notice}", file=sys.stderr)
        self.notices.clear()


def build_gui(argv: list[str]) -> Gui | None:
    """Parse ``argv`` like the command line and build the window (not shown); None on failure."""
    from acupressure_desktop.cli import build_parser

    args = build_parser().parse_args(argv)
    paths = AppPaths.resolve(args.home)
    paths.ensure()
    return _build(args, paths)


def _build(args: argparse.Namespace, paths: AppPaths) -> Gui | None:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from acupressure_desktop.catalog.loader import CatalogError, load_catalog
    from acupressure_desktop.catalog.resources import ResourceDirs
    from acupressure_desktop.catalog.search import PointSearch
    from acupressure_desktop.session.library import RoutineLibrary
    from acupressure_desktop.settings import Settings, SettingsError, load_settings, save_settings
    from acupressure_desktop.ui import theme
    from acupressure_desktop.ui.shell import Shell

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    interactive = args.screenshot is None

    try:
        dirs = ResourceDirs.locate()
        catalog = load_catalog(dirs)
    except (CatalogError, FileNotFoundError) as exc:
        message = f"{APP_TITLE} cannot start because its data is damaged:\n\n{exc}"
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        if interactive:
            QMessageBox.critical(None, APP_TITLE, message)
        return None
    icon_path = dirs.assets / "icons" / "acupressure-desktop.svg"
    # An installed theme icon wins (desktop integration); the bundled SVG otherwise.
    icon = QIcon.fromTheme(APP_ID, QIcon(str(icon_path)) if icon_path.is_file() else QIcon())
    app.setWindowIcon(icon)

    notices: list[str] = []
    loaded = load_settings(paths.settings_file)
    if loaded.notice:
        notices.append(loaded.notice)

    def persist(new: Settings) -> None:
        if not loaded.can_save:
            return
        try:
            save_settings(paths.settings_file, new)
        except SettingsError as exc:
            shell.window.statusBar().showMessage(f"Settings not saved: {exc}")

    colors = theme.resolve(args.theme or loaded.settings.theme)
    theme.apply(app, colors)
    library = RoutineLibrary(catalog, paths.routines_dir)
    notices.extend(library.load())
    shell = Shell(catalog, PointSearch(catalog), dirs, library, loaded.settings, colors, persist=persist, icon=icon)
    notices.extend(str(p) for p in catalog.view_problems)
    return Gui(app=app, catalog=catalog, shell=shell, paths=paths, interactive=interactive, notices=notices)


def run_gui(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        gui = _build(args, paths)
        return 1 if gui is None else _screenshot(gui, args, args.screenshot)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from acupressure_desktop.ui.single_instance import InstanceServer, send_to_running, server_name

    app = QApplication.instance() or QApplication(sys.argv[:1])
    name = server_name(paths.data)
    if send_to_running(name, args.routine):
        print(f"{APP_NAME}: already running; the request went to the open window", file=sys.stderr)
        return 0
    gui = _build(args, paths)
    if gui is None:
        return 1
    server = InstanceServer(name, app)
    server.requested.connect(gui.shell.handle_launch_request)
    gui.window.resize(1280, 820)
    if gui.shell.settings.start_minimised and gui.shell.reminders.tray is not None:
        gui.window.hide()
    else:
        gui.window.show()

    def finish_start() -> None:
        gui.attach_history()
        gui.tell_notices()
        # The notice comes first, also before a routine asked for on the command line.
        if not gui.shell.ensure_notice_accepted():
            app.quit()
            return
        if args.routine is not None:
            gui.shell.handle_launch_request(args.routine)

    QTimer.singleShot(0, finish_start)
    return app.exec()


def _screenshot(gui: Gui, args: argparse.Namespace, path: Path) -> int:
    shell, catalog = gui.shell, gui.catalog
    shell.ask_checkins = False  # nobody is there to answer
    if args.view is not None:
        if args.view not in catalog.maps:
            print(f"{APP_NAME}: --view {args.view}: unknown view; known: {', '.join(catalog.maps)}", file=sys.stderr)
            return 2
        shell.learn.show_view(args.view)
    if args.point is not None:
        code = shell.search.find_point(args.point)
        if code is None:
            print(f"{APP_NAME}: --point {args.point}: no such point", file=sys.stderr)
            return 2
        shell.learn.open_point(code)
        if args.view is not None:
            shell.learn.show_view(args.view)
    if args.routine is not None:
        if shell.offer_for(args.routine) is None:
            print(f"{APP_NAME}: --routine {args.routine}: no such routine for this safety profile", file=sys.stderr)
            return 2
        shell.start_routine(args.routine)
    # The history opens after a routine starts, so a picture never records a session in it.
    gui.attach_history()
    gui.tell_notices()
    pages = {"learn": shell.page_learn, "routines": shell.page_routines, "history": shell.page_history}
    if args.page is not None:
        page = pages[args.page]
        if page is None:
            print(f"{APP_NAME}: --page {args.page}: the history could not be opened", file=sys.stderr)
            return 1
        shell.window.show_page(page)
    width, height = args.size or (1280, 800)
    gui.window.resize(width, height)
    gui.window.show()
    for _ in range(3):
        gui.app.processEvents()
    image = gui.window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        print(f"{APP_NAME}: {path}: cannot write the PNG", file=sys.stderr)
        return 1
    print(path)
    return 0
