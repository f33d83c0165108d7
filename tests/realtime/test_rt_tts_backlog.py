"""A reader slower than the service: the client stops reading the socket instead of queueing."""

from __future__ import annotations

import time

import anyio
import pytest
from rt_tts_helpers import stream_config, tts_config, wait_until

from soniox_async._realtime import AsyncRealtimeAPI
from soniox_core.realtime.tts._protocol import TTS_MAX_BACKLOG
from soniox_emulator import Emulator
from soniox_sync._realtime import RealtimeAPI

# 208 characters of the tone voice in 512-byte messages: about 1,300 messages.
TEXT = "Slow readers get flow control, not a growing queue. " * 4


def test_sync_reader_holds_at_most_the_backlog_then_gets_all_audio(emulator: Emulator) -> None:
    emulator.tts_realtime.chunk_bytes = 512
    with RealtimeAPI(tts_config(emulator)).tts.connect(config=stream_config()) as tts:
        tts.send_text_chunks(TEXT)
        queue = tts._core.queue
        wait_until(lambda: len(queue) >= TTS_MAX_BACKLOG, "the backlog to fill")
        time.sleep(0.3)  # room for a reader that would keep reading
        assert len(queue) == TTS_MAX_BACKLOG
        audio = b"".join(tts.receive_audio_chunks())
    (record,) = emulator.tts_realtime.streams
    assert record.terminated and len(audio) == record.audio_bytes > 512 * 100


def test_sync_streams_read_one_after_the_other_do_not_stall(emulator: Emulator) -> None:
    emulator.tts_realtime.chunk_bytes = 512
    with RealtimeAPI(tts_config(emulator)).tts.connect_multi_stream() as conn:
        first = conn.open_stream(config=stream_config("a"))
        second = conn.open_stream(config=stream_config("b"))
        second.send_text_chunks(TEXT)
        first.send_text_chunks(TEXT)
        a = b"".join(first.receive_audio_chunks())
        b = b"".join(second.receive_audio_chunks())
    assert a == b and len(a) == emulator.tts_realtime.streams[0].audio_bytes


@pytest.mark.anyio
async def test_async_reader_holds_at_most_the_backlog_then_gets_all_audio(emulator: Emulator) -> None:
    emulator.tts_realtime.chunk_bytes = 512
    async with AsyncRealtimeAPI(tts_config(emulator)).tts.connect(config=stream_config()) as tts:
        await tts.send_text_chunks(TEXT)
        queue = tts._core.queue
        with anyio.fail_after(10):
            while len(queue) < TTS_MAX_BACKLOG:
                await anyio.sleep(0.01)
        await anyio.sleep(0.3)  # room for a reader that would keep reading
        assert len(queue) == TTS_MAX_BACKLOG
        audio = b"".join([chunk async for chunk in tts.receive_audio_chunks()])
    (record,) = emulator.tts_realtime.streams
    assert record.terminated and len(audio) == record.audio_bytes > 512 * 100
