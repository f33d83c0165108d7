"""Small pure helpers about audio files: names and argument checks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from soniox_core._errors import SonioxValidationError

__all__ = ["AUDIO_FORMAT_EXTENSIONS", "check_delay", "output_file_for_audio_format"]

AUDIO_FORMAT_EXTENSIONS: Mapping[str, str] = {
    "pcm_f32le": "pcm",
    "pcm_s16le": "pcm",
    "pcm_mulaw": "pcm",
    "pcm_alaw": "pcm",
    "wav": "wav",
    "aac": "aac",
    "mp3": "mp3",
    "opus": "opus",
    "flac": "flac",
}
"""The file extension for each text-to-speech audio format (raw formats are ``.pcm``)."""


def output_file_for_audio_format(audio_format: str, prefix: str) -> Path:
    """A file name for audio in ``audio_format``: ``prefix`` plus the format's extension.

    Args:
        audio_format: A text-to-speech format (``"wav"``, ``"mp3"``, ``"pcm_s16le"`` ...).
        prefix: The path without extension (``"out/hello"``).

    Returns:
        ``Path(prefix + "." + extension)``; an unknown format gets ``.bin``.
        Nothing is created on disk.
    """
    return Path(f"{prefix}.{AUDIO_FORMAT_EXTENSIONS.get(audio_format, 'bin')}")


def check_delay(delay_seconds: float) -> float:
    """``delay_seconds`` if it is a number of seconds of zero or more.

    Raises:
        SonioxValidationError: it is negative or not a number.
    """
    if isinstance(delay_seconds, bool) or not isinstance(delay_seconds, (int, float)) or delay_seconds < 0:
        raise SonioxValidationError("must be zero or more seconds", field="delay_seconds")
    return float(delay_seconds)
