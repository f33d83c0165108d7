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
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._config import Timeouts
from ._http import HttpRequest, HttpResponse

__all__ = ["Emit", "Now", "Op", "Send", "Sleep", "Stream", "now", "sleep"]

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


Effect = Send | Sleep | Now
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
