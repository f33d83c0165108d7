"""What a waiting workflow reports while it runs, for progress displays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .models import Transcription

__all__ = ["PROGRESS_TICK_SEC", "ProgressCallback", "WaitProgress"]

PROGRESS_TICK_SEC = 0.1
"""How often a waiting workflow with an ``on_progress`` callback reports between polls,
so a spinner or an elapsed-time display keeps moving while nothing is asked of the API."""


@dataclass(frozen=True, slots=True)
class WaitProgress:
    """One report of a wait in progress, handed to an ``on_progress`` callback.

    Reports come after every poll and about every ``PROGRESS_TICK_SEC`` seconds
    in between, in the thread (or task) that called the SDK; keep the callback
    quick. An exception it raises ends the call like any other failure (with
    ``delete_after``, cleanup still runs).

    Attributes:
        stage: ``"waiting"`` while polling for the result; ``"cleaning_up"``
            while cleanup waits for a transcription that still runs (the API
            refuses to delete it until it stops) so that it can be deleted.
        transcription_id: The transcription waited for.
        transcription: The transcription as last fetched (its ``status``,
            ``file_id``, ``error_message``); ``None`` while cleaning up.
        elapsed_sec: Seconds since this stage began.
    """

    stage: Literal["waiting", "cleaning_up"]
    transcription_id: str
    transcription: Transcription | None
    elapsed_sec: float


ProgressCallback = Callable[[WaitProgress], object]
"""The type of an ``on_progress`` callback: called with each ``WaitProgress``."""
