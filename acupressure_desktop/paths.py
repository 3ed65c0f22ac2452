"""Where the app keeps its files: platformdirs folders, or one portable home.

``--home DIR`` or ``ACUPRESSURE_DESKTOP_HOME`` puts data, config and logs under one
folder (portable use, tests). Otherwise platformdirs decides, honouring ``XDG_*``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from acupressure_desktop import APP_NAME

HOME_ENV = "ACUPRESSURE_DESKTOP_HOME"


class PathsError(Exception):
    """A folder the app needs cannot be used; the message names it and why."""


@dataclass(frozen=True)
class AppPaths:
    data: Path
    config: Path
    state: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> AppPaths:
        home = home or os.environ.get(HOME_ENV) or None
        if home is not None:
            root = Path(home).expanduser()
            if root.exists() and not root.is_dir():
                raise PathsError(f"--home {root}: is a file, not a folder")
            return cls(data=root / "data", config=root / "config", state=root / "state")
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            state=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
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
    def log_dir(self) -> Path:
        return self.state / "log"

    def ensure(self) -> None:
        """Create the folders, or raise PathsError naming the one that fails."""
        for folder in (self.data, self.config, self.state):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise PathsError(f"{folder}: cannot create folder: {exc.strerror or exc}") from exc
            if not os.access(folder, os.W_OK):
                raise PathsError(f"{folder}: folder is not writable")
