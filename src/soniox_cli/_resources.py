"""``soniox files``, ``transcriptions``, ``models`` and ``temp-key``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ._connect import Connection
from ._errors import EXIT_ERROR, EXIT_OK
from ._output import Output
from ._render import render, to_json


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Columns padded to their widest cell; the last column is left ragged."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else str(value)


def files_list(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """List uploaded files, newest pages first as the API returns them."""
    files = list(conn.client.files.list_all())
    if args.json:
        output.write(to_json(files))
    elif files:
        rows = [(f.id, str(f.size), _when(f.created_at), f.filename) for f in files]
        output.write(_table(rows, ("ID", "BYTES", "CREATED", "FILENAME")))
    else:
        print("soniox: no files", file=sys.stderr)
    return EXIT_OK


def _delete_each(ids: Sequence[str], delete: Any, what: str) -> int:
    """Delete every id even if one fails; the exit code tells whether all went."""
    from soniox_core import SonioxError

    from ._errors import describe

    status = EXIT_OK
    for item in ids:
        try:
            delete(item)
        except SonioxError as exc:
            print(describe(exc), file=sys.stderr)
            status = EXIT_ERROR
        else:
            print(f"soniox: deleted {what} {item}", file=sys.stderr)
    return status


def files_delete(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Delete files by id."""
    return _delete_each(args.ids, conn.client.files.delete, "file")


def transcriptions_list(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """List transcriptions with their status."""
    jobs = list(conn.client.stt.list_all())
    if args.json:
        output.write(to_json(jobs))
    elif jobs:
        rows = [(t.id, t.status, _when(t.created_at), t.model, t.filename or t.audio_url or "") for t in jobs]
        output.write(_table(rows, ("ID", "STATUS", "CREATED", "MODEL", "SOURCE")))
    else:
        print("soniox: no transcriptions", file=sys.stderr)
    return EXIT_OK


def transcriptions_get(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Show a transcription as JSON, or its transcript with ``--format``."""
    if args.format is None:
        output.write(to_json(conn.client.stt.get(args.id)))
    else:
        output.write(render(conn.client.stt.get_transcript(args.id), args.format))
    return EXIT_OK


def transcriptions_delete(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Delete transcriptions by id (with ``--with-file``, their uploads too)."""
    stt = conn.client.stt
    return _delete_each(args.ids, stt.destroy if args.with_file else stt.delete, "transcription")


def models(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """List the models the key may use."""
    found = conn.client.models.list().models
    if args.json:
        output.write(to_json(found))
    else:
        rows = [(m.id, m.transcription_mode, m.aliased_model_id or "", m.name) for m in found]
        output.write(_table(rows, ("ID", "MODE", "ALIAS OF", "NAME")))
    return EXIT_OK


def temp_key(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Mint a short-lived key and print it on stdout (only there: it is a credential)."""
    key = conn.client.auth.create_temporary_api_key(
        usage_type=args.usage_type,
        expires_in_seconds=args.expires_in,
        client_reference_id=args.client_reference_id,
    )
    if args.json:
        output.write(to_json({"api_key": key.api_key, "expires_at": key.expires_at}), secret=True)
    else:
        output.write(key.api_key + "\n", secret=True)
        print(f"soniox: temporary key expires at {key.expires_at.isoformat()}", file=sys.stderr)
    return EXIT_OK
