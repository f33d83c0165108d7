"""What the realtime tests need of their concurrency, async side (anyio).

``test_rt_async.py`` is written once against these names; ``scripts/unasync.py``
generates ``test_rt_sync.py`` from it, which imports ``rt_sync_support``, the
threaded twin with the same names.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import anyio
import anyio.abc

sleep = anyio.sleep
clock = anyio.current_time
fail_after = anyio.fail_after  # a hang fails the test instead of stalling the suite


@contextlib.asynccontextmanager
async def background() -> AsyncIterator[anyio.abc.TaskGroup]:
    """Jobs beside the test body (``start_soon``); all finished when the block ends."""
    async with anyio.create_task_group() as group:
        yield group


async def wait_for(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Poll ``condition`` until true; fails the test after ``timeout``."""
    with anyio.fail_after(timeout):
        while not condition():
            await anyio.sleep(0.02)
