"""Handlers for ``/v1/voices`` (the store and lifecycle live in ``_voice_store``)."""

from __future__ import annotations

from . import _engine
from ._context import Context, canonical_id, cursor_param, invalid_cursor
from ._http import ApiErrorException, Response, ValidationError, invalid_request, json_response
from ._state import InvalidCursor, paginate
from ._tts_catalog import TTS_MODELS_BY_ID
from ._uploads import read_upload
from ._validation import parse_json_object
from ._voice_store import VoiceRecord

_MAX_NAME = 128


def _voice_not_found() -> ApiErrorException:
    return ApiErrorException(404, "invalid_request", "Voice not found.")


def _find(ctx: Context) -> VoiceRecord:
    voice_id = canonical_id(ctx.params["voice_id"])
    record = ctx.emulator.voices.get(voice_id) if voice_id else None
    if record is None:
        raise _voice_not_found()
    return record


async def create_voice(ctx: Context) -> Response:
    """POST /v1/voices (multipart: ``name`` and ``file``)."""
    voices = ctx.emulator.voices
    upload = await read_upload(
        ctx.headers.get("content-type", ""), ctx.receive, ctx.emulator.max_upload_bytes, text_fields=("name",)
    )
    name = upload.fields.get("name")
    if name is None:
        raise invalid_request([ValidationError("missing", "body.name", "Field required")])
    if not 1 <= len(name) <= _MAX_NAME:
        raise invalid_request(
            [
                ValidationError(
                    "string_too_long", "body.name", f"String should have 1 to {_MAX_NAME} characters"
                )
            ]
        )
    record = voices.create(name, upload.filename, _engine.estimate_duration_ms(upload.head, upload.size))
    if record is None:
        raise ApiErrorException(
            409, "invalid_request", f"A voice named '{name}' already exists in this project."
        )
    return json_response(201, record.to_json(voices.clock()))


async def list_voices(ctx: Context) -> Response:
    """GET /v1/voices (``limit`` 1-1000, default 1000)."""
    voices = ctx.emulator.voices
    raw = ctx.query.get("limit")
    limit = 1000
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 1000:
            raise invalid_request(
                [ValidationError("value_error", "query.limit", "Input should be between 1 and 1000")]
            )
    with voices.lock:
        records = list(voices.records.values())
    try:
        page, cursor = paginate("voices", records, limit, cursor_param(ctx.query))
    except InvalidCursor:
        raise invalid_cursor() from None
    now = voices.clock()
    return json_response(200, {"voices": [v.to_json(now) for v in page], "next_page_cursor": cursor})


async def count_voices(ctx: Context) -> Response:
    """GET /v1/voices/count."""
    with ctx.emulator.voices.lock:
        total = len(ctx.emulator.voices.records)
    return json_response(200, {"total": total})


async def get_voice(ctx: Context) -> Response:
    """GET /v1/voices/{voice_id}."""
    record = _find(ctx)
    return json_response(200, record.to_json(ctx.emulator.voices.clock()))


async def delete_voice(ctx: Context) -> Response:
    """DELETE /v1/voices/{voice_id}."""
    record = _find(ctx)
    voices = ctx.emulator.voices
    with voices.lock:
        voices.records.pop(record.id, None)
    return Response(204, content_type=None)


async def recompute_voice(ctx: Context) -> Response:
    """POST /v1/voices/{voice_id}/recompute (JSON ``{"model": ...}``, optional)."""
    record = _find(ctx)
    body = await ctx.body()
    payload = parse_json_object(body) if body.strip() else {}
    model = payload.get("model")
    if model is not None:
        if not isinstance(model, str):
            raise invalid_request(
                [ValidationError("string_type", "body.model", "Input should be a valid string")]
            )
        found = TTS_MODELS_BY_ID.get(model)
        if found is None or not found["supports_voice_cloning"]:
            raise invalid_request(
                [
                    ValidationError(
                        "value_error", "body.model", f"Model '{model}' does not support voice cloning."
                    )
                ]
            )
    ctx.emulator.voices.recompute(record, model)
    return json_response(200, record.to_json(ctx.emulator.voices.clock()))
