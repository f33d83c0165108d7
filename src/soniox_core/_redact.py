"""The one place secrets are masked before any text leaves the process.

API keys (the client's, and temporary keys it minted or was handed), webhook
secrets and ``Authorization`` values are registered here when the SDK first
sees them. Every ``SonioxError`` message, every record of the ``soniox`` logger
and every line the CLI prints passes through :func:`redact`, including text that
came from a server or from another library's exception, so a key echoed back by
a hostile server or quoted by an HTTP library never reaches a log or a screen.

The registry is process-wide on purpose: errors are built deep inside parsing
code that has no client at hand, and a key must stay masked wherever it shows up.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import quote

__all__ = [
    "MASK",
    "RedactingFilter",
    "guard_loggers",
    "known_secret_count",
    "safe_cause",
    "redact",
    "redact_bytes",
    "register_secret",
]

MASK = "***"

# A secret shorter than this would mask ordinary words; real keys are far longer.
MIN_SECRET_LENGTH = 6
# Temporary keys are minted per session; keep the newest this many, not all forever.
MAX_SECRETS = 2048

# "Bearer <token>" anywhere (a header echoed in a body, an HTTP library quoting the
# header it refused), and "Authorization: <value>" lines.
_AUTH_PATTERN = re.compile(
    r"(?i)(\bbearer\s+|\bauthorization[\"']?\s*[:=]\s*[\"']?(?!bearer\b))[^\s\"',;)}\]]+"
)
_AUTH_PATTERN_BYTES = re.compile(_AUTH_PATTERN.pattern.encode("ascii"))

# Secrets and the forms they take when quoted: escaped by repr(), JSON or a URL.
_forms: dict[str, None] = {}
_generation = 0  # bumped by every registration; a pattern built from older forms is not kept
_pattern: re.Pattern[str] | None = None
_pattern_bytes: re.Pattern[bytes] | None = None


def _variants(secret: str) -> set[str]:
    out = {secret, secret.strip()}
    out.add(repr(secret)[1:-1])
    out.add(json.dumps(secret)[1:-1])
    out.add(quote(secret, safe=""))
    return {v for v in out if len(v) >= MIN_SECRET_LENGTH}


def register_secret(secret: object) -> None:
    """Mask ``secret`` (and its quoted forms) in all text from now on.

    Values that are not strings, or too short to mask safely, are ignored.
    Cheap: the pattern is rebuilt on the next use, not here (a key is registered
    per client and per temporary key; text is masked far less often).
    """
    global _generation, _pattern, _pattern_bytes
    if not isinstance(secret, str) or len(secret.strip()) < MIN_SECRET_LENGTH:
        return
    new = _variants(secret) - _forms.keys()
    if not new:
        return
    _forms.update(dict.fromkeys(new))
    while len(_forms) > MAX_SECRETS:
        del _forms[next(iter(_forms))]
    _generation += 1
    _pattern, _pattern_bytes = None, None


def _patterns() -> tuple[re.Pattern[str] | None, re.Pattern[bytes] | None]:
    global _pattern, _pattern_bytes
    pattern, pattern_bytes = _pattern, _pattern_bytes
    if pattern is None and _forms:
        generation = _generation
        ordered = sorted(tuple(_forms), key=len, reverse=True)  # the longest form wins at a position
        pattern = re.compile("|".join(re.escape(f) for f in ordered))
        pattern_bytes = re.compile(b"|".join(re.escape(f.encode("utf-8")) for f in ordered))
        if generation == _generation:  # no secret was registered meanwhile
            _pattern, _pattern_bytes = pattern, pattern_bytes
    return pattern, pattern_bytes


def known_secret_count() -> int:
    """How many secret forms are being masked (for tests and diagnostics)."""
    return len(_forms)


def redact(text: str) -> str:
    """``text`` with every registered secret and every Authorization value masked."""
    if not isinstance(text, str):
        text = str(text)
    pattern, _ = _patterns()
    if pattern is not None:
        text = pattern.sub(MASK, text)
    return _AUTH_PATTERN.sub(lambda m: m.group(1) + MASK, text)


def redact_bytes(data: bytes) -> bytes:
    """:func:`redact` for raw bytes (a response body or header value)."""
    _, pattern = _patterns()
    if pattern is not None:
        data = pattern.sub(MASK.encode("ascii"), data)
    return _AUTH_PATTERN_BYTES.sub(lambda m: m.group(1) + MASK.encode("ascii"), data)


def safe_cause(exc: BaseException) -> BaseException | None:
    """``exc`` if its text shows no secret, else None: what to chain an SDK error to
    (``raise error from safe_cause(exc)``) so that a traceback cannot print a key."""
    try:
        text = str(exc)
    except Exception:
        return None
    return exc if redact(text) == text else None


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message and in its formatted traceback.

    Installed on the ``soniox`` logger and on the CLI's handler. The traceback is
    formatted here (into ``exc_text``, which formatters reuse) so that the text of
    a chained foreign exception is masked too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logging module's to report
            return True
        masked = redact(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def guard_loggers(*names: str) -> None:
    """Install the redacting filter on these loggers (once each).

    A logger's filters see only the records made at that very logger, so the
    libraries the drivers use (which log response headers at DEBUG, where a
    server can echo the key) are named one by one.
    """
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
