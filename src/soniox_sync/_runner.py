# Generated from src/soniox_async/_runner.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""The runner: the only place where the core's effects meet real I/O.

Requests go through an httpcore connection pool; sleeps, the clock and
shielding come from ``_backend``, so the same code runs under asyncio and trio
(and, generated, in the blocking client, where a pool is safe to share
between threads).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from contextlib import AbstractContextManager, closing
from typing import Any, TypeVar

import httpcore

from soniox_core import (
    ClientConfig,
    Emit,
    HttpRequest,
    HttpResponse,
    Now,
    Send,
    Sleep,
    SonioxError,
)
from soniox_core._effects import CloseBody, OpenStream, ReadChunk, ReadTrailers, ResponseHead
from soniox_core._multipart import MultipartBody
from soniox_core._responses import MAX_JSON_BYTES

from . import _backend as backend
from ._audio_file import AudioSink
from ._deadline import deadline
from ._pool import (
    POOL_OPTIONS,
    Origin,
    body_buffer,
    body_too_large,
    buffered_body,
    retire_if_anomalous,
    timeout_extension,
)
from ._trailers import TrailerTap
from ._transport_errors import transport_errors

__all__ = ["Runner"]

T = TypeVar("T")

# How long cleanup may take once the caller has cancelled or failed.
CLEANUP_LIMIT_SEC = 10.0
CLEANUP_REQUEST_TIMEOUT_SEC = 5.0
MAX_RESPONSE_BYTES = MAX_JSON_BYTES


