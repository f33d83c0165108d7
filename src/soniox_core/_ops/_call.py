"""Building a REST request for an operation, and the shared single-call patterns."""

from __future__ import annotations

import json as _json
from collections.abc import Generator, Mapping
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from .._config import ClientConfig
from .._effects import Effect
from .._errors import SonioxNotFoundError, SonioxValidationError
from .._http import HttpRequest, HttpResponse, build_target
from .._multipart import MultipartBody
from .._responses import parse_body
from .._transport import request

__all__ = ["call", "call_parsed", "check_id", "check_limit", "delete_if_exists", "get_or_none"]

T = TypeVar("T")

_JSON = (b"Content-Type", b"application/json")
_ACCEPT = (b"Accept", b"application/json")


@lru_cache(maxsize=64)
def base_path(api_base_url: str) -> str:
    """The path part of the API base URL (``/v1``), without a trailing slash."""
    return urlsplit(api_base_url).path.rstrip("/")


@lru_cache(maxsize=64)
def _default_headers(api_key: str, user_agent: str) -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"Authorization", b"Bearer " + api_key.encode("latin-1")),
        (b"User-Agent", user_agent.encode("ascii")),
        _ACCEPT,
    )


def build_request(
    config: ClientConfig,
    method: str,
    path: str,
    *,
    query: Mapping[str, Any] | None = None,
    json_body: bytes | None = None,
    body: bytes | MultipartBody | None = None,
    content_type: bytes | None = None,
    idempotent: bool | None = None,
    base_url: str | None = None,
) -> HttpRequest:
    """Describe a request to ``path`` under the API base URL (or under ``base_url``,
    another host such as the Text-to-Speech one), with auth headers."""
    headers = list(_default_headers(config.api_key, config.user_agent))
    payload: bytes | MultipartBody | None = body
    if json_body is not None:
        headers.append(_JSON)
        headers.append((b"Content-Length", str(len(json_body)).encode()))
        payload = json_body
    elif isinstance(body, MultipartBody):
        headers.extend(body.headers())
    elif body is not None:
        if content_type is not None:
            headers.append((b"Content-Type", content_type))
        headers.append((b"Content-Length", str(len(body)).encode()))
    elif method in ("POST", "PUT", "PATCH"):
        headers.append((b"Content-Length", b"0"))
    return HttpRequest(
        method=method,
        target=build_target(base_path(base_url or config.api_base_url), path, query),
        headers=headers,
        body=payload,
        idempotent=method in ("GET", "HEAD", "DELETE", "PUT", "OPTIONS")
        if idempotent is None
        else idempotent,
        origin=base_url,
    )


def call(
    config: ClientConfig,
    method: str,
    path: str,
    **kwargs: Any,
) -> Generator[Effect, Any, HttpResponse]:
    """Send a request to the API and return its (successful) response."""
    return (yield from request(config, build_request(config, method, path, **kwargs)))


def call_parsed(
    config: ClientConfig, model: type[T], method: str, path: str, **kwargs: Any
) -> Generator[Effect, Any, T]:
    """Send a request and parse its body into ``model``."""
    response = yield from call(config, method, path, **kwargs)
    return parse_body(response, model)


def get_or_none(config: ClientConfig, model: type[T], path: str) -> Generator[Effect, Any, T | None]:
    """GET ``path`` as ``model``, or None when it does not exist (404)."""
    try:
        return (yield from call_parsed(config, model, "GET", path))
    except SonioxNotFoundError:
        return None


def delete_if_exists(config: ClientConfig, path: str) -> Generator[Effect, Any, None]:
    """DELETE ``path``; a resource that is already gone is not an error."""
    try:
        yield from call(config, "DELETE", path)
    except SonioxNotFoundError:
        return


def check_id(value: object, field: str) -> str:
    """An identifier must be a non-empty string that stays one path segment."""
    if not isinstance(value, str) or not value or "/" in value or value in (".", ".."):
        raise SonioxValidationError("must be a non-empty ID string", field=field)
    return value


def check_limit(limit: object) -> int:
    """Page sizes are 1..1000, as the API allows."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 1000:
        raise SonioxValidationError("must be a whole number from 1 to 1000", field="limit")
    return limit


def encode_json(value: Any) -> bytes:
    """Any JSON value, for ``client.request(json=...)``."""
    return _json.dumps(value, separators=(",", ":"), default=str).encode()


def encode_form(data: Mapping[str, Any]) -> bytes:
    """A urlencoded form body, for ``client.request(data=...)``."""
    return urlencode([(k, str(v)) for k, v in data.items() if v is not None]).encode()
