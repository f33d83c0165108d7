"""How many files and transcriptions the emulator has created since its last reset.

Request counts include refused requests; these count only what was created, so a
test can assert that a batch created each transcription exactly once.
"""

from __future__ import annotations

import threading
from collections import Counter


class Created:
    """Thread-safe counts of created objects by kind (``"files"``, ``"transcriptions"``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def note(self, kind: str) -> None:
        """One more ``kind`` was created."""
        with self._lock:
            self._counts[kind] += 1

    def __getitem__(self, kind: str) -> int:
        with self._lock:
            return self._counts[kind]

    def clear(self) -> None:
        """Back to zero."""
        with self._lock:
            self._counts.clear()
