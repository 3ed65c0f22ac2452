"""Start at login, the platform's own way, written and removed by the setting.

* Linux and other XDG desktops: a desktop entry in ``$XDG_CONFIG_HOME/autostart``.
* Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
* macOS: a LaunchAgent property list in ``~/Library/LaunchAgents`` (``RunAtLoad``).

Qt-free; each back-end takes its location as a parameter so that tests write into a
temporary folder (or a fake registry) instead of the person's session.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from acupressure_desktop import APP_ID, APP_NAME, APP_TITLE
from acupressure_desktop.fileio import write_text_atomically


class Autostart(Protocol):
    name: str
    location: str  # where the entry lives, to tell the person

    def is_enabled(self) -> bool: ...

    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...


def launch_command() -> list[str]:
    """How to start this app again: the frozen bundle, the installed script, or ``python -m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = shutil.which(APP_NAME)
    if script:
        return [script]
    python = sys.executable
    if sys.platform == "win32":
        windowed = Path(python).with_name("pythonw.exe")  # no console window at login
        python = str(windowed) if windowed.exists() else python
    return [python, "-m", "acupressure_desktop"]


def desktop_exec(command: Sequence[str]) -> str:
    """``Exec=`` value: arguments quoted as the Desktop Entry specification asks."""
    parts = []
    for arg in command:
        arg = arg.replace("%", "%%")
        if any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
            arg = f'"{escaped}"'
        parts.append(arg)
    return " ".join(parts)


class XdgAutostart:
    name = "XDG autostart entry"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        config = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".config")
        self.path = Path(config) / "autostart" / f"{APP_ID}.desktop"
        self.location = str(self.path)

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(
            self.path,
            "[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={APP_TITLE}\n"
            "Comment=Break reminders with self-acupressure routines\n"
            f"Exec={desktop_exec(command)}\n"
            f"Icon={APP_ID}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n",
        )

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


class LaunchAgentAutostart:
    name = "macOS LaunchAgent"

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
        self.location = str(self.path)

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = plistlib.dumps({"Label": APP_ID, "ProgramArguments": list(command), "RunAtLoad": True})
        write_text_atomically(self.path, data.decode("utf-8"))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class WindowsRunAutostart:
    name = "Windows Run key"
    location = "HKEY_CURRENT_USER\\" + RUN_KEY

    def __init__(self, registry: Any = None) -> None:
        if registry is None:
            import winreg

            registry = winreg
        self._reg = registry

    def is_enabled(self) -> bool:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY) as key:
                self._reg.QueryValueEx(key, APP_TITLE)
        except OSError:
            return False
        return True

    def enable(self, command: Sequence[str]) -> None:
        with self._reg.CreateKey(self._reg.HKEY_CURRENT_USER, RUN_KEY) as key:
            self._reg.SetValueEx(key, APP_TITLE, 0, self._reg.REG_SZ, subprocess.list2cmdline(list(command)))

    def disable(self) -> None:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE) as key:
                self._reg.DeleteValue(key, APP_TITLE)
        except OSError:
            pass


def platform_autostart() -> Autostart:
    if sys.platform == "win32":
        return WindowsRunAutostart()
    if sys.platform == "darwin":
        return LaunchAgentAutostart()
    return XdgAutostart()


def apply_autostart(wanted: bool, autostart: Autostart | None = None) -> str | None:
    """Make the entry match the setting; a problem comes back as a sentence, never raised."""
    autostart = autostart or platform_autostart()
    try:
        if wanted:
            autostart.enable(launch_command())
        elif autostart.is_enabled():
            autostart.disable()
    except OSError as exc:
        return f"Start at login could not be {'set up' if wanted else 'removed'} ({autostart.location}): {exc}"
    return None
