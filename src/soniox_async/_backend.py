"""Everything the async client does differently from the blocking one, in one module.

The rest of ``soniox_async`` is written so that ``scripts/unasync.py`` can turn
it into ``soniox_sync`` line by line; what cannot be translated that way lives
here, and ``soniox_sync/_backend.py`` is its hand-written twin with the same
names: the clock, sleeping, locks and events (every wait can be bounded),
cancellation shielding, background workers (a task group here, threads there),
the network stream a realtime session runs on, and the HTTP pool's pieces.
This side runs on anyio, so on asyncio and trio alike.
"""

from __future__ import annotations

import contextlib
import inspect
import socket
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeAlias, TypeVar

import anyio
import anyio.abc
import anyio.lowlevel
import anyio.to_thread
import httpcore
from anyio.streams.tls import TLSStream

from soniox_core._config import ClientConfig
from soniox_core._multipart import MultipartBody
from soniox_core.websocket._options import READ_SIZE_BYTES

from ._asyncio_stream import AsyncioStream, open_asyncio_stream
from ._deadline import AsyncDeadlineBackend
from ._network import AsyncLargeReadBackend, loop_clock, loop_token, running_trio
from ._pool import pool_options
from ._upload import file_chunks

__all__ = [
    "TLS_IN_TLS",
    "BackgroundJob",
    "Event",
    "Guard",
    "Lock",
    "Stream",
    "Workers",
    "checkpoint",
    "cleanup_scope",
    "in_worker",
    "iterate",
    "maybe_await",
    "clock",
    "connect_tcp",
    "loop_token",
    "new_pool",
    "read_file_chunks",
    "session_clock",
    "shield",
    "sleep",
    "upload_chunks",
    "wait_event",
]

T = TypeVar("T")

BackgroundJob: TypeAlias = None  # what starting a background job returns (a thread, in sync)

clock = anyio.current_time
sleep = anyio.sleep
session_clock = loop_clock  # the loop's clock, looked up once (read per chunk)


def shield() -> anyio.CancelScope:
    """A scope cancellation cannot enter: for cleanup that must complete."""
    return anyio.CancelScope(shield=True)


def cleanup_scope(limit_sec: float) -> anyio.CancelScope:
    """Shielded cleanup that gives up after ``limit_sec``."""
    return anyio.CancelScope(shield=True, deadline=anyio.current_time() + limit_sec)


async def checkpoint() -> None:
    """Let a cancelled caller stop here (no scheduling round otherwise)."""
    await anyio.lowlevel.checkpoint_if_cancelled()


