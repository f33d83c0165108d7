"""``POST /tts`` on the emulator: streamed audio, TTSApiError bodies, keys, faults."""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any

import h11
import pytest
from emulator_helpers import Api, Conformance
from tts_helpers import TTS_PAYLOAD, tts_error, tts_request

from soniox_emulator import Emulator
from soniox_emulator._tts_decoder import ToneDecoder
from soniox_emulator._tts_engine import SAMPLE_RATES, WRITABLE_FORMATS, synthesize


def test_the_emulator_exposes_the_four_base_urls(emulator: Emulator) -> None:
    assert emulator.api_base_url == emulator.base_url == emulator.url + "/v1"
    assert emulator.websocket_base_url.endswith("/transcribe-websocket")
    assert emulator.tts_api_base_url == emulator.url
    assert emulator.tts_websocket_base_url == "ws" + emulator.url[4:] + "/tts-websocket"


@pytest.mark.parametrize("audio_format", WRITABLE_FORMATS)
def test_audio_is_streamed_in_the_requested_format(
    emulator: Emulator, conformance: Conformance, audio_format: str
) -> None:
    payload = {**TTS_PAYLOAD, "audio_format": audio_format, "sample_rate": 16000}
    status, headers, body = tts_request(emulator, payload)
    assert status == 200
    assert headers["transfer-encoding"] == "chunked"
    assert "content-length" not in headers
    assert headers["content-type"] == ("application/octet-stream" if audio_format == "wav" else "audio/pcm")
    conformance.check("POST", "/tts", status, body, headers["content-type"])
    decoder = ToneDecoder() if audio_format == "wav" else ToneDecoder(audio_format, 16000)
    decoder.feed(body)
    assert decoder.text == TTS_PAYLOAD["text"]


@pytest.mark.parametrize("sample_rate", SAMPLE_RATES)
def test_every_sample_rate_lands_in_the_wav_header(emulator: Emulator, sample_rate: int) -> None:
    status, _, body = tts_request(emulator, {**TTS_PAYLOAD, "sample_rate": sample_rate})
    assert status == 200
    assert int.from_bytes(body[24:28], "little") == sample_rate


def test_default_rate_is_24000_and_the_output_is_deterministic(emulator: Emulator) -> None:
    first = tts_request(emulator, TTS_PAYLOAD)[2]
    second = tts_request(emulator, TTS_PAYLOAD)[2]
    assert first == second
    assert int.from_bytes(first[24:28], "little") == 24000


def test_request_id_header_is_echoed(emulator: Emulator) -> None:
    _, headers, _ = tts_request(emulator, TTS_PAYLOAD, headers={"X-Request-Id": "trace-123"})
    assert headers["x-request-id"] == "trace-123"


@pytest.mark.parametrize(
    ("change", "status", "error_type", "message"),
    [
        ({"model": None}, 400, "invalid_request", "Missing required field: model"),
        ({"model": "m" * 51}, 400, "invalid_request", "Model name is too long (max length 50)."),
        ({"language": None}, 400, "invalid_request", "Missing required field: language"),
        ({"voice": None}, 400, "invalid_request", "Missing required field: voice"),
        ({"voice": "v" * 51}, 400, "invalid_request", "Voice is too long (max length 50)."),
        ({"audio_format": None}, 400, "invalid_request", "Missing required field: audio_format"),
        ({"text": None}, 400, "invalid_request", "Missing required field: text"),
        ({"text": "x" * 5001}, 400, "invalid_request", "Text is too long (max length 5000)."),
        (
            {"client_reference_id": "r" * 257},
            400,
            "invalid_request",
            "Client reference ID is too long (max length 256).",
        ),
        ({"voice": "Nobody"}, 400, "invalid_request", "Invalid voice 'Nobody' for model 'tts-rt-v2'."),
        ({"language": "xx"}, 400, "invalid_request", "Invalid language 'xx' for model 'tts-rt-v2'."),
        ({"model": "tts-rt-v0"}, 400, "model_not_available", None),
        ({"audio_format": "mp3"}, 400, "invalid_request", None),
        ({"audio_format": "flac"}, 400, "invalid_request", None),
        ({"sample_rate": 22050}, 400, "invalid_request", None),
        ({"speed": 2.0}, 400, "invalid_request", "Speed must be between 0.7 and 1.3."),
        ({"model": "tts-rt-v1", "reduce_silence": True}, 400, "invalid_request", None),
    ],
)
def test_invalid_requests_get_the_services_messages(
    emulator: Emulator,
    conformance: Conformance,
    change: dict[str, Any],
    status: int,
    error_type: str,
    message: str | None,
) -> None:
    payload = {k: v for k, v in {**TTS_PAYLOAD, **change}.items() if v is not None}
    got_status, headers, body = tts_request(emulator, payload)
    assert got_status == status
    error = tts_error(conformance, status, headers, body)
    assert error["error_type"] == error_type
    if message is not None:
        assert error["error_message"] == message


