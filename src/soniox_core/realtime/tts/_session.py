"""A realtime text-to-speech connection as bytes in and bytes out.

``TTSSession`` is a ``soniox_core.websocket.WebSocketSession``: the generic
layer does the WebSocket (handshake, framing, pings, close), and this class
plugs the message machine (``TTSProtocol``) into its hooks. Every message the
service sends is routed to its stream inside the protocol; what the session
hands to the driver (``next_event``) is only a ``Routed`` notice, so one reader
can serve every stream and wake the one whose message came.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from soniox_core._errors import SonioxRealtimeError
from soniox_core.websocket import Endpoint, Rejected, StateMachine, WebSocketSession

from ._models import RealtimeTTSConfig
from ._protocol import TTSProtocol, TTSStream

__all__ = ["Routed", "SocketInput", "SocketState", "TTSSession"]


class SocketState(str, enum.Enum):
    """Where the WebSocket under a text-to-speech connection stands."""

    CONNECTING = "connecting"  # upgrade request sent, waiting for 101
    OPEN = "open"
    CLOSING = "closing"  # our close frame went out; waiting for the answer
    CLOSED = "closed"
    FAILED = "failed"


class SocketInput(enum.Enum):
    """What happens to the WebSocket."""

    OPENED = "opened"
    LOCAL_CLOSE = "local_close"
    CLOSE_RECEIVED = "close_received"
    CONNECTION_LOST = "connection_lost"
    FAIL = "fail"


_S = SocketState
_I = SocketInput

SOCKET_TRANSITIONS: Mapping[tuple[SocketState, SocketInput], SocketState] = {
    (_S.CONNECTING, _I.OPENED): _S.OPEN,
    (_S.CONNECTING, _I.FAIL): _S.FAILED,
    (_S.CONNECTING, _I.LOCAL_CLOSE): _S.CLOSED,
    (_S.CONNECTING, _I.CONNECTION_LOST): _S.FAILED,
    (_S.OPEN, _I.LOCAL_CLOSE): _S.CLOSING,
    (_S.OPEN, _I.CLOSE_RECEIVED): _S.CLOSED,
    (_S.OPEN, _I.CONNECTION_LOST): _S.CLOSED,
    (_S.OPEN, _I.FAIL): _S.FAILED,
    (_S.CLOSING, _I.CLOSE_RECEIVED): _S.CLOSED,
    (_S.CLOSING, _I.CONNECTION_LOST): _S.CLOSED,
    (_S.CLOSING, _I.FAIL): _S.CLOSED,  # we were leaving anyway
    (_S.CLOSING, _I.LOCAL_CLOSE): _S.CLOSING,
    (_S.CLOSED, _I.LOCAL_CLOSE): _S.CLOSED,
    (_S.FAILED, _I.LOCAL_CLOSE): _S.FAILED,
    (_S.FAILED, _I.FAIL): _S.FAILED,
}
"""(state, input) -> next state of the socket; any other pair raises ``UnexpectedInput``."""

# Late news about a socket that is already over changes nothing.
SOCKET_IGNORED = frozenset(
    {
        (_S.CLOSED, _I.CLOSE_RECEIVED),
        (_S.CLOSED, _I.CONNECTION_LOST),
        (_S.CLOSED, _I.FAIL),
        (_S.FAILED, _I.CLOSE_RECEIVED),
        (_S.FAILED, _I.CONNECTION_LOST),
    }
)


@dataclass(frozen=True, slots=True)
class Routed:
    """A message arrived and was routed; ``stream`` is whose it was (``None``: connection-level)."""

    stream: TTSStream | None


class TTSSession(WebSocketSession[Routed]):
    """One text-to-speech WebSocket connection, sans-IO, carrying up to five streams.

    ``config`` opens a stream as soon as the connection is up (a single-stream
    connection); without it, streams are opened with ``protocol.open_stream``.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        headers: list[tuple[bytes, bytes]],
        protocol: TTSProtocol,
        *,
        config: RealtimeTTSConfig | None = None,
    ) -> None:
        super().__init__(endpoint, headers)
        self.protocol = protocol
        self.first_stream: TTSStream | None = None
        self._first_config = config
        self._machine: StateMachine[SocketState, SocketInput] = StateMachine(
            SOCKET_TRANSITIONS, SocketState.CONNECTING, SOCKET_IGNORED
        )
        self._now = 0.0

    @property
    def state(self) -> SocketState:
        """Where the socket stands (see ``SocketState``)."""
        return self._machine.state

    # --- outgoing: the protocol's messages become frames here -----------------------------

    def _frame(self) -> None:
        if not self.protocol.has_messages_to_send:
            return
        messages = self.protocol.messages_to_send()
        if not self._can_send:
            return  # closed under a sender: the protocol already failed the streams
        for message in messages:
            self._send_text(message.encode())

    @property
    def has_data_to_send(self) -> bool:
        """Whether ``data_to_send()`` would return anything."""
        return self.protocol.has_messages_to_send or super().has_data_to_send

    @property
    def pending_bytes(self) -> int:
        """How many bytes wait for ``data_to_send()``."""
        self._frame()
        return super().pending_bytes

    def data_to_send(self) -> bytes:
        """Bytes the driver must write to the socket now (possibly empty)."""
        self._frame()
        return super().data_to_send()

    # --- timers ----------------------------------------------------------------------------

    def next_timer_at(self) -> float | None:
        """When the next keepalive falls due, or ``None`` once the connection is over."""
        return self.protocol.next_keepalive_at()

    def handle_timer(self, now: float) -> bool:
        """Queue a keepalive if one is due at ``now``; tells whether it did."""
        return self.protocol.handle_timer(now)

    # --- hooks of the WebSocket layer --------------------------------------------------------

    def _on_start(self, now: float) -> None:
        self._now = now
        self.protocol.started(now)

    def _on_open(self) -> None:
        self._machine.apply(SocketInput.OPENED)
        if self._first_config is not None:
            # Opened even when the server closed right behind its 101 (same read):
            # the stream then raises the server's error, as it would a moment later.
            self.first_stream = self.protocol.open_stream(self._first_config, self._now)
            self._frame()

    def _on_message(self, data: bytes, is_text: bool) -> None:
        if not is_text or self._machine.state is not SocketState.OPEN:
            return  # audio comes as base64 text; binary frames carry nothing here
        stream = self.protocol.receive_message(data)
        if self.protocol.error is not None:
            self._fail(self.protocol.error)
            return
        self._emit(Routed(stream))

    def _on_close_received(self, code: int, reason: str) -> None:
        self._machine.apply(SocketInput.CLOSE_RECEIVED)
        detail = f": {reason}" if reason else ""
        self.protocol.connection_ended(
            SonioxRealtimeError(f"The server closed the connection (close code {code}{detail})")
        )

    def _on_connection_lost(self) -> None:
        if self._machine.state is SocketState.CONNECTING:
            self._fail(SonioxRealtimeError("Failed to start realtime text-to-speech: connection closed"))
            return
        self._machine.apply(SocketInput.CONNECTION_LOST)
        self.protocol.connection_ended(SonioxRealtimeError("Connection lost (no close frame)"))

    def _on_local_close(self) -> None:
        self._machine.apply(SocketInput.LOCAL_CLOSE)
        self.protocol.connection_ended(SonioxRealtimeError("Realtime text-to-speech connection was closed"))

    def _on_failure(self) -> None:
        self._machine.apply(SocketInput.FAIL)
        if self._error is not None:
            self.protocol.fail(self._error)

    def _accepts_failure(self) -> bool:
        return self._machine.state is not SocketState.CLOSED

    def _is_over(self) -> bool:
        state = self._machine.state
        return state is SocketState.CLOSED or (state is SocketState.CLOSING and self.connection_closed)

    def _rejection_error(self, rejected: Rejected) -> SonioxRealtimeError:
        if rejected.status is None:
            return SonioxRealtimeError(f"Failed to start realtime text-to-speech: {rejected.reason}")
        message = f"Failed to start realtime text-to-speech: HTTP {rejected.status}"
        code = rejected.status
        parsed: Any = None
        if rejected.body:
            try:
                parsed = msgspec.json.decode(rejected.body)
            except msgspec.DecodeError:
                parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("error_message"), str):
            message += f": {parsed['error_message']}"
            if isinstance(parsed.get("error_code"), int):
                code = parsed["error_code"]
        elif rejected.body:
            message += f": {rejected.body[:200].decode('utf-8', 'replace')}"
        return SonioxRealtimeError(message, code=code)
