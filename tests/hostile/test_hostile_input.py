"""Careless input: every public entry point refuses it with a ``SonioxValidationError``
naming the parameter, before any request (the server records none), never with a
raw built-in exception and never showing the key."""

from __future__ import annotations

import io
import math
import os
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_client import API_KEY, Blocking
from hostile_server import HostileServer, Request, json_response

import soniox_async
import soniox_sync
from soniox_core import (
    SonioxValidationError,
    SonioxWebhooksAPI,
    Timeouts,
    WebhookAuthConfig,
    resolve_config,
)

MakeClient = Callable[..., Any]


@pytest.fixture
def server() -> Iterator[HostileServer]:
    """A server that answers everything with an empty page, and records what it got."""

    def handler(request: Request) -> bytes:
        return json_response(200, {"files": [], "next_page_cursor": None, "total": 0})

    with HostileServer(handler) as running:
        yield running


def _resolve(**overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "api_key": API_KEY,
        "api_base_url": None,
        "websocket_base_url": None,
        "timeout_sec": None,
        "webhook_secret": None,
        "webhook_signature_header": None,
        "client_kwargs": {},
        "environ": {},
    }
    kwargs.update(overrides)
    return resolve_config(**kwargs)


# --- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [API_KEY + " ", " " + API_KEY, API_KEY + "\n", API_KEY + "\x0b", API_KEY + "\x0c", "sk-a\tb-0123456789",
     API_KEY + "\x00", API_KEY[:10] + "\x7f" + API_KEY[10:], API_KEY + "é"],
    ids=["trailing-space", "leading-space", "newline", "vtab", "formfeed", "tab", "nul", "del", "non-ascii"],
)  # fmt: skip
def test_a_key_with_whitespace_or_control_characters_is_refused_without_showing_it(
    make_client: MakeClient, server: HostileServer, key: str
) -> None:
    with pytest.raises(SonioxValidationError) as info:
        make_client(server.base_url, api_key=key)
    assert info.value.field == "api_key"
    assert API_KEY not in str(info.value) and API_KEY[:12] not in str(info.value)
    assert server.requests == []


def test_a_key_from_the_environment_is_stripped() -> None:
    config = _resolve(api_key=None, environ={"SONIOX_API_KEY": f"  {API_KEY}\n"})
    assert config.api_key == API_KEY
    with pytest.raises(SonioxValidationError):
        _resolve(api_key=None, environ={"SONIOX_API_KEY": "sk-a b-0123456789"})


@pytest.mark.parametrize("key", [12345, b"sk-bytes-key-123", ["k"]])
def test_a_key_of_the_wrong_type_is_refused(key: object) -> None:
    with pytest.raises(SonioxValidationError) as info:
        _resolve(api_key=key)
    assert info.value.field == "api_key"


def test_config_repr_never_shows_secrets() -> None:
    config = _resolve(webhook_secret="whsec-very-secret-value")
    for text in (repr(config), str(config)):
        assert API_KEY not in text and "whsec-very-secret-value" not in text
    hooks = SonioxWebhooksAPI(webhook_secret="whsec-very-secret-value")
    assert "whsec-very-secret-value" not in repr(hooks)


# --- constructor options ---------------------------------------------------------------------


BAD_OPTIONS: list[tuple[dict[str, Any], str]] = [
    ({"api_base_url": "http://127.0.0.1:99999/v1"}, "api_base_url"),
    ({"api_base_url": "http://[::1/v1"}, "api_base_url"),
    ({"api_base_url": "ftp://example.com/v1"}, "api_base_url"),
    ({"api_base_url": "http:///v1"}, "api_base_url"),
    ({"api_base_url": "http://user:pw@example.com/v1"}, "api_base_url"),
    ({"api_base_url": 42}, "api_base_url"),
    ({"websocket_base_url": "ws://h:port/x"}, "websocket_base_url"),
    ({"max_connections": "10"}, "max_connections"),
    ({"max_connections": 0}, "max_connections"),
    ({"max_connections": -1}, "max_connections"),
    ({"max_connections": True}, "max_connections"),
    ({"max_keepalive_connections": 1.5}, "max_keepalive_connections"),
    ({"keepalive_expiry": "30"}, "keepalive_expiry"),
    ({"keepalive_expiry": math.inf}, "keepalive_expiry"),
    ({"proxy": "not a url"}, "proxy"),
    ({"proxy": 8080}, "proxy"),
    ({"ssl_context": "x"}, "ssl_context"),
    ({"verify": 3}, "verify"),
    ({"http2": "yes"}, "http2"),
    ({"retries": -1}, "retries"),
    ({"max_retries": 2.0}, "max_retries"),
    ({"max_retries": True}, "max_retries"),
    ({"retry_base_delay": math.nan}, "retry_base_delay"),
    ({"retry_max_delay": math.inf}, "retry_max_delay"),
    ({"timeout_sec": math.inf}, "timeout_sec"),
    ({"timeout_sec": math.nan}, "timeout_sec"),
    ({"timeout_sec": -1}, "timeout_sec"),
    ({"timeout_sec": "5"}, "timeout_sec"),
    ({"timeout_sec": True}, "timeout_sec"),
    ({"timeout_sec": Timeouts(total=math.nan)}, "timeout_sec.total"),
    ({"timeout_sec": Timeouts(read=0)}, "timeout_sec.read"),
    ({"webhook_secret": 123}, "webhook_secret"),
    ({"webhook_secret": b"whsec-bytes"}, "webhook_secret"),
    ({"webhook_secret": "whsec\r\nX-Injected: 1"}, "webhook_secret"),
    ({"webhook_signature_header": 123}, "webhook_signature_header"),
    ({"webhook_signature_header": "X\r\nY"}, "webhook_signature_header"),
    ({"webhook_signature_header": "X Y"}, "webhook_signature_header"),
    ({"unknown_option": 1}, "client_kwargs"),
]


