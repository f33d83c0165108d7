"""httpcore's async network backend (asyncio or trio), reading in growing chunks."""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterable
from typing import Any

import httpcore

from soniox_sync._pool import ReadSize

__all__ = ["AsyncLargeReadBackend"]


def _running_trio() -> bool:
    # trio is imported by whoever runs it, so an absent module means asyncio.
    trio = sys.modules.get("trio")
    if trio is None:
        return False
    try:
        trio.lowlevel.current_trio_token()
    except RuntimeError:
        return False
    return True


class _LargeReadStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._size = ReadSize()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._inner.read(self._size.ask(max_bytes), timeout)
        self._size.got(len(data))
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _LargeReadStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncLargeReadBackend(httpcore.AsyncNetworkBackend):
    """The async twin of ``soniox_sync._pool.LargeReadBackend``."""

    def __init__(self) -> None:
        self._backends: dict[str, httpcore.AsyncNetworkBackend] = {}

    @property
    def _inner(self) -> httpcore.AsyncNetworkBackend:
        # Native trio streams under trio, anyio's (asyncio) streams otherwise.
        library = "trio" if _running_trio() else "asyncio"
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
        return _LargeReadStream(
            await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _LargeReadStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
