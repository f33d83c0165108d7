"""Each hostile test runs three ways: the sync client, and the async client on asyncio
and on trio (driven through an anyio blocking portal, so one blocking body serves all)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hostile_client import API_KEY, Blocking

from soniox_async import AsyncSonioxClient
from soniox_sync import SonioxClient


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
