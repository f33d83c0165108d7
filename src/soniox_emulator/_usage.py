"""What the emulator served: usage log entries, open streams and their history.

Entries are written by the endpoints as work completes (a transcription becomes
visible in the logs once the clock says it completed). Concurrency counts open
realtime STT sessions (``stt``) and TTS WebSocket streams plus active ``POST /tts``
requests (``tts``); every change is sampled for the streams history.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

# USD per unit; only the shape of the numbers matters to clients.
_RATES = {
    "stt_async_audio_ms": Decimal("0.10") / 3_600_000,
    "stt_rt_audio_ms": Decimal("0.12") / 3_600_000,
    "text_token": Decimal("0.000002"),
    "tts_input_text_token": Decimal("0.00001"),
    "tts_output_audio_ms": Decimal("0.0000005"),
}
_QUANTUM = Decimal("0.0000000001")


def iso(moment: datetime) -> str:
    """RFC 3339 UTC with milliseconds and ``Z``."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def money(value: Decimal) -> str:
    """A cost as the service writes it: a decimal string with ten places."""
    return f"{value.quantize(_QUANTUM):f}"


@dataclass
class UsageEntry:
    """One completed request, as ``GET /v1/usage-logs`` reports it."""

    model: str
    start: datetime
    end: datetime
    visible_clock: float
    client_reference_id: str = ""
    input_text_tokens: int = 0
    input_audio_tokens: int = 0
    input_audio_duration_ms: int = 0
    output_text_tokens: int = 0
    output_audio_tokens: int = 0
    output_audio_duration_ms: int = 0
    input_text_cost: Decimal = Decimal(0)
    input_audio_cost: Decimal = Decimal(0)
    output_text_cost: Decimal = Decimal(0)
    output_audio_cost: Decimal = Decimal(0)
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def cost(self) -> Decimal:
        """Total cost."""
        return self.input_cost + self.output_cost

    @property
    def input_cost(self) -> Decimal:
        """Cost of the input."""
        return self.input_text_cost + self.input_audio_cost

    @property
    def output_cost(self) -> Decimal:
        """Cost of the output."""
        return self.output_text_cost + self.output_audio_cost

    def to_json(self) -> dict[str, Any]:
        """The UsageLogEntry schema."""
        return {
            "uuid": self.uuid,
            "request_scope": "api",
            "client_reference_id": self.client_reference_id,
            "model": self.model,
            "start_time": iso(self.start),
            "end_time": iso(self.end),
            "input_text_tokens": self.input_text_tokens,
            "input_audio_tokens": self.input_audio_tokens,
            "input_audio_duration_ms": self.input_audio_duration_ms,
            "output_text_tokens": self.output_text_tokens,
            "output_audio_tokens": self.output_audio_tokens,
            "output_audio_duration_ms": self.output_audio_duration_ms,
            "cost_usd": money(self.cost),
            "input_cost_usd": money(self.input_cost),
            "input_text_cost_usd": money(self.input_text_cost),
            "input_audio_cost_usd": money(self.input_audio_cost),
            "output_cost_usd": money(self.output_cost),
            "output_text_cost_usd": money(self.output_text_cost),
            "output_audio_cost_usd": money(self.output_audio_cost),
        }


