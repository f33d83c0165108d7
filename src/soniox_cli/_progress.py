"""Upload progress bar and waiting spinner, drawn on stderr only when it is a terminal.

When stderr is piped or redirected (CI logs, ``2>file``) nothing animated is
written: carriage returns and redraws would only litter the log.
"""

from __future__ import annotations

import io
import os
from typing import IO, Any

_SPINNER = "|/-\\"
_BAR_WIDTH = 30


class StatusLine:
    """One redrawable line on a terminal stream; silent on anything else."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self._stream = stream
        self.enabled = enabled
        self._width = 0

    def show(self, text: str) -> None:
        """Replace the line's content."""
        if not self.enabled:
            return
        padding = " " * max(0, self._width - len(text))
        self._stream.write(f"\r{text}{padding}")
        self._stream.flush()
        self._width = len(text)

    def clear(self) -> None:
        """Erase the line so that normal output starts on a clean line."""
        if self.enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0


def _size(num: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if num < 1024 or unit == "GB":
            return f"{num:.0f} {unit}" if unit == "B" else f"{num:.1f} {unit}"
        num /= 1024
    raise AssertionError("unreachable")


def progress_bar(label: str, done: int, total: int | None) -> str:
    """``label [#####.....]  42%  1.2 MB / 3.0 MB`` (no bar when the size is unknown)."""
    if not total:
        return f"{label} {_size(done)}"
    fraction = min(1.0, done / total)
    filled = round(fraction * _BAR_WIDTH)
    bar = "#" * filled + "." * (_BAR_WIDTH - filled)
    return f"{label} [{bar}] {fraction:4.0%}  {_size(done)} / {_size(total)}"


class Spinner:
    """A spinner frame per ``tick``, with a message."""

    def __init__(self, line: StatusLine) -> None:
        self._line = line
        self._frame = 0

    def tick(self, message: str) -> None:
        """Advance one frame and show ``message`` beside it."""
        self._line.show(f"{_SPINNER[self._frame % len(_SPINNER)]} {message}")
        self._frame += 1


def _size_of(raw: IO[bytes]) -> int | None:
    """Bytes from the current position to the end, or None when unknowable."""
    try:
        return os.fstat(raw.fileno()).st_size - raw.tell()
    except (OSError, AttributeError):  # io.UnsupportedOperation is an OSError
        pass
    try:
        here = raw.tell()
        end = raw.seek(0, os.SEEK_END)
        raw.seek(here)
    except (OSError, AttributeError):
        return None
    return end - here


class ProgressReader(io.RawIOBase):
    """A read-only binary file that reports each read on a status line.

    The SDK uploads any binary file object, so wrapping the opened file is all
    it takes to show progress. Seeking is passed through, and the position is
    what is shown, so a retried upload (which rewinds) starts the bar again
    rather than passing 100%.
    """

    def __init__(self, raw: IO[bytes], name: str, line: StatusLine, label: str = "Uploading") -> None:
        super().__init__()
        self._raw = raw
        self.name = name
        self._line = line
        self._label = label
        self._total = _size_of(raw)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._report()
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._report()
        return data

    def _report(self) -> None:
        self._line.show(progress_bar(self._label, self._raw.tell(), self._total))

    def close(self) -> None:
        self._raw.close()
        super().close()
