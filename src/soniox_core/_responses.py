"""One pure mapping: a raw response -> a typed result, or the typed error it means."""

from __future__ import annotations

import math
import re
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

import msgspec

from ._errors import (
    SonioxAPIError,
    SonioxAuthenticationError,
    SonioxConflictError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxPaymentRequiredError,
    SonioxPermissionDeniedError,
    SonioxRateLimitError,
    SonioxRequestTimeoutError,
    SonioxServerError,
)
from ._http import HttpResponse
from .models import ApiError

__all__ = ["error_class_for", "error_from_response", "parse_body", "retry_after_seconds"]

T = TypeVar("T")

_STATUS_CLASSES: dict[int, type[SonioxAPIError]] = {
    400: SonioxInvalidRequestError,
    401: SonioxAuthenticationError,
    402: SonioxPaymentRequiredError,
    403: SonioxAuthenticationError,
    404: SonioxNotFoundError,
    408: SonioxRequestTimeoutError,
    409: SonioxConflictError,
    429: SonioxRateLimitError,
}

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    409: "Conflict",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_MAX_MESSAGE = 300


@cache
def _decoder(model: type[Any]) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(model)


def parse_body(response: HttpResponse, model: type[T]) -> T:
    """Decode a success body into ``model``; a malformed body is a typed API error."""
    try:
        result: T = _decoder(model).decode(response.body)  # type: ignore[arg-type]
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise SonioxAPIError(
            f"Unexpected response body for {model.__name__}: {exc}",
            status_code=response.status,
            request_id=response.header("x-request-id"),
            body=response.body[:2048],
        ) from None
    return result


def error_class_for(status: int, error_type: str | None = None) -> type[SonioxAPIError]:
    """The error class a status (and ``error_type``) maps to."""
    if error_type == "permission_denied":
        return SonioxPermissionDeniedError
    if status >= 500:
        return SonioxServerError
    return _STATUS_CLASSES.get(status, SonioxAPIError)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_HTTP_DATES = (
    # IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    (re.compile(r"[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT"), "dmYHMS"),
    # obsolete RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    (re.compile(r"[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT"), "dmyHMS"),
    # obsolete asctime: "Sun Nov  6 08:49:37 1994"
    (re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})"), "mdHMSY"),
)


def _http_date(value: str) -> datetime | None:
    """An HTTP-date in any of the three forms RFC 9110 (5.6.7) makes recipients accept.

    Parsed by hand: ``strptime``'s ``%a``/``%b`` follow the process locale."""
    text = value.strip()
    for pattern, order in _HTTP_DATES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _MONTHS.get(parts["m"].title())
        year = (
            int(parts["Y"]) if "Y" in parts else 1900 + int(parts["y"]) + (100 if int(parts["y"]) < 70 else 0)
        )
        if month is None:
            return None
        try:
            return datetime(year, month, int(parts["d"]), int(parts["H"]), int(parts["M"]), int(parts["S"]))
        except ValueError:
            return None
    return None


def retry_after_seconds(response: HttpResponse) -> float | None:
    """The ``Retry-After`` hint in seconds: a number, or an HTTP date taken
    relative to the response's own ``Date`` header (the core reads no clock)."""
    value = response.header("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    when = _http_date(value)
    sent = response.header("date")
    base = _http_date(sent) if sent else None
    if when is None or base is None:
        return None
    return max(0.0, (when - base).total_seconds())


def _plain_message(response: HttpResponse) -> str:
    text = response.body.decode("utf-8", errors="replace").strip()
    head = text[:64].lower()
    if not text or head.startswith(("<!doctype", "<html", "<?xml")) or "<body" in head:
        # An HTML page from a proxy says nothing useful and can be huge.
        return response.reason or _REASONS.get(response.status, f"HTTP {response.status}")
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "..."


def _legacy_error(payload: dict[str, Any], status: int) -> ApiError | None:
    # The WebSocket-style body {error_code, error_message, ...}, also used by TTS REST.
    message = payload.get("error_message")
    if not isinstance(message, str):
        return None
    code = payload.get("error_code")
    error_type = payload.get("error_type")
    request_id = payload.get("request_id")
    more_info = payload.get("more_info")
    return ApiError(
        status_code=code if isinstance(code, int) else status,
        error_type=error_type if isinstance(error_type, str) else "api_error",
        message=message,
        request_id=request_id if isinstance(request_id, str) else None,
        more_info=more_info if isinstance(more_info, str) else None,
    )


def error_from_response(response: HttpResponse, *, attempts: int = 1) -> SonioxAPIError:
    """The typed error an error response means. Never raises itself."""
    api_error: ApiError | None = None
    message: str | None = None
    body = response.body
    if body.lstrip()[:1] in (b"{", b"["):
        try:
            api_error = _decoder(ApiError).decode(body)
        except (msgspec.DecodeError, msgspec.ValidationError):
            try:
                payload = msgspec.json.decode(body)
            except msgspec.DecodeError:
                payload = None
            if isinstance(payload, dict):
                api_error = _legacy_error(payload, response.status)
            if api_error is None:
                message = "Unable to parse API error schema"
    if api_error is not None:
        message = api_error.message or _plain_message(response)
    elif message is None:
        message = _plain_message(response)
    request_id = (api_error.request_id if api_error else None) or response.header("x-request-id")
    error_type = api_error.error_type if api_error else None
    cls = error_class_for(response.status, error_type)
    return cls(
        message,
        status_code=response.status,
        error_type=error_type,
        request_id=request_id,
        validation_errors=api_error.validation_errors if api_error else (),
        api_error=api_error,
        body=body[:65536],
        headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers],
        retry_after=retry_after_seconds(response),
        attempts=attempts,
    )
