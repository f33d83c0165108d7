"""The core's defences against hostile servers and careless callers, without sockets:
redaction, the validation module, repeated cursors, redirects and bounded decoding."""

from __future__ import annotations

import logging
import math
import sys
from typing import Any

import pytest
from _driver import Driver, file_json, make_config, response, script
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import (
    HttpResponse,
    SonioxAPIError,
    SonioxError,
    SonioxPaginationError,
    SonioxRealtimeError,
    SonioxRedirectError,
    SonioxUnexpectedResponseError,
    SonioxValidationError,
)
from soniox_core import _validate as check
from soniox_core._ops import files, transcriptions
from soniox_core._redact import RedactingFilter, redact, redact_bytes, register_secret
from soniox_core._responses import error_from_response, parse_body
from soniox_core.models import GetFilesCountResponse

SECRET = "sk-core-hostile-secret-0123456789"
register_secret(SECRET)
CONFIG = make_config()


# --- redaction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        SECRET,
        f"Illegal header value b'Bearer {SECRET} '",
        f'{{"message": "{SECRET}"}}',
        f"authorization: {SECRET}",
        f"Authorization='Bearer {SECRET}'",
        f"url?key={SECRET}",
        repr(SECRET + "\\"),
    ],
)
def test_known_secrets_and_authorization_values_are_masked(text: str) -> None:
    assert SECRET not in redact(text)
    assert "***" in redact(text)
    assert SECRET.encode() not in redact_bytes(text.encode())


def test_any_bearer_token_is_masked_even_when_unknown() -> None:
    assert redact("header was Bearer abc.def-ghi") == "header was Bearer ***"
    assert redact("no secret here: bearer") == "no secret here: bearer"


def test_short_values_are_not_registered() -> None:
    register_secret("abc")
    register_secret(None)
    register_secret(12345678)
    assert redact("abc 12345678") == "abc 12345678"


def test_every_soniox_error_masks_its_text() -> None:
    errors: list[SonioxError] = [
        SonioxError(f"a {SECRET}"),
        SonioxValidationError(f"b {SECRET}", field="x"),
        SonioxRealtimeError(f"c {SECRET}", code=401),
        SonioxAPIError(
            f"d {SECRET}",
            status_code=401,
            request_id=SECRET,
            body=SECRET.encode(),
            headers=[("X-Echo", SECRET)],
        ),
    ]
    for error in errors:
        for text in (str(error), repr(error), error.message, *map(str, error.args)):
            assert SECRET not in text
    api = errors[-1]
    assert isinstance(api, SonioxAPIError)
    assert SECRET.encode() not in api.body and SECRET not in repr(api.headers)


def test_a_secret_registered_later_is_masked_in_an_older_error() -> None:
    late = "sk-registered-after-the-error-42"
    error = SonioxError(f"mentions {late}")
    register_secret(late)
    assert late not in str(error)


def test_the_log_filter_masks_messages_arguments_and_tracebacks() -> None:
    try:
        raise ValueError(f"boom {SECRET}")
    except ValueError:
        record = logging.LogRecord("soniox", logging.DEBUG, __file__, 1, "sent %s", (SECRET,), sys.exc_info())
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert SECRET not in formatted
    assert "sent ***" in formatted and "ValueError" in formatted


# --- the validation module ----------------------------------------------------------------


@given(st.one_of(st.floats(), st.integers(), st.booleans(), st.text(max_size=3), st.none()))
def test_seconds_accepts_only_finite_positive_numbers(value: Any) -> None:
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 < value <= check.MAX_SECONDS
    )
    if ok:
        assert check.seconds(value, "x") == float(value)
    else:
        with pytest.raises(SonioxValidationError) as info:
            check.seconds(value, "x")
        assert info.value.field == "x"


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=2)))
def test_count_accepts_only_whole_numbers_in_range(value: Any) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10
    if ok:
        assert check.count(value, "n", minimum=1, maximum=10) == value
    else:
        with pytest.raises(SonioxValidationError):
            check.count(value, "n", minimum=1, maximum=10)


@given(st.text(max_size=40))
def test_api_key_check_never_shows_the_key(key: str) -> None:
    try:
        check.api_key(key)
    except SonioxValidationError as exc:
        if len(key) >= 4:
            assert key not in str(exc)
    else:
        assert key and key.isascii() and key.isprintable() and not any(c.isspace() for c in key)


