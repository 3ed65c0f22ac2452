"""Composition root: builds the QApplication, the services and the window, then runs."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from acupressure_desktop import APP_ID, APP_NAME, APP_TITLE, __version__
from acupressure_desktop.paths import AppPaths

if TYPE_CHECKING:  # Qt is imported only once a GUI is really wanted
    from PySide6.QtWidgets import QApplication

    from acupressure_desktop.catalog.loader import Catalog
    from acupressure_desktop.catalog.resources import ResourceDirs
    from acupressure_desktop.storage.history import OpenedHistory
    from acupressure_desktop.ui.learn_page import LearnPage
    from acupressure_desktop.ui.main_window import MainWindow
    from acupressure_desktop.ui.shell import Shell
    from acupressure_desktop.ui.theme import Colors


T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class Gui:
    """The app in two steps: ``build_gui`` makes a window that can paint at once, without pydantic or
    the catalog (most of the start-up time); ``load`` then validates the data and builds the rest."""

    app: QApplication
    window: MainWindow
    learn: LearnPage
    dirs: ResourceDirs
    paths: AppPaths
    args: argparse.Namespace
    colors: Colors
    shell: Shell | None = None
    catalog: Catalog | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def interactive(self) -> bool:
        return self.args.screenshot is None

    def load(self) -> bool:
        """Validate the data and build everything else; False (after saying why) when the data is damaged."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QMessageBox

        from acupressure_desktop.catalog.cache import load_catalog_cached
        from acupressure_desktop.catalog.loader import CatalogError
        from acupressure_desktop.catalog.search import PointSearch
        from acupressure_desktop.session.library import RoutineLibrary
        from acupressure_desktop.settings import Settings, load_settings, save_settings
        from acupressure_desktop.ui import theme
        from acupressure_desktop.ui.shell import Shell

        try:
            catalog, unsaved = load_catalog_cached(self.dirs, self.paths.cache_dir)
        except CatalogError as exc:
            message = f"{APP_TITLE} cannot start because its data is damaged:\n\n{exc}"
            print(f"{APP_NAME}: {message}", file=sys.stderr)
            log.error("%s", message)
            if self.interactive:
                QMessageBox.critical(self.window, APP_TITLE, message)
            return False
        loaded = load_settings(self.paths.settings_file)
        if loaded.notice:
            self.notices.append(loaded.notice)

        def persist(new: Settings) -> None:
            """Runs in a worker; a SettingsError is shown by the shell."""
            if loaded.can_save:
                save_settings(self.paths.settings_file, new)

        colors = theme.resolve(self.args.theme or loaded.settings.theme)
        if colors != self.colors:  # the quick look at the settings file was wrong (a damaged file)
            theme.apply(self.app, colors)
            self.colors = colors
        library = RoutineLibrary(catalog, self.paths.routines_dir)
        self.notices.extend(library.load())
        self.catalog = catalog
        self.shell = Shell(
            catalog,
            PointSearch(catalog),
            self.window,
            self.learn,
            library,
            loaded.settings,
            colors,
            persist=persist,
            icon=self.app.windowIcon(),
        )
        if unsaved is not None:
            self._save_catalog_cache(unsaved, catalog)
        self.notices.extend(str(p) for p in catalog.view_problems)
        # After the shell's idle turn that builds the search index, which lives as long.
        QTimer.singleShot(0, self.window, freeze_long_lived)
        if self.interactive:
            from acupressure_desktop.ui.window_state import restore_layout

            restore_layout(self.window, self.paths.window_state_file)
            self.shell.dock.hide()  # the dock's place is kept; it shows when a routine starts
        return True

    def _save_catalog_cache(self, key: str, catalog: Catalog) -> None:
        """Keep the validated catalog for the next start, in a worker (the app waits for it at quit);
        a folder that cannot be written only costs the next start its full validation."""
        from acupressure_desktop.catalog.cache import write_cached

        assert self.shell is not None
        folder = self.paths.cache_dir
        task = self.shell.tasks.start(lambda _progress: write_cached(folder, key, catalog))
        task.failed.connect(lambda exc: log.info("catalog cache not saved in %s: %s", folder, exc))

    def attach_history(self) -> None:
        """Open the practice history now, on this thread (screenshots)."""
        from acupressure_desktop.storage.errors import DatabaseTooNew, StorageUnavailable
        from acupressure_desktop.storage.history import open_history

        try:
            opened = open_history(self.paths)
        except (DatabaseTooNew, StorageUnavailable) as exc:
            self._history_failed(exc)
        else:
            self._history_opened(opened)

    def open_history(self, done: Callable[[], None]) -> None:
        """Open the practice history in a worker (its integrity check and daily backup take a while
        on a large history), attach it on the GUI thread, then call ``done``."""
        from acupressure_desktop.storage.history import open_history

        assert self.shell is not None
        task = self.shell.tasks.start(lambda _progress: open_history(self.paths))
        task.succeeded.connect(self._history_opened)
        task.failed.connect(self._history_failed)
        task.ended.connect(done)

    def _history_failed(self, exc: BaseException) -> None:
        from acupressure_desktop.storage.errors import DatabaseTooNew, StorageUnavailable

        if not isinstance(exc, (DatabaseTooNew, StorageUnavailable)):
            raise exc  # a bug: for the error reporter
        self.notices.append(f"Your practice history cannot be opened: {exc} Sessions are not recorded this time.")

    def _history_opened(self, opened: OpenedHistory) -> None:
        from acupressure_desktop.ui.storage_status import attach_recorder

        assert self.shell is not None
        self.notices.extend(opened.notices)
        if opened.interrupted:
            self.notices.append(
                f"{opened.interrupted} session(s) were interrupted last time; History shows them as interrupted."
            )
        recorder = attach_recorder(self.shell, opened, self.paths, self.app, ask=self.interactive)  # off the GUI thread
        self.shell.attach_history(opened.repository, recorder)

    def shut_down(self) -> None:
        """The app is quitting: end a running session as stopped, save what is unsaved, close the history,
        remember the window."""
        from acupressure_desktop.ui.window_state import save_window_state

        if self.shell is not None:
            self.shell.shut_down()
        save_window_state(self.window, self.paths.window_state_file)

    def tell_notices(self) -> None:
        """What the person must know (a file moved aside, a history problem), once."""
        for notice in self.notices:
            log.warning("notice: %s", notice)
        if self.notices and self.interactive and self.shell is not None:
            self.shell.tell("\n\n".join(self.notices))
        for notice in self.notices if not self.interactive else []:
            print(f"{APP_NAME}: {notice}", file=sys.stderr)
        self.notices.clear()


