"""One client WebSocket connection as bytes in, bytes out, on websockets' sans-I/O protocol.

``websockets.client.ClientProtocol`` does the work: it builds the upgrade
request, checks the answer (``101``, ``Upgrade``, ``Connection`` and
``Sec-WebSocket-Accept`` against the key it sent), frames and masks what we
send (C speedups), parses what arrives, answers pings and echoes a close. This
class only turns its frames into whole messages and its failures into a few
plain events a protocol session can act on.
"""

from __future__ import annotations

from websockets.client import ClientProtocol
from websockets.exceptions import InvalidState, InvalidStatus
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.uri import WebSocketURI

from ._endpoint import Endpoint
from ._events import (
    CloseReceived,
    ConnectionEvent,
    ConnectionLost,
    Message,
    Opened,
    ProtocolFailed,
    Rejected,
    SendRefused,
)
from ._options import DEFAULT_MAX_MESSAGE_BYTES

__all__ = ["WebSocketConnection"]


class WebSocketConnection:
    """The client side of one WebSocket connection, without any I/O.

    Call ``start()`` once, write ``data_to_send()`` whenever it is non-empty,
    feed every read to ``receive_data`` (``None`` for EOF) and act on the events
    it returns.
    """

    __slots__ = (
        "_eof",
        "_fragments",
        "_fragments_text",
        "_headers",
        "_out",
        "_pending",
        "_protocol",
        "_reported",
    )

    def __init__(
        self,
        endpoint: Endpoint,
        headers: list[tuple[bytes, bytes]],
        *,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        path, _, query = endpoint.target.partition("?")
        uri = WebSocketURI(endpoint.secure, endpoint.host, endpoint.port, path, query)
        self._protocol = ClientProtocol(uri, max_size=max_message_bytes)
        self._headers = list(headers)
        self._out: list[bytes] = []
        self._pending = 0
        self._fragments: list[bytes] = []
        self._fragments_text = False
        self._eof = False
        self._reported = False  # a terminal failure (handshake, protocol, EOF) was reported

    # --- state --------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether messages can be sent (handshake done, no close frame sent or received)."""
        return self._protocol.state is State.OPEN

    @property
    def awaiting_close(self) -> bool:
        """True while our close frame waits for the server's answer."""
        protocol = self._protocol
        return not self._eof and protocol.close_sent is not None and protocol.close_rcvd is None

    @property
    def done(self) -> bool:
        """True once nothing more will be read: a close frame came in, or the stream ended."""
        return self._eof or self._protocol.close_rcvd is not None

    # --- outgoing -----------------------------------------------------------------------

    def start(self) -> None:
        """Queue the upgrade request with the extra headers (e.g. ``Authorization``)."""
        request = self._protocol.connect()
        for name, value in self._headers:
            request.headers[name.decode("latin-1")] = value.decode("latin-1")
        self._protocol.send_request(request)
        self._collect()

    def send_text(self, data: bytes) -> None:
        """Queue a text frame; ``data`` is UTF-8."""
        try:
            self._protocol.send_text(data)
        except InvalidState as exc:
            raise SendRefused(str(exc)) from None
        self._collect()

    def send_binary(self, data: bytes) -> None:
        """Queue a binary frame."""
        try:
            self._protocol.send_binary(data)
        except InvalidState as exc:
            raise SendRefused(str(exc)) from None
        self._collect()

    def send_close(self, code: int = 1000, reason: str = "") -> None:
        """Queue a close frame if the connection is open; otherwise nothing to do."""
        if self._protocol.state is State.OPEN:
            self._protocol.send_close(code, reason)
            self._collect()

    @property
    def pending_bytes(self) -> int:
        """How many bytes wait for ``data_to_send()``."""
        return self._pending

    def data_to_send(self) -> bytes:
        """The bytes to write now (possibly empty)."""
        out = self._out
        if not out:
            return b""
        data = out[0] if len(out) == 1 else b"".join(out)
        out.clear()
        self._pending = 0
        return data

    def _collect(self) -> None:
        for chunk in self._protocol.data_to_send():
            # b"" asks for a half-close; the drivers close the socket at the end anyway.
            if chunk:
                self._out.append(chunk)
                self._pending += len(chunk)

    # --- incoming -----------------------------------------------------------------------

    def receive_data(self, data: bytes | None) -> list[ConnectionEvent]:
        """Feed bytes read from the socket (``None``: the peer closed it); the events they made."""
        if self._eof:
            return []
        protocol = self._protocol
        if data is None:
            self._eof = True
            protocol.receive_eof()
        else:
            protocol.receive_data(data)
        events: list[ConnectionEvent] = []
        for event in protocol.events_received():
            if isinstance(event, Frame):
                self._on_frame(event, events)
            elif isinstance(event, Response):
                self._on_response(event, events)
        self._collect()  # pongs, close echoes, a close after a protocol error
        if not self._reported:
            self._check_failures(events)
        return events

    def _on_response(self, response: Response, events: list[ConnectionEvent]) -> None:
        failure = self._protocol.handshake_exc
        if failure is None:
            events.append(Opened())
            return
        self._reported = True
        if isinstance(failure, InvalidStatus):
            status = response.status_code
            events.append(Rejected(status, bytes(response.body), f"HTTP {status}"))
        else:  # a 101 that fails the checks (accept key, Upgrade, extensions)
            events.append(Rejected(None, b"", str(failure)))

    def _on_frame(self, frame: Frame, events: list[ConnectionEvent]) -> None:
        opcode = frame.opcode
        if opcode is Opcode.TEXT or opcode is Opcode.BINARY:
            if frame.fin:
                events.append(Message(bytes(frame.data), opcode is Opcode.TEXT))
            else:
                self._fragments = [bytes(frame.data)]
                self._fragments_text = opcode is Opcode.TEXT
        elif opcode is Opcode.CONT:
            self._fragments.append(bytes(frame.data))
            if frame.fin:
                data = b"".join(self._fragments)
                self._fragments = []
                events.append(Message(data, self._fragments_text))
        elif opcode is Opcode.CLOSE:
            close = self._protocol.close_rcvd
            code = close.code if close is not None else 1005
            events.append(CloseReceived(code, close.reason if close is not None else ""))
        # Pings are answered by the protocol; pongs carry nothing for us.

    def _check_failures(self, events: list[ConnectionEvent]) -> None:
        protocol = self._protocol
        if protocol.handshake_exc is not None:
            self._reported = True
            cause = protocol.handshake_exc.__cause__
            reason = "connection closed" if isinstance(cause, EOFError) else str(protocol.handshake_exc)
            events.append(Rejected(None, b"", reason))
        elif protocol.parser_exc is not None:
            self._reported = True
            if isinstance(protocol.parser_exc, EOFError):
                if protocol.close_rcvd is None:
                    events.append(ConnectionLost())
            else:
                events.append(ProtocolFailed(str(protocol.parser_exc) or type(protocol.parser_exc).__name__))
        elif self._eof and protocol.close_rcvd is None and protocol.state is not State.CONNECTING:
            self._reported = True
            events.append(ConnectionLost())
