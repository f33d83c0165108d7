"""The blocking realtime client against the emulator."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from rt_helpers import DeafServer, client_config, refused_port, write_wav

from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import (
    TOKEN_TEXT_FIN,
    RealtimeSTTConfig,
    SessionState,
    SonioxRealtimeTimeoutError,
    TranscriptAccumulator,
)
from soniox_emulator import Emulator
from soniox_sync._realtime import RealtimeAPI, RealtimeSTTSession, stream_audio

WAV = RealtimeSTTConfig(model="stt-rt-v4")
PCM = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
WORD = 3200  # bytes of 16 kHz s16 mono audio per emulator word at 100 ms/word


def api(emulator: Emulator) -> RealtimeAPI:
    return RealtimeAPI(client_config(emulator))


def wait_for(condition: object, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_whole_session_from_wav_file_with_a_sender_thread(rt_emulator: Emulator, wav_file: Path) -> None:
    transcript = TranscriptAccumulator()
    with api(rt_emulator).stt.connect(config=WAV) as session:
        sender = session.send_in_background(stream_audio(wav_file, chunk_size_bytes=4096))
        for event in session:
            transcript.add(event)
        sender.join(2)
    assert transcript.finished
    assert transcript.final_text == rt_emulator.realtime.transcript
    assert session.state is SessionState.CLOSED
    assert rt_emulator.realtime.sessions[0].audio_bytes == wav_file.stat().st_size


def test_two_plain_threads(rt_emulator: Emulator, wav_file: Path) -> None:
    events = []
    with api(rt_emulator).stt.connect(config=WAV) as session:
        reader = threading.Thread(target=lambda: events.extend(session.receive_events()))
        reader.start()
        session.send_bytes(stream_audio(wav_file))
        reader.join(5)
    assert events[-1].finished


def test_real_time_pacing_takes_the_audio_duration(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "short.wav", 0.3)
    start = time.monotonic()
    chunks = list(stream_audio(path, chunk_size_bytes=1600, speed=1.0))
    elapsed = time.monotonic() - start
    assert b"".join(chunks) == path.read_bytes()
    assert 0.2 <= elapsed < 1.0


def test_finalize(rt_emulator: Emulator) -> None:
    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_bytes(b"\0" * WORD * 4)
        session.finalize()
        while True:
            event = session.receive_event()
            assert event is not None
            if any(t.text == TOKEN_TEXT_FIN for t in event.tokens):
                break
        assert not event.non_final_tokens
        session.finish()
        rest = list(session)
    assert rest[-1].finished
    assert rt_emulator.realtime.finalize_count == 1


def test_pause_and_resume_with_keepalives(rt_emulator: Emulator) -> None:
    with api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=0.05) as session:
        session.send_bytes(b"\0" * WORD)
        session.pause()
        session.pause()  # idempotent: one finalize
        session.send_bytes(b"\0" * WORD)  # dropped
        time.sleep(0.4)
        assert rt_emulator.realtime.keepalives_received >= 3
        session.resume()
        session.send_bytes(iter([b"\0" * WORD] * 2))
        transcript = TranscriptAccumulator()
        session.handle_events(transcript.add)
    record = rt_emulator.realtime.sessions[0]
    assert record.audio_bytes == 3 * WORD and record.finalizes == 1
    assert transcript.final_text == rt_emulator.realtime.transcript


def test_idle_stream_sends_keepalives_by_itself(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.idle_timeout_sec = 0.3
    with api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=0.05) as session:
        session.send_bytes(b"\0" * WORD)
        time.sleep(0.8)  # the caller is busy elsewhere; the helper thread keeps it open
        session.finish()
        events = list(session)
    assert events[-1].finished


def test_server_error_message_raises_typed_error(rt_emulator: Emulator) -> None:
    message = "Cannot continue request (code 7). Please restart the request."
    rt_emulator.realtime.send_error(503, message, after_audio_bytes=WORD)
    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_in_background([b"\0" * WORD] * 10, finish=False)
        with pytest.raises(SonioxRealtimeError) as info:
            for _ in session:
                pass
    assert info.value.code == 503 and info.value.message == message
    assert session.last_message is not None and session.last_message.error_code == 503


def test_dropped_connection_is_typed_error_without_hang(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.drop_after_audio_bytes = 2 * WORD
    start = time.monotonic()
    with api(rt_emulator).stt.connect(config=PCM) as session:
        session.send_bytes(b"\0" * WORD)
        session.send_bytes(b"\0" * WORD)
        with pytest.raises(SonioxRealtimeError, match=r"Connection lost|closed"):
            for _ in session:
                pass
    assert time.monotonic() - start < 5
    assert rt_emulator.realtime.sessions[0].dropped


def test_bad_config_fails_before_connecting(rt_emulator: Emulator) -> None:
    with pytest.raises(SonioxValidationError):
        api(rt_emulator).stt.connect(config=RealtimeSTTConfig(model="m", language_hints=["xyz"]))
    assert rt_emulator.realtime.sessions == []


def test_idle_timeout_is_the_services_error(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.idle_timeout_sec = 0.2
    with (
        api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=30) as session,
        pytest.raises(SonioxRealtimeError) as info,
    ):
        session.receive_event()
    assert info.value.code == 408


def test_stalled_server_hits_receive_timeout(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.stall = True
    with api(rt_emulator).stt.connect(config=PCM, receive_timeout_sec=0.3) as session:
        session.send_bytes(b"\0" * WORD)
        with pytest.raises(SonioxRealtimeTimeoutError):
            session.receive_event()


def test_connect_timeout_is_bounded() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        emulator = Emulator(api_key="k")
        emulator.port = listener.getsockname()[1]
        start = time.monotonic()
        with (
            pytest.raises(SonioxRealtimeTimeoutError, match="timed out"),
            api(emulator).stt.connect(config=PCM, connect_timeout_sec=0.2),
        ):
            pass
        assert time.monotonic() - start < 2


def test_interrupt_leaves_nothing_open(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.stall = True
    captured: list[RealtimeSTTSession] = []
    with (
        pytest.raises(KeyboardInterrupt),
        api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=0.05) as session,
    ):
        captured.append(session)
        session.send_bytes(b"\0" * WORD)
        raise KeyboardInterrupt  # what Ctrl-C looks like to the session
    session = captured[0]
    assert session._driver._sock is None
    assert session._driver._timer_thread is not None and not session._driver._timer_thread.is_alive()
    wait_for(lambda: rt_emulator.realtime.sessions[0].client_closed)


def test_connection_refused_is_typed() -> None:
    emulator = Emulator(api_key="k")
    emulator.port = refused_port()
    with pytest.raises(SonioxRealtimeError, match="Failed to start realtime session"):
        api(emulator).stt.connect(config=PCM).__enter__()


def test_stream_audio_sources(tmp_path: Path) -> None:
    import io

    data = bytes(range(256)) * 10
    path = tmp_path / "a.raw"
    path.write_bytes(data)
    for source in (data, path, str(path), io.BytesIO(data), iter([data[:7], data[7:]])):
        assert b"".join(stream_audio(source, chunk_size_bytes=1000)) == data
    assert [len(c) for c in stream_audio(data, chunk_size_bytes=1000)] == [1000, 1000, 560]
    with pytest.raises(SonioxValidationError):
        list(stream_audio(data, chunk_size_bytes=-1))
    paced = list(stream_audio(data, speed=100.0, bytes_per_second=32000))
    assert b"".join(paced) == data


def test_enter_twice_and_close_before_enter(rt_emulator: Emulator) -> None:
    session = api(rt_emulator).stt.connect(config=PCM)
    session.close()  # a no-op before entering
    with session, pytest.raises(SonioxRealtimeError, match="only once"):
        session.__enter__()
    with pytest.raises(SonioxRealtimeError, match="only once"):
        session.__enter__()


def test_a_deaf_server_makes_sends_time_out() -> None:
    server = DeafServer()
    sent = 0
    try:
        with RealtimeAPI(server.config(write_timeout=0.3)).stt.connect(config=PCM) as session:
            started = time.monotonic()
            with pytest.raises(SonioxRealtimeTimeoutError, match="Timed out sending"):
                while time.monotonic() - started < 10:
                    session.send_byte_chunk(b"\0" * 3840)
                    sent += 1
            with pytest.raises(SonioxRealtimeTimeoutError):  # the reader learns it too
                session.receive_event()
    finally:
        server.close()
    assert sent > 0