def test_codec_formats_name_what_the_emulator_can_write(emulator: Emulator, conformance: Conformance) -> None:
    status, headers, body = tts_request(emulator, {**TTS_PAYLOAD, "audio_format": "opus"})
    error = tts_error(conformance, status, headers, body)
    assert "'opus'" in error["error_message"] and "pcm_s16le" in error["error_message"]


def test_a_body_that_is_not_json_is_rejected(emulator: Emulator, conformance: Conformance) -> None:
    status, headers, body = tts_request(emulator, b"{not json")
    assert tts_error(conformance, status, headers, body)["error_message"] == "Invalid JSON body"


@pytest.mark.parametrize(
    ("key", "start"),
    [
        (None, "Missing API key."),
        ("wrong-key", "Incorrect API key provided."),
        ("temp:NOPE", "Invalid or expired temporary API key."),
    ],
)
def test_bad_keys_get_401(emulator: Emulator, conformance: Conformance, key: str | None, start: str) -> None:
    status, headers, body = tts_request(emulator, TTS_PAYLOAD, key=key)
    assert status == 401
    assert tts_error(conformance, status, headers, body)["error_message"].startswith(start)


def test_temporary_keys_are_scoped_by_usage_type(
    emulator: Emulator, api: Api, conformance: Conformance
) -> None:
    tts_key = api.post("/auth/temporary-api-key", {"usage_type": "tts_rt", "expires_in_seconds": 60}).json()
    stt_key = api.post(
        "/auth/temporary-api-key", {"usage_type": "transcribe_websocket", "expires_in_seconds": 60}
    ).json()
    assert tts_request(emulator, TTS_PAYLOAD, key=tts_key["api_key"])[0] == 200
    status, headers, body = tts_request(emulator, TTS_PAYLOAD, key=stt_key["api_key"])
    assert status == 401
    assert "usage_type" in tts_error(conformance, status, headers, body)["error_message"]
    # ...and a TTS key opens no speech-to-text session.
    assert not emulator.authenticate_realtime(tts_key["api_key"])


def test_status_faults_use_the_tts_error_shape(emulator: Emulator, conformance: Conformance) -> None:
    fault = emulator.faults.inject("status", path="/tts", status=429)
    status, headers, body = tts_request(emulator, TTS_PAYLOAD)
    assert status == 429 and fault.hits == 1
    assert headers["retry-after"] == "1"
    error = tts_error(conformance, status, headers, body)
    assert error["error_type"] == "limit_exceeded"
    assert "text-to-speech" in error["error_message"]


def _raw_request(
    emulator: Emulator, payload: dict[str, Any]
) -> tuple[int, bytes, list[tuple[bytes, bytes]], bool]:
    """POST /tts with h11, which exposes trailers; returns (status, body, trailers, complete)."""
    body = json.dumps(payload).encode()
    conn = h11.Connection(h11.CLIENT)
    sock = socket.create_connection(("127.0.0.1", emulator.port), timeout=10)
    try:
        headers = [
            ("Host", "127.0.0.1"),
            ("Authorization", f"Bearer {emulator.api_key}"),
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
        ]
        sock.sendall(conn.send(h11.Request(method="POST", target="/tts", headers=headers)))
        sock.sendall(conn.send(h11.Data(data=body)) + conn.send(h11.EndOfMessage()))
        status, data, trailers, complete = 0, bytearray(), [], False
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                chunk = sock.recv(65536)
                conn.receive_data(chunk)
                if not chunk and conn.their_state is not h11.DONE:
                    try:
                        event = conn.next_event()
                    except h11.RemoteProtocolError:
                        return status, bytes(data), trailers, False
                    if event is h11.NEED_DATA:
                        return status, bytes(data), trailers, False
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                data += event.data
            elif isinstance(event, h11.EndOfMessage):
                trailers, complete = list(event.headers), True
                return status, bytes(data), trailers, complete
    finally:
        sock.close()


