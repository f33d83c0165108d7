# Generated from tests/realtime/test_rt_async.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""The realtime client against the emulator: written once, run three ways.

This is the blocking client's run, generated from ``test_rt_async.py``. Concurrency goes through
``rt_sync_support`` (threads in ``rt_sync_support``); what only async code
can do (cancellation) sits between ``unasync: begin-drop``/``end-drop`` marks.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
import rt_sync_support as support
from rt_helpers import DeafServer, client_config, refused_port, write_wav

import soniox_sync._realtime as realtime
from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import (
    TOKEN_TEXT_FIN,
    RealtimeEvent,
    RealtimeSTTConfig,
    ReconnectPolicy,
    SessionState,
    SonioxRealtimeReconnectError,
    SonioxRealtimeTimeoutError,
    TranscriptAccumulator,
)
from soniox_core.websocket._options import WRITE_BUFFER_HIGH_WATER
from soniox_emulator import Emulator

WAV = RealtimeSTTConfig(model="stt-rt-v4")
PCM = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
WORD = 3200  # bytes of 16 kHz s16 mono audio per emulator word at 100 ms/word


def api(emulator: Emulator, **options: object) -> realtime.RealtimeAPI:
    return realtime.RealtimeAPI(client_config(emulator, **options))


def test_whole_session_from_wav_file(rt_emulator: Emulator, wav_file: Path) -> None:
    transcript = TranscriptAccumulator()
    seen_non_final = False
    with api(rt_emulator).stt.connect(config=WAV) as session, support.background() as tg:
        tg.start_soon(session.send_bytes, realtime.stream_audio(wav_file, chunk_size_bytes=4096))
        for event in session:
            seen_non_final |= bool(event.non_final_tokens)
            transcript.add(event)
    assert transcript.finished
    assert seen_non_final  # words arrive provisional first, final later
    assert transcript.final_text == rt_emulator.realtime.transcript
    assert session.state is SessionState.CLOSED
    record = rt_emulator.realtime.sessions[0]
    assert record.auth_method == "header" and record.finished
    assert record.audio_bytes == wav_file.stat().st_size
    assert rt_emulator.realtime.configs == [{"model": "stt-rt-v4", "audio_format": "auto"}]


def test_real_time_pacing_takes_the_audio_duration(rt_emulator: Emulator, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "short.wav", 0.3)
    start = support.clock()
    chunks = [c for c in realtime.stream_audio(path, chunk_size_bytes=1600, speed=1.0)]
    elapsed = support.clock() - start
    assert b"".join(chunks) == path.read_bytes()
    assert 0.2 <= elapsed < 1.0


def test_finalize_turns_pending_words_final(rt_emulator: Emulator) -> None:
    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_bytes(b"\0" * WORD * 4)
        session.finalize()
        events: list[RealtimeEvent] = []
        while not any(t.text == TOKEN_TEXT_FIN for t in events[-1].tokens if events) if events else True:
            event = session.receive_event()
            assert event is not None
            events.append(event)
        fin_event = events[-1]
        assert all(t.is_final for t in fin_event.tokens)
        assert not fin_event.non_final_tokens
        session.finish()
        rest = [e for e in session]
    assert rest[-1].finished
    assert rt_emulator.realtime.finalize_count == 1


def test_pause_and_resume_with_keepalives(rt_emulator: Emulator) -> None:
    client = api(rt_emulator)
    with client.stt.connect(config=PCM, keepalive_interval_sec=0.05) as session:
        session.send_bytes(b"\0" * WORD)
        session.pause()
        assert session.paused
        session.send_bytes(b"\0" * WORD)  # dropped while paused
        support.sleep(0.4)
        paused_keepalives = rt_emulator.realtime.keepalives_received
        assert paused_keepalives >= 3
        session.resume()
        session.send_bytes([b"\0" * WORD] * 2)  # an iterable: finishes too
        transcript = TranscriptAccumulator()
        session.handle_events(transcript.add)
    record = rt_emulator.realtime.sessions[0]
    assert record.audio_bytes == 3 * WORD  # the paused chunk never went out
    assert record.finalizes == 1  # pause() finalizes first
    assert transcript.finished and transcript.final_text == rt_emulator.realtime.transcript


