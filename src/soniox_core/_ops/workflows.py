"""Multi-step workflows (upload, create, wait, fetch, clean up), written once.

Cleanup runs in ``except``/``finally`` blocks, so it also runs when a step
fails, times out or is cancelled: the drivers throw cancellation into the
operation and perform its cleanup requests shielded.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, TypeVar

from .. import _validate as check
from .._config import ClientConfig
from .._effects import Effect, Op, now, sleep
from .._errors import SonioxConflictError, SonioxError, SonioxValidationError, SonioxWaitTimeoutError
from .._multipart import file_source
from .._payloads import create_transcription_body, webhook_fields
from .._progress import PROGRESS_TICK_SEC, ProgressCallback, WaitProgress
from .._transport import logger
from ..models import (
    CreateTranscriptionConfig,
    Transcription,
    TranscriptionTranscript,
    WebhookAuthConfig,
)
from . import files, transcriptions
from .transcriptions import DEFAULT_MODEL

__all__ = [
    "CLEANUP_WAIT_SEC",
    "delete_when_stopped",
    "poll_delays",
    "transcribe",
    "transcribe_and_wait",
    "transcribe_and_wait_with_tokens",
    "transcribe_file_with_webhook",
    "transcribe_from_file",
    "wait",
]

T = TypeVar("T")
TranscriptionConfigInput = CreateTranscriptionConfig | Mapping[str, Any] | None


def _check_wait_args(
    interval_sec: object, timeout_sec: object, on_progress: object, prefix: str = ""
) -> None:
    check.seconds(interval_sec, f"{prefix}interval_sec")
    check.optional_seconds(timeout_sec, f"{prefix}timeout_sec", allow_zero=True)
    check.callback(on_progress, "on_progress")


_CLOCK_SLACK_SEC = 1e-6
FIRST_POLL_SEC = 0.1
"""The first pause of ``wait``: a short job is seen as done within a fraction of a second."""
POLL_GROWTH = 2.0
"""Each pause of ``wait`` is this many times the one before, up to ``interval_sec``."""


def poll_delays(interval_sec: float) -> Iterator[float]:
    """The pauses between polls: 0.1 s, doubling up to ``interval_sec``, then steady.

    A job that finishes in a moment is picked up in a moment, and a long one is
    polled at the documented interval after a handful of early looks.
    """
    delay = min(FIRST_POLL_SEC, interval_sec)
    while True:
        yield delay
        delay = min(delay * POLL_GROWTH, interval_sec)


class _Reporter:
    """Reports one stage of a wait to an ``on_progress`` callback (none: does nothing,
    and asks for no effects, so a wait without a callback runs exactly as before)."""

    def __init__(
        self, callback: ProgressCallback | None, stage: Any, transcription_id: str, started: float
    ) -> None:
        self._callback = callback
        self._stage = stage
        self._id = transcription_id
        self._started = started
        self.transcription: Transcription | None = None

    def report(self) -> Op[None]:
        """Tell the callback where the stage stands now."""
        if self._callback is None:
            return
        elapsed = (yield from now()) - self._started
        self._callback(WaitProgress(self._stage, self._id, self.transcription, elapsed))

    def pause(self, seconds: float) -> Op[None]:
        """Sleep ``seconds``; with a callback, in ticks of ``PROGRESS_TICK_SEC``, reporting after each."""
        if self._callback is None:
            yield from sleep(seconds)
            return
        end = (yield from now()) + seconds
        while (left := end - (yield from now())) > _CLOCK_SLACK_SEC:
            yield from sleep(min(PROGRESS_TICK_SEC, left))
            yield from self.report()


def wait(
    config: ClientConfig,
    transcription_id: str,
    interval_sec: float = 5.0,
    timeout_sec: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> Generator[Effect, Any, Transcription]:
    """Poll until the transcription leaves ``queued``/``processing``; return it.

    Polls quickly at first and slows down to ``interval_sec`` (see ``poll_delays``).
    A transcription that ended in ``error`` is returned, not raised. Past
    ``timeout_sec`` a ``SonioxWaitTimeoutError`` (a ``TimeoutError``) carrying the
    transcription id is raised; the job itself goes on. ``on_progress`` gets a
    ``WaitProgress`` (stage ``"waiting"``) after every poll and every
    ``PROGRESS_TICK_SEC`` between polls.
    """
    _check_wait_args(interval_sec, timeout_sec, on_progress)
    started = yield from now()
    delays = poll_delays(interval_sec)
    progress = _Reporter(on_progress, "waiting", transcription_id, started)
    while True:
        transcription = yield from transcriptions.get(config, transcription_id)
        progress.transcription = transcription
        yield from progress.report()
        if transcription.is_done:
            return transcription
        delay = next(delays)
        if timeout_sec is not None:
            remaining = timeout_sec - ((yield from now()) - started)
            # A microsecond of slack: float rounding of the clock must not buy a
            # string of near-zero sleeps and extra polls at the deadline.
            if remaining <= _CLOCK_SLACK_SEC:
                raise SonioxWaitTimeoutError(transcription_id, timeout_sec)
            delay = min(delay, remaining)
        yield from progress.pause(delay)


CleanupStep = tuple[Callable[[], Op[None]], str]


def _clean_up(steps: list[CleanupStep], *, strict: bool) -> Generator[Effect, Any, None]:
    """Run cleanup steps (an op factory and what it deletes), each even if one before failed.

    A step interrupted by cancellation is run once more: the driver performs the
    rest of the cleanup shielded, and repeating a deletion that already went
    through is harmless (404). With ``strict`` the first failure is raised at the
    end; otherwise API failures are only logged, so they do not hide the failure
    that started the cleanup. A cancellation is always re-raised.
    """
    first_failure: BaseException | None = None
    for step, what in steps:
        for _ in range(2):
            try:
                yield from step()
            except GeneratorExit:
                raise
            except BaseException as exc:
                first_failure = first_failure or exc
                if isinstance(exc, SonioxConflictError):
                    # The API refuses to delete a job that is still queued or processing.
                    logger.warning(
                        "%s is still running and was left behind; delete it once it has stopped", what
                    )
                    break
                if isinstance(exc, SonioxError):
                    logger.warning("Could not delete %s: %s", what, exc)
                    break
                continue
            break
    if first_failure is not None and (strict or not isinstance(first_failure, SonioxError)):
        raise first_failure


def _on_failure(body: Op[T], cleanup: list[CleanupStep]) -> Op[T]:
    """Run ``body``; if it fails (cancellation included), clean up and re-raise."""
    try:
        return (yield from body)
    except GeneratorExit:
        raise
    except BaseException:
        yield from _clean_up(cleanup, strict=False)
        raise


def transcribe_from_file(
    config: ClientConfig,
    *,
    model: str = DEFAULT_MODEL,
    file: object,
    filename: str | None = None,
    client_reference_id: str | None = None,
    transcription_config: TranscriptionConfigInput = None,
    webhook: Mapping[str, str] | None = None,
) -> Generator[Effect, Any, Transcription]:
    """Upload ``file``, then create a transcription of it.

    Everything is validated before the upload starts, and if the transcription
    cannot be created the upload is deleted again, so nothing is left behind.
    """
    file_source(file, filename)
    create_transcription_body(
        model=model,
        file_id="pending-upload",
        audio_url=None,
        client_reference_id=client_reference_id,
        config=transcription_config,
        webhook=webhook,
    )
    uploaded = yield from files.upload(config, file, filename, client_reference_id)
    return (
        yield from _on_failure(
            transcriptions.create(
                config,
                model=model,
                file_id=uploaded.id,
                client_reference_id=client_reference_id,
                transcription_config=transcription_config,
                webhook=webhook,
            ),
            [(lambda: files.delete_if_exists(config, uploaded.id), f"file {uploaded.id}")],
        )
    )


def _check_sources(audio_url: str | None, file_id: str | None, file: object) -> None:
    given = [
        name for name, v in (("audio_url", audio_url), ("file_id", file_id), ("file", file)) if v is not None
    ]
    if not given:
        raise SonioxValidationError("one of audio_url, file_id or file is required", field="file")
    if len(given) > 1:
        raise SonioxValidationError(
            f"give only one of audio_url, file_id or file (got {', '.join(given)})",
            field=given[1],
        )


def transcribe(
    config: ClientConfig,
    *,
    model: str = DEFAULT_MODEL,
    audio_url: str | None = None,
    file_id: str | None = None,
    file: object = None,
    filename: str | None = None,
    client_reference_id: str | None = None,
    transcription_config: TranscriptionConfigInput = None,
) -> Op[Transcription]:
    """Create a transcription from exactly one of a file, a file ID or an audio URL."""
    _check_sources(audio_url, file_id, file)
    if file is not None:
        return transcribe_from_file(
            config,
            model=model,
            file=file,
            filename=filename,
            client_reference_id=client_reference_id,
            transcription_config=transcription_config,
        )
    return transcriptions.create(
        config,
        model=model,
        file_id=file_id,
        audio_url=audio_url,
        client_reference_id=client_reference_id,
        transcription_config=transcription_config,
    )


def transcribe_file_with_webhook(
    config: ClientConfig,
    *,
    model: str = DEFAULT_MODEL,
    file: object,
    webhook_url: str,
    webhook_auth: WebhookAuthConfig | None,
    filename: str | None = None,
    client_reference_id: str | None = None,
    transcription_config: TranscriptionConfigInput = None,
) -> Op[Transcription]:
    """Upload ``file`` and start a transcription that reports to ``webhook_url``."""
    return transcribe_from_file(
        config,
        model=model,
        file=file,
        filename=filename,
        client_reference_id=client_reference_id,
        transcription_config=transcription_config,
        webhook=webhook_fields(webhook_url, webhook_auth),
    )


CLEANUP_WAIT_SEC = 10.0
"""How long cleanup after a failed wait keeps asking to delete a transcription that is
still queued or processing (the API refuses with 409) before leaving it."""


def delete_when_stopped(
    config: ClientConfig,
    transcription_id: str,
    wait_sec: float = CLEANUP_WAIT_SEC,
    on_progress: ProgressCallback | None = None,
) -> Op[None]:
    """Delete a transcription, already gone or not; while it still runs (409), ask again
    on the ``poll_delays`` schedule for up to ``wait_sec``, then raise the conflict.

    ``on_progress`` gets a ``WaitProgress`` (stage ``"cleaning_up"``) after each
    refusal and every ``PROGRESS_TICK_SEC`` while waiting to ask again.
    """
    check.optional_seconds(wait_sec, "wait_sec", allow_zero=True)
    check.callback(on_progress, "on_progress")
    started = yield from now()
    delays = poll_delays(1.0)
    progress = _Reporter(on_progress, "cleaning_up", transcription_id, started)
    while True:
        try:
            yield from transcriptions.delete_if_exists(config, transcription_id)
            return
        except SonioxConflictError:
            left = wait_sec - ((yield from now()) - started)
            if left <= _CLOCK_SLACK_SEC:
                raise
        yield from progress.report()
        yield from progress.pause(min(next(delays), left))


def _created_by_call(
    config: ClientConfig,
    transcription_id: str,
    uploaded_file_id: str | None,
    wait_sec: float,
    on_progress: ProgressCallback | None,
) -> list[CleanupStep]:
    """Cleanup steps for what a workflow created: the transcription (waiting up to
    ``wait_sec`` for it to stop running), then this call's upload (even when the
    transcription could not be deleted)."""
    steps: list[CleanupStep] = [
        (
            lambda: delete_when_stopped(config, transcription_id, wait_sec, on_progress),
            f"transcription {transcription_id}",
        )
    ]
    if uploaded_file_id:
        steps.append((lambda: files.delete_if_exists(config, uploaded_file_id), f"file {uploaded_file_id}"))
    return steps


def _wait_then(
    config: ClientConfig,
    transcription_id: str,
    interval_sec: float,
    timeout_sec: float | None,
    on_progress: ProgressCallback | None,
    then: Callable[[Transcription], Op[T]],
) -> Generator[Effect, Any, T]:
    done = yield from wait(config, transcription_id, interval_sec, timeout_sec, on_progress)
    return (yield from then(done))


def _finish(
    config: ClientConfig,
    *,
    model: str,
    audio_url: str | None,
    file_id: str | None,
    file: object,
    filename: str | None,
    client_reference_id: str | None,
    delete_after: bool,
    wait_interval_sec: float,
    wait_timeout_sec: float | None,
    transcription_config: TranscriptionConfigInput,
    on_progress: ProgressCallback | None,
    cleanup_wait_sec: float | None,
    then: Callable[[Transcription], Op[T]],
) -> Generator[Effect, Any, T]:
    _check_wait_args(wait_interval_sec, wait_timeout_sec, on_progress, prefix="wait_")
    check.boolean(delete_after, "delete_after")
    check.optional_seconds(cleanup_wait_sec, "cleanup_wait_sec", allow_zero=True)
    created = yield from transcribe(
        config,
        model=model,
        audio_url=audio_url,
        file_id=file_id,
        file=file,
        filename=filename,
        client_reference_id=client_reference_id,
        transcription_config=transcription_config,
    )
    # Only what this call created is ours to delete: never a file the caller uploaded.
    uploaded = created.file_id if file is not None else None

    def cleanup(wait_sec: float) -> list[CleanupStep]:
        if not delete_after:
            return []
        return _created_by_call(config, created.id, uploaded, wait_sec, on_progress)

    try:
        result = yield from _wait_then(
            config, created.id, wait_interval_sec, wait_timeout_sec, on_progress, then
        )
    except GeneratorExit:
        raise
    except SonioxError as exc:
        # After a failed poll the job may still run: wait a little for it to stop so
        # that it can be deleted. Not after the wait timed out (the caller chose not to
        # wait longer).
        if isinstance(exc, SonioxWaitTimeoutError):
            wait_sec = 0.0
        else:
            wait_sec = CLEANUP_WAIT_SEC if cleanup_wait_sec is None else cleanup_wait_sec
        yield from _clean_up(cleanup(wait_sec), strict=False)
        raise
    except BaseException:
        # A cancellation (or Ctrl-C): by default the caller wants to be done now;
        # ``cleanup_wait_sec`` asks to wait for a running job so it can be deleted.
        yield from _clean_up(cleanup(cleanup_wait_sec or 0.0), strict=False)
        raise
    yield from _clean_up(cleanup(0.0), strict=True)
    return result


def _returned(value: T) -> Op[T]:
    return value
    yield  # pragma: no cover - makes this a generator


def transcribe_and_wait(
    config: ClientConfig,
    *,
    model: str = DEFAULT_MODEL,
    audio_url: str | None = None,
    file_id: str | None = None,
    file: object = None,
    filename: str | None = None,
    client_reference_id: str | None = None,
    delete_after: bool = False,
    wait_interval_sec: float = 5.0,
    wait_timeout_sec: float | None = None,
    transcription_config: TranscriptionConfigInput = None,
    on_progress: ProgressCallback | None = None,
    cleanup_wait_sec: float | None = None,
) -> Op[Transcription]:
    """Create a transcription, wait for it to finish, and return it.

    With ``delete_after`` the transcription (and the file this call uploaded) are
    deleted afterwards, also when waiting fails or is cancelled. A transcription
    still processing when the wait times out cannot be deleted yet; the raised
    ``SonioxWaitTimeoutError`` names it. Cleanup after any other failure waits up to
    ``cleanup_wait_sec`` (default ``CLEANUP_WAIT_SEC``; after a cancellation: none)
    for a running job to stop so that it can be deleted. ``on_progress`` gets a
    ``WaitProgress`` while waiting and while cleanup waits.
    """
    return _finish(
        config,
        model=model,
        audio_url=audio_url,
        file_id=file_id,
        file=file,
        filename=filename,
        client_reference_id=client_reference_id,
        delete_after=delete_after,
        wait_interval_sec=wait_interval_sec,
        wait_timeout_sec=wait_timeout_sec,
        transcription_config=transcription_config,
        on_progress=on_progress,
        cleanup_wait_sec=cleanup_wait_sec,
        then=_returned,
    )


def transcribe_and_wait_with_tokens(
    config: ClientConfig,
    *,
    model: str = DEFAULT_MODEL,
    audio_url: str | None = None,
    file_id: str | None = None,
    file: object = None,
    filename: str | None = None,
    client_reference_id: str | None = None,
    delete_after: bool = False,
    wait_interval_sec: float = 5.0,
    wait_timeout_sec: float | None = None,
    transcription_config: TranscriptionConfigInput = None,
    on_progress: ProgressCallback | None = None,
    cleanup_wait_sec: float | None = None,
) -> Op[TranscriptionTranscript]:
    """Like ``transcribe_and_wait``, but return the transcript (fetched before any deletion)."""
    return _finish(
        config,
        model=model,
        audio_url=audio_url,
        file_id=file_id,
        file=file,
        filename=filename,
        client_reference_id=client_reference_id,
        delete_after=delete_after,
        wait_interval_sec=wait_interval_sec,
        wait_timeout_sec=wait_timeout_sec,
        transcription_config=transcription_config,
        on_progress=on_progress,
        cleanup_wait_sec=cleanup_wait_sec,
        then=lambda done: transcriptions.get_transcript(config, done.id),
    )
