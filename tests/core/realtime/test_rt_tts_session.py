"""The text-to-speech session over a WebSocket, driven with bytes only (no socket)."""

from __future__ import annotations

import base64
import json

import pytest
from rt_wire import CONFIG, ENDPOINT, Server, open_pair

from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import END, NEED_DATA, RealtimeControlType, coerce_control_type
from soniox_core.realtime._files import output_file_for_audio_format
from soniox_core.realtime.tts import TTS_END, RealtimeTTSConfig, Received, TTSProtocol
from soniox_core.realtime.tts._session import Routed, SocketInput, SocketState, TTSSession
from soniox_core.websocket import Endpoint, UnexpectedInput

TTS = Endpoint(secure=False, host="127.0.0.1", port=8765, target="/tts-websocket")
CFG = RealtimeTTSConfig(stream_id="s1", model="tts-rt-v1", language="en", voice="Adrian", audio_format="wav")


def pair(config: RealtimeTTSConfig | None = CFG) -> tuple[TTSSession, Server]:
    session = TTSSession(TTS, [(b"Authorization", b"Bearer key")], TTSProtocol(), config=config)
    server = Server()
    session.start(0.0)
    server.feed(session.data_to_send())
    session.receive_data(server.accept())
    server.feed(session.data_to_send())
    return session, server


def audio(stream_id: str, data: bytes, **extra: object) -> dict[str, object]:
    return {"stream_id": stream_id, "audio": base64.b64encode(data).decode(), **extra}


def test_single_stream_config_follows_the_handshake_with_the_key_in_a_header() -> None:
    session, server = pair()
    assert server.request is not None
    assert server.request.headers["Authorization"] == "Bearer key"
    assert server.request.path == "/tts-websocket"
    assert [json.loads(t) for t in server.texts] == [
        {"stream_id": "s1", "model": "tts-rt-v1", "language": "en", "voice": "Adrian", "audio_format": "wav"}
    ]
    assert session.state is SocketState.OPEN and session.first_stream is not None


def test_multi_stream_connection_sends_nothing_until_a_stream_opens() -> None:
    session, server = pair(None)
    assert server.texts == [] and session.first_stream is None
    stream = session.protocol.open_stream(CFG, 1.0)
    session.protocol.send_text(stream, "Hi", 1.0, text_end=True)
    server.feed(session.data_to_send())
    assert [json.loads(t).get("text") for t in server.texts] == [None, "Hi"]


def test_messages_are_routed_and_the_driver_sees_one_notice_each() -> None:
    session, server = pair()
    stream = session.first_stream
    assert stream is not None
    session.receive_data(server.message(audio("s1", b"abc")) + server.message({"stream_id": "zz"}))
    notices = [session.next_event(), session.next_event()]
    assert notices == [Routed(stream), Routed(None)] and session.next_event() is NEED_DATA
    item = session.protocol.next_event(stream, 0.0)
    assert isinstance(item, Received) and item.audio == b"abc"


def test_keepalive_timer_sends_a_keepalive_frame() -> None:
    session, server = pair(None)
    due = session.next_timer_at()
    assert due == 25.0
    assert session.handle_timer(due) is True
    server.feed(session.data_to_send())
    assert json.loads(server.texts[-1]) == {"keep_alive": True}


def test_connection_error_message_fails_every_stream_and_the_driver() -> None:
    session, server = pair()
    stream = session.first_stream
    assert stream is not None
    session.receive_data(server.message({"error_code": 401, "error_message": "Invalid API key"}))
    with pytest.raises(SonioxRealtimeError) as info:
        session.next_event()
    assert info.value.code == 401
    with pytest.raises(SonioxRealtimeError) as info:
        session.protocol.next_event(stream, 0.0)
    assert info.value.code == 401


def test_server_close_ends_complete_streams_and_fails_waiting_ones() -> None:
    session, server = pair(None)
    done = session.protocol.open_stream(CFG, 0.0)
    waiting = session.protocol.open_stream(RealtimeTTSConfig(**{**_fields(CFG), "stream_id": "s2"}), 0.0)
    server.feed(session.data_to_send())
    session.receive_data(server.message(audio("s1", b"x", audio_end=True)) + server.close(1000))
    assert session.state is SocketState.CLOSED
    assert isinstance(session.protocol.next_event(done, 0.0), Received)
    assert session.protocol.next_event(done, 0.0) is TTS_END
    with pytest.raises(SonioxRealtimeError, match="close code 1000"):
        session.protocol.next_event(waiting, 0.0)


def _fields(c: RealtimeTTSConfig) -> dict[str, object]:
    return {name: getattr(c, name) for name in c.__struct_fields__}


def test_local_close_then_nothing_can_be_sent() -> None:
    session, server = pair()
    stream = session.first_stream
    assert stream is not None
    session.close()
    server.feed(session.data_to_send())
    assert server.closes and session.state is SocketState.CLOSING
    with pytest.raises(SonioxRealtimeError):
        session.protocol.send_text(stream, "late", 0.0)
    session.receive_data(server.close())
    assert session.next_event() is END


def test_rejected_upgrade_reports_the_service_error() -> None:
    session = TTSSession(TTS, [(b"Authorization", b"Bearer bad")], TTSProtocol(), config=CFG)
    server = Server()
    session.start(0.0)
    server.feed(session.data_to_send())
    body = json.dumps({"error_code": 401, "error_message": "Invalid API key"}).encode()
    session.receive_data(server.reject(401, body))
    error = session.handshake_error()
    assert error is not None and error.code == 401 and "Invalid API key" in error.message


def test_socket_table_refuses_what_it_does_not_list() -> None:
    session, _ = pair()
    session.close()
    assert session.state is SocketState.CLOSING
    with pytest.raises(UnexpectedInput):
        session._machine.apply(SocketInput.OPENED)


# --- speech-to-text extras -------------------------------------------------------------------


def test_stt_session_keeps_each_message_as_received() -> None:
    session, server = open_pair(CONFIG)
    raw = json.dumps({"tokens": [], "future": 1}).encode()
    session.receive_data(server.text(raw.decode()))
    event = session.next_event()
    assert event is not NEED_DATA and session.take_last_raw() == raw
    assert session.take_last_raw() is None
    error = json.dumps({"error_code": 503, "error_message": "busy"}).encode()
    session.receive_data(server.text(error.decode()))
    with pytest.raises(SonioxRealtimeError):
        session.next_event()
    assert session.take_last_raw() == error


def test_control_types_and_output_file_names() -> None:
    assert coerce_control_type("finalize") is RealtimeControlType.FINALIZE
    with pytest.raises(ValueError):
        coerce_control_type("stop")
    assert str(output_file_for_audio_format("pcm_s16le", "out/a")) == "out/a.pcm"
    assert str(output_file_for_audio_format("mp3", "b")) == "b.mp3"
    assert str(output_file_for_audio_format("weird", "c")) == "c.bin"
    assert ENDPOINT.target == "/transcribe-websocket"
