"""httpcore's async network backend (asyncio or trio), reading in growing chunks,
and which event loop is running.

Only the async runner uses it: on asyncio, anyio hands out 64 KiB reads by
splitting and copying its buffer, which made big answers slow. The sync
runner's plain socket reads measured no better with it, so it keeps httpcore's.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Callable, Iterable
from typing import Any

import httpcore

__all__ = ["AsyncLargeReadBackend", "loop_clock", "loop_token", "running_trio"]


class ReadSize:
    """How much to ask the socket for: httpcore asks for 64 KiB, which makes a 10 MB
    transcript 160 reads and as many parser rounds. While reads come back full the
    size grows (up to 256 KiB); after a short read it falls back, so small answers do
    not pay for a big buffer. Under asyncio a big request costs nothing (anyio
    hands out what its buffer holds, allocating nothing), so it stays at the
    maximum; trio's ``recv`` allocates what is asked, hence the growing.

    Not beyond 256 KiB: trio's ``recv`` shrinks its piece to what arrived, so the
    allocator maps a bigger one fresh from the kernel on every read, and in a cold
    process those page faults cost more than the parser rounds saved (a 10 MB body
    read in 1 MiB pieces took 9,000 faults instead of 3,300). asyncio's transport
    reads 256 KiB at a time anyway."""

    MIN = 64 * 1024
    MAX = 256 * 1024

    __slots__ = ("fixed", "size")

    def __init__(self, *, fixed: bool = False) -> None:
        self.fixed = fixed
        self.size = self.MAX if fixed else self.MIN

    def ask(self, requested: int) -> int:
        """The number of bytes to request now."""
        return max(requested, self.size)

    def got(self, received: int) -> None:
        """Record how many bytes the last read returned."""
        if self.fixed:
            return
        self.size = min(self.size * 4, self.MAX) if received >= self.size else self.MIN


def _trio_token() -> object | None:
    # trio is imported by whoever runs it, so an absent module means asyncio.
    trio = sys.modules.get("trio")
    if trio is None:
        return None
    try:
        token: object = trio.lowlevel.current_trio_token()
    except RuntimeError:
        return None
    return token


def running_trio() -> bool:
    """Whether the calling task runs under trio (else asyncio)."""
    return _trio_token() is not None


def loop_token() -> object:
    """What identifies the running event loop: trio's token, or the asyncio loop."""
    # Not anyio.lowlevel.current_token(): its first call imports anyio's backend
    # for the loop (~17 ms), which trio, whose streams and locks are trio's own,
    # otherwise never needs.
    token = _trio_token()
    if token is not None:
        return token
    import asyncio

    return asyncio.get_running_loop()


def loop_clock() -> Callable[[], float]:
    """The running loop's clock, the one ``anyio.current_time()`` reads, for callers
    that read it often (no lookup of the async library on every call)."""
    if running_trio():
        import trio

        return trio.current_time
    import asyncio

    return asyncio.get_running_loop().time


# Up to CPython 3.11, asyncio's transport keeps what the socket did not take of a
# write as ``data[n:]`` and then copies that into its buffer: two copies of a big
# ``bytes`` (an upload chunk), one of a ``memoryview``.
_VIEW_WRITES_FROM = 64 * 1024


class _LargeReadStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream, size: ReadSize, *, write_views: bool) -> None:
        self._inner = inner
        self._size = size
        self._write_views = write_views

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._inner.read(self._size.ask(max_bytes), timeout)
        self._size.got(len(data))
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._write_views and len(buffer) >= _VIEW_WRITES_FROM:
            buffer = memoryview(buffer)  # type: ignore[assignment]
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _LargeReadStream(
            await self._inner.start_tls(ssl_context, server_hostname, timeout),
            self._size,
            write_views=self._write_views,
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _wrap(inner: httpcore.AsyncNetworkStream) -> _LargeReadStream:
    on_trio = running_trio()
    # trio's send_all already writes through memoryviews.
    return _LargeReadStream(inner, ReadSize(fixed=not on_trio), write_views=not on_trio)


class AsyncLargeReadBackend(httpcore.AsyncNetworkBackend):
    """httpcore's backend for the running event loop, with streams that read in growing chunks."""

    def __init__(self) -> None:
        self._backends: dict[str, httpcore.AsyncNetworkBackend] = {}

    @property
    def _inner(self) -> httpcore.AsyncNetworkBackend:
        # Native trio streams under trio, anyio's (asyncio) streams otherwise.
        library = "trio" if running_trio() else "asyncio"
        backend = self._backends.get(library)
        if backend is None:
            backend = httpcore.TrioBackend() if library == "trio" else httpcore.AnyIOBackend()
            self._backends[library] = backend
        return backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _wrap(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _wrap(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
