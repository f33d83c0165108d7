"""``soniox emulator``: the emulator's own command, reached through ``soniox``."""

from __future__ import annotations

import argparse

from soniox_emulator._command import serve

from ._output import Output


def run(args: argparse.Namespace, output: Output) -> int:
    """Start the emulator, print how to point the SDK at it, and serve until Ctrl-C."""
    return serve(args, out=output.stdout, err=output.stderr)
