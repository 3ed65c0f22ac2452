"""The Learn page: search and filter, the body map with its views, and the point panel."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTabBar,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.catalog.bodymaps import BodyMap
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.ui.accessibility import announce, current_item_on_focus, quietly
from acupressure_desktop.ui.bodymap import SIDE_CONVENTION, BodyMapView
from acupressure_desktop.ui.channel_box import ChannelBox, ChannelRow
from acupressure_desktop.ui.texts import FLAG_MARK, PANEL_HINT
from acupressure_desktop.ui.theme import Colors

if TYPE_CHECKING:  # the catalog needs pydantic, which loads after the first paint
    from acupressure_desktop.catalog.guides import ResolvedGuide
    from acupressure_desktop.catalog.loader import Catalog
    from acupressure_desktop.catalog.search import PointSearch
    from acupressure_desktop.domain.models import CautionKind, Routine

GROUPS = (  # "&&" shows one "&": tab text takes "&" as a keyboard mnemonic
    ("body", "Whole body"),
    ("head", "Head"),
    ("arm", "Arms && hands"),
    ("torso", "Torso"),
    ("leg", "Legs && feet"),
)
FAVOURITES = "__favourites__"
SELF_CARE_ONLY, ALL_POINTS = "self-care", "all"  # the tier filter (Settings.map_points)
TIER_NOTES = {
    "gentle": "a gentle point (press it lightly only)",
    "reference": "a reference point (learn where it is; never pressed)",
}
PREBUILD_DELAY_MS = 400  # after the first paint: start-up first, then the other views
VIEW_TAB_PADDING = 28  # a tab's width beyond its text (the style's margins and the selected underline)


class LearnPage(QWidget):
    """Emits what the person asks for; the window decides what it means."""

    practiseRequested = Signal(str)
    addToRoutineRequested = Signal(str)
    favouriteToggled = Signal(str, bool)
    statusMessage = Signal(str)
    routineRequested = Signal(str)  # a routine the search found: show it on the Routines page
    pointFilterChanged = Signal(str)  # "self-care" or "all": the person chose, the shell saves it

    def __init__(self, dirs: ResourceDirs, parent: QWidget | None = None) -> None:
        """The page's widgets, empty; ``populate`` fills them and connects them once the catalog is loaded.

        Until then the page can show a preview of the first view (``show_preview``): the window
        paints before pydantic and the catalog load, which are most of the start-up time.
        """
        super().__init__(parent)
        self._favourites: set[str] = set()
        self._flag_reasons: dict[str, str] = {}
        self._rows: list[
            tuple[str, str, str]
        ] = []  # what the list shows: (text, code, tooltip)  # flagged point -> why, for the list's mark and tooltip
        self._region_codes: list[str] | None = None

        # Sidebar: search, filter, results.
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search: name, code, complaint…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search points")
        for clear in self.search_box.findChildren(QToolButton):  # Qt's clear button: unnamed to a screen reader
            clear.setAccessibleName("Clear the search")  # (its action keeps no text: the button stays icon-wide)
        self.benefit_filter = QComboBox()
        self.benefit_filter.setAccessibleName("Filter points by benefit")
        self.benefit_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.benefit_filter.setMinimumContentsLength(12)
        self.benefit_filter.addItem("Any benefit", None)
        self.benefit_filter.addItem("★ Favourites", FAVOURITES)
        self.tier_filter = QComboBox()
        self.tier_filter.setAccessibleName("Which points to show")
        self.tier_filter.addItem("Self-care points", SELF_CARE_ONLY)
        self.tier_filter.addItem("All points", ALL_POINTS)
        self.tier_filter.setToolTip(
            "Self-care points are the ones to press yourself. All points adds gentle points (press lightly) "
            "and reference points (learn where they are, never pressed)."
        )
        self.results_label = QLabel()
        self.results_label.setObjectName("muted")
        self.results = QListWidget()
        self.results.setAccessibleName("Matching points")
        current_item_on_focus(self.results)  # a screen reader says a row as the list gets focus
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setWordWrap(True)

        sidebar = QWidget()
        sidebar.setMinimumWidth(180)
        self.sidebar = sidebar
        side_layout = QVBoxLayout(sidebar)
        side_layout.setContentsMargins(12, 12, 6, 12)
        side_layout.addWidget(self.search_box)
        side_layout.addWidget(self.tier_filter)
        side_layout.addWidget(self.benefit_filter)
        side_layout.addWidget(self.results_label)
        self.routine_links = QLabel()  # routines for a complaint typed in the search
        self.routine_links.setWordWrap(True)
        self.routine_links.setTextFormat(Qt.TextFormat.RichText)
        self.routine_links.setAccessibleName("Routines for this search")
        self.routine_links.linkActivated.connect(lambda link: self.routineRequested.emit(link.removeprefix("routine:")))
        self.routine_links.hide()
        self.offered_routines: list[Routine] | None = None  # on offer under the profile (None: the built-in)
        side_layout.addWidget(self.routine_links)
        self.benefit_card = QTextBrowser()  # the chosen benefit: what it is, when to see a professional
        self.benefit_card.setAccessibleName("About this benefit")
        self.benefit_card.setMaximumHeight(220)
        self.benefit_card.hide()
        side_layout.addWidget(self.benefit_card)
        side_layout.addWidget(self.results, 1)

        # Centre: view navigation, region bar, map.
        self.map = BodyMapView({})
        self.map.hotspotFocused.connect(self.statusMessage)
        # Tab bars, not a row of buttons: they scroll instead of widening a narrow window.
        self.group_tabs = QTabBar()
        self.group_tabs.setObjectName("groups")
        self.group_tabs.setAccessibleName("Body parts")
        self.group_tabs.setDrawBase(False)
        self.group_tabs.setExpanding(False)
        self.group_tabs.setUsesScrollButtons(True)
        for _group, label in GROUPS:
            self.group_tabs.addTab(label)
        group_row = QHBoxLayout()
        group_row.setSpacing(4)
        group_row.addWidget(self.group_tabs, 1)
        self.channels_button = QToolButton()
        self.channels_button.setText("Channels")
        self.channels_button.setAccessibleName("Show channel paths")
        self.channels_button.setToolTip("Draw one, several or all of the 14 channels on the map")
        self.channels_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.channels_menu = QMenu(self.channels_button)
        self.channels_menu.setAccessibleName("Channels")
        self.channels_button.setMenu(self.channels_menu)
        self.channel_actions: dict[str, QAction] = {}
        self.map.add_to_bar(self.channels_button)  # floating over the map: it takes no layout width
        self.view_tabs = QTabBar()
        self.view_tabs.setAccessibleName("Body map views")
        self.view_tabs.setDrawBase(False)
        self.view_tabs.setExpanding(False)
        # Every view's tab stays in sight: a title that does not fit is shortened with "…" (full in
        # its tooltip) instead of scrolling off ("y, front").
        self.view_tabs.setUsesScrollButtons(False)
        self.view_tabs.setElideMode(Qt.TextElideMode.ElideRight)
        # When a group's titles do not fit whole (7 views on a narrow window), a list takes the tabs'
        # place: every title readable, every view one choice away.
        self.view_choice = QComboBox()
        self.view_choice.setAccessibleName("Body map views")
        self.view_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.view_choice.hide()

        self.region_bar = QFrame()
        self.region_bar.setObjectName("card")
        region_layout = QHBoxLayout(self.region_bar)
        region_layout.setContentsMargins(10, 6, 10, 6)
        self.region_label = QLabel()
        self.closeup_button = QPushButton()
        self.closeup_button.setAccessibleName("Open the close-up view of this region")
        self.closeup_button.clicked.connect(self._open_closeup)
        region_layout.addWidget(self.region_label, 1)
        region_layout.addWidget(self.closeup_button)
        self.region_bar.hide()
        self._closeup: str | None = None
        # A point opened while the tier filter hides it: say why it was hidden, offer all points.
        self.filter_note = QLabel()
        self.filter_note.setObjectName("muted")
        self.filter_note.setWordWrap(True)
        self.filter_note.setTextFormat(Qt.TextFormat.RichText)
        self.filter_note.setAccessibleName("Why this point was hidden")
        self.filter_note.linkActivated.connect(lambda _link: self.set_point_filter(ALL_POINTS, chosen=True))
        self.filter_note.hide()
        self.channel_box = ChannelBox()
        self.channel_box.hide()

        centre = QWidget()
        self._centre = centre
        centre.installEventFilter(self)
        centre_layout = QVBoxLayout(centre)
        self._centre_layout = centre_layout
        centre_layout.setContentsMargins(6, 12, 6, 12)
        centre_layout.addLayout(group_row)
        view_row = QHBoxLayout()
        view_row.addWidget(self.view_tabs, 1)
        view_row.addWidget(self.view_choice)
        view_row.addStretch(0)
        centre_layout.addLayout(view_row)
        centre_layout.addWidget(self.region_bar)
        centre_layout.addWidget(self.filter_note)
        centre_layout.addWidget(self.map, 1)
        centre_layout.addWidget(self.channel_box)
        self.tier_legend = QLabel(
            "●  self-care point   ◯  gentle point (press lightly)   ⊖  reference point (learn only, never pressed)"
        )
        self.tier_legend.setObjectName("muted")
        self.tier_legend.setWordWrap(True)
        self.tier_legend.setAccessibleName("Map legend: kinds of points")
        self.tier_legend.hide()
        centre_layout.addWidget(self.tier_legend)
        self.flag_legend = QLabel("◯  A ring marks a point your safety profile flags: read why before you press it.")
        self.flag_legend.setObjectName("muted")
        self.flag_legend.setWordWrap(True)
        self.flag_legend.setAccessibleName("Map legend")
        self.flag_legend.hide()
        centre_layout.addWidget(self.flag_legend)
        self.side_legend = QLabel("L / R: the person's own left and right side (hover for how each view is drawn)")
        self.side_legend.setObjectName("muted")
        self.side_legend.setWordWrap(True)
        self.side_legend.setToolTip(SIDE_CONVENTION)
        self.side_legend.setAccessibleName("Map legend: sides")
        self.side_legend.setAccessibleDescription(SIDE_CONVENTION)
        centre_layout.addWidget(self.side_legend)

        panel_box = QWidget()
        panel_box.setMinimumWidth(300)
        self._panel_layout = QVBoxLayout(panel_box)
        self._panel_layout.setContentsMargins(6, 12, 12, 12)
        self._waiting = QLabel(PANEL_HINT)  # where the point panel goes once the catalog is in
        self._waiting.setObjectName("muted")
        self._waiting.setWordWrap(True)
        self._waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._panel_layout.addWidget(self._waiting)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("learn-splitter")
        splitter.addWidget(sidebar)
        splitter.addWidget(centre)
        splitter.addWidget(panel_box)
        # The map takes most of any change of width; the details panel and the list share it.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([220, 640, 420])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._dirs = dirs

    def show_preview(self, view_id: str, title: str, body_map: BodyMap, svg_file: str) -> None:
        """The first view before the catalog loads: the figure and its markers, nothing to click yet."""
        self.map.add_view(view_id, str(self._dirs.bodymaps / svg_file), body_map)
        self.map.show_view(view_id)
        self.view_tabs.addTab(title)

    def populate(self, catalog: Catalog, search: PointSearch) -> None:
        """Fill the page from the validated catalog and connect it; the preview scene is kept."""
        from acupressure_desktop.ui.point_panel import PointPanel  # imports the models: after the first paint

        self.catalog = catalog
        self.search = search
        for benefit in sorted(catalog.benefits.values(), key=lambda b: b.title):
            self.benefit_filter.addItem(benefit.title, benefit.id)
        self.map.set_titles(
            {code: catalog.point_title(code) for code in catalog.points},
            places={code: point.region for code, point in catalog.points.items()},
            regions={(view.id, region.id): region.title for view in catalog.views.values() for region in view.regions},
        )
        self.map.set_tiers({code: point.tier.value for code, point in catalog.points.items()})
        self.map.set_channel_names({code: m.name for code, m in catalog.meridians.items()})
        self._fill_channel_menu()
        self.panel = PointPanel(catalog)
        self._panel_layout.replaceWidget(self._waiting, self.panel)
        box = self.panel.parentWidget()
        if box is not None:  # wide enough for the panel's buttons, never cut ("Add to routine…")
            margins = self._panel_layout.contentsMargins()
            panel = self.panel
            buttons = (panel.practise_button, panel.favourite_button, panel.add_button)
            layout = panel.layout()
            spacing = layout.spacing() if layout is not None else 6
            needed = sum(b.minimumWidth() for b in buttons) + 2 * max(6, spacing)
            box.setMinimumWidth(max(300, needed + margins.left() + margins.right()))
        self._waiting.hide()  # deleteLater waits for the event loop; a screenshot may come first
        self._waiting.deleteLater()
        self.panel.viewRequested.connect(self.show_view)
        self.panel.benefitRequested.connect(self.filter_benefit)
        self.panel.practiseRequested.connect(self.practiseRequested)
        self.panel.addToRoutineRequested.connect(self.addToRoutineRequested)
        self.panel.favouriteToggled.connect(self._on_favourite)
        self._wire_guide()
        self.search_box.textChanged.connect(self._refresh_results)
        self.search_box.returnPressed.connect(self.open_best_match)
        self.benefit_filter.currentIndexChanged.connect(self._refresh_results)
        self.tier_filter.currentIndexChanged.connect(self._on_tier_filter)
        self.map.channelActivated.connect(self.list_channel)
        self.channel_box.pointRequested.connect(self._open_from_channel)
        self.channel_box.tourStep.connect(self._tour_to)
        self.channel_box.closed.connect(self._channel_box_closed)
        self.results.itemActivated.connect(self._on_result_activated)
        self.results.itemClicked.connect(self._on_result_activated)
        self.map.pointActivated.connect(self._open_from_map)
        self.map.detailsRequested.connect(self.focus_details)
        self.map.regionActivated.connect(self._on_region)
        self.group_tabs.currentChanged.connect(self._on_group)
        self.view_tabs.currentChanged.connect(self._on_view_tab)
        self.view_choice.activated.connect(lambda i: self.show_view(self.view_choice.itemData(i)))
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.clear)
        details = QShortcut(QKeySequence("Alt+D"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        details.activated.connect(self.focus_details)
        self._build_order: list[str] = [v for v in catalog.views if v in catalog.maps]
        self._apply_point_filter()
        self._refresh_results()
        if self._build_order:
            self.show_view(self._build_order[0])
            QTimer.singleShot(PREBUILD_DELAY_MS, self, self._prebuild_next)

    @classmethod
    def loaded(cls, catalog: Catalog, search: PointSearch, dirs: ResourceDirs) -> LearnPage:
        """A page filled at once (no preview step)."""
        page = cls(dirs)
        page.populate(catalog, search)
        return page

    # -- views ----------------------------------------------------------------------------------

    def _ensure_built(self, view_id: str) -> None:
        if not self.map.has_view(view_id):
            view = self.catalog.views[view_id]
            self.map.add_view(view_id, str(self._dirs.bodymaps / view.file), self.catalog.maps[view_id])

    def prebuild_views(self) -> None:
        """Build every scene now (benchmarks and tests)."""
        for view_id in self._build_order:
            self._ensure_built(view_id)

    @Slot()
    def _prebuild_next(self) -> None:
        """Build the remaining scenes one per idle turn after start-up, so switching is instant later."""
        pending = [v for v in self._build_order if not self.map.has_view(v)]
        if pending:
            self._ensure_built(pending[0])
            QTimer.singleShot(0, self, self._prebuild_next)
        else:
            len(self.catalog.guides)  # a cached catalog reads its guides on first use: now, not on a click

    @Slot(str)
    def show_view(self, view_id: str, *, quiet: bool = False) -> None:
        """Show a view; ``quiet`` when the page moves there itself (a routine's step, an opened point):
        the tabs then change without being read out (Orca 43 read every such change and moved there)."""
        if quiet:
            with quietly(self.group_tabs, self.view_tabs, self.view_choice):
                self._show_view(view_id)
        else:
            self._show_view(view_id)

    def _show_view(self, view_id: str) -> None:
        if view_id not in self.catalog.maps:
            self.statusMessage.emit(f"The view {view_id!r} could not be loaded.")
            return
        self._ensure_built(view_id)
        view = self.catalog.views[view_id]
        group_index = next(i for i, (g, _) in enumerate(GROUPS) if g == view.group)
        self.group_tabs.blockSignals(True)
        self.group_tabs.setCurrentIndex(group_index)
        self.group_tabs.blockSignals(False)
        self._fill_tabs(view.group, view_id)
        if self.map.view_id != view_id:
            # A region filter belongs to the view it was clicked on (its close-up shows the same points).
            keep_region = self._region_codes is not None and view_id == self._closeup
            self.map.show_view(view_id)
            self.map.setAccessibleName(f"Body map: {view.title}")
            self.region_bar.hide()
            self.map.set_region_outline(None)
            if self._region_codes is not None and not keep_region:
                self._region_codes = None
                self._refresh_results()
                return
        self._apply_matches(self.matching_codes())
        self._follow_guide()

    def _fill_tabs(self, group: str, current: str) -> None:
        self.view_tabs.blockSignals(True)
        self.view_choice.blockSignals(True)
        while self.view_tabs.count():
            self.view_tabs.removeTab(0)
        self.view_choice.clear()
        for view_id in self._build_order:
            view = self.catalog.views[view_id]
            if view.group == group:
                index = self.view_tabs.addTab(view.title)
                self.view_tabs.setTabToolTip(index, view.title)
                self.view_tabs.setTabData(index, view_id)
                self.view_choice.addItem(view.title, view_id)
                if view_id == current:
                    self.view_tabs.setCurrentIndex(index)
                    self.view_choice.setCurrentIndex(index)
        self.view_tabs.blockSignals(False)
        self.view_choice.blockSignals(False)
        self._fit_view_tabs()

    def _fit_view_tabs(self) -> None:
        """Tabs when every title fits whole, else the list of views in their place."""
        tabs = self.view_tabs
        metrics = tabs.fontMetrics()
        needed = sum(metrics.horizontalAdvance(tabs.tabText(i)) + VIEW_TAB_PADDING for i in range(tabs.count()))
        margins = self._centre_layout.contentsMargins()
        room = self._centre.width() - margins.left() - margins.right()
        fits = needed <= room or tabs.count() <= 1
        if tabs.isHidden() == fits:
            tabs.setVisible(fits)
            self.view_choice.setVisible(not fits)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._centre and event.type() == QEvent.Type.Resize and hasattr(self, "catalog"):
            self._fit_view_tabs()
        return super().eventFilter(watched, event)

    @Slot(int)
    def _on_group(self, index: int) -> None:
        group = GROUPS[index][0]
        first = next((v for v in self._build_order if self.catalog.views[v].group == group), None)
        if first:
            self.show_view(first)

    @Slot(int)
    def _on_view_tab(self, index: int) -> None:
        view_id = self.view_tabs.tabData(index)
        if view_id:
            self.show_view(view_id)

    # -- points and regions -----------------------------------------------------------------------

    @Slot(str)
    def open_point(self, code: str) -> None:
        if code not in self.catalog.points:
            return
        self.panel.show_point(code)
        self.map.set_selected(code)
        if code not in self.catalog.hotspot_codes(self.map.view_id):
            views = self.catalog.views_of(code)
            if views:
                self.show_view(views[0].id, quiet=True)
                self.map.set_selected(code)
        self._follow_guide()
        self._note_hidden(code)

    def _note_hidden(self, code: str | None) -> None:
        """A point the tier filter hides was opened (search, link, tour): it is drawn, and we say why
        it is usually hidden."""
        point = self.catalog.points.get(code) if code else None
        if point is None or self.passes_filter(point.code):
            self.filter_note.hide()
            return
        why = TIER_NOTES.get(point.tier.value, point.tier.value)
        text = (
            f"{point.code} is {why}. The <i>Self-care points</i> filter hides such points on the map and "
            f"in the list; it is shown because you opened it. <a href='all'>Show all points</a>"
        )
        self.filter_note.setText(text)
        self.filter_note.show()
        self.statusMessage.emit(f"{point.code} is {why}: shown although the self-care filter hides it.")

    @Slot(str)
    def _open_from_map(self, code: str) -> None:
        """A point opened on the map: say that its details appeared and how to reach them."""
        self.open_point(code)
        point = self.panel.point
        if point is not None and point.code == code:
            message = f"Details of {self.catalog.point_title(code)} shown. Press D to read them."
            self.statusMessage.emit(message)
            announce(self.map, message)

    @Slot()
    def focus_details(self) -> None:
        """D on the map (Alt+D anywhere on the page): focus the open point's details."""
        if self.panel.point is not None:
            self.panel.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str, str)
    def _on_region(self, view_id: str, region_id: str) -> None:
        view = self.catalog.views[view_id]
        region = next(r for r in view.regions if r.id == region_id)
        body_map = self.catalog.maps[view_id]
        closeup = region.closeup if region.closeup in self.catalog.maps else None
        target = closeup or view_id
        codes = sorted(
            {h.code for h in self.catalog.maps[target].hotspots}
            if closeup
            else {h.code for h in body_map.hotspots if _inside(region_id, h.x, h.y, body_map)}
        )
        self._region_codes = codes
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self._refresh_results(region_title=region.title)
        self.map.set_region_outline(region_id)
        self.region_label.setText(f"<b>{region.title}</b>: {len(codes)} points listed on the left")
        self._closeup = closeup
        self.closeup_button.setVisible(closeup is not None)
        if closeup:
            self.closeup_button.setText(f"Open close-up: {self.catalog.views[closeup].title}")
        self.region_bar.show()

    @Slot()
    def _open_closeup(self) -> None:
        if self._closeup:
            self.show_view(self._closeup)

    # -- search and filter --------------------------------------------------------------------------

    @Slot(str)
    def filter_benefit(self, benefit_id: str) -> None:
        index = self.benefit_filter.findData(benefit_id)
        if index >= 0:
            self.benefit_filter.setCurrentIndex(index)

    # -- the tier filter ---------------------------------------------------------------------------

    @property
    def point_filter(self) -> str:
        return str(self.tier_filter.currentData())

    def set_point_filter(self, value: str, *, chosen: bool = False) -> None:
        """Self-care points only, or all points; ``chosen``: the person chose it (saved by the shell)."""
        index = self.tier_filter.findData(value)
        if index < 0:
            return
        if index != self.tier_filter.currentIndex():
            self.tier_filter.blockSignals(True)
            self.tier_filter.setCurrentIndex(index)
            self.tier_filter.blockSignals(False)
            if hasattr(self, "catalog"):
                self._apply_point_filter()
                self._refresh_results()
        if chosen:
            self.pointFilterChanged.emit(value)

    @Slot(int)
    def _on_tier_filter(self, _index: int) -> None:
        self._apply_point_filter()
        self._refresh_results()
        self.pointFilterChanged.emit(self.point_filter)

    def passes_filter(self, code: str) -> bool:
        point = self.catalog.points.get(code)
        return point is not None and (self.point_filter == ALL_POINTS or point.self_care)

    def _apply_point_filter(self) -> None:
        everything = self.point_filter == ALL_POINTS
        self.map.set_shown(None if everything else {c for c, p in self.catalog.points.items() if p.self_care})
        self.tier_legend.setVisible(everything)
        point = self.panel.point if hasattr(self, "panel") else None
        self._note_hidden(point.code if point is not None else None)

    def matching_codes(self) -> list[str] | None:
        """Codes the search and filter select, best first; None when neither is active."""
        query = self.search_box.text().strip()
        wanted = self.benefit_filter.currentData()
        if not query and wanted is None and self._region_codes is None:
            return None
        codes = [hit.code for hit in self.search.search(query)] if query else list(self.catalog.points)
        if self._region_codes is not None and not query:
            codes = [c for c in codes if c in self._region_codes]
        if wanted == FAVOURITES:
            codes = [c for c in codes if c in self._favourites]
        elif wanted is not None:
            from acupressure_desktop.catalog.search import rank_by_evidence  # loaded with the catalog

            codes = rank_by_evidence(self.catalog, codes, wanted)  # best-supported uses first
        return codes

    @Slot()
    def _refresh_results(self, *_args: object, region_title: str | None = None) -> None:
        if region_title is None and self.search_box.text().strip():
            self._region_codes = None
        from acupressure_desktop.ui.point_panel import EVIDENCE_LABELS  # loaded with the catalog

        codes = self.matching_codes()
        wanted = self.benefit_filter.currentData()
        self._show_benefit_card(wanted if isinstance(wanted, str) and wanted in self.catalog.benefits else None)
        matched = codes if codes is not None else list(self.catalog.points)
        shown = [c for c in matched if self.passes_filter(c)]
        hidden = len(matched) - len(shown)
        rows = []
        for code in shown:
            point = self.catalog.points[code]
            reference = "" if point.self_care else f"  ({point.tier.value})"
            graded = point.evidence_for(wanted) if isinstance(wanted, str) else None
            grade = f"  ·  {EVIDENCE_LABELS[graded.level]}" if graded else ""
            why = self._flag_reasons.get(code)
            mark = f"{FLAG_MARK} " if why else ""
            tip = f"Flagged by your safety profile: {why}" if why else point.location
            rows.append((f"{mark}{point.code}  {point.pinyin}{reference}\n{point.english}{grade}", code, tip))
        query = self.search_box.text().strip()
        if hidden and (query or region_title or codes is not None):
            more = "point" if hidden == 1 else "points"
            rows.append((f"Show {hidden} more {more} (gentle and reference)", "", "Switch the filter to All points"))
        if rows != self._rows or self.results.count() != len(rows):  # a keystroke that changes nothing paints nothing
            self._rows = rows
            self.results.setUpdatesEnabled(False)  # one repaint for the whole list, not one per row
            self.results.clear()
            for text, code, tip in rows:
                item = QListWidgetItem(text)
                if code:
                    item.setData(Qt.ItemDataRole.UserRole, code)
                else:
                    item.setData(Qt.ItemDataRole.UserRole + 2, ALL_POINTS)
                item.setToolTip(tip)
                self.results.addItem(item)
            self.results.setUpdatesEnabled(True)
        plural = "point" if len(shown) == 1 else "points"
        kind = "self-care " if hidden else ""  # named only when the filter left some out
        if region_title:
            self.results_label.setText(f"{len(shown)} {kind}{plural} in {region_title}")
        elif codes is None:
            self.results_label.setText(f"All {len(shown)} {kind}points")
        elif shown:
            self.results_label.setText(f"{len(shown)} matching {kind}{plural}")
        elif hidden:
            self.results_label.setText(f"No matching self-care points; {hidden} among all points")
        elif query:
            self._show_suggestions(query)
        else:
            self.results_label.setText("No matching points")
        self._show_routine_links(query)
        self._apply_matches(codes)

    def _show_suggestions(self, query: str) -> None:
        """Nothing matches: say so, and offer words that would (each one a row to activate)."""
        tries = self.search.suggest(query)
        self._rows = [("", "", "")]  # the list holds suggestions now: rebuild it next time
        self.results_label.setText(f"Nothing matches “{query}”." + (" Try:" if tries else ""))
        for word in tries:
            item = QListWidgetItem(f"→ {word}")  # a glyph every desktop font has (an emoji showed as a box)
            item.setData(Qt.ItemDataRole.UserRole + 1, word)
            item.setToolTip(f"Search for “{word}”")
            self.results.addItem(item)

    def _show_routine_links(self, query: str) -> None:
        offered = self.offered_routines if self.offered_routines is not None else self.catalog.routines.values()
        found = self.search.routines(query, offered, limit=3) if query else []
        self.routine_links.setVisible(bool(found))
        if found:
            links = ", ".join(f"<a href='routine:{escape(r.id)}'>{escape(r.title)}</a>" for r in found)
            self.routine_links.setText(f"Routines for this: {links}")

    def _show_benefit_card(self, benefit_id: str | None) -> None:
        if benefit_id is None:
            self.benefit_card.hide()
            return
        from acupressure_desktop.ui.routines_page import benefit_html  # loaded with the catalog

        self.benefit_card.setHtml(benefit_html(self.catalog, benefit_id))
        self.benefit_card.show()

    def _apply_matches(self, codes: list[str] | None) -> None:
        self.map.set_matches(set(codes) if codes is not None else None)

    @Slot()
    def open_best_match(self) -> None:
        """Return in the search box: the best match the filter shows, else the best of all (it says why
        it is shown)."""
        codes = self.matching_codes()
        if not codes:
            return
        from acupressure_desktop.catalog.search import fold  # loaded with the catalog

        query = fold(self.search_box.text())
        best = codes[0]
        named = {fold(n) for n in (best, *self.catalog.points[best].aliases)}
        if not self.passes_filter(best) and query not in named:  # a hidden point is opened when named
            best = next((c for c in codes if self.passes_filter(c)), best)
        self.open_point(best)

    @Slot(QListWidgetItem)
    def _on_result_activated(self, item: QListWidgetItem) -> None:
        suggestion = item.data(Qt.ItemDataRole.UserRole + 1)
        if suggestion:
            self.search_box.setText(suggestion)
            return
        if item.data(Qt.ItemDataRole.UserRole + 2) == ALL_POINTS:
            self.set_point_filter(ALL_POINTS, chosen=True)
            return
        self.open_point(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def clear(self) -> None:
        """Escape: clear search, filter, region and selection."""
        self._region_codes = None
        self.region_bar.hide()
        self.map.set_region_outline(None)
        self.search_box.clear()
        self.benefit_filter.setCurrentIndex(0)
        self.map.set_selected(None)
        self.panel.show_point(None)
        self.player.stop()
        self.filter_note.hide()
        self._refresh_results()

    # -- channels ------------------------------------------------------------------------------------

    def _fill_channel_menu(self) -> None:
        from acupressure_desktop.ui.theme import CHANNEL_STYLES

        menu = self.channels_menu
        menu.clear()
        every = menu.addAction("&All channels")
        every.triggered.connect(lambda: self.set_channels(set(self.channel_actions)))
        none = menu.addAction("&No channels")
        none.triggered.connect(lambda: self.set_channels(set()))
        menu.addSeparator()
        self.channel_actions = {}
        for code in CHANNEL_STYLES:
            meridian = self.catalog.meridians.get(code)
            if meridian is None:
                continue
            action = menu.addAction(f"{code}  {meridian.name}")
            action.setCheckable(True)
            action.setToolTip(f"Draw the {meridian.name} channel ({code}) and list its points")
            action.toggled.connect(lambda on, c=code: self._on_channel_toggled(c, on))
            self.channel_actions[code] = action

    def set_channels(self, codes: set[str]) -> None:
        """Draw these channels (a menu choice, *All*, *None*, or a tour that needs its channel)."""
        for code, action in self.channel_actions.items():
            action.blockSignals(True)
            action.setChecked(code in codes)
            action.blockSignals(False)
        self.map.set_channels({c for c in codes if c in self.channel_actions})
        shown = len(self.map.shown_channels)
        self.channels_button.setText(f"Channels ({shown})" if shown else "Channels")
        self.map.fit_bar()

    def _on_channel_toggled(self, code: str, on: bool) -> None:
        self.set_channels({c for c, a in self.channel_actions.items() if a.isChecked()})
        if on:
            self.list_channel(code)

    def channel_rows(self, meridian: str) -> list[ChannelRow]:
        """The channel's points in the order of their numbers, each with what the list should say."""
        points = [p for p in self.catalog.points.values() if p.meridian == meridian]
        points.sort(key=lambda p: int(p.code[len(meridian) :]) if p.code[len(meridian) :].isdigit() else 0)
        rows = []
        for point in points:
            note = "" if point.self_care else point.tier.value
            if not self.catalog.views_of(point.code):
                note = ", ".join(n for n in (note, "on no view") if n)
            number = int(point.code[len(meridian) :]) if point.code[len(meridian) :].isdigit() else 0
            rows.append(ChannelRow(number, point.code, self.catalog.point_title(point.code), note))
        return rows

    @Slot(str)
    def list_channel(self, meridian: str) -> None:
        """Clicking a channel path (or choosing it): list its points in order under the map."""
        found = self.catalog.meridians.get(meridian)
        if found is None:
            return
        if meridian not in self.map.shown_channels:
            self.set_channels(self.map.shown_channels | {meridian})
        rows = self.channel_rows(meridian)
        self.channel_box.show_channel(meridian, f"{meridian} {found.name} channel: {len(rows)} points", rows)
        self.statusMessage.emit(f"{found.name} channel: {len(rows)} points listed under the map.")

    @Slot(str)
    def _open_from_channel(self, code: str) -> None:
        self.open_point(code)

    @Slot(int)
    def _tour_to(self, index: int) -> None:
        """One step of the channel tour: open the point, on another view when this one lacks it."""
        box = self.channel_box
        if not 0 <= index < len(box.rows):
            return
        row = box.rows[index]
        self.open_point(row.code)
        view = self.catalog.views.get(self.map.view_id)
        on_view = row.code in self.catalog.hotspot_codes(self.map.view_id)
        where = f"on {view.title}" if view is not None and on_view else "on no view"
        tier = f", {row.note}" if row.note else ""
        box.say(f"Point {index + 1} of {len(box.rows)}: {row.title}{tier}, {where}.")

    @Slot()
    def _channel_box_closed(self) -> None:
        self.map.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- measuring guide ---------------------------------------------------------------------------

    def _wire_guide(self) -> None:
        from acupressure_desktop.ui.guide_player import GuidePlayer
        from acupressure_desktop.ui.motion import prefers_reduced_motion

        self.player = GuidePlayer(self, reduced_motion=prefers_reduced_motion())
        self._guide_filled: object = None  # the playing guide the panel lists
        self._guide_listed: tuple[str, str] | None = None  # (point, view) the panel lists
        self._guide_current = -1
        self._resolved: dict[tuple[str, str, str | None], ResolvedGuide | None] = {}
        self._finger_dialog: QWidget | None = None
        steps = self.panel.guide
        steps.startRequested.connect(self.toggle_guide)
        steps.stepRequested.connect(self.player.go_to)
        steps.stepHovered.connect(lambda index: self.player.preview(index if index >= 0 else None))
        steps.backRequested.connect(self.player.back)
        steps.nextRequested.connect(self.player.next)
        steps.otherSideRequested.connect(self.other_side)
        steps.fingerGuideRequested.connect(self.show_finger_guide)
        self.panel.fingerGuideRequested.connect(self.show_finger_guide)
        self.player.changed.connect(self._on_guide_changed)
        shortcut = QShortcut(QKeySequence("Ctrl+G"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.toggle_guide)

    def _resolved_guide(self, code: str, side: str | None) -> ResolvedGuide | None:
        """The point's guide on the shown view for ``side`` (resolved once, then kept: data do not change)."""
        from acupressure_desktop.catalog.guides import guide_for

        view_id = self.map.view_id
        key = (code, view_id, side)
        if key not in self._resolved:
            guide = self.catalog.guide(code, view_id)
            self._resolved[key] = (
                None
                if guide is None
                else guide_for(guide, self.catalog.views[view_id], self.catalog.maps[view_id], side)
            )
        return self._resolved[key]

    def _sides_here(self, code: str) -> set[str]:
        body_map = self.catalog.maps.get(self.map.view_id)
        return {h.side for h in body_map.hotspots if h.code == code and h.side} if body_map else set()

    def show_guide(self, step: int = 0, side: str | None = None) -> bool:
        """Play the open point's guide on the shown view from ``step``; False when there is none."""
        point = self.panel.point
        resolved = self._resolved_guide(point.code, side) if point is not None else None
        if resolved is None:
            return False
        self.player.play(resolved)
        if step > 0:
            self.player.jump(min(step, len(resolved.steps) - 1))
        return True

    @Slot(str)
    def show_guide_for(self, code: str) -> None:
        """The session dock's *How to find it*: open the point and play its guide."""
        self.open_point(code)
        self.show_guide()

    @Slot()
    def toggle_guide(self) -> None:
        if self.player.playing:
            self.player.stop()
        else:
            self.show_guide()

    @Slot()
    def other_side(self) -> None:
        guide = self.player.guide
        if guide is None or guide.side is None:
            return
        other = self._resolved_guide(guide.point, "R" if guide.side == "L" else "L")
        if other is not None and other.side != guide.side:
            self.player.replace(other)

    def _follow_guide(self) -> None:
        """After a point or view change: list its guide here, keep a playing guide on the point or stop it."""
        point = self.panel.point
        # A point with no guide on any view (a reference-only point) shows no guide controls at all.
        self.panel.guide.setVisible(point is not None and bool(self.catalog.guides_of(point.code)))
        available = point is not None and self.catalog.guide(point.code, self.map.view_id) is not None
        self.panel.guide.set_available(
            available, "" if available else "This view shows no measuring guide for this point."
        )
        guide = self.player.guide
        if guide is not None:
            if point is None or guide.point != point.code or not available:
                self.player.stop()  # lists the point's steps again (_on_guide_changed)
                return
            if guide.view != self.map.view_id:
                resolved = self._resolved_guide(point.code, guide.side)
                if resolved is not None:
                    self.player.replace(resolved)
            return
        self._list_steps()

    def _list_steps(self) -> None:
        """The open point's guide on this view as text, before (or after) it plays."""
        point = self.panel.point
        listed = self._resolved_guide(point.code, None) if point is not None else None
        key = (listed.point, listed.view) if listed else None
        if key == self._guide_listed:
            return
        self._guide_listed = key
        self._guide_filled = None
        title = self.catalog.views[listed.view].title if listed else ""
        self.panel.guide.set_guide(listed, view_title=title)

    @Slot()
    def _on_guide_changed(self) -> None:
        player = self.player
        guide = player.guide
        self.map.set_guide(guide, player.index, player.progress)
        if guide is not self._guide_filled:
            self._guide_filled = guide
            self._guide_current = -1
            if guide is None:
                self._guide_listed = None
                self._list_steps()
                return
            title = self.catalog.views[guide.view].title
            both = len(self._sides_here(guide.point)) > 1
            self._guide_listed = (guide.point, guide.view)
            self.panel.guide.set_guide(guide, view_title=title, both_sides=both, playing=True)
        if guide is not None and player.current != self._guide_current:
            self._guide_current = player.current
            self.panel.guide.set_current(player.current, len(guide.steps))

    @Slot()
    def show_finger_guide(self) -> None:
        from acupressure_desktop.ui.finger_cun import FingerCunDialog

        if self._finger_dialog is None:
            self._finger_dialog = FingerCunDialog(self.catalog, self)
        self._finger_dialog.show()
        self._finger_dialog.raise_()

    # -- settings-driven state ------------------------------------------------------------------------

    def set_colors(self, colors: Colors) -> None:
        self.map.set_colors(colors)
        self.panel.set_colors(colors)

    def set_sidebar_visible(self, visible: bool) -> None:
        """The search list gives way on a narrow window while the session panel is open (the map needs it)."""
        if self.sidebar.isVisibleTo(self) != visible:
            self.sidebar.setVisible(visible)

    def set_favourites(self, codes: set[str]) -> None:
        self._favourites = set(codes)
        self.panel.set_favourites(self._favourites)
        if self.benefit_filter.currentData() == FAVOURITES:
            self._refresh_results()

    def set_flagged(self, codes: set[str], kinds: set[CautionKind], reasons: dict[str, str] | None = None) -> None:
        self.map.set_flagged(codes, reasons)
        self.panel.set_flagged_kinds(kinds)
        self._flag_reasons = dict(reasons or {})
        self.flag_legend.setVisible(bool(codes))
        if hasattr(self, "catalog"):
            self._refresh_results()

    @Slot(str, bool)
    def _on_favourite(self, code: str, on: bool) -> None:
        if on:
            self._favourites.add(code)
        else:
            self._favourites.discard(code)
        self.favouriteToggled.emit(code, on)


def _inside(region_id: str, x: float, y: float, body_map: BodyMap) -> bool:
    return any(r.region_id == region_id and r.contains(x, y) for r in body_map.regions)
