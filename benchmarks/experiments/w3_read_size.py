"""W3 experiment: how the socket read size changes fetching + parsing a big transcript.

    PYTHONPATH=src python benchmarks/experiments/w3_read_size.py URL [--calls N]

URL is the API base (e.g. ``http://127.0.0.1:PORT/v1`` of ``run.py``'s nginx). For the
sync and the asyncio client it times ``stt.get_transcript`` as shipped and with a pool
whose network backend reads at least 1 MiB at a time (httpcore asks for 64 KiB),
interleaved, and prints the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import httpcore

from soniox_async import AsyncSonioxClient
from soniox_async._runner import AsyncRunner
from soniox_sync import SonioxClient
from soniox_sync._pool import pool_options
from soniox_sync._runner import Runner

MIN_READ = 1 << 20


class _BigReadStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max(max_bytes, MIN_READ), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _BigReadStream(self._inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class BigReadBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _BigReadStream(self._inner.connect_tcp(*args, **kwargs))

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _BigReadStream(self._inner.connect_unix_socket(*args, **kwargs))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncBigReadStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max(max_bytes, MIN_READ), timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _AsyncBigReadStream(await self._inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class AsyncBigReadBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _AsyncBigReadStream(await self._inner.connect_tcp(*args, **kwargs))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _AsyncBigReadStream(await self._inner.connect_unix_socket(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def sync_times(base: str, big: bool, calls: int) -> list[float]:
    client = SonioxClient(api_key="bench-key", api_base_url=base)
    if big:
        pool = httpcore.ConnectionPool(**pool_options(client.config), network_backend=BigReadBackend())
        client._runner = Runner(client.config, pool=pool)
    client.stt.get_transcript("x")
    out = []
    for _ in range(calls):
        t0 = time.perf_counter()
        transcript = client.stt.get_transcript("x")
        out.append(time.perf_counter() - t0)
        del transcript
    client.close()
    return out


async def async_times(base: str, big: bool, calls: int) -> list[float]:
    client = AsyncSonioxClient(api_key="bench-key", api_base_url=base)
    if big:
        pool = httpcore.AsyncConnectionPool(
            **pool_options(client.config), network_backend=AsyncBigReadBackend()
        )
        client._runner = AsyncRunner(client.config, pool=pool)
    await client.stt.get_transcript("x")
    out = []
    for _ in range(calls):
        t0 = time.perf_counter()
        transcript = await client.stt.get_transcript("x")
        out.append(time.perf_counter() - t0)
        del transcript
    await client.aclose()
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("--calls", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    res: dict[str, list[float]] = {}
    for _ in range(a.rounds):
        for big in (False, True):
            label = "min 1 MiB reads" if big else "as shipped"
            res.setdefault(f"sync  {label}", []).extend(sync_times(a.base, big, a.calls))
            res.setdefault(f"async {label}", []).extend(asyncio.run(async_times(a.base, big, a.calls)))
    for label, times in sorted(res.items()):
        print(f"{label}: {statistics.median(times) * 1000:.1f} ms (median of {len(times)})")


if __name__ == "__main__":
    main()
