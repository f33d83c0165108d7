"""Realtime speech-to-text, sans-IO: the session state machine, its config and events.

The async and sync clients drive ``RealtimeSession`` over their own sockets;
users normally meet only ``RealtimeSTTConfig``, ``RealtimeEvent``, the token
markers and the helpers (``TranscriptAccumulator``, ``render_tokens``).
"""

from ._audio import (
    DEFAULT_CHUNK_SIZE_BYTES,
    AudioPacer,
    audio_bytes_per_second,
    split_chunks,
    wav_bytes_per_second,
)
from ._config import (
    DEFAULT_CONNECT_TIMEOUT_SEC,
    DEFAULT_RECEIVE_TIMEOUT_SEC,
    HEADER_AUDIO_FORMATS,
    RAW_AUDIO_FORMATS,
    RealtimeSTTConfig,
)
from ._control import RealtimeControlType, coerce_control_type
from ._events import (
    TOKEN_TEXT_END,
    TOKEN_TEXT_FIN,
    RealtimeEvent,
    SonioxRealtimeTimeoutError,
    is_endpoint_token,
    is_finalization_marker,
    parse_event,
)
from ._handshake import Endpoint, TLSSettings, auth_headers, parse_endpoint, tls_settings
from ._keepalive import DEFAULT_KEEPALIVE_INTERVAL_SEC, KeepaliveSchedule
from ._reconnect import ReconnectPolicy, SonioxRealtimeReconnectError
from ._session import END, NEED_DATA, RealtimeSession, SessionState, Signal
from .accumulator import TranscriptAccumulator, render_tokens

__all__ = [
    "DEFAULT_CHUNK_SIZE_BYTES",
    "DEFAULT_CONNECT_TIMEOUT_SEC",
    "DEFAULT_KEEPALIVE_INTERVAL_SEC",
    "DEFAULT_RECEIVE_TIMEOUT_SEC",
    "END",
    "HEADER_AUDIO_FORMATS",
    "NEED_DATA",
    "RAW_AUDIO_FORMATS",
    "TOKEN_TEXT_END",
    "TOKEN_TEXT_FIN",
    "AudioPacer",
    "Endpoint",
    "KeepaliveSchedule",
    "RealtimeControlType",
    "RealtimeEvent",
    "RealtimeSTTConfig",
    "RealtimeSession",
    "ReconnectPolicy",
    "SessionState",
    "Signal",
    "SonioxRealtimeReconnectError",
    "SonioxRealtimeTimeoutError",
    "TLSSettings",
    "TranscriptAccumulator",
    "audio_bytes_per_second",
    "auth_headers",
    "coerce_control_type",
    "is_endpoint_token",
    "is_finalization_marker",
    "parse_endpoint",
    "parse_event",
    "render_tokens",
    "split_chunks",
    "tls_settings",
    "wav_bytes_per_second",
]
