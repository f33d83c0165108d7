"""Run ONE workload with ONE client in this (fresh) process and print one JSON line.

    python runner.py WORKLOAD CLIENT --http URL --ws URL --sizes JSON [--upload PATH]

It runs under two interpreters: the project's venv (our clients and the floor) and
``.work/venv-official`` (soniox==2.10.0). So it imports nothing at module level except
``sys`` and ``time``: W7 measures an import, and the official venv has no msgspec.

Clients
  ours-sync, ours-asyncio, ours-trio      this SDK (soniox_sync / soniox_async)
  official-sync, official-async           soniox==2.10.0 (httpx + pydantic, websockets)
  floor-sync, floor-asyncio, floor-trio   raw httpcore pools + json.loads
  floor-socket                            raw socket + h11 (REST) / websockets sans-I/O (realtime)
"""

from __future__ import annotations

import sys
import time
from typing import Any

W7_MODULES = {
    "ours-sync": "soniox_sync",
    "ours-asyncio": "soniox_async",
    "ours-trio": "soniox_async",
    "official-sync": "soniox",
    "official-async": "soniox",
    "floor-sync": "httpcore",
    "floor-asyncio": "httpcore",
    "floor-trio": "httpcore",
    "floor-socket": "h11",
    "ours-sync+trio": "soniox_sync",
}
API_KEY = "bench-key"
BOUNDARY = "benchboundary7f3a9c1e"


def _w7(client: str) -> None:
    t0 = time.perf_counter()
    __import__(W7_MODULES[client])
    dt = time.perf_counter() - t0
    import json

    print(json.dumps({"workload": "W7", "client": client, "metrics": {"seconds": dt}}))


# --- process measurements ----------------------------------------------------------------


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


class Meter:
    """Wall, CPU, RSS before and peak RSS (VmHWM reset at start) around a block."""

    def __enter__(self) -> Meter:
        import gc

        gc.collect()
        self.rss_before = _status_kib("VmRSS:")
        _reset_peak()
        self.cpu0 = time.process_time()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.cpu0
        self.peak = _status_kib("VmHWM:")

    def metrics(self) -> dict[str, float]:
        return {
            "seconds": self.wall,
            "cpu_s": self.cpu,
            "rss_before_mib": self.rss_before / 1024,
            "peak_mib": self.peak / 1024,
            "growth_mib": (self.peak - self.rss_before) / 1024,
        }


# --- floor clients: raw httpcore pools + json.loads ----------------------------------------


def _multipart_parts(path: str) -> tuple[bytes, bytes, int]:
    import os

    name = os.path.basename(path)
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
        "\r\nContent-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head, tail, len(head) + os.path.getsize(path) + len(tail)


class _FloorNs:
    """`.files` / `.stt` namespaces with the SDK's method names, over a raw pool."""

    def __init__(self, owner: Any) -> None:
        self._o = owner

    def get(self, file_id: str) -> Any:
        return self._o.get_json(f"/files/{file_id}")

    def get_transcript(self, transcription_id: str) -> Any:
        return self._o.get_json(f"/transcriptions/{transcription_id}/transcript")

    def list_all(self, limit: int = 1000) -> Any:
        return self._o.list_all(limit)

    def upload(self, path: str) -> Any:
        return self._o.upload(path)


