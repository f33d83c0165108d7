"""Realtime text-to-speech messages: the stream config, what we send and what comes back.

Every outgoing message is a JSON text frame; audio comes back base64-encoded
in JSON text frames too. Incoming models ignore fields they do not know, so
a newer service never breaks an older client.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Mapping
from typing import Any, get_args

import msgspec

from soniox_core._errors import SonioxRealtimeError, SonioxTTSAudioError, SonioxValidationError
from soniox_core.models_tts import TtsAudioFormat, TtsBitrate, TtsSampleRate

__all__ = [
    "MAX_TTS_STREAMS_PER_CONNECTION",
    "MAX_TTS_TEXT_CHUNK_CHARS",
    "TTS_KEEP_ALIVE_INTERVAL_SEC",
    "TTS_STREAM_EVENT_TIMEOUT_SEC",
    "RealtimeTTSCancelMessage",
    "RealtimeTTSConfig",
    "RealtimeTTSEvent",
    "RealtimeTTSKeepAliveMessage",
    "RealtimeTTSTextMessage",
    "SonioxTTSAudioError",
    "TtsAudioFormat",
    "TtsBitrate",
    "TtsSampleRate",
    "TtsTimestamps",
    "coerce_tts_config",
    "parse_tts_event",
    "tts_config_payload",
]

MAX_TTS_STREAMS_PER_CONNECTION = 5
"""How many streams one connection may carry at once (the service's limit)."""

TTS_STREAM_EVENT_TIMEOUT_SEC = 60.0
"""How long a stream waits for its next event before it fails with a timeout."""

TTS_KEEP_ALIVE_INTERVAL_SEC = 25.0
"""A keepalive goes out when nothing was sent for this long (the service closes idle sockets)."""

MAX_TTS_TEXT_CHUNK_CHARS = 5000
"""The most characters one text message may carry; longer text is split."""

_AUDIO_FORMATS: frozenset[str] = frozenset(get_args(TtsAudioFormat))
_SAMPLE_RATES: frozenset[int] = frozenset(get_args(TtsSampleRate))
_BITRATES: frozenset[int] = frozenset(get_args(TtsBitrate))


class RealtimeTTSConfig(msgspec.Struct, kw_only=True):
    """How one realtime text-to-speech stream speaks: sent as the stream's first message.

    ``stream_id`` is chosen by you (1-256 characters) and names the stream on
    its connection; it may be reused once that stream has terminated.
    ``model``, ``language``, ``voice`` and ``audio_format`` are required.
    Fields left as ``None`` are not sent, so the service's defaults apply.
    """

    stream_id: str
    model: str
    language: str
    voice: str
    audio_format: str
    sample_rate: int | None = None
    bitrate: int | None = None
    speed: float | None = None
    reduce_silence: bool | None = None
    return_timestamps: bool | None = None


class TtsTimestamps(msgspec.Struct, kw_only=True):
    """Which characters a chunk of audio speaks, and when (``return_timestamps=True``).

    The three lists are parallel: entry ``i`` of each describes one character.
    """

    characters: list[str] = msgspec.field(default_factory=list)
    character_start_times_seconds: list[float] = msgspec.field(default_factory=list)
    character_end_times_seconds: list[float] = msgspec.field(default_factory=list)


class RealtimeTTSEvent(msgspec.Struct, kw_only=True):
    """One message from the realtime text-to-speech service.

    ``audio`` is a base64 chunk (``audio_bytes()`` decodes it); ``audio_end``
    marks the stream's last audio and ``terminated`` its very last message.
    ``error_code``/``error_message`` are set on an error message; without a
    ``stream_id`` the error concerns the whole connection.
    """

    stream_id: str | None = None
    audio: str | None = None
    audio_end: bool = False
    terminated: bool = False
    error_code: int | None = None
    error_message: str | None = None
    timestamps: TtsTimestamps | None = None

    @property
    def is_error(self) -> bool:
        """Whether this is an error message from the service."""
        return self.error_code is not None or self.error_message is not None

    def audio_bytes(self) -> bytes | None:
        """The audio of this event, decoded; ``None`` when it carries none.

        Raises:
            SonioxTTSAudioError: ``audio`` is not valid base64.
        """
        if self.audio is None:
            return None
        try:
            return b64decode(self.audio, validate=True)
        except (binascii.Error, ValueError):
            raise SonioxTTSAudioError("Invalid base64 audio in a realtime text-to-speech event") from None

    @classmethod
    def validate_event(cls, raw: str | bytes) -> RealtimeTTSEvent:
        """Parse one message of the service (the official SDK's name for ``parse_tts_event``)."""
        return parse_tts_event(raw)


class RealtimeTTSTextMessage(msgspec.Struct, kw_only=True):
    """A chunk of text for one stream; ``text_end=True`` says no more text follows."""

    text: str = ""
    text_end: bool = False
    stream_id: str


class RealtimeTTSCancelMessage(msgspec.Struct, kw_only=True):
    """Asks the service to stop a stream; it answers with ``terminated``."""

    stream_id: str
    cancel: bool = True


class RealtimeTTSKeepAliveMessage(msgspec.Struct, kw_only=True):
    """Keeps an idle connection open; starts no speech."""

    keep_alive: bool = True


_event_decoder = msgspec.json.Decoder(RealtimeTTSEvent)


def parse_tts_event(raw: str | bytes) -> RealtimeTTSEvent:
    """Parse one message of the service.

    Raises:
        SonioxRealtimeError: the message is not a JSON object of the expected shape.
    """
    try:
        return _event_decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise SonioxRealtimeError(f"Malformed message from the text-to-speech service: {exc}") from None


def coerce_tts_config(config: object) -> RealtimeTTSConfig:
    """Accept a ``RealtimeTTSConfig`` or a dict of its fields, checked.

    Raises:
        SonioxValidationError: a field is missing, unknown or out of range (``field`` names it).
    """
    if isinstance(config, Mapping):
        unknown = set(config) - set(RealtimeTTSConfig.__struct_fields__)
        if unknown:
            raise SonioxValidationError(f"unknown field(s) {sorted(unknown)}", field="config")
        try:
            config = RealtimeTTSConfig(**config)
        except TypeError as exc:
            raise SonioxValidationError(str(exc), field="config") from None
    if not isinstance(config, RealtimeTTSConfig):
        raise SonioxValidationError("must be a RealtimeTTSConfig or a dict", field="config")
    tts_config_payload(config)
    return config


def _check_str(value: object, field: str, max_len: int) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= max_len:
        raise SonioxValidationError(f"must be a string of 1 to {max_len} characters", field=field)


def _check_choice(value: object, field: str, choices: frozenset[Any]) -> None:
    if value is not None and (isinstance(value, bool) or value not in choices):
        raise SonioxValidationError(f"must be one of {sorted(choices)}, not {value!r}", field=field)


def tts_config_payload(config: RealtimeTTSConfig) -> dict[str, Any]:
    """The JSON object that opens the stream, after checking every field.

    Raises:
        SonioxValidationError: a value the service is known to reject (``field`` names it).
    """
    _check_str(config.stream_id, "stream_id", 256)
    for name in ("model", "language", "voice"):
        _check_str(getattr(config, name), name, 50)
    if config.audio_format not in _AUDIO_FORMATS:
        raise SonioxValidationError(
            f"must be one of {sorted(_AUDIO_FORMATS)}, not {config.audio_format!r}", field="audio_format"
        )
    _check_choice(config.sample_rate, "sample_rate", _SAMPLE_RATES)
    _check_choice(config.bitrate, "bitrate", _BITRATES)
    speed = config.speed
    if speed is not None and (
        isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0.7 <= speed <= 1.3
    ):
        raise SonioxValidationError("must be a number from 0.7 to 1.3", field="speed")
    for name in ("reduce_silence", "return_timestamps"):
        value = getattr(config, name)
        if value is not None and not isinstance(value, bool):
            raise SonioxValidationError("must be True, False or None", field=name)
    payload: dict[str, Any] = msgspec.to_builtins(config)
    return {key: value for key, value in payload.items() if value is not None}
