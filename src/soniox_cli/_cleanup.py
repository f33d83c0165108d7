"""``soniox cleanup``: delete old or tagged files and transcriptions, paced.

It lists what matches first (and stops there with ``--dry-run``, or when a
terminal user does not confirm), then deletes at most ``--rate`` objects a
minute, so the sweep stays under the organisation's request rate and leaves
room for other work. Transcriptions still running cannot be deleted (409);
they are reported as skipped.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from soniox_core import SonioxConflictError, SonioxError, SonioxNotFoundError

from ._connect import Connection
from ._errors import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CLIError
from ._output import Output

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SHOWN = 20


def parse_age(text: str) -> timedelta:
    """``90s``, ``30m``, ``12h``, ``7d``, ``2w`` (or plain seconds) as a duration."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text)
    if not found:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 30m, 12h, 7d)")
    return timedelta(seconds=float(found.group(1)) * _UNITS[found.group(2) or "s"])


def _matches(args: argparse.Namespace, now: datetime) -> Callable[[Any], bool]:
    def match(item: Any) -> bool:
        if args.all:
            return True
        if args.prefix is not None and not (item.client_reference_id or "").startswith(args.prefix):
            return False
        if args.older_than is not None:
            created = item.created_at
            if created.tzinfo is None:
                created = created.replace(tzinfo=timezone.utc)
            if now - created < args.older_than:
                return False
        return True

    return match


def _candidates(conn: Connection, args: argparse.Namespace) -> Iterator[tuple[str, Any]]:
    match = _matches(args, datetime.now(timezone.utc))
    client = conn.client
    if args.what in ("all", "transcriptions"):
        for transcription in client.stt.list_all(limit=1000):
            if match(transcription):
                yield "transcription", transcription
    if args.what in ("all", "files"):
        for file in client.files.list_all(limit=1000):
            if match(file):
                yield "file", file


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Run ``soniox cleanup``; returns the exit code."""
    if not (args.all or args.prefix is not None or args.older_than is not None):
        raise CLIError("say what to delete: --older-than AGE, --prefix PREFIX or --all", exit_code=EXIT_USAGE)
    if args.rate <= 0:
        raise CLIError("--rate must be positive", exit_code=EXIT_USAGE)
    # The listing is held as (kind, id) pairs only: small even for a large account.
    targets: list[tuple[str, str]] = []
    for kind, item in _candidates(conn, args):
        if len(targets) < _SHOWN:
            label = getattr(item, "filename", None) or getattr(item, "audio_url", None) or ""
            reference = item.client_reference_id or "-"
            output.write(f"{kind:13} {item.id}  {item.created_at:%Y-%m-%d %H:%M}  {reference}  {label}\n")
        targets.append((kind, item.id))
    if len(targets) > _SHOWN:
        output.write(f"... and {len(targets) - _SHOWN} more\n")
    files = sum(1 for kind, _ in targets if kind == "file")
    output.write(f"{len(targets) - files} transcriptions and {files} files match.\n")
    if args.dry_run or not targets:
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            raise CLIError("not deleting without --yes (stdin is not a terminal)", exit_code=EXIT_USAGE)
        if input("Delete them? [y/N] ").strip().lower() not in ("y", "yes"):
            return EXIT_OK
    gap = 60.0 / args.rate
    deleted = {"file": 0, "transcription": 0}
    skipped = failed = 0
    next_at = time.monotonic()
    for kind, item_id in targets:
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        next_at = max(next_at, time.monotonic() - gap) + gap
        try:
            if kind == "file":
                conn.client.files.delete(item_id)
            else:
                conn.client.stt.delete(item_id)
            deleted[kind] += 1
        except SonioxNotFoundError:
            deleted[kind] += 1  # already gone: the goal is reached
        except SonioxConflictError:
            skipped += 1  # still processing
        except SonioxError as exc:
            failed += 1
            print(f"soniox cleanup: {kind} {item_id}: {exc}", file=sys.stderr)
    output.write(
        f"Deleted {deleted['transcription']} transcriptions and {deleted['file']} files"
        f"; {skipped} still processing (skipped); {failed} failed.\n"
    )
    return EXIT_ERROR if failed else EXIT_OK


def add_parser(command: Any) -> None:
    """Register ``cleanup`` (``command`` makes a sub-parser, as in ``_args``)."""
    cleanup = command("cleanup", "delete old or tagged files and transcriptions, paced under the rate limit")
    cleanup.add_argument(
        "--older-than", type=parse_age, metavar="AGE", help="created more than AGE ago (30m, 12h, 7d)"
    )
    cleanup.add_argument("--prefix", metavar="PREFIX", help="client_reference_id starts with PREFIX")
    cleanup.add_argument("--all", action="store_true", help="everything (files and transcriptions)")
    cleanup.add_argument(
        "--what", choices=("all", "files", "transcriptions"), default="all", help="which kind (default: both)"
    )
    cleanup.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    cleanup.add_argument("-y", "--yes", action="store_true", help="delete without asking")
    cleanup.add_argument(
        "--rate", type=float, default=120.0, metavar="N", help="deletions per minute at most (default 120)"
    )
