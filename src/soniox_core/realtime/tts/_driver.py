"""What the async and sync text-to-speech drivers share, without the I/O.

``plan_tts_connection`` checks the arguments of ``connect()`` /
``connect_multi_stream()`` and builds the sans-IO session before a socket
exists, so a bad argument fails with nothing to clean up.
"""

from __future__ import annotations

from dataclasses import dataclass

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxValidationError
from soniox_core._proxy import ProxyURL

from .._handshake import TLSSettings, auth_headers, parse_endpoint
from ._models import (
    TTS_KEEP_ALIVE_INTERVAL_SEC,
    TTS_STREAM_EVENT_TIMEOUT_SEC,
    RealtimeTTSConfig,
    coerce_tts_config,
)
from ._protocol import TTSProtocol
from ._session import TTSSession

__all__ = ["DEFAULT_TTS_CONNECT_TIMEOUT_SEC", "TTSPlan", "plan_tts_connection"]

DEFAULT_TTS_CONNECT_TIMEOUT_SEC = 10.0


@dataclass(frozen=True, slots=True)
class TTSPlan:
    """A text-to-speech connection ready to dial: the protocol state and how to connect."""

    session: TTSSession
    tls: TLSSettings
    connect_timeout_sec: float
    write_timeout_sec: float | None
    config: RealtimeTTSConfig | None  # the single stream's config; None for a multi-stream connection
    proxy: ProxyURL | None = None  # an HTTP proxy to tunnel through (CONNECT), or None


def _positive(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise SonioxValidationError("must be a positive number of seconds", field=field)
    return float(value)


def plan_tts_connection(
    client_config: ClientConfig,
    config: object | None,
    *,
    multi_stream: bool,
    api_key: str | None,
    connect_timeout_sec: float,
    event_timeout_sec: float | None = TTS_STREAM_EVENT_TIMEOUT_SEC,
    keepalive_interval_sec: float = TTS_KEEP_ALIVE_INTERVAL_SEC,
) -> TTSPlan:
    """Check the arguments of ``connect()`` and build the connection they describe.

    Args:
        client_config: The client's settings (URL, key, TLS, timeouts).
        config: The stream's ``RealtimeTTSConfig`` (or dict); ignored when ``multi_stream``.
        multi_stream: Whether streams are opened later with ``open_stream``.
        api_key: Overrides the client's key (e.g. a temporary ``tts_rt`` key).
        connect_timeout_sec: Bound on the TCP, TLS and WebSocket handshakes.
        event_timeout_sec: How long a stream may wait for its next event (``None``: forever).
        keepalive_interval_sec: Idle time after which a keepalive goes out.

    Returns:
        The plan the driver connects with.

    Raises:
        SonioxValidationError: any argument is invalid; nothing was opened.
    """
    checked = None if multi_stream else coerce_tts_config(config if config is not None else _missing())
    connect_timeout = _positive(connect_timeout_sec, "connect_timeout_sec")
    event_timeout = None if event_timeout_sec is None else _positive(event_timeout_sec, "event_timeout_sec")
    keepalive = _positive(keepalive_interval_sec, "keepalive_interval_sec")
    endpoint = parse_endpoint(client_config.tts_websocket_base_url)
    headers = auth_headers(api_key or client_config.api_key, client_config.user_agent)
    protocol = TTSProtocol(keepalive_interval_sec=keepalive, event_timeout_sec=event_timeout)
    return TTSPlan(
        session=TTSSession(endpoint, headers, protocol, config=checked),
        tls=client_config.tls,
        connect_timeout_sec=connect_timeout,
        write_timeout_sec=client_config.timeouts.write,
        config=checked,
        proxy=client_config.proxies.for_url(client_config.tts_websocket_base_url),
    )


def _missing() -> object:
    raise SonioxValidationError("a RealtimeTTSConfig is required", field="config")
