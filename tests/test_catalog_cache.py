"""The validated catalog cache: used only when its inputs are unchanged and the file proves it is ours."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from acupressure_desktop.app import Gui
from acupressure_desktop.catalog import cache
from acupressure_desktop.catalog.cache import (
    CACHE_FILE,
    KEY_FILE,
    MAGIC,
    cache_key,
    load_catalog_cached,
    read_cached,
    write_cached,
)
from acupressure_desktop.catalog.resources import ResourceDirs
from tests.minidata import write_minidata


@pytest.fixture
def dirs(tmp_path: Path) -> ResourceDirs:
    return write_minidata(tmp_path / "res")


def test_a_saved_catalog_is_read_back_until_an_input_changes(dirs: ResourceDirs, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    catalog, key = load_catalog_cached(dirs, folder)
    assert key is not None  # validated now: the caller saves it
    write_cached(folder, key, catalog)
    again, key2 = load_catalog_cached(dirs, folder)
    assert key2 is None, "unchanged inputs: read from the cache"
    assert set(again.points) == set(catalog.points)
    assert again.guide("LI4", "hand") == catalog.guide("LI4", "hand")  # the lazily read guides
    assert again.maps["hand"] == catalog.maps["hand"]
    assert oct((folder / CACHE_FILE).stat().st_mode & 0o777) == "0o600"
    # Touching a data file (same size, new mtime) is a new input: validate afresh.
    points = dirs.data / "points" / "hand.json"
    stat = points.stat()
    os.utime(points, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    _, key3 = load_catalog_cached(dirs, folder)
    assert key3 is not None and key3 != key


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",  # empty
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit flipped in the body
        lambda raw: b"not a cache at all\n" + raw,  # another program's file
        lambda raw: os.urandom(4096),  # noise
    ],
)
def test_a_corrupt_cache_is_ignored_and_replaced(
    dirs: ResourceDirs, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    folder = tmp_path / "cache"
    catalog, key = load_catalog_cached(dirs, folder)
    assert key is not None
    write_cached(folder, key, catalog)
    file = folder / CACHE_FILE
    file.write_bytes(damage(file.read_bytes()))
    assert read_cached(folder, key) is None
    loaded, again = load_catalog_cached(dirs, folder)  # a full load, never a crash
    assert again == key and set(loaded.points) == set(catalog.points)
    write_cached(folder, key, loaded)
    assert read_cached(folder, key) is not None


def test_a_cache_signed_with_another_key_is_foreign(dirs: ResourceDirs, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    catalog, key = load_catalog_cached(dirs, folder)
    assert key is not None
    write_cached(folder, key, catalog)
    (folder / KEY_FILE).write_bytes(os.urandom(32))  # another installation's key
    assert read_cached(folder, key) is None


def test_a_signed_cache_that_builds_anything_else_is_refused(dirs: ResourceDirs, tmp_path: Path) -> None:
    """Even a correctly signed file may only build the app's own classes: never os.system & co."""
    folder = tmp_path / "cache"
    catalog, key = load_catalog_cached(dirs, folder)
    assert key is not None
    write_cached(folder, key, catalog)
    secret = (folder / KEY_FILE).read_bytes()
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    rest = pickle.dumps(Evil())
    body = len(rest).to_bytes(8, "big") + rest + pickle.dumps({})
    digest = hmac.new(secret, key.encode() + body, hashlib.sha256).digest()
    (folder / CACHE_FILE).write_bytes(MAGIC + digest + key.encode() + body)
    assert read_cached(folder, key) is None
    assert not marker.exists()


def test_the_key_names_the_data_folder_and_the_code(dirs: ResourceDirs, tmp_path: Path) -> None:
    other = write_minidata(tmp_path / "other")
    assert cache_key(dirs) != cache_key(other), "another data folder with the same files is another catalog"
    assert cache_key(dirs) == cache_key(dirs)
    assert any(p.name == "loader.py" for p in (cache._CODE / "catalog").glob("*.py"))


def test_the_app_saves_the_cache_off_the_gui_thread_and_uses_it_next_time(tmp_path: Path, qtbot: QtBot) -> None:
    from acupressure_desktop.app import build_gui

    home = tmp_path / "home"
    gui = build_gui(["--home", str(home)])
    assert gui.load()
    assert gui.shell is not None and gui.shell.tasks.busy  # a worker's job, not the GUI thread's
    qtbot.waitUntil(lambda: not gui.shell.tasks.busy, timeout=10_000)
    assert (home / "cache" / CACHE_FILE).is_file()
    key = cache_key(gui.dirs)
    assert read_cached(home / "cache", key) is not None
    dispose(gui)


def dispose(gui: Gui) -> None:
    """As when the app ends: a shell left behind would follow the system colour scheme in later tests."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    gui.window.close()
    gui.window.deleteLater()
    if gui.shell is not None:
        gui.shell.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_catalog_in_use_pickles_without_its_view_records(dirs: ResourceDirs, tmp_path: Path) -> None:
    """The cache is written on a worker while the GUI thread fills catalog._drawn: it is left out."""
    catalog, key = load_catalog_cached(dirs, tmp_path / "cache")
    assert key is not None
    catalog.views_of("LI4")
    assert catalog._drawn
    again = pickle.loads(pickle.dumps(catalog))
    assert again._drawn == {} and [v.id for v in again.views_of("LI4")] == ["hand"]
