"""Checks made before a command connects: files exist, the emulator extra is there, a key is set."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager

from soniox_core import SonioxValidationError
from soniox_emulator._command import missing_extra

from ._errors import EXIT_USAGE, CLIError

__all__ = ["check_before_connecting", "explain_missing_key", "is_url"]


def is_url(source: str) -> bool:
    """True for an ``http(s)://`` address, which the service fetches itself."""
    return source.startswith(("http://", "https://"))


def check_before_connecting(args: argparse.Namespace) -> None:
    """Raise ``CLIError`` for input that cannot work, before any emulator or request starts.

    Raises:
        CLIError: the audio file does not exist (or is a URL where only a file
            will do), or ``--local`` was given without the ``[emulator]`` extra.
    """
    source = getattr(args, "source", None)
    if isinstance(source, str):
        allow_url = args.command == "transcribe"
        if not (allow_url and is_url(source)) and not os.path.isfile(source):
            raise CLIError(f"no such file: {source}", exit_code=EXIT_USAGE)
    if args.local and (hint := missing_extra()) is not None:
        raise CLIError(f"--local: {hint}", exit_code=EXIT_USAGE)


@contextmanager
def explain_missing_key() -> Iterator[None]:
    """Turn the SDK's "no API key" error into one in the command's own terms."""
    try:
        yield
    except SonioxValidationError as exc:
        if exc.field != "api_key":
            raise
        if "No API key" in exc.message:
            message = (
                "no API key: pass --api-key KEY or set SONIOX_API_KEY "
                "(or add --local to try a local emulator without a key)"
            )
        else:
            message = f"--api-key: {exc.message.removeprefix('api_key: ')}"
        raise CLIError(message, exit_code=EXIT_USAGE) from None
