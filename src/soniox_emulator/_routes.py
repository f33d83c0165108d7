"""The REST handlers: one small async function per operation, plus the route table."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import _engine
from ._http import (
    ApiErrorException,
    Receive,
    Response,
    ValidationError,
    invalid_request,
    json_response,
)
from ._models import ASYNC_MODEL_IDS, MODELS, TTS_MODELS
from ._state import (
    FileRecord,
    InvalidCursor,
    Outcome,
    TranscriptionRecord,
    delete_transcription,
    new_id,
    utc_now_iso,
)
from ._uploads import read_upload
from ._validation import (
    parse_json_object,
    parse_limit,
    validate_create_transcription,
    validate_temporary_key,
)

if TYPE_CHECKING:
    from ._emulator import Emulator

_MAX_JSON_BODY = 1 << 20


@dataclass
class Context:
    """Everything a handler may look at for one request."""

    emulator: Emulator
    receive: Receive
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]

    async def body(self) -> bytes:
        """The whole (small, JSON) request body."""
        chunks = bytearray()
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                break
            chunks += message.get("body", b"")
            if len(chunks) > _MAX_JSON_BODY:
                raise invalid_request(
                    [ValidationError("value_error", "body", "Request body is too large")]
                )
            if not message.get("more_body", False):
                break
        return bytes(chunks)


Handler = Callable[[Context], Awaitable[Response]]


def _canonical_id(raw: str) -> str | None:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def _file_not_found() -> ApiErrorException:
    return ApiErrorException(404, "file_not_found", "File not found.")


def _transcription_not_found() -> ApiErrorException:
    return ApiErrorException(404, "transcription_not_found", "Transcription not found.")


def _cursor(query: dict[str, str]) -> str | None:
    # An empty ``cursor=`` means "from the start", like omitting it.
    return query.get("cursor") or None


def _invalid_cursor() -> ApiErrorException:
    return ApiErrorException(
        400,
        "invalid_cursor",
        "The cursor is invalid. Omit it to start paginating from the beginning.",
    )


# Models and keys -------------------------------------------------------------------------


async def get_models(ctx: Context) -> Response:
    """GET /v1/models."""
    return json_response(200, {"models": MODELS})


async def get_tts_models(ctx: Context) -> Response:
    """GET /v1/tts-models."""
    return json_response(200, {"models": TTS_MODELS})


async def create_temporary_api_key(ctx: Context) -> Response:
    """POST /v1/auth/temporary-api-key."""
    fields = validate_temporary_key(parse_json_object(await ctx.body()))
    key = ctx.emulator._state.mint_temporary_key(
        usage_type=fields["usage_type"],
        expires_in_seconds=fields["expires_in_seconds"],
        single_use=bool(fields["single_use"]),
        max_session_duration_seconds=fields["max_session_duration_seconds"],
        client_reference_id=fields["client_reference_id"],
    )
    expires_at = utc_now_iso(fields["expires_in_seconds"])
    return json_response(201, {"api_key": key.key, "expires_at": expires_at})


async def get_concurrency_limits(ctx: Context) -> Response:
    """GET /v1/concurrency-limits (static numbers; the emulator enforces none)."""
    scope = {
        "current": {"transcribe_concurrent": 0, "tts_concurrent": 0},
        "limits": {"transcribe_concurrent": None, "tts_concurrent": None},
    }
    return json_response(200, {"project": scope, "organization": scope})


async def get_usage_logs(ctx: Context) -> Response:
    """GET /v1/usage-logs: validates the window and reports no usage."""
    errors = [
        ValidationError("missing", f"query.{name}", "Field required")
        for name in ("start_time", "end_time")
        if not ctx.query.get(name)
    ]
    if errors:
        raise invalid_request(errors, "Invalid query parameters.")
    parse_limit(ctx.query)
    if _cursor(ctx.query) is not None:
        raise _invalid_cursor()  # no page is ever issued, so no cursor can be valid
    return json_response(200, {"usage_logs": [], "next_page_cursor": None})


# Files -----------------------------------------------------------------------------------


async def upload_file(ctx: Context) -> Response:
    """POST /v1/files (multipart, streamed)."""
    emulator = ctx.emulator
    upload = await read_upload(
        ctx.headers.get("content-type", ""), ctx.receive, emulator.max_upload_bytes
    )
    record = FileRecord(
        id=new_id(),
        seq=emulator._state.next_seq(),
        filename=upload.filename,
        size=upload.size,
        created_at=utc_now_iso(),
        client_reference_id=upload.client_reference_id,
        sha256=upload.sha256,
        head=upload.head,
        duration_ms=_engine.estimate_duration_ms(upload.head, upload.size),
    )
    emulator._state.add_file(record)
    return json_response(201, record.to_json())


async def list_files(ctx: Context) -> Response:
    """GET /v1/files."""
    limit = parse_limit(ctx.query)
    try:
        page, cursor = ctx.emulator._state.list_files(limit, _cursor(ctx.query))
    except InvalidCursor:
        raise _invalid_cursor() from None
    return json_response(200, {"files": [f.to_json() for f in page], "next_page_cursor": cursor})


async def count_files(ctx: Context) -> Response:
    """GET /v1/files/count: every file counts as uploaded through the public API."""
    total = len(ctx.emulator._state.files)
    return json_response(200, {"total": total, "public_api": total, "playground": 0})


async def get_file(ctx: Context) -> Response:
    """GET /v1/files/{file_id}."""
    file_id = _canonical_id(ctx.params["file_id"])
    record = ctx.emulator._state.get_file(file_id) if file_id else None
    if record is None:
        raise _file_not_found()
    return json_response(200, record.to_json())


async def delete_file(ctx: Context) -> Response:
    """DELETE /v1/files/{file_id}."""
    file_id = _canonical_id(ctx.params["file_id"])
    if not file_id or not ctx.emulator._state.delete_file(file_id):
        raise _file_not_found()
    return Response(204, content_type=None)


# Transcriptions --------------------------------------------------------------------------


def _url_filename(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1] or url


def _unreachable(url: str) -> bool:
    # RFC 6761 reserves ".invalid"; such hosts stand in for audio that cannot be fetched.
    host = (urlsplit(url).hostname or "").lower()
    return host == "invalid" or host.endswith(".invalid")


async def create_transcription(ctx: Context) -> Response:
    """POST /v1/transcriptions."""
    emulator = ctx.emulator
    state = emulator._state
    fields = validate_create_transcription(parse_json_object(await ctx.body()))
    errors: list[ValidationError] = []
    if fields["model"] not in ASYNC_MODEL_IDS:
        errors.append(ValidationError("value_error", "body.payload.model", "Invalid model"))
    audio_url: str | None = fields["audio_url"]
    file_id: str | None = fields["file_id"]
    file = state.get_file(file_id) if file_id else None
    if file_id and file is None:
        # The OpenAPI document lists no 404 for this operation, so an unknown file is a
        # validation failure of the payload, like an unknown model.
        errors.append(ValidationError("value_error", "body.payload.file_id", "File not found"))
    if errors:
        raise invalid_request(errors)

    filename = file.filename if file else _url_filename(audio_url or "")
    duration = file.duration_ms if file else _engine.url_duration_ms()
    text = state.transcripts.lookup(file_id, filename, audio_url)
    failure = state.failures.lookup(file_id, filename, audio_url)
    outcome = Outcome(text=text if text is not None else _engine.DEFAULT_TEXT, duration_ms=duration)
    if failure is not None:
        outcome.error_type, outcome.error_message = failure
    elif audio_url and _unreachable(audio_url):
        outcome.error_type = "audio_download_error"
        outcome.error_message = f"Could not download audio from {audio_url}."

    options = _engine.TranscriptOptions(
        enable_speaker_diarization=bool(fields["enable_speaker_diarization"]),
        enable_language_identification=bool(fields["enable_language_identification"]),
        language_hints=tuple(fields["language_hints"] or ()),
        translation=fields["translation"],
    )
    record = TranscriptionRecord(
        id=new_id(),
        seq=state.next_seq(),
        created_at=utc_now_iso(),
        created_clock=state.clock(),
        queued_sec=emulator.queued_sec,
        processing_sec=emulator.processing_sec,
        model=fields["model"],
        audio_url=audio_url,
        file_id=file_id,
        filename=filename,
        options=options,
        webhook_url=fields["webhook_url"],
        webhook_auth_header_name=fields["webhook_auth_header_name"],
        webhook_auth_header_value=fields["webhook_auth_header_value"],
        client_reference_id=fields["client_reference_id"],
        outcome=outcome,
    )
    state.add_transcription(record)
    if record.webhook_url:
        emulator.webhooks.schedule(record.id, record.finishes_at)
    return json_response(201, record.to_json(state.clock()))


async def list_transcriptions(ctx: Context) -> Response:
    """GET /v1/transcriptions."""
    state = ctx.emulator._state
    limit = parse_limit(ctx.query)
    try:
        page, cursor = state.list_transcriptions(limit, _cursor(ctx.query))
    except InvalidCursor:
        raise _invalid_cursor() from None
    now = state.clock()
    return json_response(
        200,
        {"transcriptions": [t.to_json(now) for t in page], "next_page_cursor": cursor},
    )


async def count_transcriptions(ctx: Context) -> Response:
    """GET /v1/transcriptions/count."""
    total = len(ctx.emulator._state.transcriptions)
    return json_response(200, {"total": total, "public_api": total, "playground": 0})


def _find_transcription(ctx: Context) -> TranscriptionRecord:
    transcription_id = _canonical_id(ctx.params["transcription_id"])
    record = ctx.emulator._state.get_transcription(transcription_id) if transcription_id else None
    if record is None:
        raise _transcription_not_found()
    return record


async def get_transcription(ctx: Context) -> Response:
    """GET /v1/transcriptions/{transcription_id}."""
    record = _find_transcription(ctx)
    return json_response(200, record.to_json(ctx.emulator._state.clock()))


async def delete_transcription_handler(ctx: Context) -> Response:
    """DELETE /v1/transcriptions/{transcription_id}, and (per the spec) its file."""
    record = _find_transcription(ctx)
    emulator = ctx.emulator
    outcome = delete_transcription(
        emulator._state, record.id, emulator.delete_files_with_transcription
    )
    if outcome == "not_found":
        raise _transcription_not_found()
    if outcome == "busy":
        raise ApiErrorException(
            409,
            "transcription_invalid_state",
            "The transcription is still processing; wait until it is completed or failed.",
        )
    return Response(204, content_type=None)


async def get_transcript(ctx: Context) -> Response:
    """GET /v1/transcriptions/{transcription_id}/transcript."""
    record = _find_transcription(ctx)
    status = record.status(ctx.emulator._state.clock())
    if status == "error":
        raise ApiErrorException(
            409,
            "transcription_invalid_state",
            "The transcription ended in the error state, so it has no transcript.",
        )
    if status != "completed":
        raise ApiErrorException(
            409,
            "transcription_invalid_state",
            f"The transcription is not completed yet (status: {status}).",
        )
    body = _engine.build_transcript(
        record.id, record.outcome.text, record.outcome.duration_ms, record.options
    )
    return json_response(200, body)


# Routing ---------------------------------------------------------------------------------

ROUTES: list[tuple[str, dict[str, Handler]]] = [
    ("/v1/models", {"GET": get_models}),
    ("/v1/tts-models", {"GET": get_tts_models}),
    ("/v1/auth/temporary-api-key", {"POST": create_temporary_api_key}),
    ("/v1/concurrency-limits", {"GET": get_concurrency_limits}),
    ("/v1/usage-logs", {"GET": get_usage_logs}),
    ("/v1/files", {"GET": list_files, "POST": upload_file}),
    ("/v1/files/count", {"GET": count_files}),
    ("/v1/files/{file_id}", {"GET": get_file, "DELETE": delete_file}),
    ("/v1/transcriptions", {"GET": list_transcriptions, "POST": create_transcription}),
    ("/v1/transcriptions/count", {"GET": count_transcriptions}),
    (
        "/v1/transcriptions/{transcription_id}",
        {"GET": get_transcription, "DELETE": delete_transcription_handler},
    ),
    ("/v1/transcriptions/{transcription_id}/transcript", {"GET": get_transcript}),
]

_COMPILED = [
    (re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"), template, methods)
    for template, methods in ROUTES
]


@dataclass(frozen=True)
class Match:
    """The route a request path matched."""

    template: str
    methods: dict[str, Handler]
    params: dict[str, str]


def match(path: str) -> Match | None:
    """Find the route for ``path``. Literal routes are listed before templated ones."""
    for pattern, template, methods in _COMPILED:
        found = pattern.match(path)
        if found:
            return Match(template, methods, found.groupdict())
    return None


def route_template(path: str) -> str:
    """The route template for ``path``, or the path itself when no route matches."""
    found = match(path)
    return found.template if found else path
