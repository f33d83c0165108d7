"""Settings, faults and observations of the TTS WebSocket (``emulator.tts_realtime``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TtsConnectionRecord", "TtsRealtimeControl", "TtsStreamRecord"]


@dataclass
class TtsStreamRecord:
    """What one TTS stream did."""

    stream_id: str
    config: dict[str, Any]
    text: str = ""
    text_ended: bool = False
    audio_messages: int = 0
    audio_bytes: int = 0
    cancelled: bool = False
    error_sent: tuple[int, str] | None = None
    terminated: bool = False


@dataclass
class TtsConnectionRecord:
    """What one TTS WebSocket connection did."""

    auth_method: str | None = None
    streams: list[TtsStreamRecord] = field(default_factory=list)
    #: Every JSON message the client sent, in order (an ``api_key`` shows as masked).
    messages: list[dict[str, Any]] = field(default_factory=list)
    keepalives: int = 0
    error_sent: tuple[int, str] | None = None
    dropped: bool = False
    client_closed: bool = False


@dataclass
class _ErrorFault:
    code: int
    message: str
    after_audio_messages: int
    connection_level: bool


class TtsRealtimeControl:
    """Settings, faults and observations of the TTS WebSocket (``emulator.tts_realtime``).

    Settings: ``chunk_bytes`` (audio bytes per message, before base64),
    ``audio_interval_sec`` (pause between a stream's audio messages; raise it to cancel
    mid-stream), ``idle_timeout_sec`` (a connection that receives nothing for this long
    gets a 408 and is closed), ``max_stream_sec`` (the per-stream limit, 2 minutes like
    the service).

    Faults: ``drop_after_audio_messages`` (cut the TCP connection without a close frame
    once a connection has sent that many audio messages), ``send_error(code, message,
    after_audio_messages=0, connection_level=False)`` (the next stream to reach that
    point gets the error; connection-level errors close the connection), ``stall``
    (read but never answer).

    Observations: ``connections`` (one :class:`TtsConnectionRecord` each) and
    ``streams`` (every stream, in order).
    """

    def __init__(self, _generation: int = 0) -> None:
        self._lock = threading.Lock()
        self._generation = _generation
        self.chunk_bytes = 8192
        self.audio_interval_sec = 0.0
        self.idle_timeout_sec = 20.0
        self.max_stream_sec = 120.0
        self.drop_after_audio_messages: int | None = None
        self.stall = False
        self.connections: list[TtsConnectionRecord] = []
        self._errors: list[_ErrorFault] = []

    def send_error(
        self,
        code: int,
        message: str,
        *,
        after_audio_messages: int = 0,
        connection_level: bool = False,
    ) -> None:
        """Make the next stream that has sent ``after_audio_messages`` audio messages fail."""
        with self._lock:
            self._errors.append(_ErrorFault(code, message, after_audio_messages, connection_level))

    def reset(self) -> None:
        """Back to the defaults, with no faults and no observations."""
        self.__init__(self._generation + 1)  # type: ignore[misc]

    @property
    def streams(self) -> list[TtsStreamRecord]:
        """Every stream of every connection, in order."""
        return [s for c in self.connections for s in c.streams]

    def _take_error(self, audio_messages: int, generation: int) -> _ErrorFault | None:
        with self._lock:
            if generation != self._generation:
                return None
            for fault in self._errors:
                if audio_messages >= fault.after_audio_messages:
                    self._errors.remove(fault)
                    return fault
        return None
