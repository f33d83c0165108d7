"""Argument checks shared by every public entry point, written once.

Each check returns the value (normalised where that is safe) or raises
``SonioxValidationError`` naming the parameter, before any request is made.
Numbers must be real ``int``/``float`` values (``bool`` is rejected although it
is an ``int``), finite and in range; strings must be ``str``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import SonioxValidationError

__all__ = [
    "api_key",
    "boolean",
    "callback",
    "count",
    "header_name",
    "header_value",
    "in_range",
    "optional_seconds",
    "pairs",
    "positive",
    "seconds",
    "text",
]

# Longer than anything sensible (115 days), short enough for every clock and
# socket API to take: time.sleep(1e300) overflows, and inf or nan would hang.
MAX_SECONDS = 1e7

_SEPARATORS = frozenset('()<>@,;:\\"/[]?={}')


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def seconds(
    value: object, field: str, *, allow_zero: bool = False, maximum: float | None = MAX_SECONDS
) -> float:
    """A finite duration in seconds: > 0 (or >= 0 with ``allow_zero``), at most ``maximum``."""
    lowest = "0" if allow_zero else "more than 0"
    if not _is_number(value):
        raise SonioxValidationError(
            f"must be a number of seconds ({lowest}), not {type(value).__name__}", field=field
        )
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise SonioxValidationError("must be a finite number of seconds", field=field)
    if number < 0 or (number == 0 and not allow_zero):
        raise SonioxValidationError(f"must be {'>= 0' if allow_zero else '> 0'} seconds", field=field)
    if maximum is not None and number > maximum:
        raise SonioxValidationError(f"must be at most {maximum:g} seconds", field=field)
    return number


def optional_seconds(
    value: object, field: str, *, allow_zero: bool = False, maximum: float | None = MAX_SECONDS
) -> float | None:
    """:func:`seconds`, or None for no limit."""
    if value is None:
        return None
    return seconds(value, field, allow_zero=allow_zero, maximum=maximum)


def positive(value: object, field: str, *, maximum: float | None = None) -> float:
    """A finite number > 0 (a speed, a rate), at most ``maximum``."""
    if not _is_number(value):
        raise SonioxValidationError(f"must be a number, not {type(value).__name__}", field=field)
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number) or number <= 0:
        raise SonioxValidationError("must be a finite number > 0", field=field)
    if maximum is not None and number > maximum:
        raise SonioxValidationError(f"must be at most {maximum:g}", field=field)
    return number


def in_range(value: object, field: str, low: float, high: float, *, integer: bool = False) -> float:
    """A finite number (a whole one with ``integer``) from ``low`` to ``high``."""
    kind = "a whole number" if integer else "a number"
    ok = isinstance(value, int) if integer else _is_number(value)
    if not ok or isinstance(value, bool) or not low <= float(value) <= high:  # type: ignore[arg-type]
        raise SonioxValidationError(f"must be {kind} from {low:g} to {high:g}", field=field)
    return value  # type: ignore[return-value]


def count(value: object, field: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """A whole number from ``minimum`` to ``maximum``."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise SonioxValidationError(f"must be a whole number, not {type(value).__name__}", field=field)
    if value < minimum or (maximum is not None and value > maximum):
        span = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
        raise SonioxValidationError(f"must be a whole number {span}", field=field)
    return value


def boolean(value: object, field: str) -> bool:
    """True or False, nothing else."""
    if not isinstance(value, bool):
        raise SonioxValidationError(f"must be True or False, not {type(value).__name__}", field=field)
    return value


def callback(value: object, field: str) -> None:
    """``None`` or something callable."""
    if value is not None and not callable(value):
        raise SonioxValidationError(f"must be callable or None, not {type(value).__name__}", field=field)


def text(value: object, field: str, *, allow_empty: bool = False) -> str:
    """A string (non-empty unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise SonioxValidationError(f"must be a string, not {type(value).__name__}", field=field)
    if not value and not allow_empty:
        raise SonioxValidationError("must not be empty", field=field)
    return value


def _control_position(value: str) -> int | None:
    for i, char in enumerate(value):
        if not char.isprintable() or char.isspace():
            return i
    return None


def api_key(value: object, field: str = "api_key") -> str:
    """A key that can go into an ``Authorization`` header as it is.

    Whitespace and control characters (a copy-paste slip, a newline read from a
    file) are refused with their position, never with the key itself.
    """
    if not isinstance(value, str):
        raise SonioxValidationError(f"must be a string, not {type(value).__name__}", field=field)
    if not value:
        raise SonioxValidationError("must not be empty", field=field)
    if not value.isascii():
        raise SonioxValidationError("must be ASCII (API keys are)", field=field)
    position = _control_position(value)
    if position is not None:
        what = "whitespace" if value[position].isspace() else "a control character"
        raise SonioxValidationError(
            f"contains {what} at position {position} of {len(value)}; copy the key again "
            "without surrounding spaces or newlines",
            field=field,
        )
    return value


def header_name(value: object, field: str) -> str:
    """An HTTP header name: a non-empty token of visible ASCII without separators."""
    name = text(value, field)
    if not name.isascii() or any(not c.isprintable() or c.isspace() or c in _SEPARATORS for c in name):
        raise SonioxValidationError("must be an HTTP header name (letters, digits and -)", field=field)
    return name


def header_value(value: object, field: str, *, allow_empty: bool = False) -> str:
    """A header value: a string without line breaks or other control characters."""
    if not isinstance(value, str):
        raise SonioxValidationError(f"must be a string, not {type(value).__name__}", field=field)
    if not value and not allow_empty:
        raise SonioxValidationError("must not be empty", field=field)
    if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value):
        raise SonioxValidationError("must not contain line breaks or control characters", field=field)
    return value


def pairs(value: object, field: str) -> list[tuple[str, Any]]:
    """A mapping or a sequence of (name, value) pairs, as httpx accepts, as a list of pairs."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.items()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise SonioxValidationError(
            f"must be a mapping or a list of (name, value) pairs, not {type(value).__name__}", field=field
        )
    out: list[tuple[str, Any]] = []
    for i, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise SonioxValidationError("must hold (name, value) pairs", field=f"{field}[{i}]")
        name, data = item[0], item[1]
        if not isinstance(name, str) or not name:
            raise SonioxValidationError("names must be non-empty strings", field=f"{field}[{i}]")
        out.append((name, data))
    return out
