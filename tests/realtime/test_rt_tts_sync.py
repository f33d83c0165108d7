"""The blocking realtime text-to-speech client against the emulator (threads for streams)."""

from __future__ import annotations

import threading

import pytest
from rt_tts_helpers import SilentListener, silent_config, stream_config, tts_config, wait_until, words

from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import RealtimeSTTConfig, SonioxRealtimeTimeoutError, TranscriptAccumulator
from soniox_core.realtime.tts import SonioxTTSStreamLimitError
from soniox_core.realtime.tts._driver import plan_tts_connection
from soniox_emulator import Emulator
from soniox_sync import SonioxClient
from soniox_sync._realtime import RealtimeAPI
from soniox_sync._realtime_tts import RealtimeTTSMultiplexedConnection, RealtimeTTSStream
from soniox_sync.utils import start_text_thread

TEXT = "Hello from the realtime voice. It speaks as the text arrives."


def api(emulator: Emulator) -> RealtimeAPI:
    return RealtimeAPI(tts_config(emulator))


def test_single_stream_speaks_text_sent_from_a_thread(emulator: Emulator) -> None:
    audio = bytearray()
    with api(emulator).tts.connect(config=stream_config()) as tts:
        sender = start_text_thread(tts, iter(words(TEXT)), name="llm")
        assert sender.name == "llm" and sender.daemon
        for chunk in tts.receive_audio_chunks():
            audio += chunk
        sender.join(5)
        assert tts.receive_event() is None
    (record,) = emulator.tts_realtime.streams
    assert record.text == TEXT and record.terminated
    assert len(audio) == record.audio_bytes > 0
    wait_until(lambda: emulator.tts_realtime.connections[0].client_closed, "the close")


def test_text_thread_failure_is_raised_by_the_reader(emulator: Emulator) -> None:
    with pytest.raises(SonioxRealtimeError) as info, api(emulator).tts.connect(config=stream_config()) as tts:
        start_text_thread(tts, ["Fine. ", 42])  # type: ignore[list-item]
        list(tts.receive_events())
    assert "text: must be a str, not int" in str(info.value)


def test_raw_messages_and_handle_events(emulator: Emulator) -> None:
    seen = []
    with api(emulator).tts.connect(config=stream_config()) as tts:
        tts.send_text_chunks("Short.")
        first = tts.parse_event(tts.recv_bytes())
        assert first.stream_id == "s1"
        tts.handle_events(seen.append)
        assert tts.recv_bytes() == b""
    assert seen[-1].terminated


def test_whole_client_with_a_temporary_tts_key(emulator: Emulator) -> None:
    with SonioxClient(
        api_key=emulator.api_key,
        api_base_url=emulator.base_url,
        tts_websocket_base_url=emulator.tts_websocket_base_url,
    ) as client:
        temp = client.auth.create_temporary_api_key(usage_type="tts_rt", expires_in_seconds=60)
        with client.realtime.tts.connect(config=stream_config(), api_key=temp.api_key) as tts:
            tts.send_text_chunks("With a temporary key.")
            assert b"".join(tts.receive_audio_chunks())


def test_three_interleaved_streams_from_three_threads(emulator: Emulator) -> None:
    emulator.tts_realtime.chunk_bytes = 2048
    texts = {f"s{i}": f"Stream number {i} says something different {'la ' * i}." for i in range(3)}
    got: dict[str, bytes] = {}
    failures: list[BaseException] = []

    def run(stream: RealtimeTTSStream) -> None:
        try:
            stream.send_text_chunks(iter(words(texts[stream.stream_id])))
            got[stream.stream_id] = b"".join(stream.receive_audio_chunks())
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    with api(emulator).tts.connect_multi_stream() as conn:
        streams = [conn.open_stream(config=stream_config(sid)) for sid in texts]
        threads = [threading.Thread(target=run, args=(s,)) for s in streams]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
    assert not failures
    records = {r.stream_id: r for r in emulator.tts_realtime.streams}
    for sid, text in texts.items():
        assert records[sid].text == text
        assert len(got[sid]) == records[sid].audio_bytes > 0


def test_stream_limits_and_id_reuse(emulator: Emulator) -> None:
    with api(emulator).tts.connect_multi_stream() as conn:
        streams = [conn.open_stream(config=stream_config(f"s{i}")) for i in range(5)]
        with pytest.raises(SonioxTTSStreamLimitError):
            conn.open_stream(config=stream_config("s5"))
        streams[0].send_text_chunks("Done.")
        assert list(streams[0].receive_events())[-1].terminated
        again = conn.open_stream(config=stream_config("s0"))
        again.send_text_chunks("Again.")
        assert b"".join(again.receive_audio_chunks())


def test_cancel_stops_the_stream(emulator: Emulator) -> None:
    emulator.tts_realtime.audio_interval_sec = 0.05
    emulator.tts_realtime.chunk_bytes = 512
    with api(emulator).tts.connect(config=stream_config()) as tts:
        tts.send_text_chunks(TEXT * 3)
        assert (first := tts.receive_event()) is not None and first.audio
        tts.cancel()
        assert list(tts.receive_events())[-1].terminated
    assert emulator.tts_realtime.streams[0].cancelled


