"""How the command reports failures: one line on stderr, and an exit code."""

from __future__ import annotations

import argparse
import os
from urllib.parse import urlsplit

from soniox_core import SonioxAPIError, SonioxError, SonioxRealtimeError, SonioxTransportError
from soniox_core._config import (
    API_BASE_URL_ENV,
    DEFAULT_API_BASE_URL,
    DEFAULT_WEBSOCKET_BASE_URL,
    WEBSOCKET_BASE_URL_ENV,
)

EXIT_OK = 0
EXIT_ERROR = 1  # the API or the network failed, or the transcription did
EXIT_USAGE = 2  # bad arguments (argparse uses 2 as well)
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class CLIError(Exception):
    """A failure the command explains itself (bad input, failed transcription)."""

    def __init__(self, message: str, *, exit_code: int = EXIT_ERROR, kind: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.kind = kind


def target_of(args: argparse.Namespace) -> str | None:
    """``host:port`` the command talks to (no path, no credentials), for network errors."""
    if getattr(args, "local", False):
        return None  # the emulator's address was printed when it started
    if args.command == "realtime":
        url = args.websocket_url or os.environ.get(WEBSOCKET_BASE_URL_ENV) or DEFAULT_WEBSOCKET_BASE_URL
    else:
        url = args.base_url or os.environ.get(API_BASE_URL_ENV) or DEFAULT_API_BASE_URL
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return f"{host}:{port}" if port else host


def describe(exc: BaseException, *, target: str | None = None) -> str:
    """One line: the error class or type, the message, and the request id when known.

    ``soniox: error: SonioxAuthenticationError [unauthenticated]: Invalid API key
    (request_id=...)``. A network failure names ``target``, the host it tried.
    """
    if isinstance(exc, CLIError):
        return f"soniox: {exc.kind}: {exc.message}"
    name = type(exc).__name__
    if isinstance(exc, SonioxAPIError):
        kind = f"{name} [{exc.error_type}]" if exc.error_type else name
        message = _one_line(exc.message)
        if exc.validation_errors:
            problems = "; ".join(f"{e.location}: {e.message}" for e in exc.validation_errors)
            message = f"{message} [{_one_line(problems)}]"
        details = [f"HTTP {exc.status_code}"]
        # The request id is what Soniox support needs to find the request.
        details.append(f"request_id={exc.request_id or 'none'}")
        return f"soniox: error: {kind}: {message} ({', '.join(details)})"
    if isinstance(exc, SonioxRealtimeError) and exc.code is not None:
        return f"soniox: error: {name} [code {exc.code}]: {_one_line(exc.message)}"
    if isinstance(exc, (SonioxTransportError, SonioxRealtimeError)) and target:
        return f"soniox: error: {name}: {_one_line(exc.message)} (talking to {target})"
    if isinstance(exc, SonioxError):
        return f"soniox: error: {name}: {_one_line(exc.message)}"
    return f"soniox: error: {name}: {_one_line(str(exc))}"


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "(no message)"
