"""The live caption of ``soniox realtime``: final text, then the provisional tail.

On a terminal one line is redrawn in place: final text as it is, the non-final
tail dimmed (plain when the ``NO_COLOR`` environment variable is set). Before the
line outgrows the terminal, its final part is committed with a newline, so the
redraw never has to climb back over wrapped lines.
Anywhere else (a pipe, a file) only final text is written, as it arrives.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import IO

_DEFAULT_WIDTH = 80
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"
_ERASE_LINE = "\r\x1b[K"


def color_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """False when ``NO_COLOR`` is set to anything but the empty string (no-color.org)."""
    env = os.environ if environ is None else environ
    return not env.get("NO_COLOR")


def terminal_width() -> int:
    """The terminal's width in columns, or 80 when it does not say.

    A terminal may report a size of 0 x 0 (a fresh pseudo-terminal, some CI runners);
    Python 3.11+ then falls back to 80 columns, but 3.10 passes the 0 on.
    """
    columns = shutil.get_terminal_size((_DEFAULT_WIDTH, 24)).columns
    return columns if columns > 0 else _DEFAULT_WIDTH


class LiveView:
    """Shows a realtime transcript as it grows."""

    def __init__(
        self, stream: IO[str], *, terminal: bool, width: int = _DEFAULT_WIDTH, color: bool = True
    ) -> None:
        self._stream = stream
        self._terminal = terminal
        self._color = color  # False: the provisional tail is shown plain (NO_COLOR)
        width = width if width > 0 else _DEFAULT_WIDTH  # 0: the terminal did not say
        self._width = max(20, width - 1)  # the last column would wrap on some terminals
        self._line = ""  # final text not yet committed with a newline
        self._started = False

    def update(self, final_text: str, partial_text: str) -> None:
        """Add newly final text and show the current provisional text."""
        if not self._started:
            final_text = final_text.lstrip()
        if final_text:
            self._started = True
        if not self._terminal:
            if final_text:
                self._stream.write(final_text)
                self._stream.flush()
            return
        *finished, rest = (self._line + final_text).split("\n")
        for line in finished:  # a new speaker's turn starts a new line
            self._commit(line)
        self._line = rest
        while len(self._line) > self._width:
            cut = self._line.rfind(" ", 0, self._width)
            cut = cut if cut > 0 else self._width
            self._commit(self._line[:cut])
            self._line = self._line[cut:].lstrip()
        room = self._width - len(self._line)
        tail = partial_text[-room:] if room > 0 and partial_text else ""
        if tail and self._color:
            tail = f"{_DIM}{tail}{_RESET}"
        shown = self._line + tail
        self._stream.write(_ERASE_LINE + shown)
        self._stream.flush()

    def _commit(self, line: str) -> None:
        self._stream.write(_ERASE_LINE + line + "\n")

    def close(self) -> None:
        """Finish the last line."""
        if self._terminal:
            self._stream.write(_ERASE_LINE + self._line + "\n")
        elif self._started:
            self._stream.write("\n")
        self._stream.flush()
