"""The CONNECT exchange that opens a tunnel through an HTTP proxy, sans-IO (h11).

A realtime session behind a proxy first dials the proxy, sends these bytes,
feeds back what the proxy answers until the tunnel is open, and then speaks
TLS (``wss://``) or the WebSocket handshake (``ws://``) through it as if
connected to the server. REST requests go through the drivers' HTTP connection
pool and its proxy support instead; this serves the realtime session, whose
protocol runs over a raw byte stream.
"""

from __future__ import annotations

import h11

from soniox_core._errors import SonioxRealtimeError
from soniox_core._proxy import ProxyURL

__all__ = ["ProxyTunnel"]


class ProxyTunnel:
    """One ``CONNECT host:port`` request and the proxy's answer to it.

    ``request_bytes()`` is what to send to the proxy; ``receive_data()`` takes
    what comes back (``None`` when the proxy closed the connection) and returns
    True once the tunnel is open. A refusal (any status but 2xx), a malformed
    answer or a closed connection raises ``SonioxRealtimeError``; the message
    names the proxy without its credentials.
    """

    def __init__(self, proxy: ProxyURL, host: str, port: int) -> None:
        self._proxy = proxy
        name = f"[{host}]" if ":" in host else host
        self._target = f"{name}:{port}"
        self._connection = h11.Connection(h11.CLIENT)
        self.established = False

    def request_bytes(self) -> bytes:
        """The CONNECT request, with ``Proxy-Authorization`` when the proxy URL has credentials."""
        headers = [(b"Host", self._target.encode("idna")), *self._proxy.headers()]
        request = h11.Request(method=b"CONNECT", target=self._target.encode("idna"), headers=headers)
        return self._connection.send(request) or b""

    def receive_data(self, data: bytes | None) -> bool:
        """Feed what the proxy sent; True once the tunnel is open."""
        if self.established:
            return True
        try:
            self._connection.receive_data(data or b"")
            while True:
                event = self._connection.next_event()
                if event is h11.NEED_DATA:
                    if data is None:
                        raise self._failure("closed the connection before answering")
                    return False
                if isinstance(event, h11.InformationalResponse):
                    continue
                if isinstance(event, h11.Response):
                    if 200 <= event.status_code < 300:
                        if self._connection.trailing_data[0]:
                            # Nothing may come before the client speaks (TLS or the upgrade).
                            raise self._failure("sent data through the tunnel before it was used")
                        self.established = True
                        return True
                    reason = event.reason.decode("latin-1", "replace")
                    raise self._failure(f"refused the tunnel: {event.status_code} {reason}".rstrip())
                raise self._failure("closed the connection before answering")
        except h11.RemoteProtocolError as exc:
            if data is None:
                raise self._failure("closed the connection before answering") from None
            raise self._failure(f"sent a malformed answer ({exc})") from None

    def _failure(self, what: str) -> SonioxRealtimeError:
        return SonioxRealtimeError(f"Proxy {self._proxy} {what} (to {self._target})")
