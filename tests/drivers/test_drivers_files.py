"""``client.files``: every method of the reference, on both clients, against the emulator."""

from __future__ import annotations

import io
import uuid
from contextlib import aclosing
from pathlib import Path
from typing import Any

import anyio
import pytest
from _drivers_support import THREE_WAYS, Driver, request_total

from soniox_core import (
    File,
    GetFilesCountResponse,
    GetFilesResponse,
    SonioxError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxTransportError,
    SonioxValidationError,
)
from soniox_emulator import Emulator

pytestmark = [pytest.mark.anyio, THREE_WAYS]

AUDIO = bytes(range(256)) * 40  # 10 240 bytes


async def test_upload_bytes_gets_default_name(sdk: Driver, emu: Emulator) -> None:
    uploaded = await sdk(sdk.client.files.upload, AUDIO)
    assert isinstance(uploaded, File)
    assert uploaded.filename == "upload.bin"
    assert uploaded.size == len(AUDIO)
    assert uploaded.client_reference_id is None
    assert emu.request_count("POST", "/v1/files") == 1
    fetched = await sdk(sdk.client.files.get, uploaded.id)
    assert fetched == uploaded


async def test_upload_from_str_path_and_path(sdk: Driver, tmp_path: Path) -> None:
    audio = tmp_path / "meeting.wav"
    audio.write_bytes(AUDIO)
    from_str = await sdk(sdk.client.files.upload, str(audio))
    from_path = await sdk(sdk.client.files.upload, audio)
    for uploaded in (from_str, from_path):
        assert uploaded.filename == "meeting.wav"
        assert uploaded.size == len(AUDIO)
    assert from_str.id != from_path.id


async def test_upload_open_file_stays_open_and_reads_from_position(sdk: Driver, tmp_path: Path) -> None:
    audio = tmp_path / "call.mp3"
    audio.write_bytes(AUDIO)
    with audio.open("rb") as handle:
        whole = await sdk(sdk.client.files.upload, handle)
        assert not handle.closed
        handle.seek(1000)
        rest = await sdk(sdk.client.files.upload, handle)
        assert not handle.closed
    assert whole.filename == "call.mp3"
    assert whole.size == len(AUDIO)
    assert rest.size == len(AUDIO) - 1000


async def test_upload_with_filename_and_client_reference_id(sdk: Driver, tmp_path: Path) -> None:
    audio = tmp_path / "x.bin"
    audio.write_bytes(AUDIO)
    from_bytes = await sdk(sdk.client.files.upload, AUDIO, filename="named.wav", client_reference_id="ref-1")
    from_path = await sdk(
        sdk.client.files.upload, audio, filename="renamed.flac", client_reference_id="ref-2"
    )
    assert (from_bytes.filename, from_bytes.client_reference_id) == ("named.wav", "ref-1")
    assert (from_path.filename, from_path.client_reference_id) == ("renamed.flac", "ref-2")
    assert (await sdk(sdk.client.files.get, from_path.id)).client_reference_id == "ref-2"


async def test_upload_of_a_missing_path_sends_nothing(sdk: Driver, tmp_path: Path, emu: Emulator) -> None:
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.files.upload, tmp_path / "nope.wav")
    with (tmp_path / "t.txt").open("w") as text, pytest.raises(SonioxValidationError):
        await sdk(sdk.client.files.upload, text)  # a text-mode file
    with pytest.raises(SonioxValidationError):
        await sdk(sdk.client.files.upload, 12345)
    assert request_total(emu) == 0


async def test_list_one_page_and_cursor(sdk: Driver, emu: Emulator) -> None:
    ids = [(await sdk(sdk.client.files.upload, AUDIO, filename=f"{n}.wav")).id for n in range(3)]
    first = await sdk(sdk.client.files.list, limit=2)
    assert isinstance(first, GetFilesResponse)
    assert len(first.files) == 2
    assert first.next_page_cursor
    second = await sdk(sdk.client.files.list, limit=2, cursor=first.next_page_cursor)
    assert len(second.files) == 1
    assert not second.next_page_cursor
    assert {f.id for f in first.files + second.files} == set(ids)
    everything = await sdk(sdk.client.files.list)
    assert {f.id for f in everything.files} == set(ids)


