"""What every realtime driver is told, and the limits they share (pure values)."""

from __future__ import annotations

from dataclasses import dataclass

from soniox_core._proxy import ProxyURL
from soniox_core._tls import TLSSettings

__all__ = [
    "CLOSE_GRACE_SEC",
    "DEFAULT_MAX_MESSAGE_BYTES",
    "READ_SIZE_BYTES",
    "WRITE_BUFFER_HIGH_WATER",
    "DriverOptions",
]

# A realtime message is a few KiB; this only stops a broken server from making
# us buffer without end.
DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024

# A sender waits for the writer only once this much is queued, so streaming as
# fast as allowed costs a scheduling round per batch of frames, not per frame
# (the same idea as asyncio's transport buffer and its high-water mark).
WRITE_BUFFER_HIGH_WATER = 64 * 1024
CLOSE_GRACE_SEC = 2.0  # how long an exit waits for the server to answer our close
READ_SIZE_BYTES = 65536  # the most a driver asks the socket for at once


@dataclass(frozen=True, slots=True)
class DriverOptions:
    """How a driver dials and how long it waits."""

    tls: TLSSettings
    connect_timeout_sec: float
    receive_timeout_sec: float | None  # None: wait for the server forever
    write_timeout_sec: float | None
    proxy: ProxyURL | None = None  # an HTTP proxy to tunnel through (CONNECT), or None
