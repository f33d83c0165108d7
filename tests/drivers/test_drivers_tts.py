"""``client.tts`` and ``client.tts_models`` on both clients (asyncio, trio, sync) against the emulator:
real audio out, streamed, into files, with failures before and after the audio started."""

from __future__ import annotations

import io
import os
from contextlib import aclosing
from pathlib import Path
from typing import Any

import anyio
import pytest
from _drivers_support import THREE_WAYS, WAIT, Driver, request_total

from soniox_core import (
    CreateTtsConfig,
    GetTtsModelsResponse,
    SonioxConnectionError,
    SonioxInvalidRequestError,
    SonioxServerError,
    SonioxValidationError,
)
from soniox_emulator import Emulator

pytestmark = [pytest.mark.anyio, THREE_WAYS]

TEXT = "The quick brown fox jumps over the lazy dog"
LONG = " ".join([TEXT] * 12)  # ~500 characters: several chunks of audio


async def generate(sdk: Driver, text: str = TEXT, **kwargs: Any) -> bytes:
    audio: bytes = await sdk(sdk.client.tts.generate, text=text, voice="Adrian", language="en", **kwargs)
    return audio


async def stream(sdk: Driver, text: str = TEXT, **kwargs: Any) -> list[bytes]:
    return await sdk.collect(
        sdk.client.tts.generate_stream, text=text, voice="Adrian", language="en", **kwargs
    )


def leftovers(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".part"))


async def test_generated_speech_transcribes_back_to_its_text(sdk: Driver, emu: Emulator) -> None:
    audio = await generate(sdk)
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"
    transcript = await sdk(
        sdk.client.stt.transcribe_and_wait_with_tokens,
        file=audio,
        filename="speech.wav",
        wait_interval_sec=WAIT,
        delete_after=True,
    )
    assert transcript.text == TEXT
    tts_requests = [r for r in emu.requests if r.path == "/tts"]
    assert len(tts_requests) == 1


async def test_the_stream_is_the_same_audio_in_chunks(sdk: Driver) -> None:
    whole = await generate(sdk, LONG)
    chunks = await stream(sdk, LONG)
    assert len(chunks) > 1 and all(chunks)
    assert b"".join(chunks) == whole


async def test_output_settings_reach_the_service(sdk: Driver) -> None:
    raw = await generate(sdk, config=CreateTtsConfig(audio_format="pcm_s16le", sample_rate=8000))
    wav = await generate(sdk, config=CreateTtsConfig(audio_format="wav", sample_rate=8000))
    assert raw[:4] != b"RIFF"
    assert wav.endswith(raw) and len(wav) - len(raw) == 44  # the same samples, with a WAV header


async def test_generate_to_a_path_writes_the_whole_file_and_nothing_else(sdk: Driver, tmp_path: Path) -> None:
    target = tmp_path / "speech.wav"
    written = await sdk(sdk.client.tts.generate_to_file, target, text=LONG, voice="Adrian", language="en")
    assert target.read_bytes() == await generate(sdk, LONG)
    assert written == target.stat().st_size
    assert os.listdir(tmp_path) == ["speech.wav"]
    assert target.stat().st_mode & 0o777 == 0o644


async def test_generate_to_a_file_object_leaves_it_open(sdk: Driver) -> None:
    buffer = io.BytesIO(b"prefix:")
    buffer.seek(0, io.SEEK_END)
    written = await sdk(sdk.client.tts.generate_to_file, buffer, text=TEXT, voice="Adrian", language="en")
    assert not buffer.closed
    assert buffer.getvalue() == b"prefix:" + await generate(sdk)
    assert written == len(buffer.getvalue()) - len(b"prefix:")