async def test_list_all_walks_several_pages(sdk: Driver, emu: Emulator) -> None:
    ids = {(await sdk(sdk.client.files.upload, AUDIO)).id for _ in range(5)}
    listed = await sdk.collect(sdk.client.files.list_all, limit=2)
    assert all(isinstance(f, File) for f in listed)
    assert [f.id for f in listed if f.id in ids] == [f.id for f in listed]
    assert {f.id for f in listed} == ids
    assert len(listed) == 5
    assert emu.request_count("GET", "/v1/files") == 3  # pages of 2, 2 and 1


async def test_list_all_of_nothing_is_one_request(sdk: Driver, emu: Emulator) -> None:
    assert await sdk.collect(sdk.client.files.list_all) == []
    assert emu.request_count("GET", "/v1/files") == 1


async def test_count(sdk: Driver) -> None:
    assert (await sdk(sdk.client.files.count)).total == 0
    for _ in range(3):
        await sdk(sdk.client.files.upload, AUDIO)
    counted = await sdk(sdk.client.files.count)
    assert isinstance(counted, GetFilesCountResponse)
    assert counted.total == 3


async def test_get_and_get_or_none(sdk: Driver) -> None:
    uploaded = await sdk(sdk.client.files.upload, AUDIO)
    assert await sdk(sdk.client.files.get_or_none, uploaded.id) == uploaded
    missing = str(uuid.uuid4())
    assert await sdk(sdk.client.files.get_or_none, missing) is None
    with pytest.raises(SonioxNotFoundError) as caught:
        await sdk(sdk.client.files.get, missing)
    assert caught.value.status_code == 404
    assert caught.value.error_type == "file_not_found"


async def test_delete_and_delete_if_exists(sdk: Driver, emu: Emulator) -> None:
    first = await sdk(sdk.client.files.upload, AUDIO)
    second = await sdk(sdk.client.files.upload, AUDIO)
    assert await sdk(sdk.client.files.delete, first.id) is None
    assert await sdk(sdk.client.files.get_or_none, first.id) is None
    with pytest.raises(SonioxNotFoundError):
        await sdk(sdk.client.files.delete, first.id)
    assert await sdk(sdk.client.files.delete_if_exists, second.id) is None
    assert await sdk(sdk.client.files.get_or_none, second.id) is None
    assert await sdk(sdk.client.files.delete_if_exists, second.id) is None  # already gone: fine
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 4


async def test_delete_all_across_pages(sdk: Driver, emu: Emulator) -> None:
    for _ in range(5):
        await sdk(sdk.client.files.upload, AUDIO)
    assert await sdk(sdk.client.files.delete_all, limit=2) is None
    assert (await sdk(sdk.client.files.count)).total == 0
    assert emu.request_count("DELETE", "/v1/files/{file_id}") == 5


class _Unseekable(io.RawIOBase):
    """A binary stream of unknown length (like a pipe): sent with chunked framing."""

    def __init__(self, data: bytes) -> None:
        self._source = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        return self._source.readinto(buffer)


async def test_upload_of_a_stream_of_unknown_length(sdk: Driver) -> None:
    stream = _Unseekable(AUDIO * 200)  # 2 MB, more than one chunk
    uploaded = await sdk(sdk.client.files.upload, stream, filename="live.opus")
    assert not stream.closed
    assert (uploaded.filename, uploaded.size) == ("live.opus", len(AUDIO) * 200)


async def test_upload_keeps_non_ascii_names_and_references(sdk: Driver) -> None:
    uploaded = await sdk(sdk.client.files.upload, AUDIO, filename="café ☕.wav", client_reference_id="réf ✓")
    assert (uploaded.filename, uploaded.client_reference_id) == ("café ☕.wav", "réf ✓")


