"""The driver of any realtime WebSocket session: connecting, writing, reading, timers, closing.

It moves a ``soniox_core.websocket.DriverSession``'s bytes over a socket and
keeps the time; it knows nothing of the protocol, so speech-to-text and any
other realtime protocol share it. Where the stream takes a whole frame at once
(asyncio's transport) a sender writes what it queued itself. Elsewhere sends
only queue bytes in the session (under ``guard``) and a writer job puts them
on the socket; a sender waits for it only once ``WRITE_BUFFER_HIGH_WATER``
bytes are queued: bounded backpressure, a scheduling round per batch of frames
rather than per frame. One clock job runs the session's timers (keepalives)
and the receive and write timeouts: steady reads and writes carry no timer of
their own, which on an event loop would cost more than the frame. Jobs never
raise: a failure is recorded in the session, the socket closed, and the next
call raises it.

    driver = AsyncWebSocketDriver(session, options)
    async with driver:                              # connect + handshake; jobs start
        await driver.apply(lambda: session.send_something(..., driver.clock()))
        event = await driver.receive()              # None once the session is over
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, TypeVar

from soniox_core._errors import SonioxRealtimeError
from soniox_core._redact import safe_cause
from soniox_core.realtime._tunnel import ProxyTunnel
from soniox_core.websocket import END, DriverSession, Endpoint, Signal, TransportFailure
from soniox_core.websocket._options import CLOSE_GRACE_SEC, WRITE_BUFFER_HIGH_WATER, DriverOptions

from . import _backend as backend
from ._pool import ssl_context

__all__ = ["AsyncWebSocketDriver"]

EventT = TypeVar("EventT")

CHECKPOINT_EVERY = 8  # flushes between two cancellation checks (each wait is one too)


class AsyncWebSocketDriver(Generic[EventT]):
    """Runs one ``DriverSession`` over a socket; enter it with ``async with``.

    Touch the session only under ``guard`` (``apply`` does that, then flushes).
    """

    def __init__(self, session: DriverSession[EventT], options: DriverOptions) -> None:
        self.session = session
        self._options = options
        self._stream: backend.Stream | None = None
        self._workers = backend.Workers()
        self.guard = backend.Guard()
        self._write_lock = backend.Lock()  # one writer on the socket at a time: the writer, or close
        self._receive_lock = backend.Lock()  # one reader at a time
        self._writer_wakeup: backend.Event | None = None  # set by whoever queues bytes
        self._buffer_drained: backend.Event | None = None  # set by the writer for waiting senders
        self._stop = backend.Event()  # set once closing: the clock job ends
        # When the read or write in progress times out (None: none in progress).
        self._read_deadline: float | None = None
        self._write_deadline: float | None = None
        self._closed = False
        self._generation = 0  # bumped by reopen(): the jobs of an older connection stop
        self._unchecked = 0  # flushes since the last cancellation check
        self._inline = False  # senders write to the stream themselves (no writer job)
        self._leftover = b""  # the unsent end of a sender's direct write: the writer sends it first
        self.clock: Callable[[], float] = backend.clock

    # --- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> AsyncWebSocketDriver[EventT]:
        await self._open()
        await self._workers.__aenter__()
        self._start_jobs()
        return self

    def _start_jobs(self) -> None:
        assert self._stream is not None
        # A stream that takes whole frames at once (asyncio's transport) needs no writer
        # job: senders write themselves, and a job per session is memory and wake-ups.
        self._inline = self._stream.writes_inline
        if not self._inline:
            self._workers.start(self._writer_loop, "soniox-realtime-writer")
        self._workers.start(self._clock_loop, "soniox-realtime-clock")

    def _live(self, generation: int) -> bool:
        return not self._closed and self._generation == generation

    async def reopen(self, session: DriverSession[EventT]) -> None:
        """Replace a dropped connection: a new socket and handshake for ``session``.

        ``session`` is a fresh session of the same protocol; the driver's jobs
        start over with it. Raises as entering does (the failure is recorded in
        ``session``).
        """
        await self._abort()  # the old socket, if still open; wakes the old jobs
        self._generation += 1
        self.session = session
        self._closed = False
        self._stop = backend.Event()
        self._read_deadline = self._write_deadline = None
        await self._open()
        self._start_jobs()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # Closing first lets a write in progress complete, so the close frame
            # never follows half a frame.
            await self.close()
        finally:
            await self._workers.__aexit__(None, None, None)

    def _failed(
        self, kind: TransportFailure, *, cause: BaseException | None = None, timeout_sec: float | None = None
    ) -> SonioxRealtimeError:
        with self.guard:
            error = self.session.transport_failed(kind, cause=cause, timeout_sec=timeout_sec)
        assert error is not None  # only a receive timeout may pass
        return error

    async def _open(self) -> None:
        if self._stream is not None or self._closed:
            raise SonioxRealtimeError("A realtime session can be entered only once")
        session = self.session
        timeout = self._options.connect_timeout_sec
        deadline = backend.clock() + timeout
        try:
            stream = self._stream = await dial(session.endpoint, self._options, deadline)
            self.clock = backend.session_clock()
            with self.guard:
                session.start(self.clock())
                request = session.data_to_send()
            await stream.send(request, max(0.001, deadline - backend.clock()))
            while session.handshaking:
                received = await stream.receive(max(0.0, deadline - backend.clock()))
                with self.guard:
                    session.receive_data(received)
            # A failed handshake fails here; an error message that came right
            # behind the 101 is left for receive(), as it would be a moment later.
            with self.guard:
                error = session.handshake_error()
            if error is not None:
                raise error
            await self._write_pending()  # the protocol's first message
        except SonioxRealtimeError:
            await self._abort()
            raise
        except TimeoutError:
            await self._abort()
            raise self._failed(TransportFailure.CONNECT_TIMEOUT) from None
        except OSError as exc:
            await self._abort()
            raise self._failed(TransportFailure.CONNECT_FAILED, cause=exc) from safe_cause(exc)
        except BaseException:
            await self._abort()
            raise

    async def close(self) -> None:
        """Send a close frame, wait briefly for the answer, close the socket; idempotent.

        Shielded from cancellation, and bounded: it gives up after a grace period.
        """
        stream = self._stream
        if stream is None or self._closed:
            return  # never entered, or already closed
        self._closed = True
        self._wake_all()
        deadline = backend.clock() + CLOSE_GRACE_SEC
        with backend.shield():
            try:
                if await self._write_lock.acquire(timeout=CLOSE_GRACE_SEC):
                    try:
                        with self.guard:
                            self.session.close()
                            data = self._outgoing()
                        if data:
                            await stream.send(data, max(0.001, deadline - backend.clock()))
                    finally:
                        self._write_lock.release()
                if await self._receive_lock.acquire(timeout=max(0.0, deadline - backend.clock())):
                    try:
                        while self.session.awaiting_close:
                            received = await stream.receive(max(0.0, deadline - backend.clock()))
                            with self.guard:
                                self.session.receive_data(received)
                    finally:
                        self._receive_lock.release()
            except Exception:  # out of time, or the socket broke: it goes away regardless
                pass
            await self._abort()

    async def _abort(self) -> None:
        stream, self._stream = self._stream, None
        self._closed = True
        self._wake_all()
        if stream is not None:
            await stream.aclose()

    def _wake_all(self) -> None:
        self._stop.set()
        with self.guard:
            wakeup, self._writer_wakeup = self._writer_wakeup, None
            drained, self._buffer_drained = self._buffer_drained, None
        if wakeup is not None:
            wakeup.set()
        if drained is not None:
            drained.set()

    # --- for the protocol's facade ------------------------------------------------------

    def require_open(self) -> None:
        """Raise why the session cannot be used now (never opened, failed, closed)."""
        if self._stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)

    async def apply(self, action: Callable[[], object]) -> None:
        """Run ``action`` on the session under ``guard``, then write or hand over what it queued."""
        if self._stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        with self.guard:
            action()
            pending = self.session.pending_bytes
        if pending:
            await self._hand_over(pending)
        await self._maybe_checkpoint()

    async def flush(self) -> None:
        """Write or hand over what the session queued; wait only while too much is queued."""
        with self.guard:
            pending = self.session.pending_bytes if self.session.has_data_to_send else 0
        if pending:
            await self._hand_over(pending)
            await self._maybe_checkpoint()

    async def _hand_over(self, pending: int) -> None:
        if self._inline:
            try:
                await self._write_pending()
            except SonioxRealtimeError:
                await self._abort()  # as a failed writer job does: the reader wakes and raises too
                # The failure recorded first, with its class (a write timeout the clock job
                # saw stays a timeout).
                raise self._failed(TransportFailure.NOT_OPEN) from None
            return
        stream = self._stream
        failure: OSError | None = None
        with self.guard:
            wakeup, self._writer_wakeup = self._writer_wakeup, None
            # With the writer idle and the socket free, a sender writes what the socket
            # takes at once, without waiting (nothing to cancel half-way; under the
            # guard, so two senders keep their order); the writer gets the rest. At
            # real-time pace that is every frame, and waking the writer would cost a
            # scheduling round (a thread switch) per frame.
            idle = wakeup is not None and not self._write_lock.locked()
            if idle and stream is not None and stream.sends_now:
                data = self._outgoing()
                try:
                    sent = stream.send_now(data)
                except OSError as exc:
                    failure = exc
                    self._writer_wakeup = wakeup  # for _abort to wake the writer, which then ends
                else:
                    if sent == len(data):
                        self._writer_wakeup = wakeup  # still idle
                        return
                    self._leftover = data[sent:]
        if failure is not None:
            self._failed(TransportFailure.SEND_FAILED)
            await self._abort()
            raise self._failed(TransportFailure.NOT_OPEN) from safe_cause(failure)
        if wakeup is not None:
            wakeup.set()
        if pending >= WRITE_BUFFER_HIGH_WATER:
            await self._wait_drained()

    def _outgoing(self) -> bytes:
        """What to write next (under ``guard``): a direct write's unsent end first."""
        data = self.session.data_to_send()
        if self._leftover:
            data, self._leftover = self._leftover + data, b""
        return data

    async def _wait_drained(self) -> None:
        session = self.session
        while True:
            with self.guard:
                if session.pending_bytes < WRITE_BUFFER_HIGH_WATER:
                    return
                drained = self._buffer_drained
                if drained is None:
                    drained = self._buffer_drained = backend.Event()
            self.require_open()  # raises the writer's failure, if it failed
            await drained.wait()
            self._unchecked = 0

    async def _maybe_checkpoint(self) -> None:
        # No scheduling round here (that is the writer's job). A cancelled caller
        # still stops here, at every CHECKPOINT_EVERY-th call: a check on each costs
        # a third of what sending a frame does, on asyncio and trio alike.
        self._unchecked += 1
        if self._unchecked >= CHECKPOINT_EVERY:
            self._unchecked = 0
            await backend.checkpoint()

    async def receive(self) -> EventT | None:
        """The session's next event, or ``None`` once it is over; raises its failure."""
        session = self.session
        with self.guard:
            item = session.next_event()
        if not isinstance(item, Signal):
            return item  # already read: no lock, no wait (most events come several per read)
        async with self._receive_lock:
            while True:
                with self.guard:
                    item = session.next_event()
                if not isinstance(item, Signal):
                    return item
                if item is END:
                    return None
                received = await self._read()
                with self.guard:
                    session.receive_data(received)
                if self._stream is not None:
                    # The writer's failure is recorded in the session, and the next
                    # round raises it: after the events, and the server's own error,
                    # that arrived before it.
                    with contextlib.suppress(SonioxRealtimeError):
                        await self.flush()  # pongs and close replies

    def start_background(self, job: Callable[[], Awaitable[None]]) -> backend.BackgroundJob:
        """Run ``job`` beside the caller; its failure is recorded in the session, not lost."""
        if not self._workers.running or self._stream is None:
            raise SonioxRealtimeError("Realtime session is not connected")

        async def run() -> None:
            try:
                await job()
            except Exception as exc:
                with self.guard:
                    self.session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
                await self._abort()  # wakes the reader, which raises the recorded error

        self._workers.start(run, "soniox-realtime-sender", own=False)

    # --- I/O ---------------------------------------------------------------------------

    async def _read(self) -> bytes | None:
        """Read, under the idle receive timeout that the clock job enforces."""
        stream = self._stream
        if stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        timeout = self._options.receive_timeout_sec
        if timeout is not None:
            self._read_deadline = self.clock() + timeout
        try:
            return await stream.receive()
        finally:
            self._read_deadline = None

    async def _write_pending(self) -> None:
        """Write what the session has queued, now, under the write timeout."""
        if self._inline:
            # The stream takes each write whole, in the order written: no lock needed.
            await self._write_queued()
            return
        async with self._write_lock:
            await self._write_queued()

    async def _write_queued(self) -> None:
        with self.guard:
            data = self._outgoing()
        if not data:
            return
        stream = self._stream
        if stream is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        timeout = self._options.write_timeout_sec
        if timeout is not None:
            self._write_deadline = self.clock() + timeout
        try:
            await stream.send(data)
        except OSError as exc:
            raise self._failed(TransportFailure.SEND_FAILED) from safe_cause(exc)
        finally:
            self._write_deadline = None

    async def _writer_loop(self) -> None:
        session, generation = self.session, self._generation
        try:
            while True:
                with self.guard:
                    if not self._live(generation):
                        return
                    drained = None
                    if session.pending_bytes < WRITE_BUFFER_HIGH_WATER:
                        drained, self._buffer_drained = self._buffer_drained, None
                    wakeup = None
                    if not session.has_data_to_send and not self._leftover:
                        wakeup = self._writer_wakeup = backend.Event()
                if drained is not None:
                    drained.set()
                if wakeup is not None:
                    await wakeup.wait()
                    continue
                await self._write_pending()
        except Exception as exc:
            if self._live(generation):
                with self.guard:
                    session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
                await self._abort()

    async def _clock_loop(self) -> None:
        # The session's timers (keepalives) and the receive and write timeouts, in one
        # job: it sleeps until the next timer or the deadline of the read or write in
        # progress (with neither in progress, a quarter of the shortest timeout), then
        # looks again. Steady reads and writes carry no timer of their own, which on an
        # event loop would cost more than the frame.
        options = self._options
        timeouts = [t for t in (options.receive_timeout_sec, options.write_timeout_sec) if t is not None]
        poll = min(timeouts) / 4 if timeouts else None
        session, generation = self.session, self._generation
        stop = self._stop
        try:
            while self._live(generation):
                now = self.clock()
                write_deadline, read_deadline = self._write_deadline, self._read_deadline
                if write_deadline is not None and now >= write_deadline:
                    self._failed(TransportFailure.SEND_TIMEOUT)
                    await self._abort()  # wakes the blocked write, which finds the error
                    return
                if read_deadline is not None and now >= read_deadline:
                    kind, timeout = TransportFailure.RECEIVE_TIMEOUT, options.receive_timeout_sec
                    with self.guard:
                        error = session.transport_failed(kind, timeout_sec=timeout)
                    if error is None and timeout is not None:  # paused: the wait starts over
                        self._read_deadline = now + timeout
                        continue
                    await self._abort()  # wakes the blocked read, which finds the error
                    return
                with self.guard:
                    due = session.next_timer_at()
                if due is not None and due <= now:
                    with self.guard:
                        session.handle_timer(now)
                    await self.flush()
                    continue
                wake = [d for d in (due, write_deadline, read_deadline) if d is not None]
                if poll is not None and write_deadline is None and read_deadline is None:
                    wake.append(now + poll)
                if not wake:
                    return  # nothing left to time (e.g. past the end of audio, no timeouts)
                await backend.wait_event(stop, min(wake) - now)
        except Exception as exc:
            if self._live(generation):
                with self.guard:
                    session.transport_failed(TransportFailure.WORKER_FAILED, cause=exc)
                await self._abort()


