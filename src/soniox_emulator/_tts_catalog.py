"""The text-to-speech models and built-in ("shared") voices the emulator offers."""

from __future__ import annotations

from typing import Any

TTS_LANGUAGES = [
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

# id, description, gender, age, accent, use cases, styles
_VOICES: list[tuple[str, str, str, str, str, list[str], list[str]]] = [
    ("Adrian", "Calm, clear adult male voice", "male", "middle_aged", "american",
     ["narration", "conversational"], ["calm", "warm"]),
    ("Maya", "Bright, friendly female voice", "female", "young", "american",
     ["conversational", "customer_support"], ["bright", "energetic"]),
    ("Oliver", "Deep, steady male voice", "male", "old", "british",
     ["narration", "audiobook"], ["deep", "authoritative"]),
    ("Sofia", "Soft, warm female voice", "female", "middle_aged", "british",
     ["audiobook", "meditation"], ["soft", "warm"]),
    ("Kai", "Even, neutral voice", "neutral", "young", "australian",
     ["conversational", "announcements"], ["neutral", "clear"]),
    ("Elena", "Confident female presenter", "female", "middle_aged", "american",
     ["announcements", "narration"], ["confident", "clear"]),
    ("Marcus", "Energetic young male voice", "male", "young", "american",
     ["advertising", "conversational"], ["energetic", "bright"]),
    ("Iris", "Gentle elderly female voice", "female", "old", "irish",
     ["audiobook", "storytelling"], ["gentle", "warm"]),
]  # fmt: skip

SHARED_VOICES: list[dict[str, Any]] = [
    {
        "id": vid,
        "description": description,
        "gender": gender,
        "age": age,
        "accent": accent,
        "use_case": list(use_case),
        "style": list(style),
    }
    for vid, description, gender, age, accent, use_case, style in _VOICES
]

_V1_VOICES = ("Adrian", "Maya", "Oliver", "Sofia")


def _model(model_id: str, name: str, voices: list[str], *, v2: bool) -> dict[str, Any]:
    return {
        "id": model_id,
        "aliased_model_id": None,
        "name": name,
        "languages": [dict(lang) for lang in TTS_LANGUAGES],
        "voices": [
            {"id": v["id"], "description": v["description"], "gender": v["gender"]}
            for v in SHARED_VOICES
            if v["id"] in voices
        ],
        "supports_timestamps": True,
        "supports_voice_cloning": v2,
        "voice_cloning_max_audio_duration_ms": 20_000 if v2 else None,
        "supports_speed_adjustment": True,
        "speed_min": 0.7,
        "speed_max": 1.3,
        "supports_silence_reduction": v2,
    }


TTS_MODELS: list[dict[str, Any]] = [
    _model("tts-rt-v2", "Text-to-Speech Real-time v2", [v[0] for v in _VOICES], v2=True),
    _model("tts-rt-v1", "Text-to-Speech Real-time v1", list(_V1_VOICES), v2=False),
]

TTS_MODELS_BY_ID = {m["id"]: m for m in TTS_MODELS}


def shared_voice_ids(model_id: str) -> set[str]:
    """Built-in voice names of a model."""
    return {v["id"] for v in TTS_MODELS_BY_ID[model_id]["voices"]}


def cloning_models() -> list[dict[str, Any]]:
    """Models a cloned voice can be prepared for."""
    return [m for m in TTS_MODELS if m["supports_voice_cloning"]]
