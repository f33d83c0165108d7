"""Streaming ``multipart/form-data`` bodies, described here and read by the drivers.

The body is described up front (its parts and its exact length); a file part
says where its bytes are (in memory, a file at a path, or the caller's file
object from a position on) and how many there are. The drivers read the
files in chunks only when the body is sent (``soniox_sync._body``), so a file
of any size goes out with a known ``Content-Length`` without ever being whole
in memory.
"""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any, BinaryIO

from ._errors import SonioxValidationError

__all__ = ["FileInput", "FileSource", "MultipartBody", "file_source", "multipart_body"]

FileInput = BinaryIO | bytes | Path | str
"""What an upload accepts: bytes, a path (``str`` or ``Path``) or a binary file object."""

_AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".opus": "audio/opus",
    ".m4a": "audio/mp4",
    ".mp4": "audio/mp4",
    ".aac": "audio/aac",
    ".webm": "audio/webm",
    ".aiff": "audio/aiff",
    ".amr": "audio/amr",
}


@dataclass(frozen=True, slots=True)
class FileSource:
    """Where a file part's bytes come from, and how many there are (None: unknown).

    Exactly one of ``data`` (the bytes), ``path`` (a file to open for the send
    and close after it) or ``stream`` (the caller's file object, read from
    ``start`` when ``seekable``, else from where it is, and left open) is set.
    """

    filename: str
    content_type: str
    data: bytes | None = None
    path: str | None = None
    stream: IO[bytes] | None = None
    start: int = 0
    size: int | None = None
    seekable: bool = False


def _guess_type(filename: str) -> str:
    return _AUDIO_TYPES.get(PurePath(filename).suffix.lower(), "application/octet-stream")


def file_source(
    file: object, filename: str | None = None, content_type: str | None = None, *, field: str = "file"
) -> FileSource:
    """Check an upload input and describe it; bad input fails here, before any request."""
    if filename is not None and (not isinstance(filename, str) or not filename):
        raise SonioxValidationError("must be a non-empty string", field="filename")
    if content_type is not None and (
        not isinstance(content_type, str) or any(c in content_type for c in "\r\n\0")
    ):
        # It goes into a part header verbatim; a line break would add headers of its own.
        raise SonioxValidationError("must be a single-line media type", field="content_type")
    if isinstance(file, (bytes, bytearray, memoryview)):
        name = filename or "upload.bin"
        data = bytes(file)
        return FileSource(name, content_type or _guess_type(name), data=data, size=len(data))
    if isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        if not isinstance(path, str):
            raise SonioxValidationError("path must be text", field=field)
        try:
            info = os.stat(path)
        except OSError as exc:
            raise SonioxValidationError(f"cannot read {path!r}: {exc.strerror or exc}", field=field) from None
        except ValueError as exc:  # a NUL byte, or text the file system cannot encode
            raise SonioxValidationError(f"is not a usable path ({exc})", field=field) from None
        if not os.path.isfile(path):
            raise SonioxValidationError(f"{path!r} is not a regular file", field=field)
        if not os.access(path, os.R_OK):
            raise SonioxValidationError(f"{path!r} is not readable", field=field)
        name = filename or os.path.basename(path)
        return FileSource(name, content_type or _guess_type(name), path=path, size=info.st_size)
    if isinstance(file, io.TextIOBase):
        raise SonioxValidationError("file object must be opened in binary mode ('rb')", field=field)
    if hasattr(file, "read") and callable(file.read):
        stream: IO[bytes] = file  # type: ignore[assignment]
        if getattr(stream, "closed", False):
            raise SonioxValidationError("file object is closed", field=field)
        readable = getattr(stream, "readable", None)
        try:
            can_read = readable() if callable(readable) else True
        except (OSError, ValueError):
            can_read = False
        if not can_read:
            # Opened for writing only: reading it would fail after the upload began.
            raise SonioxValidationError("file object is not open for reading ('rb')", field=field)
        raw_name = getattr(stream, "name", None)
        name = filename or (
            os.path.basename(raw_name) if isinstance(raw_name, str) and raw_name else "upload.bin"
        )
        size: int | None = None
        start = 0
        try:
            seekable = stream.seekable()
        except (AttributeError, OSError, ValueError):
            seekable = False
        if seekable:
            start = stream.tell()
            end = stream.seek(0, os.SEEK_END)
            stream.seek(start)
            size = max(0, end - start)
        return FileSource(
            name,
            content_type or _guess_type(name),
            stream=stream,
            start=start,
            size=size,
            seekable=seekable,
        )
    raise SonioxValidationError(
        f"must be bytes, a str or Path to a file, or a binary file object, not {type(file).__name__}",
        field=field,
    )


