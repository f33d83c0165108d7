"""One TLS context builder serves the REST pool and both realtime drivers."""

from __future__ import annotations

import ssl
from typing import Any

import certifi
import pytest

from soniox_core._config import resolve_config
from soniox_core._errors import SonioxValidationError
from soniox_core._tls import TLSSettings
from soniox_sync._pool import pool_options, ssl_context


def config(**options: Any) -> Any:
    return resolve_config(
        api_key="key",
        api_base_url=None,
        websocket_base_url=None,
        timeout_sec=None,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs=options,
        environ={},
    )


def test_verification_is_on_by_default_with_system_store_and_certifi() -> None:
    context = ssl_context(TLSSettings())
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    certifi_only = ssl.create_default_context(cafile=certifi.where()).get_ca_certs()
    loaded = {c["serialNumber"] for c in context.get_ca_certs()}
    assert certifi_only and {c["serialNumber"] for c in certifi_only} <= loaded


def test_verification_off_only_when_asked() -> None:
    context = ssl_context(TLSSettings(verify=False))
    assert context.verify_mode is ssl.CERT_NONE and not context.check_hostname


def test_given_context_is_used_as_it_is() -> None:
    given = ssl.create_default_context()
    assert ssl_context(TLSSettings(context=given, verify=False)) is given


def test_ca_bundle_path(tmp_path: Any) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        ssl_context(TLSSettings(verify=str(tmp_path / "missing.pem")))
    assert caught.value.field == "verify"
    context = ssl_context(TLSSettings(verify=certifi.where()))
    assert context.verify_mode is ssl.CERT_REQUIRED and context.get_ca_certs()


def test_rest_pool_uses_the_same_context() -> None:
    options = pool_options(config())
    assert "verify" not in options  # httpcore's pool does not take it
    assert options["ssl_context"].verify_mode is ssl.CERT_REQUIRED
    assert pool_options(config(verify=False))["ssl_context"].verify_mode is ssl.CERT_NONE
    given = ssl.create_default_context()
    assert pool_options(config(ssl_context=given))["ssl_context"] is given
    with pytest.raises(SonioxValidationError) as caught:
        pool_options(config(verify=3))
    assert caught.value.field == "verify"