def test_idle_stream_sends_keepalives_by_itself(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.idle_timeout_sec = 0.3
    with api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=0.05) as session:
        session.send_bytes(b"\0" * WORD)
        support.sleep(0.8)  # longer than the idle timeout: keepalives keep it open
        session.finish()
        events = [e for e in session]
    assert events[-1].finished
    assert rt_emulator.realtime.keepalives_received >= 5


def test_idle_timeout_is_the_services_error(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.idle_timeout_sec = 0.2
    with api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=30) as session:
        with pytest.raises(SonioxRealtimeError) as info:
            session.receive_event()
    assert info.value.code == 408
    assert session.last_message is not None and session.last_message.error_code == 408


def test_server_error_message_raises_typed_error(rt_emulator: Emulator) -> None:
    message = "Cannot continue request (code 7). Please restart the request."
    rt_emulator.realtime.send_error(503, message, after_audio_bytes=WORD)
    with api(rt_emulator).stt.connect(config=PCM) as session:
        # A send task beside the receive loop: the error surfaces through the task group.
        with pytest.RaisesGroup(
            pytest.RaisesExc(SonioxRealtimeError, check=lambda e: e.code == 503),
            allow_unwrapped=True,
            flatten_subgroups=True,
        ):
            with support.background() as tg:

                def send() -> None:
                    for _ in range(20):
                        session.send_bytes(b"\0" * WORD)
                        support.sleep(0.01)

                tg.start_soon(send)
                for _ in session:
                    pass
    assert session.last_message is not None
    assert session.last_message.error_code == 503
    assert session.last_message.error_message == message


