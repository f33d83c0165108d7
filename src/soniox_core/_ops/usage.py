"""Usage logs, the usage summary, and concurrency limits and history."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from msgspec import Meta

from .._config import ClientConfig
from .._effects import Op, Stream
from .._payloads import _Payload, to_validated
from ..models_usage import (
    GetConcurrencyLimitsResponse,
    GetConcurrentStreamsHistoryResponse,
    GetUsageLogsResponse,
    GetUsageSummaryResponse,
    UsageLogEntry,
)
from ._call import call_parsed
from ._pages import emit_items, for_each_page

__all__ = [
    "concurrency_history",
    "concurrency_limits",
    "list_usage_logs",
    "list_all_usage_logs",
    "usage_summary",
]

_Time = Annotated[str, Meta(min_length=1)]


class _Window(_Payload):
    start_time: _Time
    end_time: _Time


class _UsageLogsQuery(_Window):
    limit: Annotated[int, Meta(ge=1, le=1000)] = 1000
    sort: Literal["end_time_asc", "end_time_desc"] = "end_time_asc"
    cursor: str | None = None


class _HistoryQuery(_Window):
    period_sec: Literal[60, 3600, 86400]
    kind: Literal["stt", "tts"]


def _query(model: type[_Payload], **values: Any) -> dict[str, Any]:
    """Validated query parameters (``SonioxValidationError`` naming the bad one)."""
    validated = to_validated({k: v for k, v in values.items() if v is not None}, model)
    return {k: getattr(validated, k) for k in validated.__struct_fields__}


def list_usage_logs(
    config: ClientConfig,
    start_time: str,
    end_time: str,
    limit: int = 1000,
    sort: str = "end_time_asc",
    cursor: str | None = None,
) -> Op[GetUsageLogsResponse]:
    """``GET /usage-logs``: one page of the window ``[start_time, end_time)``."""
    query = _query(
        _UsageLogsQuery, start_time=start_time, end_time=end_time, limit=limit, sort=sort, cursor=cursor
    )
    return call_parsed(config, GetUsageLogsResponse, "GET", "/usage-logs", query=query)


def list_all_usage_logs(
    config: ClientConfig,
    start_time: str,
    end_time: str,
    limit: int = 1000,
    sort: str = "end_time_asc",
) -> Stream[UsageLogEntry]:
    """Every usage log of the window, page by page. Each cursor goes with the same
    ``start_time``, ``end_time`` and ``sort`` as the first page, as the API requires."""
    _query(_UsageLogsQuery, start_time=start_time, end_time=end_time, limit=limit, sort=sort)
    return for_each_page(
        lambda cursor: list_usage_logs(config, start_time, end_time, limit, sort, cursor),
        lambda page: emit_items(page.usage_logs),
    )


def usage_summary(config: ClientConfig, start_time: str, end_time: str) -> Op[GetUsageSummaryResponse]:
    """``GET /usage/summary``: daily usage of the window, in total and per model."""
    query = _query(_Window, start_time=start_time, end_time=end_time)
    return call_parsed(config, GetUsageSummaryResponse, "GET", "/usage/summary", query=query)


def concurrency_limits(config: ClientConfig) -> Op[GetConcurrencyLimitsResponse]:
    """``GET /concurrency-limits``."""
    return call_parsed(config, GetConcurrencyLimitsResponse, "GET", "/concurrency-limits")


def concurrency_history(
    config: ClientConfig, start_time: str, end_time: str, period_sec: int, kind: str
) -> Op[GetConcurrentStreamsHistoryResponse]:
    """``GET /concurrent-streams-history``: per-period concurrency of one stream kind."""
    query = _query(_HistoryQuery, start_time=start_time, end_time=end_time, period_sec=period_sec, kind=kind)
    return call_parsed(
        config, GetConcurrentStreamsHistoryResponse, "GET", "/concurrent-streams-history", query=query
    )
