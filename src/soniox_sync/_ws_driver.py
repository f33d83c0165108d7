"""The blocking driver of any realtime WebSocket session (stdlib sockets and threads).

The twin of ``soniox_async._ws_driver``: it moves a
``soniox_core.websocket.DriverSession``'s bytes over a socket (TLS from
``ssl``), keeps the time, and runs the session's timers (keepalives) on a
small thread; it knows nothing of the protocol. Sends are written by the
calling thread under a write lock (the socket's own buffer is the bound).

    driver = WebSocketDriver(session, options)
    with driver:
        driver.do(lambda: session.send_something(..., driver.clock()))
        event = driver.receive()            # None once the session is over
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

from soniox_core._errors import SonioxRealtimeError
from soniox_core.websocket import END, DriverSession, Signal, TransportFailure
from soniox_core.websocket._options import CLOSE_GRACE_SEC, READ_SIZE_BYTES, DriverOptions

from ._pool import ssl_context

__all__ = ["WebSocketDriver"]

EventT = TypeVar("EventT")


class WebSocketDriver(Generic[EventT]):
    """Runs one ``DriverSession`` over a socket; enter it with ``with``.

    ``lock`` guards the session: hold it (or use ``do``) whenever you touch it.
    """

    clock = staticmethod(time.monotonic)

    def __init__(self, session: DriverSession[EventT], options: DriverOptions) -> None:
        self.session = session
        self._options = options
        self._sock: socket.socket | None = None
        # lock guards the session; _receive_lock lets one reader at a time wait on
        # the socket without holding lock.
        self.lock = threading.RLock()
        self._receive_lock = threading.Lock()
        # _write_lock keeps frames in order on the socket without holding lock
        # while a write blocks, so the reader is not held up by the sender. Taken
        # before lock, never while holding it.
        self._write_lock = threading.Lock()
        self._stop_timers = threading.Event()
        self._timer_thread: threading.Thread | None = None
        self._closed = False

    # --- lifecycle ----------------------------------------------------------------------

    def __enter__(self) -> WebSocketDriver[EventT]:
        self._open()
        thread = threading.Thread(target=self._timer_main, name="soniox-realtime-timer", daemon=True)
        self._timer_thread = thread
        thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _failed(
        self, kind: TransportFailure, *, cause: BaseException | None = None, timeout_sec: float | None = None
    ) -> SonioxRealtimeError:
        with self.lock:
            error = self.session.transport_failed(kind, cause=cause, timeout_sec=timeout_sec)
        assert error is not None  # only a receive timeout may pass
        return error

    def _open(self) -> None:
        if self._sock is not None or self._closed:
            raise SonioxRealtimeError("A realtime session can be entered only once")
        session = self.session
        endpoint = session.endpoint
        connect_timeout = self._options.connect_timeout_sec
        deadline = time.monotonic() + connect_timeout
        try:
            sock = socket.create_connection((endpoint.host, endpoint.port), timeout=connect_timeout)
        except TimeoutError:
            raise self._failed(TransportFailure.CONNECT_TIMEOUT) from None
        except OSError as exc:
            raise self._failed(TransportFailure.CONNECT_FAILED, cause=exc) from exc
        self._sock = sock
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if endpoint.secure:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock = ssl_context(self._options.tls).wrap_socket(sock, server_hostname=endpoint.host)
                self._sock = sock
            with self.lock:
                session.start(time.monotonic())
                sock.sendall(session.data_to_send())
            while session.handshaking:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                sock.settimeout(remaining)
                data = sock.recv(READ_SIZE_BYTES)
                with self.lock:
                    session.receive_data(data or None)
            sock.settimeout(self._options.write_timeout_sec)
            with self.lock:
                # A failed handshake fails here; an error message that came right
                # behind the 101 is left for receive(), as it would be a moment later.
                if (error := session.handshake_error()) is not None:
                    raise error
            self.flush()  # the protocol's first message
        except TimeoutError:
            self._abort()
            raise self._failed(TransportFailure.CONNECT_TIMEOUT) from None
        except SonioxRealtimeError:
            self._abort()
            raise
        except (OSError, ssl.SSLError) as exc:
            self._abort()
            raise self._failed(TransportFailure.CONNECT_FAILED, cause=exc) from exc
        except BaseException:
            self._abort()
            raise

    def close(self) -> None:
        """Send a close frame, wait briefly for the answer, close the socket; idempotent."""
        if self._sock is None or self._closed:
            return  # never entered, or already closed
        self._closed = True
        self._stop_timers.set()
        thread = self._timer_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=CLOSE_GRACE_SEC)
        sock = self._sock
        if sock is None:
            return
        try:
            with self.lock:
                self.session.close()
            self.flush()
            # Another thread may be blocked reading; then it will see the EOF.
            if self._receive_lock.acquire(timeout=CLOSE_GRACE_SEC):
                try:
                    deadline = time.monotonic() + CLOSE_GRACE_SEC
                    while self.session.awaiting_close and time.monotonic() < deadline:
                        data = self._wait_and_recv(sock, deadline - time.monotonic())
                        if data == b"":
                            continue
                        with self.lock:
                            self.session.receive_data(data)
                finally:
                    self._receive_lock.release()
        except Exception:  # the socket is going away regardless
            pass
        finally:
            self._abort()

    def _abort(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            # shutdown() wakes a thread blocked in recv/select on this socket.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._closed = True
        self._stop_timers.set()

    # --- for the protocol's facade ------------------------------------------------------

    def require_open(self) -> None:
        """Raise why the session cannot be used now (never opened, failed, closed)."""
        if self._sock is None:
            raise self._failed(TransportFailure.NOT_OPEN)

    def do(self, action: Callable[[], object]) -> None:
        """Run ``action`` on the session under its lock, then write what it queued."""
        self.require_open()
        with self.lock:
            action()
        self.flush()

    def flush(self) -> None:
        """Write what the session has queued (call without holding ``lock``)."""
        with self._write_lock:
            with self.lock:
                data = self.session.data_to_send()
            if not data:
                return
            sock = self._sock
            if sock is None:
                raise self._failed(TransportFailure.NOT_OPEN)
            try:
                sock.sendall(data)
            except TimeoutError:
                raise self._failed(TransportFailure.SEND_TIMEOUT) from None
            except OSError as exc:
                raise self._failed(TransportFailure.SEND_FAILED) from exc

    def receive(self) -> EventT | None:
        """The session's next event, or ``None`` once it is over; raises its failure."""
        session = self.session
        with self._receive_lock:
            while True:
                with self.lock:
                    item = session.next_event()
                if not isinstance(item, Signal):
                    return item
                if item is END:
                    return None
                data = self._read()
                with self.lock:
                    session.receive_data(data)
                    reply = self._sock is not None and session.has_data_to_send
                if reply:
                    # A failed reply is recorded in the session (or the socket is
                    # gone), and the next round raises it: after the events, and the
                    # server's own error, that arrived before it.
                    with contextlib.suppress(SonioxRealtimeError):
                        self.flush()  # pongs and close replies

    def start_background(self, job: Callable[[], None]) -> threading.Thread:
        """Run ``job`` on a helper thread; its failure is recorded, not lost."""

        def run() -> None:
            try:
                job()
            except Exception as exc:
                with self.lock:
                    self.session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
                self._abort()  # wakes the reader, which raises the recorded error

        thread = threading.Thread(target=run, name="soniox-realtime-sender", daemon=True)
        thread.start()
        return thread

    # --- I/O ---------------------------------------------------------------------------

    @staticmethod
    def _wait_and_recv(sock: socket.socket, timeout: float | None) -> bytes | None:
        """Bytes read, ``b""`` when nothing arrived in time, ``None`` at EOF or failure."""
        try:
            ready = isinstance(sock, ssl.SSLSocket) and sock.pending() > 0
            if not ready:
                readable, _, _ = select.select([sock], [], [], timeout)
                ready = bool(readable)
            if not ready:
                return b""
            return sock.recv(READ_SIZE_BYTES) or None
        except (ssl.SSLWantReadError, BlockingIOError, TimeoutError):
            # Readable, but no application data yet: a TLS record such as a session
            # ticket. Not an EOF; the caller keeps waiting within its deadline.
            return b""
        except (OSError, ValueError):  # reset, or closed by another thread
            return None

    def _read(self) -> bytes | None:
        """Read with the idle receive timeout (the session may let it pass, e.g. paused)."""
        sock = self._sock
        if sock is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        timeout = self._options.receive_timeout_sec
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            data = self._wait_and_recv(sock, remaining)
            if data != b"":
                return data
            if timeout is None or deadline is None or time.monotonic() < deadline:
                continue  # woken early (e.g. TLS records that carried no data)
            with self.lock:
                error = self.session.transport_failed(TransportFailure.RECEIVE_TIMEOUT, timeout_sec=timeout)
            if error is not None:
                raise error
            deadline = time.monotonic() + timeout  # the session let it pass: wait again

    def _timer_main(self) -> None:
        # Never dies silently: a failure is recorded in the session and the socket
        # shut down, so the reader wakes up with a typed error.
        session = self.session
        try:
            while not self._stop_timers.is_set():
                with self.lock:
                    due = session.next_timer_at()
                if due is None:
                    return  # nothing left to time (e.g. past the end of audio)
                if self._stop_timers.wait(max(0.0, due - time.monotonic())):
                    return
                with self.lock:
                    due_now = session.handle_timer(time.monotonic())
                if due_now:
                    self.flush()
        except Exception as exc:
            with self.lock:
                session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
            self._abort()
