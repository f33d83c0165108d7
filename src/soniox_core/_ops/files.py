"""Operations on uploaded files (``/files``)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from urllib.parse import quote

from .._config import ClientConfig
from .._effects import Effect, Op, Stream
from .._multipart import file_source, multipart_body
from .._payloads import UploadPayload, to_validated
from ..models import File, GetFilesCountResponse, GetFilesResponse
from ._call import call, call_parsed, check_cursor, check_id, check_limit
from ._call import delete_if_exists as _delete_if_exists
from ._call import get_or_none as _get_or_none
from ._pages import emit_items, for_each_item, for_each_page

__all__ = [
    "count",
    "delete",
    "delete_all",
    "delete_if_exists",
    "get",
    "get_or_none",
    "list_all",
    "list_page",
    "upload",
]


def _path(file_id: str) -> str:
    return "/files/" + quote(check_id(file_id, "file_id"), safe="")


def list_page(config: ClientConfig, limit: int = 100, cursor: str | None = None) -> Op[GetFilesResponse]:
    """``GET /files``: one page of files."""
    query = {"limit": check_limit(limit), "cursor": check_cursor(cursor)}
    return call_parsed(config, GetFilesResponse, "GET", "/files", query=query)


def list_all(config: ClientConfig, limit: int = 100) -> Stream[File]:
    """Every file, page by page, following ``next_page_cursor``."""
    check_limit(limit)
    return for_each_page(
        lambda cursor: list_page(config, limit, cursor),
        lambda page: emit_items(page.files),
    )


def count(config: ClientConfig) -> Op[GetFilesCountResponse]:
    """``GET /files/count``."""
    return call_parsed(config, GetFilesCountResponse, "GET", "/files/count")


def get(config: ClientConfig, file_id: str) -> Op[File]:
    """``GET /files/{file_id}``."""
    return call_parsed(config, File, "GET", _path(file_id))


def get_or_none(config: ClientConfig, file_id: str) -> Op[File | None]:
    """The file, or None if it does not exist."""
    return _get_or_none(config, File, _path(file_id))


def delete(config: ClientConfig, file_id: str) -> Generator[Effect, Any, None]:
    """``DELETE /files/{file_id}``."""
    yield from call(config, "DELETE", _path(file_id))


def delete_if_exists(config: ClientConfig, file_id: str) -> Op[None]:
    """Delete the file; one that is already gone is fine."""
    return _delete_if_exists(config, _path(file_id))


def delete_all(config: ClientConfig, limit: int = 100) -> Generator[Effect, Any, None]:
    """Delete every file, page by page; the first failed deletion stops and raises."""
    check_limit(limit)
    yield from for_each_page(
        lambda cursor: list_page(config, limit, cursor),
        lambda page: for_each_item(page.files, lambda one: delete_if_exists(config, one.id)),
    )


def upload(
    config: ClientConfig,
    file: object,
    filename: str | None = None,
    client_reference_id: str | None = None,
) -> Op[File]:
    """``POST /files``: a streaming multipart upload of bytes, a path or a binary file object.

    Bad input (a missing path, a text-mode file, a too-long reference) fails
    here, before any request.
    """
    source = file_source(file, filename)
    if client_reference_id is not None:
        to_validated({"client_reference_id": client_reference_id}, UploadPayload)
    body = multipart_body({"client_reference_id": client_reference_id}, {"file": source})
    # A fresh upload is not idempotent: it would create a second file.
    return call_parsed(config, File, "POST", "/files", body=body, idempotent=False)
