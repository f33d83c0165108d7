"""Cloned voices, TTS models and shared voices on the emulator, checked against the document."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from emulator_helpers import Api, multipart, wav_bytes
from tts_helpers import TTS_PAYLOAD, tts_request

from soniox_emulator import Emulator


def _create(api: Api, name: str, seconds: float = 5.0, **kwargs: Any) -> Any:
    body, content_type = multipart("clip.wav", wav_bytes(seconds, 8000))
    boundary = content_type.split("boundary=")[1]
    name_part = f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'.encode()
    return api.request(
        "POST", "/voices", body=name_part + body, headers={"Content-Type": content_type}, **kwargs
    )


def _wait_status(api: Api, voice_id: str, model: str, wanted: str) -> dict[str, Any]:
    for _ in range(300):
        voice: dict[str, Any] = api.get(f"/voices/{voice_id}").json()
        entry = next(m for m in voice["models"] if m["model"] == model)
        if entry["status"] == wanted:
            return entry
        time.sleep(0.01)
    raise AssertionError(f"voice never reached {wanted}")


def test_tts_models_list_v2_and_v1_with_adrian(api: Api) -> None:
    models = {m["id"]: m for m in api.get("/tts-models").json()["models"]}
    assert set(models) == {"tts-rt-v2", "tts-rt-v1"}
    for model in models.values():
        assert "Adrian" in {v["id"] for v in model["voices"]}
        assert "en" in {lang["code"] for lang in model["languages"]}
    assert models["tts-rt-v2"]["supports_voice_cloning"]
    assert models["tts-rt-v2"]["voice_cloning_max_audio_duration_ms"] == 20000


def test_voice_lifecycle_create_list_count_get_delete(emulator: Emulator, api: Api) -> None:
    created = _create(api, "My voice")
    assert created.status == 201
    voice = created.json()
    assert voice["name"] == "My voice" and voice["filename"] == "clip.wav"
    assert [m["status"] for m in voice["models"]] == ["processing"]
    assert api.get("/voices/count").json() == {"total": 1}
    assert [v["id"] for v in api.get("/voices").json()["voices"]] == [voice["id"]]
    ready = _wait_status(api, voice["id"], "tts-rt-v2", "ready")
    assert ready["error_type"] is None and ready["error_message"] is None
    assert api.delete(f"/voices/{voice['id']}").status == 204
    assert api.get(f"/voices/{voice['id']}").status == 404
    assert api.delete(f"/voices/{voice['id']}").status == 404
    assert api.get("/voices/count").json() == {"total": 0}


def test_a_ready_cloned_voice_speaks_and_an_unready_one_is_refused(emulator: Emulator, api: Api) -> None:
    emulator.voices.processing_sec = 30.0
    voice = _create(api, "Slow").json()
    status, _, body = tts_request(emulator, {**TTS_PAYLOAD, "voice": voice["id"]})
    assert status == 400
    assert json.loads(body)["error_message"] == f"Invalid voice '{voice['id']}' for model 'tts-rt-v2'."
    emulator.voices.processing_sec = 0.0
    fast = _create(api, "Fast").json()
    assert tts_request(emulator, {**TTS_PAYLOAD, "voice": fast["id"]})[0] == 200
    # tts-rt-v1 cannot use cloned voices at all.
    assert tts_request(emulator, {**TTS_PAYLOAD, "model": "tts-rt-v1", "voice": fast["id"]})[0] == 400


def test_a_clip_over_the_limit_fails_during_processing(emulator: Emulator, api: Api) -> None:
    created = _create(api, "Long", seconds=25)
    assert created.status == 201
    failed = _wait_status(api, created.json()["id"], "tts-rt-v2", "failed")
    assert failed["error_type"] == "voice_audio_too_long"
    assert failed["error_message"]


def test_duplicate_names_conflict(api: Api) -> None:
    assert _create(api, "Twin").status == 201
    again = _create(api, "Twin")
    assert again.status == 409
    assert "Twin" in again.json()["message"]


def test_missing_name_is_a_validation_error(api: Api) -> None:
    body, content_type = multipart("clip.wav", wav_bytes(1))
    reply = api.request("POST", "/voices", body=body, headers={"Content-Type": content_type})
    assert reply.status == 400
    assert reply.json()["validation_errors"][0]["location"] == "body.name"


def test_recompute_prepares_models_that_are_not_computed(emulator: Emulator, api: Api) -> None:
    emulator.voices.prepare_on_create = False
    voice = _create(api, "Later").json()
    assert [m["status"] for m in voice["models"]] == ["not_computed"]
    recomputed = api.post(f"/voices/{voice['id']}/recompute", {"model": "tts-rt-v2"})
    assert recomputed.status == 200
    assert recomputed.json()["models"][0]["status"] == "processing"
    _wait_status(api, voice["id"], "tts-rt-v2", "ready")
    # Ready models stay as they are; an empty body means "every model".
    again = api.request("POST", f"/voices/{voice['id']}/recompute", body=b"")
    assert again.status == 200 and again.json()["models"][0]["status"] == "ready"
    bad = api.post(f"/voices/{voice['id']}/recompute", {"model": "tts-rt-v1"})
    assert bad.status == 400


def test_voices_page_with_cursors(api: Api) -> None:
    ids = [_create(api, f"Voice {i}").json()["id"] for i in range(3)]
    first = api.get("/voices", query={"limit": 2}).json()
    assert len(first["voices"]) == 2 and first["next_page_cursor"]
    second = api.get("/voices", query={"limit": 2, "cursor": first["next_page_cursor"]}).json()
    assert second["next_page_cursor"] is None
    seen = [v["id"] for v in first["voices"] + second["voices"]]
    assert sorted(seen) == sorted(ids)
    assert api.get("/voices", query={"cursor": "garbage"}).json()["error_type"] == "invalid_cursor"
    assert api.get("/voices", query={"limit": 0}).status == 400


def test_shared_voices_filter_and_page(api: Api) -> None:
    everyone = api.get("/shared-voices", query={"model": "tts-rt-v2"}).json()
    assert len(everyone["voices"]) == 8 and everyone["next_page_cursor"] is None
    female = api.get("/shared-voices", query={"model": "tts-rt-v2", "gender": "female"}).json()["voices"]
    assert female and all(v["gender"] == "female" for v in female)
    repeated = api.get(
        "/shared-voices?model=tts-rt-v2&use_case=narration&use_case=conversational", check=False
    )
    both = repeated.json()
    api.conformance.validate_ref(both, "#/components/schemas/GetSharedVoicesResponse")
    assert [v["id"] for v in both["voices"]] == ["Adrian"]
    comma = api.get("/shared-voices", query={"model": "tts-rt-v2", "use_case": "narration,conversational"})
    assert comma.json()["voices"] == both["voices"]
    page = api.get("/shared-voices", query={"model": "tts-rt-v2", "limit": 3}).json()
    collected = list(page["voices"])
    while page["next_page_cursor"]:
        page = api.get(
            "/shared-voices", query={"model": "tts-rt-v2", "limit": 3, "cursor": page["next_page_cursor"]}
        ).json()
        collected += page["voices"]
    assert collected == everyone["voices"]


@pytest.mark.parametrize(
    ("query", "status", "location"),
    [
        ({}, 400, "query.model"),
        ({"model": "tts-rt-v2", "gender": "robot"}, 400, "query.gender"),
        ({"model": "tts-rt-v2", "age": "ancient"}, 400, "query.age"),
        ({"model": "tts-rt-v2", "accent": "a" * 41}, 400, "query.accent"),
        ({"model": "tts-rt-v2", "limit": 201}, 400, "query.limit"),
        ({"model": "tts-rt-v2", "style": ",".join(f"s{i}" for i in range(11))}, 400, "query.style"),
    ],
)
def test_shared_voices_validation(api: Api, query: dict[str, Any], status: int, location: str) -> None:
    reply = api.get("/shared-voices", query=query)
    assert reply.status == status
    assert reply.json()["validation_errors"][0]["location"] == location


def test_shared_voices_of_an_unknown_model_is_404(api: Api) -> None:
    reply = api.get("/shared-voices", query={"model": "tts-rt-v0"})
    assert reply.status == 404
    assert reply.json()["message"] == "TTS model 'tts-rt-v0' not found."


def test_a_cursor_only_works_with_its_filters(api: Api) -> None:
    page = api.get("/shared-voices", query={"model": "tts-rt-v2", "limit": 1}).json()
    other = api.get(
        "/shared-voices",
        query={"model": "tts-rt-v2", "limit": 1, "gender": "male", "cursor": page["next_page_cursor"]},
    )
    assert other.status == 400 and other.json()["error_type"] == "invalid_cursor"
