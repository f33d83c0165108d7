"""Pytest fixtures for the Soniox emulator.

Enable with ``pytest_plugins = ["soniox_emulator.pytest_plugin"]`` in a conftest.
``emulator_server`` runs one emulator for the whole session; ``emulator`` hands it to a
test after :meth:`~soniox_emulator.Emulator.reset`, so every test starts clean.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._emulator import Emulator


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """One running emulator shared by the session (API key ``test-key``)."""
    with Emulator(api_key="test-key", queued_sec=0.05, processing_sec=0.1) as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_server: Emulator) -> Emulator:
    """The session's emulator, reset before the test."""
    emulator_server.reset()
    return emulator_server