class Guard:
    """Guards a session against other threads: none here (one event loop thread)."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class Lock:
    """An async lock whose acquisition can be bounded."""

    __slots__ = ("_lock",)

    def __init__(self) -> None:
        # fast_acquire: no scheduling checkpoint when the lock is free (the usual case).
        self._lock = anyio.Lock(fast_acquire=True)

    async def acquire(self, *, timeout: float) -> bool:
        """Take the lock; False if ``timeout`` passed first."""
        with anyio.move_on_after(timeout):
            await self._lock.acquire()
            return True
        return False

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    async def __aenter__(self) -> None:
        await self._lock.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self._lock.release()


Event = anyio.Event


async def wait_event(event: anyio.Event, timeout: float | None) -> bool:
    """Wait for ``event``; False if ``timeout`` passed first."""
    if timeout is None:
        await event.wait()
        return True
    with anyio.move_on_after(timeout):
        await event.wait()
        return True
    return False


class Workers:
    """Background jobs of a session: tasks of one task group, stopped on exit."""

    def __init__(self) -> None:
        self._group: anyio.abc.TaskGroup | None = None

    async def __aenter__(self) -> Workers:
        group = anyio.create_task_group()
        await group.__aenter__()
        self._group = group
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        group, self._group = self._group, None
        if group is not None:
            group.cancel_scope.cancel()
            # The jobs never raise, so this only waits for them to stop; the
            # caller's own exception propagates unchanged, not in a group.
            await group.__aexit__(None, None, None)

    @property
    def running(self) -> bool:
        return self._group is not None

    def start(
        self, job: Callable[[], Coroutine[Any, Any, None]], name: str, *, own: bool = True
    ) -> BackgroundJob:
        """Run ``job`` beside the caller; it must not raise. Every job is cancelled on
        exit (``own`` matters to threads, which cannot be: only the driver's are joined)."""
        if self._group is None:
            raise RuntimeError("workers are not running")
        self._group.start_soon(job, name=name)


class AnyioStream:
    """A connected byte stream whose reads and writes can be bounded."""

    __slots__ = ("_raw", "_stream")

    # Whether a caller may write itself rather than hand the bytes to a writer job:
    # trio's send_all can leave part of a frame unsent when its caller is cancelled.
    writes_inline = False

    def __init__(self, stream: anyio.abc.ByteStream) -> None:
        self._stream = stream
        # trio's socket has no buffer of its own, so with no send_all in progress a
        # direct write keeps the order (asyncio's transport may still hold bytes).
        raw = stream.extra(anyio.abc.SocketAttribute.raw_socket, None) if running_trio() else None
        self._raw: socket.socket | None = raw

    @property
    def sends_now(self) -> bool:
        """Whether ``send_now`` can write (a plain TCP socket on trio)."""
        return self._raw is not None

    def send_now(self, data: bytes) -> int:
        """Write what the socket takes without waiting; how many bytes that was.

        Call only when no ``send`` is in progress. Raises ``OSError``.
        """
        assert self._raw is not None
        try:
            return self._raw.send(data)
        except BlockingIOError:
            return 0

    async def send(self, data: bytes, timeout: float | None = None) -> None:
        """Write all of ``data``; raises ``TimeoutError``, or ``OSError`` if the connection broke.

        Without a timeout no cancel scope is made: on asyncio and trio alike one
        with a deadline costs tens of microseconds, more than a frame's worth of
        work (the driver bounds its steady reads and writes with its clock job).
        """
        try:
            if timeout is None:
                await self._stream.send(data)
                return
            with anyio.fail_after(timeout):
                await self._stream.send(data)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError) as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc

    async def receive(self, timeout: float | None = None) -> bytes | None:
        """Bytes read, or ``None`` at EOF or a broken connection; raises ``TimeoutError``."""
        if timeout is None:
            return await self._receive()
        with anyio.fail_after(timeout):  # outside: its TimeoutError is an OSError
            return await self._receive()

    async def _receive(self) -> bytes | None:
        try:
            return await self._stream.receive(READ_SIZE_BYTES)
        except (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            return None

    async def start_tls(self, context: ssl.SSLContext, hostname: str, timeout: float) -> None:
        """Speak TLS to ``hostname`` from now on (inside the TLS to an ``https://`` proxy, too)."""
        try:
            with anyio.fail_after(timeout):
                self._stream = await TLSStream.wrap(self._stream, hostname=hostname, ssl_context=context)
                self._raw = None  # bytes on the socket are TLS records from now on
        except (anyio.BrokenResourceError, anyio.EndOfStream, ssl.SSLError) as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        # A TLS close sends close_notify; a peer that already hung up makes that
        # fail (Python 3.10's ssl reports the EOF, which anyio raises as
        # BrokenResourceError). anyio has closed the socket by then.
        closing_errors = (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)
        with anyio.CancelScope(shield=True), contextlib.suppress(*closing_errors):
            await self._stream.aclose()


Stream: TypeAlias = AnyioStream | AsyncioStream  # a realtime connection; see connect_tcp

TLS_IN_TLS = True  # wss:// through an https:// proxy: anyio's TLS wraps any stream


async def connect_tcp(host: str, port: int, timeout: float, *, tunnel: bool = False) -> Stream:
    """TCP to ``host:port``; raises ``TimeoutError`` or ``OSError``.

    ``tunnel``: the connection goes to a proxy, and may need TLS inside TLS,
    which only anyio's stream does on every Python we support.
    """
    with anyio.fail_after(timeout):
        if tunnel or running_trio():
            return AnyioStream(await anyio.connect_tcp(host, port))
        return await open_asyncio_stream(host, port)


def new_pool(config: ClientConfig) -> httpcore.AsyncConnectionPool:
    """The HTTP connection pool, reading in growing chunks."""
    backend = AsyncDeadlineBackend(AsyncLargeReadBackend())
    return httpcore.AsyncConnectionPool(network_backend=backend, **pool_options(config))


def upload_chunks(body: MultipartBody) -> AsyncIterator[bytes]:
    """An upload's file body in chunks, read ahead in a thread (the loop never blocks on disk)."""
    return file_chunks(body)


async def in_worker(func: Callable[..., T], *args: object) -> T:
    """``func(*args)`` in a worker thread: blocking work (disk) off the event loop."""
    return await anyio.to_thread.run_sync(func, *args)


async def read_file_chunks(source: str | Path | IO[bytes], size: int) -> AsyncIterator[bytes]:
    """A file (path or binary file object) in chunks; reads run in a worker thread."""
    if isinstance(source, (str, Path)):
        async with await anyio.open_file(source, "rb") as async_file:
            while chunk := await async_file.read(size):
                yield chunk
        return
    while chunk := await anyio.to_thread.run_sync(source.read, size):
        yield chunk


async def iterate(chunks: Iterable[bytes] | AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """Chunks from a plain or an async iterable, as an async iterator."""
    if isinstance(chunks, AsyncIterable):
        async for chunk in chunks:
            yield chunk
    else:
        for chunk in chunks:
            yield chunk


async def maybe_await(result: object) -> None:
    """Await what a user's callback returned, if it is awaitable (async handlers)."""
    if inspect.isawaitable(result):
        await result
