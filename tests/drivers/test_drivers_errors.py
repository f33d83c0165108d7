"""Every error class from a real emulator response, and typed transport errors."""

from __future__ import annotations

import uuid

import anyio
import pytest
from _drivers_support import THREE_WAYS, Driver, closed_port

from soniox_core import (
    SonioxAPIError,
    SonioxAuthenticationError,
    SonioxConflictError,
    SonioxConnectionError,
    SonioxError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxPaymentRequiredError,
    SonioxRateLimitError,
    SonioxReadTimeoutError,
    SonioxRequestTimeoutError,
    SonioxServerError,
    SonioxTimeoutError,
    SonioxTransportError,
    Timeouts,
)
from soniox_emulator import Emulator

pytestmark = [pytest.mark.anyio, THREE_WAYS]

URL = "https://audio.example.test/a.wav"


async def test_401_wrong_key(sdk: Driver, emu: Emulator) -> None:
    async with sdk.other(emu, api_key="not-the-key") as wrong:
        with pytest.raises(SonioxAuthenticationError) as caught:
            await wrong(wrong.client.files.list)
    error = caught.value
    assert error.status_code == 401
    assert error.error_type == "unauthenticated"
    assert error.message == "Incorrect API key provided."
    assert error.request_id
    assert error.api_error is not None and error.api_error.status_code == 401
    assert emu.requests[-1].headers["authorization"] == "Bearer not-the-key"


async def test_400_validation_errors_are_parsed(sdk: Driver) -> None:
    with pytest.raises(SonioxInvalidRequestError) as caught:
        await sdk(sdk.client.stt.create, model="no-such-model", audio_url=URL)
    error = caught.value
    assert error.status_code == 400
    assert error.error_type == "invalid_request"
    assert [v.location for v in error.validation_errors] == ["body.payload.model"]
    assert "Validation errors: body.payload.model: Invalid model" in str(error)

    with pytest.raises(SonioxInvalidRequestError) as unknown_file:
        await sdk(sdk.client.stt.create, file_id=str(uuid.uuid4()))
    assert [v.location for v in unknown_file.value.validation_errors] == ["body.payload.file_id"]


async def test_404_and_409(sdk: Driver, emu: Emulator) -> None:
    with pytest.raises(SonioxNotFoundError) as missing:
        await sdk(sdk.client.stt.get_transcript, str(uuid.uuid4()))
    assert missing.value.status_code == 404
    emu.processing_sec = 5
    created = await sdk(sdk.client.stt.create, audio_url=URL)
    with pytest.raises(SonioxConflictError) as conflict:
        await sdk(sdk.client.stt.get_transcript, created.id)
    assert conflict.value.status_code == 409
    assert "not completed" in conflict.value.message


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (402, SonioxPaymentRequiredError),
        (403, SonioxAuthenticationError),
        (408, SonioxRequestTimeoutError),
        (429, SonioxRateLimitError),
        (500, SonioxServerError),
        (503, SonioxServerError),
    ],
)
async def test_injected_status_maps_to_its_class(
    sdk: Driver, emu: Emulator, status: int, error_class: type[SonioxAPIError]
) -> None:
    fault = emu.faults.inject("status", method="GET", path="/v1/models", status=status)
    strict = sdk.client.with_options(max_retries=0)
    with pytest.raises(error_class) as caught:
        await sdk(strict.models.list)
    error = caught.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.message.startswith("Injected")
    assert error.request_id
    assert error.attempts == 1
    assert fault.hits == 1
    if status == 429:
        assert error.retry_after == 1.0
    assert (await sdk(sdk.client.models.list)).models  # the fault was used up


