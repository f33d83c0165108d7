"""Where a command's result goes: stdout, or the file named by ``--output``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import IO

from soniox_core._redact import redact

from ._logging import unwrapped


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Output:
    """The result stream, and whether each standard stream is a terminal."""

    path: str | None = None
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)

    @property
    def stdout_is_tty(self) -> bool:
        """True when results are read by a person, not a pipe or a file."""
        return self.path is None and _isatty(self.stdout)

    @property
    def stderr_is_tty(self) -> bool:
        """True when progress can be animated."""
        return _isatty(self.stderr)

    def write(self, text: str, *, secret: bool = False) -> None:
        """Write the whole result at once (a half-written ``--output`` file is removed).

        Standard output masks secrets; ``secret=True`` is for the one result that
        is a credential on purpose (``soniox temp-key``).
        """
        if self.path is None:
            stream = unwrapped(self.stdout) if secret else self.stdout
            stream.write(text)
            stream.flush()
            return
        temporary = f"{self.path}.part"
        try:
            with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text if secret else redact(text))
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        print(f"soniox: wrote {self.path}", file=self.stderr)
