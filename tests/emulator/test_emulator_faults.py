"""Fault injection: each kind, matching rules and request counting."""

from __future__ import annotations

import http.client
import socket
import time
from typing import Any

import httpcore
import pytest

from soniox_emulator import Emulator


def _raw_get(emulator: Emulator, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    conn.request("GET", path, headers={"Authorization": "Bearer test-key"})
    return conn.getresponse()


def test_latency(api: Any, emulator: Emulator) -> None:
    emulator.faults.inject("latency", path="/v1/models", seconds=0.3)
    started = time.monotonic()
    assert api.get("/models").status == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    api.get("/models")
    assert time.monotonic() - started < 0.3  # times=1 by default


def test_429_with_retry_after(api: Any, emulator: Emulator) -> None:
    fault = emulator.faults.inject("status", method="GET", path="/v1/files", status=429, retry_after=3)
    reply = api.get("/files")
    assert reply.status == 429
    assert reply.headers["retry-after"] == "3"
    assert reply.json()["error_type"] == "limit_exceeded"
    assert fault.hits == 1
    assert api.get("/files").status == 200


@pytest.mark.parametrize(("status", "error_type"), [(500, "internal_error"), (503, "service_unavailable")])
def test_server_errors_are_api_errors(api: Any, emulator: Emulator, status: int, error_type: str) -> None:
    emulator.faults.inject("status", status=status, times=2)
    for _ in range(2):
        reply = api.get("/models")
        assert reply.status == status
        assert reply.json()["error_type"] == error_type
    assert api.get("/models").status == 200


def test_502_is_an_html_page(api: Any, emulator: Emulator) -> None:
    emulator.faults.inject("status", status=502)
    reply = api.get("/models")
    assert reply.status == 502
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.body.startswith(b"<!DOCTYPE html>")


def test_reset_before_read_runs_no_handler(api: Any, emulator: Emulator) -> None:
    emulator.faults.inject("reset_before_read", method="POST", path="/v1/transcriptions")
    with pytest.raises(ConnectionResetError):
        api.post("/transcriptions", {"model": "stt-async-v5", "audio_url": "https://a.test/x"})
    assert emulator.request_count("POST", "/v1/transcriptions") == 1
    assert api.get("/transcriptions/count").json()["total"] == 0


def test_reset_after_read_runs_the_handler(api: Any, emulator: Emulator) -> None:
    emulator.faults.inject("reset_after_read", method="POST", path="/v1/transcriptions")
    with pytest.raises(ConnectionResetError):
        api.post("/transcriptions", {"model": "stt-async-v5", "audio_url": "https://a.test/x"})
    assert emulator.request_count("POST", "/v1/transcriptions") == 1
    assert api.get("/transcriptions/count").json()["total"] == 1


def test_reset_is_a_tcp_rst(emulator: Emulator) -> None:
    emulator.faults.inject("reset_before_read")
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(ConnectionResetError):
            sock.recv(1024)


def test_truncated_body(emulator: Emulator) -> None:
    emulator.faults.inject("truncated_body", path="/v1/models", times=2)
    response = _raw_get(emulator, "/v1/models")
    assert response.status == 200
    declared = int(response.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    assert 0 < len(caught.value.partial) < declared

    with httpcore.ConnectionPool() as pool, pytest.raises(httpcore.RemoteProtocolError):
        pool.request("GET", emulator.base_url + "/models", headers={"Authorization": "Bearer test-key"})


def test_slow_body(api: Any, emulator: Emulator) -> None:
    emulator.faults.inject("slow_body", path="/v1/files/count", chunk_size=8, interval=0.02)
    started = time.monotonic()
    reply = api.get("/files/count")
    elapsed = time.monotonic() - started
    assert reply.json() == {"total": 0, "public_api": 0, "playground": 0}
    assert elapsed >= 0.02 * (len(reply.body) // 8)


def test_matching_by_method_and_prefix_and_clear(api: Any, emulator: Emulator) -> None:
    emulator.faults.inject("status", method="DELETE", path="/v1/files", status=500, times=None)
    assert api.get("/files").status == 200  # other method
    missing = "/files/5f0c8c3e-9d7b-4f5e-8f55-0d9e4e7a1b2c"
    assert api.delete(missing).status == 500  # prefix match
    assert api.delete(missing).status == 500  # unlimited
    assert len(emulator.faults.active) == 1
    emulator.faults.clear()
    assert api.delete(missing).status == 404


def test_request_counts_use_route_templates(api: Any, emulator: Emulator) -> None:
    file = api.upload("a.wav", b"x").json()
    api.get(f"/files/{file['id']}")
    api.get("/files/5f0c8c3e-9d7b-4f5e-8f55-0d9e4e7a1b2c")
    assert emulator.request_count("POST", "/v1/files") == 1
    assert emulator.request_count("get", "/v1/files/{file_id}") == 2
    assert emulator.requests[0].headers["authorization"] == "Bearer test-key"
    emulator.reset()
    assert emulator.request_count("POST", "/v1/files") == 0


def test_inject_rejects_unknown_kinds_and_params(emulator: Emulator) -> None:
    with pytest.raises(ValueError):
        emulator.faults.inject("explode")
    with pytest.raises(TypeError):
        emulator.faults.inject("latency", colour="red")
