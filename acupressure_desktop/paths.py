"""Where the app keeps its files: platformdirs folders, or one portable home.

``--home DIR`` or ``ACUPRESSURE_DESKTOP_HOME`` puts data, config and logs under one
folder (portable use, tests). Otherwise platformdirs decides, honouring ``XDG_*``.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from acupressure_desktop import APP_NAME
from acupressure_desktop.fileio import reason

HOME_ENV = "ACUPRESSURE_DESKTOP_HOME"


class PathsError(Exception):
    """A folder the app needs cannot be used; the message names it and why."""


@dataclass(frozen=True)
class AppPaths:
    data: Path
    config: Path
    state: Path
    cache: Path | None = None  # throw-away files (the validated catalog); None: under ``state``

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> AppPaths:
        home = home or os.environ.get(HOME_ENV) or None
        if home is not None:
            root = Path(home).expanduser()
            if root.exists() and not root.is_dir():
                raise PathsError(f"--home {root}: is a file, not a folder")
            return cls(data=root / "data", config=root / "config", state=root / "state", cache=root / "cache")
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            state=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @property
    def history_db(self) -> Path:
        return self.data / "history.sqlite3"

    @property
    def routines_dir(self) -> Path:
        return self.data / "routines"

    @property
    def backups_dir(self) -> Path:
        return self.data / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def window_state_file(self) -> Path:
        return self.state / "window.json"

    @property
    def cache_dir(self) -> Path:
        """Where the validated catalog is kept between runs (catalog/cache.py)."""
        return self.cache if self.cache is not None else self.state / "cache"

    @property
    def log_dir(self) -> Path:
        return self.state / "log"

    def ensure(self) -> list[Path]:
        """Create the folders (private: 0700); return those that cannot be written (a read-only
        disk or folder: the app then starts read-only). Raises PathsError when a folder is missing
        and cannot be made, or a file stands in its place."""
        read_only: list[Path] = []
        for folder in (self.data, self.config, self.state):
            if folder.exists() and not folder.is_dir():
                raise PathsError(f"{folder}: is a file, not a folder")
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                    read_only.append(folder)  # a read-only home: start read-only, and say so
                    continue
                if not folder.is_dir():
                    raise PathsError(f"{folder}: cannot create folder: {reason(exc)}") from exc
            _tighten(folder)
            if not os.access(folder, os.W_OK | os.X_OK):
                read_only.append(folder)
        return read_only

    def runtime_dir(self) -> Path:
        """This user's private folder for sockets, locks and generated sounds (see :func:`runtime_dir`)."""
        return runtime_dir(self.state)


def _tighten(folder: Path) -> None:
    """Our own folders are private (0700): other users on the machine see nothing of the history."""
    if os.name != "posix":
        return
    try:
        info = os.lstat(folder)
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(folder, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError:
        return


def _private_and_ours(folder: Path) -> bool:
    """A real folder (not a link), owned by this user, that nobody else can enter or list."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not stat.S_IMODE(info.st_mode) & 0o077


def runtime_dir(fallback: Path) -> Path:
    """This user's private runtime folder (mode 0700, owned by the user), created if needed.

    ``$XDG_RUNTIME_DIR/acupressure-desktop`` when the system provides a private runtime folder,
    else ``<tmp>/acupressure-desktop-<uid>`` if that is (or can be made) private and ours, else
    ``fallback/run``. Never a folder another user could have planted or can enter.
    """
    if os.name != "posix":
        folder = fallback / "run"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    candidates: list[Path] = []
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg) and _private_and_ours(Path(xdg)):
        candidates.append(Path(xdg) / APP_NAME)
    if sys.platform != "darwin" or not candidates:
        candidates.append(Path(tempfile.gettempdir()) / f"{APP_NAME}-{os.getuid()}")
    candidates.append(fallback / "run")
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if _private_and_ours(folder):
            return folder
    raise PathsError(f"{candidates[-1]}: cannot make a private runtime folder")
