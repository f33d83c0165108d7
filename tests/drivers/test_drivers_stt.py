"""``client.stt``: every method of the reference, on both clients, against the emulator."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest
from _drivers_support import THREE_WAYS, WAIT, Driver, request_total

from soniox_core import (
    CreateTranscriptionConfig,
    GetTranscriptionsCountResponse,
    GetTranscriptionsResponse,
    SonioxConflictError,
    SonioxConnectionError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxServerError,
    SonioxValidationError,
    SonioxWaitTimeoutError,
    Transcription,
    TranscriptionTranscript,
    WebhookAuthConfig,
    WebhookEvent,
)
from soniox_emulator import Emulator

pytestmark = [pytest.mark.anyio, THREE_WAYS]

AUDIO = b"RIFF" + bytes(range(256)) * 8
URL = "https://audio.example.test/talk.wav"
BROKEN_URL = "https://audio.invalid/missing.wav"  # the emulator fails these downloads


def _routes(emu: Emulator) -> list[tuple[str, str]]:
    return [(r.method, r.route) for r in emu.requests]


# Create, get, list, count ----------------------------------------------------------------


async def test_create_from_file_id(sdk: Driver, emu: Emulator) -> None:
    uploaded = await sdk(sdk.client.files.upload, AUDIO, filename="a.wav")
    config = CreateTranscriptionConfig(language_hints=["en", "de"], enable_speaker_diarization=True)
    created = await sdk(
        sdk.client.stt.create, file_id=uploaded.id, client_reference_id="job-1", config=config
    )
    assert isinstance(created, Transcription)
    assert created.status in ("queued", "processing")
    assert created.file_id == uploaded.id
    assert created.audio_url is None
    assert created.filename == "a.wav"
    assert created.model == "stt-async-v5"
    assert created.client_reference_id == "job-1"
    assert created.language_hints == ["en", "de"]
    assert created.enable_speaker_diarization is True
    assert emu.request_count("POST", "/v1/transcriptions") == 1


async def test_create_from_audio_url(sdk: Driver, emu: Emulator) -> None:
    created = await sdk(sdk.client.stt.create, model="stt-async-v4", audio_url=URL)
    assert (created.audio_url, created.file_id, created.model) == (URL, None, "stt-async-v4")
    assert created.filename == "talk.wav"
    assert emu.request_count("POST", "/v1/files") == 0


async def test_create_with_both_sources_sends_nothing(sdk: Driver, emu: Emulator) -> None:
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.stt.create, file_id=str(uuid.uuid4()), audio_url=URL)
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.stt.create)
    assert request_total(emu) == 0


async def test_get_and_get_or_none(sdk: Driver) -> None:
    created = await sdk(sdk.client.stt.create, audio_url=URL)
    fetched = await sdk(sdk.client.stt.get, created.id)
    assert fetched.id == created.id
    assert await sdk(sdk.client.stt.get_or_none, created.id) is not None
    missing = str(uuid.uuid4())
    assert await sdk(sdk.client.stt.get_or_none, missing) is None
    with pytest.raises(SonioxNotFoundError) as caught:
        await sdk(sdk.client.stt.get, missing)
    assert caught.value.error_type == "transcription_not_found"


async def test_list_count_and_list_all_over_pages(sdk: Driver, emu: Emulator) -> None:
    ids = {(await sdk(sdk.client.stt.create, audio_url=f"{URL}?n={n}")).id for n in range(5)}
    page = await sdk(sdk.client.stt.list, limit=3)
    assert isinstance(page, GetTranscriptionsResponse)
    assert len(page.transcriptions) == 3 and page.next_page_cursor
    rest = await sdk(sdk.client.stt.list, limit=3, cursor=page.next_page_cursor)
    assert len(rest.transcriptions) == 2 and not rest.next_page_cursor
    assert {t.id for t in page.transcriptions + rest.transcriptions} == ids

    counted = await sdk(sdk.client.stt.count)
    assert isinstance(counted, GetTranscriptionsCountResponse)
    assert counted.total == 5

    before = emu.request_count("GET", "/v1/transcriptions")
    listed = await sdk.collect(sdk.client.stt.list_all, limit=2)
    assert [t.id for t in listed if isinstance(t, Transcription)] == [t.id for t in listed]
    assert len(listed) == 5 and {t.id for t in listed} == ids
    assert emu.request_count("GET", "/v1/transcriptions") - before == 3


# Delete, destroy -------------------------------------------------------------------------


async def test_delete_conflicts_while_processing_then_succeeds(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.5
    created = await sdk(sdk.client.stt.create, audio_url=URL)
    with pytest.raises(SonioxConflictError) as caught:
        await sdk(sdk.client.stt.delete, created.id)
    assert caught.value.status_code == 409
    assert caught.value.error_type == "transcription_invalid_state"
    with pytest.raises(SonioxConflictError):  # only a missing one is ignored
        await sdk(sdk.client.stt.delete_if_exists, created.id)
    await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=5)
    assert await sdk(sdk.client.stt.delete, created.id) is None
    assert await sdk(sdk.client.stt.get_or_none, created.id) is None
    with pytest.raises(SonioxNotFoundError):
        await sdk(sdk.client.stt.delete, created.id)
    assert await sdk(sdk.client.stt.delete_if_exists, created.id) is None


async def test_destroy_deletes_the_transcription_and_its_file(sdk: Driver, emu: Emulator) -> None:
    uploaded = await sdk(sdk.client.files.upload, AUDIO)
    created = await sdk(sdk.client.stt.create, file_id=uploaded.id)
    await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=5)
    assert await sdk(sdk.client.stt.destroy, created.id) is None
    assert await sdk(sdk.client.stt.get_or_none, created.id) is None
    assert await sdk(sdk.client.files.get_or_none, uploaded.id) is None
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1

    from_url = await sdk(sdk.client.stt.create, audio_url=URL)
    await sdk(sdk.client.stt.wait, from_url.id, interval_sec=WAIT, timeout_sec=5)
    await sdk(sdk.client.stt.destroy, from_url.id)
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1  # no file, no file delete
    with pytest.raises(SonioxNotFoundError):
        await sdk(sdk.client.stt.destroy, from_url.id)


async def test_destroy_all_and_delete_all(sdk: Driver, emu: Emulator) -> None:
    created = []
    for n in range(2):
        uploaded = await sdk(sdk.client.files.upload, AUDIO, filename=f"{n}.wav")
        created.append(await sdk(sdk.client.stt.create, file_id=uploaded.id))
    created.append(await sdk(sdk.client.stt.create, audio_url=URL))
    for one in created:
        await sdk(sdk.client.stt.wait, one.id, interval_sec=WAIT, timeout_sec=5)
    assert await sdk(sdk.client.stt.destroy_all, limit=2) is None
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert (await sdk(sdk.client.files.count)).total == 0
    assert emu.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 3
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 2

    kept = await sdk(sdk.client.files.upload, AUDIO)
    for n in range(3):
        done = await sdk(sdk.client.stt.create, audio_url=f"{URL}?n={n}")
        await sdk(sdk.client.stt.wait, done.id, interval_sec=WAIT, timeout_sec=5)
    assert await sdk(sdk.client.stt.delete_all, limit=2) is None
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert await sdk(sdk.client.files.get_or_none, kept.id) is not None  # files untouched


# Transcript and wait ---------------------------------------------------------------------


async def test_get_transcript_conflicts_until_completed(sdk: Driver, emu: Emulator) -> None:
    emu.set_transcript("Drivers say hello.", filename="hello.wav")
    created = await sdk(sdk.client.stt.transcribe_from_file, file=AUDIO, filename="hello.wav")
    with pytest.raises(SonioxConflictError) as caught:
        await sdk(sdk.client.stt.get_transcript, created.id)
    assert caught.value.error_type == "transcription_invalid_state"
    done = await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=5)
    assert done.status == "completed"
    transcript = await sdk(sdk.client.stt.get_transcript, created.id)
    assert isinstance(transcript, TranscriptionTranscript)
    assert transcript.id == created.id
    assert transcript.text == "Drivers say hello."
    assert transcript.tokens and "".join(t.text for t in transcript.tokens).strip()


async def test_big_transcript_whole_and_truncated(sdk: Driver, emu: Emulator) -> None:
    # Past the runners' pre-sizing threshold: the body is read into one buffer sized
    # from Content-Length, which must still come out whole, or fail typed when cut.
    text = " ".join(f"word{i}" for i in range(2500)) + "."
    emu.set_transcript(text, filename="big.wav")
    created = await sdk(sdk.client.stt.transcribe_from_file, file=AUDIO, filename="big.wav")
    await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=5)
    raw = await sdk(sdk.client.request, "GET", f"/transcriptions/{created.id}/transcript")
    assert len(raw.content) > 256 * 1024
    assert isinstance(raw.content, bytes)
    transcript = await sdk(sdk.client.stt.get_transcript, created.id)
    assert transcript.text == text
    assert "".join(t.text for t in transcript.tokens).strip() == text

    path = f"/v1/transcriptions/{created.id}/transcript"
    emu.faults.inject("truncated_body", method="GET", path=path)
    with pytest.raises(SonioxConnectionError):
        await sdk(sdk.client.with_options(max_retries=0).stt.get_transcript, created.id)
    emu.faults.inject("truncated_body", method="GET", path=path)
    assert (await sdk(sdk.client.stt.get_transcript, created.id)).text == text


async def test_wait_returns_a_failed_transcription_without_raising(sdk: Driver) -> None:
    created = await sdk(sdk.client.stt.create, audio_url=BROKEN_URL)
    done = await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=5)
    assert done.status == "error"
    assert done.error_type == "audio_download_error"
    with pytest.raises(SonioxConflictError):
        await sdk(sdk.client.stt.get_transcript, created.id)


async def test_wait_polls_until_done(sdk: Driver, emu: Emulator) -> None:
    created = await sdk(sdk.client.stt.create, audio_url=URL)
    done = await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT)
    assert done.status == "completed"
    assert done.audio_duration_ms
    assert emu.request_count("GET", "/v1/transcriptions/{transcription_id}") >= 2


async def test_wait_timeout_names_the_transcription(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 5
    created = await sdk(sdk.client.stt.create, audio_url=URL)
    started = anyio.current_time()
    with pytest.raises(SonioxWaitTimeoutError) as caught:
        await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=0.1)
    assert anyio.current_time() - started < 2
    assert isinstance(caught.value, TimeoutError)
    assert caught.value.transcription_id == created.id
    assert created.id in str(caught.value)

    polls = emu.request_count("GET", "/v1/transcriptions/{transcription_id}")
    with pytest.raises(SonioxWaitTimeoutError):
        await sdk(sdk.client.stt.wait, created.id, interval_sec=WAIT, timeout_sec=0)
    assert emu.request_count("GET", "/v1/transcriptions/{transcription_id}") == polls + 1


# The transcribe family -------------------------------------------------------------------


async def test_transcribe_from_url_file_id_and_file(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    from_url = await sdk(sdk.client.stt.transcribe_from_url, audio_url=URL, client_reference_id="u")
    assert (from_url.audio_url, from_url.client_reference_id) == (URL, "u")

    uploaded = await sdk(sdk.client.files.upload, AUDIO)
    from_id = await sdk(sdk.client.stt.transcribe_from_file_id, file_id=uploaded.id)
    assert from_id.file_id == uploaded.id
    assert emu.request_count("POST", "/v1/files") == 1

    path = tmp_path / "local.wav"
    path.write_bytes(AUDIO)
    from_file = await sdk(
        sdk.client.stt.transcribe_from_file,
        file=path,
        client_reference_id="f",
        config=CreateTranscriptionConfig(enable_language_identification=True),
    )
    assert from_file.file_id and from_file.file_id != uploaded.id
    assert from_file.filename == "local.wav"
    assert from_file.enable_language_identification is True
    assert (await sdk(sdk.client.files.get, from_file.file_id)).size == len(AUDIO)
    assert emu.request_count("POST", "/v1/files") == 2
    assert emu.request_count("POST", "/v1/transcriptions") == 3


async def test_transcribe_from_file_removes_the_upload_when_create_fails(sdk: Driver, emu: Emulator) -> None:
    with pytest.raises(SonioxInvalidRequestError):
        await sdk(sdk.client.stt.transcribe_from_file, model="no-such-model", file=AUDIO)
    assert emu.request_count("POST", "/v1/files") == 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert (await sdk(sdk.client.files.count)).total == 0


async def test_transcribe_dispatches_on_its_input(sdk: Driver, emu: Emulator) -> None:
    by_url = await sdk(sdk.client.stt.transcribe, audio_url=URL)
    assert by_url.audio_url == URL and by_url.file_id is None
    assert emu.request_count("POST", "/v1/files") == 0

    uploaded = await sdk(sdk.client.files.upload, AUDIO)
    by_id = await sdk(sdk.client.stt.transcribe, file_id=uploaded.id)
    assert by_id.file_id == uploaded.id

    by_file = await sdk(sdk.client.stt.transcribe, file=AUDIO, filename="mine.ogg", client_reference_id="r")
    assert by_file.filename == "mine.ogg"
    assert by_file.client_reference_id == "r"
    assert by_file.file_id not in (None, uploaded.id)
    assert emu.request_count("POST", "/v1/files") == 2
    assert emu.request_count("POST", "/v1/transcriptions") == 3


@pytest.mark.parametrize(
    "sources",
    [
        {},
        {"file": AUDIO, "audio_url": URL},
        {"file_id": "7d2ab1a4-1111-4c1d-9d2e-000000000000", "audio_url": URL},
        {"file": AUDIO, "file_id": "7d2ab1a4-1111-4c1d-9d2e-000000000000"},
        {"file": AUDIO, "file_id": "7d2ab1a4-1111-4c1d-9d2e-000000000000", "audio_url": URL},
    ],
    ids=["none", "file+url", "file_id+url", "file+file_id", "all-three"],
)
async def test_transcribe_rejects_other_than_one_source_before_any_request(
    sdk: Driver, emu: Emulator, sources: dict[str, Any]
) -> None:
    stt = sdk.client.stt
    for method in (stt.transcribe, stt.transcribe_and_wait, stt.transcribe_and_wait_with_tokens):
        with pytest.raises(SonioxValidationError):
            await sdk(method, **sources)
    assert request_total(emu) == 0
    assert emu.request_count("POST", "/v1/files") == 0
    assert emu.request_count("POST", "/v1/transcriptions") == 0


@pytest.mark.parametrize(
    "wait_options",
    [{"wait_interval_sec": 0}, {"wait_interval_sec": -1}, {"wait_timeout_sec": -1}],
    ids=["zero-interval", "negative-interval", "negative-timeout"],
)
async def test_transcribe_and_wait_checks_its_wait_options_before_any_request(
    sdk: Driver, emu: Emulator, wait_options: dict[str, float]
) -> None:
    for method in (sdk.client.stt.transcribe_and_wait, sdk.client.stt.transcribe_and_wait_with_tokens):
        with pytest.raises(SonioxValidationError):
            await sdk(method, file=AUDIO, delete_after=True, **wait_options)
    with pytest.raises(SonioxValidationError):
        await sdk(
            sdk.client.stt.wait,
            str(uuid.uuid4()),
            **{k.removeprefix("wait_"): v for k, v in wait_options.items()},
        )
    assert request_total(emu) == 0


async def test_bad_options_fail_before_the_upload(sdk: Driver, emu: Emulator) -> None:
    """Nothing is uploaded for a transcription that could never be created."""
    stt = sdk.client.stt
    with pytest.raises(SonioxValidationError):
        await sdk(stt.transcribe_file_with_webhook, file=AUDIO, webhook_url="not a url")
    with pytest.raises(SonioxValidationError):
        await sdk(stt.transcribe_from_file, file=AUDIO, client_reference_id="r" * 1000)
    with pytest.raises(SonioxValidationError):
        await sdk(stt.transcribe, file=AUDIO, config={"translation": {"type": "one_way"}})
    assert request_total(emu) == 0


# Webhooks --------------------------------------------------------------------------------


async def test_transcribe_file_with_webhook_uses_the_client_secret(
    sdk: Driver, emu: Emulator, webhook_receiver: str
) -> None:
    async with sdk.other(emu, webhook_secret="s3cret") as hooked:
        created = await hooked(
            hooked.client.stt.transcribe_file_with_webhook,
            file=AUDIO,
            filename="hook.wav",
            webhook_url=webhook_receiver,
            client_reference_id="wh",
        )
        assert created.webhook_url == webhook_receiver
        assert created.webhook_auth_header_name == "X-Soniox-Webhook-Secret"
        assert created.webhook_auth_header_value  # masked by the service, but set
        assert created.file_id and created.filename == "hook.wav"

        deliveries = await anyio.to_thread.run_sync(emu.wait_for_webhooks, 1)
        assert len(deliveries) == 1
        delivery = deliveries[0]
        assert delivery.ok, delivery.error
        assert delivery.transcription_id == created.id
        assert delivery.headers["X-Soniox-Webhook-Secret"] == "s3cret"
        event = hooked.client.webhooks.unwrap(delivery.body, delivery.headers)
        assert isinstance(event, WebhookEvent)
        assert (event.id, event.status) == (created.id, "completed")
        assert (await hooked(hooked.client.stt.get, created.id)).webhook_status_code == 200


async def test_transcribe_file_with_webhook_per_call_auth_and_none(
    sdk: Driver, emu: Emulator, webhook_receiver: str
) -> None:
    custom = WebhookAuthConfig(name="X-Custom-Auth", value="per-call")
    async with sdk.other(emu, webhook_secret="s3cret") as hooked:
        with_auth = await hooked(
            hooked.client.stt.transcribe_file_with_webhook,
            file=AUDIO,
            webhook_url=webhook_receiver,
            webhook_auth=custom,
        )
    assert with_auth.webhook_auth_header_name == "X-Custom-Auth"
    plain = await sdk(sdk.client.stt.transcribe_file_with_webhook, file=AUDIO, webhook_url=webhook_receiver)
    assert plain.webhook_url == webhook_receiver
    assert plain.webhook_auth_header_name is None
    assert plain.webhook_auth_header_value is None

    deliveries = await anyio.to_thread.run_sync(emu.wait_for_webhooks, 2)
    by_id = {d.transcription_id: d for d in deliveries}
    assert by_id[with_auth.id].headers["X-Custom-Auth"] == "per-call"
    assert "X-Soniox-Webhook-Secret" not in by_id[with_auth.id].headers
    event = sdk.client.webhooks.unwrap(by_id[with_auth.id].body, by_id[with_auth.id].headers, auth=custom)
    assert event.id == with_auth.id
    assert not any(k.lower().startswith("x-") for k in by_id[plain.id].headers)


# Transcribe and wait, with cleanup -------------------------------------------------------


async def test_transcribe_and_wait_keeps_everything_by_default(sdk: Driver, emu: Emulator) -> None:
    done = await sdk(sdk.client.stt.transcribe_and_wait, file=AUDIO, wait_interval_sec=WAIT)
    assert done.status == "completed"
    assert await sdk(sdk.client.stt.get_or_none, done.id) is not None
    assert await sdk(sdk.client.files.get_or_none, done.file_id) is not None
    assert emu.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 0


async def test_transcribe_and_wait_delete_after_removes_what_it_created(sdk: Driver, emu: Emulator) -> None:
    done = await sdk(
        sdk.client.stt.transcribe_and_wait,
        file=AUDIO,
        filename="gone.wav",
        delete_after=True,
        wait_interval_sec=WAIT,
        wait_timeout_sec=5,
    )
    assert done.status == "completed" and done.filename == "gone.wav"
    assert await sdk(sdk.client.stt.get_or_none, done.id) is None
    assert await sdk(sdk.client.files.get_or_none, done.file_id) is None
    assert emu.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1


async def test_delete_after_never_deletes_a_callers_file_or_touches_files_for_urls(
    sdk: Driver, emu: Emulator
) -> None:
    mine = await sdk(sdk.client.files.upload, AUDIO)
    by_id = await sdk(
        sdk.client.stt.transcribe_and_wait, file_id=mine.id, delete_after=True, wait_interval_sec=WAIT
    )
    assert await sdk(sdk.client.stt.get_or_none, by_id.id) is None
    assert await sdk(sdk.client.files.get_or_none, mine.id) is not None
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 0

    emu.reset()
    by_url = await sdk(
        sdk.client.stt.transcribe_and_wait, audio_url=URL, delete_after=True, wait_interval_sec=WAIT
    )
    assert by_url.status == "completed"
    assert await sdk(sdk.client.stt.get_or_none, by_url.id) is None
    assert not [route for route in _routes(emu) if route[1].startswith("/v1/files")]


async def test_transcribe_and_wait_with_tokens_fetches_before_deleting(sdk: Driver, emu: Emulator) -> None:
    emu.set_transcript("Tokens before deletion.", filename="tok.wav")
    transcript = await sdk(
        sdk.client.stt.transcribe_and_wait_with_tokens,
        file=AUDIO,
        filename="tok.wav",
        delete_after=True,
        wait_interval_sec=WAIT,
        wait_timeout_sec=5,
    )
    assert isinstance(transcript, TranscriptionTranscript)
    assert transcript.text == "Tokens before deletion."
    assert transcript.tokens
    routes = _routes(emu)
    fetched = routes.index(("GET", "/v1/transcriptions/{transcription_id}/transcript"))
    deleted = routes.index(("DELETE", "/v1/transcriptions/{transcription_id}"))
    assert fetched < deleted < routes.index(("DELETE", "/v1/files/{file_id}"))
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert (await sdk(sdk.client.files.count)).total == 0

    kept = await sdk(sdk.client.stt.transcribe_and_wait_with_tokens, audio_url=URL, wait_interval_sec=WAIT)
    assert await sdk(sdk.client.stt.get_or_none, kept.id) is not None


async def test_delete_after_cleans_up_when_waiting_fails(sdk: Driver, emu: Emulator) -> None:
    emu.queued_sec = emu.processing_sec = 0  # done at once, so it can be deleted after the failure
    emu.faults.inject("status", method="GET", path="/v1/transcriptions/", status=500)
    strict = sdk.client.with_options(max_retries=0)
    with pytest.raises(SonioxServerError):
        await sdk(strict.stt.transcribe_and_wait, file=AUDIO, delete_after=True, wait_interval_sec=WAIT)
    assert emu.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert (await sdk(sdk.client.files.count)).total == 0


async def test_delete_after_cleans_up_when_the_transcript_cannot_be_had(sdk: Driver, emu: Emulator) -> None:
    emu.fail_transcription(filename="bad.wav")
    with pytest.raises(SonioxConflictError):
        await sdk(
            sdk.client.stt.transcribe_and_wait_with_tokens,
            file=AUDIO,
            filename="bad.wav",
            delete_after=True,
            wait_interval_sec=WAIT,
        )
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert (await sdk(sdk.client.files.count)).total == 0


async def test_delete_after_when_the_wait_times_out(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.6
    with pytest.raises(SonioxWaitTimeoutError) as caught:
        await sdk(
            sdk.client.stt.transcribe_and_wait,
            file=AUDIO,
            delete_after=True,
            wait_interval_sec=WAIT,
            wait_timeout_sec=0.05,
        )
    transcription_id = caught.value.transcription_id
    # Cleanup ran: a transcription still processing cannot be deleted yet (the error names
    # it so the caller can finish the job), but the upload this call made is gone.
    assert emu.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert (await sdk(sdk.client.files.count)).total == 0
    pending = await sdk(sdk.client.stt.get, transcription_id)
    assert pending.status in ("queued", "processing")
    await sdk(sdk.client.stt.wait, transcription_id, interval_sec=WAIT, timeout_sec=5)
    await sdk(sdk.client.stt.destroy, transcription_id)
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert (await sdk(sdk.client.files.count)).total == 0
