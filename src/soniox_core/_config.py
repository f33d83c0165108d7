"""Client configuration: the API key, URLs, timeouts and retry settings, resolved once."""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ._errors import SonioxValidationError
from ._proxy import ProxyRules, ProxyURL, proxy_rules
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


def _positive_seconds(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed for each network phase; ``None`` means no limit."""

    connect: float | None = DEFAULT_TIMEOUT_SEC
    read: float | None = DEFAULT_TIMEOUT_SEC
    write: float | None = DEFAULT_TIMEOUT_SEC
    pool: float | None = DEFAULT_TIMEOUT_SEC

    @classmethod
    def of(cls, value: float | Timeouts | None) -> Timeouts:
        """One number sets all four phases; a ``Timeouts`` is taken as it is."""
        if isinstance(value, Timeouts):
            for name in ("connect", "read", "write", "pool"):
                phase = getattr(value, name)
                if phase is not None and not _positive_seconds(phase):
                    raise SonioxValidationError(
                        "must be a positive number of seconds or None", field=f"timeout_sec.{name}"
                    )
            return value
        if value is not None and not _positive_seconds(value):
            raise SonioxValidationError("must be a positive number of seconds", field="timeout_sec")
        return cls(value, value, value, value)

    def capped(self, limit: float) -> Timeouts:
        """The same phases, none longer than ``limit`` (for cleanup after a failure)."""
        return Timeouts(
            *(limit if v is None else min(v, limit) for v in (self.connect, self.read, self.write, self.pool))
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
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SonioxValidationError("must be a whole number >= 0", field="max_retries")
    return value


def _check_delay(value: object, name: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not value >= 0 or math.isinf(value):
        raise SonioxValidationError("must be a number of seconds >= 0", field=name)
    return float(value)


def _check_url(value: str, name: str, schemes: tuple[str, ...]) -> str:
    if not isinstance(value, str) or not value.startswith(schemes):
        raise SonioxValidationError(f"must be a URL starting with {' or '.join(schemes)}", field=name)
    return value.rstrip("/")


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

    The API key comes from ``api_key``, else ``SONIOX_API_KEY``; with neither,
    ``SonioxValidationError`` is raised and nothing is sent.

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
    key = api_key if api_key is not None else env.get(API_KEY_ENV)
    if not key:
        raise SonioxValidationError(
            f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable",
            field="api_key",
        )
    if not isinstance(key, str) or any(c in key for c in "\r\n\0") or not key.isascii():
        raise SonioxValidationError("must be a string of printable ASCII", field="api_key")
    supported = CLIENT_OPTIONS | set(transport_options)
    unknown = set(client_kwargs) - supported
    if unknown:
        raise SonioxValidationError(
            f"unknown option(s) {sorted(unknown)}; supported: {sorted(supported)}",
            field="client_kwargs",
        )
    options = dict(client_kwargs)
    max_retries = _check_retries(options.pop("max_retries", DEFAULT_MAX_RETRIES))
    base_delay = _check_delay(options.pop("retry_base_delay", DEFAULT_RETRY_BASE_DELAY), "retry_base_delay")
    max_delay = _check_delay(options.pop("retry_max_delay", DEFAULT_RETRY_MAX_DELAY), "retry_max_delay")
    trust_env = options.pop("trust_env", True)
    if not isinstance(trust_env, bool):
        raise SonioxValidationError("must be True or False", field="trust_env")
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
        webhook_secret=webhook_secret or env.get(WEBHOOK_SECRET_ENV) or None,
        webhook_signature_header=(
            webhook_signature_header or env.get(WEBHOOK_HEADER_ENV) or DEFAULT_WEBHOOK_HEADER
        ),
        http_options=options,
        trust_env=trust_env,
        proxies=proxies,
        tls=tls_settings(options, env if trust_env else None),
    )
