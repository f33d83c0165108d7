"""Dispatch of the text-to-speech and account commands: ``speak``, ``voices``, ``usage``, ``limits``.

Kept apart from ``__main__`` so those commands join the CLI with a two-line change there.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ._connect import Connection
from ._output import Output

__all__ = ["COMMANDS", "prepare"]

Handler = Callable[[argparse.Namespace, Connection, Output], int]

COMMANDS = frozenset({"speak", "voices", "usage", "limits"})


def prepare(args: argparse.Namespace) -> Handler | None:
    """Check the command's input (before connecting) and return its handler.

    Returns:
        The handler, or None when the command is not one of ``COMMANDS``.

    Raises:
        CLIError: The input cannot work (exit code 2); nothing was started.
    """
    if args.command not in COMMANDS:
        return None
    from . import _account, _speak, _voices

    if args.command == "speak":
        _speak.check(args)
        return _speak.run
    if args.command == "voices":
        _voices.check(args)
        handlers: dict[str, Handler] = {
            "list": _voices.list_voices,
            "create": _voices.create,
            "delete": _voices.delete,
        }
        return handlers[args.action]
    _account.check(args)
    return _account.usage if args.command == "usage" else _account.limits
