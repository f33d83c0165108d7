"""Realtime driver tests: the async ones run on asyncio and trio."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from soniox_emulator import Emulator

# The tests import plain helpers from rt_helpers.py beside this file; putting the
# folder on sys.path here makes that work under every pytest import mode.
sys.path.insert(0, str(Path(__file__).parent))

from rt_helpers import write_wav


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def rt_emulator(emulator: Emulator) -> Emulator:
    """The emulator, with realtime timings sized for quick tests."""
    emulator.realtime.ms_per_word = 100  # 16 kB of 16 kHz PCM per word at most
    emulator.realtime.idle_timeout_sec = 10.0
    return emulator


@pytest.fixture
def wav_file(tmp_path: Path) -> Path:
    return write_wav(tmp_path / "speech.wav", 1.5)
