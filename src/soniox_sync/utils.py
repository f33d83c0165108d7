"""Helpers of the official SDK's ``soniox.utils`` for the blocking client.

``throttle_audio`` paces audio by a fixed delay per chunk; ``start_audio_thread``
and ``start_text_thread`` feed a realtime session from a background thread so
the calling thread can read events at the same time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from soniox_core.realtime._files import check_delay, output_file_for_audio_format

from ._realtime import stream_audio

if TYPE_CHECKING:
    from ._realtime import RealtimeSTTSession
    from ._realtime_tts import RealtimeTTSConnection, RealtimeTTSStream

__all__ = ["output_file_for_audio_format", "start_audio_thread", "start_text_thread", "throttle_audio"]


def throttle_audio(
    file: Path | str | IO[bytes] | bytes,
    *,
    chunk_size_bytes: int = 4096,
    delay_seconds: float = 0.0,
) -> Iterator[bytes]:
    """Yield audio in chunks, sleeping ``delay_seconds`` after each one.

    Args:
        file: Bytes, a file path or a binary file object.
        chunk_size_bytes: Size of each chunk (the last may be shorter).
        delay_seconds: Pause after each chunk; 0 sends as fast as possible.

    Returns:
        An iterator of chunks, for ``session.send_bytes``.

    Raises:
        SonioxValidationError: a negative delay or a bad chunk size (when iteration starts).
    """
    delay = check_delay(delay_seconds)
    for chunk in stream_audio(file, chunk_size_bytes=chunk_size_bytes):
        yield chunk
        if delay:
            time.sleep(delay)


def start_audio_thread(
    session: RealtimeSTTSession,
    chunks: bytes | Iterable[bytes],
    *,
    name: str | None = None,
    daemon: bool = True,
) -> threading.Thread:
    """Send ``chunks`` (then the end of audio) to ``session`` from a new thread.

    A failure while sending is recorded in the session, so the thread reading
    events raises it.

    Returns:
        The started thread.
    """
    thread = session.send_in_background(chunks)
    if name is not None:
        thread.name = name
    del daemon  # the session's sender threads are always daemons: they never outlive the socket
    return thread


def start_text_thread(
    session: RealtimeTTSConnection | RealtimeTTSStream,
    chunks: str | Iterable[str],
    *,
    text_end: bool = True,
    name: str | None = None,
    daemon: bool = True,
) -> threading.Thread:
    """Send text to a realtime text-to-speech stream from a new thread.

    Args:
        session: A single-stream connection or one stream of a multiplexed one.
        chunks: The text, or an iterable of pieces as they are produced.
        text_end: Whether the stream's text ends after these chunks.
        name: The thread's name.
        daemon: Whether the thread is a daemon.

    Returns:
        The started thread. Its failure is not raised in the caller: the
        stream's reader sees the connection's state.
    """

    def run() -> None:
        session.send_text_chunks(chunks, text_end=text_end)

    thread = threading.Thread(target=run, name=name, daemon=daemon)
    thread.start()
    return thread
