"""Parity: the official SDK (in its own venv) and ours go through the same proxy the same way."""

from __future__ import annotations

import json
import os
from pathlib import Path

import anyio
import pytest
from loopback_proxy import LoopbackProxy
from test_proxy_drivers import exercise

from soniox_emulator import Emulator

_SCRIPT = r"""
import json, sys
from soniox import SonioxClient
from soniox.types.realtime import RealtimeSTTConfig

base_url, websocket_url = sys.argv[1:]
config = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
with SonioxClient(api_key="test-key", api_base_url=base_url, websocket_base_url=websocket_url) as client:
    models = [m.id for m in client.models.list().models]
    words = []
    with client.realtime.stt.connect(config=config) as session:
        for _ in range(3):
            session.send_bytes(b"\0" * 3200)
        session.finish()
        for event in session.receive_events():
            words += [t.text for t in event.tokens if t.is_final]
print(json.dumps({"models": len(models), "text": "".join(words)}))
"""


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_official_sdk_takes_the_same_way_through_the_proxy(
    official_python: Path, rt_emulator: Emulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    env = dict(os.environ)
    result = await anyio.run_process(
        [str(official_python), "-c", _SCRIPT, rt_emulator.base_url, rt_emulator.websocket_url],
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    official = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert official["models"] > 0
    theirs = sorted((seen.method, seen.target) for seen in proxy.seen)

    proxy.tunnels.clear()
    proxy.forwarded.clear()
    await exercise("async", api_base_url=rt_emulator.base_url, websocket_base_url=rt_emulator.websocket_url)
    ours = sorted((seen.method, seen.target) for seen in proxy.seen)
    assert (
        theirs
        == ours
        == sorted([("GET", rt_emulator.base_url + "/models"), ("CONNECT", f"127.0.0.1:{rt_emulator.port}")])
    )
