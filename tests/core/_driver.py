"""A scripted, socket-free driver for soniox_core operations.

It performs effects the way ``soniox_async._runner`` and ``soniox_sync._runner``
do, but against a handler function and a fake clock:

* ``Send``: the request is recorded (a multipart body is read out in full, as a
  real driver streams it) and passed to ``handler(request)``, which returns an
  ``HttpResponse`` or an exception. A ``SonioxError`` is thrown into the
  operation, as the runners do with transport failures; any other
  ``BaseException`` is treated like a cancellation: the operation is unwound.
* ``Sleep`` advances the fake clock; ``Now`` reads it.
* ``Emit`` items are collected by ``iterate``.

``cancel_at`` throws a cancellation-like ``BaseException`` at a chosen effect,
and the driver then unwinds the operation exactly as the runners' ``_unwind``
does: the exception is thrown in, cleanup requests are performed with capped
timeouts, errors of those requests are thrown back in, and whatever the
operation finally raises ends the unwinding.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from soniox_core import (
    ClientConfig,
    Emit,
    HttpRequest,
    HttpResponse,
    Now,
    Send,
    Sleep,
    SonioxError,
    Timeouts,
    resolve_config,
)
from soniox_core._effects import CloseBody, OpenStream, ReadChunk, ReadTrailers, ResponseHead
from soniox_core._multipart import MultipartBody
from soniox_sync._body import body_chunks

CLEANUP_REQUEST_TIMEOUT_SEC = 5.0
API_KEY = "sk-test-0123456789-SECRET"

Handler = Callable[[HttpRequest], "HttpResponse | CutShort | WithTrailers | BaseException"]


class Cancelled(BaseException):
    """Stands in for a runtime's cancellation exception."""


def make_config(**overrides: Any) -> ClientConfig:
    """A resolved config with a known key and no environment influence."""
    kwargs: dict[str, Any] = {
        "api_key": API_KEY,
        "api_base_url": None,
        "websocket_base_url": None,
        "timeout_sec": None,
        "webhook_secret": None,
        "webhook_signature_header": None,
        "client_kwargs": {},
        "environ": {},
    }
    kwargs.update(overrides)
    return resolve_config(**kwargs)


# --- responses ------------------------------------------------------------------


def response(
    status: int = 200,
    body: Any = None,
    *,
    headers: Iterable[tuple[str, str]] = (),
    reason: str = "",
) -> HttpResponse:
    """An ``HttpResponse``; a non-bytes ``body`` is sent as JSON."""
    raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if body is None:
        data = b""
    elif isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    else:
        data = json.dumps(body).encode()
        raw_headers.append((b"Content-Type", b"application/json"))
    return HttpResponse(status, raw_headers, data, reason)


def api_error(status: int, error_type: str = "some_error", message: str = "it failed", **extra: Any) -> Any:
    """A structured ``ApiError`` body."""
    return {"status_code": status, "error_type": error_type, "message": message, **extra}


CREATED_AT = "2025-01-02T03:04:05Z"


def file_json(file_id: str = "file-1", **extra: Any) -> dict[str, Any]:
    return {"id": file_id, "filename": "a.wav", "size": 10, "created_at": CREATED_AT, **extra}


def transcription_json(
    transcription_id: str = "tr-1", status: str = "queued", **extra: Any
) -> dict[str, Any]:
    return {
        "id": transcription_id,
        "status": status,
        "created_at": CREATED_AT,
        "model": "stt-async-v5",
        **extra,
    }


def transcript_json(transcription_id: str = "tr-1") -> dict[str, Any]:
    return {
        "id": transcription_id,
        "text": "hello world",
        "tokens": [{"text": "hello", "start_ms": 0, "end_ms": 100, "confidence": 0.9}],
    }


def script(*items: HttpResponse | CutShort | WithTrailers | BaseException) -> Handler:
    """A handler answering requests with ``items`` in order (and failing past the end)."""
    queue = list(items)

    def handler(request: HttpRequest) -> HttpResponse | CutShort | WithTrailers | BaseException:
        assert queue, f"unexpected extra request {request.method} {request.target}"
        return queue.pop(0)

    return handler


