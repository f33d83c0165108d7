"""What the realtime service sends back: result messages, tokens and errors."""

from __future__ import annotations

import msgspec

from soniox_core._errors import SonioxRealtimeError, SonioxRealtimeTimeoutError
from soniox_core.models import Token

from .._dump import PydanticCompat

__all__ = [
    "TOKEN_TEXT_END",
    "TOKEN_TEXT_FIN",
    "RealtimeEvent",
    "SonioxRealtimeTimeoutError",
    "is_endpoint_token",
    "is_finalization_marker",
    "parse_event",
]

TOKEN_TEXT_END = "<end>"
"""Text of the token that marks the end of an utterance (endpoint detection)."""

TOKEN_TEXT_FIN = "<fin>"
"""Text of the token that answers a ``finalize()``: all audio before it is final."""


class RealtimeEvent(msgspec.Struct, PydanticCompat, kw_only=True):
    """One message from the realtime service.

    ``tokens`` holds the final tokens first, then the current non-final ones.
    A final token arrives once and never changes; the non-final ones are
    replaced by the next event. ``finished`` is true on the last event of a
    session. ``error_code``/``error_message`` are set on an error message (the
    session raises ``SonioxRealtimeError`` for those, after recording the event
    as ``session.last_message``). ``reconnected`` marks events received after the
    session reconnected (timestamps already continue those of the first connection).
    """

    tokens: list[Token] = msgspec.field(default_factory=list)
    final_audio_proc_ms: int | None = None
    total_audio_proc_ms: int | None = None
    finished: bool = False
    error_code: int | None = None
    error_message: str | None = None
    # Set by the client, not the service: the event came over a new connection
    # opened after the first one dropped (see ``ReconnectPolicy``).
    reconnected: bool = False

    @property
    def final_tokens(self) -> list[Token]:
        """The tokens of this event that will not change any more."""
        return [t for t in self.tokens if t.is_final]

    @property
    def non_final_tokens(self) -> list[Token]:
        """The provisional tokens; the next event replaces them."""
        return [t for t in self.tokens if not t.is_final]

    @property
    def is_error(self) -> bool:
        """Whether this is an error message from the service."""
        return self.error_code is not None or self.error_message is not None


def is_endpoint_token(token: Token) -> bool:
    """Whether ``token`` is the ``<end>`` marker of endpoint detection."""
    return token.text == TOKEN_TEXT_END


def is_finalization_marker(token: Token) -> bool:
    """Whether ``token`` is the ``<fin>`` marker that answers ``finalize()``."""
    return token.text == TOKEN_TEXT_FIN


_decoder = msgspec.json.Decoder(RealtimeEvent)


def parse_event(payload: str | bytes) -> RealtimeEvent:
    """Parse one text message of the service; malformed input raises ``SonioxRealtimeError``."""
    try:
        return _decoder.decode(payload)
    except msgspec.DecodeError as exc:
        raise SonioxRealtimeError(f"Malformed message from the server: {exc}") from None
    except RecursionError:
        raise SonioxRealtimeError("Malformed message from the server: JSON nested too deeply") from None


def error_from_event(event: RealtimeEvent) -> SonioxRealtimeError:
    """The typed error an error message stands for."""
    message = event.error_message or f"Realtime session failed (code {event.error_code})"
    return SonioxRealtimeError(message, code=event.error_code)
