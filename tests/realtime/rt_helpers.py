"""Plain helpers for the realtime driver tests (fixtures live in conftest.py)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path
from typing import Any

from soniox_core._config import ClientConfig, resolve_config
from soniox_emulator import Emulator


def client_config(emulator: Emulator, **http_options: object) -> ClientConfig:
    return resolve_config(
        api_key=emulator.api_key,
        api_base_url=emulator.base_url,
        websocket_base_url=emulator.websocket_url,
        timeout_sec=5.0,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs=http_options,
        environ={},
    )


def write_wav(path: Path, seconds: float, rate: int = 16000) -> Path:
    """A short mono 16-bit sine tone: enough to drive the emulator's transcript."""
    frames = int(seconds * rate)
    samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


def raw_exchange(
    emulator: Emulator,
    frames: list[str | bytes],
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    subprotocols: list[str] | None = None,
    timeout: float = 5.0,
) -> tuple[list[dict[str, object]], str | None]:
    """Speak raw WebSocket to the emulator: send ``frames``, collect messages until close.

    Returns the JSON messages received and the subprotocol the server selected.
    """
    import json

    from websockets.exceptions import ConnectionClosed, InvalidHandshake
    from websockets.sync.client import connect

    if headers is None:
        headers = [(b"Authorization", f"Bearer {emulator.api_key}".encode())]
    messages: list[dict[str, object]] = []
    try:
        ws = connect(
            f"ws://127.0.0.1:{emulator.port}/transcribe-websocket",
            additional_headers=[(k.decode(), v.decode()) for k, v in headers],
            subprotocols=subprotocols or None,  # type: ignore[arg-type]
            open_timeout=timeout,
        )
    except InvalidHandshake:
        return messages, None  # rejected: no messages, no subprotocol
    with ws:
        selected = ws.subprotocol
        for frame in frames:
            try:
                ws.send(frame)
            except ConnectionClosed:
                break  # the server ended the session early (an error); read what it said
        try:
            while True:
                message = ws.recv(timeout=timeout)
                if isinstance(message, str):
                    messages.append(json.loads(message))
        except ConnectionClosed:
            return messages, selected


def refused_port() -> int:
    """A loopback port with nothing listening on it (connections are refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DeafServer:
    """A WebSocket server that accepts the upgrade and then never reads again.

    What a client writes piles up in the socket buffers, so its writes block:
    the way to test backpressure and write timeouts. Runs in a thread, so the
    sync and the async tests share it.
    """

    def __init__(self, *, read_after_sec: float | None = None) -> None:
        import socket
        import threading

        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._conns: list[socket.socket] = []
        # read_after_sec: deaf only that long, then read every frame (into `received`)
        # until the client's close frame, and answer it.
        self._read_after = read_after_sec
        self.received: list[tuple[str, bytes]] = []  # (opcode name, payload), in order
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        from websockets.http11 import Request
        from websockets.server import ServerProtocol

        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return  # closed
            self._conns.append(conn)
            ws = ServerProtocol()
            accepted = False
            while not accepted:
                data = conn.recv(65536)
                if not data:
                    break
                ws.receive_data(data)
                for event in ws.events_received():
                    if isinstance(event, Request):
                        ws.send_response(ws.accept(event))
                        conn.sendall(b"".join(ws.data_to_send()))
                        accepted = True
            if accepted and self._read_after is not None:
                self._read_late(conn, ws)

    def _read_late(self, conn: Any, ws: Any) -> None:
        import time

        from websockets.frames import Frame, Opcode

        time.sleep(self._read_after or 0.0)
        closed = False
        while not closed:
            data = conn.recv(1 << 20)
            if not data:
                return
            ws.receive_data(data)
            for event in ws.events_received():
                if isinstance(event, Frame):
                    self.received.append((event.opcode.name, bytes(event.data)))
                    closed = closed or event.opcode is Opcode.CLOSE
        conn.sendall(b"".join(ws.data_to_send()))  # the close reply

    def config(self, *, write_timeout: float) -> ClientConfig:
        from soniox_core._config import Timeouts

        return resolve_config(
            api_key="key",
            api_base_url=f"http://127.0.0.1:{self.port}",
            websocket_base_url=f"ws://127.0.0.1:{self.port}/transcribe-websocket",
            timeout_sec=Timeouts(connect=5, read=5, write=write_timeout, pool=5),
            webhook_secret=None,
            webhook_signature_header=None,
            client_kwargs={},
            environ={},
        )

    def close(self) -> None:
        self._listener.close()
        for conn in self._conns:
            conn.close()
