"""Handlers for ``GET /v1/tts-models`` and ``GET /v1/shared-voices``."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ._context import Context, invalid_cursor
from ._http import ApiErrorException, Response, ValidationError, invalid_request, json_response
from ._tts_catalog import SHARED_VOICES, TTS_MODELS, TTS_MODELS_BY_ID

_GENDERS = ("male", "female", "neutral")
_AGES = ("young", "middle_aged", "old")


async def generate_tts_route(ctx: Context) -> Response:
    """Never called: the app hands ``/tts`` to ``_tts_rest`` (listed for request counts)."""
    raise ApiErrorException(500, "internal_error", "POST /tts is served by the TTS streamer.")


async def get_tts_models(ctx: Context) -> Response:
    """GET /v1/tts-models."""
    return json_response(200, {"models": TTS_MODELS})


def _list_param(ctx: Context, name: str, errors: list[ValidationError]) -> list[str]:
    values = [v.strip() for k, raw in ctx.query_list if k == name for v in raw.split(",") if v.strip()]
    if len(values) > 10:
        errors.append(
            ValidationError("too_long", f"query.{name}", "List should have at most 10 items after validation")
        )
    for value in values:
        if len(value) > 40:
            errors.append(
                ValidationError(
                    "string_too_long", f"query.{name}", "String should have at most 40 characters"
                )
            )
            break
    return values


def _encode_cursor(signature: str, offset: int) -> str:
    raw = json.dumps({"k": "shared", "f": signature, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, signature: str) -> int:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise invalid_cursor() from None
    if (
        not isinstance(payload, dict)
        or payload.get("k") != "shared"
        or payload.get("f") != signature
        or not isinstance(payload.get("o"), int)
    ):
        raise invalid_cursor()
    return int(payload["o"])


async def get_shared_voices(ctx: Context) -> Response:
    """GET /v1/shared-voices: a model's built-in voices, filtered and paged."""
    q = ctx.query
    errors: list[ValidationError] = []
    model = q.get("model")
    if not model:
        errors.append(ValidationError("missing", "query.model", "Field required"))
    elif len(model) > 64:
        errors.append(
            ValidationError("string_too_long", "query.model", "String should have at most 64 characters")
        )
    gender = q.get("gender") or None
    if gender is not None and gender not in _GENDERS:
        errors.append(
            ValidationError("enum", "query.gender", "Input should be 'male', 'female' or 'neutral'")
        )
    age = q.get("age") or None
    if age is not None and age not in _AGES:
        errors.append(ValidationError("enum", "query.age", "Input should be 'young', 'middle_aged' or 'old'"))
    accent = q.get("accent") or None
    if accent is not None and len(accent) > 40:
        errors.append(
            ValidationError("string_too_long", "query.accent", "String should have at most 40 characters")
        )
    use_case = _list_param(ctx, "use_case", errors)
    style = _list_param(ctx, "style", errors)
    limit = 100
    if q.get("limit"):
        try:
            limit = int(q["limit"])
        except ValueError:
            errors.append(ValidationError("int_parsing", "query.limit", "Input should be a valid integer"))
        else:
            if limit < 1:
                errors.append(
                    ValidationError(
                        "greater_than_equal", "query.limit", "Input should be greater than or equal to 1"
                    )
                )
            elif limit > 200:
                errors.append(
                    ValidationError(
                        "less_than_equal", "query.limit", "Input should be less than or equal to 200"
                    )
                )
    if errors:
        raise invalid_request(errors)
    assert model is not None
    found = TTS_MODELS_BY_ID.get(model)
    if found is None:
        raise ApiErrorException(404, "invalid_request", f"TTS model '{model}' not found.")
    names = {v["id"] for v in found["voices"]}
    voices: list[dict[str, Any]] = [
        v
        for v in SHARED_VOICES
        if v["id"] in names
        and (gender is None or v["gender"] == gender)
        and (age is None or v["age"] == age)
        and (accent is None or v["accent"] == accent.lower())
        and all(u in v["use_case"] for u in use_case)
        and all(s in v["style"] for s in style)
    ]
    signature = json.dumps([model, gender, age, accent, sorted(use_case), sorted(style)])
    cursor = q.get("cursor") or None
    offset = _decode_cursor(cursor, signature) if cursor else 0
    page = voices[offset : offset + limit]
    more = offset + limit < len(voices)
    return json_response(
        200,
        {"voices": page, "next_page_cursor": _encode_cursor(signature, offset + limit) if more else None},
    )
