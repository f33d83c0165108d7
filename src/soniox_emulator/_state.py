"""In-memory service state: files, transcriptions, temporary keys and request counts.

Every public method takes the lock, because the ASGI handlers run on the server's
event-loop thread while tests poke at the same state from their own thread.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol, TypeVar

from ._engine import TranscriptOptions

MASKED_SECRET = "******************"


def utc_now_iso(offset_seconds: float = 0.0) -> str:
    """An RFC 3339 UTC timestamp with millisecond precision and a ``Z`` suffix."""
    moment = datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class FileRecord:
    """An uploaded file; only its size, digest and first bytes are kept."""

    id: str
    seq: int
    filename: str
    size: int
    created_at: str
    client_reference_id: str | None
    sha256: str
    head: bytes
    duration_ms: int
    spoken_text: str | None = None  # recognised from the emulator's own TTS audio
    spoken_times: list[tuple[int, int]] | None = None  # when each of its characters sounds

    def to_json(self) -> dict[str, Any]:
        """The File schema."""
        return {
            "id": self.id,
            "filename": self.filename,
            "size": self.size,
            "created_at": self.created_at,
            "client_reference_id": self.client_reference_id,
        }


@dataclass
class Outcome:
    """How a transcription ends, fixed when it is created."""

    text: str
    duration_ms: int
    error_type: str | None = None
    error_message: str | None = None
    char_times: list[tuple[int, int]] | None = None  # per character of ``text``, if heard


@dataclass
class TranscriptionRecord:
    """A transcription job whose status is derived from the clock, not from a worker."""

    id: str
    seq: int
    created_at: str
    created_clock: float
    queued_sec: float
    processing_sec: float
    model: str
    audio_url: str | None
    file_id: str | None
    filename: str
    language_hints: list[str] | None
    options: TranscriptOptions
    webhook_url: str | None
    webhook_auth_header_name: str | None
    webhook_auth_header_value: str | None
    client_reference_id: str | None
    outcome: Outcome
    webhook_status_code: int | None = None

    @property
    def finishes_at(self) -> float:
        """Clock time at which the job reaches completed or error."""
        return self.created_clock + self.queued_sec + self.processing_sec

    def status(self, now: float) -> str:
        """queued -> processing -> completed|error, by elapsed clock time."""
        elapsed = now - self.created_clock
        if elapsed < self.queued_sec:
            return "queued"
        if elapsed < self.queued_sec + self.processing_sec:
            return "processing"
        return "error" if self.outcome.error_type else "completed"

    def to_json(self, now: float) -> dict[str, Any]:
        """The Transcription schema as seen at clock time ``now``."""
        status = self.status(now)
        failed = status == "error"
        return {
            "id": self.id,
            "status": status,
            "created_at": self.created_at,
            "model": self.model,
            "audio_url": self.audio_url,
            "file_id": self.file_id,
            "filename": self.filename,
            "language_hints": self.language_hints,
            "enable_speaker_diarization": self.options.enable_speaker_diarization,
            "enable_language_identification": self.options.enable_language_identification,
            # Like the service, the duration is only known once processing has begun.
            "audio_duration_ms": None if status == "queued" else self.outcome.duration_ms,
            "error_type": self.outcome.error_type if failed else None,
            "error_message": self.outcome.error_message if failed else None,
            "webhook_url": self.webhook_url,
            "webhook_auth_header_name": self.webhook_auth_header_name,
            "webhook_auth_header_value": (
                MASKED_SECRET if self.webhook_auth_header_value is not None else None
            ),
            "webhook_status_code": self.webhook_status_code,
            "client_reference_id": self.client_reference_id,
        }


@dataclass
class TemporaryKey:
    """A minted temporary key (``snx_temp_...``) and how it may still be used."""

    key: str
    usage_type: str
    expires_clock: float
    single_use: bool
    max_session_duration_seconds: int | None
    client_reference_id: str | None
    uses: int = 0


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator received it (headers lower-cased)."""

    method: str
    path: str
    route: str
    headers: dict[str, str]


@dataclass
class Matchers:
    """Test-provided values keyed by file id, filename or audio URL."""

    by_file_id: dict[str, Any] = field(default_factory=dict)
    by_filename: dict[str, Any] = field(default_factory=dict)
    by_audio_url: dict[str, Any] = field(default_factory=dict)

    def set(self, value: Any, file_id: str | None, filename: str | None, audio_url: str | None) -> None:
        """Register ``value`` under each key given; at least one key is required."""
        if file_id is None and filename is None and audio_url is None:
            raise TypeError("give at least one of file_id, filename or audio_url")
        if file_id is not None:
            self.by_file_id[file_id] = value
        if filename is not None:
            self.by_filename[filename] = value
        if audio_url is not None:
            self.by_audio_url[audio_url] = value

    def lookup(self, file_id: str | None, filename: str | None, audio_url: str | None) -> Any:
        """The most specific match: file id, then filename, then audio URL."""
        for table, key in (
            (self.by_file_id, file_id),
            (self.by_filename, filename),
            (self.by_audio_url, audio_url),
        ):
            if key is not None and key in table:
                return table[key]
        return None


class _Sequenced(Protocol):
    seq: int


_T = TypeVar("_T", bound=_Sequenced)


class InvalidCursor(Exception):
    """The cursor was not issued by this emulator for this listing."""


