"""The step-change chime: a soft two-tone WAV made in code, at the person's volume.

Qt-free and dependency-free (no QtMultimedia): the UI hands the file to a player the
system provides, and stays silent when there is none.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import stat
import struct
import sys
import wave
from pathlib import Path

from acupressure_desktop.fileio import PRIVATE_FILE, write_atomically

RATE = 22_050
TONES = ((660.0, 0.16), (880.0, 0.28))  # a rising fifth: noticeable, not alarming


def chime_wav(volume: int) -> bytes:
    """A mono 16-bit WAV; ``volume`` 0-100 scales the amplitude (perceptually, by a square law)."""
    if not 0 <= volume <= 100:
        raise ValueError(f"volume {volume} is outside 0-100")
    amplitude = 0.6 * (volume / 100) ** 2 * 32767
    frames = bytearray()
    for frequency, seconds in TONES:
        count = int(RATE * seconds)
        for n in range(count):
            # Quick attack, smooth decay: no clicks at the start or the end of a tone.
            envelope = min(1.0, n / (0.01 * RATE)) * math.exp(-4.0 * n / count)
            sample = amplitude * envelope * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(sample))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    return buffer.getvalue()


def write_chime(folder: Path, volume: int) -> Path:
    """The chime for ``volume`` as a file in ``folder`` (the app's private runtime folder), made if needed.

    A file of another kind, or a symlink, found under that name is replaced, never followed or played.
    Raises OSError.
    """
    path = folder / f"chime-{volume}.wav"
    data = chime_wav(volume)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISREG(info.st_mode) and info.st_size == len(data) and path.read_bytes() == data:
            return path
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(f"{path} is a folder")
        path.unlink()  # a symlink, a FIFO or a file with other bytes: ours to replace
    write_atomically(path, lambda stream: stream.buffer.write(data), mode=PRIVATE_FILE)
    return path


def player_command(path: str) -> list[str] | None:
    """A command that plays a WAV file on this system, or None (then the app stays silent)."""
    if sys.platform == "darwin" and shutil.which("afplay"):
        return ["afplay", path]
    for player in ("paplay", "pw-play", "aplay"):
        found = shutil.which(player)
        if found:
            return [found, "-q", path] if player == "aplay" else [found, path]
    return None
