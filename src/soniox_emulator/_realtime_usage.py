"""Concurrency accounting and usage logging around realtime STT sessions."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Coroutine
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ._usage import ConcurrencyLimitExceeded, transcription_entry

if TYPE_CHECKING:
    from ._emulator import Emulator
    from .realtime import RealtimeSessionRecord


async def serve_stt(
    websocket: Any, emulator: Emulator, session: Coroutine[Any, Any, RealtimeSessionRecord]
) -> None:
    """Run one STT session as an open ``stt`` stream; log it if it finished."""
    try:
        emulator.usage.open_stream("stt")
    except ConcurrencyLimitExceeded as exc:
        session.close()
        await websocket.accept()
        message = f"Concurrent requests limit for speech-to-text has been exceeded for your {exc.tier}."
        with contextlib.suppress(Exception):
            await websocket.send_text(json.dumps({"tokens": [], "error_code": 429, "error_message": message}))
            await websocket.close(code=1000)
        return
    started = datetime.now(timezone.utc)
    try:
        record = await session
    finally:
        emulator.usage.close_stream("stt")
    if record.finished and record.config is not None:
        elapsed = (datetime.now(timezone.utc) - started).total_seconds()
        emulator.usage.add(
            transcription_entry(
                str(record.config.get("model", "")),
                record.transcript,
                record.audio_ms,
                started,
                elapsed,
                emulator._state.clock(),
                record.config.get("client_reference_id"),
                realtime=True,
            )
        )
