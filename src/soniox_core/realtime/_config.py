"""The realtime session's configuration (the first message) and its client-side checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from soniox_core._errors import SonioxValidationError
from soniox_core.models import StructuredContext, TranslationConfig

from .._dump import PydanticCompat

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_SEC",
    "DEFAULT_RECEIVE_TIMEOUT_SEC",
    "HEADER_AUDIO_FORMATS",
    "RAW_AUDIO_FORMATS",
    "RealtimeSTTConfig",
    "config_payload",
    "coerce_config",
]

# Container formats the service recognises from the stream's own header.
HEADER_AUDIO_FORMATS = frozenset({"aac", "aiff", "amr", "asf", "flac", "mp3", "ogg", "wav", "webm"})

# Headerless formats: the service cannot guess their rate or layout, so the
# config must carry sample_rate and num_channels.  The value is the sample
# width in bytes, which the pacing helpers need to turn bytes into seconds.
RAW_AUDIO_FORMATS: Mapping[str, int] = {
    "pcm_s8": 1, "pcm_u8": 1, "mulaw": 1, "alaw": 1,
    "pcm_s16le": 2, "pcm_s16be": 2, "pcm_u16le": 2, "pcm_u16be": 2,
    "pcm_s24le": 3, "pcm_s24be": 3, "pcm_u24le": 3, "pcm_u24be": 3,
    "pcm_s32le": 4, "pcm_s32be": 4, "pcm_u32le": 4, "pcm_u32be": 4,
    "pcm_f32le": 4, "pcm_f32be": 4,
    "pcm_f64le": 8, "pcm_f64be": 8,
}  # fmt: skip

_MAX_CLIENT_REFERENCE_ID = 256
_TRANSLATION_TYPES = ("one_way", "two_way")


class RealtimeSTTConfig(msgspec.Struct, PydanticCompat, kw_only=True):
    """How a realtime session should transcribe: sent as the session's first message.

    ``model`` is required (e.g. ``"stt-rt-v4"``). ``audio_format`` defaults to
    ``"auto"``, which suits container formats such as WAV, MP3 or OGG; raw PCM
    formats (``"pcm_s16le"`` ...) also need ``sample_rate`` and ``num_channels``.
    Fields left as ``None`` are not sent, so the service's defaults apply.
    """

    model: str
    audio_format: str = "auto"
    num_channels: int | None = None
    sample_rate: int | None = None
    language_hints: list[str] | None = None
    language_hints_strict: bool | None = None
    context: StructuredContext | dict[str, Any] | str | None = None
    enable_speaker_diarization: bool | None = None
    enable_language_identification: bool | None = None
    enable_endpoint_detection: bool | None = None
    max_endpoint_delay_ms: int | None = None
    endpoint_sensitivity: float | None = None
    endpoint_latency_adjustment_level: int | None = None
    translation: TranslationConfig | dict[str, Any] | None = None
    client_reference_id: str | None = None

    def validate(self) -> None:
        """Raise ``SonioxValidationError`` naming the first field the service would refuse."""
        config_payload(self)


def coerce_config(config: RealtimeSTTConfig | Mapping[str, Any]) -> RealtimeSTTConfig:
    """Accept a ``RealtimeSTTConfig`` or a plain dict of the same fields."""
    if isinstance(config, RealtimeSTTConfig):
        return config
    if not isinstance(config, Mapping):
        raise SonioxValidationError("must be a RealtimeSTTConfig or a dict", field="config")
    unknown = set(config) - set(RealtimeSTTConfig.__struct_fields__)
    if unknown:
        raise SonioxValidationError(f"unknown field(s) {sorted(unknown)}", field="config")
    try:
        converted = RealtimeSTTConfig(**config)
    except TypeError as exc:
        raise SonioxValidationError(str(exc), field="config") from None
    config_payload(converted)  # field types are checked here, as for a Struct built by hand
    return converted


def config_payload(config: RealtimeSTTConfig) -> dict[str, Any]:
    """The JSON object sent as the first message, after checking every field.

    Raises ``SonioxValidationError`` (with ``field`` set) for values the service
    is known to reject, so that a bad config fails before a connection is opened.
    """
    _check_str(config.model, "model")
    fmt = config.audio_format
    if fmt != "auto" and fmt not in HEADER_AUDIO_FORMATS and fmt not in RAW_AUDIO_FORMATS:
        raise SonioxValidationError(
            f"unknown audio format {fmt!r}; use 'auto', a container format "
            f"({', '.join(sorted(HEADER_AUDIO_FORMATS))}) or a raw format such as 'pcm_s16le'",
            field="audio_format",
        )
    _check_positive_int(config.sample_rate, "sample_rate")
    _check_positive_int(config.num_channels, "num_channels")
    if fmt in RAW_AUDIO_FORMATS:
        missing = [name for name in ("sample_rate", "num_channels") if getattr(config, name) is None]
        if missing:
            raise SonioxValidationError(
                f"audio_format={fmt!r} has no header, so {' and '.join(missing)} must be set",
                field=missing[0],
            )
    _check_language_hints(config.language_hints)
    _check_range(config.max_endpoint_delay_ms, "max_endpoint_delay_ms", 500, 3000, integer=True)
    _check_range(config.endpoint_sensitivity, "endpoint_sensitivity", -1.0, 1.0, integer=False)
    _check_range(
        config.endpoint_latency_adjustment_level,
        "endpoint_latency_adjustment_level",
        0,
        3,
        integer=True,
    )
    for name in (
        "language_hints_strict",
        "enable_speaker_diarization",
        "enable_language_identification",
        "enable_endpoint_detection",
    ):
        value = getattr(config, name)
        if value is not None and not isinstance(value, bool):
            raise SonioxValidationError("must be true or false", field=name)
    if config.client_reference_id is not None:
        if not isinstance(config.client_reference_id, str):
            raise SonioxValidationError("must be a string", field="client_reference_id")
        if len(config.client_reference_id) > _MAX_CLIENT_REFERENCE_ID:
            raise SonioxValidationError(
                f"is too long (max length {_MAX_CLIENT_REFERENCE_ID})", field="client_reference_id"
            )

    payload: dict[str, Any] = {}
    for name in config.__struct_fields__:
        value = getattr(config, name)
        if value is not None:
            payload[name] = value
    if config.context is not None:
        payload["context"] = _context_payload(config.context)
    if config.translation is not None:
        payload["translation"] = _translation_payload(config.translation)
    return payload


def _check_str(value: object, field: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SonioxValidationError("must be a non-empty string", field=field)


def _check_positive_int(value: object, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise SonioxValidationError("must be a positive whole number", field=field)


def _check_range(value: object, field: str, low: float, high: float, *, integer: bool) -> None:
    if value is None:
        return
    number_ok = isinstance(value, int) or (not integer and isinstance(value, float))
    if not number_ok or isinstance(value, bool) or not low <= float(value) <= high:  # type: ignore[arg-type]
        kind = "a whole number" if integer else "a number"
        raise SonioxValidationError(f"must be {kind} from {low:g} to {high:g}", field=field)


def _check_language_hints(hints: object) -> None:
    if hints is None:
        return
    if not isinstance(hints, list):
        raise SonioxValidationError("must be a list of language codes", field="language_hints")
    for i, hint in enumerate(hints):
        if not isinstance(hint, str) or len(hint) != 2 or not hint.isalpha():
            raise SonioxValidationError(
                f"{hint!r} is not a two-letter ISO 639-1 code", field=f"language_hints[{i}]"
            )
    if len(set(hints)) != len(hints):
        raise SonioxValidationError("must be unique", field="language_hints")


def _context_payload(context: StructuredContext | dict[str, Any] | str) -> Any:
    if isinstance(context, str):
        return context
    raw = msgspec.to_builtins(context) if isinstance(context, StructuredContext) else dict(context)
    if not isinstance(raw, dict):
        raise SonioxValidationError("must be a string, a dict or a StructuredContext", field="context")
    # The service wants lists; the dict shorthands are a convenience of the SDKs.
    general = raw.get("general")
    if isinstance(general, dict):
        raw["general"] = [{"key": k, "value": v} for k, v in general.items()]
    terms = raw.get("translation_terms")
    if isinstance(terms, dict):
        raw["translation_terms"] = [{"source": k, "target": v} for k, v in terms.items()]
    return {k: v for k, v in raw.items() if v is not None}


def _translation_payload(translation: TranslationConfig | dict[str, Any]) -> dict[str, Any]:
    raw = (
        msgspec.to_builtins(translation) if isinstance(translation, TranslationConfig) else dict(translation)
    )
    kind = raw.get("type")
    if kind not in _TRANSLATION_TYPES:
        raise SonioxValidationError("must be 'one_way' or 'two_way'", field="translation.type")
    needed = ("target_language",) if kind == "one_way" else ("language_a", "language_b")
    for name in needed:
        value = raw.get(name)
        if not isinstance(value, str) or len(value) != 2:
            raise SonioxValidationError(
                f"a two-letter language code is required for {kind} translation",
                field=f"translation.{name}",
            )
    # Fields that belong to the other translation type are dropped, not sent.
    return {"type": kind, **{name: raw[name] for name in needed}}


# How long connect() may take (TCP, TLS and the upgrade), and how long the server
# may stay silent while the caller waits for an event.
DEFAULT_CONNECT_TIMEOUT_SEC = 10.0
DEFAULT_RECEIVE_TIMEOUT_SEC = 60.0
