"""Plays the step-change chime through a player the system provides; silent where there is none."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess

from acupressure_desktop.paths import AppPaths, PathsError, runtime_dir
from acupressure_desktop.session.chime import player_command, write_chime


class ChimePlayer:
    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder  # None: this user's private runtime folder, found when first needed
        self._path = Path()
        self._volume = 0
        self.enabled = True

    def set_volume(self, volume: int) -> None:
        """Write the chime for this volume once (a few KB in the app's private runtime folder)."""
        self._volume = volume
        if volume <= 0:
            return
        try:
            folder = self._folder if self._folder is not None else runtime_dir(AppPaths.resolve().state)
            self._path = write_chime(folder, volume)
        except (OSError, PathsError):
            self._volume = 0  # no chime rather than an error: the cue is a nicety

    def play(self) -> bool:
        """Start the chime without waiting for it; False when nothing could play it."""
        if not self.enabled or self._volume <= 0:
            return False
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(self._path), winsound.SND_FILENAME | winsound.SND_ASYNC)
            return True
        command = player_command(str(self._path))
        if command is None:
            return False
        started, _pid = QProcess.startDetached(command[0], command[1:])
        return bool(started)
