"""Client configuration: the API key, URLs, timeouts and retry settings, resolved once."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from . import _validate as check
from ._errors import SonioxValidationError
from ._proxy import ProxyRules, ProxyURL, proxy_rules
from ._redact import register_secret
from ._tls import TLSSettings, tls_settings
from ._version import __version__

__all__ = [
    "DEFAULT_API_BASE_URL",
    "DEFAULT_TTS_API_BASE_URL",
    "DEFAULT_TTS_WEBSOCKET_BASE_URL",
    "DEFAULT_WEBSOCKET_BASE_URL",
    "REGIONS",
    "ClientConfig",
    "Timeouts",
    "resolve_config",
]

DEFAULT_API_BASE_URL = "https://api.soniox.com/v1"
DEFAULT_WEBSOCKET_BASE_URL = "wss://stt-rt.soniox.com/transcribe-websocket"
DEFAULT_TTS_API_BASE_URL = "https://tts-rt.soniox.com"
DEFAULT_TTS_WEBSOCKET_BASE_URL = "wss://tts-rt.soniox.com/tts-websocket"
DEFAULT_TIMEOUT_SEC = 30.0
# The whole of one request (connect, send, every read of the answer) must end
# within this, however the server paces its bytes: a body trickled a byte at a
# time never trips the per-read timeout. Big uploads on slow links may need more.
DEFAULT_TOTAL_TIMEOUT_SEC = 600.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_RETRY_BASE_DELAY = 0.5
DEFAULT_RETRY_MAX_DELAY = 8.0
DEFAULT_WEBHOOK_HEADER = "X-Soniox-Webhook-Secret"

API_KEY_ENV = "SONIOX_API_KEY"
API_BASE_URL_ENV = "SONIOX_API_BASE_URL"
WEBSOCKET_BASE_URL_ENV = "SONIOX_WEBSOCKET_BASE_URL"
TTS_API_BASE_URL_ENV = "SONIOX_TTS_API_BASE_URL"
TTS_WEBSOCKET_BASE_URL_ENV = "SONIOX_TTS_WEBSOCKET_BASE_URL"
WEBHOOK_HEADER_ENV = "SONIOX_API_WEBHOOK_HEADER"
WEBHOOK_SECRET_ENV = "SONIOX_API_WEBHOOK_SECRET"

USER_AGENT = f"soniox-sansio-python/{__version__}"

# Data-residency regions and their base domain; "us" is the default, with no subdomain.
REGIONS: Mapping[str, str] = {"us": "soniox.com", "eu": "eu.soniox.com", "jp": "jp.soniox.com"}


def region_urls(region: str) -> dict[str, str]:
    """The four base URLs of a region, derived from its domain as the official Node SDK does."""
    domain = REGIONS[region]
    return {
        "api_base_url": f"https://api.{domain}/v1",
        "websocket_base_url": f"wss://stt-rt.{domain}/transcribe-websocket",
        "tts_api_base_url": f"https://tts-rt.{domain}",
        "tts_websocket_base_url": f"wss://tts-rt.{domain}/tts-websocket",
    }

# Client options this package understands; the driver names the ones its
# transport takes (connection pool settings) and gets those back untouched in
# ClientConfig.http_options.
CLIENT_OPTIONS = frozenset(
    {"verify", "ssl_context", "proxy", "trust_env", "max_retries", "retry_base_delay", "retry_max_delay"}
)


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed for each network phase; ``None`` means no limit.

    ``total`` bounds one whole request, all phases together (default 600 s), so
    a server that trickles its answer cannot keep a call alive however it paces
    the bytes; past it a ``SonioxReadTimeoutError`` is raised.
    """

    connect: float | None = DEFAULT_TIMEOUT_SEC
    read: float | None = DEFAULT_TIMEOUT_SEC
    write: float | None = DEFAULT_TIMEOUT_SEC
    pool: float | None = DEFAULT_TIMEOUT_SEC
    total: float | None = DEFAULT_TOTAL_TIMEOUT_SEC

    @classmethod
    def of(cls, value: float | Timeouts | None) -> Timeouts:
        """One number sets the four phases (``total`` keeps its default, or the
        number if that is longer); a ``Timeouts`` is checked and taken as it is."""
        if isinstance(value, Timeouts):
            for name in ("connect", "read", "write", "pool", "total"):
                check.optional_seconds(getattr(value, name), f"timeout_sec.{name}")
            return value
        if value is None:
            return cls(None, None, None, None, None)
        phase = check.seconds(value, "timeout_sec")
        return cls(phase, phase, phase, phase, max(phase, DEFAULT_TOTAL_TIMEOUT_SEC))

    def capped(self, limit: float) -> Timeouts:
        """The same phases, none longer than ``limit`` (for cleanup after a failure)."""
        return Timeouts(
            *(
                limit if v is None else min(v, limit)
                for v in (self.connect, self.read, self.write, self.pool, self.total)
            )
        )


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client resolved at construction. Immutable; never shows the key."""

    api_key: str = field(repr=False)
    api_base_url: str
    websocket_base_url: str
    timeouts: Timeouts
    max_retries: int
    retry_base_delay: float
    retry_max_delay: float
    webhook_secret: str | None = field(repr=False)
    webhook_signature_header: str
    http_options: Mapping[str, Any] = field(default_factory=dict)
    user_agent: str = USER_AGENT
    tts_api_base_url: str = DEFAULT_TTS_API_BASE_URL
    tts_websocket_base_url: str = DEFAULT_TTS_WEBSOCKET_BASE_URL
    region: str = "us"
    # Read from the environment once, at construction (as httpx does), unless trust_env=False.
    trust_env: bool = True
    proxies: ProxyRules = field(default_factory=ProxyRules)
    tls: TLSSettings = field(default_factory=TLSSettings)

    @property
    def proxy(self) -> ProxyURL | None:
        """The proxy REST requests go through (to ``api_base_url``), or None."""
        return self.proxies.for_url(self.api_base_url)

    @property
    def websocket_proxy(self) -> ProxyURL | None:
        """The proxy realtime sessions tunnel through (to ``websocket_base_url``), or None."""
        return self.proxies.for_url(self.websocket_base_url)

    @property
    def timeout_sec(self) -> float | None:
        """The read timeout, which is what a single ``timeout_sec`` sets."""
        return self.timeouts.read

    def with_options(
        self, *, timeout_sec: float | Timeouts | object | None = ..., max_retries: int | None = None
    ) -> ClientConfig:
        """A copy with other timeouts or retry count (for ``client.with_options``)."""
        updated = self
        if timeout_sec is not ...:
            updated = replace(updated, timeouts=Timeouts.of(timeout_sec))  # type: ignore[arg-type]
        if max_retries is not None:
            updated = replace(updated, max_retries=_check_retries(max_retries))
        return updated


def _check_retries(value: object) -> int:
    return check.count(value, "max_retries", maximum=100)


def _check_url(value: object, name: str, schemes: tuple[str, ...]) -> str:
    """An absolute URL of one of ``schemes`` with a host and a valid port; no
    user name or password (a proxy's are read by ``proxy_rules``)."""
    schemes = tuple(s.removesuffix("://") for s in schemes)
    wanted = " or ".join(f"{s}://" for s in schemes)
    if not isinstance(value, str) or any(ord(c) <= 32 or ord(c) == 127 for c in value):
        raise SonioxValidationError(f"must be a URL starting with {wanted}", field=name)
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise SonioxValidationError(f"is not a valid URL ({exc})", field=name) from None
    if parts.scheme.lower() not in schemes or not host:
        raise SonioxValidationError(f"must be a URL starting with {wanted} and naming a host", field=name)
    if parts.username is not None or parts.password is not None:
        raise SonioxValidationError("must not carry a user name or password", field=name)
    if parts.fragment:
        raise SonioxValidationError("must not have a #fragment", field=name)
    if not host.isascii() and "%" in host:
        raise SonioxValidationError("has a malformed host", field=name)
    return value.rstrip("/")


def _pool_options(options: dict[str, Any]) -> dict[str, Any]:
    """Check the HTTP pool options' types and ranges; httpcore would only fail later.

    Only the options present are checked (the driver decides which it accepts);
    ``proxy`` is checked by ``proxy_rules``.
    """
    checks: dict[str, Any] = {
        "max_connections": lambda v: check.count(v, "max_connections", minimum=1),
        "max_keepalive_connections": lambda v: check.count(v, "max_keepalive_connections"),
        "keepalive_expiry": lambda v: check.seconds(v, "keepalive_expiry", allow_zero=True),
        "http1": lambda v: check.boolean(v, "http1"),
        "http2": lambda v: check.boolean(v, "http2"),
        "retries": lambda v: check.count(v, "retries", maximum=100),
        "local_address": lambda v: check.text(v, "local_address"),
        "uds": lambda v: check.text(v, "uds"),
    }
    for name, checker in checks.items():
        value = options.get(name)
        if value is not None:
            options[name] = checker(value)
    tls_settings(options)  # ssl_context and verify, checked even for a plain-http URL
    if options.get("http1") is False and not options.get("http2"):
        raise SonioxValidationError("http1=False needs http2=True", field="http1")
    return options


def resolve_config(
    *,
    api_key: str | None,
    api_base_url: str | None,
    websocket_base_url: str | None,
    timeout_sec: float | Timeouts | None,
    webhook_secret: str | None,
    webhook_signature_header: str | None,
    client_kwargs: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    tts_api_base_url: str | None = None,
    tts_websocket_base_url: str | None = None,
    region: str | None = None,
    transport_options: Collection[str] = (),
) -> ClientConfig:
    """Resolve constructor arguments against the environment.

    The API key comes from ``api_key``, else ``SONIOX_API_KEY`` (stripped of
    surrounding whitespace, as a key read from a file ends in a newline); with
    neither, or with whitespace or control characters inside the key,
    ``SonioxValidationError`` is raised (never showing the key) and nothing is sent.
    Every option is checked here, types included.

    Each base URL is, first to last: the argument; the URL of ``region`` when
    one is given; its environment variable (``SONIOX_API_BASE_URL``,
    ``SONIOX_WEBSOCKET_BASE_URL``, ``SONIOX_TTS_API_BASE_URL``,
    ``SONIOX_TTS_WEBSOCKET_BASE_URL``); the US default. A region named in code
    beats a URL left in the environment, so data stays where the code says.

    Unless ``trust_env=False`` is among ``client_kwargs``, the proxy variables
    (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) and
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` are read here, once; an explicit
    ``proxy=`` URL wins over the environment. ``transport_options`` names the
    further options the calling driver's transport accepts; any other name is
    a ``SonioxValidationError``.
    """
    env = os.environ if environ is None else environ
    if region is not None and (not isinstance(region, str) or region not in REGIONS):
        raise SonioxValidationError(f"must be one of {sorted(REGIONS)}", field="region")
    regional = region_urls(region) if region is not None else {}
    urls = {
        name: explicit or regional.get(name) or env.get(variable) or default
        for name, explicit, variable, default in (
            ("api_base_url", api_base_url, API_BASE_URL_ENV, DEFAULT_API_BASE_URL),
            ("websocket_base_url", websocket_base_url, WEBSOCKET_BASE_URL_ENV, DEFAULT_WEBSOCKET_BASE_URL),
            ("tts_api_base_url", tts_api_base_url, TTS_API_BASE_URL_ENV, DEFAULT_TTS_API_BASE_URL),
            (
                "tts_websocket_base_url",
                tts_websocket_base_url,
                TTS_WEBSOCKET_BASE_URL_ENV,
                DEFAULT_TTS_WEBSOCKET_BASE_URL,
            ),
        )
    }
    # A key from the environment is often read from a file, newline and all.
    key: object = api_key if api_key is not None else (env.get(API_KEY_ENV) or "").strip()
    if not key:
        raise SonioxValidationError(
            f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable",
            field="api_key",
        )
    key = check.api_key(key)
    register_secret(key)
    secret = _webhook_secret(webhook_secret, env)
    register_secret(secret)
    header = webhook_signature_header or env.get(WEBHOOK_HEADER_ENV) or DEFAULT_WEBHOOK_HEADER
    check.header_name(header, "webhook_signature_header")
    if not isinstance(client_kwargs, Mapping):
        raise SonioxValidationError("must be keyword arguments", field="client_kwargs")
    supported = CLIENT_OPTIONS | set(transport_options)
    unknown = set(client_kwargs) - supported
    if unknown:
        raise SonioxValidationError(
            f"unknown option(s) {sorted(unknown)}; supported: {sorted(supported)}",
            field="client_kwargs",
        )
    options = _pool_options(dict(client_kwargs))
    max_retries = _check_retries(options.pop("max_retries", DEFAULT_MAX_RETRIES))
    base_delay = check.seconds(
        options.pop("retry_base_delay", DEFAULT_RETRY_BASE_DELAY), "retry_base_delay", allow_zero=True
    )
    max_delay = check.seconds(
        options.pop("retry_max_delay", DEFAULT_RETRY_MAX_DELAY), "retry_max_delay", allow_zero=True
    )
    trust_env = check.boolean(options.pop("trust_env", True), "trust_env")
    proxies = proxy_rules(options.pop("proxy", None), trust_env=trust_env, environ=env)
    return ClientConfig(
        api_key=key,
        api_base_url=_check_url(urls["api_base_url"], "api_base_url", ("http://", "https://")),
        websocket_base_url=_check_url(urls["websocket_base_url"], "websocket_base_url", ("ws://", "wss://")),
        tts_api_base_url=_check_url(urls["tts_api_base_url"], "tts_api_base_url", ("http://", "https://")),
        tts_websocket_base_url=_check_url(
            urls["tts_websocket_base_url"], "tts_websocket_base_url", ("ws://", "wss://")
        ),
        region=region or "us",
        timeouts=Timeouts.of(DEFAULT_TIMEOUT_SEC if timeout_sec is None else timeout_sec),
        max_retries=max_retries,
        retry_base_delay=base_delay,
        retry_max_delay=max_delay,
        webhook_secret=secret,
        webhook_signature_header=header,
        http_options=options,
        trust_env=trust_env,
        proxies=proxies,
        tls=tls_settings(options, env if trust_env else None),
    )


def _webhook_secret(value: object, env: Mapping[str, str]) -> str | None:
    if value is None:
        value = env.get(WEBHOOK_SECRET_ENV) or None
    if value is None or value == "":
        return None
    return check.header_value(value, "webhook_secret")
