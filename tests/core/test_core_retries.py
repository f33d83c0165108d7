"""Retries: ``_transport.request`` with ``_retry.RetryPolicy``, driven with a fake clock."""

from __future__ import annotations

import logging

import pytest
from _driver import Driver, api_error, file_json, make_config, response, script, transcription_json
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import (
    HttpRequest,
    SonioxAPIError,
    SonioxConnectionError,
    SonioxConnectTimeoutError,
    SonioxNotFoundError,
    SonioxRateLimitError,
    SonioxReadTimeoutError,
    SonioxServerError,
    SonioxTransportError,
)
from soniox_core._ops import files, misc, transcriptions
from soniox_core._retry import RETRYABLE_STATUSES, RetryPolicy
from soniox_core._transport import request

CONFIG = make_config()
GET = HttpRequest("GET", "/v1/files/count")
POST = HttpRequest("POST", "/v1/transcriptions", body=b"{}", idempotent=False)


def count_ok() -> object:
    return response(200, {"total": 3})


# --- idempotent requests ------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_get_is_retried_on_retryable_status(status: int) -> None:
    driver = Driver(script(response(status, api_error(status)), count_ok()))  # type: ignore[arg-type]
    result = driver.run(files.count(CONFIG))
    assert result.total == 3
    assert len(driver.sent) == 2
    assert len(driver.sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 418, 422])
def test_get_is_not_retried_on_other_status(status: int) -> None:
    driver = Driver(script(response(status, api_error(status))))
    with pytest.raises(SonioxAPIError) as info:
        driver.run(files.count(CONFIG))
    assert len(driver.sent) == 1
    assert driver.sleeps == []
    assert info.value.attempts == 1


@pytest.mark.parametrize(
    "failure",
    [
        SonioxReadTimeoutError("read timed out", request_sent=True),
        SonioxConnectionError("reset", request_sent=True),
        SonioxConnectTimeoutError("connect timed out", request_sent=False),
        SonioxConnectionError("refused", request_sent=False),
    ],
)
def test_get_is_retried_on_transport_errors(failure: SonioxTransportError) -> None:
    driver = Driver(script(failure, count_ok()))  # type: ignore[arg-type]
    assert driver.run(files.count(CONFIG)).total == 3
    assert len(driver.sent) == 2


def test_retries_are_exhausted_and_attempts_recorded() -> None:
    driver = Driver(script(*(response(503, api_error(503)) for _ in range(3))))
    with pytest.raises(SonioxServerError) as info:
        driver.run(files.count(CONFIG))
    assert len(driver.sent) == 3  # 1 + max_retries (2)
    assert len(driver.sleeps) == 2
    assert info.value.attempts == 3


def test_transport_retries_exhausted_and_attempts_recorded() -> None:
    driver = Driver(script(*(SonioxReadTimeoutError("slow") for _ in range(3))))
    with pytest.raises(SonioxReadTimeoutError) as info:
        driver.run(files.count(CONFIG))
    assert info.value.attempts == 3
    assert isinstance(info.value, TimeoutError)


def test_retry_after_seconds_is_the_sleep() -> None:
    driver = Driver(
        script(
            response(429, api_error(429), headers=[("Retry-After", "7")]),
            response(503, None, headers=[("Retry-After", "0")]),
            count_ok(),  # type: ignore[arg-type]
        )
    )
    driver.run(files.count(CONFIG))
    assert driver.sleeps == [7.0, 0.0]


def test_retry_after_http_date_is_the_sleep() -> None:
    headers = [("Date", "Wed, 21 Oct 2015 07:28:00 GMT"), ("Retry-After", "Wed, 21 Oct 2015 07:28:12 GMT")]
    driver = Driver(script(response(503, None, headers=headers), count_ok()))  # type: ignore[arg-type]
    driver.run(files.count(CONFIG))
    assert driver.sleeps == [12.0]


def test_retry_after_too_long_is_not_waited_for() -> None:
    driver = Driver(script(response(429, api_error(429), headers=[("Retry-After", "3600")])))
    with pytest.raises(SonioxRateLimitError) as info:
        driver.run(files.count(CONFIG))
    assert driver.sleeps == []
    assert info.value.retry_after == 3600.0


def test_backoff_without_retry_after_is_bounded() -> None:
    config = make_config(client_kwargs={"max_retries": 6})
    driver = Driver(script(*(response(500, None) for _ in range(6)), count_ok()))  # type: ignore[arg-type]
    driver.run(files.count(config))
    assert len(driver.sleeps) == 6
    for attempt, slept in enumerate(driver.sleeps, start=1):
        assert 0.0 <= slept <= min(8.0, 0.5 * 2 ** (attempt - 1))


@given(attempt=st.integers(min_value=1, max_value=40), r=st.floats(min_value=0.0, max_value=0.999999))
def test_policy_delay_is_full_jitter_capped(attempt: int, r: float) -> None:
    policy = RetryPolicy(max_retries=50, random=lambda: r)
    ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
    assert policy.delay(attempt) == pytest.approx(ceiling * r)
    assert 0.0 <= policy.delay(attempt) <= 8.0
    assert policy.delay(attempt, retry_after=2.5) == 2.5