def test_a_mid_stream_failure_arrives_in_trailers(emulator: Emulator) -> None:
    fault = emulator.faults.inject("tts_stream_error", path="/tts", after_bytes=5000, error_code=503)
    status, body, trailers, complete = _raw_request(emulator, {**TTS_PAYLOAD, "text": "long " * 200})
    assert fault.hits == 1
    assert status == 200 and complete
    assert len(body) == 5000
    found = {k.decode().lower(): v.decode() for k, v in trailers}
    assert found["x-tts-error-code"] == "503"
    assert "Cannot continue request" in found["x-tts-error-message"]


def test_a_mid_stream_failure_without_trailers_cuts_the_body(emulator: Emulator) -> None:
    emulator.faults.inject("tts_stream_error", path="/tts", after_bytes=3000, trailers=False)
    status, body, trailers, complete = _raw_request(emulator, {**TTS_PAYLOAD, "text": "long " * 200})
    assert status == 200
    assert not complete and trailers == []
    assert len(body) == 3000


def test_active_requests_count_against_the_tts_concurrency_limit(
    emulator: Emulator, conformance: Conformance
) -> None:
    emulator.usage.limits["project"]["tts_concurrent"] = 0
    status, headers, body = tts_request(emulator, TTS_PAYLOAD)
    assert status == 429
    error = tts_error(conformance, status, headers, body)
    assert error["error_message"] == (
        "Concurrent requests limit for text-to-speech has been exceeded for your project."
    )


def test_a_slow_stream_is_counted_while_it_runs(emulator: Emulator, api: Api) -> None:
    emulator.faults.inject("slow_body", path="/tts", chunk_size=4096, interval=0.05)
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    conn.request(
        "POST",
        "/tts",
        body=json.dumps(TTS_PAYLOAD),
        headers={"Authorization": f"Bearer {emulator.api_key}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    response.read(100)
    current = api.get("/concurrency-limits").json()["project"]["current"]
    assert current["tts_concurrent"] == 1
    response.read()
    conn.close()
    for _ in range(100):  # the server's bookkeeping runs after the last byte
        if api.get("/concurrency-limits").json()["project"]["current"]["tts_concurrent"] == 0:
            break
        time.sleep(0.01)
    assert api.get("/concurrency-limits").json()["project"]["current"]["tts_concurrent"] == 0


def test_tts_audio_uploaded_for_transcription_reads_back_as_its_text(emulator: Emulator, api: Api) -> None:
    text = "Round trips: text to speech, then speech to text!"
    audio = tts_request(emulator, {**TTS_PAYLOAD, "text": text, "sample_rate": 8000})[2]
    file_id = api.upload("speech.wav", audio).json()["id"]
    emulator.set_transcript("a scripted transcript wins", filename="other.wav")
    job = api.transcribe(file_id=file_id)
    for _ in range(200):
        if api.get(f"/transcriptions/{job['id']}").json()["status"] == "completed":
            break
        time.sleep(0.01)
    transcript = api.get(f"/transcriptions/{job['id']}/transcript").json()
    assert transcript["text"] == text
    # Tokens are timed by when their characters sound in the audio.
    _, timings = synthesize(text, "wav", 8000)
    first, last = transcript["tokens"][0], transcript["tokens"][-1]
    assert abs(first["start_ms"] - timings[0].start * 1000) <= 2
    assert abs(last["end_ms"] - timings[-1].end * 1000) <= 2
    starts = [t["start_ms"] for t in transcript["tokens"]]
    assert starts == sorted(starts)


def test_a_transcript_set_by_the_test_wins_over_recognition(emulator: Emulator, api: Api) -> None:
    audio = tts_request(emulator, TTS_PAYLOAD)[2]
    emulator.set_transcript("scripted", filename="speech.wav")
    file_id = api.upload("speech.wav", audio).json()["id"]
    job = api.transcribe(file_id=file_id)
    for _ in range(200):
        if api.get(f"/transcriptions/{job['id']}").json()["status"] == "completed":
            break
        time.sleep(0.01)
    assert api.get(f"/transcriptions/{job['id']}/transcript").json()["text"] == "scripted"
