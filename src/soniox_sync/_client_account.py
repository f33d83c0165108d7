# Generated from src/soniox_async/_client_account.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""Account namespaces of SonioxClient: ``usage_logs``, ``usage``, ``concurrency_limits``.

Facades over soniox_core operations, named and shaped as in the official
``soniox`` SDK. Generated from ``soniox_async/_client_account.py``; edit that one.

Times are ISO 8601 UTC strings, such as ``"2026-01-31T00:00:00Z"``.
"""

from __future__ import annotations

from collections.abc import Iterator

from soniox_core import (
    ConcurrentStreamKind,
    ConcurrentStreamsPeriodSec,
    GetConcurrencyLimitsResponse,
    GetConcurrentStreamsHistoryResponse,
    GetUsageLogsResponse,
    GetUsageSummaryResponse,
    UsageLogEntry,
    UsageLogsSort,
)
from soniox_core._ops import usage as _usage

from ._client import _Namespace

__all__ = ["ConcurrencyLimitsAPI", "UsageAPI", "UsageLogsAPI"]


class UsageLogsAPI(_Namespace):
    """Per-request usage logs of the project (successful requests only)."""

    def list(
        self,
        start_time: str,
        end_time: str,
        limit: int = 1000,
        sort: UsageLogsSort = "end_time_asc",
        cursor: str | None = None,
    ) -> GetUsageLogsResponse:
        """One page of usage logs of requests that ended in ``[start_time, end_time)``, ``GET /usage-logs``.

        The window may span at most 31 days and start at most 91 days ago.

        Args:
            start_time: Start of the window (inclusive).
            end_time: End of the window (exclusive).
            limit: Entries per page, 1 to 1000.
            sort: ``"end_time_asc"`` or ``"end_time_desc"``.
            cursor: ``next_page_cursor`` of the previous page; pass the same window and sort with it.

        Returns:
            A page of entries and the cursor of the next one.

        Raises:
            SonioxValidationError: An argument is out of range (nothing was sent).
            SonioxAPIError: The service refused (for example a window that is too long).
        """
        return self._run(
            _usage.list_usage_logs(self._config, start_time, end_time, limit, sort, cursor)
        )

    def list_all(
        self,
        start_time: str,
        end_time: str,
        limit: int = 1000,
        sort: UsageLogsSort = "end_time_asc",
    ) -> Iterator[UsageLogEntry]:
        """Iterate through every usage log of the window, following the cursors.

        Args:
            start_time: Start of the window (inclusive).
            end_time: End of the window (exclusive).
            limit: Entries fetched per request, 1 to 1000.
            sort: ``"end_time_asc"`` or ``"end_time_desc"``.

        Returns:
            An iterator of entries, in the chosen order.

        Raises:
            SonioxValidationError: An argument is out of range.
            SonioxAPIError: The service refused.
        """
        op = _usage.list_all_usage_logs(self._config, start_time, end_time, limit, sort)
        for page in self._iterate_pages(op):
            for item in page:
                yield item


class UsageAPI(_Namespace):
    """Aggregated usage of the project."""

    def summary(self, start_time: str, end_time: str) -> GetUsageSummaryResponse:
        """Daily cost and activity, in total and per model, ``GET /usage/summary``.

        Whole UTC days touched by ``[start_time, end_time)`` are included (at most 366).

        Args:
            start_time: Start of the window (inclusive).
            end_time: End of the window (exclusive).

        Returns:
            The totals and the per-model entries, each with per-day lists aligned to ``days``.

        Raises:
            SonioxValidationError: A time is missing (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return self._run(_usage.usage_summary(self._config, start_time, end_time))


class ConcurrencyLimitsAPI(_Namespace):
    """Concurrent streams of the project and its organization, in this region."""

    def get(self) -> GetConcurrencyLimitsResponse:
        """Current concurrent streams and the caps, ``GET /concurrency-limits``.

        Returns:
            Project and organization counts and limits (None: no cap of its own).

        Raises:
            SonioxAPIError: The service refused.
        """
        return self._run(_usage.concurrency_limits(self._config))

    def history(
        self,
        start_time: str,
        end_time: str,
        *,
        period_sec: ConcurrentStreamsPeriodSec,
        kind: ConcurrentStreamKind,
    ) -> GetConcurrentStreamsHistoryResponse:
        """Concurrent streams per period over a window, ``GET /concurrent-streams-history``.

        Args:
            start_time: Start of the window (inclusive).
            end_time: End of the window (exclusive).
            period_sec: 60, 3600 or 86400 (this also caps the window's length).
            kind: ``"stt"`` or ``"tts"``.

        Returns:
            One entry per period of the window, idle ones all zeros.

        Raises:
            SonioxValidationError: An argument is out of range (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return self._run(
            _usage.concurrency_history(self._config, start_time, end_time, period_sec, kind)
        )
