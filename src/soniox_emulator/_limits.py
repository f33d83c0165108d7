"""Account limits for batch work, off by default (``emulator.limits``).

Each limit, once set by a test, answers like the service: 429 ``limit_exceeded`` with
the message the document gives, naming the ``tier`` (``organization`` by default).
Rates are counted per API group over the last 60 s of the emulator's clock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._http import ApiErrorException

if TYPE_CHECKING:
    from ._state import State

_WINDOW_SEC = 60.0

# Route template prefixes and the group name the service's messages use.
_GROUPS = (
    ("/v1/files", "file management"),
    ("/v1/transcriptions", "async transcription"),
    ("/v1/models", "model listing"),
    ("/v1/tts-models", "model listing"),
    ("/v1/shared-voices", "model listing"),
    ("/v1/usage-logs", "usage logs"),
    ("/tts", "text-to-speech"),
)


def rate_group(route: str) -> str | None:
    """The per-minute limit group of a route template (None: the general limit)."""
    for prefix, group in _GROUPS:
        if route == prefix or route.startswith(prefix + "/"):
            return group
    return None


def _limit_exceeded(message: str) -> ApiErrorException:
    return ApiErrorException(429, "limit_exceeded", message, headers=[("Retry-After", "1")])


class AccountLimits:
    """Limits a test may set; ``None`` (the default) means no limit.

    - ``requests_per_minute``: per group (``"file management"``, ``"async transcription"``,
      ``"model listing"``, ``"usage logs"``, ``"text-to-speech"``, or ``None`` for every
      other route) -> requests allowed in any 60 s of the emulator's clock.
    - ``max_files``, ``max_total_file_bytes``: caps on stored files.
    - ``max_transcriptions``: cap on stored transcriptions; ``max_pending_transcriptions``:
      cap on transcriptions still queued or processing.
    - ``tier``: which tier the messages name, ``"organization"`` or ``"project"``.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str | None, deque[float]] = {}
        self.requests_per_minute: dict[str | None, int] = {}
        self.max_files: int | None = None
        self.max_total_file_bytes: int | None = None
        self.max_transcriptions: int | None = None
        self.max_pending_transcriptions: int | None = None
        self.tier = "organization"

    def clear(self) -> None:
        """Every limit off, counts forgotten."""
        self.__init__(self._clock)  # type: ignore[misc]

    def rate_message(self, route: str) -> str | None:
        """Count a request; the service's message if it is over its group's rate."""
        group = rate_group(route)
        cap = self.requests_per_minute.get(group)
        if cap is None:
            return None
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(group, deque())
            while seen and seen[0] <= now - _WINDOW_SEC:
                seen.popleft()
            if len(seen) >= cap:
                what = f" for {group}" if group else ""
                return f"Requests per minute limit{what} has been exceeded for your {self.tier}."
            seen.append(now)
        return None

    def check_rate(self, route: str) -> None:
        """Raise the 429 for a request over its group's rate."""
        message = self.rate_message(route)
        if message is not None:
            raise _limit_exceeded(message)

    def check_file_count(self, state: State) -> None:
        """Before an upload: is there room for one more file?"""
        if self.max_files is not None and state.count("files") >= self.max_files:
            raise _limit_exceeded(
                f"Total file count limit has been exceeded for your {self.tier}. Please delete some."
            )

    def check_file_size(self, state: State, size: int) -> None:
        """After an upload's body: does it fit in the total size cap?"""
        if self.max_total_file_bytes is None:
            return
        with state.lock:
            stored = sum(f.size for f in state.files.values())
        if stored + size > self.max_total_file_bytes:
            raise _limit_exceeded(
                f"Total file size limit has been exceeded for your {self.tier}. Please delete some."
            )

    def check_transcriptions(self, state: State) -> None:
        """Before a transcription is created: total and pending caps."""
        with state.lock:
            records = list(state.transcriptions.values())
        if self.max_transcriptions is not None and len(records) >= self.max_transcriptions:
            raise _limit_exceeded(
                f"Total transcription count limit for your {self.tier} has been exceeded. Please delete some."
            )
        if self.max_pending_transcriptions is not None:
            now = state.clock()
            pending = sum(1 for r in records if r.status(now) in ("queued", "processing"))
            if pending >= self.max_pending_transcriptions:
                raise _limit_exceeded(
                    f"Pending transcription count limit for your {self.tier} has been exceeded. "
                    "Wait for some transcriptions to finish."
                )
