"""Opening the realtime connection: TCP, through a proxy's CONNECT tunnel when one is
configured, then TLS for ``wss://``."""

from __future__ import annotations

import anyio
import anyio.abc
from anyio.streams.tls import TLSStream

from soniox_core.realtime._driver import READ_SIZE_BYTES, SessionPlan
from soniox_core.realtime._tunnel import ProxyTunnel
from soniox_sync._pool import ssl_context

__all__ = ["open_stream"]


async def open_stream(plan: SessionPlan) -> anyio.abc.ByteStream:
    """A byte stream to the session's server, ready for the WebSocket handshake.

    Raises what anyio and ``ssl`` raise (``OSError``, ``ssl.SSLError``,
    ``anyio.BrokenResourceError``) or ``SonioxRealtimeError`` for a proxy that
    refused the tunnel; the caller maps them and bounds the time taken.
    """
    endpoint = plan.session.endpoint
    proxy = plan.proxy
    context = ssl_context(plan.tls) if endpoint.secure or (proxy is not None and proxy.secure) else None
    if proxy is None:
        if context is None:
            return await anyio.connect_tcp(endpoint.host, endpoint.port)
        return await anyio.connect_tcp(
            endpoint.host, endpoint.port, tls=True, ssl_context=context, tls_hostname=endpoint.host
        )
    stream: anyio.abc.ByteStream = await anyio.connect_tcp(proxy.host, proxy.port)
    try:
        if proxy.secure:
            stream = await TLSStream.wrap(stream, hostname=proxy.host, ssl_context=context)
        tunnel = ProxyTunnel(proxy, endpoint.host, endpoint.port)
        await stream.send(tunnel.request_bytes())
        while not tunnel.receive_data(await _receive(stream)):
            pass
        if endpoint.secure:
            stream = await TLSStream.wrap(stream, hostname=endpoint.host, ssl_context=context)
    except BaseException:
        await anyio.aclose_forcefully(stream)
        raise
    return stream


async def _receive(stream: anyio.abc.ByteStream) -> bytes | None:
    try:
        return await stream.receive(READ_SIZE_BYTES)
    except anyio.EndOfStream:
        return None
