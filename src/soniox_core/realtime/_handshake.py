"""How a realtime session authenticates, and where it connects (re-exported).

The opening handshake itself is ``soniox_core.websocket``'s, on websockets'
``ClientProtocol``, which requires a ``101`` answer and checks
``Sec-WebSocket-Accept`` against the key it sent.
"""

from __future__ import annotations

from soniox_core import _validate as check
from soniox_core._redact import register_secret
from soniox_core._tls import TLSSettings, tls_settings
from soniox_core.websocket._endpoint import Endpoint, parse_endpoint

__all__ = ["Endpoint", "TLSSettings", "auth_headers", "parse_endpoint", "tls_settings"]


def auth_headers(api_key: str, user_agent: str | None = None) -> list[tuple[bytes, bytes]]:
    """Headers of the upgrade request: the key (regular or temporary) as a Bearer token."""
    check.api_key(api_key)
    register_secret(api_key)  # a temporary key handed to connect() is a secret too
    headers = [(b"Authorization", b"Bearer " + api_key.encode("ascii"))]
    if user_agent:
        headers.append((b"User-Agent", user_agent.encode("ascii", "replace")))
    return headers
