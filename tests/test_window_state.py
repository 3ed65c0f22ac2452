"""The window comes back as it was left; a damaged state file only means the default layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter
from pytestqt.qtbot import QtBot

from acupressure_desktop.ui.window_state import (
    SCREEN_SHARE,
    first_size,
    restore_geometry,
    restore_layout,
    save_window_state,
)


def _window(qtbot: QtBot) -> tuple[QMainWindow, QSplitter]:
    window = QMainWindow()
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("test-splitter")
    splitter.addWidget(QLabel("left"))
    splitter.addWidget(QLabel("right"))
    window.setCentralWidget(splitter)
    qtbot.addWidget(window)
    return window, splitter


def test_size_and_splitters_come_back(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "state" / "window.json"
    window, splitter = _window(qtbot)
    window.resize(700, 500)
    window.show()
    splitter.setSizes([150, 550])
    save_window_state(window, path)
    again, again_splitter = _window(qtbot)
    restore_geometry(again, path)
    again.show()
    restore_layout(again, path)
    assert again.size() == window.size()
    assert again_splitter.sizes() == splitter.sizes()


def test_without_a_saved_state_the_window_fits_its_screen(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "window.json"
    path.write_text('{"geometry": "not base64!"')  # damaged: ignored
    window, _ = _window(qtbot)
    restore_geometry(window, path)
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    available = screen.availableGeometry()
    assert window.width() <= available.width() * SCREEN_SHARE + 1
    assert window.height() <= available.height() * SCREEN_SHARE + 1
    assert available.contains(window.frameGeometry().center())
    restore_layout(window, path)  # nothing to restore, nothing raised


@pytest.mark.parametrize(
    ("available", "size"),
    [
        ((1280, 690), (1177, 634)),  # a 1280 x 720 laptop less its panel: 92 % of it
        ((1366, 738), (1256, 678)),
        ((1920, 1050), (1440, 820)),  # the usual size, a little wider
        ((2560, 1410), (1920, 1057)),  # three quarters, where 1280 x 820 once looked lost
    ],
)
def test_the_first_window_takes_a_fair_share_of_the_screen(available: tuple[int, int], size: tuple[int, int]) -> None:
    assert first_size(QSize(*available)) == QSize(*size)


def test_a_state_that_cannot_be_written_is_only_logged(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be")
    window, _ = _window(qtbot)
    save_window_state(window, blocker / "window.json")
    assert blocker.read_text() == "a file where the folder should be"
