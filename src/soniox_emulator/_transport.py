"""Socket-level misbehaviour that ASGI cannot express: resets and short bodies.

ASGI gives an application no handle on the TCP connection, so the emulator runs
uvicorn with a small subclass of its h11 protocol that records each connection's
transport under the peer address. Uvicorn puts the same address in ``scope["client"]``,
which lets the app find the transport for the request it is handling and then:

- reset it: ``SO_LINGER`` with a zero timeout makes ``close`` send a TCP RST instead
  of a FIN, so the client sees ``ECONNRESET`` rather than a clean end of stream;
- write a response by hand whose body is shorter than its Content-Length, then close.

This module imports uvicorn, so it is only loaded when a server starts.
"""

from __future__ import annotations

import asyncio
import http
import socket
import struct
import weakref
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from ._http import Receive, Response

Peer = tuple[str, int]


class TransportRegistry:
    """Transports of open HTTP connections, keyed by the client's (host, port)."""

    def __init__(self) -> None:
        # Weak values: a connection upgraded to a WebSocket never reports its loss to
        # the h11 protocol, and must not be kept alive by this table.
        self._by_peer: weakref.WeakValueDictionary[Peer, asyncio.Transport] = weakref.WeakValueDictionary()

    def add(self, peer: Peer, transport: asyncio.Transport) -> None:
        """Remember a new connection."""
        self._by_peer[peer] = transport

    def discard(self, peer: Peer, transport: asyncio.Transport) -> None:
        """Forget a closed connection (unless the port was already reused)."""
        if self._by_peer.get(peer) is transport:
            del self._by_peer[peer]

    def get(self, peer: Any) -> asyncio.Transport | None:
        """The transport for ``scope["client"]``, if known."""
        if not isinstance(peer, (tuple, list)) or len(peer) != 2:
            return None
        return self._by_peer.get((str(peer[0]), int(peer[1])))


def protocol_class(registry: TransportRegistry) -> type[asyncio.Protocol]:
    """An h11 protocol class that registers its transport in ``registry``."""

    class TrackingH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                # Belt and braces with the listening socket's proto: small responses
                # must not wait for the client's delayed ACK.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)
            if self.client is not None:
                registry.add(self.client, transport)

        def connection_lost(self, exc: Exception | None) -> None:
            if self.client is not None:
                registry.discard(self.client, self.transport)
            super().connection_lost(exc)

    return TrackingH11Protocol


async def _wait_for_disconnect(receive: Receive) -> None:
    # Uvicorn reports the closed connection as http.disconnect; returning only then
    # stops it from writing its own "500 Internal Server Error" to the dead socket.
    while (await receive())["type"] != "http.disconnect":
        pass


async def reset(transport: asyncio.Transport, receive: Receive) -> None:
    """Abort the connection with a TCP RST."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    await _wait_for_disconnect(receive)


async def truncate(
    transport: asyncio.Transport, response: Response, request_id: str, receive: Receive
) -> None:
    """Send the head and half the body (Content-Length still promises all of it), then close."""
    headers = response.raw_headers(request_id)
    body = response.body
    if not body:
        # Nothing to cut: promise some bytes that never come.
        headers = [(k, v) for k, v in headers if k != b"content-length"]
        headers.append((b"content-length", b"16"))
    phrase = http.HTTPStatus(response.status).phrase if response.status in _KNOWN else ""
    head = f"HTTP/1.1 {response.status} {phrase}\r\n".encode("latin-1")
    head += b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    head += b"connection: close\r\n\r\n"
    transport.write(head + body[: len(body) // 2])
    transport.close()  # a FIN after the buffered bytes are flushed, not a reset
    await _wait_for_disconnect(receive)


_KNOWN = frozenset(s.value for s in http.HTTPStatus)