def never(request: HttpRequest) -> HttpResponse:
    """A handler for operations that must fail before sending anything."""
    raise AssertionError(f"no request expected, got {request.method} {request.target}")


class Router:
    """A handler that answers by ``(method, path)``; each route is a list used in order
    (the last entry repeats) or a callable taking the request."""

    def __init__(self, routes: Mapping[tuple[str, str], Any]) -> None:
        self.routes: dict[tuple[str, str], Any] = {
            k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in routes.items()
        }

    def __call__(self, request: HttpRequest) -> HttpResponse | CutShort | BaseException:
        key = (request.method, request.path)
        assert key in self.routes, f"no route for {key}"
        route = self.routes[key]
        if callable(route):
            return route(request)  # type: ignore[no-any-return]
        return route.pop(0) if len(route) > 1 else route[0]


@dataclass
class CutShort:
    """A handler's answer whose body breaks off: ``response.body`` arrives, then
    reading raises ``error`` (as a runner raises a connection closed mid-body)."""

    response: HttpResponse
    error: BaseException


@dataclass
class WithTrailers:
    """A handler's answer whose complete body is followed by these trailers."""

    response: HttpResponse
    trailers: list[tuple[str, str]]


@dataclass
class ScriptedBody:
    """The driver's handle on a streamed body: ``chunk``-sized pieces of ``data``."""

    data: bytes
    chunk: int
    error: BaseException | None = None
    trailers: list[tuple[bytes, bytes]] = field(default_factory=list)
    offset: int = 0
    closed: bool = False
    closed_by_driver: bool = False
    reads: int = 0

    def read(self) -> bytes:
        assert not self.closed, "read after CloseBody"
        self.reads += 1
        if self.offset < len(self.data):
            piece = self.data[self.offset : self.offset + self.chunk]
            self.offset += len(piece)
            return piece
        if self.error is not None:
            raise self.error
        return b""


# --- the driver -------------------------------------------------------------------


@dataclass
class Sent:
    """One performed ``Send``."""

    request: HttpRequest
    timeouts: Timeouts
    body: bytes | None
    during_unwind: bool = False

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def path(self) -> str:
        return self.request.path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.request.target).query, keep_blank_values=True))

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.request.headers if k.decode().lower() == name.lower()]
        assert len(found) <= 1, f"header {name} repeated"
        return found[0].decode("latin-1") if found else None

    def json(self) -> Any:
        assert self.body is not None
        return json.loads(self.body)


