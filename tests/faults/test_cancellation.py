"""Cancelling a call leaves nothing behind: no connection, no file handle, no resource
the caller asked to have deleted; and the client stays usable."""

from __future__ import annotations

import _thread
import asyncio
import os
import threading
from pathlib import Path

import anyio
import pytest

from soniox_async import AsyncSonioxClient
from soniox_emulator import Emulator
from soniox_sync import SonioxClient


def _counts(emulator: Emulator) -> tuple[int, int]:
    with SonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url) as client:
        return client.files.count().total, client.stt.count().total


def _open_files() -> list[str]:
    names = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("/") and not target.startswith(("/dev", "/proc")):
            names.append(target)
    return names


async def _transcribe_and_cancel_asyncio(emulator: Emulator, audio: Path) -> None:
    async with AsyncSonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url) as client:
        task = asyncio.ensure_future(
            client.stt.transcribe_and_wait(file=audio, delete_after=True, wait_interval_sec=0.05)
        )
        while emulator.request_count("GET", "/v1/transcriptions/{transcription_id}") < 2:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (await client.models.list()).models  # still usable


def test_asyncio_task_cancel_cleans_up(emulator: Emulator, tmp_path: Path) -> None:
    emulator.queued_sec = 30.0
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF" + b"\0" * 1000)
    before = _open_files()
    asyncio.run(_transcribe_and_cancel_asyncio(emulator, audio))
    # A queued transcription cannot be deleted yet (409), but the upload behind it is.
    assert emulator.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
    assert emulator.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert _counts(emulator) == (0, 1)
    assert sorted(_open_files()) == sorted(before)


async def _cancel_scope_run(emulator: Emulator) -> None:
    async with AsyncSonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url) as client:
        with anyio.move_on_after(0.5) as scope:
            await client.stt.transcribe_and_wait(
                file=b"RIFF" + b"\0" * 100, delete_after=True, wait_interval_sec=0.05
            )
        assert scope.cancelled_caught
        assert (await client.models.list()).models


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_cancel_scope_cleans_up_after_completion(emulator: Emulator, backend: str) -> None:
    # The job is done at once, but the first poll hangs and is cancelled: the cleanup
    # (shielded from the cancellation) deletes the transcription and the upload.
    emulator.queued_sec = emulator.processing_sec = 0.0
    emulator.faults.inject("latency", method="GET", path="/v1/transcriptions/", times=None, seconds=3.0)
    anyio.run(_cancel_scope_run, emulator, backend=backend)
    assert _counts(emulator) == (0, 0)


def _upload_readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "soniox-upload-reader"]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_cancel_during_upload_closes_the_file(emulator: Emulator, tmp_path: Path, backend: str) -> None:
    # The server stalls, so the upload is cancelled with the socket full and a chunk
    # read ahead: the file is closed and the reading thread gone when the call returns.
    audio = tmp_path / "big.wav"
    audio.write_bytes(b"\0" * (64 << 20))
    emulator.faults.inject("latency", method="POST", path="/v1/files", seconds=5.0)

    async def main() -> None:
        async with AsyncSonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url) as client:
            with anyio.move_on_after(0.2) as scope:
                await client.files.upload(audio)
            assert scope.cancelled_caught
            assert str(audio) not in _open_files()
            assert not _upload_readers()
            assert (await client.models.list()).models

    before = _open_files()
    anyio.run(main, backend=backend)
    assert sorted(_open_files()) == sorted(before)


def test_sync_keyboard_interrupt_cleans_up(emulator: Emulator) -> None:
    emulator.queued_sec = emulator.processing_sec = 0.0
    emulator.faults.inject("latency", method="GET", path="/v1/transcriptions/", times=1, seconds=3.0)
    client = SonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            client.stt.transcribe_and_wait(
                file=b"RIFF" + b"\0" * 100, delete_after=True, wait_interval_sec=5.0
            )
    finally:
        timer.cancel()
    assert _counts(emulator) == (0, 0)
    assert client.models.list().models
    client.close()
