"""``soniox transcribe FILE|URL``: the SDK's transcribe-and-wait, shown on a terminal.

The workflow (upload, create, wait, fetch the transcript, delete both afterwards,
also after a failure or Ctrl-C, waiting out a running job's refusal to be deleted)
is the client's ``transcribe_and_wait_with_tokens``, written once in the core. Here
are only the terminal (progress bar, spinner), the messages, and the leftover sweep.

The sweep stays in the command: it relies on a reference id that only this run
uses, so anything listed with it is this run's to delete. The SDK cannot assume
that of a caller's ``client_reference_id`` (many jobs may share one), so it
deletes only what it has the id of.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO, cast

from soniox_core import SonioxConflictError, SonioxError, SonioxTransportError, SonioxWaitTimeoutError
from soniox_core.models import (
    CreateTranscriptionConfig,
    File,
    Transcription,
    TranscriptionTranscript,
    TranslationConfig,
)

from ._connect import Connection
from ._errors import EXIT_OK, EXIT_USAGE, CLIError
from ._output import Output
from ._preflight import is_url
from ._progress import ProgressReader, Spinner, StatusLine
from ._render import render

if TYPE_CHECKING:
    from soniox_core import WaitProgress
    from soniox_sync import SonioxClient

# Longest pause between polls (the SDK starts at 0.1 s and doubles up to it).
_MAX_POLL_SEC = 2.0
# After Ctrl-C, how long to wait for a running transcription so it can be deleted.
_CLEANUP_WAIT_SEC = 120.0
# How many of the newest files/transcriptions to search for this run's leftovers.
_SWEEP_LIMIT = 200


class WaitTimeout(CLIError):
    """``--timeout`` passed before the transcription finished."""


def build_config(args: argparse.Namespace) -> CreateTranscriptionConfig:
    """The transcription options the flags ask for."""
    translation = None
    if args.translate_to:
        translation = TranslationConfig(type="one_way", target_language=args.translate_to)
    return CreateTranscriptionConfig(
        language_hints=list(args.language) or None,
        enable_speaker_diarization=True if args.diarize else None,
        enable_language_identification=True if args.language_id else None,
        translation=translation,
    )


class _Watch:
    """The workflow's ``on_progress``: animates the spinner, remembers the transcription."""

    def __init__(self, line: StatusLine) -> None:
        self._spinner = Spinner(line)
        self.transcription: Transcription | None = None

    def __call__(self, progress: WaitProgress) -> None:
        if progress.stage == "waiting" and progress.transcription is not None:
            self.transcription = progress.transcription
            status = progress.transcription.status
            self._spinner.tick(f"Transcribing ({status}) {progress.elapsed_sec:.0f}s")
        else:
            self._spinner.tick("Cleaning up: waiting for the transcription to stop (Ctrl-C to skip)")

    def created(self) -> list[tuple[str, str]]:
        """What this run is known to have created, as ``(kind, id)``."""
        job = self.transcription
        if job is None:
            return []
        return [("transcription", job.id)] + ([("file", job.file_id)] if job.file_id else [])


@contextmanager
def _audio(source: str, line: StatusLine) -> Iterator[BinaryIO | None]:
    """The local file to upload, reporting progress on a terminal (None for a URL)."""
    if is_url(source):
        yield None
        return
    with open(source, "rb") as raw:
        yield cast(BinaryIO, ProgressReader(raw, os.path.basename(source), line)) if line.enabled else raw


def _find(items: Iterable[File | Transcription], reference: str) -> list[str]:
    """The ids of the (recent) items tagged with this run's reference."""
    recent = itertools.islice(items, _SWEEP_LIMIT)
    return [item.id for item in recent if item.client_reference_id == reference]


def _sweep(client: SonioxClient, reference: str, uploaded: bool) -> list[tuple[str, str]]:
    """What of this run is still on the service, as ``(kind, id)``.

    When Ctrl-C or a broken connection cuts a create or an upload short, the
    server may have done it without our hearing back; the run's reference id
    finds it so that it can be deleted too (and it finds what a skipped cleanup left).
    """
    found: list[tuple[str, str]] = []
    try:
        found += [("transcription", ident) for ident in _find(client.stt.list_all(), reference)]
        if uploaded:
            found += [("file", ident) for ident in _find(client.files.list_all(), reference)]
    except SonioxError as exc:
        print(f"soniox: warning: could not look for leftovers: {exc}", file=sys.stderr)
    return found


