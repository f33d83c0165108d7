"""``client.voices``, ``usage_logs``, ``usage``, ``concurrency_limits`` and the translate helpers,
on both clients (asyncio, trio, sync), against the emulator."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import anyio
import pytest
from _drivers_support import THREE_WAYS, WAIT, Driver, request_total

from soniox_core import (
    GetConcurrencyLimitsResponse,
    GetSharedVoicesResponse,
    GetVoicesCountResponse,
    SonioxConflictError,
    SonioxNotFoundError,
    SonioxValidationError,
    Voice,
    VoiceModelStatus,
)
from soniox_emulator import Emulator

pytestmark = [pytest.mark.anyio, THREE_WAYS]

TEXT = "Hello from a cloned voice"


def window(hours: int = 2) -> tuple[str, str]:
    now = datetime.now(timezone.utc)
    start = (now - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return start, end


async def reference_clip(sdk: Driver) -> bytes:
    """A few seconds of speech to clone from (the emulator's own TTS audio)."""
    clip: bytes = await sdk(
        sdk.client.tts.generate, text="A short reference clip", voice="Adrian", language="en"
    )
    return clip


async def wait_ready(sdk: Driver, voice_id: str, model: str) -> Voice:
    with anyio.fail_after(10):
        while True:
            voice: Voice = await sdk(sdk.client.voices.get, voice_id)
            if voice.is_ready(model):
                return voice
            await anyio.sleep(WAIT)


async def test_a_cloned_voice_from_creation_to_deletion(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    clip = tmp_path / "me.wav"
    clip.write_bytes(await reference_clip(sdk))
    name = f"me-{uuid.uuid4().hex[:8]}"
    created = await sdk(sdk.client.voices.create, clip, name=name)
    assert isinstance(created, Voice)
    assert (created.name, created.filename) == (name, "me.wav")
    assert created.models and all(m.status in set(VoiceModelStatus) for m in created.models)

    ready = await wait_ready(sdk, created.id, "tts-rt-v2")
    assert ready.id == created.id
    # The cloned voice speaks: its ID is the voice of a generation.
    audio = await sdk(sdk.client.tts.generate, text=TEXT, voice=created.id, language="en")
    assert audio[:4] == b"RIFF"

    assert created.id in [v.id for v in await sdk.collect(sdk.client.voices.list_all, limit=1)]
    page = await sdk(sdk.client.voices.list, limit=10)
    assert created.id in [v.id for v in page.voices]
    count = await sdk(sdk.client.voices.count)
    assert isinstance(count, GetVoicesCountResponse) and count.total >= 1

    recomputed = await sdk(sdk.client.voices.recompute, created.id)
    assert recomputed.id == created.id
    recomputed = await sdk(sdk.client.voices.recompute, created.id, model="tts-rt-v2")
    assert {m.model for m in recomputed.models} >= {"tts-rt-v2"}

    with pytest.raises(SonioxConflictError):
        await sdk(sdk.client.voices.create, b"RIFF....", name=name, filename="again.wav")

    await sdk(sdk.client.voices.delete, created.id)
    assert await sdk(sdk.client.voices.get_or_none, created.id) is None
    await sdk(sdk.client.voices.delete_if_exists, created.id)
    with pytest.raises(SonioxNotFoundError):
        await sdk(sdk.client.voices.delete, created.id)
    with pytest.raises(SonioxNotFoundError):
        await sdk(sdk.client.voices.get, created.id)


async def test_create_from_a_file_object_streams_it(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    clip = tmp_path / "clip.wav"
    clip.write_bytes(await reference_clip(sdk))
    with clip.open("rb") as handle:
        created = await sdk(sdk.client.voices.create, handle, name=f"fo-{uuid.uuid4().hex[:8]}")
        assert not handle.closed
    assert created.filename == "clip.wav"
    await sdk(sdk.client.voices.delete, created.id)


async def test_shared_voices_with_filters_across_pages(sdk: Driver) -> None:
    page = await sdk(sdk.client.voices.list_shared, "tts-rt-v2", limit=2)
    assert isinstance(page, GetSharedVoicesResponse)
    everyone = await sdk.collect(sdk.client.voices.list_all_shared, "tts-rt-v2", limit=2)
    assert len(everyone) > len(page.voices)
    assert len({v.id for v in everyone}) == len(everyone)
    women = await sdk.collect(sdk.client.voices.list_all_shared, "tts-rt-v2", gender="female", limit=1)
    assert women and all(v.gender == "female" for v in women)
    assert {v.id for v in women} == {v.id for v in everyone if v.gender == "female"}


async def test_voice_arguments_are_checked_before_sending(sdk: Driver, emu: Emulator) -> None:
    before = request_total(emu)
    for call, kwargs in (
        (sdk.client.voices.create, {"file": b"x", "name": ""}),
        (sdk.client.voices.create, {"file": "/no/such/clip.wav", "name": "n"}),
        (sdk.client.voices.get, {"voice_id": ""}),
        (sdk.client.voices.list_shared, {"model": "tts-rt-v2", "limit": 500}),
    ):
        with pytest.raises(SonioxValidationError):
            await sdk(call, **kwargs)
    assert request_total(emu) == before


async def test_usage_logs_record_what_was_generated(sdk: Driver) -> None:
    reference = f"ref-{uuid.uuid4().hex[:8]}"
    await sdk(
        sdk.client.tts.generate, text=TEXT, voice="Adrian", language="en", client_reference_id=reference
    )
    start, end = window()
    entries = await sdk.collect(sdk.client.usage_logs.list_all, start, end, limit=1)
    mine = [e for e in entries if e.client_reference_id == reference]
    assert len(mine) == 1
    assert mine[0].model == "tts-rt-v2"
    assert Decimal(mine[0].cost_usd) > 0
    newest_first = await sdk.collect(
        sdk.client.usage_logs.list_all, start, end, limit=2, sort="end_time_desc"
    )
    assert [e.uuid for e in newest_first] == [e.uuid for e in reversed(entries)]
    page = await sdk(sdk.client.usage_logs.list, start, end, limit=1)
    assert len(page.usage_logs) == 1


async def test_usage_summary_and_concurrency(sdk: Driver) -> None:
    await sdk(sdk.client.tts.generate, text=TEXT, voice="Adrian", language="en")
    start, end = window()
    summary = await sdk(sdk.client.usage.summary, start, end)
    assert summary.total.model is None
    assert summary.total.total_num_requests >= 1
    assert len(summary.total.num_requests) == len(summary.total.days)
    assert "tts-rt-v2" in [m.model for m in summary.models]

    limits = await sdk(sdk.client.concurrency_limits.get)
    assert isinstance(limits, GetConcurrencyLimitsResponse)
    assert limits.project.current.tts_concurrent >= 0
    history = await sdk(sdk.client.concurrency_limits.history, start, end, period_sec=3600, kind="tts")
    assert history.kind == "tts"
    assert history.entries and all(e.period_sec == 3600 for e in history.entries)


async def test_usage_arguments_are_checked_before_sending(sdk: Driver, emu: Emulator) -> None:
    before = request_total(emu)
    start, end = window()
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.usage_logs.list, start, end, sort="newest")
    with pytest.raises(SonioxValidationError):
        await sdk.collect(sdk.client.usage_logs.list_all, start, end, limit=0)
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.concurrency_limits.history, start, end, period_sec=5, kind="tts")
    assert request_total(emu) == before


async def test_translate_sends_the_translation_config(sdk: Driver) -> None:
    audio = await sdk(sdk.client.tts.generate, text=TEXT, voice="Adrian", language="en")
    transcription = await sdk(
        sdk.client.stt.translate_and_wait,
        to="es",
        source="en",
        file=audio,
        filename="speech.wav",
        wait_interval_sec=WAIT,
        delete_after=True,
    )
    assert transcription.status == "completed"
    # What the service echoes back of the config the helper built.
    assert transcription.language_hints == ["en"]
    assert transcription.enable_language_identification is True
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.stt.translate_from_url, audio_url="https://example.com/a.wav")
