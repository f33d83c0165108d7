"""connect()'s arguments checked and turned into a session before any socket exists (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from soniox_async._realtime import plan_session
from soniox_core._config import resolve_config
from soniox_core._errors import SonioxValidationError
from soniox_core.realtime import (
    DEFAULT_CONNECT_TIMEOUT_SEC,
    DEFAULT_RECEIVE_TIMEOUT_SEC,
    RealtimeSession,
    RealtimeSTTConfig,
    SessionState,
)

CONFIG = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)


def client_config(**options: Any) -> Any:
    return resolve_config(
        api_key="client-key",
        api_base_url=None,
        websocket_base_url="wss://stt.example.com:8443/ws",
        timeout_sec=7.0,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs=options,
        environ={},
    )


def plan(config: Any = CONFIG, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "api_key": None,
        "connect_timeout_sec": DEFAULT_CONNECT_TIMEOUT_SEC,
        "receive_timeout_sec": DEFAULT_RECEIVE_TIMEOUT_SEC,
        "keepalive_interval_sec": 5.0,
    }
    arguments.update(overrides)
    options = arguments.pop("options", {})
    return plan_session(client_config(**options), config, **arguments)


def test_plan_carries_everything_a_driver_needs() -> None:
    result = plan(
        api_key="temp-key", connect_timeout_sec=3, receive_timeout_sec=None, options={"verify": "/ca.pem"}
    )
    assert result.options.connect_timeout_sec == 3.0 and isinstance(result.options.connect_timeout_sec, float)
    assert result.options.receive_timeout_sec is None
    assert result.options.write_timeout_sec == 7.0
    assert result.options.tls.verify == "/ca.pem" and result.options.tls.context is None
    session = result.session
    assert isinstance(session, RealtimeSession) and session.state is SessionState.CONNECTING
    assert (session.endpoint.secure, session.endpoint.host, session.endpoint.port) == (
        True,
        "stt.example.com",
        8443,
    )
    session.start(0.0)
    request = session.data_to_send()
    assert b"Authorization: Bearer temp-key" in request  # api_key overrides the client's


def test_plan_defaults_to_the_client_key() -> None:
    session = plan().session
    session.start(0.0)
    assert b"Bearer client-key" in session.data_to_send()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"config": None}, "config"),
        ({"connect_timeout_sec": 0}, "connect_timeout_sec"),
        ({"connect_timeout_sec": None}, "connect_timeout_sec"),
        ({"connect_timeout_sec": True}, "connect_timeout_sec"),
        ({"receive_timeout_sec": -1}, "receive_timeout_sec"),
        ({"receive_timeout_sec": "60"}, "receive_timeout_sec"),
        ({"options": {"verify": 3}}, "verify"),
    ],
)
def test_plan_checks_every_argument_before_connecting(overrides: dict[str, Any], field: str) -> None:
    config = overrides.pop("config", CONFIG)
    with pytest.raises(SonioxValidationError) as caught:
        plan(config, **overrides)
    assert caught.value.field == field


def test_plan_checks_the_config_itself() -> None:
    with pytest.raises(SonioxValidationError):
        plan({"model": "stt-rt-v4", "no_such_field": 1})