@given(
    attempt=st.integers(min_value=1, max_value=10),
    max_retries=st.integers(min_value=0, max_value=10),
    status=st.integers(min_value=400, max_value=599),
    idempotent=st.booleans(),
)
def test_policy_status_decisions(attempt: int, max_retries: int, status: int, idempotent: bool) -> None:
    policy = RetryPolicy(max_retries=max_retries)
    failure = SonioxAPIError("x", status_code=status)
    expected = attempt <= max_retries and (idempotent or status == 429) and status in RETRYABLE_STATUSES
    assert policy.should_retry(attempt, idempotent, failure) is expected


@given(
    attempt=st.integers(min_value=1, max_value=10),
    max_retries=st.integers(min_value=0, max_value=10),
    sent=st.booleans(),
    idempotent=st.booleans(),
)
def test_policy_transport_decisions(attempt: int, max_retries: int, sent: bool, idempotent: bool) -> None:
    policy = RetryPolicy(max_retries=max_retries)
    failure = SonioxConnectionError("x", request_sent=sent)
    expected = attempt <= max_retries and (idempotent or not sent)
    assert policy.should_retry(attempt, idempotent, failure) is expected


# --- non-idempotent requests ----------------------------------------------------------


@pytest.mark.parametrize("status", [408, 500, 502, 503])
def test_post_is_never_retried_on_status(status: int) -> None:
    driver = Driver(script(response(status, api_error(status), headers=[("Retry-After", "1")])))
    with pytest.raises(SonioxAPIError) as info:
        driver.run(transcriptions.create(CONFIG, audio_url="https://x.test/a.mp3"))
    assert len(driver.sent) == 1
    assert driver.sleeps == []
    assert info.value.attempts == 1


def test_post_is_retried_on_429_with_retry_after() -> None:
    # A 429 means the service created nothing, so repeating the POST is safe.
    created = response(200, transcription_json())  # type: ignore[arg-type]
    driver = Driver(script(response(429, api_error(429), headers=[("Retry-After", "2")]), created))
    result = driver.run(transcriptions.create(CONFIG, audio_url="https://x.test/a.mp3"))
    assert result.id
    assert [r.method for r in driver.sent] == ["POST", "POST"]
    assert driver.sleeps == [2.0]


def test_post_429_retries_stop_at_max_retries() -> None:
    limited = [response(429, api_error(429), headers=[("Retry-After", "0")]) for _ in range(3)]
    driver = Driver(script(*limited))  # type: ignore[arg-type]
    with pytest.raises(SonioxRateLimitError) as info:
        driver.run(transcriptions.create(CONFIG, audio_url="https://x.test/a.mp3"))
    assert len(driver.sent) == 3 and info.value.attempts == 3


@pytest.mark.parametrize(
    "failure",
    [SonioxReadTimeoutError("slow", request_sent=True), SonioxConnectionError("reset", request_sent=True)],
)
def test_post_is_not_retried_once_it_may_have_arrived(failure: SonioxTransportError) -> None:
    for op in (
        transcriptions.create(CONFIG, audio_url="https://x.test/a.mp3"),
        files.upload(CONFIG, b"data", "a.wav"),
        misc.create_temporary_api_key(CONFIG),
    ):
        driver = Driver(script(failure))
        with pytest.raises(type(failure)) as info:
            driver.run(op)
        assert len(driver.sent) == 1
        assert info.value.attempts == 1


def test_post_is_retried_when_it_never_left() -> None:
    driver = Driver(
        script(
            SonioxConnectTimeoutError("connect", request_sent=False),
            SonioxConnectionError("refused", request_sent=False),
            response(201, transcription_json()),
        )
    )
    created = driver.run(transcriptions.create(CONFIG, audio_url="https://x.test/a.mp3"))
    assert created.id == "tr-1"
    assert len(driver.sent) == 3
    assert driver.sent[0].body == driver.sent[2].body


def test_upload_retry_resends_the_whole_body() -> None:
    driver = Driver(script(SonioxConnectionError("refused", request_sent=False), response(201, file_json())))
    driver.run(files.upload(CONFIG, b"0123456789" * 100, "a.wav"))
    assert len(driver.sent) == 2
    assert driver.sent[0].body == driver.sent[1].body
    assert b"0123456789" * 100 in (driver.sent[1].body or b"")


# --- max_retries ------------------------------------------------------------------------


def test_max_retries_zero_disables_retries() -> None:
    config = make_config(client_kwargs={"max_retries": 0})
    driver = Driver(script(response(503, None)))
    with pytest.raises(SonioxServerError) as info:
        driver.run(files.count(config))
    assert len(driver.sent) == 1 and info.value.attempts == 1
    driver = Driver(script(SonioxConnectionError("refused", request_sent=False)))
    with pytest.raises(SonioxConnectionError):
        driver.run(files.count(CONFIG.with_options(max_retries=0)))
    assert len(driver.sent) == 1


# --- DELETE ------------------------------------------------------------------------------


