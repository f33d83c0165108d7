"""Batch transcription (``transcribe_many``), written once for every driver.

Two generators live here. ``process_source`` takes one source from wherever a
previous run left it (nothing yet, uploaded, created) to done or failed,
recording each step in the job store before taking the next, and cleaning up
what it created. ``run_batch`` decides what to do next: how many sources to
claim from the store, when to read more of the caller's iterator, when to start
one, and how wide the window of concurrent transcriptions is after a 429. The
drivers only execute: they start the per-source operations concurrently (a task
group, a thread pool), call the job store, and hand results to the caller.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .._config import ClientConfig
from .._effects import Effect, Emit, Sleep, now, sleep
from .._errors import SonioxAPIError, SonioxError, SonioxTransportError, SonioxValidationError
from ..models import CreateTranscriptionConfig, TranscriptionTranscript
from . import files, transcriptions
from .transcriptions import DEFAULT_MODEL

__all__ = [
    "DEFAULT_CONCURRENCY",
    "BatchOptions",
    "BatchResult",
    "BatchSource",
    "ConcurrencyWindow",
    "LatencyEstimate",
    "FREED",
    "Deliver",
    "Freed",
    "NextSources",
    "Reap",
    "SonioxTranscriptionFailedError",
    "SourceState",
    "Spawn",
    "StoreCall",
    "Throttled",
    "classify_source",
    "initial_concurrency",
    "process_source",
    "reference_for",
    "run_batch",
]

DEFAULT_CONCURRENCY = 8
"""Concurrent transcriptions when the account's limit is unknown."""

