"""``soniox emulator``: the emulator's own command, reached through ``soniox``."""

from __future__ import annotations

import argparse

from soniox_emulator._command import DEFAULT_API_KEY, serve

from ._logging import unwrapped
from ._output import Output


def run(args: argparse.Namespace, output: Output) -> int:
    """Start the emulator, print how to point the SDK at it, and serve until Ctrl-C.

    The settings it prints (the emulator's key among them) are meant to be copied,
    so they bypass the redaction of the command's other output.
    """
    if getattr(args, "api_key", None) is None:  # no --api-key before or after the command
        args.api_key = DEFAULT_API_KEY
    return serve(args, out=unwrapped(output.stdout), err=unwrapped(output.stderr))