def test_delete_whose_earlier_attempt_was_ambiguous_then_404_is_success() -> None:
    driver = Driver(script(SonioxReadTimeoutError("slow", request_sent=True), response(404, api_error(404))))
    assert driver.run(files.delete(CONFIG, "file-1")) is None
    assert driver.calls == [("DELETE", "/v1/files/file-1")] * 2


def test_delete_404_after_an_unambiguous_failure_is_still_not_found() -> None:
    driver = Driver(
        script(SonioxConnectionError("refused", request_sent=False), response(404, api_error(404)))
    )
    with pytest.raises(SonioxNotFoundError):
        driver.run(transcriptions.delete(CONFIG, "tr-1"))
    driver = Driver(script(response(503, None), response(404, api_error(404))))
    with pytest.raises(SonioxNotFoundError):
        driver.run(transcriptions.delete(CONFIG, "tr-1"))


def test_plain_delete_404_is_not_found() -> None:
    driver = Driver(script(response(404, api_error(404))))
    with pytest.raises(SonioxNotFoundError):
        driver.run(files.delete(CONFIG, "file-1"))


# --- raw requests -------------------------------------------------------------------------


def test_raw_request_returns_the_last_error_response() -> None:
    driver = Driver(script(response(503, None), response(503, None), response(503, b"still down")))
    result = driver.run(misc.raw_request(CONFIG, misc.describe_raw_request(CONFIG, "GET", "/models")))
    assert result.status_code == 503
    assert result.text == "still down"
    assert len(driver.sent) == 3


def test_raw_request_does_not_raise_for_status() -> None:
    driver = Driver(script(response(404, api_error(404, "not_found", "gone"))))
    result = driver.run(misc.raw_request(CONFIG, misc.describe_raw_request(CONFIG, "GET", "/files/x")))
    assert result.status_code == 404
    with pytest.raises(SonioxNotFoundError):
        result.raise_for_status()


def test_request_function_directly() -> None:
    driver = Driver(script(response(500, None), response(200, b"ok")))
    result = driver.run(request(CONFIG, GET))
    assert result.body == b"ok"
    driver = Driver(script(response(500, None)))
    with pytest.raises(SonioxServerError):
        driver.run(request(CONFIG, POST))


def test_debug_logging_reads_the_clock_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="soniox")
    driver = Driver(
        script(SonioxConnectionError("refused", request_sent=False), count_ok()), send_duration=0.25
    )  # type: ignore[arg-type]
    driver.run(files.count(CONFIG))
    messages = [r.getMessage() for r in caplog.records if r.name == "soniox"]
    assert any("GET /v1/files/count failed after 0.250s (attempt 1)" in m for m in messages)
    assert any("GET /v1/files/count -> 200 in 0.250s (attempt 2" in m for m in messages)
    assert all(API_KEY_FRAGMENT not in m for m in messages)


API_KEY_FRAGMENT = "SECRET"


# --- mapping library exceptions ------------------------------------------------------------


# --- backoff settings ------------------------------------------------------------------------


@pytest.mark.parametrize(("base", "cap"), [(0.0, 8.0), (0.1, 0.3), (2.0, 1.0), (1.0, 100.0)])
def test_backoff_settings_from_client_kwargs(base: float, cap: float) -> None:
    config = make_config(client_kwargs={"max_retries": 5, "retry_base_delay": base, "retry_max_delay": cap})
    assert (config.retry_base_delay, config.retry_max_delay) == (base, cap)
    assert "retry_base_delay" not in config.http_options
    driver = Driver(script(*(response(503, None) for _ in range(5)), count_ok()))  # type: ignore[arg-type]
    driver.run(files.count(config))
    assert len(driver.sleeps) == 5
    for attempt, slept in enumerate(driver.sleeps, start=1):
        assert 0.0 <= slept <= min(cap, base * 2 ** (attempt - 1))


def test_retry_after_is_honoured_whatever_the_backoff_cap() -> None:
    config = make_config(client_kwargs={"retry_max_delay": 0.5})
    driver = Driver(script(response(429, None, headers=[("Retry-After", "20")]), count_ok()))  # type: ignore[arg-type]
    driver.run(files.count(config))
    assert driver.sleeps == [20.0]


@pytest.mark.parametrize("name", ["retry_base_delay", "retry_max_delay"])
@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), True, "1", None])
def test_bad_backoff_settings_are_rejected(name: str, bad: object) -> None:
    from soniox_core import SonioxValidationError

    with pytest.raises(SonioxValidationError) as info:
        make_config(client_kwargs={name: bad})
    assert info.value.field == name


def test_raw_requests_follow_the_method_idempotency() -> None:
    post = misc.describe_raw_request(CONFIG, "post", "/transcriptions", json={"audio_url": "https://x"})
    driver = Driver(script(response(503, None)))
    assert driver.run(misc.raw_request(CONFIG, post)).status_code == 503
    assert len(driver.sent) == 1
    delete = misc.describe_raw_request(CONFIG, "delete", "/files/x")
    driver = Driver(script(response(503, None), response(204)))
    assert driver.run(misc.raw_request(CONFIG, delete)).status_code == 204
    assert len(driver.sent) == 2
