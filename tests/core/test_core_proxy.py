"""Choosing a proxy from the environment, and the CONNECT exchange, with no socket."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soniox_core._config import resolve_config
from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core._proxy import ProxyURL, parse_proxy_url, proxy_rules
from soniox_core.realtime._tunnel import ProxyTunnel

P = "http://proxy.corp:3128"


def chosen(url: str, **environ: str) -> str | None:
    found = proxy_rules(None, trust_env=True, environ=environ).for_url(url)
    return None if found is None else found.url


def test_scheme_picks_the_variable() -> None:
    env = {"HTTP_PROXY": "http://plain:1", "HTTPS_PROXY": "http://secure:2"}
    assert chosen("http://api.example/v1", **env) == "http://plain:1"
    assert chosen("ws://rt.example/ws", **env) == "http://plain:1"
    assert chosen("https://api.example/v1", **env) == "http://secure:2"
    assert chosen("wss://rt.example/ws", **env) == "http://secure:2"
    assert chosen("https://api.example/v1", ALL_PROXY="http://all:3") == "http://all:3"
    assert (
        chosen("https://api.example/v1", HTTPS_PROXY="http://s:2", ALL_PROXY="http://all:3") == "http://s:2"
    )
    assert chosen("https://api.example/v1") is None
    assert chosen("https://api.example/v1", HTTPS_PROXY="  ") is None


def test_lowercase_wins_and_httpoxy_is_ignored() -> None:
    assert chosen("http://a/", HTTP_PROXY="http://upper:1", http_proxy="http://lower:2") == "http://lower:2"
    # In a CGI request HTTP_PROXY may come from a client's "Proxy:" header.
    assert chosen("http://a/", HTTP_PROXY="http://evil:1", REQUEST_METHOD="GET") is None
    assert chosen("http://a/", http_proxy="http://ok:1", REQUEST_METHOD="GET") == "http://ok:1"


@pytest.mark.parametrize(
    ("no_proxy", "url", "bypassed"),
    [
        ("*", "https://api.soniox.com/v1", True),
        ("soniox.com", "https://api.soniox.com/v1", True),
        ("soniox.com", "https://soniox.com/v1", True),
        (".soniox.com", "https://api.soniox.com/v1", True),
        ("soniox.com", "https://notsoniox.com/v1", False),
        ("api.soniox.com:443", "https://api.soniox.com/v1", True),
        ("api.soniox.com:8443", "https://api.soniox.com/v1", False),
        ("10.0.0.0/8", "http://10.1.2.3:9000/", True),
        ("10.0.0.0/8", "http://11.1.2.3:9000/", False),
        ("10.1.2.3", "http://10.1.2.3/", True),
        ("::1", "http://[::1]:8080/", True),
        ("[::1]:8080", "http://[::1]:8080/", True),
        ("fd00::/8", "http://[fd00::5]/", True),
        ("http://internal.corp", "http://internal.corp/", True),
        ("other.example, , internal.corp", "wss://rt.internal.corp/ws", True),
        ("localhost", "http://127.0.0.1/", False),  # names are not resolved
    ],
)
def test_no_proxy(no_proxy: str, url: str, bypassed: bool) -> None:
    env = {"HTTP_PROXY": P, "HTTPS_PROXY": P, "NO_PROXY": no_proxy}
    assert (chosen(url, **env) is None) is bypassed


def test_explicit_proxy_wins_and_trust_env_false_ignores_env() -> None:
    env = {"HTTPS_PROXY": "http://env:1", "NO_PROXY": "*"}
    explicit = proxy_rules("http://explicit:2", trust_env=True, environ=env)
    assert (
        explicit.for_url("https://a/") == explicit.for_url("ws://b/") == parse_proxy_url("http://explicit:2")
    )
    assert proxy_rules(None, trust_env=False, environ={"HTTPS_PROXY": P}).for_url("https://a/") is None
    assert proxy_rules(None, trust_env=True, environ={"HTTPS_PROXY": P}).for_url("https://a/") is not None


def test_parse_proxy_url() -> None:
    proxy = parse_proxy_url("http://us%40er:p%3Ass@proxy.corp:3128/")
    assert (proxy.host, proxy.port, proxy.username, proxy.password) == ("proxy.corp", 3128, "us@er", "p:ss")
    assert proxy.headers() == [(b"Proxy-Authorization", b"Basic " + base64.b64encode(b"us@er:p:ss"))]
    assert parse_proxy_url("proxy.corp:8080").url == "http://proxy.corp:8080"
    assert parse_proxy_url("https://proxy.corp").port == 443 and parse_proxy_url("https://proxy.corp").secure
    assert parse_proxy_url("http://[::1]:3128").url == "http://[::1]:3128"
    assert parse_proxy_url("http://proxy.corp").headers() == []
    for bad in ["socks5://proxy:1080", "http://", "http://proxy:notaport", "", 3128, None]:
        with pytest.raises(SonioxValidationError) as caught:
            parse_proxy_url(bad)
        assert caught.value.field == "proxy"


def test_proxy_credentials_are_masked_wherever_they_show_up() -> None:
    from soniox_core._errors import SonioxConnectionError
    from soniox_core._redact import redact

    proxy = parse_proxy_url("http://user:proxy-pass-8c1f@proxy.corp:3128")
    token = proxy.headers()[0][1].decode("ascii").removeprefix("Basic ")
    echoed = f"407 from proxy; sent proxy-pass-8c1f / Proxy-Authorization: Basic {token}"
    assert "proxy-pass-8c1f" not in redact(echoed) and token not in redact(echoed)
    assert "proxy-pass-8c1f" not in str(SonioxConnectionError(echoed))
    for bad in ["http://proxy.corp:3128\r\nX: y", "http://proxy corp:3128", "http://proxy.corp:3128\x00"]:
        with pytest.raises(SonioxValidationError):
            parse_proxy_url(bad)


def test_malformed_variable_is_named() -> None:
    with pytest.raises(SonioxValidationError) as caught:
        proxy_rules(None, trust_env=True, environ={"HTTPS_PROXY": "ftp://x:1"})
    assert caught.value.field == "HTTPS_PROXY"
    # Read at construction: a bad variable fails even if no URL would use it.
    with pytest.raises(SonioxValidationError):
        proxy_rules(None, trust_env=True, environ={"ALL_PROXY": "http://"})
    assert proxy_rules(None, trust_env=False, environ={"ALL_PROXY": "http://"}).for_url("http://a/") is None


@given(
    user=st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=1, max_size=12),
    password=st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=4, max_size=12),
)
def test_credentials_never_printed(user: str, password: str) -> None:
    from urllib.parse import quote

    password = "s3cr3t" + password  # a marker no repr contains by chance
    url = f"http://{quote(user, safe='')}:{quote(password, safe='')}@proxy.corp:3128"
    config = resolve_config(
        api_key="k", api_base_url=None, websocket_base_url=None, timeout_sec=None, webhook_secret=None,
        webhook_signature_header=None, client_kwargs={"proxy": url}, environ={},
    )  # fmt: skip
    assert config.proxy is not None and config.proxy.password == password
    assert config.websocket_proxy == config.proxy
    for text in (repr(config), str(config.proxy), repr(config.proxy), config.proxy.url):
        assert "s3cr3t" not in text
    assert "proxy" not in config.http_options and "trust_env" not in config.http_options


def test_config_reads_environment_once() -> None:
    env = {
        "HTTPS_PROXY": P,
        "HTTP_PROXY": "http://plain:1",
        "SSL_CERT_FILE": "/ca.pem",
        "SSL_CERT_DIR": "/cas",
    }

    def config(**options: object) -> object:
        return resolve_config(
            api_key="k", api_base_url="http://emulator:1/v1", websocket_base_url=None, timeout_sec=None,
            webhook_secret=None, webhook_signature_header=None, client_kwargs=options, environ=env,
        )  # fmt: skip

    trusted = config()
    assert trusted.proxy.url == "http://plain:1"  # type: ignore[attr-defined]
    assert trusted.websocket_proxy.url == P  # type: ignore[attr-defined]
    assert (trusted.tls.ca_file, trusted.tls.ca_dir) == ("/ca.pem", "/cas")  # type: ignore[attr-defined]
    untrusted = config(trust_env=False)
    assert untrusted.proxy is None and untrusted.websocket_proxy is None  # type: ignore[attr-defined]
    assert untrusted.tls.ca_file is None and not untrusted.tls.trust_env  # type: ignore[attr-defined]
    with pytest.raises(SonioxValidationError) as caught:
        config(trust_env="no")
    assert caught.value.field == "trust_env"


def tunnel(proxy: str = P) -> ProxyTunnel:
    return ProxyTunnel(parse_proxy_url(proxy), "stt-rt.soniox.com", 443)


def test_tunnel_request_and_success() -> None:
    exchange = tunnel("http://u:pw@proxy.corp:3128")
    request = exchange.request_bytes()
    assert request.startswith(b"CONNECT stt-rt.soniox.com:443 HTTP/1.1\r\n")
    assert b"host: stt-rt.soniox.com:443\r\n" in request.lower()
    assert b"Proxy-Authorization: Basic " + base64.b64encode(b"u:pw") in request
    assert exchange.receive_data(b"HTTP/1.1 200 Connection est") is False
    assert exchange.receive_data(b"ablished\r\nVia: x\r\n\r\n") is True
    assert exchange.established
    v6 = ProxyTunnel(parse_proxy_url(P), "::1", 8443).request_bytes()
    assert v6.startswith(b"CONNECT [::1]:8443 HTTP/1.1\r\n")
    assert b"Proxy-Authorization" not in v6


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
            "refused the tunnel: 407",
        ),
        (b"HTTP/1.1 502 Bad Gateway\r\n\r\n", "502 Bad Gateway"),
        (b"NOT HTTP AT ALL\r\n\r\n", "malformed"),
        (b"HTTP/1.1 200 OK\r\n\r\nunexpected", "before it was used"),
        (None, "closed the connection"),
    ],
)
def test_tunnel_failures_are_typed_and_hide_credentials(answer: bytes | None, message: str) -> None:
    exchange = tunnel("http://user:hunter2@proxy.corp:3128")
    exchange.request_bytes()
    with pytest.raises(SonioxRealtimeError, match=message) as caught:
        exchange.receive_data(answer)
    assert "hunter2" not in str(caught.value)
    assert "***@proxy.corp:3128" in str(caught.value)


def test_tunnel_eof_midway() -> None:
    exchange = tunnel()
    exchange.request_bytes()
    assert exchange.receive_data(b"HTTP/1.1 200 OK\r\n") is False
    with pytest.raises(SonioxRealtimeError, match="closed the connection"):
        exchange.receive_data(None)


def test_proxy_url_str() -> None:
    assert str(ProxyURL("http", "p", 1, "u", "pw")) == "http://***@p:1"
    assert str(ProxyURL("http", "p", 1)) == "http://p:1"
