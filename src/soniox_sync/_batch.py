"""``transcribe_many`` for the blocking client: executes the core's batch plan.

The core (``soniox_core._ops.batch``) decides what to claim, start, retry and
emit; this module runs the per-source operations on a thread pool, calls the
job store, and hands each result to the caller as it finishes.
"""

from __future__ import annotations

import concurrent.futures as cf
import queue
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpcore

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

from ._jobs import JobStore, open_job_store
from ._pool import pool_options
from ._runner import Runner

__all__ = ["BATCH_CONNECTIONS", "transcribe_many"]

BATCH_CONNECTIONS = 12
"""Connections a batch keeps open at most (fewer if the client allows fewer)."""

Writer = Callable[[BatchSource, Any], object]


class _BatchRunner(Runner):
    """The client's runner (and its pool) plus the two effects only a batch asks for."""

    def __init__(
        self,
        config: ClientConfig,
        runner: Runner,
        store: JobStore,
        writer: Writer | None,
        events: queue.SimpleQueue[tuple[str, Any]],
    ):
        # A small pool of its own: see ``soniox_async._batch``.
        options = pool_options(config)
        options["max_connections"] = min(options["max_connections"], BATCH_CONNECTIONS)
        super().__init__(config, httpcore.ConnectionPool(**options))
        self.store = store
        self.writer = writer
        self.events = events

    def perform(self, effect: object) -> Any:
        if isinstance(effect, StoreCall):
            return getattr(self.store, effect.method)(*effect.args)
        if isinstance(effect, Freed):
            self.events.put((effect.key, FREED))
            return None
        if isinstance(effect, Deliver):
            if self.writer is not None:
                self.writer(effect.source, effect.transcript)
            return None
        return super().perform(effect)


def _read(sources: Iterator[Any], count: int) -> list[BatchSource]:
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
    store = open_job_store(job, lease_sec)
    events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    batch = _BatchRunner(config, runner, store, writer, events)
    iterator = iter(sources)
    plan = run_batch(config, options, width)
    # The plan keeps at most twice its starting window in flight: that many threads.
    pool = cf.ThreadPoolExecutor(max_workers=2 * width, thread_name_prefix="soniox-batch")

    def one(key: str, op: Any) -> None:
        try:
            outcome: Any = batch.run(op)
        except Exception as exc:
            outcome = exc
        events.put((key, outcome))

    def reap(timeout: float | None) -> list[tuple[str, Any]]:
        try:
            finished = [events.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                finished.append(events.get_nowait())
            except queue.Empty:
                return finished

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
                    pool.submit(one, effect.key, effect.op)
                elif isinstance(effect, Reap):
                    value = reap(effect.timeout)
                elif isinstance(effect, NextSources):
                    value = _read(iterator, effect.count)
                elif isinstance(effect, Emit):
                    yield from effect.items
                else:
                    value = batch.perform(effect)
            except SonioxError as exc:
                error = exc
    finally:
        plan.close()
        # Threads cannot be cancelled: what runs finishes (and cleans up) before we return.
        pool.shutdown(wait=True, cancel_futures=True)
        batch.close()
        if owned:
            store.close()
