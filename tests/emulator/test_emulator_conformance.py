"""Conformance: a tour of every operation whose replies are all checked against the
OpenAPI document (the ``api`` fixture validates each reply), plus package-level checks."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from emulator_helpers import wav_bytes

from soniox_emulator import Emulator


def test_tour_of_every_operation(api: Any, emulator: Emulator, conformance: Any) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    before = len(conformance.checked)
    file = api.upload("tour.wav", wav_bytes(1), client_reference_id="tour").json()
    api.get("/files")
    api.get("/files/count")
    api.get(f"/files/{file['id']}")
    created = api.transcribe(
        file_id=file["id"],
        enable_speaker_diarization=True,
        enable_language_identification=True,
        translation={"type": "one_way", "target_language": "fr"},
        webhook_url="https://hooks.test/x",
        webhook_auth_header_name="X-Secret",
        webhook_auth_header_value="v",
    )
    api.get("/transcriptions")
    api.get("/transcriptions/count")
    api.get(f"/transcriptions/{created['id']}")
    api.get(f"/transcriptions/{created['id']}/transcript")
    api.get("/models")
    api.get("/tts-models")
    api.get("/concurrency-limits")
    api.get("/usage-logs", query={"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-02T00:00:00Z"})
    api.get("/usage-logs")
    api.post("/auth/temporary-api-key", {"usage_type": "tts_rt", "expires_in_seconds": 10})
    api.delete(f"/transcriptions/{created['id']}")
    api.delete(f"/files/{file['id']}")
    api.get(f"/files/{file['id']}")
    api.get("/files", key="bad")
    checked = conformance.checked[before:]
    statuses = {status for _, _, status in checked}
    assert {200, 201, 204, 400, 401, 404} <= statuses
    assert len({(m, p) for m, p, _ in checked}) >= 15
    errors = [reply.json() for reply in api.seen if reply.status >= 400]
    assert errors and all(error["more_info"] for error in errors)


def test_resources_carry_every_documented_field(api: Any, emulator: Emulator, conformance: Any) -> None:
    """Beyond the required fields: the service sends every property, null or not."""
    emulator.queued_sec = emulator.processing_sec = 0
    file = api.upload("full.wav", wav_bytes(1)).json()
    transcription = api.transcribe(file_id=file["id"])
    done = api.get(f"/transcriptions/{transcription['id']}").json()
    model = api.get("/models").json()["models"][0]
    for name, instance in (("File", file), ("Transcription", transcription), ("Transcription", done)):
        properties = conformance.facts["components"]["schemas"][name]["properties"]
        assert set(properties) <= set(instance), (name, set(properties) - set(instance))
    assert set(conformance.facts["components"]["schemas"]["Model"]["properties"]) <= set(model)


def test_every_error_type_the_emulator_can_send_is_documented(conformance: Any) -> None:
    from soniox_emulator import _app, _http

    assert conformance.error_types >= _http.ERROR_TYPES
    assert {t for t, _ in _app._STATUS_FAULT_ERRORS.values()} <= conformance.error_types


def test_models_match_the_model_schema(conformance: Any) -> None:
    from soniox_emulator._models import MODELS

    for model in MODELS:
        conformance.validate_ref(model, "#/components/schemas/Model")


def test_importing_the_package_does_not_load_the_server_stack() -> None:
    code = (
        "import sys, soniox_emulator; assert 'uvicorn' not in sys.modules and 'starlette' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