def _text_tokens(text: str) -> int:
    return max(1, len(text) // 4) if text else 0


def transcription_entry(
    model: str,
    text: str,
    audio_ms: int,
    start: datetime,
    seconds: float,
    visible_clock: float,
    client_reference_id: str | None,
    realtime: bool,
) -> UsageEntry:
    """The entry of a finished transcription (async or realtime)."""
    rate = _RATES["stt_rt_audio_ms" if realtime else "stt_async_audio_ms"]
    tokens = _text_tokens(text)
    return UsageEntry(
        model=model,
        start=start,
        end=start + timedelta(seconds=seconds),
        visible_clock=visible_clock,
        client_reference_id=client_reference_id or "",
        input_audio_tokens=audio_ms // 120,
        input_audio_duration_ms=audio_ms,
        output_text_tokens=tokens,
        input_audio_cost=rate * audio_ms,
        output_text_cost=_RATES["text_token"] * tokens,
    )


def tts_entry(
    model: str,
    text: str,
    audio_ms: int,
    start: datetime,
    end: datetime,
    visible_clock: float,
    client_reference_id: str | None,
) -> UsageEntry:
    """The entry of a finished TTS request or stream."""
    tokens = _text_tokens(text)
    return UsageEntry(
        model=model,
        start=start,
        end=end,
        visible_clock=visible_clock,
        client_reference_id=client_reference_id or "",
        input_text_tokens=tokens,
        output_audio_tokens=audio_ms // 40,
        output_audio_duration_ms=audio_ms,
        input_text_cost=_RATES["tts_input_text_token"] * tokens,
        output_audio_cost=_RATES["tts_output_audio_ms"] * audio_ms,
    )


class ConcurrencyLimitExceeded(Exception):
    """A new stream would exceed a limit; ``tier`` is ``organization`` or ``project``."""

    def __init__(self, kind: str, tier: str) -> None:
        super().__init__(f"{kind} {tier}")
        self.kind = kind
        self.tier = tier


class Usage:
    """Usage logs and concurrency, shared by every endpoint. Thread-safe.

    Tests may set ``limits[tier][kind]`` (tier ``project``/``organization``, kind
    ``transcribe_concurrent``/``tts_concurrent``); ``None`` means no cap.
    """

    def __init__(self, clock: Callable[[], float], now: Callable[[], datetime] | None = None) -> None:
        self.clock = clock
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.lock = threading.Lock()
        self.entries: list[UsageEntry] = []
        self.current = {"stt": 0, "tts": 0}
        self.samples: list[tuple[datetime, str, int]] = []
        self.limits: dict[str, dict[str, int | None]] = {}
        self.clear()

    def clear(self) -> None:
        """Forget all usage and open-stream counts; limits back to none."""
        with self.lock:
            self.entries.clear()
            self.current = {"stt": 0, "tts": 0}
            self.samples.clear()
            self.limits = {
                "project": {"transcribe_concurrent": None, "tts_concurrent": None},
                "organization": {"transcribe_concurrent": None, "tts_concurrent": None},
            }

    def add(self, entry: UsageEntry) -> None:
        """Record a completed request."""
        with self.lock:
            self.entries.append(entry)

    def visible(self) -> list[UsageEntry]:
        """Entries whose work has completed by the emulator's clock."""
        now = self.clock()
        with self.lock:
            return [e for e in self.entries if e.visible_clock <= now]

    def open_stream(self, kind: str) -> None:
        """Count a new stream (``stt`` or ``tts``), or raise if a limit is reached."""
        limit_key = "transcribe_concurrent" if kind == "stt" else "tts_concurrent"
        with self.lock:
            for tier in ("organization", "project"):  # the service checks the org first
                cap = self.limits[tier][limit_key]
                if cap is not None and self.current[kind] >= cap:
                    raise ConcurrencyLimitExceeded(kind, tier)
            self.current[kind] += 1
            self.samples.append((self.now(), kind, self.current[kind]))

    def close_stream(self, kind: str) -> None:
        """A stream ended."""
        with self.lock:
            self.current[kind] = max(0, self.current[kind] - 1)
            if self.current[kind]:  # idle is what the history reports for unsampled periods
                self.samples.append((self.now(), kind, self.current[kind]))

    def snapshot(self) -> dict[str, Any]:
        """The GetConcurrencyLimitsResponse body."""
        with self.lock:
            current = {"transcribe_concurrent": self.current["stt"], "tts_concurrent": self.current["tts"]}
            return {
                tier: {"current": dict(current), "limits": dict(self.limits[tier])}
                for tier in ("project", "organization")
            }

    def history(self, kind: str, start: datetime, end: datetime, period: int) -> list[dict[str, Any]]:
        """Per-period aggregates of ``kind`` for periods starting in [start, end)."""
        with self.lock:
            samples = [(t, v) for t, k, v in self.samples if k == kind]
        minutes: dict[int, list[int]] = {}
        for moment, value in samples:
            minutes.setdefault(int(moment.timestamp()) // 60, []).append(value)
        epoch = int(start.timestamp())
        first = -(-epoch // period) * period
        out = []
        period_at = first
        stop = end.timestamp()
        while period_at < stop:
            values: list[int] = []
            slots_with_data = 0
            slot = 60 if period == 60 else (60 if period == 3600 else 3600)
            for sub in range(period_at, period_at + period, slot):
                sub_values = [v for m in range(sub // 60, (sub + slot) // 60) for v in minutes.get(m, [])]
                if sub_values:
                    slots_with_data += 1
                    values.extend(sub_values)
            active = bool(values)
            out.append(
                {
                    "period_start": iso(datetime.fromtimestamp(period_at, timezone.utc)),
                    "period_sec": period,
                    "sample_min": 0,
                    "sample_max": max(values) if values else 0,
                    "sample_sum": sum(values),
                    "sample_count": (len(values) if period == 60 else slots_with_data) if active else 0,
                    "total_count": (period // slot if period != 60 else 1) if active else 0,
                }
            )
            period_at += period
        return out
