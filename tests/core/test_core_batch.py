"""The batch plan without sockets: sources classified, the adaptive window, and the
scheduler driven by a synchronous fake driver with a fake clock."""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from _driver import make_config
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import SonioxRateLimitError, SonioxValidationError
from soniox_core._effects import Emit, Now, Sleep
from soniox_core._ops.batch import (
    BatchOptions,
    BatchResult,
    BatchSource,
    ConcurrencyWindow,
    NextSources,
    Reap,
    SourceState,
    Spawn,
    StoreCall,
    Throttled,
    classify_source,
    initial_concurrency,
    reference_for,
    run_batch,
)
from soniox_sync._jobs import MemoryJobStore

CONFIG = make_config()


def test_sources_are_classified_by_shape() -> None:
    assert classify_source("https://a.example/x.mp3") == BatchSource("url", "https://a.example/x.mp3")
    fid = "0b3c9a43-5d7e-4c2f-9a1e-1234567890ab"
    assert classify_source(fid) == BatchSource("file_id", fid)
    assert classify_source("talks/one.wav").kind == "path"
    for bad in ("", None, 3):
        with pytest.raises(SonioxValidationError):
            classify_source(bad)


@given(st.text(min_size=1).filter(lambda s: not s.startswith(("http://", "https://"))))
def test_a_key_names_its_source_again(value: str) -> None:
    source = BatchSource("path", value)
    assert BatchSource.from_key(source.key) == source
    reference = reference_for(source, "x" * 300)
    assert len(reference) <= 256 and reference == reference_for(source, "x" * 300)


@given(st.lists(st.sampled_from(["ok", "429", "cap"]), max_size=200), st.integers(1, 64))
def test_the_window_stays_between_one_and_its_limit(events: list[str], limit: int) -> None:
    window = ConcurrencyWindow(limit)
    for t, event in enumerate(events):
        if event == "ok":
            window.succeeded()
        elif event == "429":
            window.throttled(window.size, float(t), 0.5)
            assert window.room(0, float(t)) == 0  # paused for its Retry-After
        else:
            window.capped(max(0, window.size - 1))
        assert 1 <= window.size <= limit
    for _ in range(limit * limit):
        window.succeeded()
    assert window.size == limit  # grows back


def test_initial_concurrency_prefers_the_caller_then_the_account() -> None:
    class Scope:
        def __init__(self, cap: int | None) -> None:
            self.limits = type("L", (), {"transcribe_concurrent": cap})()

    class Limits:
        project = Scope(None)
        organization = Scope(7)

    assert initial_concurrency(Limits(), 3) == 3
    assert initial_concurrency(Limits(), None) == 7
    assert initial_concurrency(None, None) == 8


def _rate_limited(message: str) -> Throttled:
    return Throttled(
        SonioxRateLimitError(message, status_code=429, error_type="limit_exceeded", retry_after=0.5)
    )


def _drive(
    sources: list[str], width: int, outcomes: dict[str, list[Any]], options: BatchOptions | None = None
) -> tuple[list[BatchResult], int, list[int], list[str]]:
    """Run the plan; each spawned source finishes at the next Reap with its next outcome."""
    store = MemoryJobStore()
    feed: Iterator[str] = iter(sources)
    clock = 0.0
    running: dict[str, Any] = {}
    results: list[BatchResult] = []
    peak = 0
    slices: list[int] = []
    spawned: list[str] = []

    def op_for(state: SourceState) -> Generator[Any, Any, BatchResult]:
        return iter(())  # type: ignore[return-value]

    plan = run_batch(CONFIG, options or BatchOptions(batch_read=16), width, factory=op_for)
    value: Any = None
    while True:
        try:
            effect = plan.send(value)
        except StopIteration:
            break
        value = None
        if isinstance(effect, Now):
            value = clock
        elif isinstance(effect, Sleep):
            clock += effect.seconds
        elif isinstance(effect, StoreCall):
            value = getattr(store, effect.method)(*effect.args)
        elif isinstance(effect, NextSources):
            taken = [classify_source(s) for s in itertools.islice(feed, effect.count)]
            slices.append(len(taken))
            value = taken
        elif isinstance(effect, Spawn):
            running[effect.key] = effect
            spawned.append(effect.key)
            peak = max(peak, len(running))
        elif isinstance(effect, Reap):
            clock += 0.1
            key = next(iter(running))
            del running[key]
            queue = outcomes.get(key)
            outcome = queue.pop(0) if queue else BatchResult(BatchSource.from_key(key))
            value = [(key, outcome)]
        elif isinstance(effect, Emit):
            results.extend(effect.items)
        else:  # pragma: no cover - the plan asked for something unexpected
            raise AssertionError(effect)
    return results, peak, slices, spawned


def test_every_source_is_emitted_once_within_the_window() -> None:
    sources = [f"https://a.example/{i}.wav" for i in range(100)]
    results, peak, slices, _ = _drive(sources, 5, {})
    assert sorted(r.source.value for r in results) == sorted(sources)
    assert peak == 5
    # Read a slice at a time, never all at once: memory stays flat in the count.
    assert max(slices) == 16 and slices[-1] == 0


def test_a_rate_limit_narrows_the_window_and_the_source_is_tried_again() -> None:
    sources = [f"https://a.example/{i}.wav" for i in range(20)]
    key = BatchSource("url", sources[0]).key
    limited = _rate_limited("Requests per minute limit exceeded.")
    results, _, _, spawned = _drive(sources, 4, {key: [limited] * 3})
    assert sorted(r.source.value for r in results) == sorted(sources)
    assert all(r.ok for r in results)
    assert spawned.count(key) == 4  # three 429s, then through


def test_a_total_cap_with_nothing_of_ours_running_is_reported_not_spun_on() -> None:
    source = "https://a.example/only.wav"
    cap = _rate_limited("Total file count limit has been exceeded for your organization. Please delete some.")
    assert cap.quota
    results, _, _, _ = _drive([source], 4, {BatchSource("url", source).key: [cap] * 50})
    [result] = results
    assert isinstance(result.error, SonioxRateLimitError) and result.error_type == "limit_exceeded"


def test_a_total_cap_when_keeping_fails_at_once() -> None:
    sources = [f"https://a.example/{i}.wav" for i in range(3)]
    cap = _rate_limited("Total file size limit has been exceeded for your organization. Please delete some.")
    outcomes = {BatchSource("url", sources[2]).key: [cap]}
    results, _, _, _ = _drive(sources, 3, outcomes, BatchOptions(keep=True))
    failed = [r for r in results if not r.ok]
    assert [r.source.value for r in failed] == [sources[2]]
