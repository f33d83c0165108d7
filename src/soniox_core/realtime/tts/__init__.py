"""Realtime text-to-speech, sans-IO: stream configs, messages, events and the connection machine.

The async and sync clients drive ``TTSProtocol`` (messages) inside a WebSocket
session (``TTSSession``, bytes); users meet ``RealtimeTTSConfig``,
``RealtimeTTSEvent`` and the constants.
"""

from ._models import (
    MAX_TTS_STREAMS_PER_CONNECTION,
    MAX_TTS_TEXT_CHUNK_CHARS,
    TTS_KEEP_ALIVE_INTERVAL_SEC,
    TTS_STREAM_EVENT_TIMEOUT_SEC,
    RealtimeTTSCancelMessage,
    RealtimeTTSConfig,
    RealtimeTTSEvent,
    RealtimeTTSKeepAliveMessage,
    RealtimeTTSTextMessage,
    SonioxTTSAudioError,
    TtsAudioFormat,
    TtsBitrate,
    TtsSampleRate,
    TtsTimestamps,
    coerce_tts_config,
    parse_tts_event,
    tts_config_payload,
)
from ._protocol import (
    TTS_END,
    TTS_NEED_DATA,
    Received,
    SonioxTTSStreamLimitError,
    TTSProtocol,
    TTSSignal,
    TTSStream,
)
from ._state import (
    ConnectionInput,
    ConnectionState,
    LocalProtocolViolation,
    StreamInput,
    StreamState,
)
from ._text import split_text

__all__ = [
    "MAX_TTS_STREAMS_PER_CONNECTION",
    "MAX_TTS_TEXT_CHUNK_CHARS",
    "TTS_END",
    "TTS_KEEP_ALIVE_INTERVAL_SEC",
    "TTS_NEED_DATA",
    "TTS_STREAM_EVENT_TIMEOUT_SEC",
    "ConnectionInput",
    "ConnectionState",
    "LocalProtocolViolation",
    "RealtimeTTSCancelMessage",
    "RealtimeTTSConfig",
    "RealtimeTTSEvent",
    "RealtimeTTSKeepAliveMessage",
    "RealtimeTTSTextMessage",
    "Received",
    "SonioxTTSAudioError",
    "SonioxTTSStreamLimitError",
    "StreamInput",
    "StreamState",
    "TTSProtocol",
    "TTSSignal",
    "TTSStream",
    "TtsAudioFormat",
    "TtsBitrate",
    "TtsSampleRate",
    "TtsTimestamps",
    "coerce_tts_config",
    "parse_tts_event",
    "split_text",
    "tts_config_payload",
]
