"""Opening the realtime connection: TCP, through a proxy's CONNECT tunnel when one is
configured, then TLS for ``wss://``."""

from __future__ import annotations

import socket
import time

from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime._driver import READ_SIZE_BYTES, SessionPlan
from soniox_core.realtime._tunnel import ProxyTunnel

from ._pool import ssl_context

__all__ = ["open_socket"]


def open_socket(plan: SessionPlan, deadline: float) -> socket.socket:
    """A connected socket to the session's server, ready for the WebSocket handshake.

    Every step finishes by ``deadline`` (``time.monotonic()``) or raises
    ``TimeoutError``. Raises ``OSError``/``ssl.SSLError`` as the socket does, or
    ``SonioxRealtimeError`` for a proxy that refused the tunnel.
    """
    endpoint = plan.session.endpoint
    proxy = plan.proxy
    host, port = (endpoint.host, endpoint.port) if proxy is None else (proxy.host, proxy.port)
    if proxy is not None and proxy.secure and endpoint.secure:
        # The stdlib socket cannot run TLS inside TLS; the async client can.
        raise SonioxRealtimeError(f"Proxy {proxy}: wss:// through an https:// proxy needs the async client")
    context = ssl_context(plan.tls) if endpoint.secure or (proxy is not None and proxy.secure) else None
    sock = socket.create_connection((host, port), timeout=_remaining(deadline))
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if proxy is not None:
            if proxy.secure and context is not None:
                sock.settimeout(_remaining(deadline))
                sock = context.wrap_socket(sock, server_hostname=proxy.host)
            tunnel = ProxyTunnel(proxy, endpoint.host, endpoint.port)
            sock.settimeout(_remaining(deadline))
            sock.sendall(tunnel.request_bytes())
            while True:
                sock.settimeout(_remaining(deadline))
                if tunnel.receive_data(sock.recv(READ_SIZE_BYTES) or None):
                    break
        if endpoint.secure and context is not None:
            sock.settimeout(_remaining(deadline))
            sock = context.wrap_socket(sock, server_hostname=endpoint.host)
    except BaseException:
        sock.close()
        raise
    return sock


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    return remaining
