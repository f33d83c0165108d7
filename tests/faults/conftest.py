"""Run each fault test three ways: the sync client, and the async client on asyncio and on trio.

The async client is driven through an anyio blocking portal (an event loop in a
helper thread), so one blocking test body exercises all three.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from soniox_async import AsyncSonioxClient
from soniox_emulator import Emulator
from soniox_sync import SonioxClient


async def _collect(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


class Blocking:
    """A blocking view of an async client: coroutine methods run in the portal's loop."""

    def __init__(self, target: Any, portal: BlockingPortal) -> None:
        self._target = target
        self._portal = portal

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if inspect.iscoroutinefunction(attr):
            return lambda *a, **k: self._portal.call(partial(attr, *a, **k))
        if inspect.isasyncgenfunction(attr):
            return lambda *a, **k: self._portal.call(_collect, attr(*a, **k))
        if type(attr).__module__.startswith("soniox_async"):
            return Blocking(attr, self._portal)
        return attr

    def close(self) -> None:
        self._portal.call(self._target.aclose)


@pytest.fixture(params=["sync", "asyncio", "trio"])
def flavor(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param


@pytest.fixture
def make_client(
    flavor: str, emulator: Emulator
) -> Iterator[Callable[..., Any]]:
    """``make_client(**kwargs)``: a client of this test's flavor, pointed at the emulator."""
    made: list[Any] = []
    portal_cm = None
    portal: BlockingPortal | None = None
    if flavor != "sync":
        portal_cm = start_blocking_portal(backend=flavor)
        portal = portal_cm.__enter__()

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("api_key", emulator.api_key)
        kwargs.setdefault("api_base_url", emulator.base_url)
        kwargs.setdefault("retry_base_delay", 0.01)
        if portal is None:
            client: Any = SonioxClient(**kwargs)
        else:
            client = Blocking(portal.call(partial(_make_async, **kwargs)), portal)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
    if portal_cm is not None:
        portal_cm.__exit__(None, None, None)


async def _make_async(**kwargs: Any) -> AsyncSonioxClient:
    return AsyncSonioxClient(**kwargs)
