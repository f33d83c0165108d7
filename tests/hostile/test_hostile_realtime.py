"""Realtime against servers that echo the key: in the handshake refusal and in an
error message. The typed error never shows it (sync, asyncio and trio)."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from hostile_client import API_KEY
from hostile_server import HostileServer, Reply, Request, http_response, text_frame, websocket_accept

from soniox_async import AsyncSonioxClient
from soniox_core import SonioxRealtimeError
from soniox_sync import SonioxClient

CONFIG = {"model": "stt-rt-v4", "audio_format": "pcm_s16le", "sample_rate": 16000, "num_channels": 1}


def _refuse_with_echo(request: Request) -> Reply:
    auth = request.header("authorization") or ""
    body = json.dumps({"error_message": f"bad key {auth.removeprefix('Bearer ')}", "auth": auth}).encode()
    return Reply(http_response(401, body, headers=[("X-Echo", auth)]), close=True)


def _error_message_with_echo(request: Request) -> Reply:
    key = (request.header("authorization") or "").removeprefix("Bearer ")
    error = json.dumps({"error_code": 401, "error_message": f"Invalid key {key}"})
    return Reply(websocket_accept(request) + text_frame(error), hold=True)


def _everything(exc: BaseException) -> str:
    return str(exc) + repr(exc) + "".join(traceback.format_exception(exc))


def _sync_session(server: HostileServer) -> BaseException:
    client = SonioxClient(api_key=API_KEY, api_base_url=server.base_url, websocket_base_url=server.ws_url)
    with (
        pytest.raises(SonioxRealtimeError) as info,
        client.realtime.stt.connect(config=CONFIG, receive_timeout_sec=5) as session,
    ):
        for _ in session.receive_events():
            pass
    client.close()
    return info.value


async def _async_session(server: HostileServer) -> BaseException:
    client = AsyncSonioxClient(
        api_key=API_KEY, api_base_url=server.base_url, websocket_base_url=server.ws_url
    )
    with pytest.raises(SonioxRealtimeError) as info:
        async with client.realtime.stt.connect(config=CONFIG, receive_timeout_sec=5) as session:
            async for _ in session.receive_events():
                pass
    await client.aclose()
    return info.value


@pytest.mark.parametrize("flavor", ["sync", "asyncio", "trio"])
@pytest.mark.parametrize("handler", [_refuse_with_echo, _error_message_with_echo], ids=["refusal", "error"])
def test_realtime_errors_never_show_an_echoed_key(flavor: str, handler: Callable[[Request], Any]) -> None:
    with HostileServer(handler) as server:
        if flavor == "sync":
            error = _sync_session(server)
        else:
            error = anyio.run(_async_session, server, backend=flavor)
    assert server.requests[0].header("authorization") == f"Bearer {API_KEY}"
    assert API_KEY not in _everything(error)
    assert "***" in str(error), error  # the echo reached the message, masked
