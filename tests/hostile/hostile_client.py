"""The key the hostile tests use, and a blocking view of the async client."""

from __future__ import annotations

import inspect
from functools import partial
from typing import Any

from anyio.from_thread import BlockingPortal

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
