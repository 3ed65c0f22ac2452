"""The Qt-free platform layer: start at login, running programs, source selection, GVariant text."""

from __future__ import annotations

import os
import plistlib
import sys
from pathlib import Path
from typing import Any

import pytest

from acupressure_desktop import APP_ID
from acupressure_desktop.platform import autostart, busy, gdbus, presence
from acupressure_desktop.platform.autostart import (
    LaunchAgentAutostart,
    WindowsRunAutostart,
    XdgAutostart,
    apply_autostart,
    desktop_exec,
    launch_command,
)
from acupressure_desktop.platform.busy import RunningPrograms, linux_programs, program_key
from acupressure_desktop.platform.presence import FakePresenceSource, SourceUnavailable, combine, x11_display
from acupressure_desktop.reminders import Presence

# -- start at login ----------------------------------------------------------------------------------


def test_xdg_autostart_entry_is_written_and_removed(tmp_path: Path) -> None:
    entry = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    assert entry.path == tmp_path / "autostart" / f"{APP_ID}.desktop"
    assert not entry.is_enabled()
    entry.enable(["/opt/my apps/acupressure-desktop", "--home", "/tmp/100%"])
    text = entry.path.read_text()
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    assert 'Exec="/opt/my apps/acupressure-desktop" --home /tmp/100%%\n' in text
    assert entry.is_enabled()
    entry.disable()
    assert not entry.path.exists()
    entry.disable()  # twice is fine


def test_xdg_autostart_defaults_to_dot_config(tmp_path: Path) -> None:
    assert XdgAutostart({"HOME": str(tmp_path)}).path.parent == tmp_path / ".config" / "autostart"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["/usr/bin/app"], "/usr/bin/app"),
        (["/usr/bin/python3", "-m", "acupressure_desktop"], "/usr/bin/python3 -m acupressure_desktop"),
        (['/a "b"/c$d'], '"/a \\"b\\"/c\\$d"'),
        (["back\\slash"], '"back\\\\slash"'),
    ],
)
def test_desktop_exec_quoting(command: list[str], expected: str) -> None:
    assert desktop_exec(command) == expected


def test_launch_agent_is_a_run_at_load_plist(tmp_path: Path) -> None:
    agent = LaunchAgentAutostart(tmp_path)
    agent.enable(["/Applications/Acupressure Desktop.app/Contents/MacOS/acupressure-desktop"])
    data = plistlib.loads(agent.path.read_bytes())
    assert data == {
        "Label": APP_ID,
        "ProgramArguments": ["/Applications/Acupressure Desktop.app/Contents/MacOS/acupressure-desktop"],
        "RunAtLoad": True,
    }
    assert agent.path.parent == tmp_path / "Library" / "LaunchAgents"
    agent.disable()
    assert not agent.is_enabled()


class FakeRegistry:
    """The part of ``winreg`` the Run-key back-end uses."""

    HKEY_CURRENT_USER = "HKCU"
    REG_SZ = 1
    KEY_SET_VALUE = 2

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    class _Key:
        def __init__(self, registry: FakeRegistry, path: str) -> None:
            self.registry, self.path = registry, path

        def __enter__(self) -> FakeRegistry._Key:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def OpenKey(self, root: str, path: str, *_args: Any) -> FakeRegistry._Key:
        return self._Key(self, path)

    CreateKey = OpenKey

    def QueryValueEx(self, key: FakeRegistry._Key, name: str) -> tuple[str, int]:
        try:
            return self.values[(key.path, name)], self.REG_SZ
        except KeyError:
            raise FileNotFoundError(name) from None

    def SetValueEx(self, key: FakeRegistry._Key, name: str, _reserved: int, _kind: int, value: str) -> None:
        self.values[(key.path, name)] = value

    def DeleteValue(self, key: FakeRegistry._Key, name: str) -> None:
        try:
            del self.values[(key.path, name)]
        except KeyError:
            raise FileNotFoundError(name) from None


def test_windows_run_key_value_is_written_and_removed() -> None:
    registry = FakeRegistry()
    run = WindowsRunAutostart(registry)
    run.enable([r"C:\Program Files\Acupressure Desktop\acupressure-desktop.exe"])
    assert registry.values == {
        (autostart.RUN_KEY, "Acupressure Desktop"): r'"C:\Program Files\Acupressure Desktop\acupressure-desktop.exe"'
    }
    assert run.is_enabled()
    run.disable()
    assert not run.is_enabled()
    run.disable()


def test_apply_autostart_reports_a_problem_as_a_sentence(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    problem = apply_autostart(True, XdgAutostart({"XDG_CONFIG_HOME": str(blocked)}))
    assert problem is not None and problem.startswith("Start at login could not be set up")
    entry = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert apply_autostart(True, entry) is None and entry.is_enabled()
    assert apply_autostart(False, entry) is None and not entry.is_enabled()


def test_the_launch_command_starts_this_app() -> None:
    command = launch_command()
    assert command[-1] == "acupressure_desktop" or Path(command[0]).name.startswith("acupressure-desktop")


# -- programs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [("Zoom.exe", "zoom"), ("/usr/bin/obs", "obs"), (r"C:\Apps\Teams.EXE", "teams"), ("Keynote.app", "keynote")],
)
def test_program_names_compare_by_file_name(name: str, key: str) -> None:
    assert program_key(name) == key


