"""Handlers for the STT models and temporary keys (usage and concurrency: ``_account_api``)."""

from __future__ import annotations

from ._context import Context
from ._http import Response, json_response
from ._models import MODELS
from ._state import utc_now_iso
from ._validation import parse_json_object, validate_temporary_key


async def get_models(ctx: Context) -> Response:
    """GET /v1/models."""
    return json_response(200, {"models": MODELS})


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
