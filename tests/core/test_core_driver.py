"""The scripted test driver itself: it must perform effects the way the real runners do.

The parity tests run the same operations through ``soniox_sync``'s ``Runner``
over a fake connection pool (no socket) and compare what was sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from types import SimpleNamespace
from typing import Any

import pytest
from _driver import (
    CLEANUP_REQUEST_TIMEOUT_SEC,
    Cancelled,
    Driver,
    Router,
    file_json,
    make_config,
    response,
    script,
    transcript_json,
    transcription_json,
)

from soniox_core import (
    Emit,
    HttpRequest,
    HttpResponse,
    Now,
    Send,
    Sleep,
    SonioxConnectionError,
    SonioxError,
    Timeouts,
)
from soniox_core._ops import workflows

CONFIG = make_config()
REQUEST = HttpRequest("DELETE", "/v1/files/x")


def test_clock_sleep_and_now() -> None:
    def op() -> Generator[Any, Any, tuple[float, float]]:
        first = yield Now()
        yield Sleep(2.5)
        second = yield Now()
        return first, second

    driver = Driver(clock=10.0)
    assert driver.run(op()) == (10.0, 12.5)
    assert driver.sleeps == [2.5]


def test_soniox_errors_are_thrown_in() -> None:
    def op() -> Generator[Any, Any, str]:
        try:
            yield Send(REQUEST, Timeouts())
        except SonioxConnectionError as exc:
            return f"caught {exc}"
        return "not caught"

    driver = Driver(script(SonioxConnectionError("down")))
    assert driver.run(op()) == "caught down"


def test_emit_is_collected_by_iterate() -> None:
    def op() -> Generator[Any, Any, None]:
        yield Emit([1, 2])
        yield Sleep(1)
        yield Emit([3])

    driver = Driver()
    assert driver.iterate(op()) == [1, 2, 3]
    assert driver.emitted == [1, 2, 3]


def test_unknown_effect() -> None:
    def op() -> Generator[Any, Any, None]:
        yield "nonsense"

    with pytest.raises(TypeError):
        Driver().run(op())


def test_cancellation_unwinds_with_capped_timeouts_and_reraises() -> None:
    def op() -> Generator[Any, Any, None]:
        try:
            yield Sleep(100)
        finally:
            with contextlib.suppress(SonioxError):
                yield Send(REQUEST, Timeouts(60, None, 60, 60))
            yield Send(REQUEST, Timeouts(1, 1, 1, 1))

    driver = Driver(
        script(SonioxConnectionError("cleanup 1 failed"), response(204)),
        cancel_at=lambda effect, _i: isinstance(effect, Sleep),
    )
    with pytest.raises(Cancelled):
        driver.run(op())
    assert [s.during_unwind for s in driver.sent] == [True, True]
    assert driver.sent[0].timeouts == Timeouts(*(CLEANUP_REQUEST_TIMEOUT_SEC,) * 5)
    assert driver.sent[1].timeouts == Timeouts(1, 1, 1, 1, CLEANUP_REQUEST_TIMEOUT_SEC)
    assert driver.sleeps == []


def test_an_op_that_swallows_cancellation_still_ends_cancelled() -> None:
    def op() -> Generator[Any, Any, str]:
        try:
            yield Sleep(1)
        except Cancelled:
            return "swallowed"
        return "finished"

    driver = Driver(cancel_at=lambda effect, _i: isinstance(effect, Sleep))
    with pytest.raises(Cancelled):
        driver.run(op())


# --- parity with the real sync runner --------------------------------------------------


class FakePool:
    """Stands in for httpcore's ConnectionPool: answers from a handler, records (method, path).

    ``stream`` is what the runner calls; ``request`` answers in full, as httpcore's does.
    """

    def __init__(self, handler: Any, interrupt_at: int | None = None) -> None:
        self.handler = handler
        self.calls: list[tuple[str, str]] = []
        self.timeouts: list[dict[str, Any]] = []
        self.interrupt_at = interrupt_at
        self.seen = 0

    def request(self, method: bytes | str, url: Any, **kwargs: Any) -> Any:
        index = self.seen
        self.seen += 1
        if index == self.interrupt_at:
            raise KeyboardInterrupt
        method_text = method.decode() if isinstance(method, bytes) else method
        target = url.target.decode()
        content = kwargs.get("content")
        if content is not None and not isinstance(content, bytes):
            b"".join(content)
        self.calls.append((method_text, target.split("?", 1)[0]))
        self.timeouts.append(kwargs["extensions"]["timeout"])
        result: HttpResponse = self.handler(HttpRequest(method_text, target))
        return SimpleNamespace(
            status=result.status,
            headers=result.headers,
            content=result.body,
            extensions={},
            read=lambda: result.body,
            iter_stream=lambda: iter([result.body]),
        )

    @contextlib.contextmanager
    def stream(self, method: bytes | str, url: Any, **kwargs: Any) -> Generator[Any, None, None]:
        yield self.request(method, url, **kwargs)

    def close(self) -> None:
        pass


def _router() -> Router:
    return Router(
        {
            ("POST", "/v1/files"): [response(201, file_json("file-1"))],
            ("POST", "/v1/transcriptions"): [response(201, transcription_json(file_id="file-1"))],
            ("GET", "/v1/transcriptions/tr-1"): [
                response(200, transcription_json(status="processing")),
                response(200, transcription_json(status="completed")),
            ],
            ("GET", "/v1/transcriptions/tr-1/transcript"): [response(200, transcript_json())],
            ("DELETE", "/v1/transcriptions/tr-1"): [response(204)],
            ("DELETE", "/v1/files/file-1"): [response(204)],
        }
    )


def _op() -> Any:
    return workflows.transcribe_and_wait_with_tokens(
        CONFIG, file=b"x", delete_after=True, wait_interval_sec=0.001
    )


def _sync_runner(pool: FakePool) -> Any:
    runner_module = pytest.importorskip("soniox_sync._runner")
    return runner_module.Runner(CONFIG, pool=pool)


def test_same_requests_as_the_sync_runner() -> None:
    pool = FakePool(_router())
    expected = _sync_runner(pool).run(_op())
    driver = Driver(_router())
    assert driver.run(_op()) == expected
    assert driver.calls == pool.calls


@pytest.mark.parametrize("send_index", range(7))
def test_same_unwinding_as_the_sync_runner(send_index: int) -> None:
    pool = FakePool(_router(), interrupt_at=send_index)
    with pytest.raises(KeyboardInterrupt):
        _sync_runner(pool).run(_op())
    sends = iter(range(100))
    driver = Driver(
        _router(),
        cancel_at=lambda effect, _i: isinstance(effect, Send) and next(sends) == send_index,
        cancel_with=KeyboardInterrupt,
    )
    with pytest.raises(KeyboardInterrupt):
        driver.run(_op())
    assert driver.calls == pool.calls
    timeout_extension = pytest.importorskip("soniox_sync._pool").timeout_extension
    unwound = [timeout_extension(s.timeouts) for s in driver.sent if s.during_unwind]
    assert unwound == pool.timeouts[len(pool.timeouts) - len(unwound) :]
