"""Context managers, closing, cancellation (asyncio and trio), and keep-alive speed."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import anyio
import pytest
from _drivers_support import API_KEY, WAIT, Driver, sleep_until

from soniox_async import AsyncSonioxClient
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

pytestmark = pytest.mark.anyio

AUDIO = b"RIFF" + bytes(1000)


async def test_async_context_manager(emu: Emulator) -> None:
    async with AsyncSonioxClient(api_key=API_KEY, api_base_url=emu.base_url) as client:
        assert (await client.files.count()).total == 0
        assert "AsyncSonioxClient" in repr(client) and API_KEY not in repr(client)
    # Closing released the connections; the client can still open new ones.
    assert (await client.files.count()).total == 0
    await client.aclose()
    await client.aclose()


def test_sync_context_manager(emulator: Emulator) -> None:
    with SonioxClient(api_key=API_KEY, api_base_url=emulator.base_url) as client:
        assert (client.files.count()).total == 0
        assert "SonioxClient" in repr(client) and API_KEY not in repr(client)
    assert client.files.count().total == 0
    client.close()
    client.close()


async def _started_transcription(emu: Emulator) -> str:
    await sleep_until(lambda: emu.request_count("POST", "/v1/transcriptions") == 1)
    await sleep_until(lambda: emu.request_count("GET", "/v1/transcriptions/{transcription_id}") >= 1)
    created = [r for r in emu.requests if r.route == "/v1/transcriptions/{transcription_id}"]
    return created[0].path.rsplit("/", 1)[-1]


async def _assert_cleaned_up_and_usable(sdk: Driver, emu: Emulator, transcription_id: str) -> None:
    assert emu.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert await sdk.client.stt.get_or_none(transcription_id) is None
    assert (await sdk.client.files.count()).total == 0
    assert (await sdk.client.models.list()).models  # the client is still usable


def _hold_polls(emu: Emulator) -> None:
    """Finish transcriptions at once, but hold every poll of one for 5 s.

    ``wait`` polls again within 0.1 s, so a cancellation aimed at its sleep would
    usually come too late; a held poll gives it a fixed place to land. The
    transcription is completed by then, so the cleanup can delete it.
    """
    emu.queued_sec = emu.processing_sec = 0
    emu.faults.inject("latency", method="GET", path="/v1/transcriptions/", seconds=5, times=None)


async def test_cancel_scope_runs_delete_after_cleanup(sdk: Driver, emu: Emulator) -> None:
    _hold_polls(emu)
    seen: list[str] = []
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:

            async def cancel_while_polling() -> None:
                seen.append(await _started_transcription(emu))
                scope.cancel()

            tg.start_soon(cancel_while_polling)
            await sdk.client.stt.transcribe_and_wait(file=AUDIO, delete_after=True, wait_interval_sec=2.0)
            pytest.fail("transcribe_and_wait was not cancelled")
    assert scope.cancelled_caught
    emu.faults.clear()
    await _assert_cleaned_up_and_usable(sdk, emu, seen[0])


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_asyncio_task_cancel_runs_delete_after_cleanup(sdk: Driver, emu: Emulator) -> None:
    _hold_polls(emu)
    task = asyncio.ensure_future(
        sdk.client.stt.transcribe_and_wait_with_tokens(file=AUDIO, delete_after=True, wait_interval_sec=2.0)
    )
    transcription_id = await _started_transcription(emu)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    emu.faults.clear()
    await _assert_cleaned_up_and_usable(sdk, emu, transcription_id)


async def test_cancelling_a_request_in_flight_leaves_the_client_usable(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("latency", method="GET", path="/v1/models", seconds=0.5)
    with anyio.move_on_after(0.05) as scope:
        await sdk.client.models.list()
    assert scope.cancelled_caught
    with anyio.fail_after(0.4):  # not stuck behind the cancelled request
        assert (await sdk.client.files.count()).total == 0
        assert (await sdk.client.models.list()).models


async def test_cancelling_transcribe_from_file_removes_its_upload(sdk: Driver, emu: Emulator) -> None:
    emu.faults.inject("latency", method="POST", path="/v1/transcriptions", seconds=0.3)
    with anyio.move_on_after(0.1) as scope:
        await sdk.client.stt.transcribe_from_file(file=AUDIO)
    assert scope.cancelled_caught
    assert emu.request_count("POST", "/v1/files") == 1
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert (await sdk.client.files.count()).total == 0


async def test_cancelled_wait_leaves_the_transcription_running(sdk: Driver, emu: Emulator) -> None:
    emu.processing_sec = 0.2
    created = await sdk.client.stt.create(audio_url="https://audio.example.test/x.wav")
    with anyio.move_on_after(0.05):
        await sdk.client.stt.wait(created.id, interval_sec=WAIT)
    done = await sdk.client.stt.wait(created.id, interval_sec=WAIT, timeout_sec=5)
    assert done.status == "completed"


@pytest.mark.parametrize("flavour", ["async", "sync"])
async def test_keepalive_round_trips_do_not_stall(sdk: Driver, emu: Emulator) -> None:
    """Twenty small requests on one kept-alive connection take milliseconds each.

    A stall of ~40 ms per request is Nagle's algorithm meeting delayed ACKs: a peer
    that writes a response (or request) head and body separately without TCP_NODELAY.
    """
    await sdk(sdk.client.models.list)
    started = anyio.current_time()
    for _ in range(20):
        await sdk(sdk.client.files.count)
    per_request = (anyio.current_time() - started) / 20
    assert per_request < 0.02, f"{per_request * 1000:.0f} ms per request"


class _SlowDisk(io.BytesIO):
    """A file whose every read takes 80 ms, like a slow network share."""

    def read(self, size: int | None = -1) -> bytes:
        time.sleep(0.08)
        return super().read(size)


async def test_uploading_a_file_does_not_block_the_event_loop(sdk: Driver, emu: Emulator) -> None:
    """File reads happen off the event loop: a ticker keeps ticking while a slow file uploads."""
    gaps: list[float] = []
    done = anyio.Event()

    async def ticker() -> None:
        last = anyio.current_time()
        while not done.is_set():
            await anyio.sleep(0.005)
            now = anyio.current_time()
            gaps.append(now - last)
            last = now

    slow = _SlowDisk(bytes(range(256)) * 4096 * 3)  # 3 MiB: three 1 MiB reads and an empty one
    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        uploaded = await sdk.client.files.upload(slow, filename="slow.wav")
        done.set()
    assert uploaded.size == 3 * 1024 * 1024
    assert len(gaps) > 20
    assert max(gaps) < 0.05, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"


class _CountingSlowDisk(_SlowDisk):
    """A slow file that records when each read ends."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_ends: list[float] = []

    def read(self, size: int | None = -1) -> bytes:
        try:
            return super().read(size)
        finally:
            self.read_ends.append(time.monotonic())


