"""Where to connect and how to authenticate: pure values the drivers act on.

The opening handshake itself is wsproto's client handshake, which requires a
``101`` answer and checks ``Sec-WebSocket-Accept`` against the key it sent; the
session turns its failures into ``SonioxRealtimeError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from soniox_core import _validate as check
from soniox_core._errors import SonioxValidationError
from soniox_core._redact import register_secret
from soniox_core._tls import TLSSettings, tls_settings

__all__ = ["Endpoint", "TLSSettings", "auth_headers", "parse_endpoint", "tls_settings"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A WebSocket URL taken apart: what to dial and what to ask for."""

    secure: bool
    host: str
    port: int
    target: str

    @property
    def host_header(self) -> str:
        """The ``Host`` header: the port is left out when it is the scheme's default."""
        default = 443 if self.secure else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def parse_endpoint(url: str) -> Endpoint:
    """Split a ``ws://`` or ``wss://`` URL; anything else is a ``SonioxValidationError``."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise SonioxValidationError(f"{url!r} is not a ws:// or wss:// URL", field="websocket_base_url")
    secure = parts.scheme == "wss"
    try:
        port = parts.port or (443 if secure else 80)
    except ValueError:
        raise SonioxValidationError(f"{url!r} has a bad port", field="websocket_base_url") from None
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return Endpoint(secure=secure, host=parts.hostname, port=port, target=target)


def auth_headers(api_key: str, user_agent: str | None = None) -> list[tuple[bytes, bytes]]:
    """Headers of the upgrade request: the key (regular or temporary) as a Bearer token."""
    check.api_key(api_key)
    register_secret(api_key)
    headers = [(b"Authorization", b"Bearer " + api_key.encode("ascii"))]
    if user_agent:
        headers.append((b"User-Agent", user_agent.encode("ascii", "replace")))
    return headers
