"""What the TTS REST endpoint and the TTS WebSocket share: keys, settings checks, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._http import more_info_url
from ._tts_catalog import TTS_MODELS_BY_ID, shared_voice_ids
from ._tts_engine import CODEC_FORMATS, DEFAULT_SAMPLE_RATE, SAMPLE_RATES, WRITABLE_FORMATS

if TYPE_CHECKING:
    from ._emulator import Emulator
    from ._state import TemporaryKey

MAX_TEXT = 5000
SESSION_EXPIRED = (
    "Temporary API key session duration limit exceeded. Create a new temporary API key "
    "to start a new session."
)
_CONSOLE = "You can get an API key at https://console.soniox.com"
TEMP_KEY_PREFIXES = ("temp:", "snx_temp_")


class TtsError(Exception):
    """A TTS failure with the service's status, error type and message."""

    def __init__(self, code: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.error_type = error_type
        self.message = message

    def body(self, request_id: str) -> dict[str, Any]:
        """The TTSApiError body."""
        return {
            "error_code": self.code,
            "error_type": self.error_type,
            "error_message": self.message,
            "request_id": request_id,
            "more_info": more_info_url(self.error_type),
        }


def invalid(message: str) -> TtsError:
    """A 400 invalid_request."""
    return TtsError(400, "invalid_request", message)


def authenticate_tts(emulator: Emulator, token: str | None) -> TemporaryKey | None:
    """Accept an API key, or a temporary key minted for ``tts_rt`` (spending one use).

    Returns the temporary key's record (its session cap and reference id apply), or
    None for a plain API key.
    """
    if not token:
        raise TtsError(
            401,
            "unauthenticated",
            "Missing API key. Provide it as an Authorization header "
            f"(e.g. 'Authorization: Bearer <SONIOX_API_KEY>'). {_CONSOLE}.",
        )
    if len(token) > 250:
        raise invalid("API key is too long (max length 250).")
    if token in emulator.api_keys:
        return None
    state = emulator._state
    with state.lock:
        record = state.temporary_keys.get(token)
    if state.use_temporary_key(token, "tts_rt"):
        return record
    if record is not None and record.usage_type != "tts_rt":
        raise TtsError(
            401,
            "unauthenticated",
            "The temporary API key cannot be used for this action. Each temporary API key is "
            "scoped to a specific usage_type; create a new key with the correct usage type.",
        )
    if record is not None or token.startswith(TEMP_KEY_PREFIXES):
        raise TtsError(
            401,
            "unauthenticated",
            "Invalid or expired temporary API key. Create a new temporary API key and retry. "
            "See https://soniox.com/docs/guides/temporary-api-keys for details.",
        )
    raise TtsError(401, "unauthenticated", f"Incorrect API key provided. {_CONSOLE}")


def bearer_token(authorization: str | None) -> str | None:
    """The key in an ``Authorization`` header; raises for a non-Bearer scheme."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TtsError(
            401,
            "unauthenticated",
            "Authorization header must use the Bearer scheme "
            f"(e.g. 'Authorization: Bearer <SONIOX_API_KEY>'). {_CONSOLE}.",
        )
    return token.strip()


@dataclass(frozen=True)
class TtsSettings:
    """A validated TTS request (REST payload or WebSocket stream config)."""

    model: str
    language: str
    voice: str
    audio_format: str
    sample_rate: int
    speed: float
    reduce_silence: bool
    client_reference_id: str | None
    return_timestamps: bool = False


_REQUIRED = (
    ("model", "Model name"),
    ("language", "Language"),
    ("voice", "Voice"),
    ("audio_format", "Audio format"),
)


def check_settings(emulator: Emulator, payload: dict[str, Any], *, streaming: bool) -> TtsSettings:
    """Validate TTS settings in the service's order, with its messages."""
    for name, label in _REQUIRED:
        value = payload.get(name)
        if value is None:
            raise invalid(f"Missing required field: {name}")
        if not isinstance(value, str):
            raise invalid("Invalid JSON body")
        if len(value) > 50:
            raise invalid(f"{label} is too long (max length 50).")
    if not streaming:
        text = payload.get("text")
        if text is None:
            raise invalid("Missing required field: text")
        if not isinstance(text, str):
            raise invalid("Invalid JSON body")
        if len(text) > MAX_TEXT:
            raise invalid(f"Text is too long (max length {MAX_TEXT}).")
    reference = payload.get("client_reference_id")
    if reference is not None and (not isinstance(reference, str) or len(reference) > 256):
        raise invalid("Client reference ID is too long (max length 256).")
    model_id: str = payload["model"]
    model = TTS_MODELS_BY_ID.get(model_id)
    if model is None:
        raise TtsError(
            400,
            "model_not_available",
            "The requested model is not available. See https://soniox.com/docs/tts/models "
            "for the list of supported TTS models.",
        )
    voice: str = payload["voice"]
    if voice not in shared_voice_ids(model_id) and not emulator.voices.ready_for(voice, model_id):
        raise invalid(f"Invalid voice '{voice}' for model '{model_id}'.")
    language: str = payload["language"]
    if language not in {lang["code"] for lang in model["languages"]}:
        raise invalid(f"Invalid language '{language}' for model '{model_id}'.")
    audio_format: str = payload["audio_format"]
    if audio_format in CODEC_FORMATS:
        raise invalid(
            f"Audio format '{audio_format}' is not supported by the Soniox emulator; "
            f"use one of: {', '.join(WRITABLE_FORMATS)}."
        )
    if audio_format not in WRITABLE_FORMATS:
        raise invalid(f"Invalid audio format '{audio_format}'.")
    sample_rate = payload.get("sample_rate")
    if sample_rate is None:
        sample_rate = DEFAULT_SAMPLE_RATE
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate not in SAMPLE_RATES:
        raise invalid(f"Invalid sample rate '{sample_rate}'. Supported: {', '.join(map(str, SAMPLE_RATES))}.")
    bitrate = payload.get("bitrate")
    if bitrate is not None and (isinstance(bitrate, bool) or not isinstance(bitrate, int) or bitrate <= 0):
        raise invalid(f"Invalid bitrate '{bitrate}'.")
    speed = payload.get("speed")
    if speed is None:
        speed = 1.0
    if isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise invalid("Invalid JSON body")
    low, high = model["speed_min"], model["speed_max"]
    if not low <= speed <= high:
        raise invalid(f"Speed must be between {low} and {high}.")
    reduce_silence = payload.get("reduce_silence")
    if reduce_silence is not None and not isinstance(reduce_silence, bool):
        raise invalid("Invalid JSON body")
    if reduce_silence and not model["supports_silence_reduction"]:
        raise invalid(f"Silence reduction is not supported by model '{model_id}'.")
    timestamps = payload.get("return_timestamps")
    if timestamps is not None and not isinstance(timestamps, bool):
        raise invalid("Invalid JSON body")
    return TtsSettings(
        model=model_id,
        language=language,
        voice=voice,
        audio_format=audio_format,
        sample_rate=sample_rate,
        speed=float(speed),
        reduce_silence=bool(reduce_silence),
        client_reference_id=reference,
        return_timestamps=bool(timestamps),
    )
