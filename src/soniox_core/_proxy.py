"""Which proxy, if any, a connection goes through: pure values, read once at construction.

The rules are those of httpx (and curl): ``HTTPS_PROXY`` serves ``https://`` and
``wss://``, ``HTTP_PROXY`` serves ``http://`` and ``ws://``, ``ALL_PROXY`` serves
what the other two leave; lowercase names win over uppercase ones. ``NO_PROXY``
lists what connects directly: ``*``, host names (a name also covers its
subdomains; a leading dot is ignored), ``host:port``, IP addresses and CIDR
blocks. An explicit ``proxy=`` ignores the environment, as in httpx.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ._errors import SonioxValidationError
from ._redact import register_secret

__all__ = ["ProxyRules", "ProxyURL", "parse_proxy_url", "proxy_rules"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_PROXY_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class ProxyURL:
    """An HTTP proxy: where it listens and the credentials it wants, if any.

    The credentials never appear in ``repr`` or ``str``; they travel only in the
    ``Proxy-Authorization`` header.
    """

    scheme: str
    host: str
    port: int
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @property
    def secure(self) -> bool:
        """Whether the connection to the proxy itself is TLS (an ``https://`` proxy)."""
        return self.scheme == "https"

    @property
    def url(self) -> str:
        """The proxy's URL without the credentials."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def headers(self) -> list[tuple[bytes, bytes]]:
        """``Proxy-Authorization`` (Basic) when the URL carried credentials, else nothing."""
        if self.username is None:
            return []
        userpass = f"{self.username}:{self.password or ''}".encode()
        return [(b"Proxy-Authorization", b"Basic " + base64.b64encode(userpass))]

    def __str__(self) -> str:
        return self.url if self.username is None else self.url.replace("://", "://***@", 1)


def parse_proxy_url(value: object, field_name: str = "proxy") -> ProxyURL:
    """A ``ProxyURL`` from ``http://[user:pass@]host[:port]``; a bare ``host:port`` means http.

    Raises ``SonioxValidationError`` naming ``field_name`` for anything else; the
    message never repeats the credentials.
    """
    if not isinstance(value, str) or not value.strip():
        raise SonioxValidationError("must be a proxy URL such as 'http://host:port'", field=field_name)
    text = value.strip()
    if any(ord(c) <= 32 or ord(c) == 127 for c in text):
        raise SonioxValidationError(
            "must be a proxy URL without spaces or control characters", field=field_name
        )
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _PROXY_SCHEMES:
        raise SonioxValidationError(
            f"proxy scheme {scheme!r} is not supported; use http:// or https://", field=field_name
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1:
        raise SonioxValidationError("must be a proxy URL such as 'http://host:port'", field=field_name)
    proxy = ProxyURL(
        scheme=scheme,
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[scheme],
        username=None if parts.username is None else unquote(parts.username),
        password=None if parts.password is None else unquote(parts.password),
    )
    # Credentials are masked wherever they show up from now on, as the API key is.
    register_secret(proxy.password)
    register_secret(parts.password)
    for _, header in proxy.headers():
        register_secret(header.decode("ascii").removeprefix("Basic "))
    return proxy


def _env(environ: Mapping[str, str], name: str) -> str | None:
    # Lowercase first (curl, urllib, httpx). Uppercase HTTP_PROXY is ignored in a
    # CGI request, where a client's "Proxy:" header arrives as HTTP_PROXY ("httpoxy").
    value = environ.get(name.lower())
    if not value and not (name == "HTTP_PROXY" and "REQUEST_METHOD" in environ):
        value = environ.get(name)
    return value.strip() if value and value.strip() else None


def _bypassed(host: str, port: int, no_proxy: str) -> bool:
    host = host.lower().strip("[]")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        if "://" in entry:
            entry = entry.split("://", 1)[1]
        entry = entry.rstrip("/")
        entry_port: int | None = None
        if entry.startswith("["):  # [v6]:port or [v6]
            inside, _, rest = entry[1:].partition("]")
            entry, entry_port = inside, int(rest[1:]) if rest[1:].isdigit() else None
        elif entry.count(":") == 1:
            name, _, maybe_port = entry.partition(":")
            if maybe_port.isdigit():
                entry, entry_port = name, int(maybe_port)
        if entry_port is not None and entry_port != port:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
            continue
        entry = entry.lstrip(".")
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class ProxyRules:
    """Which proxy serves which URL: what ``proxy=`` or the environment said at construction.

    ``for_url`` answers for any URL the client connects to (REST, realtime, and
    any endpoint added later), so every connection follows the same rules.
    """

    explicit: ProxyURL | None = None
    http: ProxyURL | None = None
    https: ProxyURL | None = None
    all: ProxyURL | None = None
    no_proxy: str | None = None

    def for_url(self, url: str) -> ProxyURL | None:
        """The proxy to go through for ``url`` (http/https/ws/wss), or None to connect directly."""
        if self.explicit is not None:
            return self.explicit
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return None
        try:
            port = parts.port or _DEFAULT_PORTS[scheme]
        except ValueError:
            return None
        if self.no_proxy and _bypassed(parts.hostname, port, self.no_proxy):
            return None
        by_scheme = self.https if scheme in ("https", "wss") else self.http
        return by_scheme or self.all


def proxy_rules(explicit: object, *, trust_env: bool, environ: Mapping[str, str]) -> ProxyRules:
    """The rules from ``proxy=`` (which wins, as in httpx) or, under ``trust_env``, the environment.

    A malformed URL raises ``SonioxValidationError`` naming ``proxy`` or the variable.
    """
    if explicit is not None:
        return ProxyRules(explicit=parse_proxy_url(explicit, "proxy"))
    if not trust_env:
        return ProxyRules()

    def variable(name: str) -> ProxyURL | None:
        value = _env(environ, name)
        return None if value is None else parse_proxy_url(value, name)

    return ProxyRules(
        http=variable("HTTP_PROXY"),
        https=variable("HTTPS_PROXY"),
        all=variable("ALL_PROXY"),
        no_proxy=_env(environ, "NO_PROXY"),
    )