async def test_an_error_in_the_trailers_leaves_no_file(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "speech.wav"
    target.write_bytes(b"the old take")
    fault = emu.faults.inject("tts_stream_error", path="/tts", after_bytes=20_000, error_code=503)
    with pytest.raises(SonioxServerError) as caught:
        await sdk(sdk.client.tts.generate_to_file, target, text=LONG, voice="Adrian", language="en")
    assert fault.hits == 1
    assert caught.value.status_code == 503
    assert "after the audio started" in str(caught.value)
    assert target.read_bytes() == b"the old take"
    assert leftovers(tmp_path) == []


async def test_a_stream_cut_short_raises_after_the_audio_that_came(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("tts_stream_error", path="/tts", after_bytes=12_000, trailers=False)
    received: list[bytes] = []

    def pull_sync() -> None:
        for chunk in sdk.client.tts.generate_stream(text=LONG, voice="Adrian", language="en"):
            received.append(chunk)

    with pytest.raises(SonioxConnectionError):
        if sdk.is_sync:
            await anyio.to_thread.run_sync(pull_sync)
        else:
            async for chunk in sdk.client.tts.generate_stream(text=LONG, voice="Adrian", language="en"):
                received.append(chunk)
    assert len(b"".join(received)) == 12_000
    assert len([r for r in emu.requests if r.path == "/tts"]) == 1  # never repeated once audio flowed
    assert await generate(sdk) == await generate(sdk)  # the client is still usable


@pytest.mark.parametrize("trailers", [True, False])
async def test_buffered_generate_raises_a_failure_after_the_audio(
    sdk: Driver, emu: Emulator, trailers: bool
) -> None:
    emu.faults.inject("tts_stream_error", path="/tts", trailers=trailers)
    expected = SonioxServerError if trailers else SonioxConnectionError
    with pytest.raises(expected):
        await generate(sdk, LONG)


async def test_a_file_object_keeps_what_arrived_before_a_failure(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("tts_stream_error", path="/tts", after_bytes=9_000, trailers=False)
    buffer = io.BytesIO()
    with pytest.raises(SonioxConnectionError):
        await sdk(sdk.client.tts.generate_to_file, buffer, text=LONG, voice="Adrian", language="en")
    assert len(buffer.getvalue()) == 9_000


async def test_a_refusal_before_the_audio_is_typed_and_writes_nothing(
    sdk: Driver, emu: Emulator, tmp_path: Path
) -> None:
    target = tmp_path / "speech.wav"
    with pytest.raises(SonioxInvalidRequestError) as caught:
        await sdk(sdk.client.tts.generate_to_file, target, text=TEXT, voice="Nobody", language="en")
    assert caught.value.error_type == "invalid_request"
    assert caught.value.request_id
    assert not target.exists() and leftovers(tmp_path) == []


async def test_a_busy_service_is_retried(sdk: Driver, emu: Emulator) -> None:
    fault = emu.faults.inject("status", path="/tts", status=503, times=1)
    assert await generate(sdk)
    assert fault.hits == 1
    assert len([r for r in emu.requests if r.path == "/tts"]) == 2


async def test_bad_arguments_send_nothing(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    before = request_total(emu)
    with pytest.raises(SonioxValidationError):
        await generate(sdk, "x" * 5001)
    with pytest.raises(SonioxValidationError):
        await stream(sdk, config=CreateTtsConfig(speed=2.0))
    with pytest.raises(SonioxValidationError) as caught:
        await sdk(
            sdk.client.tts.generate_to_file,
            tmp_path / "missing" / "a.wav",
            text=TEXT,
            voice="A",
            language="en",
        )
    assert caught.value.field == "output"
    assert request_total(emu) == before


async def first_chunk_then_stop(sdk: Driver) -> bytes:
    """Start a stream, take its first chunk and close it (as ``break`` plus ``aclosing`` does)."""
    if sdk.is_sync:

        def take_one() -> bytes:
            chunks = sdk.client.tts.generate_stream(text=LONG, voice="Adrian", language="en")
            try:
                return bytes(next(chunks))
            finally:
                chunks.close()

        return await anyio.to_thread.run_sync(take_one)
    async with aclosing(sdk.client.tts.generate_stream(text=LONG, voice="Adrian", language="en")) as chunks:
        async for chunk in chunks:
            return bytes(chunk)
    raise AssertionError("no audio")


async def test_leaving_the_stream_early_frees_the_connection(sdk: Driver, emu: Emulator) -> None:
    # With one connection in the pool, a body left open would make the next call wait for it.
    async with sdk.other(emu, max_connections=1, timeout_sec=5) as small:
        for _ in range(3):
            assert (await first_chunk_then_stop(small))[:4] == b"RIFF"
        assert await generate(small)
        assert (await small(small.client.tts_models.list)).models


async def test_tts_models(sdk: Driver) -> None:
    models = await sdk(sdk.client.tts_models.list)
    assert isinstance(models, GetTtsModelsResponse)
    ids = {m.id for m in models.models}
    assert "tts-rt-v2" in ids
    v2 = next(m for m in models.models if m.id == "tts-rt-v2")
    assert any(v.id == "Adrian" for v in v2.voices)
    assert v2.supports_voice_cloning

