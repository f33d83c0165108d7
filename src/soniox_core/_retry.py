"""Retry decisions: which failures are worth another attempt, and how long to wait."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ._errors import SonioxAPIError, SonioxTransportError

__all__ = ["RetryPolicy"]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped, honouring ``Retry-After``.

    ``random`` is injectable so tests can make the jitter deterministic.
    """

    max_retries: int
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    random: Callable[[], float] = random.random

    def should_retry(
        self, attempt: int, idempotent: bool, failure: SonioxAPIError | SonioxTransportError
    ) -> bool:
        """Whether attempt number ``attempt`` (1-based) that failed so deserves another.

        A request that is not idempotent (a POST that creates something) is
        repeated only when it provably never reached the server, or was refused
        with 429 (rate limited: nothing was created), so nothing is ever created twice.
        """
        if attempt > self.max_retries:
            return False
        if isinstance(failure, SonioxTransportError):
            return idempotent or not failure.request_sent
        # A 429 says the service turned the request away without doing anything,
        # so even a POST that creates something is safe to repeat.
        if not idempotent and failure.status_code != 429:
            return False
        if failure.retry_after is not None and failure.retry_after > self.max_retry_after:
            return False
        return failure.status_code in RETRYABLE_STATUSES

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1``."""
        if retry_after is not None:
            return retry_after
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling * self.random()
