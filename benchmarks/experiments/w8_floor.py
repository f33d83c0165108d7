"""W8's floor: how little CPU and memory 100 realtime sessions can cost on this stack.

The same harness as W8 (``runner.realtime_many``: a sender task at real-time pace and a
receiver per session) drives either a real client or a floor session made of nothing
but the event loop's socket layer and websockets' sans-I/O ``ClientProtocol`` (asyncio:
a ``Protocol`` whose ``data_received`` parses; trio: a socket stream). JSON events are
``json.loads`` dicts wrapped to look like the SDKs' events. Every run is a fresh process.

    python benchmarks/experiments/w8_floor.py --seconds 20 floor-asyncio ours-asyncio official-async

Needs ``benchmarks/run.py --setup-only`` first (node's ``ws``, the official SDK's venv).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from collections import deque
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
sys.path.insert(0, str(BENCH))

API_KEY = "bench-key"


class _Event:
    __slots__ = ("finished", "tokens")

    def __init__(self, d: dict[str, Any]) -> None:
        self.tokens = d.get("tokens", [])
        self.finished = bool(d.get("finished"))


def _handshake(url: str) -> Any:
    from websockets.client import ClientProtocol
    from websockets.uri import parse_uri

    uri = parse_uri(url)
    ws = ClientProtocol(uri, max_size=None)
    request = ws.connect()
    request.headers["Authorization"] = "Bearer " + API_KEY
    ws.send_request(request)
    return uri, ws


CONFIG = json.dumps(
    {"model": "stt-rt-v4", "audio_format": "pcm_s16le", "sample_rate": 16000, "num_channels": 1}
).encode()


class FloorAsyncioSession(asyncio.Protocol):
    def __init__(self, url: str) -> None:
        self.url = url
        self.events: deque[_Event] = deque()
        self.waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.accepted: asyncio.Future[None] | None = None

    # protocol side
    def data_received(self, data: bytes) -> None:
        from websockets.frames import Frame, Opcode
        from websockets.http11 import Response

        ws = self.ws
        ws.receive_data(data)
        for ev in ws.events_received():
            if isinstance(ev, Frame):
                if ev.opcode is Opcode.TEXT:
                    self.events.append(_Event(json.loads(ev.data)))
            elif isinstance(ev, Response) and self.accepted is not None:
                self.accepted.set_result(None)
        out = ws.data_to_send()
        if out:
            data = b"".join(out)
            if data:
                self.transport.write(data)
        if ws.close_expected() or ws.state.name == "CLOSED":
            pass
        w = self.waiter
        if w is not None and not w.done():
            w.set_result(None)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.closed = True
        w = self.waiter
        if w is not None and not w.done():
            w.set_result(None)

    # session side
    async def __aenter__(self) -> FloorAsyncioSession:
        loop = asyncio.get_running_loop()
        uri, self.ws = _handshake(self.url)
        self.accepted = loop.create_future()
        self.transport, _ = await loop.create_connection(lambda: self, uri.host, uri.port)
        self.transport.write(b"".join(self.ws.data_to_send()))
        await self.accepted
        self.ws.send_text(CONFIG)
        self.transport.write(b"".join(self.ws.data_to_send()))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.transport.close()

    async def send_byte_chunk(self, chunk: bytes) -> None:
        self.ws.send_binary(chunk)
        self.transport.write(b"".join(self.ws.data_to_send()))

    async def finish(self) -> None:
        self.ws.send_text(b"")
        self.transport.write(b"".join(self.ws.data_to_send()))

    async def receive_events(self) -> Any:
        loop = asyncio.get_running_loop()
        events = self.events
        while True:
            while events:
                yield events.popleft()
            if self.closed:
                return
            self.waiter = loop.create_future()
            await self.waiter


class FloorTrioSession:
    def __init__(self, url: str) -> None:
        self.url = url

    async def __aenter__(self) -> FloorTrioSession:
        import trio

        uri, self.ws = _handshake(self.url)
        self.stream = await trio.open_tcp_stream(uri.host, uri.port)
        await self.stream.send_all(b"".join(self.ws.data_to_send()))
        from websockets.http11 import Response

        while True:
            self.ws.receive_data(await self.stream.receive_some(65536))
            if any(isinstance(e, Response) for e in self.ws.events_received()):
                break
        self.ws.send_text(CONFIG)
        await self.stream.send_all(b"".join(self.ws.data_to_send()))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stream.aclose()

    async def send_byte_chunk(self, chunk: bytes) -> None:
        self.ws.send_binary(chunk)
        await self.stream.send_all(b"".join(self.ws.data_to_send()))

    async def finish(self) -> None:
        self.ws.send_text(b"")
        await self.stream.send_all(b"".join(self.ws.data_to_send()))

    async def receive_events(self) -> Any:
        from websockets.frames import Frame, Opcode

        ws = self.ws
        while True:
            data = await self.stream.receive_some(65536)
            if not data:
                return
            ws.receive_data(data)
            for ev in ws.events_received():
                if isinstance(ev, Frame) and ev.opcode is Opcode.TEXT:
                    yield _Event(json.loads(ev.data))
            # the close reply goes out only after the last event: sends are not concurrent here
            out = ws.data_to_send()
            if out and any(out):
                try:
                    await self.stream.send_all(b"".join(out))
                except Exception:
                    return


class _FloorClient:
    def __init__(self, url: str, cls: Any) -> None:
        self.url, self.cls = url, cls
        self.realtime = self
        self.stt = self

    def connect(self, config: Any = None) -> Any:
        return self.cls(self.url)


def child(client: str, url: str, sessions: int, seconds: int) -> None:
    import runner

    sizes = {"w8_sessions": sessions, "w8_seconds": seconds, "w6_chunk_ms": 120}
    runner.API_KEY = API_KEY

    async def go() -> dict[str, float]:
        if client == "floor-asyncio":
            c: Any = _FloorClient(url, FloorAsyncioSession)
        elif client == "floor-trio":
            c = _FloorClient(url, FloorTrioSession)
        else:
            c = runner.make_async(client, "http://127.0.0.1:9", url)
        return await runner.realtime_many(client, c, sizes)

    if client.endswith("trio"):
        import trio

        res = trio.run(go)
    else:
        res = asyncio.run(go())
    print(json.dumps(res))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("clients", nargs="*")
    p.add_argument("--sessions", type=int, default=100)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--child", nargs=2, metavar=("CLIENT", "URL"))
    a = p.parse_args()
    if a.child:
        child(a.child[0], a.child[1], a.sessions, a.seconds)
        return
    from bench_servers import NodeWs

    server = NodeWs()
    server.start()
    official_py = BENCH / ".work" / "venv-official" / "bin" / "python"
    try:
        for rep in range(a.reps):
            for client in a.clients:
                py = str(official_py) if client.startswith("official") else sys.executable
                out = subprocess.run(
                    [py, __file__, "--child", client, server.url, "--sessions", str(a.sessions),
                     "--seconds", str(a.seconds)],
                    capture_output=True, text=True, check=False,
                )
                if out.returncode:
                    print(client, "FAILED", out.stderr[-2000:])
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"rep {rep} {client:15s} cpu {r['cpu_s']:6.2f} s  {r['cpu_ms_per_session']:6.1f} ms/session  "
                    f"peak {r['peak_mib']:5.1f} MiB  growth {r['kib_per_session']:5.1f} KiB/session",
                    flush=True,
                )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
