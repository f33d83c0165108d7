"""Where a WebSocket connects: a ``ws://`` or ``wss://`` URL taken apart (a pure value)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from soniox_core._errors import SonioxValidationError

__all__ = ["Endpoint", "parse_endpoint"]


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
