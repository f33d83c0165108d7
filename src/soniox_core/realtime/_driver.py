"""What the async and the sync realtime drivers share, without the I/O.

``plan_session`` checks the arguments of ``connect()`` and builds everything a
session needs before a socket exists; ``SessionView`` gives both session
classes the same read-only properties over the core ``RealtimeSession``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxValidationError
from soniox_core._proxy import ProxyURL

from ._config import RealtimeSTTConfig
from ._events import RealtimeEvent
from ._handshake import TLSSettings, auth_headers, parse_endpoint
from ._session import RealtimeSession, SessionState

__all__ = [
    "CLOSE_GRACE_SEC",
    "DEFAULT_CONNECT_TIMEOUT_SEC",
    "DEFAULT_RECEIVE_TIMEOUT_SEC",
    "READ_SIZE_BYTES",
    "SessionPlan",
    "SessionView",
    "plan_session",
]

DEFAULT_CONNECT_TIMEOUT_SEC = 10.0
DEFAULT_RECEIVE_TIMEOUT_SEC = 60.0
CLOSE_GRACE_SEC = 2.0  # how long an exit waits for the server to answer our close
READ_SIZE_BYTES = 65536  # the most a driver asks the socket for at once


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """A realtime session ready to connect: the protocol state and how to dial."""

    session: RealtimeSession
    tls: TLSSettings
    connect_timeout_sec: float
    receive_timeout_sec: float | None  # None: wait for the server forever
    write_timeout_sec: float | None
    proxy: ProxyURL | None = None  # an HTTP proxy to tunnel through (CONNECT), or None


def _check_timeout(value: float | None, field: str, *, allow_none: bool) -> float | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise SonioxValidationError("must be a positive number of seconds", field=field)
    return float(value)


def plan_session(
    client_config: ClientConfig,
    config: RealtimeSTTConfig | Mapping[str, Any] | None,
    *,
    api_key: str | None,
    connect_timeout_sec: float,
    receive_timeout_sec: float | None,
    keepalive_interval_sec: float,
) -> SessionPlan:
    """Check the arguments of ``connect()`` and build the session they describe.

    Every bad value raises ``SonioxValidationError`` here, before any
    connection is made. ``api_key`` overrides the client's key.
    """
    if config is None:
        raise SonioxValidationError("a RealtimeSTTConfig is required", field="config")
    connect_timeout = _check_timeout(connect_timeout_sec, "connect_timeout_sec", allow_none=False)
    receive_timeout = _check_timeout(receive_timeout_sec, "receive_timeout_sec", allow_none=True)
    endpoint = parse_endpoint(client_config.websocket_base_url)
    headers = auth_headers(api_key or client_config.api_key, client_config.user_agent)
    session = RealtimeSession(config, endpoint, headers, keepalive_interval_sec=keepalive_interval_sec)
    return SessionPlan(
        session=session,
        tls=client_config.tls,
        connect_timeout_sec=connect_timeout or DEFAULT_CONNECT_TIMEOUT_SEC,
        receive_timeout_sec=receive_timeout,
        write_timeout_sec=client_config.timeouts.write,
        proxy=client_config.websocket_proxy,
    )


class SessionView:
    """The read-only side of a driver's session, the same for async and sync."""

    def __init__(self, plan: SessionPlan) -> None:
        self._plan = plan
        self._core = plan.session

    @property
    def config(self) -> RealtimeSTTConfig:
        """The configuration this session was opened with."""
        return self._core.config

    @property
    def paused(self) -> bool:
        """Whether audio is currently dropped (see ``pause()``)."""
        return self._core.paused

    @property
    def last_message(self) -> RealtimeEvent | None:
        """The latest event received, error messages included."""
        return self._core.last_message

    @property
    def state(self) -> SessionState:
        """Where the session stands (connecting, streaming, finishing ...)."""
        return self._core.state
