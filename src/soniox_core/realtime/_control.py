"""The control messages a caller may send by name (the official SDK's ``send_control_message``)."""

from __future__ import annotations

import enum

from soniox_core._errors import SonioxValidationError

__all__ = ["RealtimeControlType", "coerce_control_type"]


class RealtimeControlType(str, enum.Enum):
    """A control message of a realtime speech-to-text session."""

    FINISH = "finish"  # end of audio
    KEEP_ALIVE = "keep_alive"
    FINALIZE = "finalize"  # make every pending token final now


def coerce_control_type(value: object) -> RealtimeControlType:
    """Accept a ``RealtimeControlType`` or its value (``"finish"`` ...).

    Raises:
        SonioxValidationError: ``value`` names no control message.
    """
    try:
        return RealtimeControlType(value)
    except ValueError:
        names = ", ".join(repr(t.value) for t in RealtimeControlType)
        raise SonioxValidationError(f"must be one of {names}, not {value!r}", field="control_type") from None
