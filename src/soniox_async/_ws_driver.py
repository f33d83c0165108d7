"""The async driver of any realtime WebSocket session (anyio: asyncio and trio).

It moves a ``soniox_core.websocket.DriverSession``'s bytes over an anyio
stream and keeps the time; it knows nothing of the protocol, so speech-to-text
and any other realtime protocol share it. Sends only queue bytes in the
session; a writer task puts them on the socket, and a sender waits for it only
once ``WRITE_BUFFER_HIGH_WATER`` bytes are queued (bounded backpressure). A
timer task runs the session's timers (keepalives).

    driver = AsyncWebSocketDriver(session, options)
    async with driver:                      # connect + handshake; tasks start
        session.send_something(..., driver.clock())
        await driver.flush()                # hand the bytes to the writer
        event = await driver.receive()      # None once the session is over
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, TypeVar

import anyio
import anyio.abc
import anyio.lowlevel

from soniox_core._errors import SonioxRealtimeError
from soniox_core.websocket import END, DriverSession, Signal, TransportFailure
from soniox_core.websocket._options import (
    CLOSE_GRACE_SEC,
    READ_SIZE_BYTES,
    WRITE_BUFFER_HIGH_WATER,
    DriverOptions,
)

from ._network import loop_clock
from ._pool import ssl_context

__all__ = ["WRITE_BUFFER_HIGH_WATER", "AsyncWebSocketDriver"]

EventT = TypeVar("EventT")

class AsyncWebSocketDriver(Generic[EventT]):
    """Runs one ``DriverSession`` over a socket; enter it with ``async with``."""

    def __init__(self, session: DriverSession[EventT], options: DriverOptions) -> None:
        self.session = session
        self._options = options
        self._stream: anyio.abc.ByteStream | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        # fast_acquire: no scheduling checkpoint when the lock is free (the usual case).
        self._send_lock = anyio.Lock(fast_acquire=True)
        self._receive_lock = anyio.Lock(fast_acquire=True)
        self._writer_wakeup: anyio.Event | None = None  # set by whoever queues bytes
        self._buffer_drained: anyio.Event | None = None  # set by the writer for waiting senders
        self._closed = False
        self.clock: Callable[[], float] = anyio.current_time

    # --- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> AsyncWebSocketDriver[EventT]:
        await self._open()
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        task_group.start_soon(self._writer_loop)
        task_group.start_soon(self._timer_loop)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        task_group = self._task_group
        try:
            # Closing first lets a write in progress complete, so the close frame
            # never follows half a frame.
            await self.close()
        finally:
            self._task_group = None
            if task_group is not None:
                task_group.cancel_scope.cancel()
                # The driver's own tasks never raise, so this only waits for them
                # to stop; the caller's own exception (if any) propagates unchanged
                # instead of being wrapped in an exception group.
                await task_group.__aexit__(None, None, None)

    async def _open(self) -> None:
        if self._stream is not None or self._closed:
            raise SonioxRealtimeError("A realtime session can be entered only once")
        session = self.session
        endpoint = session.endpoint
        try:
            with anyio.fail_after(self._options.connect_timeout_sec):
                stream: anyio.abc.ByteStream
                if endpoint.secure:
                    stream = await anyio.connect_tcp(
                        endpoint.host,
                        endpoint.port,
                        tls=True,
                        ssl_context=ssl_context(self._options.tls),
                        tls_hostname=endpoint.host,
                    )
                else:
                    stream = await anyio.connect_tcp(endpoint.host, endpoint.port)
                self._stream = stream
                self.clock = loop_clock()
                session.start(self.clock())
                await stream.send(session.data_to_send())
                while session.handshaking:
                    session.receive_data(await self._read_raw())
                await self._write_pending()  # the protocol's first message
            # A failed handshake fails here; an error message that came right
            # behind the 101 is left for receive(), as it would be a moment later.
            if (error := session.handshake_error()) is not None:
                raise error
        except TimeoutError:
            await self._abort()
            raise self._failed(TransportFailure.CONNECT_TIMEOUT) from None
        except SonioxRealtimeError:
            await self._abort()
            raise
        except (OSError, anyio.BrokenResourceError, ssl.SSLError) as exc:
            await self._abort()
            raise self._failed(TransportFailure.CONNECT_FAILED, cause=exc) from exc
        except BaseException:
            await self._abort()
            raise

    async def close(self) -> None:
        """Send a close frame, wait briefly for the answer, close the socket; idempotent.

        Shielded, so it completes even when cancelled.
        """
        if self._stream is None or self._closed:
            return  # never entered, or already closed
        self._closed = True
        self._wake_senders()
        with anyio.CancelScope(shield=True):
            with anyio.move_on_after(CLOSE_GRACE_SEC):
                try:
                    async with self._send_lock:
                        self.session.close()
                        data = self.session.data_to_send()
                        if data:
                            await self._stream.send(data)
                    async with self._receive_lock:
                        while self.session.awaiting_close:
                            self.session.receive_data(await self._read_raw())
                except Exception:  # the socket is going away regardless
                    pass
            await self._abort()

    async def _abort(self) -> None:
        stream, self._stream = self._stream, None
        self._closed = True
        self._wake_senders()
        if stream is not None:
            # A TLS close sends close_notify; a peer that already hung up makes that
            # fail (Python 3.10's ssl reports the EOF, which anyio raises as
            # BrokenResourceError). anyio has closed the socket by then.
            closing_errors = (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)
            with anyio.CancelScope(shield=True), contextlib.suppress(*closing_errors):
                await stream.aclose()

    def _failed(
        self, kind: TransportFailure, *, cause: BaseException | None = None, timeout_sec: float | None = None
    ) -> SonioxRealtimeError:
        error = self.session.transport_failed(kind, cause=cause, timeout_sec=timeout_sec)
        assert error is not None  # only a receive timeout may pass
        return error

    # --- for the protocol's facade ------------------------------------------------------

    def require_open(self) -> None:
        """Raise why the session cannot be used now (never opened, failed, closed)."""
        if self._stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)

    async def flush(self) -> None:
        """Hand what the session queued to the writer; wait only while too much is queued."""
        session = self.session
        if not session.has_data_to_send:
            return  # most reads leave nothing to answer
        wakeup, self._writer_wakeup = self._writer_wakeup, None
        if wakeup is not None:
            wakeup.set()
        while session.pending_bytes >= WRITE_BUFFER_HIGH_WATER:
            self.require_open()  # raises the writer's failure, if it failed
            if self._buffer_drained is None:
                self._buffer_drained = anyio.Event()
            await self._buffer_drained.wait()
        # No scheduling round here (that is the writer's job), but a cancelled
        # caller still stops at this point.
        await anyio.lowlevel.checkpoint_if_cancelled()

    async def receive(self) -> EventT | None:
        """The session's next event, or ``None`` once it is over; raises its failure."""
        session = self.session
        async with self._receive_lock:
            while True:
                item = session.next_event()
                if not isinstance(item, Signal):
                    return item
                if item is END:
                    return None
                session.receive_data(await self._read())
                if self._stream is not None:
                    # The writer's failure is recorded in the session, and the next
                    # round raises it: after the events, and the server's own error,
                    # that arrived before it.
                    with contextlib.suppress(SonioxRealtimeError):
                        await self.flush()  # pongs and close replies

    def start_background(self, job: Callable[[], Awaitable[None]]) -> None:
        """Run ``job`` as a task of the session; its failure is recorded, not lost."""
        task_group = self._task_group
        if task_group is None:
            raise SonioxRealtimeError("Realtime session is not connected")

        async def run() -> None:
            try:
                await job()
            except Exception as exc:
                self.session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
                await self._abort()  # wakes the reader, which raises the recorded error

        task_group.start_soon(run)

    # --- I/O ---------------------------------------------------------------------------

    async def _read_raw(self) -> bytes | None:
        stream = self._stream
        if stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        try:
            return await stream.receive(READ_SIZE_BYTES)
        except anyio.EndOfStream:
            return None
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            return None  # the session reports the lost connection as a typed error

    async def _read(self) -> bytes | None:
        """Read with the idle receive timeout (the session may let it pass, e.g. paused)."""
        timeout = self._options.receive_timeout_sec
        if timeout is None:
            return await self._read_raw()
        while True:
            with anyio.move_on_after(timeout):
                return await self._read_raw()
            error = self.session.transport_failed(TransportFailure.RECEIVE_TIMEOUT, timeout_sec=timeout)
            if error is not None:
                raise error

    async def _write_pending(self) -> None:
        """Write what the session has queued, now, under the write timeout."""
        stream = self._stream
        if stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        async with self._send_lock:
            data = self.session.data_to_send()
            if not data:
                return
            try:
                with anyio.fail_after(self._options.write_timeout_sec):
                    await stream.send(data)
            except TimeoutError:
                raise self._failed(TransportFailure.SEND_TIMEOUT) from None
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
                raise self._failed(TransportFailure.SEND_FAILED) from exc

    def _wake_senders(self) -> None:
        drained, self._buffer_drained = self._buffer_drained, None
        if drained is not None:
            drained.set()

    async def _writer_loop(self) -> None:
        # Never lets an exception out: a failed write is recorded in the session
        # and the socket closed, so the next send or read raises the typed error.
        session = self.session
        try:
            while not self._closed:
                if session.pending_bytes < WRITE_BUFFER_HIGH_WATER:
                    self._wake_senders()
                if not session.has_data_to_send:
                    wakeup = self._writer_wakeup = anyio.Event()
                    await wakeup.wait()
                    continue
                await self._write_pending()
        except Exception as exc:
            session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
            await self._abort()

    async def _timer_loop(self) -> None:
        # Never lets an exception out (that would cancel the caller's code): a
        # failure is recorded in the session and the socket closed, so whoever
        # waits on it wakes up with a typed error instead of silence.
        session = self.session
        try:
            while True:
                due = session.next_timer_at()
                if due is None:
                    return  # nothing left to time (e.g. past the end of audio)
                delay = due - self.clock()
                if delay > 0:
                    await anyio.sleep(delay)
                    continue
                if session.handle_timer(self.clock()):
                    await self.flush()
        except Exception as exc:
            session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
            await self._abort()