def read_body(response: httpcore.Response, method: str, limit: int | None = None) -> bytes:
    """The whole body of a streamed response; a big one into a buffer of its size.

    A body past ``limit`` bytes (default ``MAX_RESPONSE_BYTES``) raises
    ``SonioxUnexpectedResponseError``.
    """
    limit = MAX_RESPONSE_BYTES if limit is None else limit
    buffer = body_buffer(method, response.status, response.headers)
    size = 0
    if buffer is None:
        chunks = []
        for chunk in response.iter_stream():
            size += len(chunk)
            if size > limit:
                raise body_too_large(response.status, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    write = buffer.write
    for chunk in response.iter_stream():
        size += len(chunk)
        if size > limit:
            raise body_too_large(response.status, limit)
        write(chunk)
    return buffered_body(buffer)


class _OpenBody:
    """A response body still on the wire: httpcore's stream context and its chunks."""

    __slots__ = ("_chunks", "_context", "_response", "_tap", "closed")

    def __init__(
        self, context: AbstractContextManager[httpcore.Response], response: httpcore.Response
    ) -> None:
        self._context = context
        self._response = response
        self._chunks = response.iter_stream()
        self._tap = TrailerTap(response)
        self.closed = False

    def read(self) -> bytes:
        """The next non-empty chunk, or ``b""`` at the end of a complete body."""
        try:
            with transport_errors():
                while True:
                    chunk: bytes = next(self._chunks)
                    if chunk:
                        return chunk
        except StopIteration:
            self._tap.detach()
            retire_if_anomalous(self._response)
            return b""

    def trailers(self) -> list[tuple[bytes, bytes]]:
        """The trailers noted at the end of the body (none if unseen)."""
        return self._tap.trailers

    def close(self) -> None:
        """Release the body; a connection whose body was not read to the end is closed."""
        if self.closed:
            return
        self.closed = True
        self._tap.detach()
        with backend.shield():
            self._context.__exit__(None, None, None)


def _close_all(opened: list[_OpenBody]) -> None:
    # Bodies the operation could not release itself (it was closed mid-stream).
    for body in opened:
        if not body.closed:
            body.close()


class Runner:
    """Performs effects for ``SonioxClient``; owns its connection pool."""

    #: The client options its connection pool takes (``resolve_config`` passes them on).
    transport_options = POOL_OPTIONS

    def __init__(self, config: ClientConfig, pool: httpcore.ConnectionPool | None = None):
        self._origin = Origin(config.api_base_url)
        self._origins: dict[str, Origin] = {}
        self._config = config
        self._pool = pool or backend.new_pool(config)
        self._loop_token: object | None = None

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def _pool_for_this_loop(self) -> httpcore.ConnectionPool:
        # Pooled connections belong to the event loop that opened them. A client
        # reused from another loop (a second asyncio.run, or trio after asyncio)
        # gets a fresh pool; the old loop's sockets cannot be closed from here.
        # (Blocking code has no loop: the token never changes.)
        token = backend.loop_token()
        if token != self._loop_token:
            if self._loop_token is not None:
                self._pool = backend.new_pool(self._config)
            self._loop_token = token
        return self._pool

    def _url(self, request: HttpRequest) -> httpcore.URL:
        if request.origin is None:
            return self._origin.url(request.target)
        origin = self._origins.get(request.origin)
        if origin is None:
            origin = self._origins[request.origin] = Origin(request.origin)
        return origin.url(request.target)

    def open_stream(self, effect: OpenStream) -> ResponseHead:
        """Send a request (with a bytes body) and return the head of the answer, body unread."""
        request = effect.request
        if isinstance(request.body, MultipartBody):
            raise TypeError("a streamed answer is only asked for with a bytes body")
        context = self._pool_for_this_loop().stream(
            request.method,
            self._url(request),
            headers=request.headers,
            content=request.body,
            extensions={"timeout": timeout_extension(effect.timeouts)},
        )
        with transport_errors():
            response = context.__enter__()
        reason = response.extensions.get("reason_phrase", b"")
        return ResponseHead(
            response.status,
            response.headers,
            reason.decode("latin-1") if isinstance(reason, bytes) else "",
            _OpenBody(context, response),
        )

    def send(self, effect: Send) -> HttpResponse:
        """Send one request; transport failures come back as ``SonioxTransportError``."""
        request = effect.request
        body = request.body
        content: bytes | Iterator[bytes] | None
        if isinstance(body, MultipartBody):
            in_memory = body.in_memory()
            content = in_memory if in_memory is not None else backend.upload_chunks(body)
        else:
            content = body
        try:
            # The whole request, however the server paces its bytes (per-read
            # timeouts alone let a trickle run on forever).
            with deadline(effect.timeouts.total), transport_errors():
                response, received = self._exchange(effect, content)
        finally:
            # A failed send may stop reading the body midway; close the file now,
            # not whenever the garbage collector finalizes the generator.
            if isinstance(content, Generator):
                with backend.shield():
                    content.close()
        reason = response.extensions.get("reason_phrase", b"")
        return HttpResponse(
            response.status,
            response.headers,
            received,
            reason.decode("latin-1") if isinstance(reason, bytes) else "",
        )

    def _exchange(
        self, effect: Send, content: bytes | Iterator[bytes] | None
    ) -> tuple[httpcore.Response, bytes]:
        """One request and its whole answer; a connection that misbehaved is retired."""
        request = effect.request
        with self._pool_for_this_loop().stream(
            request.method,
            self._url(request),
            headers=request.headers,
            content=content,
            extensions={"timeout": timeout_extension(effect.timeouts)},
        ) as response:
            received = read_body(response, request.method)
            retire_if_anomalous(response)
        return response, received

    def perform(self, effect: object) -> Any:
        """Carry out one effect and return what the operation expects back."""
        if isinstance(effect, Send):
            return self.send(effect)
        if isinstance(effect, Sleep):
            backend.sleep(effect.seconds)
            return None
        if isinstance(effect, Now):
            return backend.clock()
        if isinstance(effect, ReadChunk):
            return effect.head.body.read()
        if isinstance(effect, ReadTrailers):
            return effect.head.body.trailers()
        if isinstance(effect, CloseBody):
            effect.head.body.close()
            return None
        if isinstance(effect, OpenStream):
            return self.open_stream(effect)
        raise TypeError(f"unknown effect {effect!r}")

    def run(self, op: Generator[Any, Any, T]) -> T:
        """Drive ``op`` to its result.

        Failures of an effect are thrown into the operation, so its retry and
        cleanup logic decides. When the caller is cancelled (or anything else
        escapes), the operation is unwound: the exception is thrown in and the
        cleanup requests it makes are performed shielded, within a time limit.
        """
        value: Any = None
        error: SonioxError | None = None
        opened: list[_OpenBody] = []
        try:
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
                if isinstance(value, ResponseHead):
                    opened.append(value.body)
        finally:
            if opened:
                _close_all(opened)

    def iterate_pages(self, op: Generator[Any, Any, None]) -> Generator[Sequence[Any], None]:
        """Drive a paginating operation, yielding the items it emits a page at a time.

        A page, not an item: the caller's own generator hands the items out, so
        each item passes through one generator, not two.
        """
        value: Any = None
        error: SonioxError | None = None
        opened: list[_OpenBody] = []
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
                if isinstance(value, ResponseHead):
                    opened.append(value.body)
        finally:
            op.close()
            if opened:
                _close_all(opened)

    def write_stream(self, op: Generator[Any, Any, None], output: object) -> int:
        """Drive an operation emitting ``bytes`` chunks into ``output`` (a path or a
        binary file object) as they arrive; returns the number of bytes written.

        A path only appears once complete (see ``AudioSink``); file writes run in a
        worker thread, so the event loop never waits on the disk.
        """
        sink = AudioSink.open(output)
        try:
            with closing(self.iterate_pages(op)) as pages:
                for page in pages:
                    for chunk in page:
                        backend.in_worker(sink.write, chunk)
            return backend.in_worker(sink.commit)
        except BaseException:
            with backend.shield():
                backend.in_worker(sink.abort)
            raise

    def _unwind(self, op: Generator[Any, Any, Any], exc: BaseException) -> None:
        with backend.cleanup_scope(CLEANUP_LIMIT_SEC):
            value: Any = None
            error: BaseException | None = exc
            while True:
                try:
                    effect = op.send(value) if error is None else op.throw(error)
                except BaseException:
                    # The operation finished unwinding (normally by re-raising exc).
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
        # The time limit ran out with cleanup unfinished: abandon it.
        op.close()
