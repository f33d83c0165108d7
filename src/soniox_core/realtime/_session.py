"""The realtime speech-to-text session as a sans-IO state machine.

It speaks bytes: the driver feeds it what the socket read (``receive_data``),
writes out what it asks for (``data_to_send``), and hands it the time whenever
something time-related happens. The WebSocket itself is
``soniox_core.websocket``'s; the states are the table in ``_state.py``.
Everything about the protocol lives here, once, for every driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from soniox_core._errors import SonioxRealtimeError
from soniox_core.websocket import (
    END,
    NEED_DATA,
    Endpoint,
    Rejected,
    Signal,
    StateMachine,
    UnexpectedInput,
    WebSocketSession,
)

from ._config import RealtimeSTTConfig, coerce_config, config_payload
from ._events import RealtimeEvent, error_from_event, parse_event
from ._keepalive import DEFAULT_KEEPALIVE_INTERVAL_SEC, KeepaliveSchedule
from ._state import IGNORED, TRANSITIONS, Input, SessionState

__all__ = ["END", "NEED_DATA", "RealtimeSession", "SessionState", "Signal"]

_KEEPALIVE = msgspec.json.encode({"type": "keepalive"})
_FINALIZE = msgspec.json.encode({"type": "finalize"})


class RealtimeSession(WebSocketSession[RealtimeEvent]):
    """One realtime speech-to-text session, as bytes in and bytes out.

    Typical driver loop::

        session = RealtimeSession(config, endpoint, headers)
        session.start(now)
        write(session.data_to_send())
        while (item := session.next_event()) is not END:
            if item is NEED_DATA:
                session.receive_data(read() or None)
                write(session.data_to_send())   # pongs, close replies
            else:
                handle(item)

    The config is checked in the constructor, so a bad one raises
    ``SonioxValidationError`` before any connection exists.
    """

    def __init__(
        self,
        config: RealtimeSTTConfig | Mapping[str, Any],
        endpoint: Endpoint,
        headers: list[tuple[bytes, bytes]],
        *,
        keepalive_interval_sec: float = DEFAULT_KEEPALIVE_INTERVAL_SEC,
    ) -> None:
        self.config = coerce_config(config)
        super().__init__(endpoint, headers)
        self._config_message = msgspec.json.encode(config_payload(self.config))
        self._machine: StateMachine[SessionState, Input] = StateMachine(
            TRANSITIONS, SessionState.CONNECTING, IGNORED
        )
        self._schedule = KeepaliveSchedule(keepalive_interval_sec)
        self.paused = False
        self.audio_bytes_sent = 0
        self.keepalives_sent = 0
        # Each queued message as it came, by the queued item's id, for recv_bytes.
        self._raw_of: dict[int, bytes] = {}
        self._last_raw: bytes | None = None

    @property
    def state(self) -> SessionState:
        """The current state (see ``SessionState``)."""
        return self._machine.state

    def _accept(self, what: Input) -> bool:
        """Move on a caller's input: True to send, False for a harmless repeat; else raise."""
        try:
            return self._machine.apply(what)
        except UnexpectedInput:
            raise self._refusal(what) from None

    def _refusal(self, what: Input) -> SonioxRealtimeError:
        state = self._machine.state
        if self._error is not None:
            return type(self._error)(self._error.message, code=self._error.code)
        if state is SessionState.CONNECTING:
            return SonioxRealtimeError("Realtime session is not connected")
        if state is SessionState.FINISHING or state is SessionState.FINISHED:
            return SonioxRealtimeError(f"Cannot send {what.value} after the end of audio")
        return SonioxRealtimeError("Realtime session is closed")

    # --- outgoing -----------------------------------------------------------------

    def _on_start(self, now: float) -> None:
        self._schedule.note_activity(now)

    def send_audio(self, chunk: bytes, now: float) -> bool:
        """Queue one binary audio frame. Returns False if dropped because paused.

        An empty chunk is ignored: on the wire it would mean the end of audio,
        which only ``finish()`` may say.
        """
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise SonioxRealtimeError(f"Audio must be bytes, not {type(chunk).__name__}")
        self._accept(Input.AUDIO)
        if self.paused or len(chunk) == 0:
            return False
        self._send_binary(chunk)
        self.audio_bytes_sent += len(chunk)
        self._schedule.note_activity(now)
        return True

    def keep_alive(self, now: float) -> None:
        """Queue a keepalive message."""
        if self._accept(Input.KEEPALIVE):
            self._send_text(_KEEPALIVE)
            self.keepalives_sent += 1
            self._schedule.note_activity(now)

    def finalize(self, *, trailing_silence_ms: int | None = None) -> None:
        """Queue a finalize request: the server turns all pending tokens final, then ``<fin>``."""
        self._accept(Input.FINALIZE)
        if trailing_silence_ms is None:
            self._send_text(_FINALIZE)
        else:
            self._send_text(
                msgspec.json.encode({"type": "finalize", "trailing_silence_ms": trailing_silence_ms})
            )

    def finish(self) -> None:
        """Queue the empty frame that ends the audio; later calls do nothing."""
        if self._machine.state is SessionState.STREAMING:
            self._send_text(b"")
        self._accept(Input.FINISH)

    def pause(self, *, finalize: bool = True) -> None:
        """Stop sending audio (chunks are dropped) until ``resume()``; keepalives continue."""
        if self.paused:
            return
        if finalize:
            self.finalize()
        else:
            self._accept(Input.KEEPALIVE)  # refused when not connected or closed
        self.paused = True

    def resume(self) -> None:
        """Let audio through again after ``pause()``."""
        self.paused = False

    def _on_local_close(self) -> None:
        self._machine.apply(Input.CLOSE)

    # --- keepalive timer ------------------------------------------------------------

    def next_keepalive_at(self) -> float | None:
        """When a keepalive falls due, or ``None`` if none is needed in this state.

        Keepalives are due whenever no audio or keepalive went out for the
        interval, paused or not, so an idle stream is never closed by the server.
        """
        if self._machine.state is not SessionState.STREAMING:
            return None
        return self._schedule.due_at()

    next_timer_at = next_keepalive_at

    def handle_timer(self, now: float) -> bool:
        """Queue a keepalive if one is due at ``now``; tells whether it did."""
        if self._machine.state is SessionState.STREAMING and self._schedule.is_due(now):
            self.keep_alive(now)
            return True
        return False

    def _receive_timeout_suspended(self) -> bool:
        return self.paused  # a paused stream may stay silent

    # --- incoming -------------------------------------------------------------------

    def _on_open(self) -> None:
        self._machine.apply(Input.OPENED)
        # A server that closed right behind its 101 (same read) gets no config.
        if self._can_send:
            self._send_text(self._config_message)

    def _on_message(self, data: bytes, is_text: bool) -> None:
        state = self._machine.state
        if not is_text or state is SessionState.FAILED or state is SessionState.CLOSED:
            return  # binary frames carry nothing for speech-to-text; late messages are moot
        try:
            event = parse_event(data)
        except SonioxRealtimeError as exc:
            self._fail(exc)
            # 1007: the payload was not what the protocol promised.
            self._send_close(1007, "malformed message")
            return
        if event.is_error:
            self._fail(error_from_event(event), event)
            if self._queue and getattr(self._queue[-1], "event", None) is event:
                self._raw_of[id(self._queue[-1])] = data
            return
        self._emit(event)
        self._raw_of[id(event)] = data
        self._machine.apply(Input.FINISHED if event.finished else Input.RESULT)

    def next_event(self) -> RealtimeEvent | Signal:
        """The next event, ``NEED_DATA`` or ``END``; raises once the session failed.

        The message behind the event (or behind a raised server error) stays
        available, once, from ``take_last_raw()``.
        """
        self._last_raw = self._raw_of.pop(id(self._queue[0]), None) if self._queue else None
        return super().next_event()

    def take_last_raw(self) -> bytes | None:
        """The message, as received, of what ``next_event`` last returned or raised; once."""
        raw, self._last_raw = self._last_raw, None
        return raw

    def _on_close_received(self, code: int, reason: str) -> None:
        if self._machine.state in (SessionState.STREAMING, SessionState.FINISHING):
            detail = f": {reason}" if reason else ""
            self.dropped = self._error is None
            self._fail(
                SonioxRealtimeError(
                    "The server closed the connection before the session finished "
                    f"(close code {code}{detail})"
                )
            )
        else:
            self._machine.apply(Input.CLOSE_RECEIVED)

    def _on_connection_lost(self) -> None:
        state = self._machine.state
        if state is SessionState.CONNECTING:
            self._fail(SonioxRealtimeError("Failed to start realtime session: connection closed"))
        elif state in (SessionState.STREAMING, SessionState.FINISHING):
            self.dropped = self._error is None
            self._fail(SonioxRealtimeError("Connection lost before the session finished (no close frame)"))
        else:
            self._machine.apply(Input.CONNECTION_LOST)

    def _on_failure(self) -> None:
        self._machine.apply(Input.FAIL)

    def _accepts_failure(self) -> bool:
        return self._machine.state is not SessionState.CLOSED

    def _rejection_error(self, rejected: Rejected) -> SonioxRealtimeError:
        if rejected.status is None:
            return SonioxRealtimeError(f"Failed to start realtime session: {rejected.reason}")
        message = f"Failed to start realtime session: HTTP {rejected.status}"
        code = rejected.status
        try:
            parsed = parse_event(rejected.body) if rejected.body else None
        except SonioxRealtimeError:
            parsed = None
        if parsed is not None and parsed.error_message:
            message += f": {parsed.error_message}"
            code = parsed.error_code or rejected.status
        elif rejected.body:
            message += f": {rejected.body[:200].decode('utf-8', 'replace')}"
        return SonioxRealtimeError(message, code=code)

    def _is_over(self) -> bool:
        state = self._machine.state
        if state is SessionState.FINISHED or state is SessionState.CLOSED:
            return True
        return state is SessionState.CLOSING and self.connection_closed
