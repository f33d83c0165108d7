"""``soniox usage`` and ``soniox limits``: what the project spent, and its concurrency."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from soniox_core.models_usage import (
    GetConcurrencyLimitsResponse,
    GetConcurrentStreamsHistoryResponse,
    GetUsageSummaryResponse,
    UsageLogEntry,
    UsageSummaryEntry,
)

from ._connect import Connection
from ._errors import EXIT_OK, EXIT_USAGE, CLIError
from ._output import Output
from ._render import to_json
from ._resources import _table, _when
from ._times import DEFAULT_SINCE, window

__all__ = ["check", "limits", "usage"]

DEFAULT_PERIOD_SEC = 3600


def check(args: argparse.Namespace) -> None:
    """Read ``--since``/``--until`` before connecting (sets ``args.window``), and
    refuse ``limits`` options that only ``--history`` uses.

    Raises:
        CLIError: A time cannot be read, the window is empty, or a history
            option was given without ``--history`` (exit code 2).
    """
    if args.command == "limits":
        if not args.history:
            given = [f"--{name}" for name in ("since", "until", "period", "kind") if getattr(args, name)]
            if given:
                raise CLIError(f"{', '.join(given)}: only with --history", exit_code=EXIT_USAGE)
            return
        args.period = args.period or DEFAULT_PERIOD_SEC
        args.kind = args.kind or "stt"
    args.window = window(args.since or DEFAULT_SINCE, args.until)


def _cost(value: str) -> str:
    try:
        return f"{Decimal(value):.6f}"
    except InvalidOperation:
        return value


def _duration(ms: int) -> str:
    """``0:01:05`` (hours:minutes:seconds), ``-`` for none."""
    if not ms:
        return "-"
    seconds = round(ms / 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _summary_row(name: str, entry: UsageSummaryEntry) -> tuple[str, ...]:
    return (
        name,
        str(entry.total_num_requests),
        _duration(entry.total_input_audio_duration_ms),
        _duration(entry.total_output_audio_duration_ms),
        str(entry.total_input_text_tokens),
        str(entry.total_output_text_tokens),
        _cost(entry.total_cost_usd),
    )


def _summary_text(summary: GetUsageSummaryResponse, start: str, end: str) -> str:
    header = ("MODEL", "REQUESTS", "AUDIO IN", "AUDIO OUT", "TEXT IN", "TEXT OUT", "COST USD")
    rows = [_summary_row(m.model or "?", m) for m in summary.models]
    rows.append(_summary_row("total", summary.total))
    return f"Usage from {start} to {end} (UTC)\n" + _table(rows, header)


def _logs_text(logs: Sequence[UsageLogEntry]) -> str:
    if not logs:
        return "No requests in the window.\n"
    header = ("ENDED", "MODEL", "AUDIO IN", "AUDIO OUT", "COST USD", "REFERENCE")
    rows = [
        (
            _when(e.end_time),
            e.model,
            _duration(e.input_audio_duration_ms),
            _duration(e.output_audio_duration_ms),
            _cost(e.cost_usd),
            e.client_reference_id,
        )
        for e in logs
    ]
    return _table(rows, header)


def usage(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Print the window's cost and activity per model; with ``--logs``, every request too."""
    start, end = args.window
    summary = conn.client.usage.summary(start, end)
    logs = list(conn.client.usage_logs.list_all(start, end)) if args.logs else None
    if args.format == "json":
        document: dict[str, Any] = {"start_time": start, "end_time": end, "summary": summary}
        if logs is not None:
            document["logs"] = logs
        output.write(to_json(document))
        return EXIT_OK
    text = _summary_text(summary, start, end)
    if logs is not None:
        text += "\n" + _logs_text(logs)
    output.write(text)
    return EXIT_OK


def _json_with_nulls(value: Any) -> str:
    # A null limit means "no cap of its own", which is information: keep it.
    return msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n"


def _cap(value: int | None) -> str:
    return "none" if value is None else str(value)


def _limits_text(found: GetConcurrencyLimitsResponse) -> str:
    header = ("SCOPE", "STT NOW", "STT CAP", "TTS NOW", "TTS CAP")
    rows = [
        (
            name,
            str(scope.current.transcribe_concurrent),
            _cap(scope.limits.transcribe_concurrent),
            str(scope.current.tts_concurrent),
            _cap(scope.limits.tts_concurrent),
        )
        for name, scope in (("project", found.project), ("organization", found.organization))
    ]
    return _table(rows, header)


def _history_text(history: GetConcurrentStreamsHistoryResponse, start: str, end: str) -> str:
    header = ("PERIOD START", "MIN", "MAX", "AVERAGE")
    rows = [
        (
            _when(e.period_start),
            str(e.sample_min),
            str(e.sample_max),
            f"{e.sample_sum / e.total_count:.2f}" if e.total_count else "0.00",
        )
        for e in history.entries
    ]
    title = f"Concurrent {history.kind} streams from {start} to {end} (UTC)\n"
    return title + (_table(rows, header) if rows else "No periods in the window.\n")


def limits(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Print current concurrent streams and caps, or with ``--history`` their peaks per period."""
    if args.history:
        start, end = args.window
        history = conn.client.concurrency_limits.history(start, end, period_sec=args.period, kind=args.kind)
        if args.format == "json":
            output.write(_json_with_nulls(history))
        else:
            output.write(_history_text(history, start, end))
        return EXIT_OK
    found = conn.client.concurrency_limits.get()
    output.write(_json_with_nulls(found) if args.format == "json" else _limits_text(found))
    return EXIT_OK
