"""Audio chunking and pacing, as arithmetic; the drivers read files and sleep."""

from __future__ import annotations

import os
import struct
from collections.abc import AsyncIterable, Iterable, Iterator

from soniox_core import _validate as check
from soniox_core._errors import SonioxValidationError

from ._config import RAW_AUDIO_FORMATS, RealtimeSTTConfig

__all__ = [
    "DEFAULT_CHUNK_SIZE_BYTES",
    "AudioPacer",
    "StreamPacer",
    "audio_bytes_per_second",
    "check_audio_chunk",
    "check_audio_source",
    "check_chunk_size",
    "check_trailing_silence",
    "split_chunks",
    "wav_bytes_per_second",
]

DEFAULT_CHUNK_SIZE_BYTES = 8192


# Far above any sensible audio frame; a bigger one is a mistake (or a whole file).
MAX_CHUNK_SIZE_BYTES = 16 << 20
# Silence the client says it appended before finalize(): minutes of it would be a bug.
MAX_TRAILING_SILENCE_MS = 60_000


def check_chunk_size(chunk_size_bytes: int) -> int:
    """``chunk_size_bytes`` if it is a positive whole number, else ``SonioxValidationError``."""
    return check.count(chunk_size_bytes, "chunk_size_bytes", minimum=1, maximum=MAX_CHUNK_SIZE_BYTES)


def check_trailing_silence(trailing_silence_ms: object) -> int | None:
    """``finalize(trailing_silence_ms=...)``: None, or whole milliseconds from 0 to 60,000."""
    if trailing_silence_ms is None:
        return None
    return check.count(trailing_silence_ms, "trailing_silence_ms", maximum=MAX_TRAILING_SILENCE_MS)


def check_audio_chunk(chunk: object) -> bytes:
    """One chunk of audio to send: bytes-like, nothing else."""
    if not isinstance(chunk, (bytes, bytearray, memoryview)):
        raise SonioxValidationError(f"must be bytes, not {type(chunk).__name__}", field="chunk")
    return bytes(chunk)


def check_audio_source(source: object, *, allow_async: bool) -> None:
    """What ``stream_audio`` reads: bytes, the path of a readable file, a binary file
    object, or an iterable of chunks (also async ones, for the async driver)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return
    if isinstance(source, (str, os.PathLike)):
        try:
            path = os.fspath(source)
            is_file = os.path.isfile(path)
        except (TypeError, ValueError) as exc:
            raise SonioxValidationError(f"is not a usable path ({exc})", field="source") from None
        if not is_file:
            what = "a directory" if os.path.isdir(path) else "not an existing file"
            raise SonioxValidationError(f"{path!r} is {what}", field="source")
        if not os.access(path, os.R_OK):
            raise SonioxValidationError(f"{path!r} is not readable", field="source")
        return
    if hasattr(source, "read"):
        readable = getattr(source, "readable", None)
        try:
            ok = readable() if callable(readable) else True
        except (OSError, ValueError):
            ok = False
        if not ok or getattr(source, "closed", False):
            raise SonioxValidationError("file object is closed or not open for reading", field="source")
        if hasattr(source, "encoding"):
            raise SonioxValidationError("file object must be opened in binary mode ('rb')", field="source")
        return
    if isinstance(source, Iterable) or (allow_async and isinstance(source, AsyncIterable)):
        return
    raise SonioxValidationError(
        "must be bytes, a file path, a binary file object or an iterable of chunks, "
        f"not {type(source).__name__}",
        field="source",
    )


def split_chunks(data: bytes, chunk_size_bytes: int) -> Iterator[bytes]:
    """``data`` in pieces of ``chunk_size_bytes`` (the last one may be shorter)."""
    check_chunk_size(chunk_size_bytes)
    view = memoryview(data)
    for offset in range(0, len(view), chunk_size_bytes):
        yield bytes(view[offset : offset + chunk_size_bytes])


def wav_bytes_per_second(header: bytes) -> int | None:
    """The byte rate in a WAV file's ``fmt `` chunk, or ``None`` if ``header`` is no WAV."""
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        return None
    offset = 12
    while offset + 8 <= len(header):
        chunk_id = header[offset : offset + 4]
        (size,) = struct.unpack_from("<I", header, offset + 4)
        if chunk_id == b"fmt " and offset + 16 <= len(header):
            (byte_rate,) = struct.unpack_from("<I", header, offset + 16)
            return int(byte_rate) or None
        offset += 8 + size + (size & 1)
    return None


def audio_bytes_per_second(config: RealtimeSTTConfig) -> int | None:
    """The byte rate a raw-PCM config implies, or ``None`` for container formats."""
    width = RAW_AUDIO_FORMATS.get(config.audio_format)
    if width is None or not config.sample_rate or not config.num_channels:
        return None
    return width * config.sample_rate * config.num_channels


class AudioPacer:
    """When each chunk may go out so that audio flows at ``speed`` times real time.

    ``speed=None`` means no pacing: send as fast as the connection takes it.
    The schedule is anchored at the first chunk, so a late sleep is made up for
    by the next one rather than accumulating drift.
    """

    def __init__(self, bytes_per_second: float | None, speed: float | None = 1.0) -> None:
        if speed is not None:
            check.positive(speed, "speed", maximum=1000)
        if bytes_per_second is not None:
            check.positive(bytes_per_second, "bytes_per_second")
        if speed is not None and not bytes_per_second:
            raise SonioxValidationError(
                "pacing needs the audio's byte rate: pass bytes_per_second, "
                "use a WAV file, or a raw PCM config",
                field="bytes_per_second",
            )
        self._rate = None if speed is None else float(bytes_per_second or 0) * speed
        self._start: float | None = None
        self._sent = 0

    def delay_before(self, chunk_size: int, now: float) -> float:
        """Seconds to wait before sending the next chunk of ``chunk_size`` bytes."""
        if self._rate is None:
            return 0.0
        if self._start is None:
            self._start = now
        due = self._start + self._sent / self._rate
        self._sent += chunk_size
        return max(0.0, due - now)


class StreamPacer:
    """``AudioPacer`` for a stream whose byte rate may come from its first chunk (a WAV header).

    ``bytes_per_second`` wins when given; otherwise, when pacing (``speed`` set),
    the rate is read from the first chunk, and a missing one is an error then.
    """

    def __init__(self, speed: float | None, bytes_per_second: float | None) -> None:
        if speed is not None:
            check.positive(speed, "speed", maximum=1000)
        if bytes_per_second is not None:
            check.positive(bytes_per_second, "bytes_per_second")
        self._speed = speed
        self._bytes_per_second = bytes_per_second
        self._pacer: AudioPacer | None = None

    def delay_before(self, chunk: bytes, now: float) -> float:
        """Seconds to wait before sending ``chunk``."""
        if self._pacer is None:
            rate = self._bytes_per_second or (wav_bytes_per_second(chunk) if self._speed else None)
            self._pacer = AudioPacer(rate, self._speed)
        return self._pacer.delay_before(len(chunk), now)
