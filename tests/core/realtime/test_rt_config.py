"""RealtimeSTTConfig: every field reaches the wire; bad values fail client-side."""

from __future__ import annotations

from typing import Any

import pytest

from soniox_core._errors import SonioxValidationError
from soniox_core.models import StructuredContext, TranslationConfig
from soniox_core.realtime import RealtimeSTTConfig
from soniox_core.realtime._config import coerce_config, config_payload


def test_every_field_is_sent() -> None:
    config = RealtimeSTTConfig(
        model="stt-rt-v4",
        audio_format="pcm_s16le",
        sample_rate=16000,
        num_channels=2,
        language_hints=["en", "de"],
        language_hints_strict=True,
        context=StructuredContext(general={"domain": "medicine"}, terms=["Soniox"]),
        enable_speaker_diarization=True,
        enable_language_identification=True,
        enable_endpoint_detection=True,
        max_endpoint_delay_ms=1500,
        endpoint_sensitivity=0.5,
        endpoint_latency_adjustment_level=2,
        translation=TranslationConfig(type="one_way", target_language="fr", language_a="xx"),
        client_reference_id="ref-1",
    )
    assert config_payload(config) == {
        "model": "stt-rt-v4",
        "audio_format": "pcm_s16le",
        "num_channels": 2,
        "sample_rate": 16000,
        "language_hints": ["en", "de"],
        "language_hints_strict": True,
        "context": {"general": [{"key": "domain", "value": "medicine"}], "terms": ["Soniox"]},
        "enable_speaker_diarization": True,
        "enable_language_identification": True,
        "enable_endpoint_detection": True,
        "max_endpoint_delay_ms": 1500,
        "endpoint_sensitivity": 0.5,
        "endpoint_latency_adjustment_level": 2,
        "translation": {"type": "one_way", "target_language": "fr"},
        "client_reference_id": "ref-1",
    }


def test_defaults_send_model_and_auto_format_only() -> None:
    assert config_payload(RealtimeSTTConfig(model="m")) == {"model": "m", "audio_format": "auto"}


def test_dict_config_and_two_way_translation() -> None:
    config = coerce_config(
        {"model": "m", "translation": {"type": "two_way", "language_a": "en", "language_b": "es"}}
    )
    assert config_payload(config)["translation"] == {
        "type": "two_way",
        "language_a": "en",
        "language_b": "es",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"model": ""}, "model"),
        ({"audio_format": "avi"}, "audio_format"),
        ({"audio_format": "pcm_s16le"}, "sample_rate"),
        ({"audio_format": "pcm_s16le", "sample_rate": 8000}, "num_channels"),
        ({"sample_rate": -1}, "sample_rate"),
        ({"language_hints": ["eng"]}, "language_hints[0]"),
        ({"language_hints": ["en", "en"]}, "language_hints"),
        ({"max_endpoint_delay_ms": 100}, "max_endpoint_delay_ms"),
        ({"endpoint_sensitivity": 1.5}, "endpoint_sensitivity"),
        ({"endpoint_latency_adjustment_level": 4}, "endpoint_latency_adjustment_level"),
        ({"client_reference_id": "x" * 257}, "client_reference_id"),
        ({"translation": {"type": "one_way"}}, "translation.target_language"),
        ({"translation": {"type": "sideways"}}, "translation.type"),
        ({"enable_speaker_diarization": "yes"}, "enable_speaker_diarization"),
    ],
)
def test_bad_values_name_their_field(changes: dict[str, Any], field: str) -> None:
    config = RealtimeSTTConfig(model="m")
    for name, value in changes.items():
        setattr(config, name, value)
    with pytest.raises(SonioxValidationError) as info:
        config.validate()
    assert info.value.field == field


def test_wrong_shape_dict_is_validation_error() -> None:
    with pytest.raises(SonioxValidationError):
        coerce_config({"model": 3})
