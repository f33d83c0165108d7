# Generated from src/soniox_async/_batch.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""``transcribe_many``: executes the core's batch plan.

Generated from ``soniox_async/_batch.py``; edit that one.

The core (``soniox_core._ops.batch``) decides what to claim, start, retry and
emit; this module starts each source's operation as a background job (a task of
one task group here, a thread in the blocking client), calls the job store in a
worker thread (one blocking store then serves asyncio and trio alike), and hands
each result to the caller as it finishes.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from soniox_core import ClientConfig, SonioxError, SonioxValidationError
from soniox_core._effects import Emit
from soniox_core._ops import usage as _usage
from soniox_core._ops.batch import (
    FREED,
    BatchOptions,
    BatchResult,
    BatchSource,
    Deliver,
    Freed,
    NextSources,
    Reap,
    Spawn,
    StoreCall,
    classify_source,
    initial_concurrency,
    run_batch,
)

from . import _backend as backend
from ._jobs import JobStore, open_job_store
from ._runner import Runner

__all__ = ["BATCH_CONNECTIONS", "transcribe_many"]

BATCH_CONNECTIONS = 12
"""Connections a batch keeps open at most (fewer if the client allows fewer).

A batch's requests are short and sparse (most of the time is spent waiting on the
service), and httpcore checks every pooled connection on each request, so a pool
as wide as the concurrency costs more CPU per request than it saves in waiting.
"""
# How long sources still running may take to finish (or be cleaned up) once the
# caller stops early.
DRAIN_LIMIT_SEC = 30.0

Writer = Callable[[BatchSource, Any], object]


class _Finished:
    """Outcomes of finished jobs, and a wake-up for whoever waits on them."""

    def __init__(self) -> None:
        self.outcomes: deque[tuple[str, Any]] = deque()
        self.event = backend.Event()
        self.running = 0

    def put(self, key: str, outcome: Any) -> None:
        """A job reports (from its task, or its thread in the blocking client)."""
        self.outcomes.append((key, outcome))
        self.event.set()

    def take(self, timeout: float | None) -> list[tuple[str, Any]]:
        """What finished, waiting up to ``timeout`` for something to (the plan's
        loop is the only caller)."""
        if not self.outcomes:
            self.event = backend.Event()
            # Checked again: a job may have finished between the look and the new event.
            if not self.outcomes and not backend.wait_event(self.event, timeout):
                return []
        taken = []
        while self.outcomes:
            key, outcome = self.outcomes.popleft()
            if outcome != FREED:
                self.running -= 1  # counted here, by the one consumer: no lock needed
            taken.append((key, outcome))
        return taken


class _BatchRunner(Runner):
    """A runner with a small pool of its own, plus the effects only a batch asks for."""

    def __init__(self, config: ClientConfig, store: JobStore, writer: Writer | None, finished: _Finished):
        options = dict(config.http_options)
        options["max_connections"] = min(int(options.get("max_connections", 100)), BATCH_CONNECTIONS)
        small = dataclasses.replace(config, http_options=options)
        super().__init__(small, backend.new_pool(small))
        self.store = store
        self.writer = writer
        self.finished = finished

    def perform(self, effect: object) -> Any:
        if isinstance(effect, StoreCall):
            call = getattr(self.store, effect.method)
            if not getattr(self.store, "blocking", True):
                return call(*effect.args)
            return backend.in_worker(call, *effect.args)
        if isinstance(effect, Freed):
            self.finished.put(effect.key, FREED)
            return None
        if isinstance(effect, Deliver):
            if self.writer is not None:
                # Outputs go to disk: off the event loop.
                backend.in_worker(self.writer, effect.source, effect.transcript)
            return None
        return super().perform(effect)


def _read(sources: Iterable[Any], count: int) -> list[BatchSource]:
    taken: list[BatchSource] = []
    for item in sources:
        taken.append(classify_source(item))
        if len(taken) >= count:
            break
    return taken


def transcribe_many(
    config: ClientConfig,
    runner: Runner,
    sources: Iterable[Any],
    options: BatchOptions,
    *,
    job: object = None,
    concurrency: int | None = None,
    writer: Writer | None = None,
    lease_sec: float = 30.0,
) -> Iterator[BatchResult]:
    """See ``SttAPI.transcribe_many``."""
    if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
        raise SonioxValidationError("must be a positive integer", field="concurrency")
    limits: object = None
    if concurrency is None:
        try:
            limits = runner.run(_usage.concurrency_limits(config))
        except SonioxError:
            limits = None  # Unavailable to this key: start from the fixed default.
    width = initial_concurrency(limits, concurrency)
    owned = not hasattr(job, "claim")  # a store object passed in is the caller's to close
    store: JobStore = backend.in_worker(open_job_store, job, lease_sec)
    finished = _Finished()
    batch = _BatchRunner(config, store, writer, finished)
    iterator = iter(sources)
    plan = run_batch(config, options, width)

    def job_for(key: str, op: Any) -> Callable[[], Any]:
        def one() -> None:
            try:
                outcome: Any = batch.run(op)
            except Exception as exc:  # handed to the plan, which decides
                outcome = exc
            finished.put(key, outcome)

        return one

    try:
        with backend.Workers() as workers:
            try:
                value: Any = None
                error: BaseException | None = None
                while True:
                    try:
                        effect = plan.send(value) if error is None else plan.throw(error)
                    except StopIteration:
                        break
                    value, error = None, None
                    try:
                        if isinstance(effect, Spawn):
                            finished.running += 1
                            workers.start(job_for(effect.key, effect.op), "soniox-batch", own=False)
                        elif isinstance(effect, Reap):
                            value = finished.take(effect.timeout)
                        elif isinstance(effect, NextSources):
                            value = _read(iterator, effect.count)
                        elif isinstance(effect, Emit):
                            for result in effect.items:
                                yield result
                        else:
                            value = batch.perform(effect)
                    except SonioxError as exc:
                        error = exc
            finally:
                # Stopped early (or failed): sources still running finish, or clean
                # up, within a time limit; then the rest are cancelled (async).
                with backend.cleanup_scope(DRAIN_LIMIT_SEC):
                    deadline = backend.clock() + DRAIN_LIMIT_SEC
                    while finished.running > 0 and backend.clock() < deadline:
                        finished.take(0.1)
    finally:
        plan.close()
        with backend.shield():
            batch.close()
            if owned:
                backend.in_worker(store.close)
