"""The fixed model catalogue the emulator advertises and accepts."""

from __future__ import annotations

from typing import Any

_LANGUAGES = [
    {"code": "en", "name": "English"},
    {"code": "de", "name": "German"},
    {"code": "es", "name": "Spanish"},
    {"code": "fr", "name": "French"},
    {"code": "it", "name": "Italian"},
    {"code": "ja", "name": "Japanese"},
    {"code": "pt", "name": "Portuguese"},
    {"code": "sl", "name": "Slovenian"},
    {"code": "zh", "name": "Chinese"},
]


def _model(model_id: str, name: str, mode: str, aliased: str | None = None) -> dict[str, Any]:
    realtime = mode == "real_time"
    return {
        "id": model_id,
        "aliased_model_id": aliased,
        "name": name,
        "context_version": 2,
        "transcription_mode": mode,
        "languages": list(_LANGUAGES),
        "supports_language_hints_strict": True,
        "supports_max_endpoint_delay": realtime,
        "supports_endpoint_sensitivity": realtime,
        "supports_endpoint_latency_adjustment": realtime,
        "endpoint_latency_adjustment_max_level": 3 if realtime else 0,
        "translation_targets": [],
        "two_way_translation_pairs": [],
        "one_way_translation": "all_languages",
        "two_way_translation": "all_languages",
    }


MODELS: list[dict[str, Any]] = [
    _model("stt-async-v5", "Speech-to-Text Async v5", "async"),
    _model("stt-async-v4", "Speech-to-Text Async v4", "async"),
    _model("stt-async-preview", "Speech-to-Text Async Preview", "async", aliased="stt-async-v5"),
    _model("stt-rt-v5", "Speech-to-Text Real-time v5", "real_time"),
    _model("stt-rt-v4", "Speech-to-Text Real-time v4", "real_time"),
    _model("stt-rt-preview", "Speech-to-Text Real-time Preview", "real_time", aliased="stt-rt-v5"),
]

ASYNC_MODEL_IDS = frozenset(m["id"] for m in MODELS if m["transcription_mode"] == "async")
REALTIME_MODEL_IDS = frozenset(m["id"] for m in MODELS if m["transcription_mode"] == "real_time")

# The TTS catalogue lives in _tts_catalog.
