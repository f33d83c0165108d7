"""Helpers for the driver tests: one test body runs the async client under asyncio and
trio, and the blocking client (from a worker thread), against the same emulator.

``THREE_WAYS`` parametrises a test (or a module, via ``pytestmark``) over the three
flavours; the ``sdk`` fixture in ``conftest.py`` then hands it a :class:`Driver`.
"""

from __future__ import annotations

import functools
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

from soniox_async import AsyncSonioxClient
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

API_KEY = "test-key"
WAIT = 0.02  # polling interval for every wait in these tests

THREE_WAYS = pytest.mark.parametrize(
    ("anyio_backend", "flavour"),
    [("asyncio", "asyncio"), ("trio", "trio"), ("asyncio", "sync")],
    ids=["asyncio", "trio", "sync"],
)
"""Run a test with the async client on asyncio and on trio, and with the sync client."""


class Driver:
    """Calls a client's methods the same way whatever its flavour.

    ``await sdk(sdk.client.files.get, file_id)`` awaits an async method, or runs a
    blocking one in a worker thread; ``await sdk.collect(sdk.client.files.list_all)``
    drains an (async) generator into a list.
    """

    def __init__(self, flavour: str, client: AsyncSonioxClient | SonioxClient) -> None:
        self.flavour = flavour
        self.client: Any = client

    @property
    def is_sync(self) -> bool:
        return self.flavour == "sync"

    async def __call__(self, method: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        if self.is_sync:
            return await anyio.to_thread.run_sync(functools.partial(method, *args, **kwargs))
        return await method(*args, **kwargs)

    async def collect(self, method: Callable[..., Any], /, *args: Any, **kwargs: Any) -> list[Any]:
        if self.is_sync:
            return await anyio.to_thread.run_sync(lambda: list(method(*args, **kwargs)))
        return [item async for item in method(*args, **kwargs)]

    async def close(self) -> None:
        if self.is_sync:
            await anyio.to_thread.run_sync(self.client.close)
        else:
            await self.client.aclose()

    @asynccontextmanager
    async def other(self, emu: Emulator, **options: Any) -> AsyncIterator[Driver]:
        """A second client of the same flavour, with other constructor arguments."""
        driver = make_driver(self.flavour, emu, **options)
        try:
            yield driver
        finally:
            await driver.close()


def make_driver(flavour: str, emu: Emulator, **options: Any) -> Driver:
    """A client of ``flavour`` pointed at ``emu`` (``options`` override the defaults)."""
    kwargs: dict[str, Any] = {
        "api_key": API_KEY,
        "api_base_url": emu.base_url,
        "tts_api_base_url": emu.tts_api_base_url,
        "tts_websocket_base_url": emu.tts_websocket_base_url,
        **options,
    }
    cls = SonioxClient if flavour == "sync" else AsyncSonioxClient
    return Driver(flavour, cls(**kwargs))


def closed_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def request_total(emu: Emulator) -> int:
    """How many HTTP requests the emulator received since its last reset."""
    return len(emu.requests)


async def sleep_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``predicate`` (cheaply, on the event loop) until it holds."""
    with anyio.fail_after(timeout):
        while not predicate():
            await anyio.sleep(0.01)