def build_gui(argv: list[str]) -> Gui:
    """Parse ``argv`` like the command line and build the first window (not shown, not loaded)."""
    from acupressure_desktop.cli import build_parser

    args = build_parser().parse_args(argv)
    paths = AppPaths.resolve(args.home)
    paths.ensure()
    return _first_window(args, paths)


def _first_window(args: argparse.Namespace, paths: AppPaths) -> Gui:
    """Everything the first paint needs and nothing more: no pydantic, no catalog, no history."""
    from PySide6.QtGui import QIcon

    from acupressure_desktop.catalog.resources import ResourceDirs
    from acupressure_desktop.ui import theme
    from acupressure_desktop.ui.main_window import learn_window

    app = application()
    app.setApplicationName(APP_NAME)
    # No application display name: Qt would append " — Acupressure Desktop" to every dialog's title,
    # which then no longer fits ("Check before you…pressure Desktop"). The main window names the app.
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    dirs = ResourceDirs.locate()
    icon_path = dirs.assets / "icons" / "acupressure-desktop.svg"
    # An installed theme icon wins (desktop integration); the bundled SVG otherwise.
    app.setWindowIcon(QIcon.fromTheme(APP_ID, QIcon(str(icon_path)) if icon_path.is_file() else QIcon()))
    colors = theme.resolve(args.theme or _saved(paths.settings_file, "theme", ("light", "dark"), "system"))
    theme.apply(app, colors)
    window, learn = learn_window(dirs)
    learn.map.set_colors(colors)
    everything = _saved(paths.settings_file, "map_points", ("self-care", "all"), "self-care") == "all"
    _show_preview(learn, dirs, everything)
    return Gui(app=app, window=window, learn=learn, dirs=dirs, paths=paths, args=args, colors=colors)


def application() -> QApplication:
    """The one QApplication, made with the app's Qt settings.

    Qt's raster engine hands fills of more than a few spans to a thread pool and waits for it. The
    app paints small things (markers, list rows): the hand-off costs more than it saves, and on a busy
    two-core machine the GUI thread waits for descheduled workers. Measured on a search keystroke
    over the densest view: median 7.4 -> 5.6 ms, 95th percentile 18.5 -> 12.5 ms. So fills stay on
    the GUI thread.
    """
    from PySide6.QtWidgets import QApplication

    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


def _saved(settings_file: Path, key: str, allowed: tuple[object, ...], default: T) -> T:
    """A quick look at one setting before the first paint, without validating the file (``Gui.load`` does)."""
    from acupressure_desktop.fileio import peek_json

    data = peek_json(settings_file)  # never blocks on a FIFO nor reads /dev/zero
    value = data.get(key) if isinstance(data, dict) else None
    return cast(T, value) if value in allowed else default


