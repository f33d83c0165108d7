"""Job stores for ``transcribe_many``: where a batch records how far each source got.

This file is the source of ``soniox_sync/_jobs.py``,
which ``scripts/unasync.py`` generates from it; edit this one.

A store answers the small protocol the core's scheduler speaks (``add``,
``claim``, ``record``, ``release``, ``renew``, ``unfinished``). It is blocking I/O:
the sync driver calls it from its threads, the async driver through
``anyio.to_thread`` (the same store then serves asyncio and trio, and psycopg's
asyncio-only connection is never needed).

- ``MemoryJobStore``: no resume; holds only sources not yet finished.
- ``SqliteJobStore``: one machine; a file beside the outputs.
- ``PostgresJobStore``: several machines share one job. Workers claim with
  ``FOR UPDATE SKIP LOCKED`` and hold a lease they renew; a worker that dies
  loses its claims when the lease lapses, and another picks them up from the
  step it had recorded.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from soniox_core._ops.batch import BatchSource, SourceState

__all__ = [
    "JobStore",
    "MemoryJobStore",
    "PostgresJobStore",
    "SqliteJobStore",
    "open_job_store",
]

DEFAULT_LEASE_SEC = 30.0
_FIELDS = ("stage", "file_id", "transcription_id", "error_type", "error_message", "request_id", "cleaned")
_COLUMNS = "key, stage, file_id, transcription_id, error_type, error_message, request_id, cleaned"


class JobStore(Protocol):
    """What ``transcribe_many`` needs from a job store."""

    def add(self, sources: Sequence[BatchSource]) -> None:
        """Note sources (already known ones are left as they are)."""

    def claim(self, count: int, retry_failed: bool) -> list[SourceState]:
        """Take up to ``count`` sources with work left, oldest first."""

    def record(self, key: str, changes: dict[str, Any]) -> None:
        """Write what just happened to a source."""

    def release(self, key: str) -> None:
        """Give up the claim on a source (its work is finished)."""

    def renew(self) -> None:
        """Extend the lease on every source this worker holds."""

    def unfinished(self, retry_failed: bool) -> int:
        """Sources with work left, claimed by anyone."""

    def counts(self) -> dict[str, int]:
        """Sources per stage."""

    def failures(self) -> Iterator[SourceState]:
        """Every source recorded as failed."""

    def close(self) -> None:
        """Release every claim and close."""


def _state(row: Sequence[Any], resumed: bool) -> SourceState:
    key, stage, file_id, transcription_id, error_type, error_message, request_id, cleaned = row
    return SourceState(
        BatchSource.from_key(key),
        stage=stage,
        file_id=file_id,
        transcription_id=transcription_id,
        error_type=error_type,
        error_message=error_message,
        request_id=request_id,
        cleaned=bool(cleaned),
        resumed=resumed,
    )


def _work_left(retry: str, clean: str, run: str) -> str:
    # SQL (both dialects) for "this source has work left"; the arguments are
    # placeholders for: retry failed ones, clean up finished ones, this run's id.
    return (
        "(stage NOT IN ('done', 'failed')"
        f" OR (stage = 'done' AND cleaned = 0 AND {clean})"
        f" OR (stage = 'failed' AND {retry} AND COALESCE(run, '') <> {run})"
        f" OR (stage = 'failed' AND cleaned = 0 AND {clean}"
        " AND (file_id IS NOT NULL OR transcription_id IS NOT NULL)))"
    )


class MemoryJobStore:
    """A store for one run that cannot resume: it forgets each source once finished."""

    #: Never waits on I/O: the async driver calls it directly, not in a thread.
    blocking = False

    def __init__(self) -> None:
        self._queue: deque[SourceState] = deque()
        self._held: dict[str, SourceState] = {}
        self._counts: dict[str, int] = {}
        self._failed: list[SourceState] = []
        self._lock = threading.Lock()

    def add(self, sources: Sequence[BatchSource]) -> None:
        with self._lock:
            self._queue.extend(SourceState(s) for s in sources)

    def claim(self, count: int, retry_failed: bool) -> list[SourceState]:
        with self._lock:
            taken = [self._queue.popleft() for _ in range(min(count, len(self._queue)))]
            for state in taken:
                self._held[state.source.key] = state
            return taken

    def record(self, key: str, changes: dict[str, Any]) -> None:
        with self._lock:
            state = self._held.get(key)
            if state is not None:
                for name, value in changes.items():
                    setattr(state, name, value)

    def release(self, key: str) -> None:
        with self._lock:
            state = self._held.pop(key, None)
            if state is not None:
                self._counts[state.stage] = self._counts.get(state.stage, 0) + 1

    def renew(self) -> None:
        return None

    def unfinished(self, retry_failed: bool) -> int:
        with self._lock:
            return len(self._queue) + len(self._held)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def failures(self) -> Iterator[SourceState]:
        return iter(())

    def close(self) -> None:
        return None


class SqliteJobStore:
    """A job in one SQLite file, for one process at a time (resumable).

    Opening it voids the claims of any earlier process (it is assumed dead); for
    several processes at once, use ``PostgresJobStore``.
    """

    def __init__(self, path: str, lease_sec: float = DEFAULT_LEASE_SEC) -> None:
        self.path = path
        self.run = uuid.uuid4().hex
        self.lease_sec = lease_sec
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        # A crash may lose the last records but never corrupt the file; a lost
        # record is redone by the resume (each step is found again by its reference).
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS batch_sources ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL,"
            " stage TEXT NOT NULL DEFAULT 'new', file_id TEXT, transcription_id TEXT,"
            " error_type TEXT, error_message TEXT, request_id TEXT, cleaned INTEGER NOT NULL DEFAULT 0,"
            " owner TEXT, lease_until REAL, run TEXT)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS batch_sources_stage ON batch_sources (stage, seq)")
        # One process at a time: claims left by a run that was killed are void now,
        # so its sources (and the uploads they hold) are resumed first, not after a lease.
        self._db.execute("UPDATE batch_sources SET owner = NULL, lease_until = NULL WHERE owner IS NOT NULL")

    def add(self, sources: Sequence[BatchSource]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR IGNORE INTO batch_sources (key) VALUES (?)", [(s.key,) for s in sources]
            )

    def claim(self, count: int, retry_failed: bool, clean: bool = True) -> list[SourceState]:
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute(
                    f"SELECT {_COLUMNS}, run FROM batch_sources WHERE {_work_left('?', '?', '?')}"
                    " AND (owner IS NULL OR lease_until < ?) ORDER BY seq LIMIT ?",
                    (int(clean), int(retry_failed), self.run, int(clean), now, count),
                ).fetchall()
                self._db.executemany(
                    "UPDATE batch_sources SET owner = ?, lease_until = ?, run = ? WHERE key = ?",
                    [(self.run, now + self.lease_sec, self.run, row[0]) for row in rows],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return [_state(row[:-1], resumed=row[-1] != self.run) for row in rows]

    def record(self, key: str, changes: dict[str, Any]) -> None:
        names = [n for n in changes if n in _FIELDS]
        values = [int(changes[n]) if n == "cleaned" else changes[n] for n in names]
        with self._lock:
            self._db.execute(
                f"UPDATE batch_sources SET {', '.join(f'{n} = ?' for n in names)} WHERE key = ?",
                (*values, key),
            )

    def release(self, key: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE batch_sources SET owner = NULL, lease_until = NULL WHERE key = ? AND owner = ?",
                (key, self.run),
            )

    def renew(self) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE batch_sources SET lease_until = ? WHERE owner = ?",
                (time.time() + self.lease_sec, self.run),
            )

    def unfinished(self, retry_failed: bool, clean: bool = True) -> int:
        with self._lock:
            row = self._db.execute(
                f"SELECT count(*) FROM batch_sources WHERE {_work_left('?', '?', '?')}",
                (int(clean), int(retry_failed), self.run, int(clean)),
            ).fetchone()
        return int(row[0])

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT stage, count(*) FROM batch_sources GROUP BY stage").fetchall()
        return {stage: int(n) for stage, n in rows}

    def failures(self) -> Iterator[SourceState]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM batch_sources WHERE stage = 'failed' ORDER BY seq"
            ).fetchall()
        return (_state(row, resumed=True) for row in rows)

    def close(self) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE batch_sources SET owner = NULL, lease_until = NULL WHERE owner = ?", (self.run,)
            )
            self._db.close()


class PostgresJobStore:
    """A job in a PostgreSQL table that several worker processes share.

    Needs the ``postgres`` extra (psycopg 3). ``conninfo`` is a ``postgresql://``
    URL; ``table`` names the job (one table per job).
    """

    def __init__(
        self, conninfo: str, lease_sec: float = DEFAULT_LEASE_SEC, table: str = "soniox_batch"
    ) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise RuntimeError("a PostgreSQL job store needs: pip install 'soniox-sansio[postgres]'") from exc
        if not table.replace("_", "").isalnum():
            raise ValueError(f"not a table name: {table!r}")
        self.run = uuid.uuid4().hex
        self.lease_sec = lease_sec
        self._table = table
        self._lock = threading.Lock()
        self._db = psycopg.connect(conninfo, autocommit=True)
        with self._db.transaction():
            # Workers start together: one creates the table, the others wait on the lock.
            self._db.execute("SELECT pg_advisory_xact_lock(4242)")
            self._db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} ("
                " seq BIGSERIAL, key TEXT PRIMARY KEY,"
                " stage TEXT NOT NULL DEFAULT 'new', file_id TEXT, transcription_id TEXT,"
                " error_type TEXT, error_message TEXT, request_id TEXT, cleaned INTEGER NOT NULL DEFAULT 0,"
                " owner TEXT, lease_until TIMESTAMPTZ, run TEXT)"
            )

    def add(self, sources: Sequence[BatchSource]) -> None:
        keys = sorted({s.key for s in sources})
        with self._lock, self._db.cursor() as cur:
            # Sorted, so workers adding the same slice never deadlock on each other's rows.
            cur.execute(
                f"INSERT INTO {self._table} (key) SELECT unnest(%s::text[]) ON CONFLICT (key) DO NOTHING",
                (keys,),
            )

    def claim(self, count: int, retry_failed: bool, clean: bool = True) -> list[SourceState]:
        left = _work_left("%(retry)s", "%(clean)s", "%(run)s")
        with self._lock, self._db.cursor() as cur:
            cur.execute(
                f"WITH picked AS (SELECT key, run AS last_run FROM {self._table} WHERE {left}"
                " AND (owner IS NULL OR lease_until < now()) ORDER BY seq LIMIT %(count)s"
                " FOR UPDATE SKIP LOCKED)"
                f" UPDATE {self._table} AS t SET owner = %(run)s, run = %(run)s,"
                " lease_until = now() + make_interval(secs => %(lease)s)"
                f" FROM picked WHERE t.key = picked.key"
                " RETURNING t.key, t.stage, t.file_id, t.transcription_id, t.error_type,"
                " t.error_message, t.request_id, t.cleaned, picked.last_run",
                {
                    "retry": retry_failed,
                    "clean": clean,
                    "run": self.run,
                    "count": count,
                    "lease": self.lease_sec,
                },
            )
            rows = cur.fetchall()
        return [_state(row[:-1], resumed=row[-1] != self.run) for row in rows]

    def record(self, key: str, changes: dict[str, Any]) -> None:
        names = [n for n in changes if n in _FIELDS]
        values = [int(changes[n]) if n == "cleaned" else changes[n] for n in names]
        with self._lock:
            self._db.execute(
                f"UPDATE {self._table} SET {', '.join(f'{n} = %s' for n in names)} WHERE key = %s",
                (*values, key),
            )

    def release(self, key: str) -> None:
        with self._lock:
            self._db.execute(
                f"UPDATE {self._table} SET owner = NULL, lease_until = NULL WHERE key = %s AND owner = %s",
                (key, self.run),
            )

    def renew(self) -> None:
        with self._lock:
            self._db.execute(
                f"UPDATE {self._table} SET lease_until = now() + make_interval(secs => %s) WHERE owner = %s",
                (self.lease_sec, self.run),
            )

    def unfinished(self, retry_failed: bool, clean: bool = True) -> int:
        left = _work_left("%(retry)s", "%(clean)s", "%(run)s")
        with self._lock, self._db.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM {self._table} WHERE {left}",
                {"retry": retry_failed, "clean": clean, "run": self.run},
            )
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        with self._lock, self._db.cursor() as cur:
            cur.execute(f"SELECT stage, count(*) FROM {self._table} GROUP BY stage")
            return {stage: int(n) for stage, n in cur.fetchall()}

    def failures(self) -> Iterator[SourceState]:
        with self._lock, self._db.cursor() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM {self._table} WHERE stage = 'failed' ORDER BY seq")
            rows = cur.fetchall()
        return (_state(row, resumed=True) for row in rows)

    def close(self) -> None:
        with self._lock:
            try:
                self._db.execute(
                    f"UPDATE {self._table} SET owner = NULL, lease_until = NULL WHERE owner = %s", (self.run,)
                )
            finally:
                self._db.close()


def open_job_store(job: object, lease_sec: float = DEFAULT_LEASE_SEC) -> JobStore:
    """The store a ``job`` argument names: None (in memory, no resume), a
    ``postgresql://`` URL, a path to a SQLite file, or a store object."""
    if job is None:
        return MemoryJobStore()
    if isinstance(job, str) and job.startswith(("postgresql://", "postgres://")):
        return PostgresJobStore(job, lease_sec)
    if isinstance(job, str) or hasattr(job, "__fspath__"):
        import os

        return SqliteJobStore(str(os.fspath(job)), lease_sec)
    return job  # type: ignore[return-value]
