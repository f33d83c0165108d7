"""Effects: what an operation asks its driver to do, as plain values.

An operation is a generator. It yields effects (send this request, sleep this
long, what time is it, hand these items to the caller), receives each effect's
result, and finally returns its typed result. Drivers perform the effects; tests
perform them with scripted responses and a fake clock. Transport failures are
thrown back into the generator at the yield that sent the request, so retry and
cleanup logic stays in the core.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._config import Timeouts
from ._http import HttpRequest, HttpResponse

__all__ = [
    "CloseBody",
    "Emit",
    "Now",
    "Op",
    "OpenStream",
    "ReadChunk",
    "ReadTrailers",
    "ResponseHead",
    "Send",
    "Sleep",
    "Stream",
    "now",
    "sleep",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request`` with these ``timeouts``; the result is an ``HttpResponse``."""

    request: HttpRequest
    timeouts: Timeouts


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds``; the result is None."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Now:
    """Read a monotonic clock; the result is seconds as a float."""


@dataclass(frozen=True, slots=True)
class Emit(Generic[T_co]):
    """Hand ``items`` to the caller of an iterating operation; the result is None."""

    items: Sequence[T_co]


@dataclass(frozen=True, slots=True)
class OpenStream:
    """Send ``request`` but read only the head of the answer; the result is a
    ``ResponseHead`` whose body the operation then reads with ``ReadChunk`` and
    must release with ``CloseBody`` (also when it fails or is cancelled).

    For answers too long to hold in memory (generated speech): the operation
    hands each chunk on as it arrives.
    """

    request: HttpRequest
    timeouts: Timeouts


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """Status and headers of a response whose body is still on the wire.

    ``body`` is the driver's handle on the open body; the core never looks inside.
    """

    status: int
    headers: Sequence[tuple[bytes, bytes]]
    reason: str
    body: Any = field(repr=False)


@dataclass(frozen=True, slots=True)
class ReadChunk:
    """Read the next piece of an open body; the result is non-empty ``bytes``, or
    ``b""`` once the body ended complete. A body cut short (the connection closed
    before its announced length, or before the last chunk of a chunked body)
    raises ``SonioxConnectionError`` into the operation."""

    head: ResponseHead


@dataclass(frozen=True, slots=True)
class CloseBody:
    """Release an open body (closing the connection if it was not read to the
    end); the result is None. Safe to ask twice."""

    head: ResponseHead


@dataclass(frozen=True, slots=True)
class ReadTrailers:
    """The trailers that followed a body read to its end, as raw header pairs;
    empty when there were none or the driver cannot see them."""

    head: ResponseHead


Effect = Send | Sleep | Now | OpenStream | ReadChunk | ReadTrailers | CloseBody
Op = Generator[Effect, Any, T]
"""An operation that returns a ``T``."""

Stream = Generator[Effect | Emit[T], Any, None]
"""An operation that hands ``T`` items to its caller, page by page."""

_NOW = Now()


def now() -> Generator[Now, float, float]:
    """``t = yield from now()``: the driver's monotonic time in seconds."""
    return (yield _NOW)


def sleep(seconds: float) -> Generator[Sleep, Any, None]:
    """``yield from sleep(s)``: let the driver wait."""
    yield Sleep(seconds)


def send(request: HttpRequest, timeouts: Timeouts) -> Generator[Send, HttpResponse, HttpResponse]:
    """``response = yield from send(...)``: one attempt, no retries (see ``_transport``)."""
    return (yield Send(request, timeouts))
