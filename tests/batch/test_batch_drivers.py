"""``stt.transcribe_many`` on the async client (asyncio, trio) and the sync client,
against the emulator with its account limits on."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import aclosing
from pathlib import Path
from typing import Any

import anyio
import pytest
from batch_support import FLAVOURS, leftovers

from soniox_async import AsyncSonioxClient
from soniox_core import SonioxRateLimitError, SonioxValidationError
from soniox_core._ops.batch import BatchResult, BatchSource, SonioxTranscriptionFailedError
from soniox_emulator import Emulator
from soniox_sync import SonioxClient
from soniox_sync._jobs import SqliteJobStore

pytestmark = [pytest.mark.anyio, FLAVOURS]


async def run_many(flavour: str, emu: Emulator, sources: Any, **options: Any) -> list[BatchResult]:
    options.setdefault("wait_interval_sec", 0.02)
    if flavour == "sync":

        def blocking() -> list[BatchResult]:
            with SonioxClient(api_key=emu.api_key, api_base_url=emu.base_url) as client:
                return list(client.stt.transcribe_many(sources, **options))

        return await anyio.to_thread.run_sync(blocking)
    client = AsyncSonioxClient(api_key=emu.api_key, api_base_url=emu.base_url)
    async with client, aclosing(client.stt.transcribe_many(sources, **options)) as results:
        return [r async for r in results]


async def test_every_source_once_with_limits_on(
    flavour: str, emu: Emulator, make_audio: Callable[[int], list[str]]
) -> None:
    paths = make_audio(60)
    emu.limits.requests_per_minute = {"file management": 400, "async transcription": 1000}
    emu.limits.max_pending_transcriptions = 3
    emu.limits.max_files = 5
    emu.processing_sec = 0.02
    written: list[str] = []
    results = await run_many(
        flavour, emu, iter(paths), concurrency=8, writer=lambda source, t: written.append(source.value)
    )
    assert sorted(r.source.value for r in results) == sorted(paths)
    assert all(r.ok and r.transcript is not None for r in results), [r.error for r in results if not r.ok]
    assert sorted(written) == sorted(paths)
    assert emu.created["transcriptions"] == 60
    assert emu.created["files"] == 60
    assert leftovers(emu) == (0, 0)
    # The limits were met (429s were answered) and absorbed, not passed on.
    refused = [r for r in emu.requests if r.route in ("/v1/files", "/v1/transcriptions")]
    assert len(refused) > 120


async def test_urls_file_ids_and_typed_failures(
    flavour: str, emu: Emulator, make_audio: Callable[[int], list[str]], tmp_path: Path
) -> None:
    [good, broken] = make_audio(2)
    emu.fail_transcription(filename=os.path.basename(broken))
    with SonioxClient(api_key=emu.api_key, api_base_url=emu.base_url) as client:
        mine = client.files.upload(good).id
    sources = [
        good,
        broken,
        "https://audio.example/one.mp3",
        "https://nowhere.invalid/x.wav",
        mine,
        "/no/such.wav",
    ]
    results = {r.source.value: r for r in await run_many(flavour, emu, sources, job=str(tmp_path / "job.db"))}
    assert results[good].ok and results[mine].ok
    assert results["https://audio.example/one.mp3"].ok
    assert isinstance(results[broken].error, SonioxTranscriptionFailedError)
    assert results[broken].error_type == "audio_decode_error"
    assert results["https://nowhere.invalid/x.wav"].error_type == "audio_download_error"
    assert isinstance(results["/no/such.wav"].error, SonioxValidationError)
    # The caller's own upload is left alone; everything the batch made is gone.
    assert leftovers(emu) == (1, 0)
    assert results[mine].source == BatchSource("file_id", mine)


async def test_file_cap_with_keep_is_reported_not_retried_blindly(
    flavour: str, emu: Emulator, make_audio: Callable[[int], list[str]]
) -> None:
    paths = make_audio(4)
    emu.limits.max_files = 2
    results = await run_many(flavour, emu, paths, concurrency=2, keep=True)
    ok = [r for r in results if r.ok]
    capped = [r for r in results if not r.ok]
    assert len(ok) == 2 and len(capped) == 2
    assert all(isinstance(r.error, SonioxRateLimitError) for r in capped)
    assert all("Total file count" in str(r.error) for r in capped)
    assert leftovers(emu) == (2, 2)  # kept, as asked
    uploads = emu.request_count("POST", "/v1/files")
    assert uploads < 2 + 2 * 25  # a bounded number of tries, then the failure


async def test_starts_from_the_account_concurrency_limit(
    flavour: str, emu: Emulator, make_audio: Callable[[int], list[str]]
) -> None:
    emu.usage.limits["project"]["transcribe_concurrent"] = 2
    emu.limits.max_pending_transcriptions = 2
    emu.processing_sec = 0.02
    results = await run_many(flavour, emu, make_audio(10))
    assert all(r.ok for r in results)
    # Starting at the account's 2, no create ever met the pending cap.
    assert emu.request_count("POST", "/v1/transcriptions") == 10


async def test_invalid_concurrency_sends_nothing(flavour: str, emu: Emulator) -> None:
    with pytest.raises(SonioxValidationError) as raised:
        await run_many(flavour, emu, ["https://a.example/x.wav"], concurrency=0)
    assert raised.value.field == "concurrency"
    assert emu.requests == []


async def test_stopping_early_leaves_nothing_behind_and_a_rerun_finishes(
    flavour: str, emu: Emulator, make_audio: Callable[[int], list[str]], tmp_path: Path
) -> None:
    paths = make_audio(40)
    emu.processing_sec = 0.05
    job = str(tmp_path / "job.db")
    seen: list[BatchResult] = []
    if flavour == "sync":

        def blocking() -> None:
            with SonioxClient(api_key=emu.api_key, api_base_url=emu.base_url) as client:
                results = client.stt.transcribe_many(paths, job=job, concurrency=6, wait_interval_sec=0.02)
                for result in results:
                    seen.append(result)
                    if len(seen) == 5:
                        results.close()  # type: ignore[attr-defined]
                        break

        await anyio.to_thread.run_sync(blocking)
    else:
        client = AsyncSonioxClient(api_key=emu.api_key, api_base_url=emu.base_url)
        many = client.stt.transcribe_many(paths, job=job, concurrency=6, wait_interval_sec=0.02)
        async with client, aclosing(many) as results:
            async for result in results:
                seen.append(result)
                if len(seen) == 5:
                    break
    # Whatever was in flight was finished or deleted on the way out (a transcription
    # still running when cancelled stays recorded as created, for the rerun to wait on).
    await anyio.sleep(0.1)
    first = emu.created["transcriptions"]
    assert 5 <= first < 40
    await run_many(flavour, emu, paths, job=job, concurrency=6)
    store = SqliteJobStore(job)
    try:
        assert store.counts() == {"done": 40}
    finally:
        store.close()
    assert leftovers(emu) == (0, 0)
    # Nothing was transcribed twice unless it had been deleted unfinished.
    assert emu.created["transcriptions"] <= 40 + 6
    again = await run_many(flavour, emu, paths, job=job)
    assert again == []


async def test_a_lost_answer_to_an_upload_or_create_does_not_make_a_second_one(
    flavour: str, emu: Emulator, make_audio: Callable[[int], list[str]]
) -> None:
    # The service acts, then the connection breaks before its answer: a blind retry
    # would upload or create twice; the batch finds the first by its reference.
    paths = make_audio(6)
    emu.faults.inject("reset_after_read", method="POST", path="/v1/files", times=2)
    emu.faults.inject("reset_after_read", method="POST", path="/v1/transcriptions", times=2)
    results = await run_many(flavour, emu, paths, concurrency=2)
    assert all(r.ok for r in results), [r.error for r in results]
    assert emu.created["files"] == 6
    assert emu.created["transcriptions"] == 6
    assert leftovers(emu) == (0, 0)
