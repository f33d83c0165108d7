"""Account limits for batch work: off by default, the service's 429 once a test sets them."""

from __future__ import annotations

import json

from emulator_helpers import Api, Conformance, wav_bytes
from tts_helpers import TTS_PAYLOAD, tts_error, tts_request

from soniox_emulator import Emulator


def test_limits_are_off_by_default(api: Api) -> None:
    for _ in range(30):
        assert api.get("/files").status == 200


def test_requests_per_minute_are_counted_per_group(emulator: Emulator, api: Api) -> None:
    emulator.limits.requests_per_minute["file management"] = 2
    assert api.get("/files").status == 200
    assert api.get("/files/count").status == 200
    refused = api.get("/files")
    assert refused.status == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["message"] == (
        "Requests per minute limit for file management has been exceeded for your organization."
    )
    # Another group is not affected.
    assert api.get("/transcriptions").status == 200


def test_the_general_rate_names_no_group_and_the_tier_is_settable(emulator: Emulator, api: Api) -> None:
    emulator.limits.requests_per_minute[None] = 1
    emulator.limits.tier = "project"
    assert api.get("/concurrency-limits").status == 200
    refused = api.get("/concurrency-limits")
    assert refused.status == 429
    assert refused.json()["message"] == "Requests per minute limit has been exceeded for your project."


def test_tts_rate_uses_the_tts_error_body(emulator: Emulator, conformance: Conformance) -> None:
    emulator.limits.requests_per_minute["text-to-speech"] = 1
    assert tts_request(emulator, TTS_PAYLOAD)[0] == 200
    status, headers, body = tts_request(emulator, TTS_PAYLOAD)
    assert status == 429
    error = tts_error(conformance, status, headers, body)
    assert error["error_message"] == (
        "Requests per minute limit for text-to-speech has been exceeded for your organization."
    )


def test_file_count_and_size_caps(emulator: Emulator, api: Api) -> None:
    emulator.limits.max_files = 1
    assert api.upload("a.wav", wav_bytes(0.1)).status == 201
    refused = api.upload("b.wav", wav_bytes(0.1))
    assert refused.status == 429
    assert refused.json()["message"] == (
        "Total file count limit has been exceeded for your organization. Please delete some."
    )
    emulator.limits.max_files = None
    emulator.limits.max_total_file_bytes = 5000
    too_big = api.upload("c.wav", wav_bytes(1))
    assert too_big.status == 429
    assert "Total file size limit" in too_big.json()["message"]
    assert api.get("/files/count").json()["total"] == 1


def test_transcription_total_and_pending_caps(emulator: Emulator, api: Api) -> None:
    emulator.queued_sec = 30
    emulator.limits.max_pending_transcriptions = 1
    api.transcribe()
    pending = api.post("/transcriptions", {"model": "stt-async-v5", "audio_url": "https://example.com/a.mp3"})
    assert pending.status == 429
    assert "Pending transcription count limit" in pending.json()["message"]
    emulator.limits.max_pending_transcriptions = None
    emulator.limits.max_transcriptions = 1
    total = api.post("/transcriptions", {"model": "stt-async-v5", "audio_url": "https://example.com/a.mp3"})
    assert total.status == 429
    assert json.loads(total.body)["message"] == (
        "Total transcription count limit for your organization has been exceeded. Please delete some."
    )


def test_reset_turns_limits_off(emulator: Emulator, api: Api) -> None:
    emulator.limits.requests_per_minute["file management"] = 0
    assert api.get("/files").status == 429
    emulator.reset()
    assert api.get("/files").status == 200
