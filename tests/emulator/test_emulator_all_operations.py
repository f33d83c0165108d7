"""Every operation of the document, answered by the emulator and checked against it."""

from __future__ import annotations

from emulator_helpers import Api, Conformance, multipart, wav_bytes
from tts_helpers import TTS_PAYLOAD, tts_request

from soniox_emulator import Emulator


def test_every_documented_operation_is_served_and_conforms(
    emulator: Emulator, api: Api, conformance: Conformance
) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    emulator.voices.processing_sec = 0
    before = len(conformance.checked)
    window = {"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-02T00:00:00Z"}
    file = api.upload("tour.wav", wav_bytes(1)).json()
    api.get("/files")
    api.get("/files/count")
    api.get(f"/files/{file['id']}")
    job = api.transcribe(file_id=file["id"])
    api.get("/transcriptions")
    api.get("/transcriptions/count")
    api.get(f"/transcriptions/{job['id']}")
    api.get(f"/transcriptions/{job['id']}/transcript")
    api.delete(f"/transcriptions/{job['id']}")
    api.delete(f"/files/{file['id']}")
    api.get("/models")
    api.get("/tts-models")
    api.get("/shared-voices", query={"model": "tts-rt-v2"})
    body, content_type = multipart("voice.wav", wav_bytes(2))
    boundary = content_type.split("boundary=")[1]
    name = f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nTour\r\n'.encode()
    voice = api.request("POST", "/voices", body=name + body, headers={"Content-Type": content_type}).json()
    api.get("/voices")
    api.get("/voices/count")
    api.get(f"/voices/{voice['id']}")
    api.post(f"/voices/{voice['id']}/recompute", {})
    status, headers, audio = tts_request(emulator, {**TTS_PAYLOAD, "voice": voice["id"]})
    conformance.check("POST", "/tts", status, audio, headers["content-type"])
    status, headers, error = tts_request(emulator, {**TTS_PAYLOAD, "voice": "Nobody"})
    conformance.check("POST", "/tts", status, error, headers["content-type"])
    api.delete(f"/voices/{voice['id']}")
    api.post("/auth/temporary-api-key", {"usage_type": "tts_rt", "expires_in_seconds": 10})
    api.get("/usage-logs", query=window)
    api.get("/usage/summary", query=window)
    api.get("/concurrency-limits")
    api.get("/concurrent-streams-history", query={**window, "period_sec": 3600, "kind": "stt"})
    served = {(method, path) for method, path, _ in conformance.checked[before:]}
    documented = {
        (method.upper(), path)
        for path, operations in conformance.facts["paths"].items()
        for method in operations
        if method in ("get", "post", "delete")
    }
    assert len(documented) == 26
    assert documented <= served, sorted(documented - served)
