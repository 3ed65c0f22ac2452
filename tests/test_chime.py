"""The chime: a valid WAV whose loudness follows the volume; silence at 0."""

from __future__ import annotations

import io
import wave

import pytest

from acupressure_desktop.session.chime import chime_wav


def _peak(data: bytes) -> int:
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050)
        frames = wav.readframes(wav.getnframes())
    samples = memoryview(frames).cast("h")
    return max(abs(s) for s in samples)


def test_volume_scales_the_chime() -> None:
    assert _peak(chime_wav(0)) == 0
    quiet, loud = _peak(chime_wav(30)), _peak(chime_wav(100))
    assert 0 < quiet < loud <= 32767


def test_volume_out_of_range() -> None:
    with pytest.raises(ValueError, match="outside"):
        chime_wav(101)
