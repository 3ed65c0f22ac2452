"""Plays the step-change chime through a player the system provides; silent where there is none."""

from __future__ import annotations

import getpass
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QProcess

from acupressure_desktop.session.chime import chime_wav, player_command


class ChimePlayer:
    def __init__(self) -> None:
        self._path = Path()
        self._volume = 0
        self.enabled = True

    def set_volume(self, volume: int) -> None:
        """Write the chime for this volume once (a few KB in the temporary folder, per user)."""
        self._volume = volume
        self._path = Path(tempfile.gettempdir()) / f"acupressure-desktop-chime-{_user()}-{volume}.wav"
        if volume > 0 and not self._path.is_file():
            try:
                self._path.write_bytes(chime_wav(volume))
            except OSError:
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


def _user() -> str:
    """Who runs the app, to keep each person's chime file apart in a shared temporary folder."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment or the user database
        return "anyone"