@pytest.mark.parametrize(("options", "field"), BAD_OPTIONS, ids=[f for _, f in BAD_OPTIONS])
def test_bad_constructor_options_are_refused_before_anything_is_sent(
    make_client: MakeClient, server: HostileServer, options: dict[str, Any], field: str
) -> None:
    options = dict(options)
    base_url = options.pop("api_base_url", server.base_url)
    with pytest.raises(SonioxValidationError) as info:
        make_client(base_url, **options)
    assert info.value.field == field
    assert server.requests == []


def test_good_options_are_accepted(make_client: MakeClient, server: HostileServer) -> None:
    client = make_client(
        server.base_url,
        max_connections=4,
        max_keepalive_connections=0,
        keepalive_expiry=0,
        ssl_context=ssl.create_default_context(),
        proxy=None,
        timeout_sec=Timeouts(1, 2, 3, 4, total=None),
    )
    assert client.files.count().total == 0
    assert len(server.requests) == 1


# --- calls ---------------------------------------------------------------------------------


def _write_only_file(tmp_path: Path) -> Any:
    return open(tmp_path / "out.wav", "wb")


CALLS: list[tuple[str, Callable[[Any, Path], Any], str]] = [
    ("files.list cursor int", lambda c, p: c.files.list(cursor=123), "cursor"),
    ("files.list cursor empty", lambda c, p: c.files.list(cursor=""), "cursor"),
    ("stt.list cursor bytes", lambda c, p: c.stt.list(cursor=b"abc"), "cursor"),
    ("files.list limit 0", lambda c, p: c.files.list(limit=0), "limit"),
    ("files.list limit True", lambda c, p: c.files.list(limit=True), "limit"),
    ("files.get None", lambda c, p: c.files.get(None), "file_id"),
    ("files.get slash", lambda c, p: c.files.get("a/b"), "file_id"),
    ("upload NUL path", lambda c, p: c.files.upload(str(p / "a\0b.wav")), "file"),
    ("upload missing", lambda c, p: c.files.upload(str(p / "missing.wav")), "file"),
    ("upload directory", lambda c, p: c.files.upload(str(p)), "file"),
    ("upload int", lambda c, p: c.files.upload(5), "file"),
    ("upload text file", lambda c, p: c.files.upload(io.StringIO("x")), "file"),
    ("upload write-only", lambda c, p: c.files.upload(_write_only_file(p)), "file"),
    ("wait interval inf", lambda c, p: c.stt.wait("t1", interval_sec=math.inf), "interval_sec"),
    ("wait interval nan", lambda c, p: c.stt.wait("t1", interval_sec=math.nan), "interval_sec"),
    ("wait interval 1e300", lambda c, p: c.stt.wait("t1", interval_sec=1e300), "interval_sec"),
    ("wait timeout -1", lambda c, p: c.stt.wait("t1", timeout_sec=-1), "timeout_sec"),
    (
        "transcribe_and_wait interval inf",
        lambda c, p: c.stt.transcribe_and_wait(audio_url="https://x.test/a.wav", wait_interval_sec=math.inf),
        "wait_interval_sec",
    ),
    (
        "transcribe_and_wait delete_after str",
        lambda c, p: c.stt.transcribe_and_wait(audio_url="https://x.test/a.wav", delete_after="yes"),
        "delete_after",
    ),
    (
        "webhook_url None",
        lambda c, p: c.stt.transcribe_file_with_webhook(file=b"RIFF", webhook_url=None),
        "webhook_url",
    ),
    (
        "webhook_auth str",
        lambda c, p: c.stt.transcribe_file_with_webhook(
            file=b"RIFF", webhook_url="https://x.test/h", webhook_auth="secret"
        ),
        "auth",
    ),
    (
        "webhook_auth bad header",
        lambda c, p: c.stt.transcribe_file_with_webhook(
            file=b"RIFF",
            webhook_url="https://x.test/h",
            webhook_auth=WebhookAuthConfig(name="A\nB", value="v"),
        ),
        "auth.name",
    ),
    ("request params int", lambda c, p: c.request("GET", "/files", params=5), "params"),
    ("request params str", lambda c, p: c.request("GET", "/files", params="a=1"), "params"),
    ("request params bad pair", lambda c, p: c.request("GET", "/files", params=[("a", 1, 2)]), "params[0]"),
    ("request data int", lambda c, p: c.request("POST", "/files", data=7), "data"),
    ("request files list of str", lambda c, p: c.request("POST", "/files", files=["x"]), "files[0]"),
    ("request method", lambda c, p: c.request("GE T", "/files"), "method"),
    ("request method int", lambda c, p: c.request(1, "/files"), "method"),
    ("request path url", lambda c, p: c.request("GET", "http://elsewhere/x"), "path"),
    ("request path CRLF", lambda c, p: c.request("GET", "/files\r\nX: y"), "path"),
    ("request json circular", lambda c, p: c.request("POST", "/files", json=_circular()), "json"),
    ("temp key expires", lambda c, p: c.auth.create_temporary_api_key(expires_in_seconds="300"), None),
]


