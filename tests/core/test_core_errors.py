"""Error responses -> typed errors (``_responses.error_from_response``)."""

from __future__ import annotations

import json

import pytest
from _driver import api_error, response
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import (
    HttpResponse,
    Response,
    SonioxAPIError,
    SonioxAuthenticationError,
    SonioxConflictError,
    SonioxError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxPaymentRequiredError,
    SonioxPermissionDeniedError,
    SonioxRateLimitError,
    SonioxRequestTimeoutError,
    SonioxServerError,
)
from soniox_core._responses import error_class_for, error_from_response, parse_body, retry_after_seconds
from soniox_core.models import ApiError, File

STATUS_CLASSES = {
    400: SonioxInvalidRequestError,
    401: SonioxAuthenticationError,
    402: SonioxPaymentRequiredError,
    403: SonioxAuthenticationError,
    404: SonioxNotFoundError,
    408: SonioxRequestTimeoutError,
    409: SonioxConflictError,
    429: SonioxRateLimitError,
    500: SonioxServerError,
    502: SonioxServerError,
    503: SonioxServerError,
    504: SonioxServerError,
    599: SonioxServerError,
    418: SonioxAPIError,
    422: SonioxAPIError,
    413: SonioxAPIError,
}


@pytest.mark.parametrize(("status", "cls"), sorted(STATUS_CLASSES.items()))
@pytest.mark.parametrize("with_body", [True, False])
def test_status_maps_to_exact_class(status: int, cls: type[SonioxAPIError], with_body: bool) -> None:
    body = api_error(status, "some_error", "boom") if with_body else None
    error = error_from_response(response(status, body))
    assert type(error) is cls
    assert isinstance(error, SonioxAPIError)
    assert isinstance(error, SonioxError)
    assert error.status_code == status
    assert str(error)
    assert error_class_for(status) is cls


def test_permission_denied_overrides_status() -> None:
    error = error_from_response(response(403, api_error(403, "permission_denied", "not allowed")))
    assert type(error) is SonioxPermissionDeniedError
    assert not isinstance(error, SonioxAuthenticationError)
    assert error.error_type == "permission_denied"
    # Any status with that error_type is a permission problem.
    assert type(error_from_response(response(400, api_error(400, "permission_denied")))) is (
        SonioxPermissionDeniedError
    )


def test_structured_body_fields() -> None:
    body = api_error(
        400,
        "invalid_request",
        "Invalid request.",
        request_id="req-123",
        validation_errors=[
            {"error_type": "too_long", "location": "body.model", "message": "Model too long"},
            {"error_type": "missing", "location": "body.file_id", "message": "Field required"},
        ],
    )
    error = error_from_response(response(400, body, headers=[("X-Request-Id", "header-id")]))
    assert type(error) is SonioxInvalidRequestError
    assert error.status_code == 400
    assert error.error_type == "invalid_request"
    assert error.message == "Invalid request."
    assert error.request_id == "req-123"  # the body wins over the header
    assert isinstance(error.api_error, ApiError)
    assert error.api_error.message == "Invalid request."
    assert [v.location for v in error.validation_errors] == ["body.model", "body.file_id"]
    text = str(error)
    for part in (
        "Invalid request.",
        "HTTP 400",
        "invalid_request",
        "req-123",
        "body.model",
        "Model too long",
    ):
        assert part in text
    assert "body.file_id: Field required" in text
    assert text.startswith("Invalid request. (HTTP 400")
    assert "Validation errors:" in text
    assert "Invalid request." in repr(error)
    assert error.body == json.dumps(body).encode()


def test_unknown_fields_in_error_body_are_tolerated() -> None:
    body = {**api_error(409, "conflict", "Still processing"), "new_field": {"x": 1}, "more_info": "https://x"}
    error = error_from_response(response(409, body))
    assert type(error) is SonioxConflictError
    assert error.message == "Still processing"


