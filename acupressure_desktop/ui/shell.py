"""The window's wiring: pages, the session dock and the services they share.

Business rules live in the core (safety, runner, library, history); this class only
routes requests between widgets and those services and asks the person when needed.
"""

from __future__ import annotations

import difflib
import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from acupressure_desktop import APP_TITLE, __version__
from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.catalog.search import PointSearch
from acupressure_desktop.domain.models import Routine, Side
from acupressure_desktop.domain.safety import (
    RoutineOffer,
    advisories,
    assess_point,
    flag_reasons,
    flagged_kinds,
    flagged_points,
    routines_for_profile,
)
from acupressure_desktop.platform.clock import awake_clock
from acupressure_desktop.reminders import ReminderScheduler
from acupressure_desktop.session.library import RoutineError, RoutineLibrary
from acupressure_desktop.session.runner import SegmentStarted, Snapshot, point_step
from acupressure_desktop.settings import Settings, SettingsError
from acupressure_desktop.ui import theme
from acupressure_desktop.ui.dialogs import ask, inform, modal, warn
from acupressure_desktop.ui.learn_page import LearnPage
from acupressure_desktop.ui.main_window import MainWindow
from acupressure_desktop.ui.point_panel import NOT_PRACTISED
from acupressure_desktop.ui.presence import desktop_monitor
from acupressure_desktop.ui.reminders import ReminderController
from acupressure_desktop.ui.routines_page import RoutinesPage
from acupressure_desktop.ui.session_controller import SessionController, SessionPlan
from acupressure_desktop.ui.session_dock import SessionDock
from acupressure_desktop.ui.settings_dialog import SettingsDialog
from acupressure_desktop.ui.tasks import Task, TaskRunner
from acupressure_desktop.ui.voice import VoiceController, system_engine
from acupressure_desktop.ui.welcome import NOTICE_VERSION, WelcomeDialog

if TYPE_CHECKING:  # the history and its widgets load after the first paint
    from acupressure_desktop.storage.history import HistoryRepository, Status
    from acupressure_desktop.storage.recorder import SessionRecorder
    from acupressure_desktop.ui.history.checkin import CheckIn
    from acupressure_desktop.ui.history.view import HistoryView

log = logging.getLogger(__name__)
SIDE_CODES = {Side.LEFT: "L", Side.RIGHT: "R"}
SAVE_DELAY_MS = 400  # settings are written this long after the last change
DOCK_WIDTH = 300  # wide enough for the instructions, narrow enough to leave the map room
NARROW_WIDTH = 1300  # below this, with the dock open, the Learn list gives way to the map
SHORTCUTS = (
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Learn, Routines, History"),
    ("Ctrl+F", "Search points"),
    ("Tab, arrow keys", "Move between the points on the map"),
    ("Enter", "Open the point"),
    ("D (on the map), Alt+D", "Go to the open point's details"),
    ("Ctrl+G", "Show on the map how to find the open point"),
    ("Escape", "Clear the search, filter and selection"),
    ("+ / - / 0", "Zoom in, zoom out, fit"),
    ("Space", "Start or pause the session"),
    ("Ctrl+Left / Ctrl+Right", "Previous or next step"),
    ("Ctrl+.", "Stop the session"),
    ("Ctrl+H", "Stop, this hurts"),
    ("Ctrl+M", "Compact session timer"),
    ("Ctrl+,", "Settings"),
    ("Ctrl+Q", "Quit (asks first while a session runs)"),
)


