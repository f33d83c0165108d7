"""The official SDK's ``soniox.utils`` helpers, with the same names.

``throttle_audio_async`` paces audio by a fixed delay per chunk; ``start_audio_task``
and ``start_text_task`` feed a realtime session beside the caller, so the caller
can read events at the same time. This file is the source of ``soniox_sync/utils.py``,
which ``scripts/unasync.py`` generates from it; edit this one.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from soniox_core.realtime._files import check_delay, output_file_for_audio_format

from . import _backend as backend
from . import _realtime

if TYPE_CHECKING:
    from ._realtime import AsyncRealtimeSTTSession
    from ._realtime_tts import AsyncRealtimeTTSConnection, AsyncRealtimeTTSStream, TextChunks

__all__ = [
    "output_file_for_audio_format",
    "start_audio_task",
    "start_text_task",
    "stream_audio_async",
    "throttle_audio_async",
]


async def stream_audio_async(
    file: Path | str | IO[bytes] | bytes,
    *,
    chunk_size_bytes: int = 4 * 1024,
) -> AsyncIterator[bytes]:
    """Yield audio in chunks of ``chunk_size_bytes`` (the async client reads files in a worker thread).

    Args:
        file: Bytes, a file path or a binary file object.
        chunk_size_bytes: Size of each chunk (the last may be shorter).

    Raises:
        SonioxValidationError: a bad source or chunk size (when iteration starts).
    """
    async for chunk in _realtime.stream_audio(file, chunk_size_bytes=chunk_size_bytes):
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
    async for chunk in _realtime.stream_audio(file, chunk_size_bytes=chunk_size_bytes):
        yield chunk
        if delay:
            await backend.sleep(delay)


def start_audio_task(
    session: AsyncRealtimeSTTSession,
    chunks: bytes | Iterable[bytes] | AsyncIterable[bytes],
    *,
    name: str | None = None,
    daemon: bool = True,
) -> backend.BackgroundJob:
    """Send ``chunks`` (then the end of audio) to ``session`` beside the caller.

    The same as ``session.send_in_background(chunks)``. A failure while sending
    is recorded in the session, so reading its events raises it.

    Args:
        session: A connected realtime speech-to-text session.
        chunks: ``bytes``, or an (async) iterable of ``bytes``.
        name: The sender thread's name (blocking client); an async task keeps the session's.
        daemon: Ignored: the sender never outlives the session (threads are daemons).

    Returns:
        The started thread in the blocking client; ``None`` in the async one,
        where the task belongs to the session.

    Raises:
        SonioxValidationError: ``chunks`` is not bytes or an iterable.
        SonioxRealtimeError: the session is not connected.
    """
    del daemon  # the session's senders always end with it
    # The job is None here, a thread in the blocking client (where the ignore is unused).
    job = session.send_in_background(chunks)  # type: ignore[func-returns-value, unused-ignore]
    return _named(job, name)


def start_text_task(
    session: AsyncRealtimeTTSConnection | AsyncRealtimeTTSStream,
    chunks: TextChunks,
    *,
    text_end: bool = True,
    name: str | None = None,
    daemon: bool = True,
) -> backend.BackgroundJob:
    """Send text to a realtime text-to-speech stream beside the caller.

    A failure while sending is recorded in the connection, so the stream's
    reader raises it.

    Args:
        session: A single-stream connection or one stream of a multiplexed one.
        chunks: The text, or an (async) iterable of pieces as they are produced.
        text_end: Whether the stream's text ends after these chunks.
        name: The sender thread's name (blocking client); an async task keeps the connection's.
        daemon: Ignored: the sender never outlives the connection (threads are daemons).

    Returns:
        The started thread in the blocking client; ``None`` in the async one,
        where the task belongs to the connection.

    Raises:
        SonioxRealtimeError: the connection is not open.
    """
    del daemon  # the connection's senders always end with it

    async def run() -> None:
        await session.send_text_chunks(chunks, text_end=text_end)

    # A None job here, a thread in the blocking client (as in start_audio_task).
    job = session._connection._driver.start_background(run)  # type: ignore[func-returns-value, unused-ignore]
    return _named(job, name)


def _named(job: backend.BackgroundJob, name: str | None) -> backend.BackgroundJob:
    if job is not None and name is not None:  # only a thread has a name to set
        job.name = name
    return job