def test_linux_programs_reads_comm_and_argv0_of_own_processes(tmp_path: Path) -> None:
    for pid, comm, cmdline in (("12", "zoom", b"/opt/zoom/ZoomLauncher\0--url\0"), ("13", "bash", b"bash\0")):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "comm").write_text(comm + "\n")
        (tmp_path / pid / "cmdline").write_bytes(cmdline)
    (tmp_path / "self").mkdir()
    uid = os.getuid() if hasattr(os, "getuid") else None
    assert linux_programs(tmp_path, uid) == {"zoom", "zoomlauncher", "bash"}
    assert linux_programs(tmp_path / "missing", uid) == set()


@pytest.mark.skipif(not Path("/proc/self/comm").exists(), reason="needs /proc")
def test_linux_programs_sees_this_python() -> None:
    assert program_key(sys.executable) in linux_programs() or "python3" in linux_programs()


def test_running_programs_name_the_one_that_holds_the_reminder() -> None:
    running = {"zoom", "bash"}
    check = RunningPrograms(["OBS", "Zoom.exe"], lambda: running)
    assert check.busy() == "Zoom.exe is running"
    running.clear()
    assert check.busy() is None
    assert RunningPrograms([], lambda: pytest.fail("not asked")).busy() is None


# -- presence sources ------------------------------------------------------------------------------


def test_combine_takes_the_first_idle_time_and_any_lock() -> None:
    assert combine([Presence(None, False), Presence(30.0, None), Presence(5.0, True)]) == Presence(30.0, True)
    assert combine([]) == Presence(None, None)
    assert Presence(idle_seconds=61).away and Presence(locked=True).away and not Presence(idle_seconds=10).away


def test_the_fake_source_counts_reads() -> None:
    fake = FakePresenceSource(idle_seconds=12.0, locked=False)
    assert fake.read() == Presence(12.0, False) and fake.reads == 1
    fake.close()
    assert fake.closed


@pytest.mark.parametrize(
    ("env", "reason"),
    [({}, "no X display"), ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "Wayland")],
)
def test_x11_is_not_used_without_a_display_or_under_wayland(env: dict[str, str], reason: str) -> None:
    with pytest.raises(SourceUnavailable, match=reason):
        x11_display(env)


def test_without_a_display_the_sources_say_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    sources, missing = presence.native_sources({})
    assert sources == [] and missing == ["X11 screen-saver extension: no X display"]
    quiet, why = busy.native_busy_sources({"XDG_CURRENT_DESKTOP": "KDE"})
    assert quiet == [] and why == ["X11 full-screen window: no X display", "GNOME do-not-disturb: not a GNOME session"]


def test_windows_and_macos_sources_refuse_other_systems() -> None:
    if sys.platform != "win32":
        with pytest.raises(SourceUnavailable, match="not Windows"):
            presence.WindowsInputSource()
        with pytest.raises(SourceUnavailable, match="not Windows"):
            busy.WindowsNotificationState()
    if sys.platform != "darwin":
        with pytest.raises(SourceUnavailable, match="not macOS"):
            presence.MacHIDIdleSource()


def test_gvariant_text_escapes() -> None:
    assert gdbus.text("It's a \\ test\nline") == "'It\\'s a \\\\ test\\nline'"
    assert gdbus.strings(["start", "Start"]) == "@as ['start', 'Start']"
    assert gdbus.strings([]) == "@as []"


GNOME_CHECK = """
import ctypes
from acupressure_desktop.platform.busy import GnomeBannersOff
quiet = GnomeBannersOff({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"})
print(quiet.busy())
gio = ctypes.CDLL("libgio-2.0.so.0")
gio.g_settings_new.restype = ctypes.c_void_p
gio.g_settings_new.argtypes = [ctypes.c_char_p]
gio.g_settings_set_boolean.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
settings = gio.g_settings_new(b"org.gnome.desktop.notifications")
gio.g_settings_set_boolean(settings, b"show-banners", 0)
print(quiet.busy())
"""


@pytest.mark.skipif(
    not Path("/usr/share/glib-2.0/schemas/org.gnome.desktop.notifications.gschema.xml").exists(),
    reason="needs the GNOME notification settings schema",
)
def test_gnome_banners_off_is_do_not_disturb_through_real_gsettings() -> None:
    import subprocess

    env = {**os.environ, "GSETTINGS_BACKEND": "memory"}  # never the person's own settings
    result = subprocess.run(
        [sys.executable, "-c", GNOME_CHECK], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "do", "not", "disturb"]


def test_gnome_banners_need_a_gnome_session() -> None:
    with pytest.raises(SourceUnavailable, match="not a GNOME session"):
        busy.GnomeBannersOff({"XDG_CURRENT_DESKTOP": "KDE"})