async def dial(endpoint: Endpoint, options: DriverOptions, deadline: float) -> backend.Stream:
    """A stream to ``endpoint``: TCP, through the proxy's CONNECT tunnel when
    ``options.proxy`` is set, then TLS for ``wss://``; every step by ``deadline``.

    Raises ``TimeoutError``, ``OSError``, or ``SonioxRealtimeError`` when the
    proxy refuses the tunnel.
    """
    proxy = options.proxy
    if proxy is not None and proxy.secure and endpoint.secure and not backend.TLS_IN_TLS:
        raise SonioxRealtimeError(f"Proxy {proxy}: wss:// through an https:// proxy needs the async client")
    needs_tls = endpoint.secure or (proxy is not None and proxy.secure)
    context = ssl_context(options.tls) if needs_tls else None
    via = endpoint if proxy is None else proxy
    stream = await backend.connect_tcp(
        via.host, via.port, max(0.001, deadline - backend.clock()), tunnel=proxy is not None
    )
    try:
        if proxy is not None:
            if proxy.secure and context is not None:
                await stream.start_tls(context, proxy.host, max(0.001, deadline - backend.clock()))
            tunnel = ProxyTunnel(proxy, endpoint.host, endpoint.port)
            await stream.send(tunnel.request_bytes(), max(0.001, deadline - backend.clock()))
            while not tunnel.receive_data(await stream.receive(max(0.0, deadline - backend.clock()))):
                pass
        if endpoint.secure and context is not None:
            await stream.start_tls(context, endpoint.host, max(0.001, deadline - backend.clock()))
    except BaseException:
        await stream.aclose()
        raise
    return stream
