"""Typed models of usage logs, the usage summary and concurrency limits.

Field for field from the OpenAPI document, named as the official ``soniox``
SDK names them. Costs are decimal strings (``"0.0012500000"``), as the API
sends them: parse with ``decimal.Decimal`` to add them up exactly. Unknown
fields are ignored and enum-like fields are plain ``str``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

from .models import _Model

__all__ = [
    "ConcurrencyCurrentValues",
    "ConcurrencyLimitValues",
    "ConcurrencyScopeValues",
    "ConcurrentStreamKind",
    "ConcurrentStreamsHistoryEntry",
    "ConcurrentStreamsPeriodSec",
    "GetConcurrencyLimitsResponse",
    "GetConcurrentStreamsHistoryResponse",
    "GetUsageLogsResponse",
    "GetUsageSummaryResponse",
    "UsageLogEntry",
    "UsageLogsSort",
    "UsageSummaryEntry",
]

UsageLogsSort = Literal["end_time_asc", "end_time_desc"]
"""Orders of ``usage_logs.list``, by the requests' end time."""

ConcurrentStreamKind = Literal["stt", "tts"]
"""Kinds of stream ``concurrency_limits.history`` reports on."""

ConcurrentStreamsPeriodSec = Literal[60, 3600, 86400]
"""Aggregation periods of ``concurrency_limits.history``: a minute, an hour, a day."""


# --- Usage logs ---------------------------------------------------------------------


class UsageLogEntry(_Model):
    """One successfully completed request and what it cost."""

    uuid: str
    request_scope: str
    client_reference_id: str
    model: str
    start_time: datetime
    end_time: datetime
    input_text_tokens: int = 0
    input_audio_tokens: int = 0
    input_audio_duration_ms: int = 0
    output_text_tokens: int = 0
    output_audio_tokens: int = 0
    output_audio_duration_ms: int = 0
    cost_usd: str = "0"
    input_cost_usd: str = "0"
    input_text_cost_usd: str = "0"
    input_audio_cost_usd: str = "0"
    output_cost_usd: str = "0"
    output_text_cost_usd: str = "0"
    output_audio_cost_usd: str = "0"


class GetUsageLogsResponse(_Model):
    """One page of usage logs, ordered by end time as asked."""

    usage_logs: list[UsageLogEntry]
    next_page_cursor: str | None = None


# --- Usage summary ----------------------------------------------------------------


class UsageSummaryEntry(_Model):
    """Daily usage of one model (or of all, when ``model`` is None).

    Every per-day list is aligned by index with ``days``; days without usage
    are zeros.
    """

    model: str | None = None
    days: list[date] = msgspec.field(default_factory=list)
    total_cost_usd: str = "0"
    total_input_cost_usd: str = "0"
    total_output_cost_usd: str = "0"
    total_duration_cost_usd: str = "0"
    cost_usd: list[str] = msgspec.field(default_factory=list)
    input_cost_usd: list[str] = msgspec.field(default_factory=list)
    output_cost_usd: list[str] = msgspec.field(default_factory=list)
    duration_cost_usd: list[str] = msgspec.field(default_factory=list)
    total_num_requests: int = 0
    total_input_text_tokens: int = 0
    total_input_audio_tokens: int = 0
    total_input_audio_duration_ms: int = 0
    total_output_text_tokens: int = 0
    total_output_audio_tokens: int = 0
    total_output_audio_duration_ms: int = 0
    total_duration_ms: int = 0
    num_requests: list[int] = msgspec.field(default_factory=list)
    input_text_tokens: list[int] = msgspec.field(default_factory=list)
    input_audio_tokens: list[int] = msgspec.field(default_factory=list)
    input_audio_duration_ms: list[int] = msgspec.field(default_factory=list)
    output_text_tokens: list[int] = msgspec.field(default_factory=list)
    output_audio_tokens: list[int] = msgspec.field(default_factory=list)
    output_audio_duration_ms: list[int] = msgspec.field(default_factory=list)
    duration_ms: list[int] = msgspec.field(default_factory=list)


class GetUsageSummaryResponse(_Model):
    """Daily cost and activity of the project, in total and per model."""

    total: UsageSummaryEntry
    models: list[UsageSummaryEntry] = msgspec.field(default_factory=list)


# --- Concurrency ----------------------------------------------------------------------


class ConcurrencyCurrentValues(_Model):
    """Streams open right now: STT WebSocket sessions, and TTS streams plus
    ``POST /tts`` requests."""

    transcribe_concurrent: int = 0
    tts_concurrent: int = 0


class ConcurrencyLimitValues(_Model):
    """Configured caps; None means no cap of this scope's own."""

    transcribe_concurrent: int | None = None
    tts_concurrent: int | None = None


class ConcurrencyScopeValues(_Model):
    """Current counts and caps of one scope (project or organization)."""

    current: ConcurrencyCurrentValues
    limits: ConcurrencyLimitValues


class GetConcurrencyLimitsResponse(_Model):
    """Concurrency of the project and of its organization, in this region."""

    project: ConcurrencyScopeValues
    organization: ConcurrencyScopeValues


class ConcurrentStreamsHistoryEntry(_Model):
    """Concurrent streams over one period: ``sample_max`` is the peak;
    ``sample_sum / total_count`` the average counting idle slots as zero."""

    period_start: datetime
    period_sec: int
    sample_min: int = 0
    sample_max: int = 0
    sample_sum: int = 0
    sample_count: int = 0
    total_count: int = 0


class GetConcurrentStreamsHistoryResponse(_Model):
    """Per-period concurrency of one stream kind, every period of the window present."""

    kind: str
    entries: list[ConcurrentStreamsHistoryEntry] = msgspec.field(default_factory=list)
