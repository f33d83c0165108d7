"""The TTS WebSocket protocol on the emulator, driven by a plain ``websockets`` client."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from emulator_helpers import Api
from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.sync.client import ClientConnection, connect

from soniox_emulator import Emulator
from soniox_emulator._tts_decoder import ToneDecoder

_CONFIG = {
    "model": "tts-rt-v2",
    "language": "en",
    "voice": "Adrian",
    "audio_format": "pcm_s16le",
    "sample_rate": 16000,
}


def _connect(emulator: Emulator, key: str | None = "", **kwargs: Any) -> ClientConnection:
    token = emulator.api_key if key == "" else key
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return connect(emulator.tts_websocket_base_url, additional_headers=headers, open_timeout=5, **kwargs)


@pytest.fixture
def ws(emulator: Emulator) -> Iterator[ClientConnection]:
    with _connect(emulator) as connection:
        yield connection


def _send(ws: ClientConnection, **message: Any) -> None:
    ws.send(json.dumps(message))


def _recv(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=5))
    return message


def _until_terminated(ws: ClientConnection, stream_id: str) -> list[dict[str, Any]]:
    events = []
    while True:
        event = _recv(ws)
        events.append(event)
        if event.get("terminated") and event.get("stream_id") == stream_id:
            return events


def _audio(events: list[dict[str, Any]], stream_id: str) -> bytes:
    return b"".join(
        base64.b64decode(e["audio"]) for e in events if e.get("stream_id") == stream_id and "audio" in e
    )


def test_a_stream_speaks_its_text_then_ends_and_terminates(emulator: Emulator, ws: ClientConnection) -> None:
    _send(ws, stream_id="s1", **_CONFIG)
    _send(ws, stream_id="s1", text="Hello there, ", text_end=False)
    _send(ws, stream_id="s1", text="how are you?", text_end=True)
    events = _until_terminated(ws, "s1")
    audio_events = [e for e in events if "audio" in e]
    assert all(isinstance(e["audio"], str) for e in audio_events)
    assert [e["audio_end"] for e in audio_events] == [False] * (len(audio_events) - 1) + [True]
    assert events[-1] == {"terminated": True, "stream_id": "s1"}
    assert "timestamps" not in audio_events[0]
    decoder = ToneDecoder("pcm_s16le", 16000)
    decoder.feed(_audio(events, "s1"))
    assert decoder.text == "Hello there, how are you?"
    assert emulator.tts_realtime.streams[0].text == "Hello there, how are you?"


def test_timestamps_cover_every_spoken_character(ws: ClientConnection) -> None:
    _send(ws, stream_id="t", return_timestamps=True, **{**_CONFIG, "audio_format": "wav"})
    _send(ws, stream_id="t", text="Time  stamps!", text_end=True)
    events = _until_terminated(ws, "t")
    characters: list[str] = []
    starts: list[float] = []
    ends: list[float] = []
    for event in events:
        stamps = event.get("timestamps")
        if stamps:
            characters += stamps["characters"]
            starts += stamps["character_start_times_seconds"]
            ends += stamps["character_end_times_seconds"]
    assert "".join(characters) == "Time stamps!"
    assert len(starts) == len(ends) == len(characters)
    assert all(s < e for s, e in zip(starts, ends, strict=True))
    assert starts == sorted(starts)
    decoder = ToneDecoder()
    decoder.feed(_audio(events, "t"))
    assert decoder.text == "Time stamps!"


def test_five_streams_share_a_connection_and_a_sixth_is_refused(
    emulator: Emulator, ws: ClientConnection
) -> None:
    for i in range(5):
        _send(ws, stream_id=f"s{i}", **_CONFIG)
    _send(ws, stream_id="s5", **_CONFIG)
    refused = _recv(ws)
    assert refused["stream_id"] == "s5" and refused["error_code"] == 400
    assert _recv(ws) == {"terminated": True, "stream_id": "s5"}
    assert emulator.usage.snapshot()["project"]["current"]["tts_concurrent"] == 5
    for i in range(5):
        _send(ws, stream_id=f"s{i}", text=f"stream {i}", text_end=True)
    terminated: set[str] = set()
    while len(terminated) < 5:
        event = _recv(ws)
        assert "error_code" not in event
        if event.get("terminated"):
            terminated.add(event["stream_id"])
    assert emulator.usage.snapshot()["project"]["current"]["tts_concurrent"] == 0


def test_interleaved_streams_each_get_their_own_audio(ws: ClientConnection) -> None:
    _send(ws, stream_id="a", **_CONFIG)
    _send(ws, stream_id="b", **_CONFIG)
    _send(ws, stream_id="a", text="alpha", text_end=True)
    _send(ws, stream_id="b", text="bravo", text_end=True)
    events: list[dict[str, Any]] = []
    terminated = set()
    while terminated != {"a", "b"}:
        event = _recv(ws)
        events.append(event)
        if event.get("terminated"):
            terminated.add(event["stream_id"])
    for stream_id, text in (("a", "alpha"), ("b", "bravo")):
        decoder = ToneDecoder("pcm_s16le", 16000)
        decoder.feed(_audio(events, stream_id))
        assert decoder.text == text


def test_a_stream_id_can_be_reused_after_terminated(ws: ClientConnection) -> None:
    for _ in range(2):
        _send(ws, stream_id="again", **_CONFIG)
        _send(ws, stream_id="again", text="once", text_end=True)
        assert _until_terminated(ws, "again")[-1]["terminated"]


def test_a_duplicate_active_stream_id_is_refused(ws: ClientConnection) -> None:
    _send(ws, stream_id="dup", **_CONFIG)
    _send(ws, stream_id="dup", **_CONFIG)
    error = _recv(ws)
    assert error["stream_id"] == "dup" and error["error_code"] == 400
    assert "already active" in error["error_message"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"voice": "Nobody"}, "Invalid voice 'Nobody' for model 'tts-rt-v2'."),
        ({"model": None}, "Missing required field: model"),
        ({"audio_format": "mp3"}, None),
        ({"language": "xx"}, "Invalid language 'xx' for model 'tts-rt-v2'."),
    ],
)
def test_a_bad_config_fails_only_its_stream(
    ws: ClientConnection, change: dict[str, Any], message: str | None
) -> None:
    config = {k: v for k, v in {**_CONFIG, **change}.items() if v is not None}
    _send(ws, stream_id="bad", **config)
    error = _recv(ws)
    assert error["stream_id"] == "bad" and error["error_code"] == 400
    if message is not None:
        assert error["error_message"] == message
    assert _recv(ws) == {"terminated": True, "stream_id": "bad"}
    # The connection is still good for another stream.
    _send(ws, stream_id="good", **_CONFIG)
    _send(ws, stream_id="good", text="fine", text_end=True)
    assert _until_terminated(ws, "good")[-1]["terminated"]


def test_cancel_stops_a_stream_without_audio_end(emulator: Emulator, ws: ClientConnection) -> None:
    emulator.tts_realtime.audio_interval_sec = 0.05
    emulator.tts_realtime.chunk_bytes = 1024
    _send(ws, stream_id="c", **_CONFIG)
    _send(ws, stream_id="c", text="a long text " * 20, text_end=True)
    assert "audio" in _recv(ws)
    _send(ws, stream_id="c", cancel=True)
    events = _until_terminated(ws, "c")
    assert not any(e.get("audio_end") for e in events)
    assert emulator.tts_realtime.streams[0].cancelled


def test_keep_alive_is_counted_and_answered_with_nothing(emulator: Emulator, ws: ClientConnection) -> None:
    _send(ws, keep_alive=True)
    _send(ws, stream_id="k", **_CONFIG)
    _send(ws, stream_id="k", text="after keepalive", text_end=True)
    first = _recv(ws)
    assert first["stream_id"] == "k"
    _until_terminated(ws, "k")
    assert emulator.tts_realtime.connections[0].keepalives == 1


def test_text_for_an_unknown_stream_is_a_stream_error(ws: ClientConnection) -> None:
    _send(ws, stream_id="ghost", text="boo", text_end=True)
    error = _recv(ws)
    assert error["stream_id"] == "ghost" and error["error_code"] == 400
    assert _recv(ws) == {"terminated": True, "stream_id": "ghost"}


def test_bad_key_is_a_connection_error(emulator: Emulator) -> None:
    with _connect(emulator, key="wrong") as ws:
        error = _recv(ws)
        assert "stream_id" not in error
        assert error["error_code"] == 401
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)


def test_subprotocol_key_and_legacy_config_key_work(emulator: Emulator) -> None:
    with connect(
        emulator.tts_websocket_base_url,
        subprotocols=["soniox-api-key", emulator.api_key],  # type: ignore[list-item]
        open_timeout=5,
    ) as ws:
        _send(ws, stream_id="p", **_CONFIG)
        _send(ws, stream_id="p", text="protocol", text_end=True)
        assert _until_terminated(ws, "p")[-1]["terminated"]
    with _connect(emulator, key=None) as ws:
        _send(ws, stream_id="l", api_key=emulator.api_key, **_CONFIG)
        _send(ws, stream_id="l", text="legacy", text_end=True)
        assert _until_terminated(ws, "l")[-1]["terminated"]
    methods = [c.auth_method for c in emulator.tts_realtime.connections]
    assert methods == ["subprotocol", "config"]
    legacy = emulator.tts_realtime.connections[1]
    assert legacy.messages[0]["api_key"] != emulator.api_key  # logged masked
    assert "api_key" not in legacy.streams[0].config
    assert legacy.messages[1] == {"stream_id": "l", "text": "legacy", "text_end": True}


def test_no_key_at_all_is_refused_at_the_first_config(emulator: Emulator) -> None:
    with _connect(emulator, key=None) as ws:
        _send(ws, stream_id="n", **_CONFIG)
        error = _recv(ws)
        assert error["error_code"] == 401 and "stream_id" not in error


def test_temporary_keys_are_scoped_by_usage_type(emulator: Emulator, api: Api) -> None:
    tts = api.post("/auth/temporary-api-key", {"usage_type": "tts_rt", "expires_in_seconds": 60}).json()
    stt = api.post(
        "/auth/temporary-api-key", {"usage_type": "transcribe_websocket", "expires_in_seconds": 60}
    ).json()
    with _connect(emulator, key=tts["api_key"]) as ws:
        _send(ws, stream_id="tmp", **_CONFIG)
        _send(ws, stream_id="tmp", text="temporary", text_end=True)
        assert _until_terminated(ws, "tmp")[-1]["terminated"]
    with _connect(emulator, key=stt["api_key"]) as ws:
        assert _recv(ws)["error_code"] == 401


def test_injected_stream_error_leaves_the_connection_open(emulator: Emulator, ws: ClientConnection) -> None:
    emulator.tts_realtime.send_error(503, "Cannot continue request (code 3).", after_audio_messages=1)
    emulator.tts_realtime.chunk_bytes = 1024
    _send(ws, stream_id="e", **_CONFIG)
    _send(ws, stream_id="e", text="will fail", text_end=True)
    events = _until_terminated(ws, "e")
    errors = [e for e in events if "error_code" in e]
    assert errors == [
        {"stream_id": "e", "error_code": 503, "error_message": "Cannot continue request (code 3)."}
    ]
    assert sum(1 for e in events if "audio" in e) == 1
    _send(ws, stream_id="f", **_CONFIG)
    _send(ws, stream_id="f", text="still here", text_end=True)
    assert _until_terminated(ws, "f")[-1]["terminated"]


def test_injected_connection_error_closes_the_connection(emulator: Emulator, ws: ClientConnection) -> None:
    emulator.tts_realtime.send_error(500, "Internal error.", connection_level=True)
    _send(ws, stream_id="x", **_CONFIG)
    _send(ws, stream_id="x", text="boom", text_end=True)
    assert _recv(ws) == {"error_code": 500, "error_message": "Internal error."}
    with pytest.raises(ConnectionClosed):
        ws.recv(timeout=5)


def test_a_dropped_connection_has_no_close_frame(emulator: Emulator, ws: ClientConnection) -> None:
    emulator.tts_realtime.drop_after_audio_messages = 1
    _send(ws, stream_id="d", **_CONFIG)
    _send(ws, stream_id="d", text="drop me", text_end=True)
    assert "audio" in _recv(ws)
    with pytest.raises(ConnectionClosedError):
        ws.recv(timeout=5)
    assert emulator.tts_realtime.connections[0].dropped


def test_idle_connections_time_out(emulator: Emulator) -> None:
    emulator.tts_realtime.idle_timeout_sec = 0.2
    with _connect(emulator) as ws:
        assert _recv(ws) == {"error_code": 408, "error_message": "Request timeout."}


def test_streams_have_a_duration_limit(emulator: Emulator, ws: ClientConnection) -> None:
    emulator.tts_realtime.max_stream_sec = 0.2
    _send(ws, stream_id="slow", **_CONFIG)
    _send(ws, stream_id="slow", text="no end in sight")
    events = _until_terminated(ws, "slow")
    errors = [e for e in events if "error_code" in e]
    assert len(errors) == 1 and errors[0]["stream_id"] == "slow"
    assert "duration" in errors[0]["error_message"]


def test_concurrency_limit_refuses_a_stream(emulator: Emulator, ws: ClientConnection) -> None:
    emulator.usage.limits["organization"]["tts_concurrent"] = 1
    _send(ws, stream_id="one", **_CONFIG)
    _send(ws, stream_id="two", **_CONFIG)
    error = _recv(ws)
    assert error["stream_id"] == "two" and error["error_code"] == 429
    assert error["error_message"].endswith("for your organization.")


def test_malformed_messages_are_connection_errors(emulator: Emulator) -> None:
    with _connect(emulator) as ws:
        ws.send("not json")
        assert _recv(ws)["error_code"] == 400
    with _connect(emulator) as ws:
        ws.send(b"\x00\x01")
        assert _recv(ws)["error_code"] == 400


def test_a_temporary_keys_session_cap_ends_the_connection(emulator: Emulator, api: Api) -> None:
    key = api.post(
        "/auth/temporary-api-key",
        {"usage_type": "tts_rt", "expires_in_seconds": 60, "max_session_duration_seconds": 1},
    ).json()["api_key"]
    with _connect(emulator, key=key) as ws:
        error = _recv(ws)
        assert error["error_code"] == 403
        assert error["error_message"].startswith("Temporary API key session duration limit exceeded.")


def test_a_reference_id_bound_to_the_temporary_key_is_logged(emulator: Emulator, api: Api) -> None:
    key = api.post(
        "/auth/temporary-api-key",
        {"usage_type": "tts_rt", "expires_in_seconds": 60, "client_reference_id": "bound"},
    ).json()["api_key"]
    with _connect(emulator, key=key) as ws:
        _send(ws, stream_id="r", **_CONFIG)
        _send(ws, stream_id="r", text="referenced", text_end=True)
        _until_terminated(ws, "r")
    entries = emulator.usage.visible()
    assert [e.client_reference_id for e in entries] == ["bound"]


def test_public_helpers_speak_and_recognise() -> None:
    from soniox_emulator import recognise, synthesize

    audio, timings = synthesize("public helpers", "pcm_alaw", 8000)
    assert recognise(audio, "alaw", 8000) == "public helpers"
    assert recognise(b"\x00" * 1000, "pcm_s16le", 8000) is None
    assert len(timings) == len("public helpers")
