"""The official session extras on our STT sessions, and the official utils, against the emulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rt_helpers import client_config

from soniox_async._realtime import AsyncRealtimeAPI
from soniox_async.utils import start_audio_task, stream_audio_async, throttle_audio_async
from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import RealtimeControlType, RealtimeSTTConfig, TranscriptAccumulator
from soniox_emulator import Emulator
from soniox_sync._realtime import RealtimeAPI
from soniox_sync.utils import start_audio_thread, stream_audio, throttle_audio

WAV = RealtimeSTTConfig(model="stt-rt-v4")


@pytest.mark.anyio
async def test_async_control_messages_and_raw_messages(rt_emulator: Emulator, wav_file: Path) -> None:
    rt = AsyncRealtimeAPI(client_config(rt_emulator))
    raws: list[bytes] = []
    async with rt.stt.connect(config=WAV) as session:
        async for chunk in throttle_audio_async(wav_file, chunk_size_bytes=8192):
            await session.send_byte_chunk(chunk)
        await session.send_control_message(RealtimeControlType.KEEP_ALIVE)
        await session.send_control_message("finalize")
        await session.send_control_message("finish")
        while raw := await session.recv_bytes():
            raws.append(raw)
    events = [session.parse_event(r) for r in raws]
    assert events[-1].finished and json.loads(raws[-1])["finished"] is True
    transcript = TranscriptAccumulator()
    for event in events:
        transcript.add(event)
    assert transcript.final_text.replace("<fin>", "").strip() == rt_emulator.realtime.transcript.strip()
    assert rt_emulator.realtime.sessions[0].keepalives >= 1


@pytest.mark.anyio
async def test_async_stream_audio_async_chunks(wav_file: Path) -> None:
    chunks = [c async for c in stream_audio_async(wav_file, chunk_size_bytes=1000)]
    assert b"".join(chunks) == wav_file.read_bytes() and max(map(len, chunks)) == 1000


@pytest.mark.anyio
async def test_async_audio_task_sends_while_the_caller_reads(rt_emulator: Emulator, wav_file: Path) -> None:
    rt = AsyncRealtimeAPI(client_config(rt_emulator))
    transcript = TranscriptAccumulator()
    async with rt.stt.connect(config=WAV) as session:
        job = start_audio_task(session, throttle_audio_async(wav_file, chunk_size_bytes=4096), name="audio")
        assert job is None  # the task belongs to the session
        async for event in session:
            transcript.add(event)
    assert transcript.final_text.strip() == rt_emulator.realtime.transcript.strip()


@pytest.mark.anyio
async def test_async_audio_task_failure_is_raised_by_the_reader(rt_emulator: Emulator) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"\0" * 3200
        raise KeyError("microphone unplugged")

    rt = AsyncRealtimeAPI(client_config(rt_emulator))
    with pytest.raises(SonioxRealtimeError) as info:
        async with rt.stt.connect(
            config=RealtimeSTTConfig(
                model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1
            )
        ) as session:
            start_audio_task(session, broken())
            async for _ in session:
                pass
    assert "microphone unplugged" in str(info.value)


def test_sync_stream_audio_chunks(wav_file: Path) -> None:
    chunks = list(stream_audio(wav_file, chunk_size_bytes=1000))
    assert b"".join(chunks) == wav_file.read_bytes() and max(map(len, chunks)) == 1000
    with pytest.raises(SonioxValidationError):
        list(stream_audio(wav_file, chunk_size_bytes=0))


def test_sync_audio_thread_and_raw_messages(rt_emulator: Emulator, wav_file: Path) -> None:
    rt = RealtimeAPI(client_config(rt_emulator))
    with rt.stt.connect(config=WAV) as session:
        sender = start_audio_thread(session, throttle_audio(wav_file, chunk_size_bytes=4096), name="audio")
        assert sender.name == "audio"
        raws = []
        while raw := session.recv_bytes():
            raws.append(raw)
        sender.join(5)
    assert session.parse_event(raws[-1]).finished


def test_sync_control_message_names_are_checked(rt_emulator: Emulator, wav_file: Path) -> None:
    rt = RealtimeAPI(client_config(rt_emulator))
    with rt.stt.connect(config=WAV) as session:
        session.send_bytes(wav_file.read_bytes())
        with pytest.raises(SonioxValidationError) as info:
            session.send_control_message("stop")  # type: ignore[arg-type]
        assert info.value.field == "control_type"
        session.send_control_message("finish")
        assert list(session)[-1].finished


def test_throttle_audio_checks_the_delay() -> None:
    with pytest.raises(SonioxValidationError):
        list(throttle_audio(b"abc", delay_seconds=-1))
    assert list(throttle_audio(b"abcdef", chunk_size_bytes=4, delay_seconds=0.0)) == [b"abcd", b"ef"]
