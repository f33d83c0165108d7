"""Cloned voices (``/voices``) and the shared voices of TTS models (``/shared-voices``)."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Annotated, Any, Literal
from urllib.parse import quote

import msgspec
from msgspec import Meta

from .._config import ClientConfig
from .._effects import Effect, Op, Stream
from .._multipart import file_source, multipart_body
from .._payloads import _Payload, to_validated
from ..models_tts import (
    GetSharedVoicesResponse,
    GetVoicesCountResponse,
    GetVoicesResponse,
    TtsVoiceDetails,
    Voice,
)
from ._call import call, call_parsed, check_id, check_limit
from ._call import delete_if_exists as _delete_if_exists
from ._call import get_or_none as _get_or_none
from ._pages import emit_items, for_each_page

__all__ = [
    "count",
    "create",
    "delete",
    "delete_if_exists",
    "get",
    "get_or_none",
    "list_all",
    "list_all_shared",
    "list_page",
    "list_shared",
    "recompute",
]

_Tag = Annotated[str, Meta(max_length=40)]


class _SharedVoicesQuery(_Payload):
    model: Annotated[str, Meta(min_length=1, max_length=64)]
    gender: Literal["male", "female", "neutral"] | None = None
    age: Literal["young", "middle_aged", "old"] | None = None
    accent: _Tag | None = None
    use_case: Annotated[list[_Tag], Meta(max_length=10)] | None = None
    style: Annotated[list[_Tag], Meta(max_length=10)] | None = None
    limit: Annotated[int, Meta(ge=1, le=200)] = 100
    cursor: str | None = None


class _CreateVoice(_Payload):
    name: Annotated[str, Meta(min_length=1, max_length=128)]


class _Recompute(_Payload):
    model: Annotated[str, Meta(min_length=1)] | None = None


def _path(voice_id: str) -> str:
    return "/voices/" + quote(check_id(voice_id, "voice_id"), safe="")


def list_page(config: ClientConfig, limit: int = 100, cursor: str | None = None) -> Op[GetVoicesResponse]:
    """``GET /voices``: one page of cloned voices."""
    query = {"limit": check_limit(limit), "cursor": cursor}
    return call_parsed(config, GetVoicesResponse, "GET", "/voices", query=query)


def list_all(config: ClientConfig, limit: int = 100) -> Stream[Voice]:
    """Every cloned voice, page by page."""
    check_limit(limit)
    return for_each_page(
        lambda cursor: list_page(config, limit, cursor),
        lambda page: emit_items(page.voices),
    )


def count(config: ClientConfig) -> Op[GetVoicesCountResponse]:
    """``GET /voices/count``."""
    return call_parsed(config, GetVoicesCountResponse, "GET", "/voices/count")


def get(config: ClientConfig, voice_id: str) -> Op[Voice]:
    """``GET /voices/{voice_id}``."""
    return call_parsed(config, Voice, "GET", _path(voice_id))


def get_or_none(config: ClientConfig, voice_id: str) -> Op[Voice | None]:
    """The voice, or None if it does not exist."""
    return _get_or_none(config, Voice, _path(voice_id))


def delete(config: ClientConfig, voice_id: str) -> Generator[Effect, Any, None]:
    """``DELETE /voices/{voice_id}``."""
    yield from call(config, "DELETE", _path(voice_id))


def delete_if_exists(config: ClientConfig, voice_id: str) -> Op[None]:
    """Delete the voice; one that is already gone is fine."""
    return _delete_if_exists(config, _path(voice_id))


def create(config: ClientConfig, file: object, name: str, filename: str | None = None) -> Op[Voice]:
    """``POST /voices``: clone a voice from a reference clip, streamed as a multipart upload.

    Bad input (an empty or too long name, a missing path, a text-mode file)
    fails here, before any request.
    """
    to_validated({"name": name}, _CreateVoice)
    source = file_source(file, filename)
    body = multipart_body({"name": name}, {"file": source})
    # Not idempotent: a second attempt would clone the voice twice (or conflict on its name).
    return call_parsed(config, Voice, "POST", "/voices", body=body, idempotent=False)


def recompute(config: ClientConfig, voice_id: str, model: str | None = None) -> Op[Voice]:
    """``POST /voices/{voice_id}/recompute``: prepare the voice for ``model``, or for
    every model it is not ready for."""
    path = _path(voice_id) + "/recompute"
    payload = to_validated({"model": model} if model is not None else {}, _Recompute)
    # Repeating it asks for the same preparation again: safe to retry.
    return call_parsed(config, Voice, "POST", path, json_body=msgspec.json.encode(payload), idempotent=True)


def _shared_query(
    model: str,
    gender: str | None,
    age: str | None,
    accent: str | None,
    use_case: Sequence[str] | None,
    style: Sequence[str] | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    raw = {
        "model": model,
        "gender": gender,
        "age": age,
        "accent": accent,
        "use_case": list(use_case) if isinstance(use_case, (list, tuple)) else use_case,
        "style": list(style) if isinstance(style, (list, tuple)) else style,
        "limit": limit,
        "cursor": cursor,
    }
    validated = to_validated({k: v for k, v in raw.items() if v is not None}, _SharedVoicesQuery)
    return {k: getattr(validated, k) for k in validated.__struct_fields__}


def list_shared(
    config: ClientConfig,
    model: str,
    *,
    gender: str | None = None,
    age: str | None = None,
    accent: str | None = None,
    use_case: Sequence[str] | None = None,
    style: Sequence[str] | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> Op[GetSharedVoicesResponse]:
    """``GET /shared-voices``: one page of a model's built-in voices matching every filter."""
    query = _shared_query(model, gender, age, accent, use_case, style, limit, cursor)
    return call_parsed(config, GetSharedVoicesResponse, "GET", "/shared-voices", query=query)


def list_all_shared(
    config: ClientConfig,
    model: str,
    *,
    gender: str | None = None,
    age: str | None = None,
    accent: str | None = None,
    use_case: Sequence[str] | None = None,
    style: Sequence[str] | None = None,
    limit: int = 100,
) -> Stream[TtsVoiceDetails]:
    """Every shared voice matching the filters, page by page (the filters go with every cursor)."""
    _shared_query(model, gender, age, accent, use_case, style, limit, None)
    return for_each_page(
        lambda cursor: list_shared(
            config,
            model,
            gender=gender,
            age=age,
            accent=accent,
            use_case=use_case,
            style=style,
            limit=limit,
            cursor=cursor,
        ),
        lambda page: emit_items(page.voices),
    )
