"""A realtime text-to-speech connection as bytes in and bytes out.

``TTSSession`` puts the message machine (``TTSProtocol``) inside a client
WebSocket: it frames the protocol's JSON messages, unframes the service's, and
answers pings and closes. Drivers move its bytes and keep the time. The
WebSocket part is the only piece that knows about frames, so moving to another
sans-I/O WebSocket implementation touches this module alone.
"""

from __future__ import annotations

import enum

import msgspec
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState as WSState
from wsproto.events import (
    AcceptConnection,
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

from .._events import SonioxRealtimeTimeoutError
from .._handshake import Endpoint
from ._protocol import TTSProtocol

__all__ = ["SocketState", "TTSSession"]

_MAX_REJECT_BODY = 2048


class SocketState(str, enum.Enum):
    """Where the WebSocket under a text-to-speech connection stands."""

    CONNECTING = "connecting"  # upgrade request sent, waiting for 101
    OPEN = "open"
    CLOSING = "closing"  # our close frame went out; waiting for the answer
    CLOSED = "closed"
    FAILED = "failed"


# (state, input) -> next state; an input missing for a state leaves it unchanged
# (the socket's inputs come from the network, which may repeat itself).
_SOCKET_TRANSITIONS: dict[tuple[SocketState, str], SocketState] = {
    (SocketState.CONNECTING, "accepted"): SocketState.OPEN,
    (SocketState.CONNECTING, "failure"): SocketState.FAILED,
    (SocketState.CONNECTING, "close"): SocketState.CLOSED,
    (SocketState.CONNECTING, "remote_close"): SocketState.FAILED,
    (SocketState.OPEN, "close"): SocketState.CLOSING,
    (SocketState.OPEN, "remote_close"): SocketState.CLOSED,
    (SocketState.OPEN, "failure"): SocketState.FAILED,
    (SocketState.CLOSING, "remote_close"): SocketState.CLOSED,
    (SocketState.CLOSING, "failure"): SocketState.CLOSED,
}


class TTSSession:
    """One text-to-speech WebSocket connection, sans-IO.

    Typical driver loop::

        session = TTSSession(endpoint, headers)
        session.start()
        write(session.data_to_send())
        while not session.handshake_complete:
            session.receive_data(read() or None)
        session.protocol.started(now)
        stream = session.protocol.open_stream(config, now)
        write(session.data_to_send())
    """

    def __init__(self, endpoint: Endpoint, headers: list[tuple[bytes, bytes]], protocol: TTSProtocol) -> None:
        self.endpoint = endpoint
        self.protocol = protocol
        self._headers = list(headers)
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._state = SocketState.CONNECTING
        self._out = bytearray()
        self._text_parts: list[str] = []
        self._reject_status: int | None = None
        self._reject_body = bytearray()
        self._error: SonioxRealtimeError | None = None
        self._eof = False
        self._started = False
        self.handshake_complete = False
        self.close_code: int | None = None

    @property
    def state(self) -> SocketState:
        """Where the socket stands (see ``SocketState``)."""
        return self._state

    @property
    def error(self) -> SonioxRealtimeError | None:
        """Why the connection failed, once it has."""
        return self._error

    def _apply(self, event: str) -> None:
        self._state = _SOCKET_TRANSITIONS.get((self._state, event), self._state)

    @property
    def awaiting_close(self) -> bool:
        """True while our close frame waits for the server's answer."""
        return not self._eof and self._ws.state is WSState.LOCAL_CLOSING

    @property
    def connection_closed(self) -> bool:
        """True once nothing more can be read."""
        return self._eof or self._ws.state is WSState.CLOSED

    # --- outgoing ---------------------------------------------------------------------------

    def start(self) -> None:
        """Queue the upgrade request."""
        if self._started:
            raise SonioxRealtimeError("Realtime text-to-speech connection already started")
        self._started = True
        self._out += self._ws.send(
            Request(host=self.endpoint.host_header, target=self.endpoint.target, extra_headers=self._headers)
        )

    def _frame_messages(self) -> None:
        if not self.protocol.has_messages_to_send:
            return
        messages = self.protocol.messages_to_send()
        if self._ws.state is not WSState.OPEN:
            return  # the protocol refuses sends once closed; a race with the close drops them
        try:
            for message in messages:
                self._out += self._ws.send(TextMessage(data=message))
        except LocalProtocolError as exc:
            raise SonioxRealtimeError(f"Cannot send on this connection: {exc}") from None

    @property
    def has_data_to_send(self) -> bool:
        """Whether ``data_to_send()`` would return anything."""
        return bool(self._out) or self.protocol.has_messages_to_send

    @property
    def pending_bytes(self) -> int:
        """How many bytes wait to be written (lets a driver apply backpressure)."""
        self._frame_messages()
        return len(self._out)

    def data_to_send(self) -> bytes:
        """Bytes the driver must write to the socket now (possibly empty)."""
        self._frame_messages()
        data = bytes(self._out)
        self._out.clear()
        return data

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Queue a close frame (if still open); every stream not yet complete fails."""
        self._frame_messages()
        if self._ws.state is WSState.OPEN:
            self._out += self._ws.send(CloseConnection(code=code, reason=reason))
        self._apply("close")
        self.protocol.connection_ended(SonioxRealtimeError("Realtime text-to-speech connection was closed"))

    # --- incoming ------------------------------------------------------------------------------

    def receive_data(self, data: bytes | None) -> None:
        """Feed bytes read from the socket; ``None`` means the peer closed it (EOF)."""
        if self._eof:
            return
        if data is None:
            self._eof = True
        try:
            if self._ws.state is not WSState.CLOSED:
                self._ws.receive_data(data)
                for event in self._ws.events():
                    self._handle(event)
        except RemoteProtocolError as exc:
            what = "Protocol error" if self.handshake_complete else "Failed to start realtime text-to-speech"
            self.fail(SonioxRealtimeError(f"{what}: {exc}"))
        if data is None:
            self._on_eof()

    def _on_eof(self) -> None:
        if not self.handshake_complete:
            if self._reject_status is not None:
                self._reject()
            else:
                self.fail(SonioxRealtimeError("Failed to start realtime text-to-speech: connection closed"))
            return
        if self._state is SocketState.OPEN:
            self.fail(SonioxRealtimeError("Connection lost (no close frame)"))
        self._apply("remote_close")
        self.protocol.connection_ended()

    def _handle(self, event: Event) -> None:
        if isinstance(event, AcceptConnection):
            self.handshake_complete = True
            self._apply("accepted")
        elif isinstance(event, TextMessage):
            self._text_parts.append(event.data)
            if event.message_finished:
                text = "".join(self._text_parts)
                self._text_parts.clear()
                self.protocol.receive_message(text)
                if self.protocol.error is not None and self._error is None:
                    self._error = self.protocol.error
        elif isinstance(event, Ping):
            if self._ws.state is WSState.OPEN:
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
        # Binary frames carry nothing for this protocol (audio comes as base64 text).

    def _on_close(self, event: CloseConnection) -> None:
        if self._eof:
            return  # wsproto's stand-in for a lost connection; _on_eof says so better
        if self._ws.state is WSState.REMOTE_CLOSING:
            self._out += self._ws.send(event.response())
        self.close_code = event.code
        reason = f": {event.reason}" if event.reason else ""
        self._apply("remote_close")
        self.protocol.connection_ended(
            SonioxRealtimeError(f"The server closed the connection (close code {event.code}{reason})")
        )

    def _reject(self) -> None:
        status = self._reject_status
        body = bytes(self._reject_body)
        message = f"Failed to start realtime text-to-speech: HTTP {status}"
        code = status
        try:
            parsed = msgspec.json.decode(body) if body else None
        except msgspec.DecodeError:
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("error_message"), str):
            message += f": {parsed['error_message']}"
            if isinstance(parsed.get("error_code"), int):
                code = parsed["error_code"]
        elif body:
            message += f": {body[:200].decode('utf-8', 'replace')}"
        self._reject_status = None
        self.fail(SonioxRealtimeError(message, code=code))

    # --- failures the driver reports -------------------------------------------------------------

    def fail(self, error: SonioxRealtimeError) -> None:
        """Record a connection-level failure: every open stream raises it."""
        if self._error is None:
            self._error = error
        self._apply("failure")
        self.protocol.fail(error)

    def handshake_error(self) -> SonioxRealtimeError | None:
        """Why the opening handshake failed, or ``None``."""
        if not self.handshake_complete and self._error is not None:
            return SonioxRealtimeError(self._error.message, code=self._error.code)
        return None

    def not_open_error(self) -> SonioxRealtimeError:
        """What a call raises while there is no socket."""
        if self._error is not None:
            return type(self._error)(self._error.message, code=self._error.code)
        return SonioxRealtimeError("Realtime text-to-speech connection is not connected")

    def send_timed_out(self) -> SonioxRealtimeTimeoutError:
        """The socket took too long to accept our bytes."""
        self.fail(SonioxRealtimeTimeoutError("Timed out sending to the server"))
        return SonioxRealtimeTimeoutError("Timed out sending to the server")

    def send_failed(self) -> SonioxRealtimeError:
        """Writing to the socket failed."""
        if self._error is None:
            self.fail(SonioxRealtimeError("Connection lost while sending"))
        error = self._error or SonioxRealtimeError("Connection lost while sending")
        return SonioxRealtimeError(error.message, code=error.code)
