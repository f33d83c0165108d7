"""The part of a WebSocket protocol session that every protocol shares.

``WebSocketSession`` owns the connection (``WebSocketConnection``), the bytes
waiting to go out, the queue of events for the caller (with a failure kept in
its place behind the events that came before it), and the one way a driver
reports trouble with its I/O: ``transport_failed(kind)``. A protocol (the
speech-to-text session, a text-to-speech session) subclasses it and supplies
its state table and the ``_on_*`` hooks; the drivers talk only to the methods
listed in ``DriverSession``, so one driver serves every protocol.
"""

from __future__ import annotations

import enum
from collections import deque
from typing import Generic, Protocol, TypeVar

from soniox_core._errors import SonioxRealtimeError, SonioxRealtimeTimeoutError

from ._endpoint import Endpoint
from ._events import CloseReceived, ConnectionLost, Message, Opened, ProtocolFailed, Rejected, SendRefused
from ._options import DEFAULT_MAX_MESSAGE_BYTES

__all__ = [
    "END",
    "NEED_DATA",
    "DriverSession",
    "Signal",
    "SonioxRealtimeTimeoutError",
    "TransportFailure",
    "WebSocketSession",
]

EventT = TypeVar("EventT")
EventT_co = TypeVar("EventT_co", covariant=True)


class Signal(enum.Enum):
    """What ``next_event`` returns when it has no event to give."""

    NEED_DATA = "need_data"  # read more from the socket
    END = "end"  # the session is over; no more events will come


NEED_DATA = Signal.NEED_DATA
END = Signal.END


class TransportFailure(enum.Enum):
    """What went wrong with a driver's I/O, for ``transport_failed``."""

    CONNECT_TIMEOUT = "connect_timeout"  # TCP, TLS or the upgrade took too long
    CONNECT_FAILED = "connect_failed"  # the server could not be reached (``cause`` says why)
    SEND_TIMEOUT = "send_timeout"  # the socket took too long to accept our bytes
    SEND_FAILED = "send_failed"  # writing failed: the connection is gone
    RECEIVE_TIMEOUT = "receive_timeout"  # the server was silent for ``timeout_sec``
    WORKER_FAILED = "worker_failed"  # a background job (writer, timer, sender) raised ``cause``
    NOT_OPEN = "not_open"  # a call found no socket (never opened, or already gone)


class _ErrorMarker:
    """Stands in the event queue where the error happened, so earlier events come first."""

    __slots__ = ("error", "event")

    def __init__(self, error: SonioxRealtimeError, event: object) -> None:
        self.error = error
        self.event = event


class DriverSession(Protocol[EventT_co]):
    """What a driver needs of a protocol session: bytes in, bytes out, time from the caller."""

    @property
    def endpoint(self) -> Endpoint: ...
    @property
    def handshaking(self) -> bool: ...
    @property
    def has_data_to_send(self) -> bool: ...
    @property
    def pending_bytes(self) -> int: ...
    @property
    def awaiting_close(self) -> bool: ...
    def start(self, now: float) -> None: ...
    def data_to_send(self) -> bytes: ...
    def receive_data(self, data: bytes | None) -> None: ...
    def handshake_error(self) -> SonioxRealtimeError | None: ...
    def next_event(self) -> EventT_co | Signal: ...
    def next_timer_at(self) -> float | None: ...
    def handle_timer(self, now: float) -> bool: ...
    def close(self, code: int = 1000, reason: str = "") -> None: ...
    def transport_failed(
        self,
        kind: TransportFailure,
        *,
        cause: BaseException | None = None,
        timeout_sec: float | None = None,
    ) -> SonioxRealtimeError | None: ...


