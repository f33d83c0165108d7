"""Handlers for usage logs, the usage summary, concurrency limits and streams history."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from ._context import Context, invalid_cursor
from ._http import ApiErrorException, Response, ValidationError, invalid_request, json_response
from ._usage import UsageEntry, money

_SORTS = ("end_time_asc", "end_time_desc")
_HISTORY_WINDOWS = {60: 7, 3600: 92, 86400: 731}  # days each period may cover
_MAX_HISTORY_ENTRIES = 20000


def _payload_error(message: str) -> ApiErrorException:
    return invalid_request([ValidationError("value_error", "query.payload", message)])


def _parse_time(query: dict[str, str], name: str, errors: list[ValidationError]) -> datetime | None:
    raw = query.get(name)
    if not raw:
        errors.append(ValidationError("missing", f"query.{name}", "Field required"))
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        errors.append(
            ValidationError("value_error", f"query.{name}", "Input should be an ISO 8601 timestamp in UTC")
        )
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _window(ctx: Context, errors: list[ValidationError]) -> tuple[datetime, datetime]:
    start = _parse_time(ctx.query, "start_time", errors)
    end = _parse_time(ctx.query, "end_time", errors)
    if errors or start is None or end is None:
        raise invalid_request(errors)
    if end <= start:
        raise _payload_error("end_time must be strictly after start_time.")
    return start, end


# Usage logs ---------------------------------------------------------------------------


def _encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise invalid_cursor() from None
    if not isinstance(payload, dict) or payload.get("k") != "usage" or not isinstance(payload.get("t"), str):
        raise invalid_cursor()
    return payload


async def get_usage_logs(ctx: Context) -> Response:
    """GET /v1/usage-logs: what the emulator served, by request end time."""
    errors: list[ValidationError] = []
    limit = 1000
    raw_limit = ctx.query.get("limit")
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
        except ValueError:
            limit = 0
        if not 1 <= limit <= 1000:
            errors.append(ValidationError("value_error", "query.limit", "Input should be between 1 and 1000"))
    sort = ctx.query.get("sort") or "end_time_asc"
    if sort not in _SORTS:
        errors.append(
            ValidationError("enum", "query.sort", "Input should be 'end_time_asc' or 'end_time_desc'")
        )
    start, end = _window(ctx, errors)
    if end - start > timedelta(days=31):
        raise _payload_error("The period between start_time and end_time must not exceed 31 days.")
    if start < datetime.now(timezone.utc) - timedelta(days=91):
        raise _payload_error("start_time must not be more than 91 days in the past.")
    descending = sort == "end_time_desc"
    entries = [e for e in ctx.emulator.usage.visible() if start <= e.end < end]
    entries.sort(key=lambda e: (e.end, e.uuid), reverse=descending)
    cursor = ctx.query.get("cursor") or None
    if cursor is not None:
        state = _decode_cursor(cursor)
        if (state.get("s"), state.get("e"), state.get("o")) != (start.isoformat(), end.isoformat(), sort):
            raise _payload_error("The cursor does not match the supplied start_time, end_time and sort.")
        after = (datetime.fromisoformat(state["t"]), str(state.get("u")))
        entries = [e for e in entries if ((e.end, e.uuid) < after if descending else (e.end, e.uuid) > after)]
    page = entries[:limit]
    next_cursor = None
    if len(entries) > limit:
        last = page[-1]
        next_cursor = _encode_cursor(
            {
                "k": "usage",
                "s": start.isoformat(),
                "e": end.isoformat(),
                "o": sort,
                "t": last.end.isoformat(),
                "u": last.uuid,
            }
        )
    return json_response(200, {"usage_logs": [e.to_json() for e in page], "next_page_cursor": next_cursor})


# Usage summary ------------------------------------------------------------------------

_COUNTERS = (
    "input_text_tokens",
    "input_audio_tokens",
    "input_audio_duration_ms",
    "output_text_tokens",
    "output_audio_tokens",
    "output_audio_duration_ms",
)


def _summary_entry(model: str | None, days: list[date], entries: list[UsageEntry]) -> dict[str, Any]:
    index = {day: i for i, day in enumerate(days)}
    zero = Decimal(0)
    cost = [zero] * len(days)
    input_cost = [zero] * len(days)
    output_cost = [zero] * len(days)
    counts = {name: [0] * len(days) for name in ("num_requests", *_COUNTERS)}
    for entry in entries:
        i = index.get(entry.end.date())
        if i is None:
            continue
        cost[i] += entry.cost
        input_cost[i] += entry.input_cost
        output_cost[i] += entry.output_cost
        counts["num_requests"][i] += 1
        for name in _COUNTERS:
            counts[name][i] += getattr(entry, name)
    body: dict[str, Any] = {
        "model": model,
        "days": [d.isoformat() for d in days],
        "total_cost_usd": money(sum(cost, zero)),
        "total_input_cost_usd": money(sum(input_cost, zero)),
        "total_output_cost_usd": money(sum(output_cost, zero)),
        "total_duration_cost_usd": money(zero),
        "cost_usd": [money(c) for c in cost],
        "input_cost_usd": [money(c) for c in input_cost],
        "output_cost_usd": [money(c) for c in output_cost],
        "duration_cost_usd": [money(zero) for _ in days],
        "total_duration_ms": 0,
        "duration_ms": [0] * len(days),
    }
    for name, values in counts.items():
        body[f"total_{name}"] = sum(values)
        body[name] = values
    return body


async def get_usage_summary(ctx: Context) -> Response:
    """GET /v1/usage/summary: per UTC day, per model and in total."""
    start, end = _window(ctx, [])
    last_day = (end - timedelta(microseconds=1)).date()
    count = (last_day - start.date()).days + 1
    if count > 366:
        raise _payload_error(f"The window covers {count} UTC days, which exceeds the maximum of 366.")
    days = [start.date() + timedelta(days=i) for i in range(count)]
    entries = [e for e in ctx.emulator.usage.visible() if start.date() <= e.end.date() <= last_day]
    models = sorted({e.model for e in entries})
    return json_response(
        200,
        {
            "total": _summary_entry(None, days, entries),
            "models": [_summary_entry(m, days, [e for e in entries if e.model == m]) for m in models],
        },
    )


# Concurrency --------------------------------------------------------------------------


async def get_concurrency_limits(ctx: Context) -> Response:
    """GET /v1/concurrency-limits: open streams now, and the limits tests set."""
    return json_response(200, ctx.emulator.usage.snapshot())


async def get_concurrent_streams_history(ctx: Context) -> Response:
    """GET /v1/concurrent-streams-history."""
    errors: list[ValidationError] = []
    raw_period = ctx.query.get("period_sec")
    period = 0
    if not raw_period:
        errors.append(ValidationError("missing", "query.period_sec", "Field required"))
    else:
        try:
            period = int(raw_period)
        except ValueError:
            period = 0
        if period not in _HISTORY_WINDOWS:
            errors.append(ValidationError("enum", "query.period_sec", "Input should be 60, 3600 or 86400"))
    kind = ctx.query.get("kind")
    if not kind:
        errors.append(ValidationError("missing", "query.kind", "Field required"))
    elif kind not in ("stt", "tts"):
        errors.append(ValidationError("enum", "query.kind", "Input should be 'stt' or 'tts'"))
    start, end = _window(ctx, errors)
    max_days = _HISTORY_WINDOWS[period]
    if end - start > timedelta(days=max_days):
        raise _payload_error(
            f"For period_sec={period}, the window between `start_time` and `end_time` "
            f"must not exceed {max_days} days."
        )
    if (end - start).total_seconds() / period > _MAX_HISTORY_ENTRIES:
        raise _payload_error(f"The window would return more than {_MAX_HISTORY_ENTRIES} entries.")
    entries = ctx.emulator.usage.history(str(kind), start, end, period)
    return json_response(200, {"kind": kind, "entries": entries})
