"""Server lifecycle, the command line, and the realtime mount."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from soniox_emulator import Emulator


def test_context_manager_and_urls() -> None:
    with Emulator(api_key="k", port=0) as emulator:
        assert emulator.port > 0
        assert emulator.base_url == f"http://127.0.0.1:{emulator.port}/v1"
        assert emulator.websocket_url == f"ws://127.0.0.1:{emulator.port}/transcribe-websocket"
        request = urllib.request.Request(emulator.base_url + "/models", headers={"Authorization": "Bearer k"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", emulator.port), timeout=1).close()


def test_command_line() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "soniox_emulator", "--api-key", "cli-key", "--queued-sec", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        # The same exportable lines as `soniox emulator`.
        settings = dict(process.stdout.readline().strip().split("=", 1) for _ in range(5))
        assert settings["SONIOX_API_KEY"] == "cli-key"
        base_url = settings["SONIOX_API_BASE_URL"]
        websocket_url = settings["SONIOX_WEBSOCKET_BASE_URL"]
        tts_api_base_url = settings["SONIOX_TTS_API_BASE_URL"]
        tts_websocket_base_url = settings["SONIOX_TTS_WEBSOCKET_BASE_URL"]
        assert tts_api_base_url + "/v1" == base_url
        assert tts_websocket_base_url == websocket_url.replace("/transcribe-websocket", "/tts-websocket")
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        assert websocket_url.startswith("ws://") and websocket_url.endswith("/transcribe-websocket")
        request = urllib.request.Request(base_url + "/models", headers={"Authorization": "Bearer cli-key"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["models"]
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_websocket_route_calls_the_realtime_endpoint(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, Any]] = []

    async def fake_endpoint(websocket: Any, control: Any, authenticate: Any) -> None:
        calls.append((control, authenticate))
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    monkeypatch.setattr("soniox_emulator.realtime.websocket_endpoint", fake_endpoint)
    with connect(f"ws://127.0.0.1:{emulator.port}/transcribe-websocket", open_timeout=5) as ws:
        received = [ws.recv(timeout=5)]
        with pytest.raises(ConnectionClosed):
            received.append(ws.recv(timeout=5))
    assert received == ["hi"]
    assert calls == [(emulator.realtime, emulator.authenticate_realtime)]


def test_keep_alive_responses_are_not_delayed(emulator: Emulator) -> None:
    """Regression: without TCP_NODELAY each keep-alive reply waited ~40 ms (Nagle +
    delayed ACK), which made every poll loop against the emulator crawl."""
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    started = time.monotonic()
    for _ in range(20):
        conn.request("GET", "/v1/models", headers={"Authorization": "Bearer test-key"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200
    conn.close()
    assert time.monotonic() - started < 0.4  # 20 x 40 ms = 0.8 s when the bug is back
