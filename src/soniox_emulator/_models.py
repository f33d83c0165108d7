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

TTS_MODELS: list[dict[str, Any]] = [
    {
        "id": "tts-rt-v1",
        "aliased_model_id": None,
        "name": "Text-to-Speech Real-time v1",
        "languages": [{"code": "en", "name": "English"}],
        "voices": [
            {"id": "Adrian", "description": "Calm adult voice", "gender": "male"},
            {"id": "Maya", "description": "Bright adult voice", "gender": "female"},
        ],
        "supports_timestamps": False,
        "supports_voice_cloning": False,
        "voice_cloning_max_audio_duration_ms": None,
        "supports_speed_adjustment": False,
        "speed_min": None,
        "speed_max": None,
        "supports_silence_reduction": False,
    }
]