@pytest.mark.parametrize("status", [400, 404, 500, 502, 503])
def test_no_body_uses_reason_phrase(status: int) -> None:
    error = error_from_response(response(status, None, reason="Custom Reason"))
    assert error.message == "Custom Reason"
    assert error.api_error is None
    assert "Custom Reason" in str(error)


@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "Not Found"), (503, "Service Unavailable"), (502, "Bad Gateway"), (418, "HTTP 418")],
)
def test_no_body_and_no_reason_uses_standard_phrase(status: int, reason: str) -> None:
    # HTTP/2 has no reason phrase on the wire.
    error = error_from_response(response(status, None))
    assert error.message == reason


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</body></html>",
        "<html><head><title>502</title></head><body>nginx</body></html>",
        "  \n<HTML><BODY>Gateway</BODY></HTML>",
        "<?xml version='1.0'?><Error>bad</Error>",
    ],
)
def test_html_page_gives_a_short_message(page: str) -> None:
    error = error_from_response(response(502, page.encode(), reason="Bad Gateway"))
    assert type(error) is SonioxServerError
    assert error.message == "Bad Gateway"
    assert "<" not in str(error)


def test_plain_text_is_the_message_verbatim() -> None:
    error = error_from_response(response(500, b"Upstream connect error or disconnect"))
    assert error.message == "Upstream connect error or disconnect"
    assert "Upstream connect error or disconnect" in str(error)


def test_long_plain_text_is_shortened() -> None:
    error = error_from_response(response(500, b"e" * 10_000))
    assert len(error.message) < 400
    assert error.message.startswith("eee")


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"detail": "Not authenticated"}', b"[1, 2, 3]", b'{"status_code": "x"}', b"{not json", b"[]"],
)
def test_json_of_the_wrong_shape(body: bytes) -> None:
    error = error_from_response(response(401, body))
    assert type(error) is SonioxAuthenticationError
    assert error.message == "Unable to parse API error schema"
    assert error.api_error is None
    assert error.body == body


@pytest.mark.parametrize(
    ("status", "cls"),
    [(401, SonioxAuthenticationError), (400, SonioxInvalidRequestError), (503, SonioxServerError)],
)
def test_legacy_error_body(status: int, cls: type[SonioxAPIError]) -> None:
    body = {"error_code": status, "error_message": "Invalid API key."}
    error = error_from_response(response(status, body))
    assert type(error) is cls
    assert error.message == "Invalid API key."
    assert "Invalid API key." in str(error)


def test_legacy_error_body_with_type_and_request_id() -> None:
    body = {"error_code": 403, "error_message": "No", "error_type": "permission_denied", "request_id": "r-9"}
    error = error_from_response(response(403, body))
    assert type(error) is SonioxPermissionDeniedError
    assert error.request_id == "r-9"


def test_request_id_falls_back_to_header() -> None:
    for body in (api_error(500, "internal", "boom"), b"plain", None, b"<html></html>"):
        error = error_from_response(response(500, body, headers=[("x-request-id", "hdr-42")]))
        assert error.request_id == "hdr-42"
        assert "hdr-42" in str(error)


def test_error_keeps_headers_and_attempts() -> None:
    error = error_from_response(response(503, None, headers=[("Retry-After", "3")]), attempts=3)
    assert error.attempts == 3
    assert ("Retry-After", "3") in error.headers
    assert error.retry_after == 3.0


# --- Retry-After ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5", 5.0), ("0", 0.0), (" 2.5 ", 2.5), ("-3", 0.0), ("nan", None), ("soon", None), ("", None)],
)
def test_retry_after_seconds(value: str, expected: float | None) -> None:
    assert retry_after_seconds(response(429, None, headers=[("Retry-After", value)])) == expected


def test_retry_after_absent() -> None:
    assert retry_after_seconds(response(429)) is None