def _delete(client: SonioxClient, leftovers: list[tuple[str, str]], watch: _Watch, line: StatusLine) -> None:
    """Delete leftovers, transcriptions first (they refer to the files).

    A transcription the workflow knew of has had its cleanup (a second Ctrl-C may
    have cut it short): it is asked for once more, without waiting again.
    Failures are reported, not raised: they must not hide the run's own outcome.
    """
    seen = {ident for _, ident in watch.created()}
    for kind, ident in list(leftovers):
        try:
            if kind == "file":
                client.files.delete_if_exists(ident)
            else:
                wait_sec = 0.0 if ident in seen else _CLEANUP_WAIT_SEC
                client.stt.delete_when_stopped(ident, wait_sec, on_progress=watch)
        except SonioxConflictError:
            print(
                f"soniox: warning: transcription {ident} is still running and was left behind; "
                f"later run `soniox transcriptions delete {ident}`",
                file=sys.stderr,
            )
        except SonioxError as exc:
            what = "uploaded file" if kind == "file" else "transcription"
            print(f"soniox: warning: could not delete {what}: {exc}", file=sys.stderr)
        line.clear()
        leftovers.remove((kind, ident))


def _after(
    client: SonioxClient,
    args: argparse.Namespace,
    reference: str,
    watch: _Watch,
    line: StatusLine,
    failure: BaseException | None,
) -> None:
    """Find and delete (or, with ``--keep``, name) what the run left on the service.

    A Ctrl-C here skips the rest and says what was left behind.
    """
    # A request that never reached the server (refused, no route) created nothing,
    # and looking for leftovers would only fail the same way a second time.
    reached = not isinstance(failure, SonioxTransportError) or failure.request_sent
    sweep = isinstance(failure, (KeyboardInterrupt, SonioxTransportError)) and reached
    # Until the sweep answers, what this run is known to have made may be left.
    leftovers = watch.created() if sweep else []
    try:
        if sweep:
            leftovers = _sweep(client, reference, uploaded=not is_url(args.source))
        if not args.keep:
            _delete(client, leftovers, watch, line)
            return
    except KeyboardInterrupt:
        line.clear()
        left = ", ".join(f"{kind} {ident}" for kind, ident in leftovers) or "what this run made"
        print(
            f"soniox: warning: cleanup skipped; may be left behind: {left} "
            f"(`soniox cleanup --prefix {reference}` deletes it later)",
            file=sys.stderr,
        )
        raise
    kept = [f"{kind} {ident}" for kind, ident in dict.fromkeys(watch.created() + leftovers)]
    if kept:
        print(f"soniox: kept {', '.join(kept)}", file=sys.stderr)


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Transcribe one file or URL and write the result in the chosen format."""
    source: str = args.source
    if not is_url(source) and not os.path.isfile(source):
        raise CLIError(f"no such file: {source}", exit_code=EXIT_USAGE)
    client = conn.client
    line = StatusLine(sys.stderr, output.stderr_is_tty)
    watch = _Watch(line)
    # Tags this run's upload and transcription, to find them if a reply is lost.
    reference = f"soniox-cli-{secrets.token_hex(6)}"
    try:
        with _audio(source, line) as audio:
            transcript: TranscriptionTranscript = client.stt.transcribe_and_wait_with_tokens(
                model=args.model,
                audio_url=source if audio is None else None,
                file=audio,
                filename=None if audio is None else os.path.basename(source),
                client_reference_id=reference,
                config=build_config(args),
                delete_after=not args.keep,
                wait_interval_sec=_MAX_POLL_SEC,
                wait_timeout_sec=args.timeout,
                on_progress=watch,
                cleanup_wait_sec=_CLEANUP_WAIT_SEC,
            )
    except SonioxWaitTimeoutError as exc:
        ident = exc.transcription_id
        hint = "" if args.keep else f"; later run `soniox transcriptions delete {ident}`"
        raise WaitTimeout(f"transcription {ident} did not finish within {args.timeout:g} s{hint}") from None
    except SonioxConflictError:
        # A transcription that failed has no transcript: say why it failed instead.
        job = watch.transcription
        if job is None or job.status != "error":
            raise
        reason = f"{job.error_type}: {job.error_message}" if job.error_type else job.status
        raise CLIError(f"transcription {job.id} failed: {reason}") from None
    finally:
        line.clear()
        _after(client, args, reference, watch, line, sys.exc_info()[1])
    output.write(render(transcript, args.format))
    return EXIT_OK