class WebSocketSession(Generic[EventT]):
    """Base of a protocol session over one WebSocket connection (see the module docstring).

    A protocol implements:

    - ``_on_open()``: the upgrade succeeded (send the first message here);
    - ``_on_message(data, is_text)``: a whole message arrived; call ``_emit``
      to hand out an event, ``_fail`` to end the session with an error;
    - ``_on_close_received(code, reason)``, ``_on_connection_lost()``: the
      server closed, cleanly or not; ``_on_local_close()``: ``close()`` was called;
    - ``_on_failure()``: a failure was recorded (move the state machine);
    - ``_is_over()``: no more events will come (``next_event`` returns ``END``);
    - optionally ``next_timer_at``/``handle_timer`` (keepalives) and
      ``_receive_timeout_suspended`` (a paused stream may stay silent).

    It sends with ``_send_text``/``_send_binary``.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        headers: list[tuple[bytes, bytes]],
        *,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        # websockets is imported with the first session, not with the package.
        from ._connection import WebSocketConnection

        self.endpoint = endpoint
        self._connection = WebSocketConnection(endpoint, headers, max_message_bytes=max_message_bytes)
        self._queue: deque[EventT | _ErrorMarker] = deque()
        self._error: SonioxRealtimeError | None = None
        self._started = False
        self.handshake_complete = False
        # The failure is the connection going away (EOF, a close before the end, a
        # broken write), not the protocol's own error: a new connection may resume.
        self.dropped = False
        self.close_code: int | None = None
        self.last_message: EventT | None = None

    # --- for drivers: bytes ------------------------------------------------------------

    def start(self, now: float) -> None:
        """Queue the upgrade request. ``now`` starts the protocol's timers."""
        if self._started:
            raise SonioxRealtimeError("Realtime session already started")
        self._started = True
        self._connection.start()
        self._on_start(now)

    @property
    def handshaking(self) -> bool:
        """True until the upgrade succeeded or failed."""
        return not self.handshake_complete and self._error is None

    @property
    def has_data_to_send(self) -> bool:
        """Whether ``data_to_send()`` would return anything."""
        return self._connection.pending_bytes > 0

    @property
    def pending_bytes(self) -> int:
        """How many bytes wait for ``data_to_send()`` (lets a driver apply backpressure)."""
        return self._connection.pending_bytes

    def data_to_send(self) -> bytes:
        """Bytes the driver must write to the socket now (possibly empty)."""
        return self._connection.data_to_send()

    @property
    def awaiting_close(self) -> bool:
        """True while our close frame waits for the server's answer."""
        return self._connection.awaiting_close

    @property
    def connection_closed(self) -> bool:
        """True once nothing more can be read: a close frame came in, or EOF."""
        return self._connection.done

    @property
    def error(self) -> SonioxRealtimeError | None:
        """Why the session failed, once it has."""
        return self._error

    def receive_data(self, data: bytes | None) -> None:
        """Feed bytes read from the socket; ``None`` means the peer closed it (EOF)."""
        for event in self._connection.receive_data(data):
            if isinstance(event, Message):
                self._on_message(event.data, event.is_text)
            elif isinstance(event, Opened):
                self.handshake_complete = True
                self._on_open()
            elif isinstance(event, CloseReceived):
                self.close_code = event.code
                self._on_close_received(event.code, event.reason)
            elif isinstance(event, ConnectionLost):
                self._on_connection_lost()
            elif isinstance(event, Rejected):
                self._fail(self._rejection_error(event))
            elif isinstance(event, ProtocolFailed):
                what = "Failed to start realtime session" if not self.handshake_complete else "Protocol error"
                self._fail(SonioxRealtimeError(f"{what}: {event.reason}"))

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Queue a close frame (if the connection is still open) and stop sending."""
        self._connection.send_close(code, reason)
        self._on_local_close()

    # --- for drivers: events -----------------------------------------------------------

    def next_event(self) -> EventT | Signal:
        """The next event, ``NEED_DATA`` or ``END``; raises once the session failed.

        Events that arrived before a failure are handed out first.
        """
        if self._queue:
            item = self._queue.popleft()
            if isinstance(item, _ErrorMarker):
                if item.event is not None:
                    self.last_message = item.event  # type: ignore[assignment]
                raise _copy(item.error)
            self.last_message = item
            return item
        if self._error is not None:
            raise _copy(self._error)
        if self._is_over():
            return END
        return NEED_DATA

    def handshake_error(self) -> SonioxRealtimeError | None:
        """Why the opening handshake failed, or ``None``.

        An error message that came right behind the 101 is not a handshake
        failure: it is left for ``next_event``, as it would be a moment later.
        """
        if not self.handshake_complete and self._error is not None:
            return SonioxRealtimeError(self._error.message, code=self._error.code)
        return None

    def transport_failed(
        self,
        kind: TransportFailure,
        *,
        cause: BaseException | None = None,
        timeout_sec: float | None = None,
    ) -> SonioxRealtimeError | None:
        """Record what went wrong with the driver's I/O; returns the error to raise.

        ``None`` only for a receive timeout the protocol lets pass (a paused
        stream): the driver waits again. Nothing is recorded for ``NOT_OPEN``.
        """
        error: SonioxRealtimeError
        if kind is TransportFailure.NOT_OPEN:
            if self._error is not None:
                return _copy(self._error)  # keeps its class: a timeout stays a timeout
            return SonioxRealtimeError("Realtime session is not connected")
        if kind is TransportFailure.RECEIVE_TIMEOUT:
            if self._receive_timeout_suspended():
                return None
            error = SonioxRealtimeTimeoutError(f"No message from the server for {timeout_sec or 0:g} s")
        elif kind is TransportFailure.CONNECT_TIMEOUT:
            error = SonioxRealtimeTimeoutError("Connection timed out")
        elif kind is TransportFailure.CONNECT_FAILED:
            error = SonioxRealtimeError(f"Failed to start realtime session: {cause}")
        elif kind is TransportFailure.SEND_TIMEOUT:
            error = SonioxRealtimeTimeoutError("Timed out sending to the server")
        elif kind is TransportFailure.SEND_FAILED:
            error = SonioxRealtimeError("Connection lost while sending")
            self.dropped = self.dropped or self._error is None
        elif isinstance(cause, SonioxRealtimeError):  # WORKER_FAILED
            error = cause
        else:
            error = SonioxRealtimeError(f"A background job of the session failed: {cause!r}")
        self._fail(error)
        if kind is TransportFailure.SEND_FAILED and self._error is not None:
            # The failure recorded first (e.g. the server's error) says more.
            return SonioxRealtimeError(self._error.message, code=self._error.code)
        return _copy(error)

    # --- timers (none by default) ------------------------------------------------------

    def next_timer_at(self) -> float | None:
        """When ``handle_timer`` wants to run next, or ``None``."""
        return None

    def handle_timer(self, now: float) -> bool:
        """Do what is due at ``now``; tells whether anything was queued to send."""
        return False

    # --- for protocols ----------------------------------------------------------------

    def _emit(self, event: EventT) -> None:
        self._queue.append(event)

    def _fail(self, error: SonioxRealtimeError, event: EventT | None = None) -> None:
        """Record ``error`` once (behind the events already queued) and move to the failed state."""
        if not self._accepts_failure():
            return
        if self._error is None:
            self._error = error
            self._queue.append(_ErrorMarker(error, event))
        self._on_failure()

    @property
    def _can_send(self) -> bool:
        """Whether frames can go out now (open; no close frame sent or received)."""
        return self._connection.is_open

    def _send_text(self, data: bytes) -> None:
        try:
            self._connection.send_text(data)
        except SendRefused as exc:
            raise SonioxRealtimeError(f"Cannot send on this connection: {exc}") from None

    def _send_binary(self, data: bytes) -> None:
        try:
            self._connection.send_binary(data)
        except SendRefused as exc:
            raise SonioxRealtimeError(f"Cannot send on this connection: {exc}") from None

    def _send_close(self, code: int, reason: str) -> None:
        self._connection.send_close(code, reason)

    def _rejection_error(self, rejected: Rejected) -> SonioxRealtimeError:
        """The error for a failed upgrade; a protocol may read its own error body here."""
        message = f"Failed to start realtime session: {rejected.reason}"
        if rejected.body:
            message += f": {rejected.body[:200].decode('utf-8', 'replace')}"
        return SonioxRealtimeError(message, code=rejected.status)

    # --- hooks ----------------------------------------------------------------------------

    def _on_start(self, now: float) -> None:
        """The upgrade request was queued at ``now``."""

    def _on_open(self) -> None:
        raise NotImplementedError

    def _on_message(self, data: bytes, is_text: bool) -> None:
        raise NotImplementedError

    def _on_close_received(self, code: int, reason: str) -> None:
        raise NotImplementedError

    def _on_connection_lost(self) -> None:
        raise NotImplementedError

    def _on_local_close(self) -> None:
        raise NotImplementedError

    def _on_failure(self) -> None:
        raise NotImplementedError

    def _accepts_failure(self) -> bool:
        """False once the session ended cleanly: a late failure loses nothing then."""
        return True

    def _is_over(self) -> bool:
        raise NotImplementedError

    def _receive_timeout_suspended(self) -> bool:
        return False


def _copy(error: SonioxRealtimeError) -> SonioxRealtimeError:
    # A fresh instance per raise: re-raising one object grows its traceback.
    return type(error)(error.message, code=error.code)