def test_pairs_accepts_mappings_and_pair_lists() -> None:
    assert check.pairs({"a": 1}, "p") == [("a", 1)]
    assert check.pairs([("a", 1), ["b", 2]], "p") == [("a", 1), ("b", 2)]
    for bad in ("a=1", 5, [("a",)], [(1, 2)], [("", 1)]):
        with pytest.raises(SonioxValidationError):
            check.pairs(bad, "p")


# --- responses that are not results ----------------------------------------------------------


def _page(cursor: str | None, n: int = 1) -> HttpResponse:
    return response(200, {"files": [file_json(f"f{n}")], "next_page_cursor": cursor})  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "cursors", [["A", "A"], ["A", "B", "A"], ["A", "B", "C", "D", "B"]], ids=["repeat", "cycle", "late"]
)
def test_a_repeated_cursor_raises_before_the_page_is_requested_again(cursors: list[str]) -> None:
    pages = [_page(c, i) for i, c in enumerate(cursors)]
    driver = Driver(script(*pages))
    with pytest.raises(SonioxPaginationError) as info:
        driver.iterate(files.list_all(CONFIG))
    assert info.value.cursor == cursors[-1]
    assert len(driver.sent) == len(cursors)


def test_delete_all_and_destroy_all_stop_on_a_repeated_cursor_too() -> None:
    for op in (files.delete_all(CONFIG), transcriptions.destroy_all(CONFIG)):
        page = response(200, {"files": [], "transcriptions": [], "next_page_cursor": "X"})
        driver = Driver(script(page, page))
        with pytest.raises(SonioxPaginationError):
            driver.run(op)
        assert len(driver.sent) == 2


@pytest.mark.parametrize("status", [300, 301, 302, 303, 304, 307, 308])
def test_a_3xx_is_a_redirect_error_never_parsed(status: int) -> None:
    moved = response(status, {"total": 5}, headers=[("Location", "https://elsewhere.invalid/")])
    for op in (files.count(CONFIG), files.delete(CONFIG, "f1")):
        driver = Driver(script(moved))
        with pytest.raises(SonioxRedirectError) as info:
            driver.run(op)
        assert info.value.status_code == status
        assert info.value.location == "https://elsewhere.invalid/"
        assert len(driver.sent) == 1  # not retried, not followed


def test_redirect_without_location() -> None:
    error = error_from_response(HttpResponse(302, [], b""))
    assert isinstance(error, SonioxRedirectError) and error.location is None
    assert "without a Location" in str(error)


def test_deep_and_malformed_bodies_are_typed() -> None:
    deep = b'{"total": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for body in (deep, b"[" * 100_000, b"{", b'{"total": "x"}'):
        with pytest.raises(SonioxUnexpectedResponseError):
            parse_body(HttpResponse(200, [], body), GetFilesCountResponse)
        error = error_from_response(HttpResponse(400, [], body))
        assert isinstance(error, SonioxAPIError) and error.status_code == 400


def test_an_echoed_key_in_an_error_body_is_masked_in_every_field() -> None:
    body = (
        b'{"status_code": 401, "error_type": "unauthenticated", "message": "bad %s", '
        b'"request_id": "%s", "validation_errors": [{"error_type": "x", "location": "%s", "message": "m"}]}'
    ) % (SECRET.encode(), SECRET.encode(), SECRET.encode())
    error = error_from_response(HttpResponse(401, [(b"X-Echo", SECRET.encode())], body))
    everything = str(error) + repr(error) + repr(error.api_error) + repr(error.headers) + repr(error.body)
    assert SECRET not in everything


class _Pipe:
    """A binary stream that cannot seek back (a pipe, a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


def test_an_upload_answered_429_is_retried_only_when_its_body_can_be_sent_again() -> None:
    import io

    from _driver import api_error

    limited = response(429, api_error(429), headers=[("Retry-After", "0")])
    created = response(200, file_json("f1"))
    driver = Driver(script(limited, created))
    assert driver.run(files.upload(CONFIG, io.BytesIO(b"RIFF-data"), "a.wav")).id == "f1"
    assert len(driver.sent) == 2
    driver = Driver(script(limited, created))
    with pytest.raises(SonioxAPIError) as info:
        driver.run(files.upload(CONFIG, _Pipe(b"RIFF-data"), "a.wav"))
    assert info.value.status_code == 429 and len(driver.sent) == 1
