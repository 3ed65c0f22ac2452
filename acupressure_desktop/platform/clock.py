"""A clock that stops while the computer sleeps, so that a suspend shows as the wall clock running ahead.

``time.monotonic`` does that on Linux (``CLOCK_MONOTONIC``) and macOS (``mach_absolute_time``).
On Windows it is ``QueryPerformanceCounter``, which keeps counting through sleep, so there the
awake time comes from ``QueryUnbiasedInterruptTime`` instead (100 ns units, sleep excluded).
"""

from __future__ import annotations

import ctypes
import sys
import time
from collections.abc import Callable


def awake_clock() -> Callable[[], float]:
    """Seconds of awake time (any origin), as a function."""
    if sys.platform == "win32":
        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - only on Windows
        function = getattr(kernel32, "QueryUnbiasedInterruptTime", None)
        if function is not None:
            function.argtypes = [ctypes.POINTER(ctypes.c_ulonglong)]

            def unbiased() -> float:
                value = ctypes.c_ulonglong()
                function(ctypes.byref(value))
                return value.value / 1e7

            return unbiased
    return time.monotonic
