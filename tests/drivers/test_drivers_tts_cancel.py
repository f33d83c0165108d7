"""Cancelling ``tts.generate_to_file`` and ``tts.generate_stream`` (asyncio and trio) against the
emulator: no partial file appears, and the client stays usable."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest
from _drivers_support import Driver

from soniox_emulator import Emulator

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.parametrize(
        ("anyio_backend", "flavour"), [("asyncio", "asyncio"), ("trio", "trio")], ids=["asyncio", "trio"]
    ),
]

LONG = " ".join(["The quick brown fox jumps over the lazy dog"] * 12)


async def test_cancelling_mid_write_leaves_no_file(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    target = tmp_path / "speech.wav"
    target.write_bytes(b"the old take")
    fault = emu.faults.inject("slow_body", path="/tts", chunk_size=4096, interval=0.05)
    with anyio.move_on_after(0.5) as scope:
        await sdk.client.tts.generate_to_file(target, text=LONG, voice="Adrian", language="en")
    assert scope.cancelled_caught and fault.hits == 1
    assert os.listdir(tmp_path) == ["speech.wav"]
    assert target.read_bytes() == b"the old take"
    audio = await sdk.client.tts.generate(text="still fine", voice="Adrian", language="en")
    assert audio[:4] == b"RIFF"


async def test_cancelling_a_stream_frees_its_connection(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("slow_body", path="/tts", chunk_size=4096, interval=0.05)
    received = 0
    async with sdk.other(emu, max_connections=1, timeout_sec=5) as small:
        with anyio.move_on_after(0.4) as scope:
            async for chunk in small.client.tts.generate_stream(text=LONG, voice="Adrian", language="en"):
                received += len(chunk)
        assert scope.cancelled_caught and received > 0
        # The only connection of the pool is free again.
        assert (await small.client.tts_models.list()).models
