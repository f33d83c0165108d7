"""Pure helpers: transcript accumulator, pacing, WAV rate, URLs, keepalive schedule."""

from __future__ import annotations

import io
import ssl
import wave

import pytest

from soniox_core._errors import SonioxValidationError
from soniox_core.models import Token
from soniox_core.realtime import (
    AudioPacer,
    KeepaliveSchedule,
    RealtimeEvent,
    RealtimeSTTConfig,
    TranscriptAccumulator,
    audio_bytes_per_second,
    auth_headers,
    is_endpoint_token,
    is_finalization_marker,
    parse_endpoint,
    parse_event,
    render_tokens,
    split_chunks,
    tls_settings,
    wav_bytes_per_second,
)


def tok(text: str, final: bool = True, **extra: object) -> Token:
    return Token(text=text, is_final=final, **extra)  # type: ignore[arg-type]


def test_accumulator_keeps_finals_and_replaces_non_finals() -> None:
    acc = TranscriptAccumulator()
    acc.add(RealtimeEvent(tokens=[tok("Hel", False)]))
    assert acc.text == "Hel" and acc.final_text == ""
    acc.add(RealtimeEvent(tokens=[tok("Hello"), tok(" wor", False)]))
    assert acc.text == "Hello wor" and acc.final_text == "Hello"
    acc.add(RealtimeEvent(tokens=[tok(" world"), tok("<end>"), tok("<fin>")], finished=True))
    assert acc.text == acc.final_text == "Hello world"
    assert (acc.endpoints, acc.finalizations, acc.finished) == (1, 1, True)
    acc.reset()
    assert acc.text == "" and not acc.finished


def test_render_with_speakers_and_languages() -> None:
    tokens = [
        tok("Hi", speaker="1", language="en"),
        tok(" there.", speaker="1", language="en"),
        tok("Hola", speaker="2", language="es"),
        tok(" Hello", speaker="2", language="en", translation_status="translation"),
    ]
    assert render_tokens(tokens) == (
        "Speaker 1:\n[en] Hi there.\n\nSpeaker 2:\n[es] Hola\n[Translation] [en] Hello"
    )
    assert render_tokens([tok("a"), tok("<end>")], [tok(" b", False)]) == "a b"
    assert render_tokens([]) == ""


def test_event_helpers_and_parsing() -> None:
    event = parse_event(b'{"tokens":[{"text":"<end>","is_final":true}],"extra":1}')
    assert is_endpoint_token(event.tokens[0]) and not is_finalization_marker(event.tokens[0])
    assert not event.is_error and not event.finished
    assert parse_event('{"error_code":400,"error_message":"x"}').is_error


def test_split_chunks() -> None:
    assert list(split_chunks(b"abcdefg", 3)) == [b"abc", b"def", b"g"]
    assert list(split_chunks(b"", 3)) == []
    with pytest.raises(SonioxValidationError):
        list(split_chunks(b"x", 0))


def test_pacer_schedule() -> None:
    pacer = AudioPacer(1000, speed=1.0)
    assert pacer.delay_before(500, now=10.0) == 0.0  # first chunk goes at once
    assert pacer.delay_before(500, now=10.1) == pytest.approx(0.4)
    assert pacer.delay_before(500, now=11.2) == 0.0  # late: no extra wait, no drift
    fast = AudioPacer(1000, speed=2.0)
    fast.delay_before(1000, 0.0)
    assert fast.delay_before(1000, 0.0) == pytest.approx(0.5)
    assert AudioPacer(None, speed=None).delay_before(10**6, 0.0) == 0.0
    with pytest.raises(SonioxValidationError):
        AudioPacer(None, speed=1.0)
    with pytest.raises(SonioxValidationError):
        AudioPacer(1000, speed=0)


def test_byte_rates() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0" * 64)
    assert wav_bytes_per_second(buffer.getvalue()) == 32000
    assert wav_bytes_per_second(b"not a wav file at all......") is None
    raw = RealtimeSTTConfig(model="m", audio_format="pcm_f32le", sample_rate=16000, num_channels=1)
    assert audio_bytes_per_second(raw) == 64000
    assert audio_bytes_per_second(RealtimeSTTConfig(model="m")) is None


def test_parse_endpoint() -> None:
    wss = parse_endpoint("wss://stt-rt.soniox.com/transcribe-websocket")
    assert (wss.secure, wss.host, wss.port, wss.target) == (
        True,
        "stt-rt.soniox.com",
        443,
        "/transcribe-websocket",
    )
    assert wss.host_header == "stt-rt.soniox.com"
    local = parse_endpoint("ws://127.0.0.1:8080/x?y=1")
    assert (local.port, local.target, local.host_header) == (8080, "/x?y=1", "127.0.0.1:8080")
    assert parse_endpoint("ws://[::1]:9/").host_header == "[::1]:9"
    for bad in ("http://x/", "ws://", "ws://h:notaport/"):
        with pytest.raises(SonioxValidationError):
            parse_endpoint(bad)


def test_auth_headers_and_tls_settings() -> None:
    assert auth_headers("k", "ua/1") == [(b"Authorization", b"Bearer k"), (b"User-Agent", b"ua/1")]
    with pytest.raises(SonioxValidationError):
        auth_headers("bad\nkey")
    assert tls_settings({}).verify is True
    assert tls_settings({"verify": False}).verify is False
    context = ssl.create_default_context()
    assert tls_settings({"ssl_context": context}).context is context
    for bad in ({"verify": 3}, {"ssl_context": "ctx"}):
        with pytest.raises(SonioxValidationError):
            tls_settings(bad)


def test_keepalive_schedule() -> None:
    schedule = KeepaliveSchedule(2.0)
    assert schedule.due_at() is None and not schedule.is_due(100.0)
    schedule.note_activity(1.0)
    assert schedule.due_at() == 3.0 and not schedule.is_due(2.9) and schedule.is_due(3.0)
    with pytest.raises(SonioxValidationError):
        KeepaliveSchedule(0)
