"""Each injected fault x {sync, asyncio, trio}: recover when retries allow, else the right typed error.

POSTs are never sent twice where the server may have acted: the emulator counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from soniox_core import (
    SonioxConnectionError,
    SonioxRateLimitError,
    SonioxReadTimeoutError,
    SonioxServerError,
    SonioxTransportError,
    Timeouts,
)
from soniox_emulator import Emulator

FILES = "/v1/files"


def _upload(client: Any) -> str:
    return str(client.files.upload(b"RIFF" + b"\0" * 400, filename="a.wav").id)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("status", {"status": 500}),
        ("status", {"status": 502}),
        ("status", {"status": 503}),
        ("status", {"status": 429, "retry_after": 0}),
        ("reset_before_read", {}),
        ("reset_after_read", {}),
        ("truncated_body", {}),
    ],
)
def test_get_recovers_when_retries_allow(
    make_client: Callable[..., Any], emulator: Emulator, kind: str, params: dict[str, Any]
) -> None:
    client = make_client(max_retries=2)
    file_id = _upload(client)
    fault = emulator.faults.inject(kind, method="GET", path=FILES + "/", times=2, **params)
    assert client.files.get(file_id).id == file_id
    assert fault.hits == 2
    assert emulator.request_count("GET", "/v1/files/{file_id}") == 3


@pytest.mark.parametrize(
    ("kind", "params", "error"),
    [
        ("status", {"status": 500}, SonioxServerError),
        ("status", {"status": 503}, SonioxServerError),
        ("status", {"status": 429, "retry_after": 1}, SonioxRateLimitError),
        ("reset_before_read", {}, SonioxConnectionError),
        ("truncated_body", {}, SonioxConnectionError),
    ],
)
def test_get_fails_typed_when_retries_run_out(
    make_client: Callable[..., Any],
    emulator: Emulator,
    kind: str,
    params: dict[str, Any],
    error: type[Exception],
) -> None:
    client = make_client(max_retries=1)
    file_id = _upload(client)
    emulator.faults.inject(kind, method="GET", path=FILES + "/", times=None, **params)
    with pytest.raises(error) as caught:
        client.files.get(file_id)
    assert caught.value.attempts == 2  # type: ignore[attr-defined]
    if isinstance(caught.value, SonioxRateLimitError):
        assert caught.value.retry_after == 1
        assert caught.value.request_id


def test_html_502_gives_short_message(make_client: Callable[..., Any], emulator: Emulator) -> None:
    client = make_client(max_retries=0)
    emulator.faults.inject("status", method="GET", path="/v1/models", status=502)
    with pytest.raises(SonioxServerError) as caught:
        client.models.list()
    assert caught.value.status_code == 502
    assert "<" not in caught.value.message
    assert len(caught.value.message) < 100


@pytest.mark.parametrize("kind", ["reset_before_read", "reset_after_read", "truncated_body"])
def test_create_is_never_sent_twice(
    make_client: Callable[..., Any], emulator: Emulator, kind: str
) -> None:
    client = make_client(max_retries=3)
    file_id = _upload(client)
    emulator.faults.inject(kind, method="POST", path="/v1/transcriptions", times=1)
    with pytest.raises(SonioxTransportError) as caught:
        client.stt.create(file_id=file_id)
    assert caught.value.attempts == 1
    assert emulator.request_count("POST", "/v1/transcriptions") == 1


@pytest.mark.parametrize("status", [500, 503])
def test_create_is_not_retried_on_error_status(
    make_client: Callable[..., Any], emulator: Emulator, status: int
) -> None:
    client = make_client(max_retries=3)
    file_id = _upload(client)
    emulator.faults.inject("status", method="POST", path="/v1/transcriptions", status=status, retry_after=0)
    with pytest.raises(SonioxServerError):
        client.stt.create(file_id=file_id)
    assert emulator.request_count("POST", "/v1/transcriptions") == 1
    assert client.stt.count().total == 0


def test_create_is_retried_after_429_and_creates_exactly_one(
    make_client: Callable[..., Any], emulator: Emulator
) -> None:
    # A 429 means the service created nothing: the POST is repeated after Retry-After.
    client = make_client(max_retries=3)
    file_id = _upload(client)
    fault = emulator.faults.inject(
        "status", method="POST", path="/v1/transcriptions", status=429, retry_after=0, times=2
    )
    created = client.stt.create(file_id=file_id)
    assert fault.hits == 2
    assert emulator.request_count("POST", "/v1/transcriptions") == 3
    assert client.stt.count().total == 1
    assert [t.id for t in client.stt.list_all()] == [created.id]


def test_create_429_past_max_retries_raises_typed(
    make_client: Callable[..., Any], emulator: Emulator
) -> None:
    client = make_client(max_retries=1)
    file_id = _upload(client)
    emulator.faults.inject(
        "status", method="POST", path="/v1/transcriptions", status=429, retry_after=0, times=5
    )
    with pytest.raises(SonioxRateLimitError) as caught:
        client.stt.create(file_id=file_id)
    assert caught.value.attempts == 2
    assert client.stt.count().total == 0


def test_post_retried_when_it_never_reached_the_server(
    make_client: Callable[..., Any], emulator: Emulator
) -> None:
    # Nothing listens on this port, so the connection provably never happened.
    client = make_client(api_base_url="http://127.0.0.1:9/v1", max_retries=2)
    with pytest.raises(SonioxConnectionError) as caught:
        client.stt.create(audio_url="https://example.com/a.wav")
    assert caught.value.request_sent is False
    assert caught.value.attempts == 3


def test_latency_beyond_read_timeout(make_client: Callable[..., Any], emulator: Emulator) -> None:
    client = make_client(max_retries=0, timeout_sec=Timeouts(connect=5, read=0.1, write=5, pool=5))
    emulator.faults.inject("latency", method="GET", path="/v1/models", seconds=0.5)
    with pytest.raises(SonioxReadTimeoutError):
        client.models.list()
    # The client stays usable after a timeout.
    assert client.models.list().models


def test_slow_body_recovers_with_retry(make_client: Callable[..., Any], emulator: Emulator) -> None:
    # The read timeout sits well below the trickle's pause but well above a loaded
    # machine's answer time, so only the first attempt times out (it failed in CI at 0.05 s).
    client = make_client(max_retries=1, timeout_sec=Timeouts(connect=5, read=0.5, write=5, pool=5))
    emulator.faults.inject("slow_body", method="GET", path="/v1/models", chunk_size=8, interval=2.0)
    assert client.models.list().models
    assert emulator.request_count("GET", "/v1/models") == 2


def test_slow_body_within_timeout_is_fine(make_client: Callable[..., Any], emulator: Emulator) -> None:
    client = make_client(max_retries=0)
    emulator.faults.inject("slow_body", method="GET", path="/v1/models", chunk_size=256, interval=0.01)
    assert client.models.list().models


def test_delete_whose_answer_was_lost_still_succeeds(
    make_client: Callable[..., Any], emulator: Emulator
) -> None:
    client = make_client(max_retries=2)
    file_id = _upload(client)
    emulator.faults.inject("reset_after_read", method="DELETE", path=FILES + "/", times=1)
    client.files.delete(file_id)  # the first attempt deleted it; the retry's 404 means done
    assert client.files.get_or_none(file_id) is None
