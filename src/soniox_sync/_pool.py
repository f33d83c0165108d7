"""Connection pool settings shared by the sync and async runners (no event loop needed)."""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

import httpcore

from soniox_core import ClientConfig, SonioxValidationError

__all__ = ["Origin", "pool_options"]


def _ssl_context(options: dict[str, Any]) -> ssl.SSLContext | None:
    context = options.pop("ssl_context", None)
    verify = options.pop("verify", True)
    if context is not None:
        return context  # type: ignore[no-any-return]
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return None


def pool_options(config: ClientConfig) -> dict[str, Any]:
    """httpcore pool keyword arguments from the client's options."""
    options = dict(config.http_options)
    options["ssl_context"] = _ssl_context(options)
    proxy = options.pop("proxy", None)
    if proxy is not None:
        if not isinstance(proxy, str):
            raise SonioxValidationError("must be a proxy URL string", field="proxy")
        options["proxy"] = httpcore.Proxy(proxy)
    options.setdefault("max_connections", 100)
    options.setdefault("keepalive_expiry", 30.0)
    return options


class Origin:
    """The scheme, host and port of the API base URL, parsed once."""

    __slots__ = ("host", "port", "scheme")

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.scheme = parts.scheme.encode("ascii")
        self.host = (parts.hostname or "").encode("idna")
        self.port = parts.port

    def url(self, target: str) -> httpcore.URL:
        """An httpcore URL for a request target under this origin."""
        return httpcore.URL(scheme=self.scheme, host=self.host, port=self.port, target=target.encode("ascii"))
