"""What a WebSocket connection reports to the session above it (plain values).

Kept apart from ``_connection`` so that importing the session layer does not
import websockets (and, through it, ``importlib.metadata``) until a
connection is made.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CloseReceived",
    "ConnectionEvent",
    "ConnectionLost",
    "Message",
    "Opened",
    "ProtocolFailed",
    "Rejected",
    "SendRefused",
]


@dataclass(frozen=True, slots=True)
class Opened:
    """The server accepted the upgrade (101, accept key checked)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """The opening handshake failed: an HTTP answer other than a valid 101, or none at all."""

    status: int | None  # the HTTP status of a non-101 answer; None for a bad 101, garbage or EOF
    body: bytes
    reason: str  # why, in words (for an error message)


@dataclass(frozen=True, slots=True)
class Message:
    """A whole message (fragments joined): text as UTF-8 bytes, or binary."""

    data: bytes
    is_text: bool


@dataclass(frozen=True, slots=True)
class CloseReceived:
    """The server sent a close frame (already answered, when it spoke first)."""

    code: int
    reason: str


@dataclass(frozen=True, slots=True)
class ConnectionLost:
    """The byte stream ended without a close frame."""


@dataclass(frozen=True, slots=True)
class ProtocolFailed:
    """The server broke the WebSocket protocol; a close frame saying so is queued."""

    reason: str


ConnectionEvent = Opened | Rejected | Message | CloseReceived | ConnectionLost | ProtocolFailed


class SendRefused(Exception):
    """A frame was sent in a state where the connection cannot send (not open, closing)."""