class FloorSync:
    def __init__(self, base: str) -> None:
        import json

        import httpcore

        self._loads = json.loads
        self._pool = httpcore.ConnectionPool(max_connections=8)
        self._base = base
        self._headers = [(b"Authorization", f"Bearer {API_KEY}".encode())]
        self.files = self.stt = _FloorNs(self)

    def get_json(self, path: str) -> Any:
        r = self._pool.request("GET", self._base + path, headers=self._headers)
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}")
        return self._loads(r.content)

    def list_all(self, limit: int) -> Any:
        cursor = None
        while True:
            q = f"/files?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            page = self.get_json(q)
            yield from page["files"]
            cursor = page.get("next_page_cursor")
            if not cursor:
                return

    def upload(self, path: str) -> Any:
        head, tail, length = _multipart_parts(path)

        def body() -> Any:
            yield head
            with open(path, "rb", buffering=0) as fh:
                while chunk := fh.read(1 << 20):
                    yield chunk
            yield tail

        headers = [
            *self._headers,
            (b"Content-Type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"Content-Length", str(length).encode()),
        ]
        r = self._pool.request("POST", self._base + "/files", headers=headers, content=body())
        if r.status != 201:
            raise RuntimeError(f"HTTP {r.status}")
        return self._loads(r.content)

    def close(self) -> None:
        self._pool.close()


class _FloorAsyncNs:
    def __init__(self, owner: Any) -> None:
        self._o = owner

    async def get(self, file_id: str) -> Any:
        return await self._o.get_json(f"/files/{file_id}")

    async def get_transcript(self, transcription_id: str) -> Any:
        return await self._o.get_json(f"/transcriptions/{transcription_id}/transcript")

    def list_all(self, limit: int = 1000) -> Any:
        return self._o.list_all(limit)

    async def upload(self, path: str) -> Any:
        return await self._o.upload(path)


class FloorAsync:
    def __init__(self, base: str) -> None:
        import json

        import httpcore

        self._loads = json.loads
        self._pool = httpcore.AsyncConnectionPool(max_connections=64)
        self._base = base
        self._headers = [(b"Authorization", f"Bearer {API_KEY}".encode())]
        self.files = self.stt = _FloorAsyncNs(self)

    async def get_json(self, path: str) -> Any:
        r = await self._pool.request("GET", self._base + path, headers=self._headers)
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}")
        return self._loads(r.content)

    async def list_all(self, limit: int) -> Any:
        cursor = None
        while True:
            q = f"/files?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            page = await self.get_json(q)
            for item in page["files"]:
                yield item
            cursor = page.get("next_page_cursor")
            if not cursor:
                return

    async def upload(self, path: str) -> Any:
        head, tail, length = _multipart_parts(path)

        async def body() -> Any:
            yield head
            with open(path, "rb", buffering=0) as fh:
                while chunk := fh.read(1 << 20):
                    yield chunk
            yield tail

        headers = [
            *self._headers,
            (b"Content-Type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"Content-Length", str(length).encode()),
        ]
        r = await self._pool.request("POST", self._base + "/files", headers=headers, content=body())
        if r.status != 201:
            raise RuntimeError(f"HTTP {r.status}")
        return self._loads(r.content)

    async def aclose(self) -> None:
        await self._pool.aclose()


class FloorSocket:
    """One keep-alive socket driven by h11; uploads stream the file with sendall."""

    def __init__(self, base: str) -> None:
        import json
        import socket
        from urllib.parse import urlsplit

        import h11

        self._h11 = h11
        self._loads = json.loads
        u = urlsplit(base)
        self._host = u.netloc.encode()
        self._prefix = u.path
        self._sock = socket.create_connection((u.hostname or "127.0.0.1", u.port or 80))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._conn = h11.Connection(h11.CLIENT)
        self._headers = [("Host", self._host), ("Authorization", f"Bearer {API_KEY}")]
        self.files = self.stt = _FloorNs(self)

    def _response(self) -> tuple[int, bytes]:
        h11 = self._h11
        conn, sock = self._conn, self._sock
        status = 0
        body: list[bytes] = []
        while True:
            event: Any = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(sock.recv(1 << 18))
            elif type(event) is h11.Response:
                status = event.status_code
            elif type(event) is h11.Data:
                body.append(event.data)
            elif type(event) is h11.EndOfMessage:
                conn.start_next_cycle()
                return status, b"".join(body)
            else:
                raise RuntimeError(f"unexpected {event!r}")

    def get_json(self, path: str) -> Any:
        h11 = self._h11
        conn = self._conn
        req = h11.Request(method="GET", target=self._prefix + path, headers=self._headers)
        self._sock.sendall(conn.send(req) + conn.send(h11.EndOfMessage()))
        status, body = self._response()
        if status != 200:
            raise RuntimeError(f"HTTP {status}")
        return self._loads(body)

    list_all = FloorSync.list_all

    def upload(self, path: str) -> Any:
        h11 = self._h11
        conn, sock = self._conn, self._sock
        head, tail, length = _multipart_parts(path)
        headers = [
            *self._headers,
            ("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"),
            ("Content-Length", str(length)),
        ]
        req = h11.Request(method="POST", target=self._prefix + "/files", headers=headers)
        sock.sendall(conn.send(req) + b"".join(conn.send_with_data_passthrough(h11.Data(head)) or []))
        buf = bytearray(1 << 20)
        view = memoryview(buf)
        with open(path, "rb", buffering=0) as fh:
            while n := fh.readinto(buf):
                for piece in conn.send_with_data_passthrough(h11.Data(view[:n])) or []:
                    sock.sendall(piece)
        sock.sendall(conn.send(h11.Data(tail)) + conn.send(h11.EndOfMessage()))
        status, body = self._response()
        if status != 201:
            raise RuntimeError(f"HTTP {status}")
        return self._loads(body)

    def close(self) -> None:
        self._sock.close()


# --- client factories -----------------------------------------------------------------------


def make_sync(client: str, base: str, ws: str) -> Any:
    if client == "ours-sync":
        from soniox_sync import SonioxClient

        return SonioxClient(api_key=API_KEY, api_base_url=base, websocket_base_url=ws)
    if client == "official-sync":
        from soniox import SonioxClient as OfficialClient

        return OfficialClient(api_key=API_KEY, api_base_url=base, websocket_base_url=ws)
    if client == "floor-sync":
        return FloorSync(base)
    if client == "floor-socket":
        return FloorSocket(base)
    raise SystemExit(f"unknown sync client {client}")


def make_async(client: str, base: str, ws: str) -> Any:
    if client in ("ours-asyncio", "ours-trio"):
        from soniox_async import AsyncSonioxClient

        return AsyncSonioxClient(api_key=API_KEY, api_base_url=base, websocket_base_url=ws)
    if client == "official-async":
        from soniox import AsyncSonioxClient as OfficialAsync

        return OfficialAsync(api_key=API_KEY, api_base_url=base, websocket_base_url=ws)
    if client in ("floor-asyncio", "floor-trio"):
        return FloorAsync(base)
    raise SystemExit(f"unknown async client {client}")


def _close_sync(c: Any) -> None:
    close = getattr(c, "close", None)
    if close is not None:
        close()


async def _close_async(c: Any) -> None:
    close = getattr(c, "aclose", None) or getattr(c, "close", None)
    if close is not None:
        res = close()
        if hasattr(res, "__await__"):
            await res


def _server_rx(base: str, upload: str) -> dict[str, float]:
    """Proof that the server application read the whole upload.

    Asks the kernel (``ss -ti``) about the server side of our still-open connection:
    ``bytes_received`` must cover the file and the receive queue must be empty, i.e. the
    server process read every byte rather than answering early. Empty when ``ss`` is
    missing or the client already closed the connection.
    """
    import os
    import re
    import shutil
    import subprocess
    from urllib.parse import urlsplit

    ss = shutil.which("ss")
    if ss is None:
        return {}
    port = urlsplit(base).port
    want = os.path.getsize(upload)
    deadline = time.monotonic() + 5.0
    best = (0, -1)
    while time.monotonic() < deadline:
        out = subprocess.run(
            [ss, "-tnHi", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        recv_q = -1
        best = (0, -1)
        for line in out.splitlines():
            if not line[:1].isspace() and line.split():
                recv_q = int(line.split()[0])
            m = re.search(r"bytes_received:(\d+)", line)
            if m and int(m.group(1)) > best[0]:
                best = (int(m.group(1)), recv_q)
        if best[0] >= want and best[1] == 0:
            break
        time.sleep(0.05)
    return {"server_bytes_received": best[0], "server_recv_q": best[1]}


def _ntokens(t: Any) -> int:
    return len(t["tokens"] if isinstance(t, dict) else t.tokens)


def _field(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


# --- REST workloads ---------------------------------------------------------------------------


def run_sync(
    workload: str, client: str, base: str, ws: str, sizes: dict[str, int], upload: str
) -> dict[str, float]:
    from bench_data import FILE_ID, TRANSCRIPTION_ID

    c = make_sync(client, base, ws)
    try:
        if workload == "W1":
            get = c.files.get
            get(FILE_ID)  # connect + lazy imports, untimed
            n = sizes["w1_requests"]
            with Meter() as m:
                for _ in range(n):
                    f = get(FILE_ID)
            assert _field(f, "id") == FILE_ID
            return {**m.metrics(), "rps": n / m.wall, "us_per_req": m.wall / n * 1e6}
        if workload == "W3":
            with Meter() as m:
                t = c.stt.get_transcript(TRANSCRIPTION_ID)
            assert _ntokens(t) == sizes["w3_tokens"], _ntokens(t)
            return m.metrics()
        if workload == "W4":
            with Meter() as m:
                f = c.files.upload(upload)
            assert _field(f, "id") == FILE_ID
            return {**m.metrics(), **_server_rx(base, upload)}
        if workload == "W5":
            with Meter() as m:
                count = sum(1 for _ in c.files.list_all(limit=sizes["w5_page"]))
            assert count == sizes["w5_files"], count
            return m.metrics()
        if workload == "W6":
            return realtime_sync(client, c, sizes)
        raise SystemExit(f"{workload} does not apply to {client}")
    finally:
        _close_sync(c)


async def run_async(
    workload: str, client: str, base: str, ws: str, sizes: dict[str, int], upload: str
) -> dict[str, float]:
    from bench_data import FILE_ID, TRANSCRIPTION_ID

    if workload == "W8" and client.startswith("floor"):
        from bench_floor_ws import FloorRealtimeClient

        return await realtime_many(client, FloorRealtimeClient(ws, trio=client.endswith("trio")), sizes)
    c = make_async(client, base, ws)
    try:
        if workload == "W1":
            get = c.files.get
            await get(FILE_ID)
            n = sizes["w1_requests"]
            with Meter() as m:
                for _ in range(n):
                    f = await get(FILE_ID)
            assert _field(f, "id") == FILE_ID
            return {**m.metrics(), "rps": n / m.wall, "us_per_req": m.wall / n * 1e6}
        if workload == "W2":
            get = c.files.get
            await get(FILE_ID)
            n, conc = sizes["w2_requests"], sizes["w2_concurrency"]
            done = [0]

            async def worker(count: int) -> None:
                for _ in range(count):
                    f = await get(FILE_ID)
                    assert _field(f, "id") == FILE_ID
                done[0] += count

            counts = [n // conc + (1 if i < n % conc else 0) for i in range(conc)]
            with Meter() as m:
                await _gather(client, [worker(k) for k in counts])
            assert done[0] == n
            return {**m.metrics(), "rps": n / m.wall}
        if workload == "W3":
            with Meter() as m:
                t = await c.stt.get_transcript(TRANSCRIPTION_ID)
            assert _ntokens(t) == sizes["w3_tokens"], _ntokens(t)
            return m.metrics()
        if workload == "W4":
            with Meter() as m:
                f = await c.files.upload(upload)
            assert _field(f, "id") == FILE_ID
            return {**m.metrics(), **_server_rx(base, upload)}
        if workload == "W5":
            with Meter() as m:
                count = 0
                async for _ in c.files.list_all(limit=sizes["w5_page"]):
                    count += 1
            assert count == sizes["w5_files"], count
            return m.metrics()
        if workload == "W6":
            return await realtime_async(client, c, sizes)
        if workload == "W8":
            return await realtime_many(client, c, sizes)
        raise SystemExit(f"{workload} does not apply to {client}")
    finally:
        await _close_async(c)


async def _gather(client: str, coros: list[Any]) -> None:
    if client.endswith("trio"):
        import trio

        async with trio.open_nursery() as nursery:
            for co in coros:

                async def run(co: Any = co) -> None:
                    await co

                nursery.start_soon(run)
    else:
        import asyncio

        await asyncio.gather(*coros)


# --- realtime (W6) ------------------------------------------------------------------------------


def _audio(sizes: dict[str, int]) -> list[bytes]:
    chunk = 16_000 * 2 * sizes["w6_chunk_ms"] // 1000
    total = 16_000 * 2 * sizes["w6_seconds"]
    pattern = bytes(range(256)) * (chunk // 256 + 1)
    return [pattern[:chunk] for _ in range(total // chunk)]


def _rt_config(client: str) -> Any:
    kwargs = dict(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
    if client.startswith("official"):
        from soniox.types import RealtimeSTTConfig
    else:
        from soniox_core.realtime import RealtimeSTTConfig
    return RealtimeSTTConfig(**kwargs)


def _rt_result(m: Meter, events: int, tokens: int, finished: bool, chunks: int) -> dict[str, float]:
    assert finished, "no finished event"
    assert events >= chunks // 2, (events, chunks)
    return {"wall_s": m.wall, "cpu_s": m.cpu, "events": events, "tokens": tokens, "peak_mib": m.peak / 1024}


# Both SDKs expose the same session API (send_byte_chunk, finish, receive_events), so one
# code path drives them: a sender (thread or task) pushes every chunk as fast as the
# session accepts it, while the caller reads every event until the server closes.


def realtime_sync(client: str, c: Any, sizes: dict[str, int]) -> dict[str, float]:
    import threading

    chunks = _audio(sizes)
    if client == "floor-socket":
        return realtime_floor(_WS_URL[0], chunks)
    cfg = _rt_config(client)
    events = tokens = 0
    finished = False
    # The session object is made before the meter: what it imports on first use (the
    # WebSocket library, for us) the official SDK imports with its package, outside it.
    unopened = c.realtime.stt.connect(config=cfg)
    with Meter() as m, unopened as session:

        def sender() -> None:
            send = session.send_byte_chunk
            for ch in chunks:
                send(ch)
            session.finish()

        th = threading.Thread(target=sender)
        th.start()
        for ev in session.receive_events():
            events += 1
            tokens += len(ev.tokens)
            finished = finished or bool(ev.finished)
        th.join()
    return _rt_result(m, events, tokens, finished, len(chunks))


async def realtime_async(client: str, c: Any, sizes: dict[str, int]) -> dict[str, float]:
    chunks = _audio(sizes)
    cfg = _rt_config(client)
    events = tokens = 0
    finished = False
    unopened = c.realtime.stt.connect(config=cfg)  # before the meter: see realtime_sync
    if client.startswith("ours"):
        import anyio

        # anyio loads its backend for the running loop on first use (~40 ms of imports,
        # paid once per process); the official SDK's asyncio stack loads with its package.
        await anyio.sleep(0)
    with Meter() as m:
        async with unopened as session:

            async def sender() -> None:
                send = session.send_byte_chunk
                for ch in chunks:
                    await send(ch)
                await session.finish()

            async def receiver() -> None:
                nonlocal events, tokens, finished
                async for ev in session.receive_events():
                    events += 1
                    tokens += len(ev.tokens)
                    finished = finished or bool(ev.finished)

            await _gather(client, [sender(), receiver()])
    return _rt_result(m, events, tokens, finished, len(chunks))


# --- realtime at scale (W8) ---------------------------------------------------------------------


async def realtime_many(client: str, c: Any, sizes: dict[str, int]) -> dict[str, float]:
    """Many sessions at once in one event loop, each sending its audio at real-time pace.

    Every session sends one chunk per ``w6_chunk_ms`` against absolute deadlines (so a late
    wake-up does not stretch the session), then ``finish``; its receiver reads every event
    and checks that the last one is ``finished``. Reported per session: CPU seconds and
    the peak-RSS growth of the whole process divided by the number of sessions.
    """
    n, seconds, chunk_ms = sizes["w8_sessions"], sizes["w8_seconds"], sizes["w6_chunk_ms"]
    chunk = 16_000 * 2 * chunk_ms // 1000
    pattern = (bytes(range(256)) * (chunk // 256 + 1))[:chunk]
    count = seconds * 1000 // chunk_ms
    period = chunk_ms / 1000
    cfg = _rt_config(client)
    if client.endswith("trio"):
        import trio

        clock, sleep = trio.current_time, trio.sleep
    else:
        import asyncio

        loop = asyncio.get_running_loop()
        clock, sleep = loop.time, asyncio.sleep
    if client.startswith("ours"):
        import anyio

        await anyio.sleep(0)  # anyio's backend import, outside the meter (see realtime_async)
    last_finished = [0]
    events = [0]

    async def one(index: int) -> None:
        async with c.realtime.stt.connect(config=cfg) as session:
            # Sessions start spread over one period, as independent callers would.
            start = clock() + period * index / n

            async def sender() -> None:
                send = session.send_byte_chunk
                for i in range(count):
                    delay = start + i * period - clock()
                    if delay > 0:
                        await sleep(delay)
                    await send(pattern)
                await session.finish()

            async def receiver() -> None:
                last = None
                async for ev in session.receive_events():
                    events[0] += 1
                    last = ev
                if last is not None and last.finished:
                    last_finished[0] += 1

            await _gather(client, [sender(), receiver()])

    with Meter() as m:
        await _gather(client, [one(i) for i in range(n)])
    assert last_finished[0] == n, f"{last_finished[0]} of {n} sessions ended with `finished`"
    assert events[0] >= n * count // 2, (events[0], n, count)
    return {
        "wall_s": m.wall,
        "cpu_s": m.cpu,
        "cpu_ms_per_session": m.cpu / n * 1000,
        "peak_mib": m.peak / 1024,
        "growth_mib": (m.peak - m.rss_before) / 1024,
        "kib_per_session": (m.peak - m.rss_before) / n,
        "sessions": n,
        "events": events[0],
    }


_WS_URL = [""]


def realtime_floor(url: str, chunks: list[bytes]) -> dict[str, float]:
    """Raw socket + websockets' sans-I/O protocol: a sender thread and a reader loop."""
    import json
    import socket
    import threading

    from websockets.client import ClientProtocol
    from websockets.frames import Frame, Opcode
    from websockets.http11 import Response
    from websockets.uri import parse_uri

    events = tokens = 0
    finished = False
    with Meter() as m:
        uri = parse_uri(url)
        sock = socket.create_connection((uri.host, uri.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ws = ClientProtocol(uri, max_size=None)
        lock = threading.Lock()
        request = ws.connect()
        request.headers["Authorization"] = "Bearer " + API_KEY
        ws.send_request(request)
        sock.sendall(b"".join(ws.data_to_send()))
        accepted = False
        while not accepted:
            ws.receive_data(sock.recv(1 << 16))
            accepted = any(isinstance(ev, Response) for ev in ws.events_received())
        config = {"model": "stt-rt-v4", "audio_format": "pcm_s16le", "sample_rate": 16000, "num_channels": 1}
        ws.send_text(json.dumps(config).encode())
        sock.sendall(b"".join(ws.data_to_send()))

        def sender() -> None:
            for ch in chunks:
                with lock:
                    ws.send_binary(ch)
                    data = b"".join(ws.data_to_send())
                sock.sendall(data)
            with lock:
                ws.send_text(b"")
                data = b"".join(ws.data_to_send())
            sock.sendall(data)

        th = threading.Thread(target=sender)
        th.start()
        closed = False
        loads = json.loads
        parts: list[bytes] = []
        while not closed:
            data = sock.recv(1 << 16)
            with lock:
                if data:
                    ws.receive_data(data)
                else:
                    ws.receive_eof()
                evs = ws.events_received()
                out = b"".join(ws.data_to_send())
            if out:
                sock.sendall(out)
            for ev in evs:
                if not isinstance(ev, Frame):
                    continue
                if ev.opcode is Opcode.TEXT or ev.opcode is Opcode.CONT:
                    parts.append(ev.data)
                    if not ev.fin:
                        continue
                    msg = loads(parts[0] if len(parts) == 1 else b"".join(parts))
                    parts.clear()
                    events += 1
                    tokens += len(msg["tokens"])
                    finished = finished or bool(msg.get("finished"))
                elif ev.opcode is Opcode.CLOSE:
                    closed = True
            if not data:
                closed = True
        th.join()
        sock.close()
    return _rt_result(m, events, tokens, finished, len(chunks))


# --- entry point --------------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and argv[0] == "W7":
        _w7(argv[1])
        return
    import argparse
    import json
    import os

    p = argparse.ArgumentParser()
    p.add_argument("workload")
    p.add_argument("client")
    p.add_argument("--http", required=True)
    p.add_argument("--ws", default="")
    p.add_argument("--sizes", required=True, help="JSON of data.Sizes")
    p.add_argument("--upload", default="")
    a = p.parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sizes = json.loads(a.sizes)
    _WS_URL[0] = a.ws
    if a.client.endswith(("asyncio", "async")):
        import asyncio

        metrics = asyncio.run(run_async(a.workload, a.client, a.http, a.ws, sizes, a.upload))
    elif a.client.endswith("trio"):
        import trio

        metrics = trio.run(run_async, a.workload, a.client, a.http, a.ws, sizes, a.upload)
    else:
        metrics = run_sync(a.workload, a.client, a.http, a.ws, sizes, a.upload)
    print(json.dumps({"workload": a.workload, "client": a.client, "metrics": metrics}))


if __name__ == "__main__":
    main(sys.argv[1:])