async def test_concurrent_calls_share_one_client(sdk: Driver, emu: Emulator) -> None:
    names: list[str] = []

    async def upload_then_get(n: int) -> None:
        uploaded = await sdk(sdk.client.files.upload, AUDIO, filename=f"{n}.wav")
        names.append((await sdk(sdk.client.files.get, uploaded.id)).filename)

    async with anyio.create_task_group() as tg:
        for n in range(12):
            tg.start_soon(upload_then_get, n)
    assert sorted(names) == sorted(f"{n}.wav" for n in range(12))
    assert (await sdk(sdk.client.files.count)).total == 12


async def test_list_all_can_be_left_early(sdk: Driver, emu: Emulator) -> None:
    for _ in range(4):
        await sdk(sdk.client.files.upload, AUDIO)
    if sdk.is_sync:

        def first_only() -> File:
            for item in sdk.client.files.list_all(limit=2):
                return item
            raise AssertionError("nothing listed")

        first = await anyio.to_thread.run_sync(first_only)
    else:
        async with aclosing(sdk.client.files.list_all(limit=2)) as items:
            first = await anext(items)
    assert isinstance(first, File)
    assert emu.request_count("GET", "/v1/files") == 1  # no page fetched past the first
    assert (await sdk(sdk.client.files.count)).total == 4


async def test_ids_that_would_leave_the_path_are_rejected(sdk: Driver, emu: Emulator) -> None:
    for bad in ("", "../models", "a/b"):
        with pytest.raises(SonioxValidationError):
            await sdk(sdk.client.files.get, bad)
        with pytest.raises(SonioxValidationError):
            await sdk(sdk.client.stt.delete, bad)
    assert request_total(emu) == 0


class _OnlyRead:
    """The least a file object can be: nothing but ``read``."""

    def __init__(self, data: bytes) -> None:
        self._source = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._source.read(size)


async def test_upload_of_an_object_with_only_read(sdk: Driver) -> None:
    uploaded = await sdk(sdk.client.files.upload, _OnlyRead(AUDIO), filename="reader.wav")
    assert (uploaded.filename, uploaded.size) == ("reader.wav", len(AUDIO))


async def test_an_upload_refused_midway_is_an_api_error(sdk: Driver, emu: Emulator, tmp_path: Path) -> None:
    """The server answers 400 before the body is all sent; that answer is what the caller gets."""
    emu.max_upload_bytes = 1000
    path = tmp_path / "huge.wav"
    with path.open("wb") as handle:
        handle.truncate(8 * 1024 * 1024)
    for source in (AUDIO, path):
        with pytest.raises(SonioxInvalidRequestError) as caught:
            await sdk(sdk.client.files.upload, source)
        assert [v.location for v in caught.value.validation_errors] == ["file.file"]
    emu.max_upload_bytes = None
    assert (await sdk(sdk.client.files.upload, AUDIO)).size == len(AUDIO)  # still usable
    assert (await sdk(sdk.client.files.count)).total == 1


class _BadDisk(io.RawIOBase):
    """A file whose third read fails, like a disk error or a vanished network share."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.reads += 1
        if self.reads > 2:
            raise OSError(5, "Input/output error")
        buffer[:1000] = b"x" * 1000
        return 1000


async def test_a_failing_local_read_is_not_a_network_error(sdk: Driver, emu: Emulator) -> None:
    """The network was fine: a file that cannot be read must not look like a connection
    failure (callers retry those), and the client stays usable."""
    with pytest.raises(SonioxError) as caught:
        await sdk(sdk.client.files.upload, _BadDisk(), filename="bad.wav")
    assert not isinstance(caught.value, SonioxTransportError), repr(caught.value)
    assert "Input/output error" in str(caught.value)
    assert (await sdk(sdk.client.files.count)).total == 0
