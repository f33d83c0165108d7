"""Every model answers pydantic's ``model_dump`` family, so official-SDK call sites carry over."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import soniox_core.models as models
import soniox_core.models_tts as models_tts
import soniox_core.models_usage as models_usage
from soniox_core.realtime import RealtimeEvent, RealtimeSTTConfig
from soniox_core.transcript import Segment

CREATED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

PUBLIC_STRUCTS = [
    obj
    for module in (models, models_tts, models_usage)
    for name in module.__all__
    if isinstance(obj := getattr(module, name), type) and issubclass(obj, msgspec.Struct)
] + [RealtimeEvent, RealtimeSTTConfig, Segment]


def transcription() -> models.Transcription:
    return models.Transcription(id="tr-1", status="completed", created_at=CREATED, model="stt-async-v5")


@pytest.mark.parametrize("cls", PUBLIC_STRUCTS, ids=lambda c: c.__name__)
def test_every_public_model_has_the_pydantic_calls(cls: type) -> None:
    for name in ("model_dump", "model_dump_json", "model_validate", "model_validate_json"):
        assert callable(getattr(cls, name)), f"{cls.__name__}.{name}"
    assert len(PUBLIC_STRUCTS) >= 45


def test_python_mode_keeps_datetimes_and_every_field() -> None:
    dumped = transcription().model_dump()
    assert dumped["created_at"] == CREATED
    # Defaults are included, as pydantic includes them.
    assert dumped["audio_url"] is None and dumped["enable_speaker_diarization"] is False
    assert set(dumped) == {f.name for f in msgspec.structs.fields(models.Transcription)}


def test_json_mode_and_model_dump_json_agree() -> None:
    model = transcription()
    as_json = model.model_dump(mode="json")
    assert as_json["created_at"] == "2025-01-02T03:04:05Z"
    assert json.loads(model.model_dump_json()) == as_json
    assert model.model_dump_json(indent=2).startswith('{\n  "id": "tr-1"')
    assert "\n" not in model.model_dump_json()


def test_nested_models_become_dicts_and_exclude_none_reaches_them() -> None:
    transcript = models.TranscriptionTranscript(id="t", text="hi", tokens=[models.Token(text="hi")])
    assert transcript.model_dump()["tokens"][0]["start_ms"] is None
    assert transcript.model_dump(exclude_none=True)["tokens"] == [{"text": "hi"}]


def test_include_and_exclude_pick_top_level_fields() -> None:
    model = transcription()
    assert model.model_dump(include={"id", "status"}) == {"id": "tr-1", "status": "completed"}
    assert "id" not in model.model_dump(exclude={"id"})
    assert json.loads(model.model_dump_json(include={"id"})) == {"id": "tr-1"}
    assert model.model_dump(by_alias=True) == model.model_dump()


def test_request_models_dump_their_defaults_too() -> None:
    # omit_defaults shapes the request body only, not model_dump.
    config = models.CreateTranscriptionConfig(language_hints=["en"])
    dumped = config.model_dump()
    assert dumped["language_hints"] == ["en"] and "enable_speaker_diarization" in dumped
    assert config.model_dump(exclude_none=True) == {"language_hints": ["en"]}


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        transcription().model_dump(mode="xml")


@given(
    text=st.text(),
    start=st.none() | st.integers(min_value=0, max_value=10**9),
    confidence=st.none() | st.floats(min_value=0, max_value=1),
)
def test_round_trip_through_dump_and_validate(text: str, start: int | None, confidence: float | None) -> None:
    token = models.Token(text=text, start_ms=start, confidence=confidence)
    assert models.Token.model_validate(token.model_dump()) == token
    assert models.Token.model_validate_json(token.model_dump_json()) == token
    model = transcription()
    assert models.Transcription.model_validate(model.model_dump(mode="json")) == model
