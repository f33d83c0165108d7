"""Handlers for models, temporary keys, usage logs and concurrency limits."""

from __future__ import annotations

from ._context import Context, cursor_param, invalid_cursor
from ._http import Response, ValidationError, invalid_request, json_response
from ._models import MODELS, TTS_MODELS
from ._state import utc_now_iso
from ._validation import parse_json_object, parse_limit, validate_temporary_key


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
    if cursor_param(ctx.query) is not None:
        raise invalid_cursor()  # no page is ever issued, so no cursor can be valid
    return json_response(200, {"usage_logs": [], "next_page_cursor": None})