async def test_502_html_page_is_not_the_message(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("status", method="GET", path="/v1/files", status=502)
    strict = sdk.client.with_options(max_retries=0)
    with pytest.raises(SonioxServerError) as caught:
        await sdk(strict.files.list)
    error = caught.value
    assert error.status_code == 502
    assert error.api_error is None
    assert error.message == "Bad Gateway"
    assert "<" not in str(error)
    assert b"<html>" in error.body


async def test_retryable_statuses_are_retried_for_idempotent_requests(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("status", method="GET", path="/v1/models", status=503, retry_after=0)
    emu.faults.inject("status", method="GET", path="/v1/models", status=429, retry_after=0)
    assert (await sdk(sdk.client.models.list)).models
    assert emu.request_count("GET", "/v1/models") == 3


async def test_a_create_is_never_sent_twice(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("status", method="POST", path="/v1/transcriptions", status=503, retry_after=0)
    with pytest.raises(SonioxServerError) as caught:
        await sdk(sdk.client.stt.create, audio_url=URL)
    assert caught.value.attempts == 1
    assert emu.request_count("POST", "/v1/transcriptions") == 1


async def test_connection_refused_is_a_connection_error(sdk: Driver, emu: Emulator) -> None:
    base = f"http://127.0.0.1:{closed_port()}/v1"
    async with sdk.other(emu, api_base_url=base, max_retries=0) as nowhere:
        with pytest.raises(SonioxConnectionError) as caught:
            await nowhere(nowhere.client.files.list)
    error = caught.value
    assert isinstance(error, SonioxTransportError) and isinstance(error, SonioxError)
    assert error.request_sent is False
    assert error.attempts == 1
    assert not isinstance(error.__cause__, SonioxError)  # the library's error is kept as the cause


async def test_read_timeout_while_waiting_for_the_answer(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("latency", method="GET", path="/v1/models", seconds=0.5)
    async with sdk.other(emu, timeout_sec=0.1, max_retries=0) as impatient:
        started = anyio.current_time()
        with pytest.raises(SonioxReadTimeoutError) as caught:
            await impatient(impatient.client.models.list)
        assert anyio.current_time() - started < 0.45
        assert isinstance(caught.value, SonioxTimeoutError)
        assert isinstance(caught.value, TimeoutError)
        assert caught.value.request_sent is True
        assert (await impatient(impatient.client.models.list)).models  # still usable


async def test_read_timeout_on_a_slow_body(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("slow_body", method="GET", path="/v1/files/count", chunk_size=8, interval=0.4)
    async with sdk.other(emu, timeout_sec=0.1, max_retries=0) as impatient:
        with pytest.raises(SonioxReadTimeoutError):
            await impatient(impatient.client.files.count)
        assert (await impatient(impatient.client.files.count)).total == 0


async def test_resets_and_short_bodies(sdk: Driver, emu: Emulator) -> None:
    strict = sdk.client.with_options(max_retries=0)
    emu.faults.inject("reset_before_read", method="GET", path="/v1/models")
    with pytest.raises(SonioxConnectionError):
        await sdk(strict.models.list)
    emu.faults.inject("truncated_body", method="GET", path="/v1/models")
    with pytest.raises(SonioxConnectionError):
        await sdk(strict.models.list)

    # With retries (the default), an idempotent GET recovers from either.
    emu.faults.inject("reset_after_read", method="GET", path="/v1/models")
    emu.faults.inject("truncated_body", method="GET", path="/v1/models")
    before = emu.request_count("GET", "/v1/models")
    assert (await sdk(sdk.client.models.list)).models
    assert emu.request_count("GET", "/v1/models") - before == 3


async def test_a_post_that_may_have_arrived_is_not_repeated(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("reset_after_read", method="POST", path="/v1/transcriptions")
    with pytest.raises(SonioxConnectionError) as caught:
        await sdk(sdk.client.stt.create, audio_url=URL)
    assert caught.value.request_sent is True
    assert emu.request_count("POST", "/v1/transcriptions") == 1
    assert (await sdk(sdk.client.stt.count)).total == 1  # it did arrive, exactly once


async def test_or_none_and_if_exists_only_swallow_404(sdk: Driver, emu: Emulator) -> None:
    uploaded = await sdk(sdk.client.files.upload, b"abc")
    strict = sdk.client.with_options(max_retries=0)
    emu.faults.inject("status", method="GET", path="/v1/files/", status=500)
    with pytest.raises(SonioxServerError):
        await sdk(strict.files.get_or_none, uploaded.id)
    emu.faults.inject("status", method="DELETE", path="/v1/transcriptions/", status=500)
    with pytest.raises(SonioxServerError):
        await sdk(strict.stt.delete_if_exists, str(uuid.uuid4()))
    emu.faults.inject("status", method="GET", path="/v1/transcriptions/", status=404)
    assert await sdk(strict.stt.get_or_none, str(uuid.uuid4())) is None


async def test_delete_all_stops_at_the_first_failure(sdk: Driver, emu: Emulator) -> None:
    for _ in range(3):
        await sdk(sdk.client.files.upload, b"abc")
    emu.faults.inject("status", method="DELETE", path="/v1/files/", status=500, times=None)
    strict = sdk.client.with_options(max_retries=0)
    with pytest.raises(SonioxServerError):
        await sdk(strict.files.delete_all)
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    emu.faults.clear()
    assert (await sdk(sdk.client.files.count)).total == 3


async def test_list_all_raises_when_a_later_page_fails(sdk: Driver, emu: Emulator) -> None:
    for n in range(3):
        await sdk(sdk.client.stt.create, audio_url=f"{URL}?n={n}")
    first_page = await sdk(sdk.client.stt.list, limit=2)
    strict = sdk.client.with_options(max_retries=0)
    seen: list[str] = []

    def drain_sync() -> None:
        for item in strict.stt.list_all(limit=2):
            seen.append(item.id)

    async def drain_async() -> None:
        async for item in strict.stt.list_all(limit=2):
            seen.append(item.id)

    emu.faults.inject("latency", method="GET", path="/v1/transcriptions", seconds=0)  # first page passes
    emu.faults.inject("status", method="GET", path="/v1/transcriptions", status=500)
    with pytest.raises(SonioxServerError):
        if sdk.is_sync:
            await anyio.to_thread.run_sync(drain_sync)
        else:
            await drain_async()
    assert seen == [t.id for t in first_page.transcriptions]


async def test_retry_after_is_honoured(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("status", method="GET", path="/v1/files/count", status=429, retry_after=0.3)
    started = anyio.current_time()
    assert (await sdk(sdk.client.files.count)).total == 0
    assert anyio.current_time() - started >= 0.3
    assert emu.request_count("GET", "/v1/files/count") == 2


async def test_a_delete_whose_answer_was_lost_is_not_reported_as_404(sdk: Driver, emu: Emulator) -> None:
    uploaded = await sdk(sdk.client.files.upload, b"abc")
    # The server deletes the file, then the connection breaks before the answer arrives;
    # the retry finds it gone, which is what the caller asked for.
    emu.faults.inject("reset_after_read", method="DELETE", path="/v1/files/")
    assert await sdk(sdk.client.files.delete, uploaded.id) is None
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 2
    assert await sdk(sdk.client.files.get_or_none, uploaded.id) is None
    with pytest.raises(SonioxNotFoundError):  # a plain second delete is still a 404
        await sdk(sdk.client.files.delete, uploaded.id)


async def test_per_phase_timeouts(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("latency", method="GET", path="/v1/models", seconds=0.5)
    phases = Timeouts(connect=5, read=0.1, write=5, pool=5)
    async with sdk.other(emu, timeout_sec=phases, max_retries=0) as impatient:
        assert impatient.client.timeout_sec == 0.1
        with pytest.raises(SonioxReadTimeoutError):
            await impatient(impatient.client.models.list)
