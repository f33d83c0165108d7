"""httpcore's and the socket's exceptions become typed SDK errors where httpcore is called."""

from __future__ import annotations

import socket
import ssl

import httpcore
import pytest

from soniox_core import (
    SonioxConnectionError,
    SonioxConnectTimeoutError,
    SonioxError,
    SonioxPoolTimeoutError,
    SonioxReadTimeoutError,
    SonioxTransportError,
    SonioxValidationError,
    SonioxWriteTimeoutError,
)
from soniox_core._redact import register_secret, safe_cause
from soniox_sync._transport_errors import map_transport_error, transport_errors

SECRET = "sk-drivers-transport-secret-0123456789"
register_secret(SECRET)


@pytest.mark.parametrize(
    ("raised", "expected", "sent"),
    [
        (httpcore.ConnectError, SonioxConnectionError, False),
        (httpcore.ConnectTimeout, SonioxConnectTimeoutError, False),
        (httpcore.PoolTimeout, SonioxPoolTimeoutError, False),
        (httpcore.UnsupportedProtocol, SonioxConnectionError, False),
        (httpcore.ProxyError, SonioxConnectionError, False),
        (httpcore.ReadTimeout, SonioxReadTimeoutError, True),
        (httpcore.WriteTimeout, SonioxWriteTimeoutError, True),
        (httpcore.ReadError, SonioxConnectionError, True),
        (httpcore.WriteError, SonioxConnectionError, True),
        (httpcore.RemoteProtocolError, SonioxConnectionError, True),
        (httpcore.LocalProtocolError, SonioxConnectionError, True),
        (ssl.SSLCertVerificationError, SonioxConnectionError, False),
        (ssl.SSLError, SonioxConnectionError, True),
        (ConnectionRefusedError, SonioxConnectionError, False),
        (socket.gaierror, SonioxConnectionError, False),
        (ConnectionResetError, SonioxConnectionError, True),
        (BrokenPipeError, SonioxConnectionError, True),
    ],
)
def test_each_exception_maps(
    raised: type[Exception], expected: type[SonioxTransportError], sent: bool
) -> None:
    original = raised("details")
    mapped = map_transport_error(original)
    assert type(mapped) is expected
    assert mapped is not None and mapped.request_sent is sent
    assert mapped.__cause__ is original
    assert "details" in str(mapped) and raised.__name__ in str(mapped)


def test_a_silent_exception_borrows_its_cause_message() -> None:
    try:
        try:
            raise ssl.SSLCertVerificationError("CERTIFICATE_VERIFY_FAILED")
        except ssl.SSLError as inner:
            raise httpcore.ConnectError() from inner
    except httpcore.ConnectError as outer:
        mapped = map_transport_error(outer)
    assert mapped is not None and "CERTIFICATE_VERIFY_FAILED" in str(mapped)


def test_others_pass_through() -> None:
    assert map_transport_error(ValueError("x")) is None
    already = SonioxConnectionError("x")
    assert map_transport_error(already) is already
    with pytest.raises(ValueError), transport_errors():
        raise ValueError("not a transport failure")
    with pytest.raises(SonioxValidationError), transport_errors():
        raise SonioxValidationError("file shrank", field="file")  # an SDK error is left alone
    with pytest.raises(SonioxReadTimeoutError) as caught, transport_errors():
        raise httpcore.ReadTimeout("slow")
    assert isinstance(caught.value, SonioxError) and isinstance(caught.value.__cause__, httpcore.ReadTimeout)


def test_an_exception_quoting_the_key_is_not_chained() -> None:
    # httpcore quotes the header value it refused, API key included.
    leaky = httpcore.LocalProtocolError(f"Illegal header value b'Bearer {SECRET}\\x0b'")
    mapped = map_transport_error(leaky)
    assert isinstance(mapped, SonioxConnectionError)
    assert mapped.__cause__ is None and mapped.__suppress_context__
    assert SECRET not in str(mapped)
    assert safe_cause(leaky) is None
    with pytest.raises(SonioxConnectionError) as caught, transport_errors():
        raise leaky
    assert caught.value.__cause__ is None and SECRET not in str(caught.value)