def test_server_error_without_task_group(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.send_error(429, "Rate limit for your project has been exceeded.")
    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_bytes(b"\0" * WORD)
        with pytest.raises(SonioxRealtimeError) as info:
            for _ in session:
                pass
        with pytest.raises(SonioxRealtimeError):  # and the session stays failed
            session.send_bytes(b"\0" * WORD)
    assert info.value.code == 429
    assert info.value.message == "Rate limit for your project has been exceeded."


def test_dropped_connection_is_typed_error_without_hang(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.drop_after_audio_bytes = 2 * WORD
    with support.fail_after(5):
        with api(rt_emulator).stt.connect(config=PCM) as session:
            session.send_bytes(b"\0" * WORD)
            session.send_bytes(b"\0" * WORD)
            with pytest.raises(SonioxRealtimeError, match=r"Connection lost|closed"):
                for _ in session:
                    pass
    assert rt_emulator.realtime.sessions[0].dropped


def test_bad_config_fails_before_connecting(rt_emulator: Emulator) -> None:
    bad = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le")
    with pytest.raises(SonioxValidationError) as info:
        api(rt_emulator).stt.connect(config=bad)
    assert info.value.field == "sample_rate"
    assert rt_emulator.realtime.sessions == []


def test_config_refused_by_service_is_typed(rt_emulator: Emulator) -> None:
    with api(rt_emulator).stt.connect(config={"model": "no-such-model"}) as session:
        with pytest.raises(SonioxRealtimeError) as info:
            session.receive_event()
    assert info.value.code == 400
    assert info.value.message == "Invalid model specified."


def test_wrong_key_is_typed(rt_emulator: Emulator) -> None:
    with api(rt_emulator).stt.connect(config=PCM, api_key="wrong") as session:
        with pytest.raises(SonioxRealtimeError) as info:
            session.receive_event()
    assert info.value.code == 401


def test_stalled_server_hits_receive_timeout(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.stall = True
    with api(rt_emulator).stt.connect(config=PCM, receive_timeout_sec=0.3) as session:
        session.send_bytes(b"\0" * WORD)
        with pytest.raises(SonioxRealtimeTimeoutError):
            session.receive_event()


def test_connect_timeout_is_bounded() -> None:
    # A listening socket that never answers the upgrade request.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        emulator = Emulator(api_key="k")
        emulator.port = listener.getsockname()[1]
        with support.fail_after(5), pytest.raises(SonioxRealtimeTimeoutError, match="timed out"):
            with api(emulator).stt.connect(config=PCM, connect_timeout_sec=0.2):
                pass


def test_reconnect_after_a_drop_replays_and_keeps_time(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.drop_after_audio_bytes = 6 * WORD  # every session drops there
    policy = ReconnectPolicy(max_attempts=3, backoff_sec=0.01)
    events: list[RealtimeEvent] = []
    connect = api(rt_emulator).stt.connect(config=PCM, reconnect=policy)
    with connect as session, support.background() as tg:

        def send() -> None:
            for _ in range(8):
                session.send_byte_chunk(b"\0" * WORD)
                support.sleep(0.03)
            session.finish()

        tg.start_soon(send)
        for event in session:
            events.append(event)
    sessions = rt_emulator.realtime.sessions
    assert sessions[0].dropped and len(sessions) >= 2 and sessions[-1].finished
    assert events[-1].finished and events[-1].reconnected
    first_new = next(i for i, event in enumerate(events) if event.reconnected)
    assert not any(event.reconnected for event in events[:first_new])
    before = [t for event in events[:first_new] for t in event.final_tokens]
    after = [t for event in events[first_new:] for t in event.final_tokens]
    assert before and after
    # Timestamps continue the first connection's: the new one starts where audio stopped being final.
    assert after[0].start_ms is not None and before[-1].end_ms is not None
    assert after[0].start_ms >= before[-1].end_ms
    starts = [t.start_ms or 0 for t in before + after]
    assert starts == sorted(starts)
    # Only the audio that was not final yet went out again.
    assert sessions[1].audio_bytes < 8 * WORD


def test_reconnect_gives_up_with_a_typed_error(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.drop_after_audio_bytes = WORD  # no session gets anywhere
    policy = ReconnectPolicy(max_attempts=2, backoff_sec=0.01)
    with api(rt_emulator).stt.connect(config=PCM, reconnect=policy) as session:
        session.send_bytes([b"\0" * WORD] * 3)
        with pytest.raises(SonioxRealtimeReconnectError) as info:
            for _ in session:
                pass
        with pytest.raises(SonioxRealtimeReconnectError):  # and it stays that way
            session.receive_event()
    assert info.value.attempts == 2
    assert len(rt_emulator.realtime.sessions) == 3


def test_no_reconnect_on_a_server_error(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.send_error(503, "Cannot continue", after_audio_bytes=WORD)
    policy = ReconnectPolicy(max_attempts=3, backoff_sec=0.01)
    with api(rt_emulator).stt.connect(config=PCM, reconnect=policy) as session:
        session.send_bytes([b"\0" * WORD] * 2)
        with pytest.raises(SonioxRealtimeError) as info:
            for _ in session:
                pass
    assert info.value.code == 503 and not isinstance(info.value, SonioxRealtimeReconnectError)
    assert len(rt_emulator.realtime.sessions) == 1


def test_reconnect_needs_raw_pcm(rt_emulator: Emulator) -> None:
    with pytest.raises(SonioxValidationError) as info:
        api(rt_emulator).stt.connect(config=WAV, reconnect=ReconnectPolicy())
    assert info.value.field == "reconnect"
    with pytest.raises(SonioxValidationError):
        ReconnectPolicy(max_attempts=0)


def test_use_outside_the_block_is_refused(rt_emulator: Emulator) -> None:
    session = api(rt_emulator).stt.connect(config=PCM)
    with pytest.raises(SonioxRealtimeError, match="not connected"):
        session.send_byte_chunk(b"x")
    session.close()  # a no-op before entering


def test_send_in_background_helper(rt_emulator: Emulator, wav_file: Path) -> None:
    with api(rt_emulator).stt.connect(config=WAV) as session:
        session.send_in_background(realtime.stream_audio(wav_file))
        events = [event for event in session.receive_events()]
    assert events[-1].finished


def test_send_in_background_failure_reaches_the_reader(rt_emulator: Emulator) -> None:
    def broken() -> Any:
        yield b"\0" * WORD
        raise OSError("microphone unplugged")

    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_in_background(broken())
        with pytest.raises(SonioxRealtimeError, match="microphone unplugged"):
            for _ in session:
                pass


def test_connection_refused_is_typed() -> None:
    emulator = Emulator(api_key="k")
    emulator.port = refused_port()
    with pytest.raises(SonioxRealtimeError, match="Failed to start realtime session"):
        with api(emulator).stt.connect(config=PCM):
            pass


def test_stream_audio_sources(tmp_path: Path) -> None:
    import io

    data = bytes(range(256)) * 10
    path = tmp_path / "a.raw"
    path.write_bytes(data)

    def agen() -> Any:
        yield data[:5]
        yield data[5:]

    for source in (data, path, str(path), io.BytesIO(data), [data[:7], data[7:]], agen()):
        chunks = [c for c in realtime.stream_audio(source, chunk_size_bytes=1000)]  # type: ignore[arg-type]
        assert b"".join(chunks) == data
    assert [len(c) for c in realtime.stream_audio(data, chunk_size_bytes=1000)] == [1000, 1000, 560]
    with pytest.raises(SonioxValidationError):
        [c for c in realtime.stream_audio(data, chunk_size_bytes=0)]
    with pytest.raises(SonioxValidationError, match="bytes_per_second"):
        [c for c in realtime.stream_audio(data, speed=1.0)]  # raw bytes: no rate to pace by


def test_audio_sent_faster_than_the_socket_arrives_whole(rt_emulator: Emulator) -> None:
    # Sends return once the chunk is queued; the writer task must still deliver
    # every byte, in order, before the end of audio.
    chunks = [bytes([i % 256]) * 3840 for i in range(300)]
    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_in_background(chunks)
        for _ in session:
            pass
    record = rt_emulator.realtime.sessions[0]
    assert record.finished
    assert record.audio_bytes == 300 * 3840


def test_frames_arrive_whole_and_in_order_when_the_socket_fills() -> None:
    # The server reads nothing for a while, so the socket's buffers fill and writes
    # come back short: what a sender could not write must go out next, whole.
    server = DeafServer(read_after_sec=0.5)
    chunks = [bytes([i % 251]) * 65_536 for i in range(96)]  # 6 MiB: more than the buffers hold
    try:
        api_ = realtime.RealtimeAPI(server.config(write_timeout=10))
        with support.fail_after(20):
            with api_.stt.connect(config=PCM) as session:
                for chunk in chunks:
                    session.send_byte_chunk(chunk)
                session.finish()
    finally:
        server.close()
    binary = [payload for opcode, payload in server.received if opcode == "BINARY"]
    assert binary == chunks
    assert [opcode for opcode, _ in server.received][-2:] == ["TEXT", "CLOSE"]  # end of audio, close


def test_fast_sender_is_held_back_and_a_deaf_server_times_out() -> None:
    server = DeafServer()
    sent = 0
    try:
        api_ = realtime.RealtimeAPI(server.config(write_timeout=0.3))
        with support.fail_after(10):
            with api_.stt.connect(config=PCM) as session:
                with pytest.raises(SonioxRealtimeTimeoutError, match="Timed out sending"):
                    while True:
                        session.send_byte_chunk(b"\0" * 3840)
                        sent += 1
                        # Held back: never much more than the high-water mark queued.
                        assert session._core.pending_bytes <= WRITE_BUFFER_HIGH_WATER + 3840 + 16
                with pytest.raises(SonioxRealtimeTimeoutError):  # the reader learns it too
                    session.receive_event()
    finally:
        server.close()
    assert sent > 0