class Shell(QObject):
    def __init__(
        self,
        catalog: Catalog,
        search: PointSearch,
        window: MainWindow,
        learn: LearnPage,
        library: RoutineLibrary,
        settings: Settings,
        colors: theme.Colors,
        persist: Callable[[Settings], None] | None = None,
        icon: QIcon | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.history: HistoryRepository | None = None
        self.recorder: SessionRecorder | None = None
        self.history_view: HistoryView | None = None
        self.page_history: int | None = None
        self.ask_checkins = True  # tests and screenshots turn the check-in questions off
        self.tasks = TaskRunner(self)
        self.catalog = catalog
        self.search = search
        self.library = library
        self.settings = settings
        self._persist = persist or (lambda _s: None)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save)
        self._saving: Task[None] | None = None
        self.window = window
        self.learn = learn
        learn.populate(catalog, search)
        self.routines = RoutinesPage(catalog)
        self.controller = SessionController(clock=clock, parent=self)
        self.voice = VoiceController(  # first to hear the session, so speech never waits for the dock or map
            self.controller, catalog, system_engine(self), breathing_origin=self._pacer_origin, parent=self
        )
        self.dock = SessionDock(self.controller, catalog, self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.guard_text_field(self.learn.search_box)
        self.dock.visibilityChanged.connect(self._dock_shown)
        self.window.installEventFilter(self)  # a resize may make room for the search list again
        self.dock.repeatRequested.connect(self.repeat_session)
        self.dock.closeRequested.connect(self.close_session)
        self._replacing = False  # a session stopped to start another: no after check-in for it
        self.learn.statusMessage.connect(self.window.statusBar().showMessage)
        self.page_learn = self.window.pages.indexOf(learn)
        self.dock.guideRequested.connect(lambda code: (window.show_page(self.page_learn), learn.show_guide_for(code)))
        self.page_routines = self.window.add_page("Routines", self.routines, "Ctrl+2")

        self.learn.practiseRequested.connect(self.practise_point)
        self.learn.routineRequested.connect(self.show_routine)
        self.learn.addToRoutineRequested.connect(self.add_point_to_routine)
        self.learn.favouriteToggled.connect(self._on_favourite)
        self.learn.pointFilterChanged.connect(self._on_point_filter)
        self.routines.startRequested.connect(self.start_routine)
        self.routines.newRequested.connect(lambda: self.edit_routine(None))
        self.routines.editRequested.connect(self.edit_routine)
        self.routines.duplicateRequested.connect(self._duplicate)
        self.routines.deleteRequested.connect(self._delete)
        self.routines.importRequested.connect(self._import)
        self.routines.exportRequested.connect(self._export)
        self._followed: tuple[object, ...] = ()
        self._panel_step: tuple[int, int] | None = None  # (plan, step) the panel last followed
        self.controller.snapshotChanged.connect(self._follow_step)
        self.controller.eventHappened.connect(self._on_event)
        self.reminders = ReminderController(
            ReminderScheduler(settings.reminders, monotonic=awake_clock()),
            self._routine_title,
            icon,
            routine_seconds=self._routine_seconds,
            monitor=desktop_monitor(self, int(self.window.winId()) if sys.platform == "win32" else None),
        )
        self.reminders.keep_running_on_close(self.window)
        self.window.header_right.addWidget(self.reminders.status_label())
        self.reminders.scheduleEdited.connect(lambda s: self.update_settings(self.settings.updated(reminders=s)))
        self.reminders.problem.connect(self.window.statusBar().showMessage)
        self.reminders.startRoutine.connect(self.start_routine)
        self.reminders.openRequested.connect(lambda: self.handle_launch_request(None))
        self.reminders.quitRequested.connect(self.window.close)
        self.controller.sessionStarted.connect(self.reminders.session_started)
        self.controller.sessionEnded.connect(lambda _plan, _status: self.reminders.session_finished())
        self.controller.sessionEnded.connect(self._after_session)
        self.window.closing.connect(self.reminders.prompt.hide)
        self.window.closing.connect(self.dock.compact.hide)  # else the app would not quit
        self.window.close_guard = self.confirm_close
        self._add_help_menu()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        # Ctrl+F from anywhere in the window, not only from inside the Learn page (the menu bar, the
        # dock or a page tab had it do nothing).
        self.search_action = self.window.menu_app.addAction("Search &points")
        self.search_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Find))
        self.search_action.triggered.connect(self.search_points)
        self.settings_action = self.window.menu_app.addAction("&Settings…")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        self.window.menu_app.addSeparator()
        self.window.menu_app.addAction(self.window.quit_action)
        # Ctrl+Q from the compact timer or a floating dock too; it goes through close_guard.
        self.window.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.set_colors(colors)
        self.apply_settings()
        QTimer.singleShot(0, self, self.search.warm)  # the search index, off the first keystroke

    @Slot()
    def search_points(self) -> None:
        """The Learn page's search box, with its list shown even where a narrow window with the
        session panel open had put it away (until the window next fits itself)."""
        self.window.show_page(self.page_learn)
        self.learn.set_sidebar_visible(True)
        self.learn.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.learn.search_box.selectAll()

    # -- fitting the screen ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() is QEvent.Type.Resize:
            self._fit_width()
        return False

    @Slot(bool)
    def _dock_shown(self, visible: bool) -> None:
        self._fit_width()
        if not visible and not self.controller.active and not self.dock.is_compact:
            self.learn.map.set_current(None)  # the panel put away with ×: the map forgets the step

    def _fit_width(self) -> None:
        """On a narrow window with the session panel open, the search list gives way to the map."""
        narrow = self.dock.isVisible() and not self.dock.isFloating() and self.window.width() < NARROW_WIDTH
        self.learn.set_sidebar_visible(not narrow)

    def _pacer_origin(self) -> float:
        return self.dock.pacer.origin  # the voice's breathing cues keep time with the pacer

    # -- settings ------------------------------------------------------------------------------

    def set_colors(self, colors: theme.Colors) -> None:
        self.learn.set_colors(colors)
        self.dock.set_colors(colors)

    def update_settings(self, settings: Settings) -> None:
        """Apply new settings at once and save them."""
        self.settings = settings
        self.apply_settings()
        self.reminders.set_schedule(settings.reminders)
        if self.history_view is not None:
            self.history_view.set_plan(settings.reminders.weekdays, settings.practice.rest_days)
        self._save_soon()

    def _save_soon(self) -> None:
        """One write after a burst of changes (a slider dragged, boxes ticked one after another)."""
        self._save_timer.start()

    @Slot()
    def _save(self) -> None:
        if self._saving is not None:  # one write at a time, so an older one never lands last
            self._save_timer.start()
            return
        settings = self.settings
        task = self.tasks.start(lambda _progress: self._persist(settings))
        task.failed.connect(self._save_failed)
        task.ended.connect(self._saved)
        self._saving = task

    @Slot()
    def _saved(self) -> None:
        self._saving = None

    @Slot(object)
    def _save_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SettingsError):
            raise exc
        log.warning("settings not saved: %s", exc)
        self.window.statusBar().showMessage(f"Settings not saved: {exc}")

    @Slot()
    def open_settings(self) -> None:
        """The settings dialog: each change applies and is saved at once; a theme change re-themes."""
        dialog = SettingsDialog(
            self.settings, [(r.id, r.title) for r in self.library.all()], self.window, self.reminders.platform_note()
        )

        def apply(new: Settings) -> None:
            theme_changed = new.theme != self.settings.theme
            self.update_settings(new)
            if theme_changed:
                self.retheme()

        dialog.settingsChanged.connect(apply)
        with modal(dialog):
            dialog.exec()

    @Slot()
    def retheme(self) -> None:
        """Apply the theme setting again (after a change, or when the system scheme changes)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            colors = theme.resolve(self.settings.theme)
            theme.apply(app, colors)
            self.set_colors(colors)

    @Slot()
    def _on_system_scheme(self) -> None:
        if self.settings.theme == "system":
            self.retheme()

    def attach_history(self, repository: HistoryRepository, recorder: SessionRecorder) -> None:
        """The practice history is open: record sessions from now on, and show the History page."""
        from acupressure_desktop.ui.history.view import HistoryView

        self.history = repository
        self.recorder = recorder
        self.controller.set_recorder(recorder)
        self.history_view = HistoryView(repository, self._routine_title, tasks=self.tasks)
        self.history_view.set_plan(self.settings.reminders.weekdays, self.settings.practice.rest_days)
        self.history_view.restDayToggled.connect(
            lambda day, rest: self.update_settings(
                self.settings.updated(practice=self.settings.practice.with_rest_day(day, rest))
            )
        )
        self.page_history = self.window.add_page("History", self.history_view, "Ctrl+3")

    def _routine_seconds(self, routine_id: str) -> int | None:
        routine = self.library.get(routine_id)
        return routine.total_seconds if routine is not None else None

    def _routine_title(self, routine_id: str) -> str | None:
        routine = self.library.get(routine_id)
        if routine is not None:
            return routine.title
        code = routine_id.removeprefix("point:")
        return self.catalog.step_title(code) if code in self.catalog.points else None

    def show_storage_problem(self, problem: str | None) -> None:
        """The recorder cannot write (full or read-only disk): say so until it can again."""
        if problem:
            self.window.statusBar().showMessage(f"History not saved yet: {problem}")
        else:
            self.window.statusBar().showMessage("Your practice history is saved again.", 8000)

    def shut_down(self) -> None:
        """The app quits: a running session ends as stopped (not interrupted), nothing is asked, the
        unsaved writes get one more try and the history closes."""
        self.ask_checkins = False
        self.tasks.cancel_all()
        if self._save_timer.isActive():
            self._save_timer.stop()
            try:
                self._persist(self.settings)
            except SettingsError as exc:
                log.warning("settings not saved at quit: %s", exc)
        if self.controller.active:
            self.controller.stop()
        if self.recorder is not None:
            self.recorder.retry()
        if self.history is not None:
            self.history.db.close()
            self.history = None

    def confirm_close(self) -> bool:
        """Closing the window during a routine asks first; True when the window may close."""
        plan = self.controller.plan
        if not self.controller.active or plan is None:
            return True
        return ask(
            self.window,
            "Quit during a routine?",
            f"“{plan.title}” is still running. Stop it and quit? The time you practised is kept in your history.",
            action="Stop and quit",
            keep="Keep practising",
        )

    def tell(self, text: str) -> None:
        """A notice the person should read (a file moved aside, a history problem); does not block."""
        log.info("told: %s", text)
        box = QMessageBox(QMessageBox.Icon.Information, "Acupressure Desktop", text, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def ensure_notice_accepted(self) -> bool:
        """First launch (or a changed notice): show it and the safety profile; False if declined."""
        if self.settings.disclaimer_accepted_version >= NOTICE_VERSION:
            return True
        with modal(WelcomeDialog(self.settings.safety, self.window)) as dialog:
            if dialog.exec() != WelcomeDialog.DialogCode.Accepted:
                return False
            profile = dialog.profile()
        self.update_settings(
            self.settings.model_copy(update={"disclaimer_accepted_version": NOTICE_VERSION, "safety": profile})
        )
        return True

    def apply_settings(self) -> None:
        settings = self.settings
        flagged = flagged_points(self.catalog.points.values(), settings.safety)
        reasons = flag_reasons(self.catalog.points.values(), settings.safety)
        self.learn.set_flagged(flagged, set(flagged_kinds(settings.safety)), reasons)
        self.learn.panel.set_advisories(advisories(settings.safety))
        self.learn.set_favourites(set(settings.favourites))
        self.learn.set_point_filter(settings.map_points)
        self.dock.chime.enabled = settings.sounds.enabled
        self.dock.chime.set_volume(settings.sounds.volume)
        breathing = settings.breathing
        self.dock.set_pacer(breathing.enabled, breathing.inhale_seconds, breathing.exhale_seconds)
        self.voice.apply(settings, self.dock.chime)
        self.refresh_routines()

    def refresh_routines(self) -> None:
        routines = self.library.all()
        custom = {r.id for r in self.library.custom()}
        offers = self._offers()
        self.routines.set_routines(offers, {r.id: r for r in routines}, custom)
        self.learn.offered_routines = [offer.routine for offer in offers]

    @Slot(str)
    def show_routine(self, routine_id: str) -> None:
        """A routine found from the Learn search: show it on the Routines page, ready to start."""
        self.window.show_page(self.page_routines)
        self.routines.select(routine_id)

    @Slot(str, bool)
    @Slot(str)
    def _on_point_filter(self, value: str) -> None:
        if value != self.settings.map_points:
            self.update_settings(self.settings.updated(map_points=value))

    def _on_favourite(self, code: str, on: bool) -> None:
        favourites = set(self.settings.favourites) | {code} if on else set(self.settings.favourites) - {code}
        self.settings = self.settings.model_copy(update={"favourites": tuple(sorted(favourites))})
        self._save_soon()

    def _add_help_menu(self) -> None:
        menu = self.window.menu_help
        menu.addAction("Safety notice and profile…", self._show_notice)
        menu.addAction("Keyboard shortcuts", self._show_shortcuts)
        menu.addSeparator()
        menu.addAction(f"About {APP_TITLE}", self._show_about)

    @Slot()
    def _show_notice(self) -> None:
        with modal(WelcomeDialog(self.settings.safety, self.window)) as dialog:
            if dialog.exec() != WelcomeDialog.DialogCode.Accepted:
                return
            profile = dialog.profile()
        self.update_settings(self.settings.model_copy(update={"safety": profile}))

    @Slot()
    def _show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in SHORTCUTS)
        inform(self.window, "Keyboard shortcuts", f"<table cellpadding='3'>{rows}</table>")

    @Slot()
    def _show_about(self) -> None:
        QMessageBox.about(
            self.window,
            f"About {APP_TITLE}",
            f"<h3>{APP_TITLE} {__version__}</h3>"
            "<p>Learn and practise self-acupressure and self-massage.</p>"
            f"<p>{len(self.catalog.points)} points located after the WHO Standard Acupuncture Point Locations "
            "(2008); every text written for this app with its sources cited in the point details.</p>"
            "<p>Self-care education, not medical advice. Your data stays on this computer.</p>"
            "<p>Free software under the MIT licence.</p>",
        )

    @Slot(object)
    def handle_launch_request(self, routine_id: str | None) -> None:
        """A launch (ours or a second one) asked to show the window and maybe start a routine."""
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        if routine_id:
            self.start_routine(routine_id)

    # -- practice --------------------------------------------------------------------------------

    def _rating_label(self, benefits: list[str]) -> str:
        benefit = self.catalog.benefits.get(benefits[0]) if benefits else None
        return benefit.rating_label if benefit else "How you feel"

    @Slot(str)
    def practise_point(self, code: str) -> None:
        point = self.catalog.points[code]
        safety = assess_point(point, self.settings.safety)
        if not safety.self_care:
            inform(self.window, "Not practised", NOT_PRACTISED[point.tier])
            return
        if safety.flagged and not self._confirm_flagged(point.code, [c.text for c in safety.flagged]):
            return
        plan = SessionPlan(
            routine_id=f"point:{code}",
            title=self.catalog.step_title(code),
            steps=[point_step(point, self.settings.default_hold_seconds)],
            rating_label=self._rating_label(point.benefits),
            benefits=tuple(point.benefits),
        )
        self.run_plan(plan)

    def _confirm_flagged(self, code: str, reasons: list[str]) -> bool:
        with modal(QMessageBox(self.window)) as box:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Check before you press")
            box.setText(f"Your safety profile flags {code}.")
            box.setInformativeText("\n\n".join(reasons) + "\n\nPractise it anyway?")
            box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            return box.exec() == QMessageBox.StandardButton.Yes

    def _unknown_routine_text(self, routine_id: str) -> str:
        """Say where the ids are, and the likeliest one meant ('neck-and-shoulder-break' for
        'neck-shoulder-break'): a bare "no routine called" left a person guessing."""
        ids = [routine.id for routine in self.library.all()]
        close = difflib.get_close_matches(routine_id, ids, n=1, cutoff=0.6)
        guess = f" Did you mean '{close[0]}'?" if close else ""
        return (
            f"There is no routine called '{routine_id}'.{guess} "
            "Each routine's id is shown on the Routines page, above its steps."
        )

    @Slot(str)
    def start_routine(self, routine_id: str) -> bool:
        """Start a routine, or its safe variant under the profile; False if it cannot be offered."""
        offer = self.offer_for(routine_id)
        if offer is None:
            known = self.library.get(routine_id)
            message = (
                self._unknown_routine_text(routine_id)
                if known is None
                else f"'{known.title}' uses points your safety profile flags, and it has no gentler version."
            )
            warn(self.window, "Routine not available", message)
            return False
        routine: Routine = offer.routine
        plan = SessionPlan(
            routine_id=routine.id,
            title=routine.title,
            steps=routine.steps,
            rating_label=self._rating_label(routine.benefits),
            benefits=tuple(routine.benefits),
        )
        return self.run_plan(plan, ask_before=True)

    def offer_for(self, routine_id: str) -> RoutineOffer | None:
        """What starting ``routine_id`` runs under the profile: itself, its safe variant, or nothing."""
        for offer in self._offers():
            if routine_id in (offer.routine.id, offer.instead_of.id if offer.instead_of else None):
                return offer
        return None

    def _offers(self) -> list[RoutineOffer]:
        technique_cautions = {t.id: t.cautions for t in self.catalog.techniques.values()}
        return routines_for_profile(self.library.all(), self.catalog.points, technique_cautions, self.settings.safety)

    def run_plan(self, plan: SessionPlan, ask_before: bool = False) -> bool:
        """Run ``plan``; while another session runs, ask first. False when the person keeps the
        running one."""
        if self.controller.active:
            current = self.controller.plan
            if current is not None and not self._confirm_replace(current, plan):
                return False
            self._replacing = True  # one question at a time: no "how do you feel now" for this one
            try:
                self.controller.stop()
            finally:
                self._replacing = False
        before = self._check_in("before", plan) if ask_before else None
        rating = before.rating if before is not None else None
        self.controller.load(plan, prepare_seconds=self.settings.prepare_seconds, before_rating=rating)
        self._panel_step = None
        self.dock.load_steps()
        if not self.dock.is_compact:
            self.dock.show()
            self.dock.raise_()
            self.window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.window.show_page(self.page_learn)
        self.controller.start()
        # The keys are the session's now: Space must not type into the search box it came from.
        if self.dock.isVisible():
            self.dock.play.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _confirm_replace(self, current: SessionPlan, new: SessionPlan) -> bool:
        return ask(
            self.window,
            "Start another session?",
            f"Stop “{current.title}” and start “{new.title}”?",
            action=f"Start “{new.title}”",
            keep=f"Keep “{current.title}”",
            detail="The time you have practised so far is kept in your history.",
        )

    @Slot()
    def repeat_session(self) -> None:
        """The summary's *Repeat*: the same plan once more, from the start."""
        plan = self.controller.plan
        if plan is not None and not self.controller.active:
            self.run_plan(plan, ask_before=plan.routine_id.startswith("point:") is False)

    @Slot()
    def close_session(self) -> None:
        """The summary's *Close* (or the dock closed): the panel goes, the map forgets the step."""
        if self.controller.active:
            return
        self.dock.set_compact(False)
        self.dock.hide()
        self.learn.map.set_current(None)

    def _check_in(self, moment: Literal["before", "after"], plan: SessionPlan) -> CheckIn | None:
        """The optional rating; None when skipped, or when there is no history to keep it."""
        if self.recorder is None or not self.ask_checkins:
            return None
        from acupressure_desktop.ui.history.checkin import CheckInDialog

        with modal(CheckInDialog(moment, plan.rating_label, plan.title, self.window)) as dialog:
            dialog.exec()
            return dialog.result_checkin()

    @Slot(object, object)
    def _after_session(self, plan: SessionPlan, status: Status) -> None:
        from acupressure_desktop.storage.history import Status

        asked = status is not Status.PAIN and not self._replacing and self.controller.recorded
        after = self._check_in("after", plan) if asked else None
        if after is not None and self.recorder is not None:
            self.recorder.checkin(after_rating=after.rating, note=after.note)
        if self.history_view is not None:
            self.history_view.refresh()

    @Slot(object)
    def _follow_step(self, snapshot: Snapshot) -> None:
        """Show the current step's point on the map, on a view that has it (only when the step changes)."""
        plan = self.controller.plan
        where = (id(plan), snapshot.step_index, snapshot.side, snapshot.state)
        if plan is None or where == self._followed:
            return
        self._followed = where
        step = plan.steps[snapshot.step_index]
        running = snapshot.state.value in ("running", "paused")
        if not running:
            self.learn.map.set_current(None)
            return
        if step.point is None:
            views = [v for v in self.catalog.techniques[step.target].views if v in self.catalog.maps]
            if views and self.learn.map.view_id not in views:
                self.learn.show_view(views[0], quiet=True)  # the routine's doing, not the person's
            self.learn.map.set_current(None)
            return
        code = step.point
        if code not in {m.hotspot.code for m in self.learn.map.markers}:
            point_views = self.catalog.views_of(code)
            if point_views:
                self.learn.show_view(point_views[0].id, quiet=True)
        self.learn.map.set_current(code, SIDE_CODES.get(snapshot.side))

    @Slot(object)
    def _on_event(self, event: object) -> None:
        """A new step shows its point (or massage) in the panel; the preparation ending or the second
        side starting does not, so a point the person opened meanwhile stays open."""
        if isinstance(event, SegmentStarted):
            plan = self.controller.plan
            where = (id(plan), event.step_index)
            if plan is not None and where != self._panel_step:
                self._panel_step = where
                step = plan.steps[event.step_index]
                if step.point:
                    self.learn.panel.show_point(step.point)
                else:  # a massage step: its own text, not the last step's point
                    self.learn.panel.show_technique(self.catalog.techniques[step.target])

    # -- custom routines ---------------------------------------------------------------------------

    def edit_routine(self, routine_id: str | None, add: str | None = None) -> None:
        from acupressure_desktop.ui.routine_editor import RoutineEditor  # only when asked: off the start-up path

        routine = self.library.get(routine_id) if routine_id else None
        with modal(
            RoutineEditor(self.catalog, self.search, self.library, routine, self.window, self.settings.safety)
        ) as editor:
            if add:
                editor.add_step(add)
            if not editor.exec():
                return
            saved = editor.saved_routine
        self.refresh_routines()
        if saved is not None:
            self.routines.select(saved.id)

    @Slot(str)
    def add_point_to_routine(self, code: str) -> None:
        self.window.show_page(self.page_routines)
        current = self.routines.current_id()
        target = current if current and self.library.is_custom(current) else None
        self.edit_routine(target, add=code)

    @Slot(str)
    def _duplicate(self, routine_id: str) -> None:
        try:
            copy = self.library.duplicate(routine_id)
        except RoutineError as exc:
            warn(self.window, "Cannot duplicate", str(exc))
            return
        self.refresh_routines()
        self.routines.select(copy.id)

    @Slot(str)
    def _delete(self, routine_id: str) -> None:
        routine = self.library.get(routine_id)
        if routine is None:
            return
        if ask(
            self.window,
            "Delete routine",
            f"Delete your routine “{routine.title}”? Your practice history keeps its sessions.",
            action="Delete",
        ):
            self.library.delete(routine_id)
            self.refresh_routines()

    @Slot(str)
    def _export(self, routine_id: str) -> None:
        from acupressure_desktop.ui.routine_editor import export_routine

        export_routine(self.window, self.library, routine_id)

    @Slot()
    def _import(self) -> None:
        from acupressure_desktop.ui.routine_editor import import_routine

        routine = import_routine(self.window, self.library)
        if routine is not None:
            self.refresh_routines()
            self.routines.select(routine.id)
