"""The realtime floor of our stack for W8: websockets' sans-I/O ``ClientProtocol`` on the
event loop's bare socket layer, nothing else.

asyncio: a ``Protocol`` whose ``data_received`` parses frames and wakes the reader; a
send writes the frame to the transport. trio: a ``trio.SocketStream``, ``send_all`` per
frame, the reader parsing what ``receive_some`` returns. Events are ``json.loads`` dicts
behind the two attributes the harness reads. No timeouts, keepalives, validation,
typed models or error mapping: what any client on this stack must pay at least.
``FloorRealtimeClient`` has the ``client.realtime.stt.connect(config=...)`` shape that
``runner.realtime_many`` drives.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

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


class FloorRealtimeClient:
    def __init__(self, url: str, trio: bool) -> None:
        self.url = url
        self.cls: Any = FloorTrioSession if trio else FloorAsyncioSession
        self.realtime = self
        self.stt = self

    def connect(self, config: Any = None) -> Any:
        return self.cls(self.url)
