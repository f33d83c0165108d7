"""Transcriptions: lifecycle, conflicts, validation, transcripts and deletion."""

from __future__ import annotations

import time
from typing import Any

import pytest
from emulator_helpers import wav_bytes

from soniox_emulator import Emulator


def _wait(api: Any, transcription_id: str, timeout: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = api.get(f"/transcriptions/{transcription_id}").json()
        if body["status"] in ("completed", "error") or time.monotonic() > deadline:
            return body
        time.sleep(0.02)


def test_status_moves_queued_processing_completed(api: Any, emulator: Emulator) -> None:
    emulator.queued_sec, emulator.processing_sec = 0.25, 0.25
    created = api.transcribe(client_reference_id="job-1")
    assert created["status"] == "queued"
    assert created["audio_duration_ms"] is None
    assert created["filename"] == "sample.mp3"
    seen = {created["status"]}
    while True:
        status = api.get(f"/transcriptions/{created['id']}").json()["status"]
        seen.add(status)
        if status == "completed":
            break
        time.sleep(0.02)
    assert seen == {"queued", "processing", "completed"}
    final = api.get(f"/transcriptions/{created['id']}").json()
    assert final["audio_duration_ms"] == 5000
    assert final["client_reference_id"] == "job-1"
    assert final["error_type"] is None


def test_conflicts_while_in_progress(api: Any, emulator: Emulator) -> None:
    emulator.queued_sec = 60
    created = api.transcribe()
    for reply in (
        api.get(f"/transcriptions/{created['id']}/transcript"),
        api.delete(f"/transcriptions/{created['id']}"),
    ):
        assert reply.status == 409
        assert reply.json()["error_type"] == "transcription_invalid_state"


def test_not_found(api: Any) -> None:
    missing = "5f0c8c3e-9d7b-4f5e-8f55-0d9e4e7a1b2c"
    for reply in (
        api.get(f"/transcriptions/{missing}"),
        api.get(f"/transcriptions/{missing}/transcript"),
        api.delete(f"/transcriptions/{missing}"),
        api.get("/transcriptions/not-a-uuid"),
    ):
        assert reply.status == 404
        assert reply.json()["error_type"] == "transcription_not_found"


def test_delete_completed_keeps_its_file(api: Any, emulator: Emulator) -> None:
    # The document: "Files uploaded through the Files API are not deleted".
    emulator.queued_sec = emulator.processing_sec = 0
    file = api.upload("a.wav", wav_bytes(1)).json()
    created = api.transcribe(file_id=file["id"])
    assert api.delete(f"/transcriptions/{created['id']}").status == 204
    assert api.get(f"/transcriptions/{created['id']}").status == 404
    assert api.get(f"/files/{file['id']}").status == 200
    assert api.delete(f"/files/{file['id']}").status == 204

    emulator.delete_files_with_transcription = True  # the older service
    file = api.upload("b.wav", wav_bytes(1)).json()
    created = api.transcribe(file_id=file["id"])
    assert api.delete(f"/transcriptions/{created['id']}").status == 204
    assert api.get(f"/files/{file['id']}").status == 404


def test_transcript_tokens(api: Any, emulator: Emulator) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    file = api.upload("talk.wav", wav_bytes(2)).json()
    emulator.set_transcript("Hello world", file_id=file["id"])
    created = api.transcribe(file_id=file["id"])
    transcript = api.get(f"/transcriptions/{created['id']}/transcript").json()
    assert transcript["id"] == created["id"]
    assert transcript["text"] == "Hello world"
    tokens = transcript["tokens"]
    assert [t["text"] for t in tokens] == ["Hel", "lo", " wor", "ld"]
    starts = [t["start_ms"] for t in tokens]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(t["start_ms"] <= t["end_ms"] <= 2000 for t in tokens)
    assert all(0.0 <= t["confidence"] <= 1.0 for t in tokens)
    assert not any("speaker" in t or "language" in t for t in tokens)


def test_transcript_with_diarization_language_and_translation(api: Any, emulator: Emulator) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    emulator.set_transcript("Good morning. How are you?", audio_url="https://x.test/a.mp3")
    created = api.transcribe(
        audio_url="https://x.test/a.mp3",
        enable_speaker_diarization=True,
        enable_language_identification=True,
        language_hints=["en"],
        translation={"type": "one_way", "target_language": "de"},
    )
    tokens = api.get(f"/transcriptions/{created['id']}/transcript").json()["tokens"]
    assert {t["speaker"] for t in tokens} == {"1", "2"}
    original = [t for t in tokens if t["translation_status"] == "original"]
    translated = [t for t in tokens if t["translation_status"] == "translation"]
    assert "".join(t["text"] for t in original) == "Good morning. How are you?"
    assert {t["language"] for t in original} == {"en"}
    assert translated and {t["language"] for t in translated} == {"de"}


def test_transcript_lookup_order(api: Any, emulator: Emulator) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    emulator.set_transcript("by name", filename="named.wav")
    emulator.set_transcript("by url", audio_url="https://example.com/u.wav")
    named = api.upload("named.wav", b"x").json()
    other = api.upload("other.wav", b"x").json()

    def text_of(**payload: Any) -> str:
        created = api.transcribe(**payload)
        return str(api.get(f"/transcriptions/{created['id']}/transcript").json()["text"])

    assert text_of(file_id=named["id"]) == "by name"
    assert text_of(audio_url="https://example.com/u.wav") == "by url"
    assert text_of(file_id=other["id"]).startswith("Hello world.")
    emulator.set_transcript("by id", file_id=named["id"])
    assert text_of(file_id=named["id"]) == "by id"


def test_failures(api: Any, emulator: Emulator) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    emulator.fail_transcription(filename="broken.mp3", message="bad audio")
    file = api.upload("broken.mp3", b"x").json()
    failed = _wait(api, api.transcribe(file_id=file["id"])["id"])
    assert failed["status"] == "error"
    assert failed["error_type"] == "audio_decode_error"
    assert failed["error_message"] == "bad audio"
    transcript = api.get(f"/transcriptions/{failed['id']}/transcript")
    assert transcript.status == 409
    assert api.delete(f"/transcriptions/{failed['id']}").status == 204

    unreachable = _wait(api, api.transcribe(audio_url="https://audio.invalid/x.mp3")["id"])
    assert unreachable["status"] == "error"
    assert unreachable["error_type"]


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"audio_url": "https://a.test/x"}, "body.payload.model"),
        ({"model": "m" * 33, "audio_url": "https://a.test/x"}, "body.payload.model"),
        ({"model": "nope-v0", "audio_url": "https://a.test/x"}, "body.payload.model"),
        ({"model": "stt-async-v5"}, "body.payload"),
        (
            {
                "model": "stt-async-v5",
                "audio_url": "https://a.test/x",
                "file_id": "5f0c8c3e-9d7b-4f5e-8f55-0d9e4e7a1b2c",
            },
            "body.payload",
        ),
        ({"model": "stt-async-v5", "audio_url": "ftp://a.test/x"}, "body.payload.audio_url"),
        ({"model": "stt-async-v5", "file_id": "nope"}, "body.payload.file_id"),
        (
            {"model": "stt-async-v5", "file_id": "5f0c8c3e-9d7b-4f5e-8f55-0d9e4e7a1b2c"},
            "body.payload.file_id",
        ),
        (
            {"model": "stt-async-v5", "audio_url": "https://a.test/x", "language_hints": ["en"] * 101},
            "body.payload.language_hints",
        ),
        (
            {"model": "stt-async-v5", "audio_url": "https://a.test/x", "language_hints": ["x" * 11]},
            "body.payload.language_hints.0",
        ),
        (
            {"model": "stt-async-v5", "audio_url": "https://a.test/x", "translation": {"type": "x"}},
            "body.payload.translation.type",
        ),
        (
            {"model": "stt-async-v5", "audio_url": "https://a.test/x", "context": 5},
            "body.payload.context",
        ),
        (
            {"model": "stt-async-v5", "audio_url": "https://a.test/x", "webhook_url": "nope"},
            "body.payload.webhook_url",
        ),
        (
            {"model": "stt-async-v5", "audio_url": "https://a.test/x", "client_reference_id": 7},
            "body.payload.client_reference_id",
        ),
    ],
)
def test_create_validation(api: Any, payload: dict[str, Any], location: str) -> None:
    reply = api.post("/transcriptions", payload)
    assert reply.status == 400
    body = reply.json()
    assert body["error_type"] == "invalid_request"
    assert location in [v["location"] for v in body["validation_errors"]]


