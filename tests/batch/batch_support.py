"""Helpers shared by the batch tests."""

from __future__ import annotations

import pytest

from soniox_emulator import Emulator

FLAVOURS = pytest.mark.parametrize(
    ("anyio_backend", "flavour"),
    [("asyncio", "asyncio"), ("trio", "trio"), ("asyncio", "sync")],
    ids=["asyncio", "trio", "sync"],
)


def leftovers(emu: Emulator) -> tuple[int, int]:
    """Files and transcriptions still stored on the emulator."""
    state = emu._state
    with state.lock:
        return len(state.files), len(state.transcriptions)
