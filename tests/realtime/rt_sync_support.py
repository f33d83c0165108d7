"""What the realtime tests need of their concurrency, blocking side (threads).

The twin of ``rt_async_support`` with the same names, for the generated
``test_rt_sync.py``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

sleep = time.sleep
clock = time.monotonic


@contextlib.contextmanager
def fail_after(seconds: float) -> Iterator[None]:
    """Blocking calls cannot be interrupted here; pytest-timeout stops a hang."""
    yield


class _Threads:
    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def start_soon(self, job: Callable[..., Any], *args: Any) -> None:
        def run() -> None:
            try:
                job(*args)
            except BaseException as exc:
                self.errors.append(exc)

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()


@contextlib.contextmanager
def background() -> Iterator[_Threads]:
    """Jobs on threads beside the test body; joined when the block ends, and the
    first job's failure raised (unless the body failed first)."""
    threads = _Threads()
    try:
        yield threads
    finally:
        for thread in threads.threads:
            thread.join(10)
    if threads.errors:
        raise threads.errors[0]


def wait_for(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Poll ``condition`` until true; fails the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
