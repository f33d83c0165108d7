"""``--verbose``: the SDK's DEBUG log on stderr, with secrets masked."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable


class RedactFilter(logging.Filter):
    """Masks every known secret in a record's final message.

    The SDK already keeps keys out of its log; this is a second line of defence
    for third-party loggers (HTTP libraries, the emulator's server) that may
    print headers or URLs.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Very short values would mask ordinary words; real keys are long.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def add(self, secret: str | None) -> None:
        """Also mask ``secret`` from now on (e.g. a key minted at run time)."""
        if secret and len(secret) >= 6 and secret not in self._secrets:
            self._secrets.append(secret)
            self._secrets.sort(key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, "***")
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(verbose: bool, secrets: Iterable[str]) -> RedactFilter:
    """Send DEBUG records to stderr when ``verbose``; otherwise only warnings."""
    redact = RedactFilter(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    if not verbose:
        # The in-process emulator's web server logs every request at INFO.
        logging.getLogger("uvicorn").setLevel(logging.WARNING)
    return redact
