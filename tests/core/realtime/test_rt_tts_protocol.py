"""The realtime text-to-speech machine, driven with JSON messages only (no socket)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import SonioxRealtimeTimeoutError
from soniox_core.realtime.tts import (
    MAX_TTS_STREAMS_PER_CONNECTION,
    TTS_END,
    TTS_NEED_DATA,
    LocalProtocolViolation,
    RealtimeTTSConfig,
    Received,
    SonioxTTSAudioError,
    SonioxTTSStreamLimitError,
    StreamInput,
    StreamState,
    TTSProtocol,
    TTSStream,
    coerce_tts_config,
    split_text,
)
from soniox_core.realtime.tts._state import STREAM_TRANSITIONS, next_stream_state


def config(stream_id: str = "s1", **extra: Any) -> RealtimeTTSConfig:
    return RealtimeTTSConfig(
        stream_id=stream_id, model="tts-rt-v1", language="en", voice="Adrian", audio_format="wav", **extra
    )


def sent(protocol: TTSProtocol) -> list[dict[str, Any]]:
    return [json.loads(m) for m in protocol.messages_to_send()]


def audio(stream_id: str, data: bytes, *, end: bool = False) -> str:
    return json.dumps({"stream_id": stream_id, "audio": base64.b64encode(data).decode(), "audio_end": end})


def terminated(stream_id: str) -> str:
    return json.dumps({"stream_id": stream_id, "terminated": True})


def drain(protocol: TTSProtocol, stream: TTSStream, now: float = 0.0) -> list[Received]:
    out = []
    while True:
        item = protocol.next_event(stream, now)
        if item is TTS_NEED_DATA or item is TTS_END:
            return out
        assert isinstance(item, Received)
        out.append(item)


# --- messages out ---------------------------------------------------------------------------


def test_single_stream_wire_sequence() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(speed=1.1, return_timestamps=True), 0.0)
    protocol.send_text(stream, "Hello ", 0.1)
    protocol.send_text(stream, "world.", 0.2)
    protocol.finish(stream, 0.3)
    protocol.finish(stream, 0.4)  # a repeat says nothing new
    assert sent(protocol) == [
        {
            "stream_id": "s1",
            "model": "tts-rt-v1",
            "language": "en",
            "voice": "Adrian",
            "audio_format": "wav",
            "speed": 1.1,
            "return_timestamps": True,
        },
        {"text": "Hello ", "text_end": False, "stream_id": "s1"},
        {"text": "world.", "text_end": False, "stream_id": "s1"},
        {"text": "", "text_end": True, "stream_id": "s1"},
    ]
    assert stream.state is StreamState.TEXT_ENDED
    with pytest.raises(LocalProtocolViolation):
        protocol.send_text(stream, "more", 0.5)


def test_text_end_on_last_chunk_and_long_text_is_split() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(), 0.0)
    text = ("word " * 2500).strip()  # 12499 characters
    protocol.send_text(stream, text, 0.0, text_end=True)
    messages = sent(protocol)[1:]
    assert "".join(m["text"] for m in messages) == text
    assert all(len(m["text"]) <= 5000 for m in messages)
    assert [m["text_end"] for m in messages] == [False] * (len(messages) - 1) + [True]
    assert stream.state is StreamState.TEXT_ENDED


def test_cancel_and_keepalive_messages() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(), 0.0)
    protocol.keep_alive(1.0)
    protocol.cancel(stream, 2.0)
    protocol.cancel(stream, 3.0)  # already cancelling: not re-sent
    assert sent(protocol)[1:] == [{"keep_alive": True}, {"stream_id": "s1", "cancel": True}]
    protocol.receive_message(terminated("s1"))
    assert [r.event.terminated for r in drain(protocol, stream)] == [True]
    assert protocol.next_event(stream, 4.0) is TTS_END


def test_pause_drops_text_but_not_the_end_and_keepalives_fall_due() -> None:
    protocol = TTSProtocol(keepalive_interval_sec=25.0)
    protocol.started(0.0)
    stream = protocol.open_stream(config(), 0.0)
    protocol.pause()
    assert protocol.send_text(stream, "dropped", 1.0) is False
    assert protocol.next_keepalive_at() == 25.0
    assert protocol.handle_timer(24.9) is False
    assert protocol.handle_timer(25.0) is True
    assert protocol.next_keepalive_at() == 50.0
    protocol.send_text(stream, "dropped too", 30.0, text_end=True)
    protocol.resume(31.0)
    assert [m.get("text") for m in sent(protocol)[1:]] == [None, ""]
    assert stream.state is StreamState.TEXT_ENDED


def test_invalid_config_and_text_raise_before_anything_is_sent() -> None:
    protocol = TTSProtocol()
    with pytest.raises(SonioxValidationError) as info:
        protocol.open_stream(config(speed=2.0), 0.0)
    assert info.value.field == "speed"
    with pytest.raises(SonioxValidationError) as info:
        protocol.open_stream({"stream_id": "x", "model": "m", "language": "en", "voice": "v"}, 0.0)
    assert info.value.field == "config"
    bad = [("audio_format", "ogg"), ("sample_rate", 12345), ("stream_id", ""), ("voice", "v" * 51)]
    for field, value in bad:
        with pytest.raises(SonioxValidationError) as info:
            coerce_tts_config({**_fields(config()), field: value})
        assert info.value.field == field
    stream = protocol.open_stream(config(), 0.0)
    with pytest.raises(SonioxValidationError):
        protocol.send_text(stream, b"bytes", 0.0)  # type: ignore[arg-type]
    assert len(sent(protocol)) == 1


def _fields(c: RealtimeTTSConfig) -> dict[str, Any]:
    return {name: getattr(c, name) for name in c.__struct_fields__}


# --- messages in --------------------------------------------------------------------------------


def test_audio_is_decoded_as_it_arrives_and_the_stream_ends_after_terminated() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(), 0.0)
    protocol.receive_message(audio("s1", b"abc"))
    protocol.receive_message(audio("s1", b"def", end=True))
    assert stream.state is StreamState.AUDIO_ENDED
    assert stream.holds_slot
    protocol.receive_message(terminated("s1"))
    assert stream.state is StreamState.TERMINATED
    assert protocol.active_streams == []
    items = drain(protocol, stream)
    assert [i.audio for i in items] == [b"abc", b"def", None]
    assert items[-1].event.terminated
    assert stream.last_message is items[-1].event
    assert protocol.next_event(stream, 0.0) is TTS_END


def test_events_tolerate_extra_fields_and_carry_timestamps() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(return_timestamps=True), 0.0)
    message = {
        "stream_id": "s1",
        "audio": "AAAA",
        "future_field": {"x": 1},
        "timestamps": {
            "characters": ["H", "i"],
            "character_start_times_seconds": [0.0, 0.1],
            "character_end_times_seconds": [0.1, 0.2],
        },
    }
    protocol.receive_message(json.dumps(message))
    (item,) = drain(protocol, stream)
    assert item.audio == b"\0\0\0"
    assert item.event.timestamps is not None
    assert item.event.timestamps.characters == ["H", "i"]
    assert json.loads(item.raw) == message


def test_bad_base64_is_a_typed_error_on_that_stream_only() -> None:
    protocol = TTSProtocol()
    one = protocol.open_stream(config("one"), 0.0)
    two = protocol.open_stream(config("two"), 0.0)
    protocol.receive_message(audio("one", b"ok"))
    protocol.receive_message(json.dumps({"stream_id": "one", "audio": "!!not base64!!"}))
    protocol.receive_message(audio("two", b"fine"))
    assert protocol.next_event(one, 0.0).audio == b"ok"  # type: ignore[union-attr]
    with pytest.raises(SonioxTTSAudioError):
        protocol.next_event(one, 0.0)
    with pytest.raises(SonioxTTSAudioError):
        protocol.next_event(one, 0.0)  # stays failed
    assert protocol.next_event(two, 0.0).audio == b"fine"  # type: ignore[union-attr]
    assert one.holds_slot  # until the service's `terminated`
    protocol.receive_message(terminated("one"))
    assert not one.holds_slot


def test_stream_error_raises_on_that_stream_and_the_others_keep_going() -> None:
    protocol = TTSProtocol()
    one = protocol.open_stream(config("one"), 0.0)
    two = protocol.open_stream(config("two"), 0.0)
    error = {"stream_id": "one", "error_code": 400, "error_message": "bad voice"}
    protocol.receive_message(json.dumps(error))
    protocol.receive_message(terminated("one"))
    protocol.receive_message(audio("two", b"x"))
    with pytest.raises(SonioxRealtimeError) as info:
        protocol.next_event(one, 0.0)
    assert info.value.code == 400
    assert info.value.message == "bad voice"
    assert one.last_message is not None and one.last_message.error_code == 400
    assert [i.audio for i in drain(protocol, two)] == [b"x"]
    assert one.state is StreamState.TERMINATED
    # its id is free again
    again = protocol.open_stream(config("one"), 1.0)
    assert again is not one and again.state is StreamState.OPEN
    protocol.send_text(two, "still open", 1.0)


def test_connection_error_raises_on_every_stream_after_their_queued_events() -> None:
    protocol = TTSProtocol()
    one = protocol.open_stream(config("one"), 0.0)
    two = protocol.open_stream(config("two"), 0.0)
    protocol.receive_message(audio("one", b"a"))
    protocol.receive_message(json.dumps({"error_code": 401, "error_message": "Invalid API key"}))
    assert protocol.next_event(one, 0.0).audio == b"a"  # type: ignore[union-attr]
    for stream in (one, two):
        with pytest.raises(SonioxRealtimeError) as info:
            protocol.next_event(stream, 0.0)
        assert info.value.code == 401
    with pytest.raises(SonioxRealtimeError) as info:
        protocol.open_stream(config("three"), 0.0)
    assert info.value.code == 401
    with pytest.raises(SonioxRealtimeError):
        protocol.keep_alive(0.0)


def test_malformed_message_fails_the_connection() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(), 0.0)
    protocol.receive_message("not json")
    with pytest.raises(SonioxRealtimeError, match="Malformed"):
        protocol.next_event(stream, 0.0)


def test_duplicate_active_id_and_sixth_stream_are_refused() -> None:
    protocol = TTSProtocol()
    streams = [protocol.open_stream(config(f"s{i}"), 0.0) for i in range(MAX_TTS_STREAMS_PER_CONNECTION)]
    with pytest.raises(SonioxTTSStreamLimitError, match="already active"):
        protocol.open_stream(config("s0"), 0.0)
    with pytest.raises(SonioxTTSStreamLimitError, match="Maximum"):
        protocol.open_stream(config("s9"), 0.0)
    # audio_end alone does not free the slot; terminated does
    protocol.receive_message(audio("s0", b"", end=True))
    with pytest.raises(SonioxTTSStreamLimitError):
        protocol.open_stream(config("s0"), 0.0)
    protocol.receive_message(terminated("s0"))
    protocol.open_stream(config("s0"), 0.0)
    assert len(protocol.active_streams) == 5
    assert streams[0].state is StreamState.TERMINATED


def test_messages_for_unknown_streams_are_counted_and_dropped() -> None:
    protocol = TTSProtocol()
    stream = protocol.open_stream(config(), 0.0)
    protocol.receive_message(audio("ghost", b"x"))
    protocol.receive_message(json.dumps({"keep_alive_ack": True}))  # connection-level, not an error
    assert protocol.stray_messages == 1
    assert protocol.next_event(stream, 0.0) is TTS_NEED_DATA


def test_event_timeout_uses_the_callers_clock_and_fails_that_stream_only() -> None:
    protocol = TTSProtocol(event_timeout_sec=60.0)
    one = protocol.open_stream(config("one"), 0.0)
    two = protocol.open_stream(config("two"), 0.0)
    assert protocol.next_event(one, 10.0) is TTS_NEED_DATA
    assert protocol.event_deadline(one) == 70.0
    assert protocol.next_event(one, 69.9) is TTS_NEED_DATA
    with pytest.raises(SonioxRealtimeTimeoutError):
        protocol.next_event(one, 70.0)
    assert one.state is StreamState.FAILED and not one.holds_slot
    protocol.receive_message(audio("one", b"late"))  # dropped
    assert protocol.stray_messages == 1
    protocol.receive_message(audio("two", b"x"))
    assert protocol.next_event(two, 75.0).audio == b"x"  # type: ignore[union-attr]


def test_timeout_is_suspended_while_paused_and_restarts_on_resume() -> None:
    protocol = TTSProtocol(event_timeout_sec=60.0)
    stream = protocol.open_stream(config(), 0.0)
    assert protocol.next_event(stream, 0.0) is TTS_NEED_DATA
    protocol.pause()
    assert protocol.event_deadline(stream) is None
    assert protocol.next_event(stream, 500.0) is TTS_NEED_DATA
    protocol.resume(500.0)
    assert protocol.event_deadline(stream) == 560.0


def test_connection_end_fails_streams_still_waiting_but_not_complete_ones() -> None:
    protocol = TTSProtocol()
    done = protocol.open_stream(config("done"), 0.0)
    waiting = protocol.open_stream(config("waiting"), 0.0)
    protocol.receive_message(audio("done", b"all", end=True))
    protocol.connection_ended()
    assert [i.audio for i in drain(protocol, done)] == [b"all"]
    assert protocol.next_event(done, 0.0) is TTS_END
    with pytest.raises(SonioxRealtimeError, match="Connection closed"):
        protocol.next_event(waiting, 0.0)
    assert protocol.active_streams == []
    with pytest.raises(SonioxRealtimeError):
        protocol.open_stream(config("new"), 0.0)
    assert protocol.next_keepalive_at() is None


# --- the tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(StreamState))
def test_every_state_refuses_what_its_table_does_not_list(state: StreamState) -> None:
    for event in StreamInput:
        if event in STREAM_TRANSITIONS[state]:
            assert next_stream_state(state, event) is STREAM_TRANSITIONS[state][event]
        else:
            with pytest.raises(LocalProtocolViolation):
                next_stream_state(state, event)


def test_text_is_refused_after_the_stream_ended() -> None:
    for state in (StreamState.TERMINATED, StreamState.AUDIO_ENDED, StreamState.CANCELLING):
        with pytest.raises(LocalProtocolViolation):
            next_stream_state(state, StreamInput.SEND_TEXT)


# --- text splitting ---------------------------------------------------------------------------------


@given(st.text(max_size=300), st.integers(min_value=2, max_value=40))
def test_split_text_round_trips_within_the_limit(text: str, limit: int) -> None:
    pieces = list(split_text(text, limit))
    assert "".join(pieces) == text
    assert all(len(p) <= limit for p in pieces)
    assert all(pieces) or pieces == [""]


def test_split_text_prefers_sentence_ends_then_spaces() -> None:
    assert list(split_text("One two. Three four five", 12)) == ["One two.", " Three four ", "five"]
    assert list(split_text("aaaa bbbb cccc", 10)) == ["aaaa bbbb ", "cccc"]


# --- routing with interleaved streams (hypothesis) ---------------------------------------------------

_IDS = ["a", "b", "c", "d", "e"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_IDS), st.binary(min_size=1, max_size=8)),
        max_size=40,
    ),
    st.lists(st.sampled_from(_IDS), max_size=40),
)
def test_interleaved_streams_get_exactly_their_own_audio_in_order(
    chunks: list[tuple[str, bytes]], read_order: list[str]
) -> None:
    protocol = TTSProtocol()
    streams = {sid: protocol.open_stream(config(sid), 0.0) for sid in _IDS}
    expected: dict[str, list[bytes]] = {sid: [] for sid in _IDS}
    got: dict[str, list[bytes]] = {sid: [] for sid in _IDS}
    reads = iter(read_order)
    for sid, data in chunks:
        protocol.receive_message(audio(sid, data))
        expected[sid].append(data)
        # Some readers take events while others are still buffered.
        who = next(reads, None)
        if who is not None:
            item = protocol.next_event(streams[who], 0.0)
            if isinstance(item, Received):
                got[who].append(item.audio or b"")
    for sid in _IDS:
        protocol.receive_message(audio(sid, b"", end=True))
        protocol.receive_message(terminated(sid))
    for sid, stream in streams.items():
        rest = [i.audio for i in drain(protocol, stream)]
        got[sid].extend(a for a in rest if a)
        assert got[sid] == expected[sid]
        assert protocol.next_event(stream, 0.0) is TTS_END
    assert protocol.active_streams == []
