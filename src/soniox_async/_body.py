"""Reading an upload's bytes for the send: the core describes each file part
(``FileSource``), the drivers open and read it here, a chunk at a time.

A path is opened for the send and closed after it; a file the caller opened is
read from where it was positioned (each send, a retry too, starts there again)
and left open. Exactly the announced number of bytes goes out, or the send
fails with ``SonioxValidationError``: fewer would corrupt the upload.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import IO

from soniox_core import SonioxValidationError
from soniox_core._multipart import FileSource, MultipartBody

__all__ = ["CHUNK_SIZE", "body_chunks", "read_source"]

CHUNK_SIZE = 1 << 20


def body_chunks(body: MultipartBody, chunk_size: int = CHUNK_SIZE) -> Generator[bytes, None, None]:
    """``body`` in chunks of about ``chunk_size`` bytes; call again to resend."""
    for segment in body.segments:
        if isinstance(segment, bytes):
            yield segment
        else:
            yield from read_source(segment, chunk_size)


def read_source(source: FileSource, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """A file part's bytes in chunks; opens and closes a path, never closes a caller's stream."""
    try:
        yield from _chunks(source, chunk_size)
    except SonioxValidationError:
        raise
    except (OSError, ValueError) as exc:
        # A local file problem, not a network one (the drivers map OSError to
        # SonioxConnectionError): the file vanished, or the caller closed it.
        raise SonioxValidationError(
            f"cannot read {source.path or source.filename!r}: {exc}", field="file"
        ) from exc


def _chunks(source: FileSource, chunk_size: int) -> Iterator[bytes]:
    if source.data is not None:
        view = memoryview(source.data)
        for offset in range(0, len(view), chunk_size):
            yield bytes(view[offset : offset + chunk_size])
        return
    if source.path is not None:
        with open(source.path, "rb", buffering=0) as handle:
            yield from _read_exactly(handle, source.size, chunk_size)
        return
    assert source.stream is not None
    if source.seekable:
        source.stream.seek(source.start)
    yield from _read_exactly(source.stream, source.size, chunk_size)


def _read_exactly(handle: IO[bytes], size: int | None, chunk_size: int) -> Iterator[bytes]:
    remaining = size
    while remaining is None or remaining > 0:
        want = chunk_size if remaining is None else min(chunk_size, remaining)
        chunk = handle.read(want)
        if not chunk:
            break
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise SonioxValidationError("file object must be opened in binary mode", field="file")
        if remaining is not None:
            remaining -= len(chunk)
        yield bytes(chunk)
    if remaining:
        raise SonioxValidationError(
            f"the file shrank while it was being uploaded ({remaining} bytes missing)",
            field="file",
        )
