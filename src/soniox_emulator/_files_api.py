"""Handlers for ``/v1/files``."""

from __future__ import annotations

from . import _engine
from ._context import Context, canonical_id, cursor_param, file_not_found, invalid_cursor
from ._http import Response, json_response
from ._state import FileRecord, InvalidCursor, new_id, utc_now_iso
from ._uploads import read_upload
from ._validation import parse_limit


async def upload_file(ctx: Context) -> Response:
    """POST /v1/files (multipart, streamed)."""
    emulator = ctx.emulator
    upload = await read_upload(ctx.headers.get("content-type", ""), ctx.receive, emulator.max_upload_bytes)
    emulator.limits.check_file_count(emulator._state)
    emulator.limits.check_file_size(emulator._state, upload.size)
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
        spoken_text=upload.spoken_text,
        spoken_times=upload.spoken_times,
    )
    emulator._state.add_file(record)
    return json_response(201, record.to_json())


async def list_files(ctx: Context) -> Response:
    """GET /v1/files."""
    limit = parse_limit(ctx.query)
    try:
        page, cursor = ctx.emulator._state.list_files(limit, cursor_param(ctx.query))
    except InvalidCursor:
        raise invalid_cursor() from None
    return json_response(200, {"files": [f.to_json() for f in page], "next_page_cursor": cursor})


async def count_files(ctx: Context) -> Response:
    """GET /v1/files/count: every file counts as uploaded through the public API."""
    total = ctx.emulator._state.count("files")
    return json_response(200, {"total": total, "public_api": total, "playground": 0})


async def get_file(ctx: Context) -> Response:
    """GET /v1/files/{file_id}."""
    file_id = canonical_id(ctx.params["file_id"])
    record = ctx.emulator._state.get_file(file_id) if file_id else None
    if record is None:
        raise file_not_found()
    return json_response(200, record.to_json())


async def delete_file(ctx: Context) -> Response:
    """DELETE /v1/files/{file_id}."""
    file_id = canonical_id(ctx.params["file_id"])
    if not file_id or not ctx.emulator._state.delete_file(file_id):
        raise file_not_found()
    return Response(204, content_type=None)
