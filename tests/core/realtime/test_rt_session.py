"""The realtime session state machine, driven with bytes only."""

from __future__ import annotations

import json

import pytest
from rt_wire import CONFIG, ENDPOINT, Server, open_pair, token

from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import (
    END,
    NEED_DATA,
    RealtimeEvent,
    RealtimeSession,
    RealtimeSTTConfig,
    SessionState,
)


def drain(session: RealtimeSession) -> list[RealtimeEvent]:
    events = []
    while True:
        item = session.next_event()
        if item is NEED_DATA or item is END:
            return events
        assert isinstance(item, RealtimeEvent)
        events.append(item)


def test_handshake_carries_bearer_key_and_config_follows() -> None:
    session, server = open_pair()
    assert server.request is not None
    headers = server.request.headers
    assert headers["authorization"] == "Bearer key"
    assert server.request.path == "/transcribe-websocket"
    assert headers["host"] == "127.0.0.1:8765"
    assert server.config == {
        "model": "stt-rt-v4",
        "audio_format": "pcm_s16le",
        "num_channels": 1,
        "sample_rate": 16000,
    }
    assert session.state is SessionState.STREAMING


def test_whole_session_wire_sequence_and_events() -> None:
    session, server = open_pair()
    session.send_audio(b"a" * 10, 0.1)
    session.send_audio(b"b" * 5, 0.2)
    session.finish()
    session.finish()  # idempotent: the empty frame goes out once
    server.feed(session.data_to_send())
    assert server.frames[1:] == [b"a" * 10, b"b" * 5, ""]
    assert session.state is SessionState.FINISHING

    data = server.message({"tokens": [token("Hel", False)], "total_audio_proc_ms": 100})
    data += server.message(
        {"tokens": [token("Hello", True), token(" wor", False)], "final_audio_proc_ms": 200}
    )
    data += server.message({"tokens": [token(" world", True)], "finished": True})
    data += server.close()
    session.receive_data(data)
    events = drain(session)
    assert [e.finished for e in events] == [False, False, True]
    assert events[1].final_tokens[0].text == "Hello"
    assert events[1].non_final_tokens[0].text == " wor"
    assert session.next_event() is END
    assert session.state is SessionState.CLOSED
    server.feed(session.data_to_send())
    assert server.closes and server.closes[0].code == 1000  # the close reply
    assert session.last_message is events[-1]


def test_finalize_and_keepalive_messages() -> None:
    session, server = open_pair()
    session.finalize()
    session.finalize(trailing_silence_ms=300)
    session.keep_alive(1.0)
    server.feed(session.data_to_send())
    assert [json.loads(t) for t in server.texts[1:]] == [
        {"type": "finalize"},
        {"type": "finalize", "trailing_silence_ms": 300},
        {"type": "keepalive"},
    ]


def test_pause_drops_audio_sends_one_finalize_and_resume_restores() -> None:
    session, server = open_pair()
    session.pause()
    session.pause()
    assert session.send_audio(b"x", 1.0) is False
    session.resume()
    session.resume()
    assert session.send_audio(b"y", 1.0) is True
    server.feed(session.data_to_send())
    assert server.frames[1:] == ['{"type":"finalize"}', b"y"]


def test_keepalive_schedule_follows_last_frame_sent() -> None:
    session, server = open_pair(keepalive_interval_sec=5.0)
    assert session.next_keepalive_at() == 5.0
    assert session.handle_timer(4.9) is False
    session.send_audio(b"x", 3.0)
    assert session.next_keepalive_at() == 8.0
    assert session.handle_timer(8.0) is True
    assert session.next_keepalive_at() == 13.0
    server.feed(session.data_to_send())
    assert server.frames[-1] == '{"type":"keepalive"}'
    session.finish()
    assert session.next_keepalive_at() is None  # nothing to keep alive after the end of audio
    assert session.handle_timer(100.0) is False


