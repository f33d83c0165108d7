"""The realtime TTS protocol's backlog rule: when the driver should stop reading the socket."""

from __future__ import annotations

import base64
import json

from hypothesis import given
from hypothesis import strategies as st

from soniox_core.realtime.tts import RealtimeTTSConfig
from soniox_core.realtime.tts._protocol import TTS_MAX_BACKLOG, TTSProtocol


def config(stream_id: str) -> RealtimeTTSConfig:
    return RealtimeTTSConfig(
        stream_id=stream_id, model="tts-rt-v1", language="en", voice="Adrian", audio_format="pcm_s16le"
    )


def audio(stream_id: str, n: int = 8) -> str:
    return json.dumps(
        {"stream_id": stream_id, "audio": base64.b64encode(bytes(n)).decode(), "audio_end": False}
    )


def test_the_default_backlog_is_small() -> None:
    assert TTSProtocol().max_backlog == TTS_MAX_BACKLOG == 16


@given(backlog=st.integers(1, 8), extra=st.integers(0, 5))
def test_one_stream_backlogs_at_the_limit_and_drains_below_it(backlog: int, extra: int) -> None:
    protocol = TTSProtocol(max_backlog=backlog)
    stream = protocol.open_stream(config("a"), 0.0)
    assert not protocol.backlogged()  # nothing queued: read
    for i in range(backlog + extra):
        assert protocol.backlogged() is (i >= backlog)
        protocol.receive_message(audio("a"))
    assert protocol.backlogged()
    for _ in range(extra + 1):
        protocol.next_event(stream, 0.0)
    assert not protocol.backlogged()


def test_a_stream_with_nothing_queued_keeps_the_socket_read() -> None:
    # Reading one stream to its end before another must not stall: its reader waits
    # for messages that may sit behind the other stream's in the socket.
    protocol = TTSProtocol(max_backlog=2)
    first = protocol.open_stream(config("a"), 0.0)
    protocol.open_stream(config("b"), 0.0)
    for _ in range(5):
        protocol.receive_message(audio("b"))
    assert not protocol.backlogged()
    protocol.receive_message(audio("a"))
    assert protocol.backlogged()  # every open stream has something queued
    protocol.next_event(first, 0.0)
    assert not protocol.backlogged()


def test_a_terminated_stream_no_longer_counts() -> None:
    protocol = TTSProtocol(max_backlog=2)
    protocol.open_stream(config("a"), 0.0)
    for _ in range(3):
        protocol.receive_message(audio("a"))
    assert protocol.backlogged()
    protocol.receive_message(json.dumps({"stream_id": "a", "terminated": True}))
    assert not protocol.backlogged()
