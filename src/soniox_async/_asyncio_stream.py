"""A realtime socket on asyncio's own transport, without anyio's per-call rounds.

anyio's asyncio ``SocketStream`` costs a scheduling round (``sleep(0)``) on every
send and two ``epoll_ctl`` system calls on every receive (it pauses the
transport's reading between calls). A realtime session sends and receives a
frame every ~100 ms per session, and with a hundred sessions in one loop those
rounds were a third of the process's CPU (W8). Here a ``Protocol`` buffers what
arrives, ``receive`` hands it over without a round when there is some, and a
write goes to the transport at once (the whole frame: a cancelled caller never
leaves half a frame on the wire), waiting only while the transport's buffer is
above its high-water mark.

Only plain TCP connections to the service use it; proxied ones keep anyio's
stream (TLS inside TLS), see ``_backend.connect_tcp``.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque

import anyio

__all__ = ["AsyncioStream", "open_asyncio_stream"]

# Reading stops while this much is buffered and unread (a reader that fell behind).
READ_HIGH_WATER = 1024 * 1024


class _Protocol(asyncio.Protocol):
    __slots__ = (
        "buffered", "chunks", "closed", "drain_waiter", "eof", "paused", "read_paused", "transport", "waiter"
    )

    def __init__(self) -> None:
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.waiter: asyncio.Future[None] | None = None  # a reader waiting for data
        self.drain_waiter: asyncio.Future[None] | None = None  # a writer waiting for room
        self.paused = False  # writing: the transport's buffer is above its high-water mark
        self.read_paused = False
        self.eof = False  # the peer finished sending, or the connection is gone
        self.closed = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered >= READ_HIGH_WATER and not self.read_paused and self.transport is not None:
            self.read_paused = True
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake_reader()
        return False  # close the transport: the protocols on top never half-close

    def connection_lost(self, exc: BaseException | None) -> None:
        # Also called by AsyncioStream.aclose, ahead of the transport's own call.
        self.eof = self.closed = True
        self._wake_reader()
        waiter, self.drain_waiter = self.drain_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        waiter, self.drain_waiter = self.drain_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_reader(self) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def take(self) -> bytes:
        chunks = self.chunks
        data = chunks.popleft() if len(chunks) == 1 else b"".join(chunks)
        chunks.clear()
        self.buffered = 0
        if self.read_paused and self.transport is not None and not self.closed:
            self.read_paused = False
            self.transport.resume_reading()
        return data


class AsyncioStream:
    """``_backend.Stream``'s interface over an asyncio transport (see the module's docstring)."""

    __slots__ = ("_loop", "_protocol", "_transport")

    writes_inline = True  # a send never leaves part of a frame behind
    sends_now = False  # (the driver writes through send(), which never waits but when full)

    def __init__(
        self, loop: asyncio.AbstractEventLoop, transport: asyncio.Transport, protocol: _Protocol
    ) -> None:
        self._loop = loop
        self._transport = transport
        self._protocol = protocol

    def write_now(self, data: bytes) -> bool:
        """Hand ``data`` to the transport; True if the caller should wait for ``drain``.

        Raises ``ConnectionError`` once the connection is gone.
        """
        protocol = self._protocol
        if protocol.closed or self._transport.is_closing():
            raise ConnectionError("the connection is closed")
        self._transport.write(data)
        return protocol.paused

    def send_now(self, data: bytes) -> int:
        """Unused here (``sends_now`` is False): writes go through ``send``."""
        raise NotImplementedError

    async def drain(self) -> None:
        """Wait until the transport's buffer is below its high-water mark (or the connection ends)."""
        protocol = self._protocol
        while protocol.paused and not protocol.closed:
            waiter = protocol.drain_waiter
            if waiter is None or waiter.done():  # done: cancelled with an earlier writer
                waiter = protocol.drain_waiter = self._loop.create_future()
            await waiter
        if protocol.closed:
            raise ConnectionError("the connection is closed")

    async def send(self, data: bytes, timeout: float | None = None) -> None:
        """Write all of ``data``; raises ``TimeoutError``, or ``OSError`` if the connection broke."""
        if self.write_now(data):
            if timeout is None:
                await self.drain()
                return
            with anyio.fail_after(timeout):
                await self.drain()

    async def receive(self, timeout: float | None = None) -> bytes | None:
        """Bytes read, or ``None`` at EOF or a broken connection; raises ``TimeoutError``."""
        protocol = self._protocol
        if protocol.chunks:
            return protocol.take()
        if timeout is None:
            return await self._wait_data()
        with anyio.fail_after(timeout):
            return await self._wait_data()

    async def _wait_data(self) -> bytes | None:
        protocol = self._protocol
        while not protocol.chunks:
            if protocol.eof:
                return None
            waiter = protocol.waiter = self._loop.create_future()
            try:
                await waiter
            finally:
                protocol.waiter = None
        return protocol.take()

    async def start_tls(self, context: ssl.SSLContext, hostname: str, timeout: float) -> None:
        """Speak TLS to ``hostname`` from now on; raises ``ConnectionError`` or ``TimeoutError``."""
        try:
            with anyio.fail_after(timeout):
                transport = await self._loop.start_tls(
                    self._transport, self._protocol, context, server_hostname=hostname
                )
        except (ssl.SSLError, ConnectionError) as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc
        if transport is None:
            raise ConnectionError("the connection closed during the TLS handshake")
        self._transport = transport
        self._protocol.transport = transport

    async def aclose(self) -> None:
        transport = self._transport
        transport.close()
        if transport.get_write_buffer_size():
            # A peer that reads nothing would keep a graceful close waiting forever.
            transport.abort()
        self._protocol.connection_lost(None)  # wakes a blocked reader or writer now


async def open_asyncio_stream(host: str, port: int) -> AsyncioStream:
    """TCP to ``host:port`` on the running asyncio loop; raises ``OSError``."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(_Protocol, host, port)
    assert isinstance(transport, asyncio.Transport)
    return AsyncioStream(loop, transport, protocol)
