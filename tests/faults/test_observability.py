"""The ``soniox`` logger tells what happened and never prints a secret."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from soniox_core import SonioxNotFoundError, WebhookAuthConfig
from soniox_emulator import Emulator


def test_debug_log_has_the_facts_and_no_secrets(
    make_client: Callable[..., Any], emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "whsec-very-secret-value"
    client = make_client(webhook_secret=secret)
    with caplog.at_level(logging.DEBUG, logger="soniox"):
        temp = client.auth.create_temporary_api_key(expires_in_seconds=60)
        client.stt.transcribe_file_with_webhook(
            file=b"RIFF" + b"\0" * 64,
            webhook_url="http://127.0.0.1:9/hook",
            webhook_auth=WebhookAuthConfig(name="X-Hook", value="another-secret"),
        )
        with pytest.raises(SonioxNotFoundError) as caught:
            client.files.get("missing")
    text = caplog.text
    for secret_text in (emulator.api_key, temp.api_key, secret, "another-secret"):
        assert secret_text not in text
        assert secret_text not in repr(client)
    assert emulator.api_key not in str(caught.value) + repr(caught.value)
    line = next(r.getMessage() for r in caplog.records if "/v1/files/missing" in r.getMessage())
    assert line.startswith("GET /v1/files/missing -> 404 in ")
    assert "attempt 1" in line
    assert f"request_id={caught.value.request_id}" in line
    assert caught.value.request_id
