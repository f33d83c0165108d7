"""Both clients against servers that misbehave on purpose (sync, asyncio and trio).

Each server here is a raw-socket loopback server written for one misbehaviour:
echo the key, redirect, smuggle a second response, repeat cursors, nest JSON
100,000 deep, trickle, stall, answer with the wrong shape.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from hostile_client import API_KEY
from hostile_server import HostileServer, Reply, Request, http_response, json_response

from soniox_core import (
    SonioxAPIError,
    SonioxAuthenticationError,
    SonioxError,
    SonioxInvalidRequestError,
    SonioxPaginationError,
    SonioxReadTimeoutError,
    SonioxRedirectError,
    SonioxUnexpectedResponseError,
    Timeouts,
)

MakeClient = Callable[..., Any]


def leaked(exc: BaseException, secret: str = API_KEY) -> bool:
    """Whether ``secret`` shows in the error's text, repr, attributes or full traceback."""
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    for name in ("message", "request_id", "location"):
        texts.append(str(getattr(exc, name, "")))
    texts.append(repr(getattr(exc, "headers", "")))
    texts.append(repr(getattr(exc, "validation_errors", "")))
    body = getattr(exc, "body", b"")
    return any(secret in text for text in texts) or secret.encode() in body


# --- a server that echoes the key ------------------------------------------------------


def _echo_key(request: Request) -> bytes:
    auth = request.header("authorization") or ""
    key = auth.removeprefix("Bearer ")
    payload = {
        "status_code": 401,
        "error_type": "unauthenticated",
        "message": f"Invalid API key {key!r} (header was {auth})",
        "request_id": key,
        "validation_errors": [{"error_type": "bad", "location": key, "message": auth}],
    }
    return json_response(401, payload, headers=[("X-Echo", auth), ("WWW-Authenticate", key)])


def test_a_server_echoing_the_key_never_gets_it_into_the_error(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    with HostileServer(_echo_key) as server:
        client = make_client(server.base_url)
        with (
            caplog.at_level(logging.DEBUG, logger="soniox"),
            pytest.raises(SonioxAuthenticationError) as info,
        ):
            client.files.count()
    assert server.requests[0].header("authorization") == f"Bearer {API_KEY}"  # it was sent
    assert not leaked(info.value)
    assert "***" in info.value.message
    assert caplog.records, "the request was logged"
    assert all(API_KEY not in record.getMessage() for record in caplog.records)


def test_echoed_key_in_a_plain_text_body_is_masked_too(make_client: MakeClient) -> None:
    def handler(request: Request) -> bytes:
        return http_response(403, f"denied for {request.header('authorization')}".encode())

    with HostileServer(handler) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxAuthenticationError) as info:
            client.models.list()
    assert not leaked(info.value)


def test_raw_request_response_to_an_echo_is_returned_but_its_error_is_masked(make_client: MakeClient) -> None:
    with HostileServer(_echo_key) as server:
        client = make_client(server.base_url)
        response = client.request("GET", "/files")
        assert response.status_code == 401
        with pytest.raises(SonioxAuthenticationError) as info:
            response.raise_for_status()
    assert not leaked(info.value)


# --- a server that smuggles a second response -------------------------------------------


def test_bytes_after_a_response_never_answer_the_next_call(make_client: MakeClient) -> None:
    # Each answer carries a second, unrequested one: total 666. Read as the answer to
    # the next call on a reused connection, it would be a forged result.
    def handler(request: Request) -> bytes:
        return json_response(200, {"total": 1}) + json_response(200, {"total": 666})

    with HostileServer(handler) as server:
        client = make_client(server.base_url)
        totals = [client.files.count().total for _ in range(3)]
    assert totals == [1, 1, 1]
    # Every poisoned connection was dropped: each call came on a fresh one.
    assert [r.connection for r in server.requests] == [0, 1, 2]


def test_a_clean_server_keeps_its_connection(make_client: MakeClient) -> None:
    with HostileServer(lambda r: json_response(200, {"total": 1})) as server:
        client = make_client(server.base_url)
        for _ in range(3):
            client.files.count()
    assert [r.connection for r in server.requests] == [0, 0, 0]


