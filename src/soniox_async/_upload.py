"""Streaming an upload's body from a file without blocking the event loop.

File reads cannot be made non-blocking, so they run in a thread. Handing every
chunk to a worker thread and back (``anyio.to_thread.run_sync`` per chunk) costs
two cross-thread wake-ups per chunk, each landing on a sleeping thread, and reads
and sends strictly take turns: a 1 GiB upload took ~40 % longer than with the
same reads done inline. Instead one thread per upload reads ahead of the sender
while it sends, and the event loop takes each chunk under a lock, usually
without waiting or being woken. It waits (and is woken) only when the reader is
behind: at the first chunk, on a slow disk, when the thread is short of CPU.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import AsyncGenerator, Callable, Generator

import anyio

from soniox_core._multipart import MultipartBody

from ._body import body_chunks
from ._network import running_trio

__all__ = ["UPLOAD_CHUNK", "file_chunks"]

# Bigger chunks save little once reads overlap sends, and smaller ones cost CPU per
# chunk. Memory: under asyncio a chunk is held up to three times while it is sent (ours,
# the transport's copy of what the socket did not take yet, the slice that copy is
# made from), on top of the chunks read ahead; a 1 GiB upload grows RSS by ~5 MiB
# under asyncio and ~4.3 MiB under trio.
UPLOAD_CHUNK = 1 << 20

# Chunks read ahead at most. With one, the loop still waited for the reader on 15-40 %
# of the chunks (within one send the reader had to be woken, read, and wake the loop);
# a second halved the time spent waiting or better, under asyncio and trio alike.
AHEAD = 2

_THREAD_NAME = "soniox-upload-reader"


def _call_soon_threadsafe() -> Callable[[Callable[[], object]], object]:
    if running_trio():
        import trio

        return trio.lowlevel.current_trio_token().run_sync_soon
    import asyncio

    return asyncio.get_running_loop().call_soon_threadsafe


class _ReadAhead:
    """A thread reading ``chunks`` into a queue of at most ``AHEAD`` that the event loop empties.

    The thread alone touches ``chunks`` and closes it (so the file) on every path.
    The loop side must end with ``aclose()``, which returns once the thread is done.
    """

    def __init__(self, chunks: Generator[bytes, None, None]) -> None:
        self._chunks = chunks
        self._cond = threading.Condition(threading.Lock())
        self._ready: deque[bytes] = deque()
        self._finished = False
        self._stopping = False
        self._error: BaseException | None = None
        self._waiter: anyio.Event | None = None
        self._call_soon = _call_soon_threadsafe()
        self._thread = threading.Thread(target=self._run, name=_THREAD_NAME, daemon=True)

    def start(self) -> None:
        self._thread.start()

    # The reader thread.

    def _run(self) -> None:
        cond = self._cond
        try:
            while True:
                with cond:
                    while len(self._ready) >= AHEAD and not self._stopping:
                        cond.wait()
                    if self._stopping:
                        return
                chunk = next(self._chunks, None)
                if chunk is None:
                    return
                with cond:
                    self._ready.append(chunk)
                    waiter, self._waiter = self._waiter, None
                self._wake(waiter)
        except BaseException as exc:  # raised again in the sender, which reports it
            self._error = exc
        finally:
            try:
                self._chunks.close()
            except BaseException as exc:
                self._error = self._error or exc
            with cond:
                self._finished = True
                waiter, self._waiter = self._waiter, None
            self._wake(waiter)

    def _wake(self, waiter: anyio.Event | None) -> None:
        if waiter is None:
            return
        # RuntimeError: the event loop is gone (trio.RunFinishedError, a closed
        # asyncio loop), so nobody is left waiting.
        with contextlib.suppress(RuntimeError):
            self._call_soon(waiter.set)

    # The event loop.

    async def next(self) -> bytes | None:
        """The next chunk, or None after the last; raises what reading raised."""
        while True:
            with self._cond:
                if self._ready:
                    self._cond.notify()
                    return self._ready.popleft()
                if self._finished:
                    if self._error is not None:
                        raise self._error
                    return None
                waiter = self._waiter = anyio.Event()
            await waiter.wait()

    async def aclose(self) -> None:
        """Stop reading and wait until the thread is done: at most one read away."""
        with self._cond:
            self._stopping = True
            self._ready.clear()
            self._cond.notify()
        with anyio.CancelScope(shield=True):
            while True:
                with self._cond:
                    if self._finished:
                        break
                    waiter = self._waiter = anyio.Event()
                await waiter.wait()
        # _finished is set at the very end of the thread, so this returns at once.
        self._thread.join()


async def file_chunks(body: MultipartBody) -> AsyncGenerator[bytes, None]:
    """``body`` in chunks, read ahead in a thread; the file is closed on every path.

    The thread starts at the first chunk asked for, so a request that fails before
    its body is sent opens no file and starts no thread.
    """
    reader = _ReadAhead(body_chunks(body, UPLOAD_CHUNK))
    reader.start()
    try:
        while True:
            chunk = await reader.next()
            if chunk is None:
                return
            yield chunk
    finally:
        await reader.aclose()