SourceKind = Literal["path", "url", "file_id"]
Stage = Literal["new", "uploading", "uploaded", "creating", "created", "done", "failed"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# The 429 messages of the caps that only deleting something frees.
_QUOTA = re.compile(r"total (file|transcription) (count|size)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BatchSource:
    """One input of a batch: a local ``path``, an audio ``url`` or an uploaded ``file_id``."""

    kind: SourceKind
    value: str

    @property
    def key(self) -> str:
        """The source's identity in a job store (the same in every run)."""
        return f"{self.kind}:{self.value}"

    @classmethod
    def from_key(cls, key: str) -> BatchSource:
        """The source a job store key names."""
        kind, _, value = key.partition(":")
        if kind not in ("path", "url", "file_id"):
            raise ValueError(f"not a batch source key: {key!r}")
        return cls(kind, value)  # type: ignore[arg-type]


def classify_source(source: object) -> BatchSource:
    """What a caller's source is: ``http(s)://...`` is a URL, a UUID a file id,
    any other string or path a local file.

    Raises:
        SonioxValidationError: ``source`` is none of these.
    """
    if isinstance(source, BatchSource):
        return source
    if isinstance(source, os.PathLike):
        return BatchSource("path", str(os.fspath(source)))
    if not isinstance(source, str) or not source:
        raise SonioxValidationError("must be a path, an http(s) URL or a file id", field="sources")
    if source.startswith(("http://", "https://")):
        return BatchSource("url", source)
    if _UUID.match(source):
        return BatchSource("file_id", source)
    return BatchSource("path", source)


@dataclass(slots=True)
class SourceState:
    """Where one source stands in a job: what a job store records and hands back.

    ``resumed`` is set for a source claimed from an earlier run (its upload, if
    not yet used, may not match the file any more and is deleted).
    """

    source: BatchSource
    stage: Stage = "new"
    file_id: str | None = None
    transcription_id: str | None = None
    error_type: str | None = None
    error_message: str | None = None
    request_id: str | None = None
    cleaned: bool = False
    resumed: bool = False
    attempts: int = 0


@dataclass(slots=True)
class BatchResult:
    """What became of one source of ``transcribe_many``.

    ``transcript`` is set when it succeeded; ``error`` (a ``SonioxError``) when
    it failed. ``error_type`` and ``request_id`` are those of the service's
    answer, when there was one.
    """

    source: BatchSource
    transcript: TranscriptionTranscript | None = None
    error: SonioxError | None = None
    transcription_id: str | None = None
    file_id: str | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """Whether the source was transcribed."""
        return self.error is None

    @property
    def error_type(self) -> str | None:
        """The service's error type (or the exception's class name)."""
        if self.error is None:
            return None
        if isinstance(self.error, (SonioxAPIError, SonioxTranscriptionFailedError)):
            return self.error.error_type or type(self.error).__name__
        return type(self.error).__name__

    @property
    def request_id(self) -> str | None:
        """The request id of the failed request, if the service gave one."""
        return getattr(self.error, "request_id", None)


class SonioxTranscriptionFailedError(SonioxError):
    """A transcription ended in ``error`` (the audio could not be decoded, ...)."""

    def __init__(self, transcription_id: str, error_type: str | None, message: str | None) -> None:
        super().__init__(message or "The transcription failed.")
        self.transcription_id = transcription_id
        self.error_type = error_type
        self.request_id: str | None = None


class Throttled(Exception):
    """A per-source operation met a 429: the scheduler narrows its window and
    tries the source again later. ``quota`` marks a total count or size cap,
    which only finishing (and deleting) other work frees."""

    def __init__(self, error: SonioxAPIError) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = error.retry_after
        self.quota = bool(_QUOTA.search(error.message or ""))


# --- Effects only batch drivers perform ----------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreCall:
    """Call ``method`` of the job store with ``args``; the result is its return value."""

    method: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Deliver:
    """Hand a finished transcript to the caller's ``writer`` (outputs are written
    before the source is recorded as done); the result is None."""

    source: BatchSource
    transcript: TranscriptionTranscript


@dataclass(frozen=True, slots=True)
class Freed:
    """A source's transcription finished on the service: it no longer counts
    against the concurrency window (its transcript and cleanup are still to come).
    The driver reports ``(key, FREED)`` at the next ``Reap``; the result is None."""

    key: str


FREED = "freed"
"""What ``Reap`` reports for a source that sent ``Freed``."""


@dataclass(frozen=True, slots=True)
class NextSources:
    """Read up to ``count`` more sources from the caller's iterable; the result is
    a list (empty once it is exhausted)."""

    count: int


@dataclass(frozen=True, slots=True)
class Spawn:
    """Start ``op`` (a ``process_source``) concurrently, known by ``key``; the result is None."""

    key: str
    op: Generator[Any, Any, BatchResult]


@dataclass(frozen=True, slots=True)
class Reap:
    """Wait until a spawned operation finishes, or ``timeout`` seconds pass; the
    result is a list of ``(key, BatchResult | BaseException)``, possibly empty."""

    timeout: float | None


# --- The adaptive window -------------------------------------------------------------


class ConcurrencyWindow:
    """How many transcriptions may be in flight: starts at ``limit``, halves on a
    429 (and waits its Retry-After), grows back by one after a window's worth of
    successes. Plain arithmetic: the caller supplies the time."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.size = self.limit
        self.paused_until = 0.0
        self._successes = 0

    def room(self, running: int, now: float) -> int:
        """How many more may start now."""
        if now < self.paused_until:
            return 0
        return max(0, self.size - running)

    def throttled(self, running: int, now: float, retry_after: float | None) -> None:
        """A 429: narrow to half of what was running and pause for its Retry-After."""
        self.size = max(1, min(self.size, running + 1) // 2)
        self._successes = 0
        self.paused_until = max(self.paused_until, now + (retry_after if retry_after is not None else 1.0))

    def capped(self, running: int) -> None:
        """A total count or size cap: start nothing more until one of ``running`` ends."""
        self.size = max(1, running)
        self._successes = 0

    def succeeded(self) -> None:
        """A source went through: after ``size`` successes in a row, widen by one."""
        self._successes += 1
        if self._successes >= self.size and self.size < self.limit:
            self.size += 1
            self._successes = 0


def initial_concurrency(limits: object, requested: int | None) -> int:
    """The window to start from: ``requested`` if given, else the account's
    concurrency limit (project, then organization; from ``concurrency_limits.get``),
    else ``DEFAULT_CONCURRENCY``."""
    if requested is not None:
        return requested
    for scope in ("project", "organization"):
        values = getattr(getattr(limits, scope, None), "limits", None)
        cap = getattr(values, "transcribe_concurrent", None)
        if isinstance(cap, int) and cap > 0:
            return cap
    return DEFAULT_CONCURRENCY


# --- One source ----------------------------------------------------------------------


class LatencyEstimate:
    """How long this batch's transcriptions take, learned as they finish, so each
    wait first polls near the expected end instead of on a fixed schedule: short,
    similar files then cost one or two polls each. Shared by a batch's sources."""

    def __init__(self) -> None:
        self.seconds: float | None = None

    def observe(self, seconds: float, first_poll_found_it: bool) -> None:
        """A transcription was seen done ``seconds`` after creation. Seen at the
        first poll, it may have ended earlier: the estimate creeps down, so it
        never drifts up on its own overshoot; seen later, it moves toward ``seconds``."""
        if self.seconds is None:
            self.seconds = seconds
        elif first_poll_found_it:
            self.seconds *= 0.97
        else:
            self.seconds = 0.7 * self.seconds + 0.3 * seconds

    def delays(self, interval: float) -> Iterator[float]:
        """Pauses between polls: at the expected end first, then short steps.
        (Every poll is a request; one well-placed poll is cheaper than many.)"""
        if self.seconds is None:
            delay = min(0.05, interval)
            while True:
                yield delay
                delay = min(interval, delay * 1.5)
        yield min(interval, self.seconds)
        step = min(interval, max(0.02, 0.05 * self.seconds))
        while True:
            yield step


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Settings shared by every source of a batch (see ``transcribe_many``)."""

    model: str = DEFAULT_MODEL
    transcription_config: CreateTranscriptionConfig | Mapping[str, Any] | None = None
    client_reference_id: str | None = None
    keep: bool = False
    retry_failed: bool = False
    wait_interval_sec: float = 1.0
    max_attempts: int = 100
    quota_attempts: int = 3
    renew_sec: float = 5.0
    latency: LatencyEstimate = field(default_factory=lambda: LatencyEstimate())
    batch_read: int = 256
    extra: Mapping[str, Any] = field(default_factory=dict)


def _record(state: SourceState, **changes: Any) -> Generator[StoreCall, Any, None]:
    for name, value in changes.items():
        setattr(state, name, value)
    yield StoreCall("record", (state.source.key, changes))


def _wait_done(config: ClientConfig, state: SourceState, options: BatchOptions) -> Generator[Any, Any, Any]:
    started = yield from now()
    delays = options.latency.delays(options.wait_interval_sec)
    polls = 0
    while True:
        yield from sleep(next(delays))
        transcription = yield from transcriptions.get(config, state.transcription_id or "")
        polls += 1
        if transcription.is_done:
            options.latency.observe((yield from now()) - started, polls == 1)
            # The service's slot is free: the scheduler may start the next source
            # while this one fetches its transcript and cleans up.
            yield Freed(state.source.key)
            return transcription


def reference_for(source: BatchSource, prefix: str | None) -> str:
    """The ``client_reference_id`` a batch gives what it creates for ``source``:
    ``prefix`` (default ``soniox-batch``), a colon and a digest of the source, so a
    resumed run can find an upload or a transcription it made but never recorded."""
    digest = hashlib.sha256(source.key.encode("utf-8")).hexdigest()[:32]
    return f"{(prefix or 'soniox-batch')[:200]}:{digest}"


def _find_file(config: ClientConfig, reference: str) -> Generator[Effect, Any, list[str]]:
    found: list[str] = []
    cursor: str | None = None
    while True:
        page = yield from files.list_page(config, 1000, cursor)
        found += [f.id for f in page.files if f.client_reference_id == reference]
        cursor = page.next_page_cursor
        if not cursor:
            return found


def _find_transcription(config: ClientConfig, reference: str) -> Generator[Effect, Any, list[str]]:
    found: list[str] = []
    cursor: str | None = None
    while True:
        page = yield from transcriptions.list_page(config, 1000, cursor)
        found += [t.id for t in page.transcriptions if t.client_reference_id == reference]
        cursor = page.next_page_cursor
        if not cursor:
            return found


def _recover(config: ClientConfig, state: SourceState, reference: str) -> Generator[Any, Any, None]:
    """A run died between asking for an upload or a transcription and recording its
    id: find it by its reference. A found transcription is adopted (never created
    twice); a found or unused upload is deleted (it may not match the file any more)."""
    if state.stage == "creating" and not state.transcription_id:
        made = yield from _find_transcription(config, reference)
        if made:
            yield from _record(state, stage="created", transcription_id=made[0])
            return
    if state.source.kind != "path":
        return
    if state.stage in ("uploading", "creating"):
        for file_id in (yield from _find_file(config, reference)):
            yield from files.delete_if_exists(config, file_id)
    elif state.file_id:
        yield from files.delete_if_exists(config, state.file_id)
    yield from _record(state, stage="new", file_id=None)


def _start(config: ClientConfig, state: SourceState, options: BatchOptions) -> Generator[Any, Any, None]:
    """Upload (paths) and create the transcription, noting each intent before the
    request and each id after it."""
    source = state.source
    reference = reference_for(source, options.client_reference_id)
    if state.resumed and state.stage in ("uploading", "uploaded", "creating"):
        yield from _recover(config, state, reference)
        if state.transcription_id:
            return
    try:
        if source.kind == "path" and not state.file_id:
            yield from _record(state, stage="uploading")
            uploaded = yield from _at_most_once(
                lambda: files.upload(config, source.value, None, reference),
                lambda: _find_file(config, reference),
            )
            yield from _record(state, stage="uploaded", file_id=uploaded)
        file_id = (
            state.file_id if source.kind == "path" else source.value if source.kind == "file_id" else None
        )
        yield from _record(state, stage="creating", transcription_id=None)
        created = yield from _at_most_once(
            lambda: transcriptions.create(
                config,
                model=options.model,
                file_id=file_id,
                audio_url=source.value if source.kind == "url" else None,
                client_reference_id=reference,
                transcription_config=options.transcription_config,
            ),
            lambda: _find_transcription(config, reference),
        )
    except SonioxAPIError as exc:
        if exc.status_code == 429:
            raise Throttled(exc) from exc
        raise
    yield from _record(state, stage="created", transcription_id=created)


def _at_most_once(
    make: Callable[[], Generator[Any, Any, Any]],
    find: Callable[[], Generator[Any, Any, list[str]]],
    attempts: int = 3,
) -> Generator[Any, Any, str]:
    """Create something once; the id of what was created.

    A POST whose connection broke after it was sent is not retried blindly (it
    may have gone through): what it would have created is looked up by its
    reference first, and only if absent is it asked for again.
    """
    for attempt in range(attempts):
        try:
            made = yield from make()
            return str(made.id)
        except SonioxTransportError:
            if attempt == attempts - 1:
                raise
            found = yield from find()
            if found:
                return found[0]
    raise AssertionError("unreachable")  # pragma: no cover


def _clean(
    config: ClientConfig, state: SourceState, *, finished: bool, reference: str | None = None
) -> Generator[Any, Any, None]:
    """Delete what this job created for the source. A transcription still running
    (409) is left for a resumed run to wait on, with its file. Interrupted while
    an upload or a creation was under way, it looks the answer up by ``reference``
    (the request may have gone through without its reply)."""
    if not finished and reference is not None and state.stage in ("uploading", "creating"):
        if state.stage == "creating" and not state.transcription_id:
            made = yield from _find_transcription(config, reference)
            if made:
                yield from _record(state, stage="created", transcription_id=made[0])
        if state.source.kind == "path" and not state.file_id:
            found = yield from _find_file(config, reference)
            if found:
                yield from _record(state, file_id=found[0])
    if state.transcription_id:
        try:
            yield from transcriptions.delete_if_exists(config, state.transcription_id)
        except SonioxAPIError as exc:
            if exc.status_code == 409 and not finished:
                return
            raise
    if state.file_id and state.source.kind == "path":
        yield from files.delete_if_exists(config, state.file_id)
    if finished:
        yield from _record(state, cleaned=True)
    else:
        # Interrupted before the end: nothing of it is left, so a resume starts afresh.
        yield from _record(state, stage="new", file_id=None, transcription_id=None)


def process_source(
    config: ClientConfig, state: SourceState, options: BatchOptions
) -> Generator[Any, Any, BatchResult]:
    """Take one source to done or failed from where ``state`` says it stands.

    A 429 while uploading or creating raises ``Throttled`` with the state kept
    (an upload is reused on the next try). Other failures become the result's
    ``error`` and are recorded. Unless ``options.keep``, the transcription and
    the file this job uploaded are deleted afterwards; when the operation is
    cancelled, what can be deleted is, and the source goes back to ``new``.
    """
    result = BatchResult(state.source)
    if state.stage == "done" or (state.stage == "failed" and not options.retry_failed):
        # Finished by an earlier run that died before deleting what it made.
        result.skipped = True
        if not options.keep:
            yield from _clean(config, state, finished=True)
        return result
    if state.stage == "failed":
        kept = None if state.cleaned else state.file_id
        yield from _record(state, stage="new", transcription_id=None, file_id=kept, cleaned=False)
    try:
        if state.stage != "created" or not state.transcription_id:
            yield from _start(config, state, options)
        done = yield from _wait_done(config, state, options)
        if done.status == "error":
            raise SonioxTranscriptionFailedError(done.id, done.error_type, done.error_message)
        transcript = yield from transcriptions.get_transcript(config, done.id)
        yield Deliver(state.source, transcript)
        result.transcript = transcript
        yield from _record(state, stage="done", error_type=None, error_message=None, request_id=None)
    except (Throttled, GeneratorExit):
        raise
    except SonioxError as exc:
        result.error = exc
        yield from _record(
            state,
            stage="failed",
            error_type=result.error_type,
            error_message=getattr(exc, "message", None) or str(exc),
            request_id=result.request_id,
        )
    except BaseException:
        # Cancelled (or the writer failed): delete what can be, so nothing is orphaned.
        if not options.keep:
            with contextlib.suppress(SonioxError):
                reference = reference_for(state.source, options.client_reference_id)
                yield from _clean(config, state, finished=False, reference=reference)
        raise
    result.transcription_id, result.file_id = state.transcription_id, state.file_id
    if not options.keep:
        yield from _clean(config, state, finished=True)
    return result


# --- The scheduler -------------------------------------------------------------------


def run_batch(
    config: ClientConfig,
    options: BatchOptions,
    concurrency: int,
    factory: Callable[[SourceState], Generator[Any, Any, BatchResult]] | None = None,
) -> Generator[Any, Any, None]:
    """Claim sources from the job store, run them ``concurrency`` wide (narrowing on
    429s), and emit each ``BatchResult`` as it finishes.

    The store is fed from the caller's iterable in slices of ``options.batch_read``,
    only when it has nothing left to claim, so memory stays flat in the number
    of sources. Once both are exhausted, sources that other workers still hold
    are waited for (their lease may expire and make them ours).
    """
    make = factory or (lambda state: process_source(config, state, options))
    window = ConcurrencyWindow(concurrency)
    running: dict[str, SourceState] = {}
    # Sources holding a slot of the service's concurrency (running minus those whose
    # transcription already finished and which only fetch and clean up now).
    holding: set[str] = set()
    retry: list[SourceState] = []
    exhausted = False
    renewed = yield from now()
    while True:
        t = yield from now()
        if t - renewed >= options.renew_sec:
            # Keep our claims: a worker that stops renewing loses them after the lease.
            yield StoreCall("renew", ())
            renewed = t
        # At most twice the window in flight: those past their transcription are cheap.
        room = min(window.room(len(holding), t), 2 * window.limit - len(running))
        while room > 0:
            if retry:
                state = retry.pop(0)
            else:
                claimed = yield StoreCall("claim", (room, options.retry_failed))
                if not claimed and not exhausted:
                    fresh = yield NextSources(options.batch_read)
                    if fresh:
                        yield StoreCall("add", (fresh,))
                        continue
                    exhausted = True
                    continue
                if not claimed:
                    break
                retry.extend(claimed[1:])
                state = claimed[0]
            running[state.source.key] = state
            holding.add(state.source.key)
            yield Spawn(state.source.key, make(state))
            room -= 1
        if not running:
            if retry or t < window.paused_until:
                yield Sleep(max(0.0, window.paused_until - t))
                continue
            others = yield StoreCall("unfinished", (options.retry_failed,))
            if not others:
                return
            # Another worker holds them; wait for it to finish or for its lease to lapse.
            yield from sleep(min(1.0, options.wait_interval_sec))
            continue
        wake = (
            options.renew_sec if window.paused_until <= t else min(options.renew_sec, window.paused_until - t)
        )
        finished = yield Reap(wake)
        emitted: list[BatchResult] = []
        for key, outcome in finished:
            holding.discard(key)
            if outcome == FREED:
                continue
            state = running.pop(key)
            if isinstance(outcome, Throttled):
                t = yield from now()
                if outcome.quota and running:
                    window.capped(len(holding))
                else:
                    window.throttled(len(holding), t, outcome.retry_after)
                # A total count or size cap is freed only by deleting: by our own
                # running sources finishing (unless kept). While they run, waiting is
                # not blind and is not counted; with nothing of ours to wait for, a
                # few pauses (someone else may delete), then it is reported.
                if not (outcome.quota and running):
                    state.attempts += 1
                hopeless = outcome.quota and (options.keep or state.attempts >= options.quota_attempts)
                if hopeless or state.attempts >= options.max_attempts:
                    emitted.append((yield from _give_up(config, state, outcome, options)))
                    continue
                retry.append(state)
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                if outcome.ok:
                    window.succeeded()
                yield StoreCall("release", (key,))
                emitted.append(outcome)
        if emitted:
            yield Emit(emitted)


def _give_up(
    config: ClientConfig, state: SourceState, throttled: Throttled, options: BatchOptions
) -> Generator[Any, Any, BatchResult]:
    """A source the limits kept out too long: recorded as failed with the 429, its
    unused upload deleted (unless ``keep``)."""
    error = throttled.error
    result = BatchResult(state.source, error=error, file_id=state.file_id)
    yield from _record(
        state,
        stage="failed",
        error_type=error.error_type or "limit_exceeded",
        error_message=error.message,
        request_id=error.request_id,
    )
    if not options.keep and state.file_id and state.source.kind == "path":
        yield from files.delete_if_exists(config, state.file_id)
        yield from _record(state, cleaned=True)
    yield StoreCall("release", (state.source.key,))
    return result