def _quote(value: str) -> str:
    # Percent-encode what would break out of a quoted header parameter (as browsers do).
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


@dataclass(frozen=True, slots=True)
class MultipartBody:
    """A multipart body: fixed byte segments with file sources in between."""

    boundary: str
    segments: Sequence[bytes | FileSource]

    @property
    def content_type(self) -> str:
        """The request's ``Content-Type`` header value."""
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def content_length(self) -> int | None:
        """The exact body length, or None when a stream's size cannot be known."""
        total = 0
        for segment in self.segments:
            if isinstance(segment, bytes):
                total += len(segment)
            elif segment.size is None:
                return None
            else:
                total += segment.size
        return total

    @property
    def replayable(self) -> bool:
        """Whether the body can be sent again whole (a retry): no part is a file
        object that cannot seek back to where it started."""
        return all(
            isinstance(s, bytes) or s.data is not None or s.path is not None or s.seekable
            for s in self.segments
        )

    def in_memory(self) -> bytes | None:
        """The whole body, if no part has to be read from a file; else None."""
        if all(isinstance(s, bytes) or s.data is not None for s in self.segments):
            return b"".join(s if isinstance(s, bytes) else s.data or b"" for s in self.segments)
        return None

    def headers(self) -> list[tuple[bytes, bytes]]:
        """``Content-Type`` and either ``Content-Length`` or chunked framing."""
        length = self.content_length
        framing = (
            (b"Content-Length", str(length).encode())
            if length is not None
            else (b"Transfer-Encoding", b"chunked")
        )
        return [(b"Content-Type", self.content_type.encode("latin-1")), framing]


def multipart_body(
    fields: Mapping[str, Any] | Sequence[tuple[str, Any]] | None,
    files: Mapping[str, FileSource] | Sequence[tuple[str, FileSource]],
    boundary: str | None = None,
) -> MultipartBody:
    """Describe a form with text ``fields`` (None values left out) and ``files``,
    each a mapping or (name, value) pairs (a name may repeat)."""
    boundary = boundary or secrets.token_hex(16)
    dash = b"--" + boundary.encode("ascii")
    segments: list[bytes | FileSource] = []
    field_items = fields.items() if isinstance(fields, Mapping) else (fields or ())
    file_items = files.items() if isinstance(files, Mapping) else files
    for name, value in field_items:
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        segments.append(
            dash
            + f'\r\nContent-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'.encode()
            + text.encode("utf-8")
            + b"\r\n"
        )
    for name, source in file_items:
        segments.append(
            dash
            + (
                f'\r\nContent-Disposition: form-data; name="{_quote(name)}"; '
                f'filename="{_quote(source.filename)}"\r\n'
                f"Content-Type: {source.content_type}\r\n\r\n"
            ).encode()
        )
        segments.append(source)
        segments.append(b"\r\n")
    segments.append(dash + b"--\r\n")
    # Merge neighbouring byte segments so small forms go out as few writes.
    merged: list[bytes | FileSource] = []
    for segment in segments:
        if isinstance(segment, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] = merged[-1] + segment
        else:
            merged.append(segment)
    return MultipartBody(boundary, merged)
