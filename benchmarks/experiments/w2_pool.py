"""W2 experiment: httpcore's AsyncConnectionPool against a minimal LIFO pool.

    python benchmarks/experiments/w2_pool.py URL [pool|lifo] [--requests N] [--tasks K]

URL is a ``GET``-able JSON resource (e.g. the nginx of ``run.py``:
``http://127.0.0.1:PORT/v1/files/x``). Prints requests/s and process CPU seconds.

Why: with 64 concurrent tasks, every request through ``httpcore.AsyncConnectionPool``
scans all pooled connections and all waiting requests, calling ``has_expired()`` on
each idle connection, which probes the socket through anyio's ``extra()`` (a fresh
attribute dict and a ``getpeername`` per call). The LIFO pool below touches only the
connection it hands out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import httpcore

TIMEOUTS = {"timeout": {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}}


class LifoPool:
    """Idle connections on a stack, a semaphore for the connection limit, one origin."""

    def __init__(self, url: httpcore.URL, limit: int = 100) -> None:
        self._origin = httpcore.Origin(url.scheme, url.host, url.port or 80)
        self._idle: list[httpcore.AsyncHTTPConnection] = []
        self._limit = asyncio.Semaphore(limit)

    async def request(self, method: bytes, url: httpcore.URL, headers: Any) -> tuple[int, bytes]:
        async with self._limit:
            conn = None
            while self._idle:
                candidate = self._idle.pop()
                if candidate.is_idle() and not candidate.has_expired():
                    conn = candidate
                    break
                await candidate.aclose()
            if conn is None:
                conn = httpcore.AsyncHTTPConnection(self._origin)
            req = httpcore.Request(method, url, headers=headers, extensions=TIMEOUTS)
            resp = await conn.handle_async_request(req)
            try:
                body = b"".join([part async for part in resp.stream])  # type: ignore[union-attr]
            finally:
                await resp.aclose()
            if conn.is_idle():
                self._idle.append(conn)
            return resp.status, body


async def run(kind: str, url_text: str, requests: int, tasks: int) -> tuple[float, float]:
    url = httpcore.URL(url_text)
    host = url.host + (b":%d" % url.port if url.port else b"")
    headers = [(b"Host", host), (b"Authorization", b"Bearer bench-key")]
    if kind == "pool":
        pool = httpcore.AsyncConnectionPool(max_connections=100, keepalive_expiry=30.0)

        async def get() -> Any:
            r = await pool.request("GET", url, headers=headers[1:], extensions=TIMEOUTS)
            return json.loads(r.content)
    else:
        lifo = LifoPool(url)

        async def get() -> Any:
            _, body = await lifo.request(b"GET", url, headers)
            return json.loads(body)

    await get()

    async def worker(count: int) -> None:
        for _ in range(count):
            await get()

    per_task = requests // tasks
    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*[worker(per_task) for _ in range(tasks)])
    return per_task * tasks / (time.perf_counter() - t0), time.process_time() - c0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("kind", choices=["pool", "lifo"])
    p.add_argument("--requests", type=int, default=6000)
    p.add_argument("--tasks", type=int, default=64)
    a = p.parse_args()
    rps, cpu = asyncio.run(run(a.kind, a.url, a.requests, a.tasks))
    print(f"{a.kind}: {rps:,.0f} req/s, {cpu:.2f} CPU s")


if __name__ == "__main__":
    main()
