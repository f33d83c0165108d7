"""Fixtures for the batch tests: the emulator with no processing delay, audio files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from soniox_emulator import Emulator

FLAVOURS = pytest.mark.parametrize(
    ("anyio_backend", "flavour"),
    [("asyncio", "asyncio"), ("trio", "trio"), ("asyncio", "sync")],
    ids=["asyncio", "trio", "sync"],
)


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    """The session emulator, reset, finishing transcriptions at once."""
    emulator.queued_sec = 0.0
    emulator.processing_sec = 0.0
    emulator.limits.retry_after_sec = 0.05
    return emulator


@pytest.fixture
def make_audio(tmp_path: Path) -> Callable[[int], list[str]]:
    """``make_audio(n)``: n tiny distinct WAV-named files under ``tmp_path/audio``."""

    def make(count: int, directory: str = "audio") -> list[str]:
        root = tmp_path / directory
        root.mkdir(exist_ok=True)
        paths = []
        for i in range(count):
            path = root / f"clip{i:05d}.wav"
            path.write_bytes(b"RIFF" + i.to_bytes(4, "little") + bytes(24))
            paths.append(os.fspath(path))
        return paths

    return make


def leftovers(emu: Emulator) -> tuple[int, int]:
    """Files and transcriptions still stored on the emulator."""
    state = emu._state
    with state.lock:
        return len(state.files), len(state.transcriptions)
