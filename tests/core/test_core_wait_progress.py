"""``on_progress`` and ``cleanup_wait_sec`` of the waiting workflows, on a fake clock."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from _driver import Cancelled, Driver, Router, api_error, file_json, make_config, response, transcription_json
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_core import (
    Sleep,
    SonioxConflictError,
    SonioxInvalidRequestError,
    SonioxValidationError,
    SonioxWaitTimeoutError,
    WaitProgress,
)
from soniox_core._ops import workflows
from soniox_core._progress import PROGRESS_TICK_SEC

CONFIG = make_config(timeout_sec=60.0)
T = "/v1/transcriptions/tr-1"
F = "/v1/files/file-1"
CONFLICT = response(409, api_error(409, "transcription_in_progress", "still processing"))


def polls(*statuses: str) -> list[Any]:
    return [response(200, transcription_json("tr-1", s, file_id="file-1")) for s in statuses]


def router(*statuses: str, **routes: Any) -> Router:
    return Router(
        {
            ("POST", "/v1/files"): [response(201, file_json())],
            ("POST", "/v1/transcriptions"): [response(201, transcription_json(file_id="file-1"))],
            ("GET", T): polls(*statuses),
            ("DELETE", T): routes.get("delete_transcription", [response(204)]),
            ("DELETE", F): [response(204)],
        }
    )


# --- wait ------------------------------------------------------------------------------


def test_wait_reports_after_every_poll_and_every_tick_between() -> None:
    reports: list[WaitProgress] = []
    driver = Driver(router("queued", "processing", "completed"))
    done = driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=2.0, on_progress=reports.append))
    assert done.status == "completed"
    # Polls after 0.1 s and 0.2 s as without a callback, the pauses cut into ticks.
    assert driver.calls == [("GET", T)] * 3
    assert sum(driver.sleeps) == pytest.approx(0.3)
    assert all(s <= PROGRESS_TICK_SEC + 1e-9 for s in driver.sleeps)
    polled = [r.transcription.status for r in reports if r.transcription is not None]
    assert polled[0] == "queued" and polled[-1] == "completed"
    assert {r.stage for r in reports} == {"waiting"}
    assert {r.transcription_id for r in reports} == {"tr-1"}
    assert len(reports) == 3 + len(driver.sleeps)  # one per poll, one per tick
    elapsed = [r.elapsed_sec for r in reports]
    assert elapsed == sorted(elapsed) and elapsed[0] == 0.0 and elapsed[-1] == pytest.approx(0.3)


def test_wait_without_a_callback_asks_for_the_same_effects_as_before() -> None:
    driver = Driver(router("queued", "processing", "processing", "completed"))
    driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=2.0))
    assert driver.sleeps == [0.1, 0.2, 0.4]


@settings(max_examples=40, deadline=None)
@given(
    pending=st.integers(min_value=0, max_value=8),
    interval=st.floats(min_value=0.05, max_value=3.0),
    timeout=st.one_of(st.none(), st.floats(min_value=0.0, max_value=5.0)),
)
def test_a_callback_changes_neither_the_polls_nor_the_outcome(
    pending: int, interval: float, timeout: float | None
) -> None:
    def outcome(on_progress: Any) -> tuple[Any, int, float]:
        driver = Driver(router(*["processing"] * pending, "completed"))
        op = workflows.wait(
            CONFIG, "tr-1", interval_sec=interval, timeout_sec=timeout, on_progress=on_progress
        )
        try:
            result: Any = driver.run(op).status
        except SonioxWaitTimeoutError as exc:
            result = type(exc)
        return result, len(driver.calls), sum(driver.sleeps)

    plain, reported = outcome(None), outcome(lambda _p: None)
    assert reported[:2] == plain[:2]
    assert reported[2] == pytest.approx(plain[2])


def test_a_failing_callback_ends_the_wait_with_its_error() -> None:
    def broken(_progress: WaitProgress) -> None:
        raise RuntimeError("display broke")

    driver = Driver(router("processing", "completed"))
    with pytest.raises(RuntimeError, match="display broke"):
        driver.run(workflows.wait(CONFIG, "tr-1", on_progress=broken))


@pytest.mark.parametrize("bad", ["print", 3, object()])
def test_on_progress_must_be_callable(bad: object) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        next(workflows.wait(CONFIG, "tr-1", on_progress=bad))  # type: ignore[arg-type]
    assert caught.value.field == "on_progress"
    with pytest.raises(SonioxValidationError) as caught:
        next(workflows.transcribe_and_wait(CONFIG, file=b"x", on_progress=bad))  # type: ignore[arg-type]
    assert caught.value.field == "on_progress"


# --- delete_when_stopped -----------------------------------------------------------------


def test_delete_when_stopped_reports_while_the_job_still_runs() -> None:
    reports: list[WaitProgress] = []
    driver = Driver(router(delete_transcription=[CONFLICT, CONFLICT, response(204)]))
    driver.run(workflows.delete_when_stopped(CONFIG, "tr-1", 5.0, reports.append))
    assert driver.calls == [("DELETE", T)] * 3
    assert reports and {r.stage for r in reports} == {"cleaning_up"}
    assert all(r.transcription is None and r.transcription_id == "tr-1" for r in reports)
    assert sum(driver.sleeps) == pytest.approx(0.1 + 0.2)


def test_delete_when_stopped_gives_up_after_wait_sec() -> None:
    driver = Driver(router(delete_transcription=[CONFLICT]))
    with pytest.raises(SonioxConflictError):
        driver.run(workflows.delete_when_stopped(CONFIG, "tr-1", 3.0))
    assert sum(driver.sleeps) == pytest.approx(3.0)


def test_delete_when_stopped_with_no_wait_asks_once() -> None:
    driver = Driver(router(delete_transcription=[CONFLICT]))
    with pytest.raises(SonioxConflictError):
        driver.run(workflows.delete_when_stopped(CONFIG, "tr-1", 0.0))
    assert driver.calls == [("DELETE", T)] and driver.sleeps == []


@pytest.mark.parametrize("bad", [-1.0, float("nan"), "10"])
def test_delete_when_stopped_rejects_a_bad_wait(bad: object) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        next(workflows.delete_when_stopped(CONFIG, "tr-1", bad))  # type: ignore[arg-type]
    assert caught.value.field == "wait_sec"


# --- transcribe_and_wait: cleanup_wait_sec and reports while cleaning up -------------------


def test_cancellation_with_cleanup_wait_waits_for_the_job_to_stop_then_deletes_both() -> None:
    # What Ctrl-C during the wait does for a caller who asked for cleanup_wait_sec:
    # the running job refuses deletion twice, then stops and goes; the upload goes too.
    reports: list[WaitProgress] = []
    driver = Driver(
        router("processing", delete_transcription=[CONFLICT, CONFLICT, response(204)]),
        cancel_at=lambda effect, _i: isinstance(effect, Sleep),
    )
    with pytest.raises(Cancelled):
        driver.run(
            workflows.transcribe_and_wait(
                CONFIG, file=b"x", delete_after=True, on_progress=reports.append, cleanup_wait_sec=60.0
            )
        )
    unwound = [(s.method, s.path) for s in driver.sent if s.during_unwind]
    assert unwound == [("DELETE", T)] * 3 + [("DELETE", F)]
    assert reports[0].stage == "waiting" and reports[-1].stage == "cleaning_up"


def test_cancellation_without_cleanup_wait_still_does_not_wait() -> None:
    driver = Driver(
        router("processing", delete_transcription=[CONFLICT]),
        cancel_at=lambda effect, _i: isinstance(effect, Sleep),
    )
    with pytest.raises(Cancelled):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", delete_after=True))
    unwound = [(s.method, s.path) for s in driver.sent if s.during_unwind]
    assert unwound == [("DELETE", T), ("DELETE", F)]


def test_cleanup_wait_sec_bounds_the_wait_after_a_failed_poll() -> None:
    routes = router(delete_transcription=[CONFLICT]).routes
    routes[("GET", T)] = [response(400, api_error(400))]
    driver = Driver(Router(routes))
    with pytest.raises(SonioxInvalidRequestError):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", delete_after=True, cleanup_wait_sec=2.5))
    assert sum(driver.sleeps) == pytest.approx(2.5)
    assert driver.calls[-1] == ("DELETE", F)


def test_the_timeout_never_waits_for_cleanup_and_the_log_names_what_is_left(
    caplog: pytest.LogCaptureFixture,
) -> None:
    driver = Driver(router("processing", delete_transcription=[CONFLICT]))
    with caplog.at_level(logging.WARNING, logger="soniox"), pytest.raises(SonioxWaitTimeoutError):
        driver.run(
            workflows.transcribe_and_wait(
                CONFIG, file=b"x", delete_after=True, wait_timeout_sec=1.0, cleanup_wait_sec=60.0
            )
        )
    assert [path for method, path in driver.calls if method == "DELETE"] == [T, F]
    [record] = caplog.records
    assert record.getMessage() == (
        "transcription tr-1 is still running and was left behind; delete it once it has stopped"
    )


@pytest.mark.parametrize("bad", [-1.0, float("inf"), True])
def test_cleanup_wait_sec_is_checked_before_anything_is_sent(bad: object) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        next(workflows.transcribe_and_wait(CONFIG, file=b"x", cleanup_wait_sec=bad))  # type: ignore[arg-type]
    assert caught.value.field == "cleanup_wait_sec"
