"""An in-memory WebSocket server (wsproto) to pair with the client session in tests."""

from __future__ import annotations

import json
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    RejectConnection,
    RejectData,
    Request,
    TextMessage,
)

from soniox_core.realtime import Endpoint, RealtimeSession, RealtimeSTTConfig

ENDPOINT = Endpoint(secure=False, host="127.0.0.1", port=8765, target="/transcribe-websocket")
CONFIG = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)


class Server:
    """Records what the client sent; scripts what goes back."""

    def __init__(self) -> None:
        self.ws = WSConnection(ConnectionType.SERVER)
        self.request: Request | None = None
        self.texts: list[str] = []
        self.binaries: list[bytes] = []
        self.frames: list[str | bytes] = []
        self.closes: list[CloseConnection] = []
        self.pongs = 0

    def feed(self, data: bytes) -> None:
        self.ws.receive_data(data)
        for event in self.ws.events():
            if isinstance(event, Request):
                self.request = event
            elif isinstance(event, TextMessage):
                self.texts.append(event.data)
                self.frames.append(event.data)
            elif isinstance(event, BytesMessage):
                self.binaries.append(bytes(event.data))
                self.frames.append(bytes(event.data))
            elif isinstance(event, CloseConnection):
                self.closes.append(event)
            elif type(event).__name__ == "Pong":
                self.pongs += 1

    def accept(self) -> bytes:
        return self.ws.send(AcceptConnection())

    def reject(self, status: int, body: bytes = b"") -> bytes:
        headers = [(b"content-length", str(len(body)).encode())]
        data = self.ws.send(RejectConnection(status_code=status, headers=headers, has_body=bool(body)))
        if body:
            data += self.ws.send(RejectData(data=body))
        return data

    def message(self, payload: dict[str, Any]) -> bytes:
        return self.ws.send(TextMessage(data=json.dumps(payload)))

    def ping(self) -> bytes:
        return self.ws.send(Ping(payload=b"hi"))

    def close(self, code: int = 1000) -> bytes:
        return self.ws.send(CloseConnection(code=code))

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
