# Generated from src/soniox_async/_audio_file.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""Writing streamed audio to a file, so that only a complete file ever appears.

Shared by the sync and async drivers (plain blocking file I/O; the async
runner calls it from a worker thread).

A path is written through a temporary file beside it (same directory, so the
final ``os.replace`` is an atomic rename on the same file system) and renamed
over the target only once the whole body arrived. A failure or a cancellation
removes the temporary file; an existing file at the path is left as it was.
A file object the caller passed is written in place: on failure it keeps the
bytes written so far (the caller owns it and decides), and it is never closed.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from soniox_core import SonioxValidationError

__all__ = ["AudioOutput", "AudioSink"]

AudioOutput = BinaryIO | Path | str
"""Where ``generate_to_file`` writes: a path, or a binary file object open for writing."""


class AudioSink:
    """One destination for one generation: ``write`` chunks, then ``commit`` or ``abort``."""

    __slots__ = ("_handle", "_target", "_temp", "written")

    def __init__(self, handle: Any, target: str | None, temp: str | None) -> None:
        self._handle = handle
        self._target = target
        self._temp = temp
        self.written = 0

    @classmethod
    def open(cls, output: object) -> AudioSink:
        """Check ``output`` and get it ready; bad output raises ``SonioxValidationError``."""
        if isinstance(output, (str, Path)):
            target = os.fspath(output)
            if not target:
                raise SonioxValidationError("must be a file path", field="output")
            if os.path.isdir(target):
                raise SonioxValidationError(f"{target!r} is a directory", field="output")
            directory = os.path.dirname(os.path.abspath(target))
            try:
                fd, temp = tempfile.mkstemp(
                    dir=directory, prefix="." + os.path.basename(target) + ".", suffix=".part"
                )
            except OSError as exc:
                raise SonioxValidationError(f"cannot write to {target!r}: {exc}", field="output") from None
            # mkstemp makes the file private (0600); the finished file gets the mode
            # of the one it replaces, or the usual 0644.
            try:
                mode = os.stat(target).st_mode & 0o7777
            except OSError:
                mode = 0o644
            os.chmod(temp, mode)
            return cls(os.fdopen(fd, "wb"), target, temp)
        if isinstance(output, io.TextIOBase):
            raise SonioxValidationError("must be opened in binary mode ('wb')", field="output")
        if not callable(getattr(output, "write", None)):
            raise SonioxValidationError(
                f"must be a path or a binary file object, not {type(output).__name__}", field="output"
            )
        return cls(output, None, None)

    def write(self, chunk: bytes) -> None:
        """Append one chunk."""
        view = memoryview(chunk)
        while view:
            # A raw (unbuffered) file may take part of it.
            count = self._handle.write(view)
            if count is None:
                break
            view = view[count:]
        self.written += len(chunk)

    def commit(self) -> int:
        """Make the file complete: rename the temporary file over the target. Returns bytes written."""
        if self._temp is not None and self._target is not None:
            try:
                self._handle.close()
                os.replace(self._temp, self._target)
            except BaseException:
                self.abort()
                raise
            self._temp = None
        else:
            flush = getattr(self._handle, "flush", None)
            if callable(flush):
                flush()
        return self.written

    def abort(self) -> None:
        """Give up: remove the temporary file (a caller's file object is left as it is)."""
        if self._temp is not None:
            try:
                self._handle.close()
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._temp)
                self._temp = None