def _encode_cursor(kind: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{seq}".encode()).decode().rstrip("=")


def _decode_cursor(kind: str, cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, seq = raw.partition(":")
        if prefix != kind:
            raise InvalidCursor(cursor)
        return int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor(cursor) from exc


def paginate(kind: str, items: Sequence[_T], limit: int, cursor: str | None) -> tuple[list[_T], str | None]:
    """Newest-first pages. The cursor names the last item's sequence number, so
    deleting items between page requests neither skips nor repeats the others."""
    ordered = sorted(items, key=lambda item: item.seq, reverse=True)
    if cursor is not None:
        after = _decode_cursor(kind, cursor)
        ordered = [item for item in ordered if item.seq < after]
    page = ordered[:limit]
    more = len(ordered) > limit
    return page, (_encode_cursor(kind, page[-1].seq) if more and page else None)


class State:
    """All mutable emulator state behind one re-entrant lock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self.files: dict[str, FileRecord] = {}
        self.transcriptions: dict[str, TranscriptionRecord] = {}
        self.temporary_keys: dict[str, TemporaryKey] = {}
        self.transcripts = Matchers()
        self.failures = Matchers()
        self.counts: Counter[tuple[str, str]] = Counter()
        self.requests: list[RecordedRequest] = []
        self._seq = 0

    def clear(self) -> None:
        """Forget everything."""
        with self.lock:
            self.files.clear()
            self.transcriptions.clear()
            self.temporary_keys.clear()
            self.transcripts = Matchers()
            self.failures = Matchers()
            self.counts.clear()
            self.requests.clear()

    def next_seq(self) -> int:
        """A strictly increasing number that orders records by creation."""
        with self.lock:
            self._seq += 1
            return self._seq

    def record_request(self, request: RecordedRequest) -> None:
        """Count a request under its route template and keep it in the log."""
        with self.lock:
            self.counts[(request.method, request.route)] += 1
            self.requests.append(request)

    # Files ------------------------------------------------------------------------------

    def add_file(self, record: FileRecord) -> None:
        """Store an uploaded file."""
        with self.lock:
            self.files[record.id] = record

    def get_file(self, file_id: str) -> FileRecord | None:
        """The file, or None."""
        with self.lock:
            return self.files.get(file_id)

    def delete_file(self, file_id: str) -> bool:
        """Delete a file; False if it did not exist."""
        with self.lock:
            return self.files.pop(file_id, None) is not None

    def list_files(self, limit: int, cursor: str | None) -> tuple[list[FileRecord], str | None]:
        """One page of files, newest first."""
        with self.lock:
            return paginate("files", list(self.files.values()), limit, cursor)

    def count(self, kind: str) -> int:
        """How many files (``"files"``) or transcriptions (``"transcriptions"``) exist."""
        with self.lock:
            return len(self.files if kind == "files" else self.transcriptions)

    # Transcriptions ---------------------------------------------------------------------

    def add_transcription(self, record: TranscriptionRecord) -> None:
        """Store a new transcription."""
        with self.lock:
            self.transcriptions[record.id] = record

    def get_transcription(self, transcription_id: str) -> TranscriptionRecord | None:
        """The transcription, or None."""
        with self.lock:
            return self.transcriptions.get(transcription_id)

    def list_transcriptions(
        self, limit: int, cursor: str | None
    ) -> tuple[list[TranscriptionRecord], str | None]:
        """One page of transcriptions, newest first."""
        with self.lock:
            return paginate("transcriptions", list(self.transcriptions.values()), limit, cursor)

    def set_webhook_status(self, transcription_id: str, status_code: int) -> None:
        """Record what the webhook receiver answered."""
        with self.lock:
            record = self.transcriptions.get(transcription_id)
            if record is not None:
                record.webhook_status_code = status_code

    # Temporary keys ---------------------------------------------------------------------

    def mint_temporary_key(
        self,
        usage_type: str,
        expires_in_seconds: int,
        single_use: bool,
        max_session_duration_seconds: int | None,
        client_reference_id: str | None,
    ) -> TemporaryKey:
        """Create a temporary key that expires ``expires_in_seconds`` from now."""
        key = new_temporary_key()
        record = TemporaryKey(
            key=key,
            usage_type=usage_type,
            expires_clock=self.clock() + expires_in_seconds,
            single_use=single_use,
            max_session_duration_seconds=max_session_duration_seconds,
            client_reference_id=client_reference_id,
        )
        with self.lock:
            self.temporary_keys[key] = record
        return record

    def use_temporary_key(self, key: str, usage_type: str) -> bool:
        """Spend one use of a temporary key if it is valid for ``usage_type``."""
        with self.lock:
            record = self.temporary_keys.get(key)
            if record is None or record.usage_type != usage_type:
                return False
            if self.clock() >= record.expires_clock:
                return False
            if record.single_use and record.uses > 0:
                return False
            record.uses += 1
            return True


TEMPORARY_KEY_PREFIX = "snx_temp_"


def new_temporary_key() -> str:
    """A fresh temporary key in the service's current format: ``snx_temp_`` and three
    base64url parts joined by dots, as long as the documented example's."""
    parts = (secrets.token_urlsafe(33), secrets.token_urlsafe(64), secrets.token_urlsafe(4))
    return TEMPORARY_KEY_PREFIX + ".".join(parts)


def new_id() -> str:
    """A fresh UUID4 string, the id format of every Soniox resource."""
    return str(uuid.uuid4())


def delete_transcription(state: State, transcription_id: str, with_file: bool) -> str:
    """Delete a finished transcription (and, if asked, its uploaded file).

    Returns ``"deleted"``, ``"not_found"`` or ``"busy"`` (still queued or processing).
    """
    with state.lock:
        record = state.transcriptions.get(transcription_id)
        if record is None:
            return "not_found"
        if record.status(state.clock()) in ("queued", "processing"):
            return "busy"
        del state.transcriptions[transcription_id]
        if with_file and record.file_id is not None:
            state.files.pop(record.file_id, None)
        return "deleted"
