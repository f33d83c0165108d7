"""When the next keepalive is due.

The service may close a session that hears neither audio nor a keepalive for
about 20 seconds. The schedule only does arithmetic on times the driver gives
it; the driver owns the clock and the sleeping.
"""

from __future__ import annotations

from soniox_core._errors import SonioxValidationError

__all__ = ["DEFAULT_KEEPALIVE_INTERVAL_SEC", "KeepaliveSchedule"]

# The official SDK's interval; well inside the service's 20 s idle limit.
DEFAULT_KEEPALIVE_INTERVAL_SEC = 5.0


class KeepaliveSchedule:
    """Tracks the last frame that counts as activity and when a keepalive falls due."""

    def __init__(self, interval_sec: float = DEFAULT_KEEPALIVE_INTERVAL_SEC) -> None:
        if not isinstance(interval_sec, (int, float)) or interval_sec <= 0:
            raise SonioxValidationError(
                "must be a positive number of seconds", field="keepalive_interval_sec"
            )
        self.interval_sec = float(interval_sec)
        self._last_activity: float | None = None

    def note_activity(self, now: float) -> None:
        """Audio or a keepalive went out at ``now``."""
        self._last_activity = now

    def due_at(self) -> float | None:
        """The time a keepalive is due, or ``None`` before any activity."""
        if self._last_activity is None:
            return None
        return self._last_activity + self.interval_sec

    def is_due(self, now: float) -> bool:
        """Whether a keepalive should go out at ``now``."""
        due = self.due_at()
        return due is not None and now >= due
