"""A real HTTP proxy on loopback for the tests: CONNECT tunnels and absolute-form forwarding.

Threaded, one thread per client connection (two per tunnel). It records every
tunnel it opened and every request it forwarded, with the headers the client
sent to the proxy, so a test can tell that traffic went through it (and with
which credentials). ``TLSFront`` terminates TLS on loopback and pipes the
plain bytes to another port: an ``https://``/``wss://`` face for the emulator.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import h11

CHUNK = 65536


@dataclass
class Seen:
    """One tunnel (``CONNECT host:port``) or forwarded request (``GET http://...``)."""

    method: str
    target: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def credentials(self) -> tuple[str, str] | None:
        """The user and password of ``Proxy-Authorization: Basic``, if sent."""
        value = self.headers.get("proxy-authorization")
        if value is None or not value.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
        return user, password


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(CHUNK):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


class _Server:
    """Accepts on loopback and hands each connection to ``handle`` on its own thread."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._track(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self.handle(conn)
        except (OSError, h11.ProtocolError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def __enter__(self) -> _Server:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()


class LoopbackProxy(_Server):
    """An HTTP proxy at ``url``; ``credentials`` makes it answer 407 to anyone without them."""

    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.credentials = credentials
        self.tunnels: list[Seen] = []
        self.forwarded: list[Seen] = []
        self.refused: list[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LoopbackProxy:
        super().__enter__()
        return self

    @property
    def seen(self) -> list[Seen]:
        """Every tunnel and forwarded request, in no particular order."""
        return [*self.tunnels, *self.forwarded]

    def _authorised(self, seen: Seen) -> bool:
        return self.credentials is None or seen.credentials == self.credentials

    def handle(self, conn: socket.socket) -> None:
        client = h11.Connection(h11.SERVER)
        upstreams: dict[tuple[str, int], tuple[socket.socket, h11.Connection]] = {}
        try:
            while True:
                request = self._next(conn, client)
                if not isinstance(request, h11.Request):
                    return
                seen = Seen(
                    request.method.decode(),
                    request.target.decode(),
                    {k.decode().lower(): v.decode() for k, v in request.headers},
                )
                if not self._authorised(seen):
                    self.refused.append(seen)
                    conn.sendall(
                        client.send(
                            h11.Response(
                                status_code=407,
                                headers=[
                                    (b"Proxy-Authenticate", b'Basic realm="test"'),
                                    (b"Content-Length", b"0"),
                                    (b"Connection", b"close"),
                                ],
                            )
                        )
                        + client.send(h11.EndOfMessage())
                    )
                    return
                if request.method == b"CONNECT":
                    self._tunnel(conn, client, seen)
                    return
                self.forwarded.append(seen)
                self._forward(conn, client, request, upstreams)
                if client.our_state is not h11.DONE or client.their_state is not h11.DONE:
                    return
                client.start_next_cycle()
        finally:
            for sock, _ in upstreams.values():
                sock.close()

    @staticmethod
    def _next(sock: socket.socket, connection: h11.Connection) -> object:
        while True:
            event = connection.next_event()
            if event is not h11.NEED_DATA:
                return event
            connection.receive_data(sock.recv(CHUNK))

    def _tunnel(self, conn: socket.socket, client: h11.Connection, seen: Seen) -> None:
        host, _, port = seen.target.rpartition(":")
        upstream = self._track(socket.create_connection((host.strip("[]"), int(port))))
        self.tunnels.append(seen)
        conn.sendall(
            client.send(h11.Response(status_code=200, reason=b"Connection established", headers=[])) or b""
        )
        leftover = client.trailing_data[0]
        if leftover:
            upstream.sendall(leftover)
        back = threading.Thread(target=_pipe, args=(upstream, conn), daemon=True)
        back.start()
        _pipe(conn, upstream)
        back.join(10)
        upstream.close()

    def _forward(
        self,
        conn: socket.socket,
        client: h11.Connection,
        request: h11.Request,
        upstreams: dict[tuple[str, int], tuple[socket.socket, h11.Connection]],
    ) -> None:
        url = urlsplit(request.target.decode())
        key = (url.hostname or "", url.port or 80)
        if key not in upstreams:
            upstreams[key] = (self._track(socket.create_connection(key)), h11.Connection(h11.CLIENT))
        upstream, server = upstreams[key]
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        headers = [(k, v) for k, v in request.headers if k.lower() != b"proxy-authorization"]
        upstream.sendall(
            server.send(h11.Request(method=request.method, target=target, headers=headers)) or b""
        )
        while True:
            event = self._next(conn, client)
            if isinstance(event, h11.Data):
                upstream.sendall(server.send(event) or b"")
            elif isinstance(event, h11.EndOfMessage):
                upstream.sendall(server.send(event) or b"")
                break
        while True:
            answer = self._next(upstream, server)
            if isinstance(answer, h11.Response | h11.InformationalResponse):
                conn.sendall(
                    client.send(
                        h11.Response(
                            status_code=answer.status_code, headers=answer.headers, reason=answer.reason
                        )
                    )
                    or b""
                )
            elif isinstance(answer, h11.Data):
                conn.sendall(client.send(answer) or b"")
            elif isinstance(answer, h11.EndOfMessage):
                conn.sendall(client.send(answer) or b"")
                break
            else:
                raise OSError("upstream closed")
        if server.our_state is h11.DONE and server.their_state is h11.DONE:
            server.start_next_cycle()
        else:
            upstream.close()
            del upstreams[key]


class TLSFront:
    """TLS on loopback in front of ``127.0.0.1:backend_port`` (the emulator), plain behind.

    An asyncio server on its own thread: one ``ssl`` object is never read and
    written from two threads at once.
    """

    def __init__(self, backend_port: int, context: ssl.SSLContext, *, abrupt: bool = False) -> None:
        self._backend_port = backend_port
        self._context = context
        # abrupt: when the backend hangs up, drop the TCP connection without TLS's close_notify.
        self.abrupt = abrupt
        self._loop = asyncio.new_event_loop()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._serve, sock=self._listener, ssl=self._context)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            back_reader, back_writer = await asyncio.open_connection("127.0.0.1", self._backend_port)
        except OSError:
            writer.close()
            return

        async def copy(
            source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, abort: bool = False
        ) -> None:
            try:
                while data := await source.read(CHUNK):
                    sink.write(data)
                    await sink.drain()
            except (OSError, ssl.SSLError):
                pass
            finally:
                if abort:
                    sink.transport.abort()
                else:
                    sink.close()

        await asyncio.gather(copy(reader, back_writer), copy(back_reader, writer, abort=self.abrupt))

    def __enter__(self) -> TLSFront:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            # Connections still piping end now, not when the loop is already gone.
            others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@dataclass
class SecureEmulator:
    """The emulator behind TLS: ``https://`` and ``wss://`` URLs and the CA that signed them."""

    emulator: Any  # soniox_emulator.Emulator
    base_url: str
    websocket_url: str
    ca: Path
