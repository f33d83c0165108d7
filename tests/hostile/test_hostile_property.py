"""A property: whatever status, headers and body a server sends, both clients raise
only ``SonioxError`` subclasses, never show the key, and never reuse a connection
after an anomaly (bytes past the end of a response)."""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from typing import Any

from hostile_client import API_KEY
from hostile_server import HostileServer, Reply, http_response, json_response
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_http import leaked

from soniox_core import SonioxError

MakeClient = Callable[..., Any]

_TOKEN = st.text(alphabet=string.ascii_letters + string.digits + "-", min_size=1, max_size=16).filter(
    lambda name: name.lower() not in ("content-length", "transfer-encoding")
)
_VALUE = st.one_of(
    st.text(alphabet=string.printable.strip() + " ", max_size=40).map(str.strip),
    st.sampled_from([API_KEY, f"Bearer {API_KEY}", "0", "-1", "nan", "http://elsewhere.invalid/x", "close"]),
)
_HEADERS = st.lists(st.tuples(_TOKEN, _VALUE), max_size=6)

_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.sampled_from([API_KEY, f"Bearer {API_KEY}"]),
)
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_API_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "status_code": st.integers(),
        "error_type": _JSON_LEAF,
        "message": _JSON_LEAF,
        "request_id": _JSON_LEAF,
        "error_message": _JSON_LEAF,
        "error_code": _JSON_LEAF,
        "validation_errors": _JSON,
        "total": _JSON_LEAF,
        "files": _JSON,
        "next_page_cursor": _JSON_LEAF,
        "id": _JSON_LEAF,
    },
)
_BODY = st.one_of(
    st.binary(max_size=200),
    _JSON.map(lambda value: json.dumps(value).encode()),
    _API_FIELDS.map(lambda value: json.dumps(value).encode()),
    st.integers(min_value=1, max_value=3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.just(f"<html>{API_KEY}</html>".encode()),
)
_STATUS = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 304, 307, 308, 400, 401, 403, 404, 409, 429, 500, 502, 503]),
    st.integers(min_value=200, max_value=599),
)
_JUNK = st.one_of(
    st.just(b""),
    st.binary(min_size=1, max_size=40),
    st.just(json_response(200, {"total": 666})),
)

OPS: dict[str, Callable[[Any], Any]] = {
    "count": lambda c: c.files.count(),
    "get": lambda c: c.files.get("f1"),
    "delete": lambda c: c.files.delete("f1"),
    "list": lambda c: c.files.list(),
    "create": lambda c: c.stt.create(audio_url="https://x.test/a.wav"),
    "models": lambda c: c.models.list(),
    "raw": lambda c: c.request("GET", "/files"),
    "temp-key": lambda c: c.auth.create_temporary_api_key(),
}


def test_random_responses_give_only_typed_errors_without_secrets(make_client: MakeClient) -> None:
    slot: dict[str, Reply] = {}
    with HostileServer(lambda request: slot["reply"]) as server:
        client = make_client(server.base_url, max_retries=0, timeout_sec=2.0)

        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(
            status=_STATUS,
            headers=_HEADERS,
            body=_BODY,
            junk=_JUNK,
            op=st.sampled_from(sorted(OPS)),
        )
        def check(status: int, headers: list[tuple[str, str]], body: bytes, junk: bytes, op: str) -> None:
            slot["reply"] = Reply(http_response(status, body, headers=headers) + junk)
            try:
                OPS[op](client)
            except SonioxError as exc:
                assert not leaked(exc), exc
            anomalous = bool(junk) or (status in (204, 304) and bool(body))
            closes = any(v.lower() == "close" for k, v in headers if k.lower() == "connection")
            used = server.requests[-1].connection
            # The next call gets exactly its own answer, on a fresh connection after an anomaly.
            slot["reply"] = Reply(json_response(200, {"total": 1}))
            assert client.files.count().total == 1
            if anomalous or closes:
                assert server.requests[-1].connection != used

        check()