def test_keepalives_while_paused_and_text_dropped(emulator: Emulator) -> None:
    plan = plan_tts_connection(
        tts_config(emulator), None, multi_stream=True, api_key=None,
        connect_timeout_sec=5.0, keepalive_interval_sec=0.05,
    )  # fmt: skip
    with RealtimeTTSMultiplexedConnection(plan) as conn:
        stream = conn.open_stream(config=stream_config())
        stream.send_text_chunk("Kept. ")
        stream.pause()
        assert conn.paused
        stream.send_text_chunk("Dropped while paused. ")
        wait_until(lambda: emulator.tts_realtime.connections[0].keepalives >= 3, "keepalives")
        stream.resume()
        stream.send_text_chunks("Resumed.")
        assert b"".join(stream.receive_audio_chunks())
    assert emulator.tts_realtime.streams[0].text == "Kept. Resumed."


def test_stream_error_raises_on_that_stream_only(emulator: Emulator) -> None:
    emulator.tts_realtime.send_error(422, "stream broke", after_audio_messages=1)
    with api(emulator).tts.connect_multi_stream() as conn:
        bad = conn.open_stream(config=stream_config("bad"))
        good = conn.open_stream(config=stream_config("good"))
        bad.send_text_chunks(TEXT)
        with pytest.raises(SonioxRealtimeError) as info:
            list(bad.receive_events())
        assert info.value.code == 422
        good.send_text_chunks("Still fine.")
        assert b"".join(good.receive_audio_chunks())


def test_connection_error_raises_on_every_stream(emulator: Emulator) -> None:
    emulator.tts_realtime.send_error(500, "server fell over", after_audio_messages=1, connection_level=True)
    with api(emulator).tts.connect_multi_stream() as conn:
        one = conn.open_stream(config=stream_config("one"))
        two = conn.open_stream(config=stream_config("two"))
        one.send_text_chunks(TEXT)
        for stream in (one, two):
            with pytest.raises(SonioxRealtimeError) as info:
                list(stream.receive_events())
            assert info.value.code == 500


def test_event_timeout_fails_the_stream(emulator: Emulator) -> None:
    emulator.tts_realtime.stall = True
    plan = plan_tts_connection(
        tts_config(emulator), None, multi_stream=True, api_key=None,
        connect_timeout_sec=5.0, event_timeout_sec=0.2,
    )  # fmt: skip
    with RealtimeTTSMultiplexedConnection(plan) as conn:
        stream = conn.open_stream(config=stream_config())
        stream.send_text_chunks("Nobody answers.")
        with pytest.raises(SonioxRealtimeTimeoutError):
            stream.receive_event()


def test_an_exception_in_the_block_leaves_no_socket_open(emulator: Emulator) -> None:
    with pytest.raises(KeyError), api(emulator).tts.connect(config=stream_config()) as tts:
        tts.send_text_chunk("Interrupted")
        raise KeyError("user code failed")
    assert tts._connection._driver._stream is None
    wait_until(lambda: emulator.tts_realtime.connections[0].client_closed, "the close")
    with pytest.raises(SonioxRealtimeError):
        tts.send_text_chunk("after close")


def test_bad_arguments_fail_before_any_connection(emulator: Emulator) -> None:
    with pytest.raises(SonioxValidationError) as info:
        api(emulator).tts.connect(config={"stream_id": "x", "model": "m"})
    assert info.value.field == "config"
    conn = api(emulator).tts.connect(config=stream_config(), api_key="wrong-key")
    with pytest.raises(SonioxRealtimeError) as error, conn as tts:
        tts.receive_event()
    assert error.value.code == 401
    assert len(emulator.tts_realtime.connections) == 1


def test_realtime_tts_audio_transcribed_by_realtime_stt(emulator: Emulator) -> None:
    emulator.realtime.ms_per_word = 100
    rt = api(emulator)
    text = "every word spoken comes back as text"
    with rt.tts.connect(config=stream_config()) as tts:
        tts.send_text_chunks(iter(words(text)))
        audio = b"".join(tts.receive_audio_chunks())
    stt = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
    transcript = TranscriptAccumulator()
    with rt.stt.connect(config=stt) as session:
        session.send_in_background([audio[i : i + 8192] for i in range(0, len(audio), 8192)])
        for event in session:
            transcript.add(event)
    assert transcript.final_text.strip() == text


def test_connect_timeout_and_refused_connection() -> None:
    listener = SilentListener()
    try:
        rt = RealtimeAPI(silent_config(listener))
        with pytest.raises(SonioxRealtimeTimeoutError), rt.tts.connect_multi_stream(connect_timeout_sec=0.2):
            pass
    finally:
        listener.close()
    with (
        pytest.raises(SonioxRealtimeError),
        RealtimeAPI(silent_config(listener)).tts.connect(config=stream_config()),
    ):
        pass
