"""``on_progress``, ``cleanup_wait_sec`` and ``delete_when_stopped`` against the emulator."""

from __future__ import annotations

import threading
import time

import anyio
import pytest
from _drivers_support import API_KEY, THREE_WAYS, WAIT, Driver, sleep_until

from soniox_core import SonioxConflictError, SonioxValidationError, WaitProgress
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

pytestmark = pytest.mark.anyio

AUDIO = b"RIFF" + bytes(1000)
TRANSCRIPTION = "/v1/transcriptions/{transcription_id}"


@THREE_WAYS
async def test_transcribe_and_wait_reports_its_progress(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.3
    reports: list[WaitProgress] = []
    transcript = await sdk(
        sdk.client.stt.transcribe_and_wait_with_tokens,
        file=AUDIO,
        delete_after=True,
        wait_interval_sec=WAIT,
        on_progress=reports.append,
    )
    assert transcript.text
    polled = [r.transcription for r in reports if r.transcription is not None]
    assert polled and polled[-1].status == "completed" and polled[-1].file_id
    assert {r.stage for r in reports} == {"waiting"}
    assert {r.transcription_id for r in reports} == {transcript.id}
    assert len(reports) >= emu.request_count("GET", TRANSCRIPTION)  # one per poll, ticks besides
    assert (await sdk(sdk.client.stt.count)).total == 0
    assert (await sdk(sdk.client.files.count)).total == 0


@THREE_WAYS
async def test_wait_reports_between_polls(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.5
    created = await sdk(sdk.client.stt.transcribe, file=AUDIO)
    reports: list[WaitProgress] = []
    done = await sdk(sdk.client.stt.wait, created.id, 2.0, on_progress=reports.append)
    assert done.status == "completed"
    # Polls at 0.1, 0.3, 0.7 s...; the reports come every tick of 0.1 s in between.
    assert len(reports) > emu.request_count("GET", TRANSCRIPTION)
    elapsed = [r.elapsed_sec for r in reports]
    assert elapsed == sorted(elapsed)


@THREE_WAYS
async def test_delete_when_stopped_waits_out_a_running_job(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.4
    created = await sdk(sdk.client.stt.transcribe, audio_url="https://audio.example.test/a.wav")
    with pytest.raises(SonioxConflictError):
        await sdk(sdk.client.stt.delete_when_stopped, created.id, 0)  # asks once: still running
    reports: list[WaitProgress] = []
    await sdk(sdk.client.stt.delete_when_stopped, created.id, 10, on_progress=reports.append)
    assert await sdk(sdk.client.stt.get_or_none, created.id) is None
    assert emu.request_count("DELETE", TRANSCRIPTION) > 2
    assert reports and {r.stage for r in reports} == {"cleaning_up"}
    await sdk(sdk.client.stt.delete_when_stopped, created.id)  # already gone: not an error
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.stt.delete_when_stopped, created.id, -1)


async def test_cancelled_with_cleanup_wait_deletes_a_job_still_running(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.5
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:

            async def cancel_while_processing() -> None:
                await sleep_until(lambda: emu.request_count("GET", TRANSCRIPTION) >= 1)
                scope.cancel()

            tg.start_soon(cancel_while_processing)
            await sdk.client.stt.transcribe_and_wait(
                file=AUDIO, delete_after=True, wait_interval_sec=2.0, cleanup_wait_sec=5.0
            )
            pytest.fail("transcribe_and_wait was not cancelled")
    assert scope.cancelled_caught
    # The job refused deletion while it ran (409), was deleted once it stopped, and the upload too.
    assert emu.request_count("DELETE", TRANSCRIPTION) > 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert (await sdk.client.stt.count()).total == 0
    assert (await sdk.client.files.count()).total == 0


def test_sync_ctrl_c_with_cleanup_wait_deletes_a_job_still_running(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``soniox transcribe`` relies on: Ctrl-C while the job runs still deletes both."""
    emulator.processing_sec = 0.5
    real_sleep = time.sleep
    caller = threading.get_ident()
    interrupted: list[bool] = []
    stages: list[str] = []

    def sleep_once_interrupted(seconds: float) -> None:
        if threading.get_ident() == caller and not interrupted:
            interrupted.append(True)
            raise KeyboardInterrupt
        real_sleep(seconds)

    with SonioxClient(api_key=API_KEY, api_base_url=emulator.base_url) as client:
        monkeypatch.setattr(time, "sleep", sleep_once_interrupted)
        with pytest.raises(KeyboardInterrupt):
            client.stt.transcribe_and_wait(
                file=AUDIO,
                delete_after=True,
                cleanup_wait_sec=10.0,
                on_progress=lambda progress: stages.append(progress.stage),
            )
        monkeypatch.undo()
        assert interrupted and stages[0] == "waiting" and "cleaning_up" in stages
        assert emulator.request_count("DELETE", TRANSCRIPTION) > 1
        assert emulator.request_count("DELETE", "/v1/files/{file_id}") == 1
        assert client.stt.count().total == 0
        assert client.files.count().total == 0
