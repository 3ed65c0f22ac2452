"""The main window: a page switcher (Learn, Routines, History), the session dock, a status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop import APP_TITLE
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.ui.accessibility import focus_first
from acupressure_desktop.ui.learn_page import LearnPage


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setObjectName("main-window")
        self.pages = QStackedWidget()
        self.page_tabs = QTabBar()
        self.page_tabs.setAccessibleName("Pages")
        self.page_tabs.setDrawBase(False)
        self.page_tabs.setExpanding(False)
        self.page_tabs.currentChanged.connect(self._on_page)
        self.header_right = QHBoxLayout()
        title = QLabel(APP_TITLE)
        title.setObjectName("subtitle")
        header = QHBoxLayout()
        header.setContentsMargins(14, 8, 14, 0)
        header.addWidget(title)
        header.addSpacing(24)
        header.addWidget(self.page_tabs)
        header.addStretch(1)
        header.addLayout(self.header_right)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.statusBar().setSizeGripEnabled(True)
        self.menu_app = self.menuBar().addMenu("&App")
        self.menu_help = self.menuBar().addMenu("&Help")
        quit_action = QAction("&Quit", self)
        # The platform's quit keys, and Ctrl+Q everywhere (some platform themes, offscreen among them, have none).
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        ctrl_q = QKeySequence("Ctrl+Q")
        quit_action.setShortcuts(keys if ctrl_q in keys else [ctrl_q, *keys])
        quit_action.triggered.connect(self.close)
        self.quit_action = quit_action
        self.close_guard: Callable[[], bool] = lambda: True  # the shell asks before a running routine is quit
        self._focus_placed = False

    def add_page(self, title: str, widget: QWidget, shortcut: str) -> int:
        if self.pages.count():
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        index = self.pages.addWidget(widget)
        self.page_tabs.addTab(title)
        self.page_tabs.setTabToolTip(index, f"{title} ({shortcut})")
        action = QAction(title, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self.show_page(index))
        self.addAction(action)
        return index

    @Slot(int)
    def show_page(self, index: int) -> None:
        self.page_tabs.setCurrentIndex(index)
        focus_first(self.pages.widget(index))  # issue 19: a switch by shortcut lands on the page's first control

    @Slot(int)
    def _on_page(self, index: int) -> None:
        """Only the page on show sets the window's minimum size (a stack takes its largest page's)."""
        for number in range(self.pages.count()):
            policy = QSizePolicy.Policy.Preferred if number == index else QSizePolicy.Policy.Ignored
            page = self.pages.widget(number)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.pages.setCurrentIndex(index)

    def showEvent(self, event: QShowEvent) -> None:
        """The first focus goes into the page on show, not to the page tabs above it: the page's own
        keys (Escape, Alt+D, the arrows on the map) belong to the page and did nothing from the tabs."""
        super().showEvent(event)
        if not self._focus_placed:
            self._focus_placed = True
            QTimer.singleShot(0, self, self._focus_page)

    @Slot()
    def _focus_page(self) -> None:
        focused = self.focusWidget()
        if focused is None or focused is self.page_tabs or not self.pages.isAncestorOf(focused):
            self.focus_home()

    def focus_home(self) -> None:
        """Where the focus goes when there is nowhere to give it back (after the first notice):
        the page's first control, where the page's keys work."""
        focus_first(self.pages.currentWidget())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_guard():
            event.ignore()
            return
        self.closing.emit()
        super().closeEvent(event)


def learn_window(dirs: ResourceDirs) -> tuple[MainWindow, LearnPage]:
    """The window with its Learn page, still empty: what the first paint shows (see LearnPage)."""
    window = MainWindow()
    learn = LearnPage(dirs)
    window.add_page("Learn", learn, "Ctrl+1")
    return window, learn