def _circular() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


@pytest.mark.parametrize(("name", "call", "field"), CALLS, ids=[c[0] for c in CALLS])
def test_bad_call_arguments_are_refused_before_any_request(
    make_client: MakeClient,
    server: HostileServer,
    tmp_path: Path,
    name: str,
    call: Callable[[Any, Path], Any],
    field: str | None,
) -> None:
    client = make_client(server.base_url)
    try:
        with pytest.raises(SonioxValidationError) as info:
            result = call(client, tmp_path)
            if hasattr(result, "__iter__") and not isinstance(result, (bytes, str)):
                list(result)
    finally:
        for handle in tmp_path.glob("*.wav"):
            os.chmod(handle, 0o600)
    if field is not None:
        assert info.value.field == field
    assert server.requests == []


def test_request_accepts_lists_of_pairs_as_httpx_does(make_client: MakeClient, server: HostileServer) -> None:
    client = make_client(server.base_url)
    client.request("GET", "/files", params=[("limit", 5), ("cursor", "a b"), ("limit", 6)])
    client.request("POST", "/files", data=[("a", "1"), ("a", "2")])
    client.request("POST", "/files", files=[("file", ("a.wav", b"RIFF")), ("file", ("b.wav", b"RIFF"))])
    first, form, upload = server.requests
    assert first.target == "/v1/files?limit=5&cursor=a+b&limit=6"
    assert form.body == b"a=1&a=2"
    assert upload.body.count(b'name="file"') == 2


# --- webhook helpers -------------------------------------------------------------------------

HOOKS = SonioxWebhooksAPI(webhook_secret="whsec-0123456789")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: HOOKS.verify_signature(None), "headers"),
        (lambda: HOOKS.verify_signature("X-Soniox-Webhook-Secret: whsec-0123456789"), "headers"),
        (lambda: HOOKS.verify_signature(b"raw"), "headers"),
        (lambda: HOOKS.verify_signature([("a",)]), "headers"),
        (lambda: HOOKS.verify_signature([(1, 2)]), "headers"),
        (lambda: HOOKS.verify_signature({}, auth="whsec"), "auth"),
        (lambda: HOOKS.verify_signature({}, allow_unauthenticated="yes"), "allow_unauthenticated"),
        (lambda: HOOKS.unwrap(None, {}), "payload"),
        (lambda: HOOKS.unwrap(123, {}), "payload"),
        (lambda: HOOKS.webhook_payload(None), "webhook_url"),
        (lambda: SonioxWebhooksAPI(webhook_secret=123), "webhook_secret"),
        (lambda: SonioxWebhooksAPI(webhook_secret=b"whsec"), "webhook_secret"),
        (lambda: SonioxWebhooksAPI(webhook_secret="s", webhook_header=123), "webhook_header"),
        (lambda: SonioxWebhooksAPI(webhook_secret="s", webhook_header="X\r\nY"), "webhook_header"),
    ],
)
def test_webhook_helpers_refuse_bad_input(call: Callable[[], Any], field: str) -> None:
    with pytest.raises(SonioxValidationError) as info:
        call()
    assert info.value.field == field