def test_bytes_arriving_on_an_idle_connection_close_it(make_client: MakeClient) -> None:
    sent_junk = threading.Event()

    class Junk:
        def __init__(self) -> None:
            self.calls = 0

        def __call__(self, request: Request) -> Reply:
            self.calls += 1
            return Reply(json_response(200, {"total": self.calls}))

    handler = Junk()
    with HostileServer(handler) as server:
        client = make_client(server.base_url)
        assert client.files.count().total == 1
        # Now the idle connection receives an unrequested response.
        server.inject_on_connection(0, json_response(200, {"total": 666}), sent_junk)
        assert sent_junk.wait(5)
        assert client.files.count().total == 2
    assert server.requests[-1].connection == 1


# --- a server whose cursors go round in circles -------------------------------------------


def _file(i: int) -> dict[str, Any]:
    return {"id": f"f{i}", "filename": "a.wav", "size": 1, "created_at": "2024-01-01T00:00:00Z"}


def _paging(cursors: dict[str | None, str]) -> Callable[[Request], bytes]:
    def handler(request: Request) -> bytes:
        if request.method == "DELETE":
            return http_response(204)
        cursor = None
        if "cursor=" in request.target:
            cursor = request.target.split("cursor=", 1)[1].split("&", 1)[0]
        page = {"files": [_file(len(request.target))], "next_page_cursor": cursors.get(cursor)}
        return json_response(200, page)

    return handler


@pytest.mark.parametrize(
    "cursors",
    [{None: "A", "A": "A"}, {None: "A", "A": "B", "B": "A"}, {None: "A", "A": "B", "B": "C", "C": "B"}],
    ids=["repeat", "cycle", "late-cycle"],
)
@pytest.mark.parametrize("call", ["list_all", "delete_all"])
def test_a_repeated_cursor_stops_the_walk(
    make_client: MakeClient, cursors: dict[str | None, str], call: str
) -> None:
    with HostileServer(_paging(cursors)) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxPaginationError) as info:
            result = getattr(client.files, call)()
            if call == "list_all" and not isinstance(result, list):
                list(result)
    assert info.value.cursor in cursors.values()
    assert repr(info.value.cursor) in str(info.value)
    pages = [r for r in server.requests if r.method == "GET"]
    assert len(pages) == len(cursors)  # each distinct page once, then it stopped


# --- a server that redirects ---------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_typed_error_never_a_result(make_client: MakeClient, status: int) -> None:
    location = "http://elsewhere.invalid/steal"

    def handler(request: Request) -> bytes:
        # A JSON body that would parse as the result, were a 3xx taken for success.
        return json_response(status, {"total": 5}, headers=[("Location", location)])

    with HostileServer(handler) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxRedirectError) as count_info:
            client.files.count()
        with pytest.raises(SonioxRedirectError) as delete_info:
            client.files.delete("f1")
        response = client.request("GET", "/files/count")
    for info in (count_info, delete_info):
        assert isinstance(info.value, SonioxAPIError)
        assert info.value.status_code == status
        assert info.value.location == location
        assert location in str(info.value) and str(status) in str(info.value)
    assert response.status_code == status  # the raw request hands it back as it came
    with pytest.raises(SonioxRedirectError):
        response.raise_for_status()
    # Never followed: only the configured host saw requests, one per call.
    assert len(server.requests) == 3


# --- bodies that are too deep, the wrong shape, or never end ---------------------------------


def test_json_nested_100000_deep_is_a_typed_error(make_client: MakeClient) -> None:
    # Inside an answer of the right shape, so the decoder has to descend.
    deep = b'{"total": 1, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    def handler(request: Request) -> bytes:
        status = 400 if request.path.endswith("/models") else 200
        return http_response(status, deep, headers=[("Content-Type", "application/json")])

    with HostileServer(handler) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxUnexpectedResponseError) as info:
            client.files.count()
        with pytest.raises(SonioxInvalidRequestError):
            client.models.list()
    assert "deep" in str(info.value)