@dataclass
class Driver:
    """Runs operations against ``handler`` with a fake monotonic clock."""

    handler: Handler = never
    clock: float = 1000.0
    send_duration: float = 0.0
    cancel_at: Callable[[Any, int], bool] | None = None
    """Called with (effect, index of the effect); True throws ``cancel_with`` there."""
    cancel_with: Callable[[], BaseException] = Cancelled
    sent: list[Sent] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)
    effects: list[Any] = field(default_factory=list)
    emitted: list[Any] = field(default_factory=list)
    unwinding: bool = False
    stream_chunk: int = 4
    """Size of the pieces a streamed body (``OpenStream``) is read in."""
    bodies: list[ScriptedBody] = field(default_factory=list)
    """Every streamed body opened, in order."""

    @property
    def calls(self) -> list[tuple[str, str]]:
        """``(method, path)`` of every request, in order."""
        return [(s.method, s.path) for s in self.sent]

    # Performing one effect -------------------------------------------------------

    def perform(self, effect: Any) -> Any:
        """Carry out ``effect``; a ``SonioxError`` or a cancellation is raised."""
        index = len(self.effects)
        self.effects.append(effect)
        if not self.unwinding and self.cancel_at is not None and self.cancel_at(effect, index):
            raise self.cancel_with()
        if isinstance(effect, Send):
            body = effect.request.body
            data = b"".join(body_chunks(body)) if isinstance(body, MultipartBody) else body
            self.sent.append(Sent(effect.request, effect.timeouts, data, self.unwinding))
            self.clock += self.send_duration
            result = self.handler(effect.request)
            if isinstance(result, BaseException):
                raise result
            assert isinstance(result, HttpResponse), result
            return result
        if isinstance(effect, OpenStream):
            assert not isinstance(effect.request.body, MultipartBody)
            self.sent.append(Sent(effect.request, effect.timeouts, effect.request.body, self.unwinding))
            outcome = self.handler(effect.request)
            if isinstance(outcome, BaseException):
                raise outcome
            cut: BaseException | None = None
            trailers: list[tuple[bytes, bytes]] = []
            answer = outcome.response if isinstance(outcome, (CutShort, WithTrailers)) else outcome
            if isinstance(outcome, CutShort):
                cut = outcome.error
            if isinstance(outcome, WithTrailers):
                trailers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.trailers]
            assert isinstance(answer, HttpResponse), answer
            scripted = ScriptedBody(answer.body, self.stream_chunk, cut, trailers)
            self.bodies.append(scripted)
            return ResponseHead(answer.status, answer.headers, answer.reason, scripted)
        if isinstance(effect, ReadChunk):
            return effect.head.body.read()
        if isinstance(effect, ReadTrailers):
            assert effect.head.body.offset == len(effect.head.body.data), "trailers before the end"
            return effect.head.body.trailers
        if isinstance(effect, CloseBody):
            effect.head.body.closed = True
            return None
        if isinstance(effect, Sleep):
            assert effect.seconds >= 0, effect
            self.sleeps.append(effect.seconds)
            self.clock += effect.seconds
            return None
        if isinstance(effect, Now):
            return self.clock
        raise TypeError(f"unknown effect {effect!r}")

    # Driving an operation ----------------------------------------------------------

    def run(self, op: Generator[Any, Any, Any]) -> Any:
        """Drive ``op`` to its result, as ``Runner.run`` does."""
        value: Any = None
        error: SonioxError | None = None
        while True:
            try:
                effect = op.send(value) if error is None else op.throw(error)
            except StopIteration as stop:
                return stop.value
            assert not isinstance(effect, Emit), "run() got an Emit; use iterate()"
            value, error = None, None
            try:
                value = self.perform(effect)
            except SonioxError as exc:
                error = exc
            except BaseException as exc:
                self._unwind(op, exc)
                raise

    def iterate(self, op: Generator[Any, Any, None], *, stop_after: int | None = None) -> list[Any]:
        """Drive a paginating operation and return every item it emitted, as
        ``Runner.iterate`` does; ``stop_after`` abandons it after that many items."""
        items: list[Any] = []
        value: Any = None
        error: SonioxError | None = None
        try:
            while True:
                try:
                    effect = op.send(value) if error is None else op.throw(error)
                except StopIteration:
                    return items
                value, error = None, None
                if isinstance(effect, Emit):
                    self.effects.append(effect)
                    assert len(effect.items) > 0, "empty Emit"
                    for item in effect.items:
                        items.append(item)
                        self.emitted.append(item)
                        if stop_after is not None and len(items) >= stop_after:
                            return items
                    continue
                try:
                    value = self.perform(effect)
                except SonioxError as exc:
                    error = exc
        finally:
            op.close()
            self._close_leftovers()

    def _close_leftovers(self) -> None:
        # What the runners do for an operation closed mid-stream (it cannot yield CloseBody).
        for body in self.bodies:
            if not body.closed:
                body.closed = body.closed_by_driver = True

    def _unwind(self, op: Generator[Any, Any, Any], exc: BaseException) -> None:
        """Throw ``exc`` in and perform the cleanup the operation asks for."""
        self.unwinding = True
        try:
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
        finally:
            self.unwinding = False


def run(op: Generator[Any, Any, Any], *responses: HttpResponse | BaseException) -> tuple[Any, Driver]:
    """Run ``op`` against scripted ``responses``; return its result and the driver."""
    driver = Driver(script(*responses))
    return driver.run(op), driver


def paths(driver: Driver) -> Sequence[str]:
    return [s.path for s in driver.sent]
