"""The ``POST /tts`` body, built by the official SDK's rules and checked before sending.

The rules (from the official ``soniox`` 2.10 SDK, so code moving over behaves
the same): ``text``/``voice``/``model``/``language`` are the call's; output
settings come from ``CreateTtsConfig``; the flat ``audio_format``/
``sample_rate``/``bitrate`` arguments still work but are deprecated, and the
config wins when a setting is given both ways; ``model``/``voice``/``language``
set on the config are deprecated but honoured (the config's ``model`` and
``voice`` win, the call's ``language`` wins); no language at all warns and
means ``"en"``; ``audio_format`` falls back to ``"wav"``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from ._errors import SonioxValidationError
from ._payloads import _Payload, _plain, to_validated
from .models_tts import CreateTtsConfig

__all__ = ["DEFAULT_TTS_MODEL", "DEFAULT_TTS_VOICE", "MAX_TTS_TEXT", "create_tts_body"]

DEFAULT_TTS_MODEL = "tts-rt-v2"
DEFAULT_TTS_VOICE = "Adrian"
MAX_TTS_TEXT = 5000

_Name = Annotated[str, Meta(min_length=1, max_length=50)]


class _CreateTts(_Payload):
    model: _Name
    language: _Name
    voice: _Name
    text: Annotated[str, Meta(min_length=1, max_length=MAX_TTS_TEXT)]
    audio_format: Literal[
        "pcm_f32le", "pcm_s16le", "pcm_mulaw", "pcm_alaw", "wav", "aac", "mp3", "opus", "flac"
    ]
    sample_rate: Literal[8000, 16000, 24000, 44100, 48000] | None = None
    bitrate: Literal[32000, 64000, 96000, 128000, 192000, 256000, 320000] | None = None
    speed: Annotated[float, Meta(ge=0.7, le=1.3)] | None = None
    reduce_silence: bool | None = None
    client_reference_id: Annotated[str, Meta(max_length=256)] | None = None


def _warn(message: str) -> None:
    # user code -> facade -> operation -> create_tts_body -> here
    warnings.warn(message, DeprecationWarning, stacklevel=5)


def create_tts_body(
    *,
    text: str,
    voice: str,
    model: str,
    config: CreateTtsConfig | Mapping[str, Any] | None,
    language: str | None,
    audio_format: str | None,
    sample_rate: int | None,
    bitrate: int | None,
    client_reference_id: str | None = None,
) -> bytes:
    """The validated JSON body of ``POST /tts``; a bad argument raises
    ``SonioxValidationError`` naming it, before anything is sent."""
    if config is not None and not isinstance(config, (CreateTtsConfig, Mapping)):
        raise SonioxValidationError(f"must be a CreateTtsConfig, not {type(config).__name__}", field="config")
    flat = {
        k: v
        for k, v in (("audio_format", audio_format), ("sample_rate", sample_rate), ("bitrate", bitrate))
        if v is not None
    }
    if flat:
        _warn(
            f"Passing {', '.join(flat)} directly to generate()/generate_to_file() is deprecated; "
            "set them on CreateTtsConfig instead."
        )
    settings: dict[str, Any] = {**flat, **(_plain(config) if config is not None else {})}
    on_config = [name for name in ("model", "voice", "language") if settings.get(name) is not None]
    if on_config:
        _warn(
            f"Setting {', '.join(on_config)} on CreateTtsConfig is deprecated; "
            "pass it directly to generate()/generate_to_file() instead."
        )
    voice_override = settings.pop("voice", None)
    model_override = settings.pop("model", None)
    config_language = settings.pop("language", None)
    if language is None:
        language = config_language
    if language is None:
        _warn(
            "Relying on the default Text-to-Speech language 'en' is deprecated; pass language= "
            "explicitly. It will be required in the next major release."
        )
        language = "en"
    unknown = set(settings) - {"audio_format", "sample_rate", "bitrate", "speed", "reduce_silence"}
    if unknown:
        raise SonioxValidationError(f"unknown setting(s) {sorted(unknown)}", field="config")
    body = {
        "text": text,
        "voice": voice if voice_override is None else voice_override,
        "model": model if model_override is None else model_override,
        "language": language,
        "audio_format": settings.get("audio_format", "wav"),
        "sample_rate": settings.get("sample_rate"),
        "bitrate": settings.get("bitrate"),
        "speed": settings.get("speed"),
        "reduce_silence": settings.get("reduce_silence"),
        "client_reference_id": client_reference_id,
    }
    body = {k: v for k, v in body.items() if v is not None}
    if isinstance(body.get("speed"), bool):
        raise SonioxValidationError("must be a number from 0.7 to 1.3", field="speed")
    return msgspec.json.encode(to_validated(body, _CreateTts))
