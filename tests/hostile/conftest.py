"""Each hostile test runs three ways: the sync client, and the async client on asyncio
and on trio (driven through an anyio blocking portal, so one blocking body serves all)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from soniox_async import AsyncSonioxClient
from soniox_sync import SonioxClient

# Real-looking keys, long enough to be masked, with characters that repr() keeps.
API_KEY = "sk-hostile-0123456789abcdefABCDEF"


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
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_client(flavor: str) -> Iterator[Callable[..., Any]]:
    """``make_client(base_url, **kwargs)``: a client of this test's flavor."""
    made: list[Any] = []
    portal_cm = None
    portal: BlockingPortal | None = None
    if flavor != "sync":
        portal_cm = start_blocking_portal(backend=flavor)
        portal = portal_cm.__enter__()

    def make(base_url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("retry_base_delay", 0.0)
        kwargs.setdefault("retry_max_delay", 0.0)
        kwargs.setdefault("timeout_sec", 5.0)
        if portal is None:
            client: Any = SonioxClient(api_base_url=base_url, **kwargs)
        else:
            client = Blocking(portal.call(partial(_make_async, api_base_url=base_url, **kwargs)), portal)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
    if portal_cm is not None:
        portal_cm.__exit__(None, None, None)


async def _make_async(**kwargs: Any) -> AsyncSonioxClient:
    return AsyncSonioxClient(**kwargs)