def _show_preview(learn: LearnPage, dirs: ResourceDirs, everything: bool = False) -> None:
    """The first view's figure for the first paint; any problem is left for the validated load to report.

    Before the catalog says which points are self-care, the preview under the self-care filter draws
    the hotspots of self-care size only (larger than the others', which the loader holds the data to),
    so markers neither flash up and vanish nor pop in when the catalog arrives; ``everything`` draws
    them all."""
    from acupressure_desktop.catalog.bodymaps import MINOR_HOTSPOT_R, BodyMapError, parse_bodymap
    from acupressure_desktop.fileio import peek_json

    try:
        first = peek_json(dirs.data / "views.json")[0]
        body_map = parse_bodymap(dirs.bodymaps / first["file"], None)
        learn.show_preview(first["id"], first["title"], body_map, first["file"])
        if not everything:
            learn.map.set_shown({h.code for h in body_map.hotspots if h.r > MINOR_HOTSPOT_R})
    except (OSError, ValueError, KeyError, IndexError, TypeError, BodyMapError):
        return


def run_gui(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        gui = _first_window(args, paths)
        if not gui.load():
            return 1
        assert gui.shell is not None
        try:
            return _screenshot(gui, args, args.screenshot)
        finally:
            gui.shell.tasks.cancel_all()  # a job still running (the catalog cache) ends before the process

    from PySide6.QtWidgets import QSystemTrayIcon

    from acupressure_desktop.diagnostics import start_diagnostics
    from acupressure_desktop.ui.errors import ErrorReporter, SignalQuit, route_qt_messages
    from acupressure_desktop.ui.single_instance import (
        InstanceNotAnswering,
        InstanceServer,
        send_to_running,
        server_name,
    )
    from acupressure_desktop.ui.startup import Startup
    from acupressure_desktop.ui.window_state import restore_geometry

    diagnostics = start_diagnostics(paths.log_dir)
    route_qt_messages()
    app = application()
    name = server_name(paths.data)
    try:
        if send_to_running(name, args.routine):
            print(f"{APP_NAME}: already running; the request went to the open window", file=sys.stderr)
            return 0
    except InstanceNotAnswering as exc:  # a stopped or stuck first instance
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 1
    gui = _first_window(args, paths)
    reporter = ErrorReporter(lambda: gui.window, diagnostics.log_file)
    reporter.install()
    SignalQuit(app)
    restore_geometry(gui.window, paths.window_state_file)
    startup = Startup(
        gui,
        minimised=_saved(paths.settings_file, "start_minimised", (True,), False),
        tray_available=QSystemTrayIcon.isSystemTrayAvailable(),
        parent=app,
    )
    if args.routine is not None:
        startup.request(args.routine)
    server = InstanceServer(name, app)
    server.requested.connect(startup.request)
    app.aboutToQuit.connect(gui.shut_down)
    startup.begin()
    code = app.exec()
    diagnostics.close()
    return code


def freeze_long_lived() -> None:
    """Move what lives as long as the app (the catalog, the window) out of the collector's reach:
    a full collection walked it all, a 3-5 ms pause in the middle of a keystroke on the full
    atlas. Garbage is collected first, so nothing dead is kept."""
    gc.collect()
    gc.freeze()


def _screenshot(gui: Gui, args: argparse.Namespace, path: Path) -> int:
    shell, catalog = gui.shell, gui.catalog
    assert shell is not None and catalog is not None
    shell.ask_checkins = False  # nobody is there to answer
    if args.points is not None:
        shell.learn.set_point_filter(args.points)
    if args.channels is not None:
        wanted = args.channels.strip().upper()
        codes = set(catalog.meridians) if wanted == "ALL" else {c.strip() for c in wanted.split(",")}
        if not codes or codes - set(catalog.meridians):
            known = ", ".join(catalog.meridians)
            print(f"{APP_NAME}: --channels {args.channels}: use all, or codes among {known}", file=sys.stderr)
            return 2
        shell.learn.set_channels(codes)
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
        if args.guide_step is not None and not shell.learn.show_guide(
            args.guide_step - 1, args.guide_side and args.guide_side[0].upper()
        ):
            print(f"{APP_NAME}: --guide-step: {code} has no measuring guide on this view", file=sys.stderr)
            return 2
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
    shell.tasks.wait()  # what workers read (the history's statistics) is in the picture
    for _ in range(3):
        gui.app.processEvents()
    image = gui.window.grab()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        print(f"{APP_NAME}: {path}: cannot write the PNG", file=sys.stderr)
        return 1
    print(path)
    return 0
