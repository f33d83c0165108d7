"""Models, temporary keys, and the raw ``request()`` escape hatch."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

from .. import _validate as check
from .._config import ClientConfig
from .._effects import Effect, Op
from .._errors import SonioxValidationError
from .._http import HttpRequest, Response
from .._multipart import file_source, multipart_body
from .._payloads import create_temporary_key_body
from .._redact import register_secret
from .._transport import request as send_request
from ..models import CreateTemporaryApiKeyResponse, GetModelsResponse, TemporaryApiKeyUsageType
from ._call import build_request, call_parsed, encode_form, encode_json

__all__ = ["create_temporary_api_key", "list_models", "raw_request"]


def list_models(config: ClientConfig) -> Op[GetModelsResponse]:
    """``GET /models``."""
    return call_parsed(config, GetModelsResponse, "GET", "/models")


def create_temporary_api_key(
    config: ClientConfig,
    *,
    usage_type: TemporaryApiKeyUsageType | str = TemporaryApiKeyUsageType.TRANSCRIBE_WEBSOCKET,
    expires_in_seconds: int = 300,
    client_reference_id: str | None = None,
    single_use: bool | None = None,
    max_session_duration_seconds: int | None = None,
) -> Op[CreateTemporaryApiKeyResponse]:
    """``POST /auth/temporary-api-key``, validated before sending."""
    body = create_temporary_key_body(
        usage_type=usage_type,
        expires_in_seconds=expires_in_seconds,
        client_reference_id=client_reference_id,
        single_use=single_use,
        max_session_duration_seconds=max_session_duration_seconds,
    )
    return _registered(
        call_parsed(
            config,
            CreateTemporaryApiKeyResponse,
            "POST",
            "/auth/temporary-api-key",
            json_body=body,
            idempotent=False,
        )
    )


def _registered(
    created: Op[CreateTemporaryApiKeyResponse],
) -> Generator[Effect, Any, CreateTemporaryApiKeyResponse]:
    # A minted key is a credential too: masked in every error and log from now on.
    result = yield from created
    register_secret(result.api_key)
    return result


def _file_part(name: str, value: Any) -> Any:
    # ("name.wav", data) or ("name.wav", data, "audio/wav"), as httpx accepts.
    if isinstance(value, tuple):
        if not 2 <= len(value) <= 3:
            raise SonioxValidationError("a file tuple is (filename, file[, content_type])", field=name)
        return file_source(value[1], value[0], value[2] if len(value) == 3 else None, field=name)
    return file_source(value, field=name)


def describe_raw_request(
    config: ClientConfig,
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
    json: Any | None = None,
    data: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
    files: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
) -> HttpRequest:
    """Describe an arbitrary REST request; conflicting bodies are rejected up front."""
    if not isinstance(method, str) or not method.isascii() or not method.isalpha():
        raise SonioxValidationError("must be an HTTP method such as 'GET'", field="method")
    if (
        not isinstance(path, str)
        or "://" in path
        or any(ord(c) < 32 or ord(c) == 127 for c in path)
    ):
        raise SonioxValidationError(
            "must be a path relative to the API base URL, without control characters",
            field="path",
        )
    method = method.upper()
    # Mappings or lists of (name, value) pairs, as httpx accepts.
    query = check.pairs(params, "params")
    form = check.pairs(data, "data") if data is not None else None
    parts = check.pairs(files, "files") if files is not None else None
    if json is not None and (data is not None or files is not None):
        raise SonioxValidationError("json cannot be combined with data or files", field="json")
    if parts is not None:
        sources = [(name, _file_part(name, value)) for name, value in parts]
        return build_request(config, method, path, query=query, body=multipart_body(form, sources))
    if json is not None:
        try:
            body = encode_json(json)
        except (TypeError, ValueError, RecursionError) as exc:
            raise SonioxValidationError(f"is not JSON-serialisable ({exc})", field="json") from None
        return build_request(config, method, path, query=query, json_body=body)
    if form is not None:
        return build_request(
            config,
            method,
            path,
            query=query,
            body=encode_form(form),
            content_type=b"application/x-www-form-urlencoded",
        )
    return build_request(config, method, path, query=query)


def raw_request(config: ClientConfig, http_request: HttpRequest) -> Generator[Effect, Any, Response]:
    """Send a described request. Error statuses come back as a ``Response`` too, as
    with ``httpx``, so the caller can inspect them; ``raise_for_status()`` types them."""
    response = yield from send_request(config, http_request, raise_for_status=False)
    return Response.from_http(response, http_request)
