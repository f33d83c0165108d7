"""The blocking runner: performs the core's effects with httpcore's sync pool.

Safe to share between threads: the pool is thread-safe and the runner keeps no
per-call state.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator, Sequence
from typing import Any, TypeVar

import httpcore

from soniox_core import (
    ClientConfig,
    Emit,
    HttpResponse,
    Now,
    Send,
    Sleep,
    SonioxError,
)
from soniox_core._multipart import MultipartBody

from ._body import body_chunks
from ._pool import POOL_OPTIONS, Origin, body_buffer, buffered_body, pool_options, timeout_extension
from ._transport_errors import transport_errors

__all__ = ["Runner"]

T = TypeVar("T")

CLEANUP_REQUEST_TIMEOUT_SEC = 5.0


def read_body(response: httpcore.Response, method: str) -> bytes:
    """The whole body of a streamed response; a big one into a buffer of its size."""
    buffer = body_buffer(method, response.status, response.headers)
    if buffer is None:
        return response.read()
    write = buffer.write
    for chunk in response.iter_stream():
        write(chunk)
    return buffered_body(buffer)


class Runner:
    """Performs effects for ``SonioxClient``; owns its connection pool."""

    #: The client options its connection pool takes (``resolve_config`` passes them on).
    transport_options = POOL_OPTIONS

    def __init__(self, config: ClientConfig, pool: httpcore.ConnectionPool | None = None):
        self._origin = Origin(config.api_base_url)
        self._pool = pool or httpcore.ConnectionPool(**pool_options(config))

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def send(self, effect: Send) -> HttpResponse:
        """Send one request; transport failures come back as ``SonioxTransportError``."""
        request = effect.request
        body = request.body
        content: bytes | Iterator[bytes] | None
        if isinstance(body, MultipartBody):
            in_memory = body.in_memory()
            content = in_memory if in_memory is not None else body_chunks(body)
        else:
            content = body
        try:
            with transport_errors(), self._pool.stream(
                request.method,
                self._origin.url(request.target),
                headers=request.headers,
                content=content,
                extensions={"timeout": timeout_extension(effect.timeouts)},
            ) as response:
                received = read_body(response, request.method)
        finally:
            if isinstance(content, Generator):
                content.close()
        reason = response.extensions.get("reason_phrase", b"")
        return HttpResponse(
            response.status,
            response.headers,
            received,
            reason.decode("latin-1") if isinstance(reason, bytes) else "",
        )

    def perform(self, effect: object) -> Any:
        """Carry out one effect and return what the operation expects back."""
        if isinstance(effect, Send):
            return self.send(effect)
        if isinstance(effect, Sleep):
            time.sleep(effect.seconds)
            return None
        if isinstance(effect, Now):
            return time.monotonic()
        raise TypeError(f"unknown effect {effect!r}")

    def run(self, op: Generator[Any, Any, T]) -> T:
        """Drive ``op`` to its result; on KeyboardInterrupt (or anything else that
        escapes) unwind it so its cleanup requests still run, then re-raise."""
        value: Any = None
        error: SonioxError | None = None
        while True:
            try:
                effect = op.send(value) if error is None else op.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            value, error = None, None
            try:
                value = self.perform(effect)
            except SonioxError as exc:
                error = exc
            except BaseException as exc:
                self._unwind(op, exc)
                raise

    def iterate_pages(self, op: Generator[Any, Any, None]) -> Iterator[Sequence[Any]]:
        """Drive a paginating operation, yielding the items it emits a page at a time."""
        value: Any = None
        error: SonioxError | None = None
        try:
            while True:
                try:
                    effect = op.send(value) if error is None else op.throw(error)
                except StopIteration:
                    return
                value, error = None, None
                if isinstance(effect, Emit):
                    yield effect.items
                    continue
                try:
                    value = self.perform(effect)
                except SonioxError as exc:
                    error = exc
        finally:
            op.close()

    def _unwind(self, op: Generator[Any, Any, Any], exc: BaseException) -> None:
        value: Any = None
        error: BaseException | None = exc
        while True:
            try:
                effect = op.send(value) if error is None else op.throw(error)
            except BaseException:
                return
            value, error = None, None
            if isinstance(effect, Send):
                effect = Send(effect.request, effect.timeouts.capped(CLEANUP_REQUEST_TIMEOUT_SEC))
            try:
                value = self.perform(effect)
            except SonioxError as failure:
                error = failure
            except BaseException:
                # A second interrupt during cleanup: stop cleaning up.
                op.close()
                return
