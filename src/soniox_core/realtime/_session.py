"""The realtime speech-to-text session as a sans-IO state machine.

It speaks bytes: the driver feeds it what the socket read (``receive_data``),
writes out what it asks for (``data_to_send``), and hands it the time whenever
something time-related happens. Everything about the protocol lives here, once,
for the async and the sync client alike.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Mapping
from typing import Any

import msgspec
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Event,
    Ping,
    RejectConnection,
    RejectData,
    Request,
    TextMessage,
)
from wsproto.utilities import LocalProtocolError, RemoteProtocolError

from soniox_core._errors import SonioxRealtimeError

from ._config import RealtimeSTTConfig, coerce_config, config_payload
from ._events import RealtimeEvent, SonioxRealtimeTimeoutError, error_from_event, parse_event
from ._handshake import Endpoint
from ._keepalive import DEFAULT_KEEPALIVE_INTERVAL_SEC, KeepaliveSchedule

__all__ = ["END", "NEED_DATA", "RealtimeSession", "SessionState", "Signal"]


class SessionState(str, enum.Enum):
    """Where a realtime session stands."""

    CONNECTING = "connecting"  # upgrade request sent, waiting for 101
    STREAMING = "streaming"  # config sent; audio and control messages flow
    FINISHING = "finishing"  # end of audio sent; waiting for the last results
    FINISHED = "finished"  # the `finished` message arrived; only the close remains
    CLOSING = "closing"  # we sent a close frame and wait for the server's reply
    CLOSED = "closed"  # the connection is over, cleanly
    FAILED = "failed"  # an error message, a protocol error or a lost connection


class Signal(enum.Enum):
    """What ``next_event`` returns when it has no event to give."""

    NEED_DATA = "need_data"  # read more from the socket
    END = "end"  # the session is over; no more events will come


NEED_DATA = Signal.NEED_DATA
END = Signal.END

_S = SessionState

# (state, input) -> next state. An input missing for a state leaves it unchanged.
_TRANSITIONS: Mapping[tuple[SessionState, str], SessionState] = {
    (_S.CONNECTING, "accepted"): _S.STREAMING,
    (_S.CONNECTING, "failure"): _S.FAILED,
    (_S.CONNECTING, "close"): _S.CLOSED,
    (_S.STREAMING, "finish"): _S.FINISHING,
    (_S.STREAMING, "finished"): _S.FINISHED,
    (_S.STREAMING, "close"): _S.CLOSING,
    (_S.STREAMING, "remote_close"): _S.FAILED,
    (_S.STREAMING, "failure"): _S.FAILED,
    (_S.FINISHING, "finished"): _S.FINISHED,
    (_S.FINISHING, "close"): _S.CLOSING,
    (_S.FINISHING, "remote_close"): _S.FAILED,
    (_S.FINISHING, "failure"): _S.FAILED,
    (_S.FINISHED, "close"): _S.CLOSING,
    (_S.FINISHED, "remote_close"): _S.CLOSED,
    (_S.FINISHED, "failure"): _S.FAILED,
    (_S.CLOSING, "remote_close"): _S.CLOSED,
    (_S.CLOSING, "failure"): _S.FAILED,
}

# What the caller may send in each state; anything else is refused (or, for
# the idempotent ones listed in _NO_OPS, quietly ignored).
_ALLOWED: Mapping[SessionState, frozenset[str]] = {
    _S.CONNECTING: frozenset(),
    _S.STREAMING: frozenset({"audio", "keepalive", "finalize", "finish"}),
    _S.FINISHING: frozenset(),
    _S.FINISHED: frozenset(),
    _S.CLOSING: frozenset(),
    _S.CLOSED: frozenset(),
    _S.FAILED: frozenset(),
}
# finish() may be called again (close paths call it too): the empty frame still
# goes out only once. A keepalive after the end of audio has nothing to keep alive.
_NO_OPS: Mapping[SessionState, frozenset[str]] = {
    _S.FINISHING: frozenset({"finish", "keepalive"}),
    _S.FINISHED: frozenset({"finish", "keepalive"}),
    _S.CLOSING: frozenset({"finish", "keepalive"}),
    _S.CLOSED: frozenset({"finish", "keepalive"}),
}

_KEEPALIVE = msgspec.json.encode({"type": "keepalive"}).decode()
_FINALIZE = msgspec.json.encode({"type": "finalize"}).decode()
_MAX_REJECT_BODY = 2048


class _ErrorMarker:
    """Stands in the event queue where the error happened, so earlier events come first."""

    __slots__ = ("error", "event")

    def __init__(self, error: SonioxRealtimeError, event: RealtimeEvent | None) -> None:
        self.error = error
        self.event = event


class RealtimeSession:
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
        self._config_message = msgspec.json.encode(config_payload(self.config)).decode()
        self.endpoint = endpoint
        self._headers = list(headers)
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._schedule = KeepaliveSchedule(keepalive_interval_sec)
        self._state = SessionState.CONNECTING
        self._out = bytearray()
        # Each item keeps the message as received, for readers of raw messages (recv_bytes).
        self._queue: deque[tuple[RealtimeEvent | _ErrorMarker, str | None]] = deque()
        self._raw_in_flight: str | None = None  # the message being handled, if any
        self._text_parts: list[str] = []
        self._reject_status: int | None = None
        self._reject_body = bytearray()
        self._error: SonioxRealtimeError | None = None
        self._started = False
        self.handshake_complete = False
        self._eof = False
        self.paused = False
        self.last_message: RealtimeEvent | None = None
        self.audio_bytes_sent = 0
        self.keepalives_sent = 0
        self.close_code: int | None = None

    # --- state ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        """The current state (see ``SessionState``)."""
        return self._state

    @property
    def error(self) -> SonioxRealtimeError | None:
        """Why the session failed, once it has."""
        return self._error

    @property
    def awaiting_close(self) -> bool:
        """True while our close frame waits for the server's answer."""
        return not self._eof and self._ws.state is ConnectionState.LOCAL_CLOSING

    @property
    def connection_closed(self) -> bool:
        """True once nothing more can be read: both closes exchanged, or EOF."""
        return self._eof or self._ws.state is ConnectionState.CLOSED

    def _apply(self, event: str) -> None:
        self._state = _TRANSITIONS.get((self._state, event), self._state)

    def _check(self, action: str) -> bool:
        """True if ``action`` should go out now, False if it is a no-op; raise if refused."""
        if action in _ALLOWED[self._state]:
            return True
        if action in _NO_OPS.get(self._state, frozenset()):
            return False
        if self._error is not None:
            raise _copy(self._error)
        if self._state is SessionState.CONNECTING:
            raise SonioxRealtimeError("Realtime session is not connected")
        if self._state is SessionState.FINISHING or self._state is SessionState.FINISHED:
            raise SonioxRealtimeError(f"Cannot send {action} after the end of audio")
        raise SonioxRealtimeError("Realtime session is closed")

    def _fail(self, error: SonioxRealtimeError, event: RealtimeEvent | None = None) -> None:
        # A session that already ended cleanly stays clean: a late timeout or a
        # broken socket during the closing handshake loses nothing.
        if self._state is SessionState.CLOSED:
            return
        if self._error is None:
            self._error = error
            self._queue.append((_ErrorMarker(error, event), self._raw_in_flight if event else None))
        self._apply("failure")

    # --- outgoing -----------------------------------------------------------------

    def start(self, now: float) -> None:
        """Queue the upgrade request. ``now`` starts the keepalive schedule."""
        if self._started:
            raise SonioxRealtimeError("Realtime session already started")
        self._started = True
        self._out += self._ws.send(
            Request(
                host=self.endpoint.host_header,
                target=self.endpoint.target,
                extra_headers=self._headers,
            )
        )
        self._schedule.note_activity(now)

    @property
    def has_data_to_send(self) -> bool:
        """Whether ``data_to_send()`` would return anything (lets drivers skip a lock)."""
        return bool(self._out)

    @property
    def pending_bytes(self) -> int:
        """How many bytes wait for ``data_to_send()`` (lets a driver apply backpressure)."""
        return len(self._out)

    def data_to_send(self) -> bytes:
        """Bytes the driver must write to the socket now (possibly empty)."""
        data = bytes(self._out)
        self._out.clear()
        return data

    def _send(self, event: Event) -> None:
        try:
            self._out += self._ws.send(event)
        except LocalProtocolError as exc:
            raise SonioxRealtimeError(f"Cannot send on this connection: {exc}") from None

    def send_audio(self, chunk: bytes, now: float) -> bool:
        """Queue one binary audio frame. Returns False if dropped because paused.

        An empty chunk is ignored: on the wire it would mean the end of audio,
        which only ``finish()`` may say.
        """
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise SonioxRealtimeError(f"Audio must be bytes, not {type(chunk).__name__}")
        if not self._check("audio"):
            return False
        if self.paused or len(chunk) == 0:
            return False
        self._send(BytesMessage(data=bytes(chunk)))
        self.audio_bytes_sent += len(chunk)
        self._schedule.note_activity(now)
        return True

    def keep_alive(self, now: float) -> None:
        """Queue a keepalive message."""
        if self._check("keepalive"):
            self._send(TextMessage(data=_KEEPALIVE))
            self.keepalives_sent += 1
            self._schedule.note_activity(now)

    def finalize(self, *, trailing_silence_ms: int | None = None) -> None:
        """Queue a finalize request: the server turns all pending tokens final, then ``<fin>``."""
        if self._check("finalize"):
            if trailing_silence_ms is None:
                message = _FINALIZE
            else:
                message = msgspec.json.encode(
                    {"type": "finalize", "trailing_silence_ms": trailing_silence_ms}
                ).decode()
            self._send(TextMessage(data=message))

    def finish(self) -> None:
        """Queue the empty frame that ends the audio; later calls do nothing."""
        if self._check("finish"):
            self._send(TextMessage(data=""))
            self._apply("finish")

    def pause(self, *, finalize: bool = True) -> None:
        """Stop sending audio (chunks are dropped) until ``resume()``; keepalives continue."""
        if self.paused:
            return
        if finalize:
            self.finalize()
        else:
            self._check("keepalive")
        self.paused = True

    def resume(self) -> None:
        """Let audio through again after ``pause()``."""
        self.paused = False

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Queue a close frame (if the connection is still open) and stop sending."""
        if self._ws.state is ConnectionState.OPEN:
            self._out += self._ws.send(CloseConnection(code=code, reason=reason))
        self._apply("close")

    # --- keepalive timer ------------------------------------------------------------

    def next_keepalive_at(self) -> float | None:
        """When a keepalive falls due, or ``None`` if none is needed in this state.

        Keepalives are due whenever no audio or keepalive went out for the
        interval, paused or not, so an idle stream is never closed by the server.
        """
        if self._state is not SessionState.STREAMING:
            return None
        return self._schedule.due_at()

    def handle_timer(self, now: float) -> bool:
        """Queue a keepalive if one is due at ``now``; tells whether it did."""
        if self._state is SessionState.STREAMING and self._schedule.is_due(now):
            self.keep_alive(now)
            return True
        return False

    # --- incoming -------------------------------------------------------------------

    def receive_data(self, data: bytes | None) -> None:
        """Feed bytes read from the socket; ``None`` means the peer closed it (EOF)."""
        if self._eof:
            return
        if data is None:
            self._eof = True
        try:
            if self._ws.state is not ConnectionState.CLOSED:
                self._ws.receive_data(data)
                for event in self._ws.events():
                    self._handle(event)
        except RemoteProtocolError as exc:
            what = "Failed to start realtime session" if self._connecting else "Protocol error"
            self._fail(SonioxRealtimeError(f"{what}: {exc}"))
        if data is None:
            self._on_eof()

    @property
    def _connecting(self) -> bool:
        return self._state is SessionState.CONNECTING

    def _on_eof(self) -> None:
        if self._connecting:
            if self._reject_status is not None:
                self._reject()
            else:
                self._fail(SonioxRealtimeError("Failed to start realtime session: connection closed"))
        elif self._state in (SessionState.STREAMING, SessionState.FINISHING):
            self._fail(SonioxRealtimeError("Connection lost before the session finished (no close frame)"))
        else:
            self._apply("remote_close")

    def _handle(self, event: Event) -> None:
        if isinstance(event, AcceptConnection):
            self.handshake_complete = True
            self._apply("accepted")
            self._send(TextMessage(data=self._config_message))
        elif isinstance(event, TextMessage):
            self._text_parts.append(event.data)
            if event.message_finished:
                text = "".join(self._text_parts)
                self._text_parts.clear()
                self._on_message(text)
        elif isinstance(event, Ping):
            if self._ws.state is ConnectionState.OPEN:
                self._out += self._ws.send(event.response())
        elif isinstance(event, CloseConnection):
            self._on_close(event)
        elif isinstance(event, RejectConnection):
            self._reject_status = event.status_code
            if not event.has_body:
                self._reject()
        elif isinstance(event, RejectData):
            if len(self._reject_body) < _MAX_REJECT_BODY:
                self._reject_body += event.data
            if event.body_finished:
                self._reject()
        # Binary frames and pongs carry nothing for a speech-to-text client.

    def _on_message(self, text: str) -> None:
        try:
            event = parse_event(text)
        except SonioxRealtimeError as exc:
            self._fail(exc)
            # 1007: the payload was not what the protocol promised.
            if self._ws.state is ConnectionState.OPEN:
                self._out += self._ws.send(CloseConnection(code=1007, reason="malformed message"))
            return
        if self._state in (SessionState.FAILED, SessionState.CLOSED):
            return
        if event.is_error:
            self._raw_in_flight = text
            try:
                self._fail(error_from_event(event), event)
            finally:
                self._raw_in_flight = None
            return
        self._queue.append((event, text))
        if event.finished:
            self._apply("finished")

    def _on_close(self, event: CloseConnection) -> None:
        if self._eof:
            return  # wsproto's stand-in for a lost connection; _on_eof says so better
        if self._ws.state is ConnectionState.REMOTE_CLOSING:
            self._out += self._ws.send(event.response())
        if self._state in (SessionState.STREAMING, SessionState.FINISHING):
            self.close_code = event.code
            reason = f": {event.reason}" if event.reason else ""
            self._fail(
                SonioxRealtimeError(
                    f"The server closed the connection before the session finished "
                    f"(close code {event.code}{reason})"
                )
            )
        else:
            self.close_code = event.code
            self._apply("remote_close")

    def _reject(self) -> None:
        status = self._reject_status
        body = bytes(self._reject_body)
        message = f"Failed to start realtime session: HTTP {status}"
        code = status
        try:
            parsed = parse_event(body) if body else None
        except SonioxRealtimeError:
            parsed = None
        if parsed is not None and parsed.error_message:
            message += f": {parsed.error_message}"
            code = parsed.error_code or status
        elif body:
            message += f": {body[:200].decode('utf-8', 'replace')}"
        self._reject_status = None
        self._fail(SonioxRealtimeError(message, code=code))

    # --- events for the caller ---------------------------------------------------------

    def next_event(self) -> RealtimeEvent | Signal:
        """The next server event, ``NEED_DATA`` or ``END``; raises once the session failed.

        Events that arrived before an error are handed out first. An error
        message is recorded as ``last_message`` and then raised as
        ``SonioxRealtimeError`` with the server's code and message.
        """
        if self._queue:
            item, _ = self._queue.popleft()
            if isinstance(item, _ErrorMarker):
                if item.event is not None:
                    self.last_message = item.event
                raise _copy(item.error)
            self.last_message = item
            return item
        return self._signal()

    def _signal(self) -> Signal:
        if self._error is not None:
            raise _copy(self._error)
        if self._state in (SessionState.FINISHED, SessionState.CLOSED):
            return END
        if self._state is SessionState.CLOSING and self.connection_closed:
            return END
        return NEED_DATA

    def next_raw(self) -> str | Signal:
        """The next server message as received (text), ``NEED_DATA`` or ``END``.

        Like ``next_event`` but without parsing for the caller: an error message
        is returned as it came, not raised (a later call raises it). Failures
        that are not messages (a lost connection, a timeout) raise.
        """
        if self._queue:
            item, raw = self._queue.popleft()
            if isinstance(item, _ErrorMarker):
                if item.event is not None:
                    self.last_message = item.event
                if raw is None:
                    raise _copy(item.error)
                return raw
            self.last_message = item
            return raw if raw is not None else msgspec.json.encode(item).decode()
        return self._signal()

    def fail(self, error: SonioxRealtimeError) -> None:
        """Record a failure the driver saw (a timeout, a broken socket)."""
        self._fail(error)

    # --- what the driver raises when its I/O goes wrong ---------------------------------
    # Each records the failure (so a waiting reader raises it too) and returns the
    # error for the driver to raise.

    def fail_from(self, exc: BaseException, doing: str) -> None:
        """Record why a background job (keepalives, sending audio) stopped: ``"{doing} failed"``."""
        if not isinstance(exc, SonioxRealtimeError):
            exc = SonioxRealtimeError(f"{doing} failed: {exc!r}")
        self._fail(exc)

    def not_open_error(self) -> SonioxRealtimeError:
        """What a call raises while there is no socket: why the session failed, else not connected."""
        if self._error is not None:
            return _copy(self._error)  # keeps its class: a timeout stays a timeout
        return SonioxRealtimeError("Realtime session is not connected")

    def handshake_error(self) -> SonioxRealtimeError | None:
        """Why the opening handshake failed, or ``None``.

        An error message that came right behind the 101 is not a handshake
        failure: it is left for ``next_event``, as it would be a moment later.
        """
        if not self.handshake_complete and self._error is not None:
            return SonioxRealtimeError(self._error.message, code=self._error.code)
        return None

    def send_timed_out(self) -> SonioxRealtimeTimeoutError:
        """The socket took too long to accept our bytes."""
        self._fail(SonioxRealtimeTimeoutError("Timed out sending to the server"))
        return SonioxRealtimeTimeoutError("Timed out sending to the server")

    def send_failed(self) -> SonioxRealtimeError:
        """Writing to the socket failed: the failure already recorded, else a lost connection."""
        if self._error is None:
            self._fail(SonioxRealtimeError("Connection lost while sending"))
        error = self._error or SonioxRealtimeError("Connection lost while sending")
        return SonioxRealtimeError(error.message, code=error.code)

    def receive_timed_out(self, timeout_sec: float) -> SonioxRealtimeTimeoutError | None:
        """The server was silent for ``timeout_sec``; ``None`` while paused (wait again)."""
        if self.paused:
            return None
        error = SonioxRealtimeTimeoutError(f"No message from the server for {timeout_sec:g} s")
        self._fail(error)
        return error


def _copy(error: SonioxRealtimeError) -> SonioxRealtimeError:
    # A fresh instance per raise: re-raising one object grows its traceback.
    return type(error)(error.message, code=error.code)
