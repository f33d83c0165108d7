"""``transcribe_many`` for the async client: executes the core's batch plan.

The core (``soniox_core._ops.batch``) decides what to claim, start, retry and
emit; this module starts per-source operations in an anyio task group, calls
the job store in a worker thread (one blocking store serves asyncio and trio
alike) and hands each result to the caller as it finishes.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import anyio
import httpcore
from anyio.abc import TaskGroup

from soniox_core import ClientConfig, SonioxError
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
from soniox_sync._jobs import JobStore, open_job_store
from soniox_sync._pool import pool_options

from ._network import AsyncLargeReadBackend
from ._runner import AsyncRunner

__all__ = ["BATCH_CONNECTIONS", "transcribe_many"]

BATCH_CONNECTIONS = 12
"""Connections a batch keeps open at most (fewer if the client allows fewer)."""

Writer = Callable[[BatchSource, Any], object]


class _BatchRunner(AsyncRunner):
    """The client's runner plus the two effects only a batch asks for."""

    def __init__(
        self,
        config: ClientConfig,
        runner: AsyncRunner,
        store: JobStore,
        writer: Writer | None,
        freed: Callable[[str], None],
    ):
        # A pool of its own, and a small one: a batch's requests are short and
        # sparse (most of the time is spent waiting on the service), and httpcore
        # checks every pooled connection on each request, so a pool as wide as the
        # concurrency costs more CPU per request than it saves in waiting.
        options = pool_options(config)
        options["max_connections"] = min(options["max_connections"], BATCH_CONNECTIONS)
        super().__init__(
            config, httpcore.AsyncConnectionPool(network_backend=AsyncLargeReadBackend(), **options)
        )
        self.store = store
        self.writer = writer
        self.freed = freed

    async def perform(self, effect: object) -> Any:
        if isinstance(effect, StoreCall):
            call = getattr(self.store, effect.method)
            if not getattr(self.store, "blocking", True):
                return call(*effect.args)
            return await anyio.to_thread.run_sync(call, *effect.args)
        if isinstance(effect, Freed):
            self.freed(effect.key)
            return None
        if isinstance(effect, Deliver):
            if self.writer is not None:
                # Outputs are written to disk: in a thread, so the loop never waits on it.
                await anyio.to_thread.run_sync(self.writer, effect.source, effect.transcript)
            return None
        return await super().perform(effect)


async def _read(sources: Iterator[Any] | AsyncIterator[Any], count: int) -> list[BatchSource]:
    taken: list[BatchSource] = []
    if isinstance(sources, AsyncIterator):
        async for item in sources:
            taken.append(classify_source(item))
            if len(taken) >= count:
                break
        return taken
    for item in sources:
        taken.append(classify_source(item))
        if len(taken) >= count:
            break
    return taken


async def transcribe_many(
    config: ClientConfig,
    runner: AsyncRunner,
    sources: Iterable[Any] | AsyncIterable[Any],
    options: BatchOptions,
    *,
    job: object = None,
    concurrency: int | None = None,
    writer: Writer | None = None,
    lease_sec: float = 30.0,
) -> AsyncIterator[BatchResult]:
    """See ``AsyncSttAPI.transcribe_many``."""
    if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
        from soniox_core import SonioxValidationError

        raise SonioxValidationError("must be a positive integer", field="concurrency")
    limits: object = None
    if concurrency is None:
        try:
            limits = await runner.run(_usage.concurrency_limits(config))
        except SonioxError:
            limits = None  # Unavailable to this key: start from the fixed default.
    width = initial_concurrency(limits, concurrency)
    owned = not hasattr(job, "claim")  # a store object passed in is the caller's to close
    store: JobStore = await anyio.to_thread.run_sync(open_job_store, job, lease_sec)
    send, receive = anyio.create_memory_object_stream[tuple[str, Any]](math.inf)
    batch = _BatchRunner(config, runner, store, writer, lambda key: send.send_nowait((key, FREED)))
    iterator: Iterator[Any] | AsyncIterator[Any] = (
        sources.__aiter__() if isinstance(sources, AsyncIterable) else iter(sources)
    )
    plan = run_batch(config, options, width)

    # Each source's own scope: stopping early cancels the sources, never the task
    # that iterates (an async generator closed by GeneratorExit must not cancel its host).
    scopes: dict[str, anyio.CancelScope] = {}

    async def one(key: str, op: Any) -> None:
        outcome: Any = None
        with anyio.CancelScope() as scope:
            scopes[key] = scope
            try:
                outcome = await batch.run(op)
            except Exception as exc:  # handed to the plan, which decides
                outcome = exc
            finally:
                scopes.pop(key, None)
        if outcome is not None:
            send.send_nowait((key, outcome))

    async def reap(timeout: float | None) -> list[tuple[str, Any]]:
        finished: list[tuple[str, Any]] = []
        with anyio.move_on_after(math.inf if timeout is None else timeout):
            finished.append(await receive.receive())
        while True:
            try:
                finished.append(receive.receive_nowait())
            except anyio.WouldBlock:
                return finished

    group: TaskGroup
    stopped: GeneratorExit | None = None
    try:
        async with anyio.create_task_group() as group:
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
                            group.start_soon(one, effect.key, effect.op)
                        elif isinstance(effect, Reap):
                            value = await reap(effect.timeout)
                        elif isinstance(effect, NextSources):
                            value = await _read(iterator, effect.count)
                        elif isinstance(effect, Emit):
                            for result in effect.items:
                                yield result
                        else:
                            value = await batch.perform(effect)
                    except SonioxError as exc:
                        error = exc
            except BaseException as exc:
                # The caller stopped early, was cancelled or something failed: the
                # running sources unwind (and clean up) shielded.
                for scope in list(scopes.values()):
                    scope.cancel()
                if not isinstance(exc, GeneratorExit):
                    raise
                # Closed early: leave the group without an exception, or it would
                # cancel the iterating task itself; GeneratorExit is raised below.
                stopped = exc
        if stopped is not None:
            raise stopped
    finally:
        plan.close()
        with anyio.CancelScope(shield=True):
            await batch.aclose()
            if owned:
                await anyio.to_thread.run_sync(store.close)
