"""Typed models of Text-to-Speech: generation settings, TTS models, shared and cloned voices.

Field for field from the OpenAPI document (``CreateTTSPayload``, ``TTSModel``,
``Voice``...), with the names the official ``soniox`` SDK gives them
(``TtsModel``, ``GetTtsModelsResponse``...). As in ``soniox_core.models``,
response models ignore unknown fields and type enum-like fields as ``str``, so
a newer server never breaks parsing; the ``Literal`` aliases list the values
known today, for type checkers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from ._dump import PydanticCompat
from .models import Language, _Model, _StrEnum

__all__ = [
    "CreateTtsConfig",
    "GetTTSModelsResponse",
    "GetSharedVoicesResponse",
    "GetTtsModelsResponse",
    "GetVoicesCountResponse",
    "GetVoicesResponse",
    "TTSModel",
    "TTSVoice",
    "TTSVoiceDetails",
    "TtsAudioFormat",
    "TtsBitrate",
    "TtsModel",
    "TtsSampleRate",
    "TtsVoice",
    "TtsVoiceAge",
    "TtsVoiceDetails",
    "TtsVoiceGender",
    "Voice",
    "VoiceModel",
    "VoiceModelStatus",
]

TtsAudioFormat = Literal[
    "pcm_f32le", "pcm_s16le", "pcm_mulaw", "pcm_alaw", "wav", "aac", "mp3", "opus", "flac"
]
"""Audio formats Text-to-Speech can produce."""

TtsSampleRate = Literal[8000, 16000, 24000, 44100, 48000]
"""Output sample rates in Hz."""

TtsBitrate = Literal[32000, 64000, 96000, 128000, 192000, 256000, 320000]
"""Output bitrates in bits per second, for compressed formats."""

TtsVoiceGender = Literal["male", "female", "neutral"]
"""Genders a voice is described with."""

TtsVoiceAge = Literal["young", "middle_aged", "old"]
"""Perceived ages a shared voice is described with."""


class VoiceModelStatus(_StrEnum):
    """How far a cloned voice is prepared for one model; usable once ``READY``."""

    NOT_COMPUTED = "not_computed"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


# --- Generation settings ----------------------------------------------------------


class CreateTtsConfig(msgspec.Struct, PydanticCompat, kw_only=True, omit_defaults=True):
    """Output settings for ``client.tts.generate()`` and friends.

    ``speed`` is 0.7-1.3 (1.0 is normal); ``reduce_silence`` shortens pauses
    (only on models with ``supports_silence_reduction``). ``model``, ``voice``
    and ``language`` here are deprecated, as in the official SDK: pass them to
    the call. When set they are still honoured (``model``/``voice`` win over
    the call's; the call's ``language`` wins over this one).
    """

    audio_format: TtsAudioFormat | str | None = None
    sample_rate: TtsSampleRate | int | None = None
    bitrate: TtsBitrate | int | None = None
    speed: float | None = None
    reduce_silence: bool | None = None
    model: str | None = None
    language: str | None = None
    voice: str | None = None


# --- TTS models --------------------------------------------------------------------


class TtsVoice(_Model):
    """A built-in voice of a Text-to-Speech model."""

    id: str
    description: str = ""
    gender: str = ""


class TtsModel(_Model):
    """A Text-to-Speech model and what it supports."""

    id: str
    name: str
    aliased_model_id: str | None = None
    voices: list[TtsVoice] = msgspec.field(default_factory=list)
    languages: list[Language] = msgspec.field(default_factory=list)
    supports_timestamps: bool = False
    supports_voice_cloning: bool = False
    voice_cloning_max_audio_duration_ms: int | None = None
    supports_speed_adjustment: bool = False
    speed_min: float | None = None
    speed_max: float | None = None
    supports_silence_reduction: bool = False


class GetTtsModelsResponse(_Model):
    """All Text-to-Speech models available to the caller."""

    models: list[TtsModel]


# --- Shared (built-in) voices ----------------------------------------------------------


class TtsVoiceDetails(_Model):
    """A shared voice of a model, with the tags ``list_shared`` filters on."""

    id: str
    description: str = ""
    gender: str = ""
    age: str = ""
    accent: str = ""
    use_case: list[str] = msgspec.field(default_factory=list)
    style: list[str] = msgspec.field(default_factory=list)


class GetSharedVoicesResponse(_Model):
    """One page of a model's shared voices."""

    voices: list[TtsVoiceDetails]
    next_page_cursor: str | None = None


# --- Cloned voices ------------------------------------------------------------------


class VoiceModel(_Model):
    """How far a cloned voice is prepared for one model (``status`` is a
    ``VoiceModelStatus`` value; ``error_*`` are set when it is ``failed``)."""

    model: str
    status: str
    error_type: str | None = None
    error_message: str | None = None


class Voice(_Model):
    """A voice cloned from a reference clip; use its ``id`` as ``voice=``."""

    id: str
    name: str
    created_at: datetime
    filename: str = ""
    models: list[VoiceModel] = msgspec.field(default_factory=list)

    def is_ready(self, model: str) -> bool:
        """Whether the voice can be used with ``model`` now."""
        return any(m.model == model and m.status == VoiceModelStatus.READY for m in self.models)


class GetVoicesResponse(_Model):
    """One page of cloned voices."""

    voices: list[Voice]
    next_page_cursor: str | None = None


class GetVoicesCountResponse(_Model):
    """How many cloned voices the project has."""

    total: int


# The official SDK's older spellings, so code moving over keeps working.
TTSModel = TtsModel
TTSVoice = TtsVoice
TTSVoiceDetails = TtsVoiceDetails
GetTTSModelsResponse = GetTtsModelsResponse
