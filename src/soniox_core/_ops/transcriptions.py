"""Operations on transcriptions (``/transcriptions``), one request each."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any
from urllib.parse import quote

from .._config import ClientConfig
from .._effects import Effect, Op, Stream
from .._payloads import create_transcription_body
from ..models import (
    CreateTranscriptionConfig,
    GetTranscriptionsCountResponse,
    GetTranscriptionsResponse,
    Transcription,
    TranscriptionTranscript,
)
from . import files
from ._call import call, call_parsed, check_cursor, check_id, check_limit
from ._call import delete_if_exists as _delete_if_exists
from ._call import get_or_none as _get_or_none
from ._pages import emit_items, for_each_item, for_each_page

__all__ = [
    "DEFAULT_MODEL",
    "count",
    "create",
    "delete",
    "delete_all",
    "delete_if_exists",
    "destroy",
    "destroy_all",
    "get",
    "get_or_none",
    "get_transcript",
    "list_all",
    "list_page",
]

DEFAULT_MODEL = "stt-async-v5"


def _path(transcription_id: str, suffix: str = "") -> str:
    return "/transcriptions/" + quote(check_id(transcription_id, "transcription_id"), safe="") + suffix


def list_page(
    config: ClientConfig, limit: int = 100, cursor: str | None = None
) -> Op[GetTranscriptionsResponse]:
    """``GET /transcriptions``: one page."""
    query = {"limit": check_limit(limit), "cursor": check_cursor(cursor)}
    return call_parsed(config, GetTranscriptionsResponse, "GET", "/transcriptions", query=query)


def list_all(config: ClientConfig, limit: int = 100) -> Stream[Transcription]:
    """Every transcription, page by page."""
    check_limit(limit)
    return for_each_page(
        lambda cursor: list_page(config, limit, cursor),
        lambda page: emit_items(page.transcriptions),
    )


def count(config: ClientConfig) -> Op[GetTranscriptionsCountResponse]:
    """``GET /transcriptions/count``."""
    return call_parsed(config, GetTranscriptionsCountResponse, "GET", "/transcriptions/count")


def create(
    config: ClientConfig,
    *,
    model: str = DEFAULT_MODEL,
    file_id: str | None = None,
    audio_url: str | None = None,
    client_reference_id: str | None = None,
    transcription_config: CreateTranscriptionConfig | Mapping[str, Any] | None = None,
    webhook: Mapping[str, str] | None = None,
) -> Op[Transcription]:
    """``POST /transcriptions``, validated before sending. Never retried once it may
    have reached the server, so a transcription is never created twice."""
    body = create_transcription_body(
        model=model,
        file_id=file_id,
        audio_url=audio_url,
        client_reference_id=client_reference_id,
        config=transcription_config,
        webhook=webhook,
    )
    return call_parsed(config, Transcription, "POST", "/transcriptions", json_body=body, idempotent=False)


def get(config: ClientConfig, transcription_id: str) -> Op[Transcription]:
    """``GET /transcriptions/{id}``."""
    return call_parsed(config, Transcription, "GET", _path(transcription_id))


def get_or_none(config: ClientConfig, transcription_id: str) -> Op[Transcription | None]:
    """The transcription, or None if it does not exist."""
    return _get_or_none(config, Transcription, _path(transcription_id))


def delete(config: ClientConfig, transcription_id: str) -> Generator[Effect, Any, None]:
    """``DELETE /transcriptions/{id}`` (409 while it is still queued or processing)."""
    yield from call(config, "DELETE", _path(transcription_id))


def delete_if_exists(config: ClientConfig, transcription_id: str) -> Op[None]:
    """Delete the transcription; one that is already gone is fine."""
    return _delete_if_exists(config, _path(transcription_id))


def get_transcript(config: ClientConfig, transcription_id: str) -> Op[TranscriptionTranscript]:
    """``GET /transcriptions/{id}/transcript`` (409 unless completed)."""
    return call_parsed(config, TranscriptionTranscript, "GET", _path(transcription_id, "/transcript"))


def delete_all(config: ClientConfig, limit: int = 100) -> Generator[Effect, Any, None]:
    """Delete every transcription; the first failed deletion stops and raises."""
    check_limit(limit)
    yield from for_each_page(
        lambda cursor: list_page(config, limit, cursor),
        lambda page: for_each_item(page.transcriptions, lambda one: delete_if_exists(config, one.id)),
    )


def _destroy_one(config: ClientConfig, transcription: Transcription) -> Generator[Effect, Any, None]:
    yield from delete_if_exists(config, transcription.id)
    if transcription.file_id:
        yield from files.delete_if_exists(config, transcription.file_id)


def destroy(config: ClientConfig, transcription_id: str) -> Generator[Effect, Any, None]:
    """Delete a transcription and the uploaded file it was made from."""
    transcription = yield from get(config, transcription_id)
    yield from _destroy_one(config, transcription)


def destroy_all(config: ClientConfig, limit: int = 100) -> Generator[Effect, Any, None]:
    """Delete every transcription and its file; the first failure stops and raises."""
    check_limit(limit)
    yield from for_each_page(
        lambda cursor: list_page(config, limit, cursor),
        lambda page: for_each_item(page.transcriptions, lambda one: _destroy_one(config, one)),
    )