def test_retry_after_http_date_relative_to_date_header() -> None:
    headers = [("Date", "Wed, 21 Oct 2015 07:28:00 GMT"), ("Retry-After", "Wed, 21 Oct 2015 07:28:07 GMT")]
    assert retry_after_seconds(response(503, None, headers=headers)) == 7.0
    past = [("Date", "Wed, 21 Oct 2015 07:28:00 GMT"), ("Retry-After", "Wed, 21 Oct 2015 07:27:00 GMT")]
    assert retry_after_seconds(response(503, None, headers=past)) == 0.0


def test_retry_after_http_date_without_date_header_is_ignored() -> None:
    headers = [("Retry-After", "Wed, 21 Oct 2015 07:28:07 GMT")]
    assert retry_after_seconds(response(503, None, headers=headers)) is None


@given(st.integers(min_value=0, max_value=86_400 * 3))
def test_retry_after_http_date_property(delta: int) -> None:
    import email.utils

    base = 1_700_000_000
    headers = [
        ("Date", email.utils.formatdate(base, usegmt=True)),
        ("Retry-After", email.utils.formatdate(base + delta, usegmt=True)),
    ]
    assert retry_after_seconds(response(429, None, headers=headers)) == float(delta)


# --- never raising itself ---------------------------------------------------------------


@given(
    status=st.integers(min_value=400, max_value=599),
    body=st.binary(max_size=300)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=10,
    ).map(lambda v: json.dumps(v).encode()),
    headers=st.lists(
        st.tuples(
            st.sampled_from(["Retry-After", "Date", "X-Request-Id", "Content-Type"]),
            st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
        ),
        max_size=4,
    ),
)
def test_error_from_response_never_raises(status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
    raw = HttpResponse(status, [(k.encode(), v.encode()) for k, v in headers], body, "")
    error = error_from_response(raw)
    assert isinstance(error, SonioxAPIError)
    assert error.status_code == status
    assert str(error) and repr(error)
    assert error.retry_after is None or error.retry_after >= 0


# --- success bodies that do not parse, and the raw Response -------------------------------


def test_unparseable_success_body_is_a_typed_error() -> None:
    with pytest.raises(SonioxAPIError) as info:
        parse_body(response(200, {"id": 1}, headers=[("X-Request-Id", "rq")]), File)
    assert info.value.status_code == 200
    assert info.value.request_id == "rq"
    assert "File" in str(info.value)
    with pytest.raises(SonioxAPIError):
        parse_body(response(200, b"<html>"), File)


def test_raw_response_raise_for_status() -> None:
    raw = response(404, api_error(404, "not_found", "No such file"), headers=[("X-Request-Id", "r1")])
    wrapped = Response.from_http(raw, _request())
    assert not wrapped.is_success
    assert wrapped.json()["message"] == "No such file"
    assert wrapped.headers["x-request-id"] == "r1"
    with pytest.raises(SonioxNotFoundError) as info:
        wrapped.raise_for_status()
    assert info.value.message == "No such file"
    ok = Response.from_http(response(200, {"a": 1}), _request())
    assert ok.raise_for_status() is ok
    assert ok.is_success and ok.text == '{"a": 1}'


def _request():  # type: ignore[no-untyped-def]
    from soniox_core import HttpRequest

    return HttpRequest("GET", "/v1/files/x")


@pytest.mark.parametrize(
    ("date", "retry_after"),
    [
        # RFC 9110 5.6.7: recipients MUST accept the obsolete RFC 850 and asctime forms too.
        ("Sunday, 06-Nov-94 08:49:30 GMT", "Sunday, 06-Nov-94 08:49:37 GMT"),
        ("Sun Nov  6 08:49:30 1994", "Sun Nov  6 08:49:37 1994"),
        ("Sun, 06 Nov 1994 08:49:30 GMT", "Sun Nov  6 08:49:37 1994"),
    ],
)
def test_retry_after_obsolete_http_date_forms(date: str, retry_after: str) -> None:
    headers = [("Date", date), ("Retry-After", retry_after)]
    assert retry_after_seconds(response(503, None, headers=headers)) == 7.0
