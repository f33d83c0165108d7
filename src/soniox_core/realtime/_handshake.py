"""How a realtime session authenticates, and where it connects (re-exported).

The opening handshake itself is ``soniox_core.websocket``'s, on websockets'
``ClientProtocol``, which requires a ``101`` answer and checks
``Sec-WebSocket-Accept`` against the key it sent.
"""

from __future__ import annotations

from soniox_core._errors import SonioxValidationError
from soniox_core._tls import TLSSettings, tls_settings
from soniox_core.websocket._endpoint import Endpoint, parse_endpoint

__all__ = ["Endpoint", "TLSSettings", "auth_headers", "parse_endpoint", "tls_settings"]


def auth_headers(api_key: str, user_agent: str | None = None) -> list[tuple[bytes, bytes]]:
    """Headers of the upgrade request: the key (regular or temporary) as a Bearer token."""
    if not api_key or any(c in api_key for c in "\r\n\0") or not api_key.isascii():
        raise SonioxValidationError("must be a non-empty string of printable ASCII", field="api_key")
    headers = [(b"Authorization", b"Bearer " + api_key.encode("ascii"))]
    if user_agent:
        headers.append((b"User-Agent", user_agent.encode("ascii", "replace")))
    return headers
