"""Connection pool options, the TLS context and body buffering for the drivers (no event loop needed)."""

from __future__ import annotations

import io
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore

from soniox_core import ClientConfig, SonioxValidationError
from soniox_core._http import header_value
from soniox_core._tls import TLSSettings, tls_settings

__all__ = ["Origin", "body_buffer", "buffered_body", "pool_options", "ssl_context"]


def ssl_context(settings: TLSSettings) -> ssl.SSLContext:
    """The TLS context for ``https://`` and ``wss://`` alike.

    A ready ``ssl.SSLContext`` the user passed is used as it is. Otherwise the
    certificate is verified against the system's CA store plus certifi's bundle
    (as httpcore does by default), or the CA bundle path in ``verify``;
    ``verify=False`` turns verification off, only when asked.
    """
    if isinstance(settings.context, ssl.SSLContext):
        return settings.context
    if settings.verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if isinstance(settings.verify, str):
        try:
            return ssl.create_default_context(cafile=settings.verify)
        except (OSError, ssl.SSLError) as exc:
            raise SonioxValidationError(
                f"cannot load CA bundle {settings.verify!r}: {exc}", field="verify"
            ) from None
    context = ssl.create_default_context()
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi comes with httpcore
        return context
    # Both stores: a company CA installed in the system keeps working.
    context.load_verify_locations(certifi.where())
    return context


def pool_options(config: ClientConfig) -> dict[str, Any]:
    """httpcore pool keyword arguments from the client's options."""
    options = dict(config.http_options)
    if config.api_base_url.startswith("https://") or {"ssl_context", "verify"} & options.keys():
        # Building a context costs ~20 ms; a plain-http client (an emulator) needs none.
        options["ssl_context"] = ssl_context(tls_settings(options))
    options.pop("verify", None)
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


# A body this big is read into one buffer sized from its Content-Length: collecting
# chunks and joining them holds it twice, and in a cold process each copy into fresh
# memory costs about as much in page faults as the read itself.
PRESIZE_MIN = 256 * 1024
# A wrong or hostile Content-Length must not allocate memory no data will fill; past
# this the buffer grows as data arrives.
PRESIZE_MAX = 64 << 20


def body_buffer(method: str, status: int, headers: Sequence[tuple[bytes, bytes]]) -> io.BytesIO | None:
    """A buffer for a big body of announced length, or None to collect chunks.

    A ``BytesIO``, because its ``getvalue()`` hands over the bytes object it wrote
    into rather than a copy; writing the last byte first allocates it once.
    """
    if method == "HEAD" or status in (204, 304):
        return None
    announced = header_value(headers, "content-length")
    if announced is None:
        return None
    try:
        length = int(announced)
    except ValueError:
        return None
    if length < PRESIZE_MIN:
        return None
    buffer = io.BytesIO()
    buffer.seek(min(length, PRESIZE_MAX) - 1)
    buffer.write(b"\0")
    buffer.seek(0)
    return buffer


def buffered_body(buffer: io.BytesIO) -> bytes:
    """The body written into ``buffer``, without what a shorter one left unfilled."""
    buffer.truncate()
    return buffer.getvalue()