def test_webhook_byte_pairs_verify_a_non_ascii_secret() -> None:
    secret = "whsec-héllo-ünïcode"
    hooks = SonioxWebhooksAPI(webhook_secret=secret)
    hooks.verify_signature([(b"x-soniox-webhook-secret", secret.encode("utf-8"))])
    hooks.verify_signature({"X-Soniox-Webhook-Secret": secret})
    event = hooks.unwrap(
        b'{"id": "t1", "status": "completed"}', [(b"X-Soniox-Webhook-Secret", secret.encode())]
    )
    assert event.id == "t1"


def test_webhook_body_nested_too_deep_is_a_typed_payload_error() -> None:
    from soniox_core import InvalidWebhookPayloadError

    deep = b'{"id": "t", "status": "completed", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(InvalidWebhookPayloadError):
        HOOKS.unwrap(deep, {"X-Soniox-Webhook-Secret": "whsec-0123456789"})


# --- realtime entry points -------------------------------------------------------------------

RT_CONFIG = {"model": "stt-rt-v4", "audio_format": "pcm_s16le", "sample_rate": 16000, "num_channels": 1}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"api_key": 12345}, "api_key"),
        ({"api_key": API_KEY + " "}, "api_key"),
        ({"api_key": ""}, "api_key"),
        ({"keepalive_interval_sec": math.nan}, "keepalive_interval_sec"),
        ({"keepalive_interval_sec": math.inf}, "keepalive_interval_sec"),
        ({"keepalive_interval_sec": True}, "keepalive_interval_sec"),
        ({"connect_timeout_sec": math.inf}, "connect_timeout_sec"),
        ({"connect_timeout_sec": "5"}, "connect_timeout_sec"),
        ({"receive_timeout_sec": -1}, "receive_timeout_sec"),
        ({"config": None}, "config"),
        ({"config": "stt-rt-v4"}, "config"),
    ],
)
def test_realtime_connect_refuses_bad_arguments(
    make_client: MakeClient, server: HostileServer, kwargs: dict[str, Any], field: str
) -> None:
    client = make_client(server.base_url, websocket_base_url=f"ws://127.0.0.1:{server.port}/ws")
    kwargs.setdefault("config", RT_CONFIG)
    with pytest.raises(SonioxValidationError) as info:
        client.realtime.stt.connect(**kwargs)
    assert info.value.field == field
    assert API_KEY not in str(info.value)
    assert server.requests == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.finalize(trailing_silence_ms="lots"), "trailing_silence_ms"),
        (lambda s: s.finalize(trailing_silence_ms=-1), "trailing_silence_ms"),
        (lambda s: s.finalize(trailing_silence_ms=1.5), "trailing_silence_ms"),
        (lambda s: s.send_byte_chunk("text"), "chunk"),
        (lambda s: s.send_byte_chunk(None), "chunk"),
        (lambda s: s.send_bytes(5), "chunks"),
        (lambda s: s.send_bytes("text"), "chunks"),
        (lambda s: s.send_bytes(b"x", finish="no"), "finish"),
        (lambda s: s.pause(finalize="no"), "finalize"),
    ],
)
def test_realtime_session_methods_refuse_bad_arguments(
    make_client: MakeClient, server: HostileServer, call: Callable[[Any], Any], field: str
) -> None:
    client = make_client(server.base_url, websocket_base_url=f"ws://127.0.0.1:{server.port}/ws")
    session = client.realtime.stt.connect(config=RT_CONFIG)
    if isinstance(client, Blocking):
        session = Blocking(session, client._portal)  # its coroutines run in the client's loop
    with pytest.raises(SonioxValidationError) as info:
        call(session)
    assert info.value.field == field
    assert server.requests == []


@pytest.mark.parametrize("module", [soniox_async, soniox_sync], ids=["async", "sync"])
@pytest.mark.parametrize(
    ("source", "kwargs", "field"),
    [
        ("missing.wav", {}, "source"),
        (".", {}, "source"),
        (None, {}, "source"),
        (5, {}, "source"),
        (io.StringIO("text"), {}, "source"),
        (b"audio", {"chunk_size_bytes": 0}, "chunk_size_bytes"),
        (b"audio", {"chunk_size_bytes": "8"}, "chunk_size_bytes"),
        (b"audio", {"speed": math.nan}, "speed"),
        (b"audio", {"speed": math.inf, "bytes_per_second": 100}, "speed"),
        (b"audio", {"speed": 1.0, "bytes_per_second": -5}, "bytes_per_second"),
    ],
)
def test_stream_audio_refuses_bad_sources_at_the_call(
    module: Any, tmp_path: Path, source: Any, kwargs: dict[str, Any], field: str
) -> None:
    if source == "missing.wav":
        source = tmp_path / "missing.wav"
    elif source == ".":
        source = tmp_path
    with pytest.raises(SonioxValidationError) as info:
        module.stream_audio(source, **kwargs)
    assert info.value.field == field
