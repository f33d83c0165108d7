"""The async realtime text-to-speech client against the emulator, on asyncio and trio."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest
from rt_tts_helpers import SilentListener, silent_config, stream_config, tts_config, wait_until, words

from soniox_async import AsyncSonioxClient
from soniox_async._realtime import AsyncRealtimeAPI
from soniox_async._realtime_tts import AsyncRealtimeTTSMultiplexedConnection, AsyncRealtimeTTSStream
from soniox_async.utils import start_text_task
from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import RealtimeSTTConfig, SonioxRealtimeTimeoutError, TranscriptAccumulator
from soniox_core.realtime.tts import SonioxTTSStreamLimitError
from soniox_core.realtime.tts._driver import plan_tts_connection
from soniox_emulator import Emulator

pytestmark = pytest.mark.anyio

TEXT = "Hello from the realtime voice. It speaks as the text arrives."


def api(emulator: Emulator) -> AsyncRealtimeAPI:
    return AsyncRealtimeAPI(tts_config(emulator))


async def tokens(text: str) -> AsyncIterator[str]:
    for word in words(text):
        await anyio.sleep(0)
        yield word


async def test_single_stream_speaks_text_sent_in_chunks(emulator: Emulator) -> None:
    config = stream_config(return_timestamps=True)
    audio = bytearray()
    events = []
    async with api(emulator).tts.connect(config=config) as tts:
        assert tts.stream_id == "s1" and tts.config is config and not tts.paused
        await tts.send_text_chunks(tokens(TEXT))
        async for event in tts.receive_events():
            events.append(event)
            audio += event.audio_bytes() or b""
    assert events[-1].terminated
    assert any(e.audio_end for e in events)
    assert "".join(c for e in events if e.timestamps for c in e.timestamps.characters).strip()
    (record,) = emulator.tts_realtime.streams
    assert record.text == TEXT and record.text_ended and record.terminated
    assert len(audio) == record.audio_bytes > 0
    assert record.config["stream_id"] == "s1" and record.config["sample_rate"] == 16000
    assert tts.last_message is events[-1]
    wait_until(lambda: emulator.tts_realtime.connections[0].client_closed, "the close")


async def test_text_task_sends_while_the_caller_reads_audio(emulator: Emulator) -> None:
    async with api(emulator).tts.connect_multi_stream() as conn:
        stream = await conn.open_stream(config=stream_config("s1"))
        assert start_text_task(stream, tokens(TEXT), name="llm") is None  # the connection's task
        audio = b"".join([chunk async for chunk in stream.receive_audio_chunks()])
    (record,) = emulator.tts_realtime.streams
    assert record.text == TEXT and record.text_ended
    assert len(audio) == record.audio_bytes > 0


async def test_text_task_failure_is_raised_by_the_reader(emulator: Emulator) -> None:
    with pytest.raises(SonioxRealtimeError) as info:
        async with api(emulator).tts.connect(config=stream_config()) as tts:
            start_text_task(tts, ["Fine. ", 42])  # type: ignore[list-item]
            async for _ in tts.receive_events():
                pass
    assert "text: must be a str, not int" in str(info.value)


async def test_audio_chunks_and_raw_messages(emulator: Emulator) -> None:
    async with api(emulator).tts.connect(config=stream_config()) as tts:
        await tts.send_text_chunk("Short.", text_end=True)
        raw = await tts.recv_bytes()
        first = tts.parse_event(raw)
        assert first.stream_id == "s1" and first.audio is not None
        chunks = [chunk async for chunk in tts.receive_audio_chunks()]
        assert await tts.receive_event() is None
        assert await tts.recv_bytes() == b""
    total = len(first.audio_bytes() or b"") + sum(map(len, chunks))
    assert total == emulator.tts_realtime.streams[0].audio_bytes


async def test_whole_client_with_a_temporary_tts_key(emulator: Emulator) -> None:
    async with AsyncSonioxClient(
        api_key=emulator.api_key,
        api_base_url=emulator.base_url,
        tts_websocket_base_url=emulator.tts_websocket_base_url,
    ) as client:
        temp = await client.auth.create_temporary_api_key(usage_type="tts_rt", expires_in_seconds=60)
        async with client.realtime.tts.connect(config=stream_config(), api_key=temp.api_key) as tts:
            await tts.send_text_chunks("With a temporary key.")
            audio = b"".join([c async for c in tts.receive_audio_chunks()])
    assert audio and emulator.tts_realtime.streams[0].text == "With a temporary key."


async def test_three_interleaved_streams_each_get_their_own_audio(emulator: Emulator) -> None:
    emulator.tts_realtime.chunk_bytes = 2048  # many small messages, so they interleave
    texts = {f"s{i}": f"Stream number {i} says something different {'la ' * i}." for i in range(3)}
    got: dict[str, bytes] = {}

    async def run(stream: AsyncRealtimeTTSStream) -> None:
        await stream.send_text_chunks(tokens(texts[stream.stream_id]))
        got[stream.stream_id] = b"".join([c async for c in stream.receive_audio_chunks()])

    async with api(emulator).tts.connect_multi_stream() as conn:
        streams = [await conn.open_stream(config=stream_config(sid)) for sid in texts]
        async with anyio.create_task_group() as tg:
            for stream in streams:
                tg.start_soon(run, stream)
    records = {r.stream_id: r for r in emulator.tts_realtime.streams}
    for sid, text in texts.items():
        assert records[sid].text == text
        assert len(got[sid]) == records[sid].audio_bytes > 0
    assert len(set(got.values())) == 3


async def test_stream_limits_and_id_reuse_after_terminated(emulator: Emulator) -> None:
    async with api(emulator).tts.connect_multi_stream() as conn:
        streams = [await conn.open_stream(config=stream_config(f"s{i}")) for i in range(5)]
        with pytest.raises(SonioxTTSStreamLimitError):
            await conn.open_stream(config=stream_config("s5"))
        with pytest.raises(SonioxTTSStreamLimitError):
            await conn.open_stream(config=stream_config("s0"))
        await streams[0].send_text_chunks("Done.")
        assert [e async for e in streams[0].receive_events()][-1].terminated
        again = await conn.open_stream(config=stream_config("s0"))
        await again.send_text_chunks("Again.")
        assert b"".join([c async for c in again.receive_audio_chunks()])
    assert [r.stream_id for r in emulator.tts_realtime.streams].count("s0") == 2


async def test_cancel_stops_the_stream(emulator: Emulator) -> None:
    emulator.tts_realtime.audio_interval_sec = 0.05
    emulator.tts_realtime.chunk_bytes = 512
    async with api(emulator).tts.connect(config=stream_config()) as tts:
        await tts.send_text_chunks(TEXT * 3)
        first = await tts.receive_event()
        assert first is not None and first.audio
        await tts.cancel()
        rest = [e async for e in tts.receive_events()]
    assert rest[-1].terminated
    (record,) = emulator.tts_realtime.streams
    assert record.cancelled and record.terminated


async def test_keepalives_while_paused_and_text_dropped(emulator: Emulator) -> None:
    plan = plan_tts_connection(
        tts_config(emulator), None, multi_stream=True, api_key=None,
        connect_timeout_sec=5.0, keepalive_interval_sec=0.05,
    )  # fmt: skip
    async with AsyncRealtimeTTSMultiplexedConnection(plan) as conn:
        stream = await conn.open_stream(config=stream_config())
        await stream.send_text_chunk("Kept. ")
        await conn.pause()
        assert conn.paused and stream.paused
        await stream.send_text_chunk("Dropped while paused. ")
        with anyio.fail_after(5):
            while emulator.tts_realtime.connections[0].keepalives < 3:
                await anyio.sleep(0.02)
        await conn.resume()
        await stream.send_text_chunks("Resumed.")
        assert b"".join([c async for c in stream.receive_audio_chunks()])
    assert emulator.tts_realtime.streams[0].text == "Kept. Resumed."


async def test_stream_error_raises_on_that_stream_only(emulator: Emulator) -> None:
    emulator.tts_realtime.send_error(422, "stream broke", after_audio_messages=1)
    async with api(emulator).tts.connect_multi_stream() as conn:
        bad = await conn.open_stream(config=stream_config("bad"))
        good = await conn.open_stream(config=stream_config("good"))
        await bad.send_text_chunks(TEXT)
        with pytest.raises(SonioxRealtimeError) as info:
            async for _ in bad.receive_events():
                pass
        assert info.value.code == 422 and info.value.message == "stream broke"
        assert bad.last_message is not None and bad.last_message.error_code == 422
        await good.send_text_chunks("Still fine.")
        assert b"".join([c async for c in good.receive_audio_chunks()])


async def test_connection_error_raises_on_every_stream(emulator: Emulator) -> None:
    emulator.tts_realtime.send_error(500, "server fell over", after_audio_messages=1, connection_level=True)
    async with api(emulator).tts.connect_multi_stream() as conn:
        one = await conn.open_stream(config=stream_config("one"))
        two = await conn.open_stream(config=stream_config("two"))
        await one.send_text_chunks(TEXT)
        for stream in (one, two):
            with pytest.raises(SonioxRealtimeError) as info:
                async for _ in stream.receive_events():
                    pass
            assert info.value.code == 500
        with pytest.raises(SonioxRealtimeError):
            await conn.open_stream(config=stream_config("three"))


async def test_dropped_connection_raises_not_hangs(emulator: Emulator) -> None:
    emulator.tts_realtime.drop_after_audio_messages = 1
    async with api(emulator).tts.connect(config=stream_config()) as tts:
        await tts.send_text_chunks(TEXT)
        with pytest.raises(SonioxRealtimeError, match="Connection lost"):
            async for _ in tts.receive_events():
                pass


async def test_event_timeout_fails_the_stream(emulator: Emulator) -> None:
    emulator.tts_realtime.stall = True
    plan = plan_tts_connection(
        tts_config(emulator), None, multi_stream=True, api_key=None,
        connect_timeout_sec=5.0, event_timeout_sec=0.2,
    )  # fmt: skip
    async with AsyncRealtimeTTSMultiplexedConnection(plan) as conn:
        stream = await conn.open_stream(config=stream_config())
        await stream.send_text_chunks("Nobody answers.")
        with pytest.raises(SonioxRealtimeTimeoutError):
            await stream.receive_event()


async def test_cancellation_leaves_no_socket_open(emulator: Emulator) -> None:
    emulator.tts_realtime.stall = True
    with anyio.move_on_after(0.3) as scope:
        async with api(emulator).tts.connect(config=stream_config()) as tts:
            await tts.send_text_chunks("Waiting forever.")
            await tts.receive_event()
    assert scope.cancelled_caught
    assert tts._connection._driver._stream is None
    wait_until(lambda: emulator.tts_realtime.connections[0].client_closed, "the close")
    with pytest.raises(SonioxRealtimeError):
        await tts.send_text_chunk("after close")


async def test_bad_arguments_fail_before_any_connection(emulator: Emulator) -> None:
    with pytest.raises(SonioxValidationError) as info:
        api(emulator).tts.connect(config=stream_config(speed=3.0))
    assert info.value.field == "speed"
    with pytest.raises(SonioxValidationError):
        api(emulator).tts.connect_multi_stream(connect_timeout_sec=0)
    with pytest.raises(SonioxRealtimeError) as error:
        async with api(emulator).tts.connect(config=stream_config(), api_key="wrong-key") as tts:
            await tts.receive_event()
    assert error.value.code == 401 and "wrong-key" not in str(error.value)
    assert len(emulator.tts_realtime.connections) == 1  # only the one with a wrong key


async def test_realtime_tts_audio_transcribed_by_realtime_stt(emulator: Emulator) -> None:
    emulator.realtime.ms_per_word = 100
    rt = api(emulator)
    text = "the quick brown fox jumps over the lazy dog"
    async with rt.tts.connect(config=stream_config()) as tts:
        await tts.send_text_chunks(tokens(text))
        audio = b"".join([c async for c in tts.receive_audio_chunks()])
    stt = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
    transcript = TranscriptAccumulator()
    async with rt.stt.connect(config=stt) as session:
        session.send_in_background([audio[i : i + 8192] for i in range(0, len(audio), 8192)])
        async for event in session:
            transcript.add(event)
    assert transcript.final_text.strip() == text


async def test_connect_timeout_and_refused_connection() -> None:
    listener = SilentListener()
    try:
        rt = AsyncRealtimeAPI(silent_config(listener))
        with pytest.raises(SonioxRealtimeTimeoutError):
            async with rt.tts.connect_multi_stream(connect_timeout_sec=0.2):
                pass
    finally:
        listener.close()
    with pytest.raises(SonioxRealtimeError):
        async with AsyncRealtimeAPI(silent_config(listener)).tts.connect(config=stream_config()):
            pass