async def test_a_cancelled_upload_stops_reading_at_once(emu: Emulator) -> None:
    """Cancelled mid-upload, the call returns within one read of the file, and no read
    (and no reading thread) outlives it; the caller's file object stays open."""
    slow = _CountingSlowDisk(bytes(64 << 20))
    async with AsyncSonioxClient(api_key=API_KEY, api_base_url=emu.base_url) as client:
        with anyio.move_on_after(0.3) as scope:
            await client.files.upload(slow, filename="slow.wav")
        late = anyio.current_time() - scope.deadline
        returned = time.monotonic()
        assert scope.cancelled_caught
        assert late < 0.08 + 0.3, f"returned {late * 1000:.0f} ms after the cancellation"
        assert all(t.name != "soniox-upload-reader" for t in threading.enumerate())
        reads = len(slow.read_ends)
        assert 1 <= reads <= 6
        assert max(slow.read_ends) <= returned
        await anyio.sleep(0.2)
        assert len(slow.read_ends) == reads
        assert not slow.closed
        assert (await client.files.count()).total == 0


def test_one_async_client_across_event_loops(emulator: Emulator) -> None:
    """A client made once (say at module level) and used from several ``asyncio.run``
    or ``trio.run`` calls: each loop's calls work, and no library exception escapes."""
    client = AsyncSonioxClient(api_key=API_KEY, api_base_url=emulator.base_url)

    async def count_twice() -> list[object]:
        results: list[object] = []
        for _ in range(2):
            try:
                results.append((await client.files.count()).total)
            except Exception as exc:  # reported below with its type
                results.append(f"{type(exc).__module__}.{type(exc).__name__}: {exc}")
        return results

    seen = {
        f"{n}-{backend}": anyio.run(count_twice, backend=backend)
        for n, backend in enumerate(["asyncio", "asyncio", "trio", "asyncio", "trio"])
    }
    assert all(results == [0, 0] for results in seen.values()), seen


def test_sync_interrupt_runs_delete_after_cleanup(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during a blocking transcribe_and_wait(delete_after=True) still cleans up."""
    emulator.queued_sec, emulator.processing_sec = 0.01, 0.03
    real_sleep = time.sleep
    caller = threading.get_ident()

    def interrupted_sleep(seconds: float) -> None:
        if threading.get_ident() != caller:
            return real_sleep(seconds)
        real_sleep(0.1)  # the transcription finishes meanwhile, so it can be deleted
        raise KeyboardInterrupt

    with SonioxClient(api_key=API_KEY, api_base_url=emulator.base_url) as client:
        monkeypatch.setattr(time, "sleep", interrupted_sleep)
        with pytest.raises(KeyboardInterrupt):
            client.stt.transcribe_and_wait(file=AUDIO, delete_after=True, wait_interval_sec=5)
        monkeypatch.undo()
        assert emulator.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
        assert emulator.request_count("DELETE", "/v1/files/{file_id}") == 1
        assert client.stt.count().total == 0
        assert client.files.count().total == 0
