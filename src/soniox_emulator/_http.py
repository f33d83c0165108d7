"""Plain HTTP response values and the ApiError body shared by every handler."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON_TYPE = "application/json"

# The only error_type values the OpenAPI document lists for /v1 errors; the emulator
# never invents others, so clients can rely on the documented set.
ERROR_TYPES = frozenset(
    {
        "invalid_request",
        "invalid_cursor",
        "unauthenticated",
        "limit_exceeded",
        "internal_error",
        "file_not_found",
        "transcription_not_found",
        "transcription_invalid_state",
        "organization_balance_exhausted",
        "organization_monthly_budget_exhausted",
        "project_monthly_budget_exhausted",
        "model_not_available",
        "temp_api_key_session_expired",
        "request_timeout",
        "service_unavailable",
    }
)


@dataclass
class Response:
    """A complete HTTP response, built by a handler before any byte is sent.

    Building the whole response first lets fault injection decide afterwards how
    (or whether) to deliver it: normally, truncated, trickled, or not at all.
    """

    status: int
    body: bytes = b""
    content_type: str | None = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)

    def raw_headers(self, request_id: str) -> list[tuple[bytes, bytes]]:
        """Headers as ASGI wants them, with Content-Length and X-Request-Id added."""
        out = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers]
        if self.content_type is not None and self.status != 204:
            out.append((b"content-type", self.content_type.encode("latin-1")))
        if self.status != 204:
            out.append((b"content-length", str(len(self.body)).encode()))
        out.append((b"x-request-id", request_id.encode()))
        return out


@dataclass(frozen=True)
class ValidationError:
    """One entry of ApiError.validation_errors."""

    error_type: str
    location: str
    message: str

    def to_json(self) -> dict[str, str]:
        """The wire form."""
        return {"error_type": self.error_type, "location": self.location, "message": self.message}


class ApiErrorException(Exception):
    """Raised by handlers to answer with an ApiError body."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        validation_errors: list[ValidationError] | None = None,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        if error_type not in ERROR_TYPES:
            raise ValueError(f"error_type {error_type!r} is not one the OpenAPI document lists")
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.validation_errors = validation_errors or []
        self.headers = headers or []


def json_response(status: int, payload: Any) -> Response:
    """Serialise ``payload`` as a JSON response."""
    return Response(status, json.dumps(payload, separators=(",", ":")).encode())


def more_info_url(error_type: str) -> str:
    """The documentation link the real service puts in ``more_info``."""
    return "https://soniox.com/docs/api-reference/errors#" + error_type.replace("_", "-")


def error_response(exc: ApiErrorException, request_id: str) -> Response:
    """Render an ApiError body for ``exc``."""
    response = json_response(
        exc.status,
        {
            "status_code": exc.status,
            "error_type": exc.error_type,
            "message": exc.message,
            "validation_errors": [v.to_json() for v in exc.validation_errors],
            "request_id": request_id,
            "more_info": more_info_url(exc.error_type),
        },
    )
    response.headers.extend(exc.headers)
    return response


def invalid_request(errors: list[ValidationError], message: str | None = None) -> ApiErrorException:
    """A 400 invalid_request carrying per-field validation errors."""
    return ApiErrorException(
        400,
        "invalid_request",
        message or "The request did not pass validation; see validation_errors for details.",
        errors,
    )
