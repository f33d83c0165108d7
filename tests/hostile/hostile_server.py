"""A loopback HTTP/1.1 server that misbehaves on purpose, on raw sockets.

Every byte on the wire is the test's: a handler gets each parsed request and
returns a ``Reply`` (the exact bytes to send, and how: all at once, trickled,
or after a stall, keeping or closing the connection). Used to play a hostile
network against both clients: echo the key, redirect, smuggle a second
response, repeat cursors, nest JSON deeply, trickle, stall, send wrong shapes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "HostileServer",
    "Reply",
    "Request",
    "http_response",
    "json_response",
    "text_frame",
    "websocket_accept",
]


@dataclass
class Request:
    """One request as the server read it."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    connection: int  # which connection (0, 1, ...) carried it

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    """What to send: ``data`` as is, then keep the connection or close it.

    ``trickle`` sends one byte every that many seconds; ``stall_after`` sends that
    many bytes and then nothing until the server stops.
    """

    data: bytes
    close: bool = False
    trickle: float | None = None
    stall_after: int | None = None
    hold: bool = False  # after sending, read and drop whatever comes until the server stops


def http_response(
    status: int,
    body: bytes = b"",
    *,
    headers: Sequence[tuple[str, str]] = (),
    reason: str = "Whatever",
    content_length: int | None = None,
) -> bytes:
    """The bytes of one response with a Content-Length (``content_length`` overrides it)."""
    length = len(body) if content_length is None else content_length
    head = f"HTTP/1.1 {status} {reason}\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    head += f"Content-Length: {length}\r\n\r\n"
    return head.encode("latin-1") + body


def json_response(status: int, payload: Any, *, headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """A response with a JSON body."""
    return http_response(
        status, json.dumps(payload).encode(), headers=[("Content-Type", "application/json"), *headers]
    )


Handler = Callable[[Request], Reply | bytes]


@dataclass
class HostileServer:
    """``with HostileServer(handler) as server:`` serves on 127.0.0.1 until the block ends."""

    handler: Handler
    requests: list[Request] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._by_index: dict[int, socket.socket] = {}
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/transcribe-websocket"

    def __enter__(self) -> HostileServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads[:1]:
            thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def inject_on_connection(self, index: int, data: bytes, done: threading.Event) -> None:
        """Send ``data`` on connection ``index`` now, unasked; set ``done`` once sent."""
        with self._lock:
            conn = self._by_index[index]
        conn.sendall(data)
        done.set()

    def _accept(self) -> None:
        # A closed listener does not wake a blocked accept() on Linux: poll instead.
        self._listener.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                index = self.connections
                self.connections += 1
                self._sockets.append(conn)
                self._by_index[index] = conn
            thread = threading.Thread(target=self._serve, args=(conn, index), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket, index: int) -> None:
        buffer = b""
        try:
            while not self._stop.is_set():
                request, buffer = self._read_request(conn, buffer, index)
                if request is None:
                    return
                self.requests.append(request)
                reply = self.handler(request)
                if isinstance(reply, bytes):
                    reply = Reply(reply)
                if not self._send(conn, reply) or reply.close:
                    return
                if reply.hold:
                    while not self._stop.is_set() and self._recv(conn):
                        pass
                    return
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _recv(self, conn: socket.socket) -> bytes:
        conn.settimeout(0.05)
        while not self._stop.is_set():
            try:
                return conn.recv(65536)
            except TimeoutError:
                continue
        return b""

    def _read_request(self, conn: socket.socket, buffer: bytes, index: int) -> tuple[Request | None, bytes]:
        while b"\r\n\r\n" not in buffer:
            data = self._recv(conn)
            if not data:
                return None, b""
            buffer += data
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
        pairs = [(k, v) for k, v in headers]
        length = 0
        chunked = False
        for key, value in pairs:
            if key.lower() == "content-length":
                length = int(value)
            if key.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            body, rest = self._read_chunked(conn, rest)
        else:
            while len(rest) < length:
                data = self._recv(conn)
                if not data:
                    return None, b""
                rest += data
            body, rest = rest[:length], rest[length:]
        return Request(method, target, pairs, body, index), rest

    def _read_chunked(self, conn: socket.socket, rest: bytes) -> tuple[bytes, bytes]:
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += self._recv(conn)
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += self._recv(conn)
            body += rest[:size]
            rest = rest[size + 2 :]
            if size == 0:
                return body, rest

    def _send(self, conn: socket.socket, reply: Reply) -> bool:
        data = reply.data
        if reply.stall_after is not None:
            conn.sendall(data[: reply.stall_after])
            self._stop.wait()
            return False
        if reply.trickle is not None:
            for i in range(len(data)):
                if self._stop.is_set():
                    return False
                conn.sendall(data[i : i + 1])
                time.sleep(reply.trickle)
            return True
        conn.sendall(data)
        return True


def websocket_accept(request: Request) -> bytes:
    """A ``101`` answer completing the WebSocket handshake of ``request``."""
    import base64
    import hashlib

    key = request.header("sec-websocket-key") or ""
    digest = hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
    accept = base64.b64encode(digest).decode()
    return (
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
    ).encode()


def text_frame(text: str) -> bytes:
    """One unmasked server text frame."""
    payload = text.encode()
    if len(payload) < 126:
        return bytes([0x81, len(payload)]) + payload
    return bytes([0x81, 126]) + len(payload).to_bytes(2, "big") + payload
