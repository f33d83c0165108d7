"""What every realtime driver relies on in the core: I/O failures as typed errors, stream pacing."""

from __future__ import annotations

import io
import wave

import pytest
from rt_wire import CONFIG, ENDPOINT, open_pair

from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import (
    RealtimeSession,
    SessionState,
    SonioxRealtimeTimeoutError,
)
from soniox_core.realtime._audio import StreamPacer
from soniox_core.websocket import TransportFailure


def test_not_open_and_handshake_errors() -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    not_open = session.transport_failed(TransportFailure.NOT_OPEN)
    assert not_open is not None and str(not_open) == "Realtime session is not connected"
    assert session.state is SessionState.CONNECTING  # asking records nothing
    assert session.handshake_error() is None
    session.start(0.0)
    session.receive_data(None)  # closed before the 101
    error = session.handshake_error()
    assert isinstance(error, SonioxRealtimeError)
    assert error.message.startswith("Failed to start realtime session")
    again = session.transport_failed(TransportFailure.NOT_OPEN)
    assert again is not None and again.message == error.message


def test_error_right_after_the_handshake_is_left_for_next_event() -> None:
    session, server = open_pair()
    session.receive_data(server.message({"error_code": 401, "error_message": "Bad key"}))
    assert session.handshake_error() is None
    with pytest.raises(SonioxRealtimeError, match="Bad key"):
        session.next_event()


def test_send_failures_are_recorded_and_returned() -> None:
    session, _ = open_pair()
    timed_out = session.transport_failed(TransportFailure.SEND_TIMEOUT)
    assert type(timed_out) is SonioxRealtimeTimeoutError
    assert session.state is SessionState.FAILED
    # A later broken write reports the failure already recorded, as a plain realtime error.
    lost = session.transport_failed(TransportFailure.SEND_FAILED)
    assert lost is not None and type(lost) is SonioxRealtimeError and lost.message == timed_out.message

    fresh, _ = open_pair()
    first = fresh.transport_failed(TransportFailure.SEND_FAILED)
    assert first is not None and first.message == "Connection lost while sending"
    with pytest.raises(SonioxRealtimeError, match="Connection lost while sending"):
        fresh.next_event()


@pytest.mark.parametrize(
    ("kind", "error_type", "message"),
    [
        (TransportFailure.CONNECT_TIMEOUT, SonioxRealtimeTimeoutError, "Connection timed out"),
        (TransportFailure.CONNECT_FAILED, SonioxRealtimeError, "Failed to start realtime session: refused"),
    ],
)
def test_connect_failures(kind: TransportFailure, error_type: type, message: str) -> None:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    session.start(0.0)
    error = session.transport_failed(kind, cause=OSError("refused"))
    assert type(error) is error_type and error is not None and error.message == message
    assert session.state is SessionState.FAILED


def test_receive_timeout_waits_again_while_paused() -> None:
    session, _ = open_pair()
    session.pause(finalize=False)
    assert session.transport_failed(TransportFailure.RECEIVE_TIMEOUT, timeout_sec=1.5) is None
    assert session.state is SessionState.STREAMING
    session.resume()
    error = session.transport_failed(TransportFailure.RECEIVE_TIMEOUT, timeout_sec=1.5)
    assert error is not None and error.message == "No message from the server for 1.5 s"
    with pytest.raises(SonioxRealtimeTimeoutError):
        session.next_event()


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (RuntimeError("boom"), "A background job of the session failed: RuntimeError('boom')"),
        (SonioxRealtimeError("as it was", code=4), "as it was"),
    ],
)
def test_background_failures(exc: Exception, message: str) -> None:
    session, _ = open_pair()
    session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
    with pytest.raises(SonioxRealtimeError) as caught:
        session.next_event()
    assert caught.value.message == message


def test_stream_pacer_takes_the_rate_from_a_wav_header() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\0" * 32000)
    data = buffer.getvalue()
    pacer = StreamPacer(speed=2.0, bytes_per_second=None)
    assert pacer.delay_before(data[:16000], 10.0) == 0.0
    assert pacer.delay_before(data[16000:], 10.0) == pytest.approx(0.5)  # 16000 B at 32000 B/s


def test_stream_pacer_without_pacing_or_rate() -> None:
    assert StreamPacer(speed=None, bytes_per_second=None).delay_before(b"x" * 100, 0.0) == 0.0
    given = StreamPacer(speed=1.0, bytes_per_second=100)
    given.delay_before(b"x" * 100, 0.0)
    assert given.delay_before(b"x", 0.0) == pytest.approx(1.0)
    with pytest.raises(SonioxValidationError, match="byte rate"):
        StreamPacer(speed=1.0, bytes_per_second=None).delay_before(b"raw pcm", 0.0)