@pytest.mark.parametrize(
    "body",
    [b'{"total": "many"}', b"<html>hi</html>", b"", b"[1,2,3]", b'{"total": 1', b"\xff\xfe"],
    ids=["wrong-type", "html", "empty", "array", "truncated-json", "binary"],
)
def test_a_success_body_of_the_wrong_shape_is_a_typed_error(make_client: MakeClient, body: bytes) -> None:
    with HostileServer(lambda r: http_response(200, body)) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxUnexpectedResponseError) as info:
            client.files.count()
    assert info.value.status_code == 200


def test_a_trickled_body_ends_at_the_total_deadline(make_client: MakeClient) -> None:
    # One byte every 50 ms never trips the 2 s read timeout; only the total does.
    answer = json_response(200, {"total": 1, "padding": "x" * 400})

    def handler(request: Request) -> Reply:
        return Reply(answer, trickle=0.05)

    with HostileServer(handler) as server:
        client = make_client(server.base_url, timeout_sec=Timeouts(2, 2, 2, 2, total=1.0), max_retries=0)
        with pytest.raises(SonioxReadTimeoutError) as info:
            client.files.count()
    assert info.value.request_sent  # a read timeout: the request was out, the answer never ended
    assert len(server.requests) == 1


def test_a_stalled_body_is_a_read_timeout(make_client: MakeClient) -> None:
    answer = json_response(200, {"total": 1})
    with HostileServer(lambda r: Reply(answer, stall_after=len(answer) - 3)) as server:
        client = make_client(server.base_url, timeout_sec=0.5, max_retries=0)
        with pytest.raises(SonioxReadTimeoutError):
            client.files.count()


def test_a_body_longer_than_announced_is_extra_bytes(make_client: MakeClient) -> None:
    answer = http_response(200, b'{"total": 1}' + b'{"total": 2}', content_length=len(b'{"total": 1}'))
    with HostileServer(lambda r: answer) as server:
        client = make_client(server.base_url)
        assert client.files.count().total == 1
        assert client.files.count().total == 1
    assert [r.connection for r in server.requests] == [0, 1]


def test_errors_from_hostile_servers_are_all_soniox_errors(make_client: MakeClient) -> None:
    replies = [
        Reply(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{", close=True),  # cut short
        Reply(b"garbage\r\n\r\n", close=True),
        Reply(b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n{}", close=True),
        Reply(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", close=True),
        Reply(b"", close=True),
    ]
    for reply in replies:
        with HostileServer(lambda r, reply=reply: reply) as server:
            client = make_client(server.base_url, max_retries=0)
            with pytest.raises(SonioxError) as info:
                client.files.count()
            assert not leaked(info.value)


def test_json_from_an_error_is_masked_everywhere(make_client: MakeClient) -> None:
    body = json.dumps({"error_code": 401, "error_message": f"key {API_KEY} is wrong"}).encode()
    with HostileServer(lambda r: http_response(401, body)) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxAuthenticationError) as info:
            client.files.count()
    assert not leaked(info.value)


def test_a_body_past_the_size_limit_is_a_typed_error_and_drops_the_connection(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import soniox_async._runner
    import soniox_sync._runner

    # The real limit is 512 MiB; a small one shows the same path.
    monkeypatch.setattr(soniox_sync._runner, "MAX_RESPONSE_BYTES", 1000)
    monkeypatch.setattr(soniox_async._runner, "MAX_RESPONSE_BYTES", 1000)
    big = json_response(200, {"total": 1, "padding": "x" * 5000})

    def handler(request: Request) -> bytes:
        return big if request.path.endswith("/count") else json_response(200, {"models": []})

    with HostileServer(handler) as server:
        client = make_client(server.base_url)
        with pytest.raises(SonioxUnexpectedResponseError) as info:
            client.files.count()
        assert client.models.list().models == []
    assert "1000" in str(info.value)
    assert [r.connection for r in server.requests] == [0, 1]
