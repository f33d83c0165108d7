"""Handlers for ``/v1/transcriptions``."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from . import _engine
from ._context import (
    Context,
    canonical_id,
    cursor_param,
    invalid_cursor,
    transcription_not_found,
)
from ._http import ApiErrorException, Response, ValidationError, invalid_request, json_response
from ._models import ASYNC_MODEL_IDS
from ._state import (
    InvalidCursor,
    Outcome,
    TranscriptionRecord,
    delete_transcription,
    new_id,
    utc_now_iso,
)
from ._usage import transcription_entry
from ._validation import parse_json_object, parse_limit, validate_create_transcription


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
    emulator.limits.check_transcriptions(state)
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
    char_times = None
    if text is None and file is not None and file.spoken_text is not None:
        text, char_times = file.spoken_text, file.spoken_times  # the emulator's own TTS audio
    failure = state.failures.lookup(file_id, filename, audio_url)
    outcome = Outcome(
        text=text if text is not None else _engine.DEFAULT_TEXT, duration_ms=duration, char_times=char_times
    )
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
        language_hints=fields["language_hints"],
        options=options,
        webhook_url=fields["webhook_url"],
        webhook_auth_header_name=fields["webhook_auth_header_name"],
        webhook_auth_header_value=fields["webhook_auth_header_value"],
        client_reference_id=fields["client_reference_id"],
        outcome=outcome,
    )
    state.add_transcription(record)
    if outcome.error_type is None:
        # Visible in the usage logs once the clock says the job completed.
        emulator.usage.add(
            transcription_entry(
                record.model,
                outcome.text,
                outcome.duration_ms,
                datetime.now(timezone.utc),
                record.queued_sec + record.processing_sec,
                record.finishes_at,
                record.client_reference_id,
                realtime=False,
            )
        )
    if record.webhook_url:
        emulator.webhooks.schedule(record.id, record.finishes_at)
    return json_response(201, record.to_json(state.clock()))


async def list_transcriptions(ctx: Context) -> Response:
    """GET /v1/transcriptions."""
    state = ctx.emulator._state
    limit = parse_limit(ctx.query)
    try:
        page, cursor = state.list_transcriptions(limit, cursor_param(ctx.query))
    except InvalidCursor:
        raise invalid_cursor() from None
    now = state.clock()
    return json_response(
        200,
        {"transcriptions": [t.to_json(now) for t in page], "next_page_cursor": cursor},
    )


async def count_transcriptions(ctx: Context) -> Response:
    """GET /v1/transcriptions/count."""
    total = ctx.emulator._state.count("transcriptions")
    return json_response(200, {"total": total, "public_api": total, "playground": 0})


def _find_transcription(ctx: Context) -> TranscriptionRecord:
    transcription_id = canonical_id(ctx.params["transcription_id"])
    record = ctx.emulator._state.get_transcription(transcription_id) if transcription_id else None
    if record is None:
        raise transcription_not_found()
    return record


async def get_transcription(ctx: Context) -> Response:
    """GET /v1/transcriptions/{transcription_id}."""
    record = _find_transcription(ctx)
    return json_response(200, record.to_json(ctx.emulator._state.clock()))


async def delete_transcription_handler(ctx: Context) -> Response:
    """DELETE /v1/transcriptions/{transcription_id}, and (per the spec) its file."""
    record = _find_transcription(ctx)
    emulator = ctx.emulator
    outcome = delete_transcription(emulator._state, record.id, emulator.delete_files_with_transcription)
    if outcome == "not_found":
        raise transcription_not_found()
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
        record.id, record.outcome.text, record.outcome.duration_ms, record.options, record.outcome.char_times
    )
    return json_response(200, body)
