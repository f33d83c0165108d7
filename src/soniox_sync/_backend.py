"""Everything the blocking client does differently from the async one, in one module.

The twin of ``soniox_async/_backend.py`` (same names) and the one hand-written module
of ``soniox_sync``; every other file is generated from ``soniox_async`` by
``scripts/unasync.py``. Threads for tasks, stdlib sockets for anyio streams.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TypeAlias, TypeVar

import httpcore

from soniox_core._config import ClientConfig
from soniox_core._multipart import MultipartBody
from soniox_core.websocket._options import READ_SIZE_BYTES

from ._body import body_chunks
from ._deadline import DeadlineBackend
from ._pool import pool_options

T = TypeVar("T")
BackgroundJob: TypeAlias = threading.Thread  # what starting a background job returns
Guard = threading.RLock  # the session is shared by the caller's threads and the workers
Lock = threading.Lock  # acquire(timeout=...): False when it passed
Event = threading.Event
clock = time.monotonic


def session_clock() -> Callable[[], float]:
    return time.monotonic


def sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up per call, so a patched time.sleep (a test's Ctrl-C) applies


def wait_event(event: threading.Event, timeout: float | None) -> bool:
    return event.wait(timeout)


# Nothing cancels a thread from outside: cleanup runs to its end (bounded by its
# requests' own timeouts), and there is no checkpoint to stop at.
def shield() -> contextlib.nullcontext[None]:
    return contextlib.nullcontext()


def cleanup_scope(limit_sec: float) -> contextlib.nullcontext[None]:
    return contextlib.nullcontext()


def checkpoint() -> None:
    pass


class Workers:
    """Background jobs of a session: daemon threads; they stop when the session closes."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] | None = None

    def __enter__(self) -> Workers:
        self._threads = []
        return self

    def __exit__(self, *exc: object) -> None:
        threads, self._threads = self._threads, None
        # The session was closed first, which wakes the driver's jobs. A caller's
        # job (a sender) may sit in the caller's own iterable: it is not waited for.
        deadline = time.monotonic() + 2.0
        for thread in threads or ():
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))

    @property
    def running(self) -> bool:
        return self._threads is not None

    def start(self, job: Callable[[], None], name: str, *, own: bool = True) -> BackgroundJob:
        """Run ``job`` (which must not raise) on a thread; ``own``: joined on exit."""
        if self._threads is None:
            raise RuntimeError("workers are not running")
        thread = threading.Thread(target=job, name=name, daemon=True)
        if own:
            self._threads.append(thread)
        thread.start()
        return thread


class Stream:
    """A connected socket whose reads and writes can be bounded, safe for one reader
    and one writer thread at a time (reads wait in ``select``, not in a socket timeout
    the writer would share)."""

    __slots__ = ("_sock", "_timeout")

    writes_inline = False  # the writer thread writes; a caller only queues

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._timeout: float | None = -1.0  # not set yet

    def send(self, data: bytes, timeout: float | None = None) -> None:  # TimeoutError, OSError
        if timeout != self._timeout:  # settimeout is a system call; most writes share one
            self._sock.settimeout(timeout)
            self._timeout = timeout
        self._sock.sendall(data)

    def receive(self, timeout: float | None = None) -> bytes | None:  # None: EOF; TimeoutError
        sock = self._sock
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                if not (isinstance(sock, ssl.SSLSocket) and sock.pending() > 0):
                    remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                    readable, _, _ = select.select([sock], [], [], remaining)
                    if not readable:
                        raise TimeoutError
                return sock.recv(READ_SIZE_BYTES) or None
            except (ssl.SSLWantReadError, BlockingIOError):
                continue  # a TLS record with no application data (a session ticket): not EOF
            except TimeoutError:
                if deadline is None or time.monotonic() < deadline:
                    continue  # the socket's (write) timeout fired inside recv: wait on
                raise
            except (OSError, ValueError):  # reset, or closed by another thread
                return None

    def start_tls(self, context: ssl.SSLContext, hostname: str, timeout: float) -> None:
        self._sock.settimeout(timeout)
        self._sock = context.wrap_socket(self._sock, server_hostname=hostname)
        self._timeout = timeout

    def close(self) -> None:
        # shutdown() wakes a thread blocked in recv/select on this socket.
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


TLS_IN_TLS = False  # a stdlib socket cannot run TLS inside TLS (wss:// via an https:// proxy)


def connect_tcp(host: str, port: int, timeout: float, *, tunnel: bool = False) -> Stream:  # raises OSError
    sock = socket.create_connection((host, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return Stream(sock)


def new_pool(config: ClientConfig) -> httpcore.ConnectionPool:
    pool_backend = DeadlineBackend(httpcore.SyncBackend())
    return httpcore.ConnectionPool(network_backend=pool_backend, **pool_options(config))


def loop_token() -> object:
    return None  # one pool serves every thread: no event loop to tell apart


def upload_chunks(body: MultipartBody) -> Iterator[bytes]:
    return body_chunks(body)


def in_worker(func: Callable[..., T], *args: object) -> T:
    return func(*args)


def read_file_chunks(source: str | Path | IO[bytes], size: int) -> Iterator[bytes]:
    with open(source, "rb") if isinstance(source, (str, Path)) else contextlib.nullcontext(source) as f:
        while chunk := f.read(size):
            yield chunk


def iterate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    return iter(chunks)


def maybe_await(result: object) -> None:
    pass  # nothing to await in blocking code: the callback has run
