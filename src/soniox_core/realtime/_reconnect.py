"""Reconnecting a realtime session whose connection dropped: the policy and the audio to replay.

Pure bookkeeping for the drivers. The replay buffer holds the audio sent since
the point the server last declared final (``final_audio_proc_ms``); after a
drop a new connection gets the same config and that audio again, and its
events are shifted by where the replay starts, so token timestamps stay
continuous. Only raw PCM has a known byte rate, so only raw PCM can be cut at
a millisecond.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from soniox_core._errors import SonioxRealtimeReconnectError, SonioxValidationError

from ._audio import audio_bytes_per_second
from ._config import RAW_AUDIO_FORMATS, RealtimeSTTConfig
from ._events import RealtimeEvent

__all__ = ["ReconnectPolicy", "ReplayBuffer", "SonioxRealtimeReconnectError"]

_REPLAY_PIECE = 32 * 1024  # replayed audio goes out in frames of at most this


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """Reconnect a realtime session when its connection drops (never on a server error).

    Args:
        max_attempts: How many new connections to try per drop before giving up
            with ``SonioxRealtimeReconnectError``.
        backoff_sec: The wait before the first attempt; it doubles per attempt.
        max_backoff_sec: The longest wait between attempts.
    """

    max_attempts: int = 3
    backoff_sec: float = 0.5
    max_backoff_sec: float = 5.0

    def __post_init__(self) -> None:
        attempts = self.max_attempts
        if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 1:
            raise SonioxValidationError("must be a positive integer", field="reconnect.max_attempts")
        for name in ("backoff_sec", "max_backoff_sec"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise SonioxValidationError("must be a number of seconds >= 0", field=f"reconnect.{name}")

    def delay(self, attempt: int) -> float:
        """The wait before attempt number ``attempt`` (1-based)."""
        return float(min(self.max_backoff_sec, self.backoff_sec * 2 ** (attempt - 1)))


def check_reconnect(policy: ReconnectPolicy | None, config: RealtimeSTTConfig) -> None:
    """A reconnect policy needs raw PCM (a known byte rate); raises ``SonioxValidationError``."""
    if policy is None:
        return
    if not isinstance(policy, ReconnectPolicy):
        raise SonioxValidationError("must be a ReconnectPolicy or None", field="reconnect")
    if config.audio_format not in RAW_AUDIO_FORMATS or audio_bytes_per_second(config) is None:
        raise SonioxValidationError(
            "reconnecting needs raw PCM audio (audio_format, sample_rate, num_channels) to replay from "
            "an exact position",
            field="reconnect",
        )


class ReplayBuffer:
    """The audio not yet final, and the shift for the events of a replacement connection."""

    def __init__(self, config: RealtimeSTTConfig) -> None:
        rate = audio_bytes_per_second(config)
        assert rate is not None  # check_reconnect ran first
        width = RAW_AUDIO_FORMATS[config.audio_format] * (config.num_channels or 1)
        self._bytes_per_ms = rate / 1000
        self._frame = width  # cut only between whole sample frames
        self._audio = bytearray()
        self._start_ms = 0.0  # where, in the whole stream, the buffer starts
        self.offset_ms = 0  # added to the timestamps of the current connection
        self.reconnects = 0
        self.finished = False  # the end of audio was sent (replayed too after a drop)

    def add(self, chunk: bytes) -> None:
        """Audio the caller sent."""
        self._audio += chunk

    @property
    def pending_bytes(self) -> int:
        return len(self._audio)

    def on_event(self, event: RealtimeEvent) -> RealtimeEvent:
        """Shift ``event`` onto the whole stream's timeline, then drop the audio it made final."""
        offset = self.offset_ms
        if offset:
            for token in event.tokens:
                if token.start_ms is not None:
                    token.start_ms += offset
                if token.end_ms is not None:
                    token.end_ms += offset
            if event.final_audio_proc_ms is not None:
                event.final_audio_proc_ms += offset
            if event.total_audio_proc_ms is not None:
                event.total_audio_proc_ms += offset
        if self.reconnects:
            event.reconnected = True
        final_ms = event.final_audio_proc_ms
        if final_ms is not None and final_ms > self._start_ms:
            cut = int((final_ms - self._start_ms) * self._bytes_per_ms)
            cut -= cut % self._frame
            cut = min(cut, len(self._audio) - len(self._audio) % self._frame)
            if cut > 0:
                del self._audio[:cut]
                self._start_ms += cut / self._bytes_per_ms
        return event

    def start_replay(self) -> Iterator[bytes]:
        """A new connection begins: its timestamps start where the buffer does; the audio to send."""
        self.reconnects += 1
        self.offset_ms = round(self._start_ms)
        audio = bytes(self._audio)
        for start in range(0, len(audio), _REPLAY_PIECE):
            yield audio[start : start + _REPLAY_PIECE]
