"""Helpers of the official SDK's ``soniox.utils`` for the async client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO

from soniox_core.realtime._files import check_delay, output_file_for_audio_format

from . import _backend as backend
from ._realtime import stream_audio

__all__ = ["output_file_for_audio_format", "stream_audio_async", "throttle_audio_async"]


async def stream_audio_async(
    file: Path | str | IO[bytes] | bytes,
    *,
    chunk_size_bytes: int = 4 * 1024,
) -> AsyncIterator[bytes]:
    """Yield audio in chunks of ``chunk_size_bytes`` (file reads happen off the event loop).

    Raises:
        SonioxValidationError: a bad chunk size (when iteration starts).
    """
    async for chunk in stream_audio(file, chunk_size_bytes=chunk_size_bytes):
        yield chunk


async def throttle_audio_async(
    file: Path | str | IO[bytes] | bytes,
    *,
    chunk_size_bytes: int = 32 * 1024,
    delay_seconds: float = 0.0,
) -> AsyncIterator[bytes]:
    """Yield audio in chunks, sleeping ``delay_seconds`` after each one.

    Args:
        file: Bytes, a file path or a binary file object.
        chunk_size_bytes: Size of each chunk (the last may be shorter).
        delay_seconds: Pause after each chunk; 0 sends as fast as possible.

    Raises:
        SonioxValidationError: a negative delay or a bad chunk size (when iteration starts).
    """
    delay = check_delay(delay_seconds)
    async for chunk in stream_audio(file, chunk_size_bytes=chunk_size_bytes):
        yield chunk
        if delay:
            await backend.sleep(delay)
