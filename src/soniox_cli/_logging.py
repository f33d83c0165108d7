"""Secrets out of everything the command prints: ``--verbose`` logs and both streams.

The SDK masks keys in its errors and in its own logger through one redaction
point (``soniox_core._redact``); the command passes every line it writes, and
every record of any logger (HTTP libraries, the emulator's server), through the
same point, tracebacks included.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import IO, Any

from soniox_core._redact import RedactingFilter, redact, register_secret


class RedactFilter(RedactingFilter):
    """The core's redacting log filter, told about the command's secrets up front."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        for secret in secrets:
            register_secret(secret.strip())

    def add(self, secret: str | None) -> None:
        """Also mask ``secret`` from now on (e.g. a key minted at run time)."""
        register_secret(secret)


class RedactingStream:
    """A text stream that masks secrets in what is written to it.

    ``inner`` is the real stream, for the one output that is a secret on purpose
    (``soniox temp-key`` prints the key it minted).
    """

    def __init__(self, inner: IO[str]) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(redact(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def unwrapped(stream: IO[str]) -> IO[str]:
    """The real stream under a ``RedactingStream`` (or the stream itself)."""
    return stream.inner if isinstance(stream, RedactingStream) else stream


def guard_streams() -> tuple[IO[str], IO[str]]:
    """Wrap ``sys.stdout`` and ``sys.stderr`` in redacting streams; return the originals."""
    original = (sys.stdout, sys.stderr)
    if not isinstance(sys.stdout, RedactingStream):
        sys.stdout = RedactingStream(sys.stdout)
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)
    return original


_VERBOSE_FORMAT = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


class _CommandFormat(logging.Formatter):
    """``soniox: warning: MESSAGE``, as the command's own warnings read."""

    def format(self, record: logging.LogRecord) -> str:
        return f"soniox: {record.levelname.lower()}: {record.getMessage()}"


def setup_logging(verbose: bool, secrets: Iterable[str]) -> RedactFilter:
    """Send DEBUG records to stderr when ``verbose``; otherwise only warnings."""
    redact_filter = RedactFilter(secrets)
    handler = logging.StreamHandler(sys.stderr)
    # Without --verbose only warnings show (the SDK's: what a cleanup left behind),
    # in the command's own voice, like its other messages.
    handler.setFormatter(_VERBOSE_FORMAT if verbose else _CommandFormat())
    handler.addFilter(redact_filter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    if not verbose:
        # The in-process emulator's web server logs every request at INFO.
        logging.getLogger("uvicorn").setLevel(logging.WARNING)
    return redact_filter
