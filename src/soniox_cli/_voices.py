"""``soniox voices list|create|delete``: cloned voices."""

from __future__ import annotations

import argparse
import os
import sys

from soniox_core.models_tts import Voice

from ._connect import Connection
from ._errors import EXIT_OK, EXIT_USAGE, CLIError
from ._output import Output
from ._render import to_json
from ._resources import _delete_each, _table, _when

__all__ = ["check", "create", "delete", "list_voices"]


def check(args: argparse.Namespace) -> None:
    """Refuse a missing clip or an empty name before connecting.

    Raises:
        CLIError: The clip is not a file, or the name is blank (exit code 2).
    """
    if args.action != "create":
        return
    if not os.path.isfile(args.clip):
        raise CLIError(f"no such file: {args.clip}", exit_code=EXIT_USAGE)
    if not args.name.strip():
        raise CLIError("--name: must not be empty", exit_code=EXIT_USAGE)


def _status(voice: Voice) -> str:
    """``tts-rt-v2: ready, tts-rt-v1: failed (reason)`` or ``-`` when not prepared for any."""
    parts = []
    for model in voice.models:
        part = f"{model.model}: {model.status}"
        if model.error_message:
            part += f" ({' '.join(model.error_message.split())})"
        parts.append(part)
    return ", ".join(parts) or "-"


def list_voices(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """List cloned voices: id, name, created, and readiness per model."""
    voices = list(conn.client.voices.list_all())
    if args.json:
        output.write(to_json(voices))
    elif voices:
        rows = [(v.id, v.name, _when(v.created_at), _status(v)) for v in voices]
        output.write(_table(rows, ("ID", "NAME", "CREATED", "MODELS")))
    else:
        print("soniox: no cloned voices", file=sys.stderr)
    return EXIT_OK


def create(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Clone a voice; its id goes to stdout (for ``--voice``), the details to stderr."""
    voice = conn.client.voices.create(args.clip, name=args.name.strip())
    if args.json:
        output.write(to_json(voice))
    else:
        output.write(voice.id + "\n")
    print(f"soniox: created voice {voice.name!r} ({_status(voice)})", file=sys.stderr)
    return EXIT_OK


def delete(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Delete cloned voices by id; every id is tried, the exit code says whether all went."""
    return _delete_each(args.ids, conn.client.voices.delete, "voice")
