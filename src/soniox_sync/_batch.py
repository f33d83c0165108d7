"""``transcribe_many`` for the blocking client: executes the core's batch plan.

The core (``soniox_core._ops.batch``) decides what to claim, start, retry and
emit; this module runs the per-source operations on a thread pool, calls the
job store, and hands each result to the caller as it finishes.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from soniox_core import ClientConfig, SonioxError, SonioxValidationError
from soniox_core._effects import Emit
from soniox_core._ops import usage as _usage
from soniox_core._ops.batch import (
    BatchOptions,
    BatchResult,
    BatchSource,
    Deliver,
    NextSources,
    Reap,
    Spawn,
    StoreCall,
    classify_source,
    initial_concurrency,
    run_batch,
)

from ._jobs import JobStore, open_job_store
from ._runner import Runner

__all__ = ["transcribe_many"]

Writer = Callable[[BatchSource, Any], object]


class _BatchRunner(Runner):
    """The client's runner (and its pool) plus the two effects only a batch asks for."""

    def __init__(self, config: ClientConfig, runner: Runner, store: JobStore, writer: Writer | None):
        super().__init__(config, runner._pool)
        self.store = store
        self.writer = writer

    def perform(self, effect: object) -> Any:
        if isinstance(effect, StoreCall):
            return getattr(self.store, effect.method)(*effect.args)
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
    batch = _BatchRunner(config, runner, store, writer)
    iterator = iter(sources)
    plan = run_batch(config, options, width)
    # The window may shrink and grow, never beyond its start: that many threads.
    pool = cf.ThreadPoolExecutor(max_workers=width, thread_name_prefix="soniox-batch")
    running: dict[cf.Future[Any], str] = {}
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
                    running[pool.submit(batch.run, effect.op)] = effect.key
                elif isinstance(effect, Reap):
                    finished, _ = cf.wait(running, effect.timeout, return_when=cf.FIRST_COMPLETED)
                    value = []
                    for future in finished:
                        key = running.pop(future)
                        exc = future.exception()
                        value.append((key, exc if exc is not None else future.result()))
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
        if owned:
            store.close()
