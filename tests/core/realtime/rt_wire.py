"""An in-memory WebSocket server (websockets' sans-I/O ServerProtocol) to pair with the client session."""

from __future__ import annotations

import json
from typing import Any

from websockets.datastructures import Headers
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Request, Response
from websockets.protocol import State
from websockets.server import ServerProtocol

from soniox_core.realtime import Endpoint, RealtimeSession, RealtimeSTTConfig

ENDPOINT = Endpoint(secure=False, host="127.0.0.1", port=8765, target="/transcribe-websocket")
CONFIG = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)


class Server:
    """Records what the client sent; scripts what goes back."""

    def __init__(self) -> None:
        self.ws = ServerProtocol()
        self.request: Request | None = None
        self.texts: list[str] = []
        self.binaries: list[bytes] = []
        self.frames: list[str | bytes] = []
        self.closes: list[Close] = []
        self.pongs = 0

    def _out(self) -> bytes:
        return b"".join(self.ws.data_to_send())

    def feed(self, data: bytes) -> None:
        self.ws.receive_data(data)
        for event in self.ws.events_received():
            if isinstance(event, Request):
                self.request = event
            elif isinstance(event, Frame):
                if event.opcode is Opcode.TEXT:
                    self.texts.append(event.data.decode())
                    self.frames.append(event.data.decode())
                elif event.opcode is Opcode.BINARY:
                    self.binaries.append(bytes(event.data))
                    self.frames.append(bytes(event.data))
                elif event.opcode is Opcode.CLOSE:
                    self.closes.append(Close.parse(event.data))
                elif event.opcode is Opcode.PONG:
                    self.pongs += 1

    def accept(self) -> bytes:
        assert self.request is not None
        self.ws.send_response(self.ws.accept(self.request))
        return self._out()

    def reject(self, status: int, body: bytes = b"") -> bytes:
        response = Response(
            status, "Rejected", Headers([("Content-Length", str(len(body)))]), body
        )
        self.ws.send_response(response)
        return self._out()

    def text(self, data: str) -> bytes:
        self.ws.send_text(data.encode())
        return self._out()

    def message(self, payload: dict[str, Any]) -> bytes:
        return self.text(json.dumps(payload))

    def ping(self) -> bytes:
        self.ws.send_ping(b"hi")
        return self._out()

    def close(self, code: int = 1000) -> bytes:
        """A close frame; after the client's close, the echo the protocol already queued."""
        if self.ws.state is State.OPEN:
            self.ws.send_close(code)
        return self._out()

    @property
    def config(self) -> dict[str, Any]:
        return dict(json.loads(self.texts[0]))


def token(text: str, final: bool, **extra: Any) -> dict[str, Any]:
    return {"text": text, "is_final": final, **extra}


def open_pair(config: RealtimeSTTConfig = CONFIG, **kwargs: Any) -> tuple[RealtimeSession, Server]:
    """A session and a server with the handshake and config exchanged."""
    session = RealtimeSession(config, ENDPOINT, [(b"Authorization", b"Bearer key")], **kwargs)
    server = Server()
    session.start(0.0)
    server.feed(session.data_to_send())
    session.receive_data(server.accept())
    server.feed(session.data_to_send())
    return session, server
