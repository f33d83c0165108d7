"""httpcore's exceptions, and the socket's, as the SDK's typed transport errors.

Mapped where httpcore is called (as httpcore itself maps the network library's
exceptions), so that the core never sees the HTTP library's vocabulary and no
raw ``httpcore``, ``anyio`` or ``ssl`` exception reaches the caller.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore

from soniox_core import (
    SonioxConnectionError,
    SonioxConnectTimeoutError,
    SonioxError,
    SonioxPoolTimeoutError,
    SonioxReadTimeoutError,
    SonioxTransportError,
    SonioxWriteTimeoutError,
)
from soniox_core._redact import safe_cause

__all__ = ["map_transport_error", "transport_errors"]

# (raised, ours, whether the request may have reached the server); the first match wins,
# so subclasses come before their bases.
_MAPPING: tuple[tuple[type[BaseException], type[SonioxTransportError], bool], ...] = (
    (httpcore.ConnectTimeout, SonioxConnectTimeoutError, False),
    (httpcore.PoolTimeout, SonioxPoolTimeoutError, False),
    (httpcore.ReadTimeout, SonioxReadTimeoutError, True),
    (httpcore.WriteTimeout, SonioxWriteTimeoutError, True),
    (httpcore.TimeoutException, SonioxReadTimeoutError, True),
    (httpcore.ConnectError, SonioxConnectionError, False),
    (httpcore.UnsupportedProtocol, SonioxConnectionError, False),
    (httpcore.ProxyError, SonioxConnectionError, False),
    (httpcore.NetworkError, SonioxConnectionError, True),  # ReadError, WriteError, CloseError
    (httpcore.ProtocolError, SonioxConnectionError, True),  # the server's or ours
    (ssl.SSLCertVerificationError, SonioxConnectionError, False),
    (ssl.SSLError, SonioxConnectionError, True),
    (ConnectionRefusedError, SonioxConnectionError, False),
    (socket.gaierror, SonioxConnectionError, False),
    (OSError, SonioxConnectionError, True),
)


def _detail(exc: BaseException) -> str:
    # Some backends (trio's TLS) raise with no message and keep the reason in the
    # exception they were raised from.
    seen: BaseException | None = exc
    while seen is not None:
        if str(seen):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return type(exc).__name__


def map_transport_error(exc: BaseException) -> SonioxTransportError | None:
    """The SDK error for a transport-level exception, or None if it is not one.

    Raise the result with ``raise error from error.__cause__``: the original stays
    attached as ``__cause__`` for debugging only when its text shows no secret (an
    HTTP library quotes the header it refused, API key included).
    """
    if isinstance(exc, SonioxTransportError):
        return exc
    for raised, ours, sent in _MAPPING:
        if isinstance(exc, raised):
            error = ours(f"{type(exc).__name__}: {_detail(exc)}", request_sent=sent)
            error.__cause__ = safe_cause(exc)
            error.__suppress_context__ = True
            return error
    return None


@contextmanager
def transport_errors() -> Iterator[None]:
    """Raise what the block raises as a ``SonioxTransportError`` when it is a transport failure."""
    try:
        yield
    except SonioxError:
        raise
    except Exception as exc:
        mapped = map_transport_error(exc)
        if mapped is None:
            raise
        # Chained to exc only when its text shows no secret (see map_transport_error).
        raise mapped from mapped.__cause__
