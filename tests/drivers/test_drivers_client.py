"""The client object itself: request(), models, auth, webhooks helpers, configuration."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from _drivers_support import API_KEY, THREE_WAYS, Driver, request_total

from soniox_core import (
    CreateTemporaryApiKeyResponse,
    GetModelsResponse,
    InvalidWebhookPayloadError,
    InvalidWebhookSignatureError,
    Response,
    SonioxAuthenticationError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxValidationError,
    TemporaryApiKeyUsageType,
    WebhookAuthConfig,
)
from soniox_emulator import Emulator

pytestmark = [pytest.mark.anyio, THREE_WAYS]

URL = "https://audio.example.test/a.wav"


# request() -------------------------------------------------------------------------------


async def test_request_get_with_params(sdk: Driver, emu: Emulator) -> None:
    response = await sdk(sdk.client.request, "GET", "/models")
    assert isinstance(response, Response)
    assert response.status_code == 200 and response.is_success
    assert response.headers["Content-Type"] == "application/json"
    assert "stt-async-v5" in {m["id"] for m in response.json()["models"]}
    assert response.raise_for_status() is response

    for _ in range(2):
        await sdk(sdk.client.files.upload, b"abc")
    page = await sdk(sdk.client.request, "get", "files", params={"limit": 1, "cursor": None})
    assert len(page.json()["files"]) == 1
    assert page.json()["next_page_cursor"]
    assert emu.requests[-1].headers["authorization"] == f"Bearer {API_KEY}"


async def test_request_post_json(sdk: Driver) -> None:
    response = await sdk(
        sdk.client.request,
        "POST",
        "/transcriptions",
        json={"model": "stt-async-v5", "audio_url": URL, "client_reference_id": "raw"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["client_reference_id"] == "raw"
    assert (await sdk(sdk.client.stt.get, body["id"])).audio_url == URL


async def test_request_post_form_data_and_error_status_returned(sdk: Driver, emu: Emulator) -> None:
    response = await sdk(
        sdk.client.request, "POST", "/auth/temporary-api-key", data={"usage_type": "transcribe_websocket"}
    )
    assert emu.requests[-1].headers["content-type"] == "application/x-www-form-urlencoded"
    assert response.status_code == 400  # the API wants JSON: returned, not raised
    assert not response.is_success
    with pytest.raises(SonioxInvalidRequestError) as caught:
        response.raise_for_status()
    assert caught.value.validation_errors


async def test_request_multipart_files(sdk: Driver, tmp_path: Path) -> None:
    response = await sdk(
        sdk.client.request,
        "POST",
        "/files",
        files={"file": ("raw.wav", b"RIFF....", "audio/wav")},
        data={"client_reference_id": "multi"},
    )
    assert response.status_code == 201
    assert (response.json()["filename"], response.json()["client_reference_id"]) == ("raw.wav", "multi")
    assert response.json()["size"] == 8

    path = tmp_path / "disk.mp3"
    path.write_bytes(b"x" * 5000)
    with path.open("rb") as handle:
        from_handle = await sdk(sdk.client.request, "POST", "/files", files={"file": handle})
        assert not handle.closed
    assert (from_handle.json()["filename"], from_handle.json()["size"]) == ("disk.mp3", 5000)


async def test_request_404_is_returned_then_raised_on_demand(sdk: Driver) -> None:
    response = await sdk(sdk.client.request, "GET", f"/files/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error_type"] == "file_not_found"
    with pytest.raises(SonioxNotFoundError):
        response.raise_for_status()


async def test_request_wrong_key_is_returned(sdk: Driver, emu: Emulator) -> None:
    async with sdk.other(emu, api_key="wrong") as wrong:
        response = await wrong(wrong.client.request, "GET", "/models")
    assert response.status_code == 401
    with pytest.raises(SonioxAuthenticationError):
        response.raise_for_status()


async def test_request_rejects_conflicting_bodies_before_sending(sdk: Driver, emu: Emulator) -> None:
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.request, "POST", "/files", json={"a": 1}, data={"b": 2})
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.request, "GET", "https://elsewhere.example/v1/models")
    assert request_total(emu) == 0


# Models and auth -------------------------------------------------------------------------


async def test_models_list(sdk: Driver, emu: Emulator) -> None:
    models = await sdk(sdk.client.models.list)
    assert isinstance(models, GetModelsResponse)
    by_id = {m.id: m for m in models.models}
    assert by_id["stt-async-v5"].transcription_mode == "async"
    assert by_id["stt-rt-v5"].transcription_mode == "real_time"
    assert by_id["stt-async-v5"].languages
    assert emu.request_count("GET", "/v1/models") == 1


async def test_create_temporary_api_key(sdk: Driver, emu: Emulator) -> None:
    default = await sdk(sdk.client.auth.create_temporary_api_key)
    assert isinstance(default, CreateTemporaryApiKeyResponse)
    assert default.api_key.startswith("snx_temp_")
    record = emu.temporary_key(default.api_key)
    assert record is not None
    assert (record.usage_type, record.single_use, record.client_reference_id) == (
        "transcribe_websocket",
        False,
        None,
    )

    custom = await sdk(
        sdk.client.auth.create_temporary_api_key,
        usage_type=TemporaryApiKeyUsageType.TRANSCRIBE_WEBSOCKET,
        expires_in_seconds=60,
        client_reference_id="kiosk-7",
        single_use=True,
        max_session_duration_seconds=120,
    )
    record = emu.temporary_key(custom.api_key)
    assert record is not None
    assert (record.client_reference_id, record.single_use, record.max_session_duration_seconds) == (
        "kiosk-7",
        True,
        120,
    )
    assert custom.api_key not in repr(custom)  # the key is not shown in logs

    # A temporary key is for realtime only; the REST API refuses it.
    async with sdk.other(emu, api_key=custom.api_key) as temporary:
        with pytest.raises(SonioxAuthenticationError):
            await temporary(temporary.client.files.count)


async def test_create_temporary_api_key_validates_before_sending(sdk: Driver, emu: Emulator) -> None:
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.auth.create_temporary_api_key, usage_type="bogus")
    assert request_total(emu) == 0


# Webhook helpers (pure, the same on both clients) ----------------------------------------


async def test_webhook_helpers(sdk: Driver, emu: Emulator) -> None:
    body = b'{"id": "2b1d7d0e-0000-4000-8000-000000000001", "status": "completed"}'
    async with sdk.other(emu, webhook_secret="s3cret", webhook_signature_header="X-Hook") as hooked:
        hooks = hooked.client.webhooks
        hooks.verify_signature({"x-hook": "s3cret"})  # header names are case-insensitive
        hooks.verify_signature([(b"X-HOOK", b"s3cret")])
        for bad in ({"X-Hook": "nope"}, {}, {"X-Soniox-Webhook-Secret": "s3cret"}):
            with pytest.raises(InvalidWebhookSignatureError):
                hooks.verify_signature(bad)
        event = hooks.unwrap(body, {"X-Hook": "s3cret"})
        assert (event.id, event.status) == ("2b1d7d0e-0000-4000-8000-000000000001", "completed")
        assert hooks.unwrap(body.decode(), {"X-Hook": "s3cret"}) == event
        with pytest.raises(InvalidWebhookPayloadError):
            hooks.unwrap(b"not json", {"X-Hook": "s3cret"})
        with pytest.raises(InvalidWebhookSignatureError):
            hooks.unwrap(body, {"X-Hook": "wrong"})
        assert hooks.webhook_payload("https://me.test/hook") == {
            "webhook_url": "https://me.test/hook",
            "webhook_auth_header_name": "X-Hook",
            "webhook_auth_header_value": "s3cret",
        }
        override = WebhookAuthConfig(name="X-Other", value="v")
        assert hooks.webhook_payload("https://me.test/hook", auth=override)["webhook_auth_header_name"] == (
            "X-Other"
        )
        hooks.verify_signature({"X-Other": "v"}, auth=override)

    plain = sdk.client.webhooks  # no secret configured: fails closed unless told otherwise
    with pytest.raises(InvalidWebhookSignatureError):
        plain.verify_signature({})
    plain.verify_signature({}, allow_unauthenticated=True)
    assert plain.unwrap(body, {}, allow_unauthenticated=True).status == "completed"
    assert plain.webhook_payload("https://me.test/hook") == {"webhook_url": "https://me.test/hook"}
    assert request_total(emu) == 0


# Configuration and lifecycle -------------------------------------------------------------


async def test_api_key_from_the_environment(
    sdk: Driver, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SONIOX_API_KEY", API_KEY)
    async with sdk.other(emu, api_key=None) as from_env:
        assert from_env.client.api_key == API_KEY
        assert (await from_env(from_env.client.files.count)).total == 0
    monkeypatch.delenv("SONIOX_API_KEY")
    with pytest.raises(SonioxValidationError):
        async with sdk.other(emu, api_key=None):
            pass
    assert request_total(emu) == 1


async def test_base_url_trailing_slash_and_with_options(sdk: Driver, emu: Emulator) -> None:
    async with sdk.other(emu, api_base_url=emu.base_url + "/", timeout_sec=5) as slashed:
        assert slashed.client.api_base_url == emu.base_url
        assert slashed.client.timeout_sec == 5
        assert (await slashed(slashed.client.models.list)).models
        derived = slashed.client.with_options(timeout_sec=7, max_retries=0)
        assert derived.timeout_sec == 7
        assert derived.api_base_url == emu.base_url
        assert (await slashed(derived.files.count)).total == 0
    assert emu.requests[0].path == "/v1/models"


async def test_close_is_idempotent_and_the_context_closes(sdk: Driver, emu: Emulator) -> None:
    async with sdk.other(emu) as other:
        assert (await other(other.client.models.list)).models
        await other.close()
        await other.close()
