"""``soniox transcribe FILE|URL``: upload, transcribe, wait, print, clean up."""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, BinaryIO, cast

from soniox_core import SonioxConflictError, SonioxError, SonioxTransportError
from soniox_core._ops.workflows import poll_delays
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
    from soniox_sync import SonioxClient

DEFAULT_MODEL = "stt-async-v5"
# Longest pause between polls; the core's schedule starts at 0.1 s and doubles up to it,
# as the SDK's own wait() does (the spinner needs this loop of its own).
_MAX_POLL_SEC = 2.0
_FRAME_SEC = 0.1
# After Ctrl-C, how long to wait for a running transcription so it can be deleted.
_CLEANUP_WAIT_SEC = 120.0
_CLEANUP_POLL_SEC = 0.25
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


def _wait(client: SonioxClient, job: Transcription, spinner: Spinner, timeout: float | None) -> Transcription:
    """Poll until the job is done, animating the spinner between polls."""
    started = time.monotonic()
    delays = poll_delays(_MAX_POLL_SEC)
    next_poll = started + next(delays)
    while not job.is_done:
        now = time.monotonic()
        if timeout is not None and now - started > timeout:
            raise WaitTimeout(f"transcription {job.id} did not finish within {timeout:g} s")
        spinner.tick(f"Transcribing ({job.status}) {now - started:.0f}s")
        if now >= next_poll:
            job = client.stt.get(job.id)
            next_poll = time.monotonic() + next(delays)
        else:
            time.sleep(min(_FRAME_SEC, next_poll - now))
    return job


def _delete_transcription(
    client: SonioxClient, transcription_id: str, line: StatusLine, wait_sec: float
) -> None:
    """Delete the transcription, waiting up to ``wait_sec`` for it to stop running.

    The API refuses to delete a queued or processing transcription (409), which
    is exactly the state after Ctrl-C during the wait.
    """
    deadline = time.monotonic() + wait_sec
    spinner = Spinner(line)
    while True:
        try:
            client.stt.delete_if_exists(transcription_id)
            return
        except SonioxConflictError:
            if time.monotonic() > deadline:
                raise
        spinner.tick("Cleaning up: waiting for the transcription to stop (Ctrl-C to skip)")
        time.sleep(_CLEANUP_POLL_SEC)


def _cleanup(
    client: SonioxClient,
    transcription_id: str | None,
    file_id: str | None,
    line: StatusLine,
    wait_sec: float,
) -> None:
    """Delete what this run created, transcription first (it refers to the file).

    Failures are reported, not raised: they must not hide the run's own outcome.
    A second Ctrl-C skips the rest and says what was left behind.
    """
    pending = _created(transcription_id, file_id)
    try:
        if transcription_id is not None:
            try:
                _delete_transcription(client, transcription_id, line, wait_sec)
            except SonioxConflictError:
                print(
                    f"soniox: warning: transcription {transcription_id} is still running and "
                    f"was left behind; later run `soniox transcriptions delete {transcription_id}`",
                    file=sys.stderr,
                )
            except SonioxError as exc:
                print(f"soniox: warning: could not delete transcription: {exc}", file=sys.stderr)
            pending = _created(None, file_id)
            line.clear()
        if file_id is not None:
            try:
                client.files.delete_if_exists(file_id)
            except SonioxError as exc:
                print(f"soniox: warning: could not delete uploaded file: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        line.clear()
        left = ", ".join(f"{kind} {ident}" for kind, ident in pending)
        print(f"soniox: warning: cleanup skipped; left behind: {left}", file=sys.stderr)
        raise


def _upload(client: SonioxClient, path: str, line: StatusLine, reference: str) -> str:
    name = os.path.basename(path)
    with open(path, "rb") as raw:
        source = cast(BinaryIO, ProgressReader(raw, name, line)) if line.enabled else raw
        uploaded = client.files.upload(source, filename=name, client_reference_id=reference)
    line.clear()
    return uploaded.id


def _find(items: Iterable[File | Transcription], reference: str) -> str | None:
    """The id of the (recent) item tagged with this run's reference, if any."""
    for item in itertools.islice(items, _SWEEP_LIMIT):
        if item.client_reference_id == reference:
            return item.id
    return None


def _sweep(
    client: SonioxClient,
    reference: str,
    transcription_id: str | None,
    file_id: str | None,
    steps: set[str],
) -> tuple[str | None, str | None]:
    """Ids of what an interrupted request may have created after all.

    When Ctrl-C or a broken connection cuts a create or an upload short, the
    server may have done it without our hearing back; the run's reference id
    finds it so that it can be deleted too.
    """
    try:
        if "create" in steps and transcription_id is None:
            transcription_id = _find(client.stt.list_all(), reference)
        if "upload" in steps and file_id is None:
            file_id = _find(client.files.list_all(), reference)
    except SonioxError as exc:
        print(f"soniox: warning: could not look for leftovers: {exc}", file=sys.stderr)
    return transcription_id, file_id


def _created(transcription_id: str | None, file_id: str | None) -> list[tuple[str, str]]:
    pairs = [("transcription", transcription_id), ("file", file_id)]
    return [(kind, ident) for kind, ident in pairs if ident is not None]


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Transcribe one file or URL and write the result in the chosen format."""
    source: str = args.source
    if not is_url(source) and not os.path.isfile(source):
        raise CLIError(f"no such file: {source}", exit_code=EXIT_USAGE)
    client = conn.client
    config = build_config(args)
    line = StatusLine(sys.stderr, output.stderr_is_tty)
    file_id: str | None = None
    transcription_id: str | None = None
    # Tags this run's upload and transcription, to find them if a reply is lost.
    reference = f"soniox-cli-{secrets.token_hex(6)}"
    steps: set[str] = set()
    try:
        if not is_url(source):
            steps.add("upload")
            file_id = _upload(client, source, line, reference)
        steps.add("create")
        job = client.stt.create(
            model=args.model,
            audio_url=source if file_id is None else None,
            file_id=file_id,
            client_reference_id=reference,
            config=config,
        )
        transcription_id = job.id
        job = _wait(client, job, Spinner(line), args.timeout)
        line.clear()
        if job.status != "completed":
            reason = f"{job.error_type}: {job.error_message}" if job.error_type else job.status
            raise CLIError(f"transcription {job.id} failed: {reason}")
        transcript: TranscriptionTranscript = client.stt.get_transcript(job.id)
    finally:
        line.clear()
        failure = sys.exc_info()[1]
        # A request that never reached the server (refused, no route) created nothing,
        # and looking for leftovers would only fail the same way a second time.
        reached = not isinstance(failure, SonioxTransportError) or failure.request_sent
        if isinstance(failure, (KeyboardInterrupt, SonioxTransportError)) and reached:
            transcription_id, file_id = _sweep(client, reference, transcription_id, file_id, steps)
        if not args.keep:
            # After --timeout the user chose not to wait: no waiting to delete either.
            timed_out = isinstance(failure, WaitTimeout)
            wait_sec = 0.0 if timed_out else _CLEANUP_WAIT_SEC
            _cleanup(client, transcription_id, file_id, line, wait_sec)
        else:
            kept = [f"{kind} {ident}" for kind, ident in _created(transcription_id, file_id)]
            if kept:
                print(f"soniox: kept {', '.join(kept)}", file=sys.stderr)
    output.write(render(transcript, args.format))
    return EXIT_OK