def test_server_error_is_recorded_then_raised_with_code() -> None:
    session, server = open_pair()
    data = server.message({"tokens": [token("Hi", True)]})
    data += server.message({"tokens": [], "error_code": 503, "error_message": "Cannot continue"})
    data += server.close()
    session.receive_data(data)
    first = session.next_event()
    assert isinstance(first, RealtimeEvent) and first.tokens[0].text == "Hi"
    with pytest.raises(SonioxRealtimeError) as info:
        session.next_event()
    assert info.value.code == 503 and info.value.message == "Cannot continue"
    assert session.last_message is not None and session.last_message.error_code == 503
    assert session.state is SessionState.FAILED
    with pytest.raises(SonioxRealtimeError):  # sticky
        session.next_event()
    with pytest.raises(SonioxRealtimeError) as again:
        session.send_audio(b"x", 0.0)
    assert again.value.code == 503


def test_connection_lost_mid_stream_is_an_error() -> None:
    session, server = open_pair()
    session.receive_data(server.message({"tokens": [token("Hi", False)]}))
    session.receive_data(None)
    assert isinstance(session.next_event(), RealtimeEvent)
    with pytest.raises(SonioxRealtimeError, match="Connection lost"):
        session.next_event()


def test_close_before_finished_is_an_error() -> None:
    session, server = open_pair()
    session.receive_data(server.close(1011))
    with pytest.raises(SonioxRealtimeError, match="1011"):
        session.next_event()
    server.feed(session.data_to_send())
    assert server.closes[0].code == 1011  # still answered


def test_ping_is_answered() -> None:
    session, server = open_pair()
    session.receive_data(server.ping())
    assert session.next_event() is NEED_DATA
    server.feed(session.data_to_send())
    assert server.pongs == 1


def test_handshake_rejection_is_typed_error() -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    server = Server()
    session.start(0.0)
    server.feed(session.data_to_send())
    body = json.dumps({"error_code": 401, "error_message": "Invalid API key."}).encode()
    session.receive_data(server.reject(401, body))
    with pytest.raises(SonioxRealtimeError) as info:
        session.next_event()
    assert info.value.code == 401
    assert "Invalid API key." in info.value.message


def test_bad_accept_key_is_refused() -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    session.start(0.0)
    session.data_to_send()
    response = (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=\r\n\r\n"
    )
    session.receive_data(response)
    with pytest.raises(SonioxRealtimeError, match="Sec-WebSocket-Accept"):
        session.next_event()
    assert session.state is SessionState.FAILED


def test_non_101_without_upgrade_is_refused() -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    session.start(0.0)
    session.receive_data(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
    with pytest.raises(SonioxRealtimeError) as info:
        session.next_event()
    assert info.value.code == 200


def test_eof_during_handshake() -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    session.start(0.0)
    session.receive_data(None)
    with pytest.raises(SonioxRealtimeError, match="Failed to start"):
        session.next_event()


def test_malformed_server_message_is_typed() -> None:
    session, server = open_pair()
    session.receive_data(server.text("{"))
    with pytest.raises(SonioxRealtimeError, match="Malformed"):
        session.next_event()


def test_send_before_connected_and_after_close() -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    with pytest.raises(SonioxRealtimeError, match="not connected"):
        session.send_audio(b"x", 0.0)
    session, server = open_pair()
    session.close()
    server.feed(session.data_to_send())
    assert session.state is SessionState.CLOSING and session.awaiting_close
    with pytest.raises(SonioxRealtimeError, match="closed"):
        session.send_audio(b"x", 0.0)
    session.finish()  # a no-op: never an end-of-audio frame after close
    assert session.data_to_send() == b""
    session.receive_data(server.close())
    assert session.next_event() is END
    assert session.state is SessionState.CLOSED


def test_cannot_send_audio_after_finish() -> None:
    session, _ = open_pair()
    session.finish()
    with pytest.raises(SonioxRealtimeError, match="after the end of audio"):
        session.send_audio(b"x", 0.0)
    session.keep_alive(0.0)  # harmless no-op


def test_bad_config_fails_before_anything_is_sent() -> None:
    bad = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000)
    with pytest.raises(SonioxValidationError) as info:
        RealtimeSession(bad, ENDPOINT, [])
    assert info.value.field == "num_channels"