def test_invalid_json_and_accepted_context(api: Any) -> None:
    reply = api.request(
        "POST", "/transcriptions", body=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert reply.status == 400
    created = api.transcribe(
        context={"general": [{"key": "domain", "value": "medicine"}], "terms": ["Soniox"]},
        translation={"type": "two_way", "language_a": "en", "language_b": "es"},
        webhook_url="https://hooks.test/x",
        webhook_auth_header_name="X-Secret",
        webhook_auth_header_value="s3cret",
        language_hints_strict=True,
    )
    assert created["webhook_auth_header_value"] == "******************"
    assert api.transcribe(context="plain text context")["status"] == "queued"


def test_list_and_count(api: Any) -> None:
    ids = [api.transcribe()["id"] for _ in range(5)]
    assert api.get("/transcriptions/count").json() == {"total": 5, "public_api": 5, "playground": 0}
    first = api.get("/transcriptions", query={"limit": 2}).json()
    second = api.get("/transcriptions", query={"limit": 2, "cursor": first["next_page_cursor"]}).json()
    third = api.get("/transcriptions", query={"limit": 2, "cursor": second["next_page_cursor"]}).json()
    listed = [t["id"] for page in (first, second, third) for t in page["transcriptions"]]
    assert listed == list(reversed(ids))
    assert third["next_page_cursor"] is None
    assert api.get("/transcriptions", query={"cursor": "???"}).json()["error_type"] == ("invalid_cursor")
    assert api.get("/transcriptions", query={"limit": 0}).status == 400


def test_injectable_clock(conformance: Any) -> None:
    from emulator_helpers import Api

    now = [100.0]
    with Emulator(queued_sec=10, processing_sec=10, clock=lambda: now[0]) as emulator:
        api = Api(emulator, conformance)
        created = api.transcribe()
        path = f"/transcriptions/{created['id']}"
        assert api.get(path).json()["status"] == "queued"
        now[0] += 10
        assert api.get(path).json()["status"] == "processing"
        now[0] += 10
        assert api.get(path).json()["status"] == "completed"
