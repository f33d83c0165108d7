"""``--since``/``--until``: ISO times or ages (``24h``) turned into the API's UTC strings."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ._errors import EXIT_USAGE, CLIError

UTC = timezone.utc

__all__ = ["DEFAULT_SINCE", "api_time", "parse_when", "window"]

DEFAULT_SINCE = "24h"

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_when(value: str, now: datetime, *, option: str) -> datetime:
    """A point in time from ``value``, in UTC.

    Args:
        value: An age before ``now`` (``90s``, ``30m``, ``24h``, ``7d``, ``2w``), or an
            ISO 8601 date or time; a time without a zone is taken as UTC.
        now: The current time (aware).
        option: The flag's name, for the error message.

    Returns:
        An aware UTC datetime.

    Raises:
        CLIError: ``value`` is neither form (exit code 2).
    """
    if match := _AGE.match(value):
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        try:
            return now - timedelta(seconds=seconds)
        except OverflowError:
            raise CLIError(f"{option}: {value!r} reaches before year 1", exit_code=EXIT_USAGE) from None
    text = value.strip()
    if text[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat does not read the Z suffix
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CLIError(
            f"{option}: {value!r} is not an ISO time (2026-01-31T08:00:00Z) or an age (24h, 7d)",
            exit_code=EXIT_USAGE,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def api_time(moment: datetime, *, round_up: bool = False) -> str:
    """``2026-01-31T08:00:00Z``: the form the API takes (whole seconds, UTC).

    ``round_up`` moves a time with a fraction of a second to the next whole
    second: an end of window at "now" must include what ended a moment ago.
    """
    if round_up and moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def window(since: str, until: str | None, now: datetime | None = None) -> tuple[str, str]:
    """The ``[start, end)`` window the flags name, as API strings.

    Raises:
        CLIError: A time cannot be read, or the window is empty (exit code 2).
    """
    now = now or datetime.now(UTC)
    start = parse_when(since, now, option="--since")
    end = parse_when(until, now, option="--until") if until else now
    if start >= end:
        raise CLIError(
            f"--since ({api_time(start)}) must be before --until ({api_time(end)})", exit_code=EXIT_USAGE
        )
    return api_time(start), api_time(end, round_up=True)
