"""When the next keepalive is due.

The service may close a session that hears neither audio nor a keepalive for
about 20 seconds. The schedule only does arithmetic on times the driver gives
it; the driver owns the clock and the sleeping.
"""

from __future__ import annotations

from soniox_core import _validate as check

__all__ = ["DEFAULT_KEEPALIVE_INTERVAL_SEC", "KeepaliveSchedule"]

# The official SDK's interval; well inside the service's 20 s idle limit.
DEFAULT_KEEPALIVE_INTERVAL_SEC = 5.0
# The service drops a session idle for about 20 s, so a longer interval only makes
# sense to let it do so (tests of the idle timeout); an hour is plenty for that.
MAX_KEEPALIVE_INTERVAL_SEC = 3600.0


class KeepaliveSchedule:
    """Tracks the last frame that counts as activity and when a keepalive falls due."""

    def __init__(self, interval_sec: float = DEFAULT_KEEPALIVE_INTERVAL_SEC) -> None:
        self.interval_sec = check.seconds(
            interval_sec, "keepalive_interval_sec", maximum=MAX_KEEPALIVE_INTERVAL_SEC
        )
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
