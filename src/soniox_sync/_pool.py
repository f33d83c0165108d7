# Generated from src/soniox_async/_pool.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""Connection pool options, the TLS context and body buffering for the drivers (no event loop needed)."""

from __future__ import annotations

import contextlib
import io
import os
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore

from soniox_core import ClientConfig, SonioxValidationError, Timeouts
from soniox_core._errors import SonioxUnexpectedResponseError
from soniox_core._http import header_value
from soniox_core._redact import guard_loggers
from soniox_core._tls import SSL_CERT_DIR_ENV, SSL_CERT_FILE_ENV, TLSSettings

__all__ = [
    "POOL_OPTIONS",
    "Origin",
    "body_buffer",
    "body_too_large",
    "buffered_body",
    "pool_options",
    "retire_if_anomalous",
    "ssl_context",
    "timeout_extension",
]

# The client options that go to httpcore's connection pool as they are.
POOL_OPTIONS = frozenset(
    {
        "max_connections",
        "max_keepalive_connections",
        "keepalive_expiry",
        "http1",
        "http2",
        "retries",
        "local_address",
        "uds",
    }
)

# The HTTP and WebSocket libraries log response headers at DEBUG, where a hostile
# server can echo the key: their records pass through the SDK's redaction too.
guard_loggers(
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "websockets.client",
)


def ssl_context(settings: TLSSettings) -> ssl.SSLContext:
    """The TLS context for ``https://`` and ``wss://`` alike.

    A ready ``ssl.SSLContext`` the user passed is used as it is. Otherwise the
    certificate is verified against the CA bundle path in ``verify``; else
    against ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when the environment names them
    (as httpx does); else against the system's CA store plus certifi's bundle
    (a company CA installed in the system keeps working). ``verify=False``
    turns verification off, only when asked.
    """
    if isinstance(settings.context, ssl.SSLContext):
        return settings.context
    if settings.context is not None:
        raise SonioxValidationError(
            f"must be an ssl.SSLContext, not {type(settings.context).__name__}", field="ssl_context"
        )
    if settings.verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if isinstance(settings.verify, str):
        return _load_context(cafile=settings.verify, field="verify")
    if settings.ca_file or settings.ca_dir:
        return _load_context(
            cafile=settings.ca_file,
            capath=settings.ca_dir,
            field=SSL_CERT_FILE_ENV if settings.ca_file else SSL_CERT_DIR_ENV,
        )
    # Without trust_env, not create_default_context(): it lets OpenSSL read
    # SSL_CERT_FILE/SSL_CERT_DIR itself; the system store comes from its compiled-in paths.
    context = ssl.create_default_context() if settings.trust_env else _system_store_context()
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi comes with httpcore
        return context
    context.load_verify_locations(certifi.where())
    return context


def _system_store_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    cafile = paths.openssl_cafile if os.path.isfile(paths.openssl_cafile) else None
    capath = paths.openssl_capath if os.path.isdir(paths.openssl_capath) else None
    if cafile or capath:
        context.load_verify_locations(cafile=cafile, capath=capath)
    return context


def _load_context(*, cafile: str | None, capath: str | None = None, field: str) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as exc:
        raise SonioxValidationError(
            f"cannot load CA certificates from {cafile or capath!r}: {exc}", field=field
        ) from None


def pool_options(config: ClientConfig) -> dict[str, Any]:
    """httpcore pool keyword arguments from the client's options."""
    options = dict(config.http_options)
    options.pop("verify", None)
    options.pop("ssl_context", None)
    proxy = config.proxy
    secure_proxy = proxy is not None and proxy.secure
    if config.api_base_url.startswith("https://") or secure_proxy or _tls_options_given(config):
        # Building a context costs ~20 ms; a plain-http client (an emulator) needs none.
        options["ssl_context"] = ssl_context(config.tls)
    if proxy is not None:
        # The credentials go in Proxy-Authorization, never in the URL httpcore keeps.
        # An https:// proxy is verified as the servers are.
        options["proxy"] = httpcore.Proxy(
            proxy.url,
            headers=proxy.headers(),
            ssl_context=options["ssl_context"] if secure_proxy else None,
        )
    options.setdefault("max_connections", 100)
    options.setdefault("keepalive_expiry", 30.0)
    return options


def _tls_options_given(config: ClientConfig) -> bool:
    return bool({"ssl_context", "verify"} & config.http_options.keys())


def timeout_extension(timeouts: Timeouts) -> dict[str, float | None]:
    """The ``timeout`` extension of an httpcore request: seconds per phase, None for no limit."""
    return {
        "connect": timeouts.connect,
        "read": timeouts.read,
        "write": timeouts.write,
        "pool": timeouts.pool,
    }


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


def body_too_large(status: int, limit: int) -> SonioxUnexpectedResponseError:
    """The error for a response body longer than the SDK reads (the connection is dropped)."""
    return SonioxUnexpectedResponseError(
        f"The response body is longer than {limit} bytes; it was not read to the end",
        status_code=status,
    )


def buffered_body(buffer: io.BytesIO) -> bytes:
    """The body written into ``buffer``, without what a shorter one left unfilled."""
    buffer.truncate()
    return buffer.getvalue()


def _h11_state(response: httpcore.Response) -> Any:
    """The h11 state machine of the connection that carried ``response``, if HTTP/1.1.

    httpcore does not expose it; the walk tolerates any link missing (a proxy
    connection wraps the real one in ``_connection`` as well).
    """
    pool_request = getattr(getattr(response, "stream", None), "_pool_request", None)
    node = getattr(pool_request, "connection", None)
    for _ in range(4):
        if node is None:
            return None
        state = getattr(node, "_h11_state", None)
        if state is not None:
            return state
        node = getattr(node, "_connection", None)
    return None


def retire_if_anomalous(response: httpcore.Response) -> bool:
    """Make sure a connection that misbehaved is never used again; True if it did.

    Called once the whole body was read, before the response is closed. Bytes
    after the end of a response (already buffered by h11, or waiting on the
    socket) would be taken as the answer to the next request on the connection:
    a hostile or broken server could answer a call with another call's result.
    Marking our side failed makes httpcore close the connection instead of
    returning it to the pool.
    """
    state = _h11_state(response)
    if state is None:
        return False
    trailing, _closed = state.trailing_data
    stream = getattr(response, "extensions", {}).get("network_stream")
    readable = False
    if not trailing and stream is not None:
        try:
            readable = bool(stream.get_extra_info("is_readable"))
        except Exception:  # a stream that cannot tell is taken at its word
            readable = False
    if not trailing and not readable:
        return False
    # Already failed or closed: it will not be reused either way.
    with contextlib.suppress(Exception):
        state.send_failed()
    return True
