"""Platform signals behind small interfaces, without new dependencies.

Qt-free: ctypes reaches libXss and libX11 on X11, the Win32 calls and macOS's IOKit,
and plain files do the rest (``/proc``, XDG autostart). The D-Bus sources (logind,
``org.freedesktop.ScreenSaver``, Mutter's IdleMonitor, notifications) need QtDBus
and live in ``acupressure_desktop.ui.presence``. Every source has a fake for tests.
"""
