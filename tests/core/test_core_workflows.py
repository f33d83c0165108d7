"""Workflows on a fake clock: wait, transcribe, cleanup on failure and on cancellation."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import pytest
from _driver import (
    CLEANUP_REQUEST_TIMEOUT_SEC,
    Cancelled,
    Driver,
    Router,
    api_error,
    file_json,
    make_config,
    response,
    transcript_json,
    transcription_json,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_core import (
    Send,
    Sleep,
    SonioxConflictError,
    SonioxConnectionError,
    SonioxError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxReadTimeoutError,
    SonioxServerError,
    SonioxWaitTimeoutError,
    Timeouts,
    Transcription,
    TranscriptionTranscript,
    WebhookAuthConfig,
)
from soniox_core._ops import workflows

CONFIG = make_config(timeout_sec=60.0)
URL = "https://x.test/a.mp3"
T = "/v1/transcriptions/tr-1"
F = "/v1/files/file-1"


def polls(*statuses: str, **extra: Any) -> list[Any]:
    return [response(200, transcription_json("tr-1", s, **extra)) for s in statuses]


def is_send(method: str, path: str) -> Any:
    return lambda effect, _i: (
        isinstance(effect, Send)
        and (effect.request.method, effect.request.path)
        == (
            method,
            path,
        )
    )


# --- wait ------------------------------------------------------------------------------


def test_wait_polls_until_done() -> None:
    driver = Driver(Router({("GET", T): polls("queued", "processing", "processing", "completed")}))
    result = driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=2.0))
    assert isinstance(result, Transcription) and result.status == "completed"
    assert driver.calls == [("GET", T)] * 4
    assert driver.sleeps == [0.1, 0.2, 0.4]  # short at first, doubling towards the interval


@pytest.mark.parametrize("status", ["completed", "error", "some_future_status"])
def test_wait_does_not_sleep_when_first_poll_is_terminal(status: str) -> None:
    driver = Driver(Router({("GET", T): polls(status)}))
    result = driver.run(workflows.wait(CONFIG, "tr-1", timeout_sec=0))
    assert result.status == status  # ``error`` is returned, not raised
    assert driver.sleeps == []
    assert len(driver.sent) == 1


def test_wait_returns_error_status_with_details() -> None:
    body = transcription_json("tr-1", "error", error_type="audio_decode_error", error_message="bad audio")
    driver = Driver(Router({("GET", T): [*polls("queued"), response(200, body)]}))
    result = driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=1))
    assert (result.status, result.error_message) == ("error", "bad audio")


def test_wait_timeout() -> None:
    driver = Driver(Router({("GET", T): polls("processing")}))
    start = driver.clock
    with pytest.raises(SonioxWaitTimeoutError) as info:
        driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=3.0, timeout_sec=10.0))
    error = info.value
    assert isinstance(error, TimeoutError)
    assert error.transcription_id == "tr-1"
    assert error.timeout_sec == 10.0
    assert "tr-1" in str(error)
    # 0.1 doubling to the 3 s interval; never sleeps past the deadline.
    assert driver.sleeps == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6, 3.0, 3.0, 0.9])
    assert driver.clock - start == pytest.approx(10.0)
    assert len(driver.sent) == 9


def test_wait_timeout_zero_raises_after_one_poll() -> None:
    driver = Driver(Router({("GET", T): polls("queued")}))
    with pytest.raises(SonioxWaitTimeoutError):
        driver.run(workflows.wait(CONFIG, "tr-1", timeout_sec=0))
    assert len(driver.sent) == 1
    assert driver.sleeps == []


def test_wait_counts_request_time_against_the_timeout() -> None:
    driver = Driver(Router({("GET", T): polls("queued")}), send_duration=4.0)
    with pytest.raises(SonioxWaitTimeoutError):
        driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=5.0, timeout_sec=10.0))
    # Polls at 0 (ends 4.0), 4.1 (ends 8.1), 8.3 (ends 12.3): past the deadline.
    assert driver.sleeps == [0.1, 0.2]
    assert len(driver.sent) == 3


def test_wait_without_timeout_keeps_polling() -> None:
    driver = Driver(Router({("GET", T): polls(*["queued"] * 50, "completed")}))
    driver.run(workflows.wait(CONFIG, "tr-1"))
    # Grows to the default 5 s interval, then stays there.
    assert driver.sleeps == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2] + [5.0] * 44


def test_a_job_done_in_150_ms_is_seen_within_a_third_of_a_second() -> None:
    # The default 5 s interval used to make this wait take 5 s or more.
    driver = Driver()
    done_at = driver.clock + 0.15
    driver.handler = Router(
        {("GET", T): lambda _r: polls("completed" if driver.clock >= done_at else "processing")[0]}
    )
    start = driver.clock
    assert driver.run(workflows.wait(CONFIG, "tr-1")).status == "completed"
    assert driver.clock - start == pytest.approx(0.3)
    assert driver.sleeps == pytest.approx([0.1, 0.2])


def test_transcribe_and_wait_polls_adaptively_too() -> None:
    driver = Driver(full_router("queued", "processing", "processing", "completed"))
    driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", wait_interval_sec=0.3))
    assert driver.sleeps == pytest.approx([0.1, 0.2, 0.3])


@given(interval=st.floats(min_value=0.001, max_value=100.0))
def test_poll_delays_start_short_and_reach_the_interval(interval: float) -> None:
    delays = workflows.poll_delays(interval)
    first = [next(delays) for _ in range(40)]
    assert first[0] == min(workflows.FIRST_POLL_SEC, interval)
    assert first == sorted(first)
    assert first[-1] == interval


def test_wait_propagates_api_errors() -> None:
    driver = Driver(Router({("GET", T): [response(404, api_error(404, "transcription_not_found"))]}))
    with pytest.raises(SonioxNotFoundError):
        driver.run(workflows.wait(CONFIG, "tr-1"))


def test_wait_survives_a_transient_poll_failure() -> None:
    driver = Driver(Router({("GET", T): [response(503, None), *polls("completed")]}))
    assert driver.run(workflows.wait(CONFIG, "tr-1")).status == "completed"


@settings(max_examples=60)
@given(
    pending=st.integers(min_value=0, max_value=30),
    interval=st.floats(min_value=0.1, max_value=10.0),
    timeout=st.none() | st.floats(min_value=0.0, max_value=60.0),
    request_time=st.sampled_from([0.0, 0.05, 1.0]),
)
def test_wait_property(pending: int, interval: float, timeout: float | None, request_time: float) -> None:
    driver = Driver(
        Router({("GET", T): polls(*["processing"] * pending, "completed")}), send_duration=request_time
    )
    start = driver.clock
    try:
        result = driver.run(workflows.wait(CONFIG, "tr-1", interval_sec=interval, timeout_sec=timeout))
    except SonioxWaitTimeoutError:
        assert timeout is not None
        assert driver.clock - start >= timeout - 1e-6  # the workflow's clock slack
        assert len(driver.sent) <= pending
    else:
        assert result.status == "completed"
        assert len(driver.sent) == pending + 1
    assert all(0 < s <= interval for s in driver.sleeps)
    # Pauses follow the growing schedule; only the last may be cut short by the deadline.
    schedule = workflows.poll_delays(interval)
    cut = [i for i, slept in enumerate(driver.sleeps) if slept != next(schedule)]
    assert not cut or (timeout is not None and cut == [len(driver.sleeps) - 1])
    if timeout is not None:
        # Sleeping never runs past the deadline; only the last request may.
        assert sum(driver.sleeps) <= timeout + 1e-9


# --- transcribe ------------------------------------------------------------------------


def test_transcribe_from_url() -> None:
    driver = Driver(Router({("POST", "/v1/transcriptions"): [response(201, transcription_json())]}))
    created = driver.run(workflows.transcribe(CONFIG, audio_url=URL, model="m1"))
    assert created.id == "tr-1"
    assert driver.sent[0].json() == {"model": "m1", "audio_url": URL}
    driver = Driver(Router({("POST", "/v1/transcriptions"): [response(201, transcription_json())]}))
    driver.run(workflows.transcribe_from_url(CONFIG, audio_url=URL))
    assert driver.sent[0].json()["audio_url"] == URL


def test_transcribe_from_file_id() -> None:
    driver = Driver(Router({("POST", "/v1/transcriptions"): [response(201, transcription_json())]}))
    driver.run(workflows.transcribe(CONFIG, file_id="file-9", client_reference_id="ref"))
    assert driver.sent[0].json() == {
        "model": "stt-async-v5",
        "file_id": "file-9",
        "client_reference_id": "ref",
    }
    assert driver.calls == [("POST", "/v1/transcriptions")]
    driver = Driver(Router({("POST", "/v1/transcriptions"): [response(201, transcription_json())]}))
    driver.run(workflows.transcribe_from_file_id(CONFIG, file_id="file-9"))
    assert driver.sent[0].json()["file_id"] == "file-9"


def upload_router(more: dict[tuple[str, str], Any] | None = None) -> Router:
    routes: dict[tuple[str, str], Any] = {
        ("POST", "/v1/files"): [response(201, file_json("file-1"))],
        ("POST", "/v1/transcriptions"): [response(201, transcription_json("tr-1", file_id="file-1"))],
    }
    routes.update(more or {})
    return Router(routes)


def test_transcribe_from_file_uploads_then_creates() -> None:
    driver = Driver(upload_router())
    created = driver.run(
        workflows.transcribe(
            CONFIG, file=b"RIFFdata", filename="a.wav", transcription_config={"language_hints": ["en"]}
        )
    )
    assert created.file_id == "file-1"
    assert driver.calls == [("POST", "/v1/files"), ("POST", "/v1/transcriptions")]
    assert b"RIFFdata" in (driver.sent[0].body or b"")
    assert driver.sent[1].json() == {"model": "stt-async-v5", "file_id": "file-1", "language_hints": ["en"]}


def test_transcribe_from_file_deletes_the_upload_when_create_fails() -> None:
    driver = Driver(
        upload_router(
            {
                ("POST", "/v1/transcriptions"): [
                    response(402, api_error(402, "organization_balance_exhausted"))
                ],
                ("DELETE", F): [response(204)],
            }
        )
    )
    with pytest.raises(Exception) as info:
        driver.run(workflows.transcribe_from_file(CONFIG, file=b"x"))
    assert info.value.status_code == 402  # type: ignore[attr-defined]
    assert driver.calls == [("POST", "/v1/files"), ("POST", "/v1/transcriptions"), ("DELETE", F)]


def test_failed_cleanup_does_not_hide_the_original_error(caplog: pytest.LogCaptureFixture) -> None:
    driver = Driver(
        upload_router(
            {
                ("POST", "/v1/transcriptions"): [
                    response(400, api_error(400, "invalid_request", "bad model"))
                ],
                ("DELETE", F): [response(500, api_error(500))],
            }
        )
    )
    with (
        pytest.raises(SonioxInvalidRequestError, match="bad model"),
        caplog.at_level(logging.WARNING, "soniox"),
    ):
        driver.run(workflows.transcribe_from_file(CONFIG, file=b"x"))
    assert driver.calls.count(("DELETE", F)) == 3
    assert any("file-1" in r.getMessage() for r in caplog.records)


def test_transcribe_from_file_deletes_the_upload_when_cancelled_during_create() -> None:
    driver = Driver(
        upload_router({("DELETE", F): [response(204)]}), cancel_at=is_send("POST", "/v1/transcriptions")
    )
    with pytest.raises(Cancelled):
        driver.run(workflows.transcribe_from_file(CONFIG, file=b"x"))
    # The create was never performed; the cleanup ran while unwinding, with capped timeouts.
    assert driver.calls == [("POST", "/v1/files"), ("DELETE", F)]
    cleanup = driver.sent[-1]
    assert cleanup.during_unwind
    assert cleanup.timeouts == Timeouts(*(CLEANUP_REQUEST_TIMEOUT_SEC,) * 4)


def test_transcribe_from_file_cancelled_while_retrying_create() -> None:
    # A create that never left is retried after a sleep; cancelling that sleep cleans up.
    driver = Driver(
        upload_router(
            {
                ("POST", "/v1/transcriptions"): [SonioxConnectionError("refused", request_sent=False)],
                ("DELETE", F): [response(204)],
            }
        ),
        cancel_at=lambda effect, _i: isinstance(effect, Sleep),
    )
    with pytest.raises(Cancelled):
        driver.run(workflows.transcribe_from_file(CONFIG, file=b"x"))
    assert driver.calls[-1] == ("DELETE", F)


def test_transcribe_file_with_webhook() -> None:
    driver = Driver(upload_router())
    driver.run(
        workflows.transcribe_file_with_webhook(
            CONFIG,
            file=b"x",
            webhook_url="https://hooks.test/soniox",
            webhook_auth=WebhookAuthConfig(name="X-Hook", value="s3cret"),
            client_reference_id="ref",
        )
    )
    assert driver.calls == [("POST", "/v1/files"), ("POST", "/v1/transcriptions")]
    assert driver.sent[1].json() == {
        "model": "stt-async-v5",
        "file_id": "file-1",
        "client_reference_id": "ref",
        "webhook_url": "https://hooks.test/soniox",
        "webhook_auth_header_name": "X-Hook",
        "webhook_auth_header_value": "s3cret",
    }
    assert b'name="client_reference_id"\r\n\r\nref' in (driver.sent[0].body or b"")


def test_transcribe_file_with_webhook_without_auth() -> None:
    driver = Driver(upload_router())
    driver.run(
        workflows.transcribe_file_with_webhook(
            CONFIG, file=b"x", webhook_url="https://hooks.test/soniox", webhook_auth=None
        )
    )
    body = driver.sent[1].json()
    assert body["webhook_url"] == "https://hooks.test/soniox"
    assert "webhook_auth_header_name" not in body and "webhook_auth_header_value" not in body


# --- transcribe_and_wait ----------------------------------------------------------------


def full_router(*statuses: Any) -> Router:
    """Routes for upload, create, polls answering ``statuses``, transcript and deletes;
    a trailing dict overrides routes."""
    more: dict[tuple[str, str], Any] = {}
    if statuses and isinstance(statuses[-1], dict):
        more, statuses = statuses[-1], statuses[:-1]
    return upload_router(
        {
            ("GET", T): polls(*statuses, file_id="file-1"),
            ("DELETE", T): [response(204)],
            ("DELETE", F): [response(204)],
            ("GET", T + "/transcript"): [response(200, transcript_json())],
            **more,
        }
    )


def test_transcribe_and_wait_without_delete() -> None:
    driver = Driver(full_router("processing", "completed"))
    result = driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", wait_interval_sec=1))
    assert result.status == "completed"
    assert driver.calls == [("POST", "/v1/files"), ("POST", "/v1/transcriptions"), ("GET", T), ("GET", T)]
    assert driver.sleeps == [0.1]


def test_transcribe_and_wait_delete_after_success() -> None:
    driver = Driver(full_router("completed"))
    result = driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", delete_after=True))
    assert result.status == "completed"
    assert driver.calls == [
        ("POST", "/v1/files"),
        ("POST", "/v1/transcriptions"),
        ("GET", T),
        ("DELETE", T),
        ("DELETE", F),
    ]


def test_transcribe_and_wait_delete_after_with_url_makes_no_files_call() -> None:
    router = Router(
        {
            ("POST", "/v1/transcriptions"): [response(201, transcription_json())],
            ("GET", T): polls("completed"),
            ("DELETE", T): [response(204)],
        }
    )
    driver = Driver(router)
    driver.run(workflows.transcribe_and_wait(CONFIG, audio_url=URL, delete_after=True))
    assert driver.calls == [("POST", "/v1/transcriptions"), ("GET", T), ("DELETE", T)]


def test_transcribe_and_wait_never_deletes_a_caller_supplied_file() -> None:
    router = Router(
        {
            ("POST", "/v1/transcriptions"): [response(201, transcription_json(file_id="mine"))],
            ("GET", T): polls("completed", file_id="mine"),
            ("DELETE", T): [response(204)],
        }
    )
    driver = Driver(router)
    driver.run(workflows.transcribe_and_wait(CONFIG, file_id="mine", delete_after=True))
    assert driver.calls == [("POST", "/v1/transcriptions"), ("GET", T), ("DELETE", T)]
    failing = Router({**router.routes, ("GET", T): [response(400, api_error(400))]})
    driver = Driver(failing)
    with pytest.raises(SonioxInvalidRequestError):
        driver.run(workflows.transcribe_and_wait(CONFIG, file_id="mine", delete_after=True))
    assert not any(path.startswith("/v1/files") for _, path in driver.calls)


def test_transcribe_and_wait_deletes_on_wait_failure() -> None:
    driver = Driver(full_router({("GET", T): [response(400, api_error(400, "x", "poll failed"))]}))
    with pytest.raises(SonioxInvalidRequestError, match="poll failed"):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", delete_after=True))
    assert driver.calls[-2:] == [("DELETE", T), ("DELETE", F)]


def test_transcribe_and_wait_without_delete_after_leaves_everything_on_failure() -> None:
    driver = Driver(full_router({("GET", T): [response(400, api_error(400))]}))
    with pytest.raises(SonioxInvalidRequestError):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x"))
    assert all(method != "DELETE" for method, _ in driver.calls)


def test_transcribe_and_wait_timeout_tries_to_clean_up_and_raises_the_timeout() -> None:
    driver = Driver(full_router("processing", {("DELETE", T): [response(409, api_error(409))]}))
    with pytest.raises(SonioxWaitTimeoutError) as info:
        driver.run(
            workflows.transcribe_and_wait(
                CONFIG, file=b"x", delete_after=True, wait_interval_sec=1, wait_timeout_sec=2
            )
        )
    assert info.value.transcription_id == "tr-1"
    # The transcription is still processing (409), but the upload behind it can go.
    assert driver.calls[-2:] == [("DELETE", T), ("DELETE", F)]


@pytest.mark.parametrize("where", ["sleep", "poll"])
def test_transcribe_and_wait_deletes_on_cancellation(where: str) -> None:
    on_sleep = lambda effect, _i: isinstance(effect, Sleep)  # noqa: E731
    cancel_at = on_sleep if where == "sleep" else is_send("GET", T)
    driver = Driver(full_router("processing"), cancel_at=cancel_at)
    with pytest.raises(Cancelled):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", delete_after=True))
    unwound = [(s.method, s.path) for s in driver.sent if s.during_unwind]
    assert unwound == [("DELETE", T), ("DELETE", F)]
    assert all(s.timeouts.read == CLEANUP_REQUEST_TIMEOUT_SEC for s in driver.sent if s.during_unwind)


def test_cancellation_wins_over_a_failing_cleanup() -> None:
    driver = Driver(
        full_router(
            "processing",
            {("DELETE", T): [SonioxReadTimeoutError("slow")], ("DELETE", F): [SonioxConnectionError("down")]},
        ),
        cancel_at=lambda effect, _i: isinstance(effect, Sleep),
    )
    with pytest.raises(Cancelled):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x", delete_after=True))
    assert any(s.during_unwind for s in driver.sent)


def test_cancellation_without_delete_after_sends_nothing_more() -> None:
    driver = Driver(full_router("processing"), cancel_at=lambda effect, _i: isinstance(effect, Sleep))
    with pytest.raises(Cancelled):
        driver.run(workflows.transcribe_and_wait(CONFIG, file=b"x"))
    assert not any(s.during_unwind for s in driver.sent)


def test_with_tokens_fetches_the_transcript_before_deleting() -> None:
    driver = Driver(full_router("queued", "completed"))
    result = driver.run(workflows.transcribe_and_wait_with_tokens(CONFIG, file=b"x", delete_after=True))
    assert isinstance(result, TranscriptionTranscript)
    assert result.text == "hello world"
    assert driver.calls == [
        ("POST", "/v1/files"),
        ("POST", "/v1/transcriptions"),
        ("GET", T),
        ("GET", T),
        ("GET", T + "/transcript"),
        ("DELETE", T),
        ("DELETE", F),
    ]


def test_with_tokens_failure_to_fetch_still_cleans_up() -> None:
    driver = Driver(full_router("error", {("GET", T + "/transcript"): [response(409, api_error(409))]}))
    with pytest.raises(SonioxConflictError):
        driver.run(workflows.transcribe_and_wait_with_tokens(CONFIG, file=b"x", delete_after=True))
    assert driver.calls[-2:] == [("DELETE", T), ("DELETE", F)]


def test_cleanup_failure_on_success_is_raised() -> None:
    # On the success path a failed deletion is the caller's business, not swallowed.
    driver = Driver(full_router("completed", {("DELETE", T): [response(500, api_error(500))]}))
    with pytest.raises(SonioxServerError):
        driver.run(workflows.transcribe_and_wait(CONFIG, audio_url=URL, delete_after=True))


def _effect_count(op_factory: Any) -> int:
    driver = Driver(full_router("queued", "processing", "completed"))
    driver.run(op_factory())
    return len(driver.effects)


def _transcribe_and_wait_with_tokens() -> Any:
    return workflows.transcribe_and_wait_with_tokens(
        CONFIG, file=b"x", delete_after=True, wait_interval_sec=1
    )


@pytest.mark.parametrize("index", range(_effect_count(_transcribe_and_wait_with_tokens)))
def test_cancelling_at_any_effect_leaves_nothing_behind(index: int) -> None:
    driver = Driver(full_router("queued", "processing", "completed"), cancel_at=lambda _e, i: i == index)
    with pytest.raises(Cancelled):
        driver.run(_transcribe_and_wait_with_tokens())
    before = [(s.method, s.path) for s in driver.sent if not s.during_unwind]
    unwound = [(s.method, s.path) for s in driver.sent if s.during_unwind]
    created_file = ("POST", "/v1/files") in before
    created_transcription = ("POST", "/v1/transcriptions") in before
    # Whatever was created and not yet deleted is deleted while unwinding, the
    # transcription first, also when the cancellation hits a final deletion itself.
    # (Repeating a deletion that already went through is harmless: it is a 404.)
    missing = [
        call
        for call, created in ((("DELETE", T), created_transcription), (("DELETE", F), created_file))
        if created and call not in before
    ]
    assert [c for c in unwound if c in missing] == missing, (index, before, unwound)
    assert set(unwound) <= {("DELETE", T), ("DELETE", F)}
    assert unwound == sorted(unwound, key=lambda c: c != ("DELETE", T))


# --- a fault schedule: whatever fails, nothing is created twice or left behind ----------------

_faults = st.sampled_from(
    [
        "ok",
        "ok",
        "ok",
        "503",
        "429",
        "500",
        "sent-timeout",
        "unsent-connect",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    schedule=st.lists(_faults, max_size=12),
    pending_polls=st.integers(min_value=0, max_value=3),
    cancel_index=st.none() | st.integers(min_value=0, max_value=25),
    source=st.sampled_from(["file", "audio_url"]),
    with_tokens=st.booleans(),
)
def test_fault_schedule_invariants(
    schedule: list[str], pending_polls: int, cancel_index: int | None, source: str, with_tokens: bool
) -> None:
    faults = iter(schedule)
    polls_left = [pending_polls]
    outcomes: list[tuple[str, str, str]] = []  # (method, path, "created" | "maybe" | "no")

    def handler(request: Any) -> Any:
        key = (request.method, request.path)
        fault = next(faults, "ok")
        if fault == "sent-timeout":
            outcomes.append((*key, "maybe"))
            return SonioxReadTimeoutError("lost answer", request_sent=True)
        if fault == "unsent-connect":
            outcomes.append((*key, "no"))
            return SonioxConnectionError("refused", request_sent=False)
        if fault != "ok":
            outcomes.append((*key, "no"))
            headers = [("Retry-After", "1")] if fault == "429" else []
            return response(int(fault), api_error(int(fault)), headers=headers)
        outcomes.append((*key, "created"))
        if key == ("POST", "/v1/files"):
            return response(201, file_json("file-1"))
        if key == ("POST", "/v1/transcriptions"):
            return response(201, transcription_json("tr-1", file_id="file-1" if source == "file" else None))
        if key == ("GET", T):
            polls_left[0] -= 1
            return response(
                200, transcription_json("tr-1", "processing" if polls_left[0] >= 0 else "completed")
            )
        if key == ("GET", T + "/transcript"):
            return response(200, transcript_json())
        return response(204)

    driver = Driver(handler, cancel_at=None if cancel_index is None else (lambda _e, i: i == cancel_index))
    op_factory = workflows.transcribe_and_wait_with_tokens if with_tokens else workflows.transcribe_and_wait
    kwargs: dict[str, Any] = {"file": b"audio"} if source == "file" else {"audio_url": URL}
    with contextlib.suppress(Cancelled, SonioxError):
        driver.run(op_factory(CONFIG, delete_after=True, wait_interval_sec=1, **kwargs))

    for create in (("POST", "/v1/files"), ("POST", "/v1/transcriptions")):
        attempts = [state for method, path, state in outcomes if (method, path) == create]
        # A create that may have reached the server is never repeated.
        for index, state in enumerate(attempts):
            if state != "no":
                assert len(attempts) == index + 1, (create, attempts)
    for create, delete in (
        (("POST", "/v1/files"), ("DELETE", F)),
        (("POST", "/v1/transcriptions"), ("DELETE", T)),
    ):
        created_at = [i for i, o in enumerate(outcomes) if (o[0], o[1]) == create and o[2] == "created"]
        if created_at:
            later = [o for o in outcomes[created_at[0] + 1 :] if (o[0], o[1]) == delete]
            assert later, f"{create} succeeded but {delete} was never attempted: {outcomes}"
