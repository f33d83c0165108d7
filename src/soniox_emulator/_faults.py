"""Fault injection: per-test rules that make matching HTTP requests misbehave."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = frozenset(
    {
        "latency",
        "status",
        "reset_before_read",
        "reset_after_read",
        "truncated_body",
        "slow_body",
        "tts_stream_error",
    }
)

# Parameters each kind understands, with their defaults.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "latency": {"seconds": 0.2},
    "status": {"status": 500, "retry_after": None, "error_type": None, "message": None},
    "reset_before_read": {},
    "reset_after_read": {},
    "truncated_body": {},
    "slow_body": {"chunk_size": 16, "interval": 0.02},
    "tts_stream_error": {"after_bytes": 4096, "error_code": 500, "message": None, "trailers": True},
}


@dataclass
class Fault:
    """One injected fault.

    ``remaining`` counts down per matching request (``None`` = forever); ``hits`` counts
    the requests it was applied to, so tests can assert that it fired.
    """

    kind: str
    method: str | None
    path: str | None
    remaining: int | None
    params: dict[str, Any] = field(default_factory=dict)
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Method compared case-insensitively; path as a prefix of the request path."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or path.startswith(self.path)


class Faults:
    """The emulator's fault table (``emulator.faults``). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(
        self,
        kind: str,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int | None = 1,
        **params: Any,
    ) -> Fault:
        """Make the next ``times`` requests matching ``method`` and path prefix ``path`` fail.

        Kinds and their parameters:

        - ``latency`` (``seconds=0.2``): wait before handling the request normally.
        - ``status`` (``status=500``, ``retry_after=None``, ``error_type=None``,
          ``message=None``): answer with that status instead of handling the request.
          JSON ApiError bodies, except 502 which is an HTML gateway page; 429 gets a
          ``Retry-After`` header (``retry_after``, default ``1``).
        - ``reset_before_read``: reset the TCP connection before the handler runs.
        - ``reset_after_read``: run the handler (the side effect happens), then reset
          the connection instead of answering.
        - ``truncated_body``: send the status line, headers and part of the body, then
          close, so the body is shorter than Content-Length.
        - ``slow_body`` (``chunk_size=16``, ``interval=0.02``): trickle the body.
        - ``tts_stream_error`` (``after_bytes=4096``, ``error_code=500``, ``message=None``,
          ``trailers=True``): ``POST /tts`` only. Stream that much audio (chunked), then
          fail: with ``X-Tts-Error-Code``/``X-Tts-Error-Message`` trailers, or (``trailers=False``)
          by closing the connection without the final chunk.

        ``times=None`` keeps the fault active until :meth:`clear`. When several faults
        match a request, the earliest injected one applies.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        unknown = set(params) - set(_DEFAULTS[kind])
        if unknown:
            raise TypeError(f"fault {kind!r} does not take {sorted(unknown)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for no limit)")
        fault = Fault(kind, method, path, times, {**_DEFAULTS[kind], **params})
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request, if any, spending one of its uses."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    @property
    def active(self) -> list[Fault]:
        """The faults still waiting to fire."""
        with self._lock:
            return list(self._faults)
