"""Multipart bodies, checked by parsing them with python-multipart (not by our own code)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from _driver import Driver, file_json, make_config, response, script
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_multipart.multipart import MultipartParser, parse_options_header

from soniox_core import SonioxValidationError
from soniox_core import _multipart as multipart_module
from soniox_core._multipart import FileSource, file_source, multipart_body
from soniox_core._ops import files
from soniox_sync import _body as body_module
from soniox_sync._body import body_chunks, read_source

CONFIG = make_config()


def parse(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """The parts of a multipart body: name, filename, content type and data."""
    _, options = parse_options_header(content_type)
    boundary = options[b"boundary"]
    parts: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    header_name = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        current.clear()
        current.update(headers={}, data=bytearray())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        current["headers"][bytes(header_name).lower()] = bytes(header_value)
        header_name.clear()
        header_value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current["data"].extend(data[start:end])

    def on_part_end() -> None:
        _, disposition = parse_options_header(current["headers"][b"content-disposition"].decode("latin-1"))
        parts.append(
            {
                "name": disposition[b"name"].decode("latin-1").encode("latin-1").decode("utf-8"),
                "filename": (
                    disposition[b"filename"].decode("latin-1").encode("latin-1").decode("utf-8")
                    if b"filename" in disposition
                    else None
                ),
                "content_type": current["headers"].get(b"content-type"),
                "data": bytes(current["data"]),
            }
        )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    # Feed in uneven pieces, as a network would deliver them.
    for offset in range(0, len(body), 7):
        parser.write(body[offset : offset + 7])
    parser.finalize()
    return parts


def browser_escape(value: str) -> str:
    """What a receiver sees for a name: quotes and line breaks percent-encoded (as browsers do)."""
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


# Names: any text except backslash (python-multipart's unquoting of ``\\`` is
# covered separately) and the NUL/surrogates that cannot be in a header.
names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\\\x00"), min_size=1, max_size=20
)
field_values = (
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=50) | st.integers() | st.booleans()
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    fields=st.dictionaries(names, field_values | st.none(), max_size=4),
    filename=names,
    data=st.binary(max_size=3000),
    chunk_size=st.integers(min_value=1, max_value=4096),
)
def test_body_round_trips_through_a_real_parser(
    fields: dict[str, Any], filename: str, data: bytes, chunk_size: int
) -> None:
    source = file_source(data, filename)
    body = multipart_body(fields, {"file": source})
    produced = b"".join(body_chunks(body, chunk_size))
    assert body.content_length == len(produced)
    assert body.in_memory() == produced
    parts = parse(produced, body.content_type)
    expected_fields = [
        (browser_escape(k), ("true" if v else "false") if isinstance(v, bool) else str(v))
        for k, v in fields.items()
        if v is not None
    ]
    assert [(p["name"], p["data"].decode("utf-8")) for p in parts[:-1]] == expected_fields
    assert all(p["filename"] is None for p in parts[:-1])
    file_part = parts[-1]
    assert file_part["name"] == "file"
    assert file_part["filename"] == browser_escape(filename)
    assert file_part["data"] == data
    assert file_part["content_type"] == source.content_type.encode()


def test_backslashes_and_quotes_in_names() -> None:
    body = multipart_body({'a"b\\c': "v"}, {"file": file_source(b"x", 'C-drive\\dir\\"q".wav')})
    produced = b"".join(body_chunks(body))
    parts = parse(produced, body.content_type)
    assert parts[0]["name"] == "a%22b\\c"
    assert parts[1]["filename"] == "C-drive\\dir\\%22q%22.wav"


def test_header_injection_through_a_filename_is_impossible() -> None:
    evil = 'a.wav"\r\nContent-Type: text/html\r\n\r\n<script>'
    body = multipart_body(None, {"file": file_source(b"DATA", evil)})
    produced = b"".join(body_chunks(body))
    parts = parse(produced, body.content_type)
    assert len(parts) == 1
    assert parts[0]["data"] == b"DATA"
    assert parts[0]["content_type"] == b"audio/wav" or parts[0]["content_type"] == b"application/octet-stream"
    assert b"\r\nContent-Type: text/html" not in produced.split(b"DATA")[0]


def test_upload_body_parses_and_matches_headers() -> None:
    driver = Driver(script(response(201, file_json())))
    driver.run(files.upload(CONFIG, "ünïcode bytes".encode(), "žaba.mp3", "ref-1"))
    sent = driver.sent[0]
    parts = parse(sent.body or b"", sent.header("Content-Type") or "")
    assert [(p["name"], p["filename"]) for p in parts] == [
        ("client_reference_id", None),
        ("file", "žaba.mp3"),
    ]
    assert parts[0]["data"] == b"ref-1"
    assert parts[1]["data"] == "ünïcode bytes".encode()
    assert parts[1]["content_type"] == b"audio/mpeg"
    assert int(sent.header("Content-Length") or -1) == len(sent.body or b"")
    assert sent.header("Transfer-Encoding") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.WAV", "audio/wav"),
        ("a.flac", "audio/flac"),
        ("a.ogg", "audio/ogg"),
        ("a.m4a", "audio/mp4"),
        ("a.webm", "audio/webm"),
        ("a.unknown", "application/octet-stream"),
        ("noext", "application/octet-stream"),
    ],
)
def test_content_type_guess(name: str, expected: str) -> None:
    assert file_source(b"x", name).content_type == expected
    assert file_source(b"x", name, "audio/x-custom").content_type == "audio/x-custom"


# --- path sources --------------------------------------------------------------------------


class TrackingOpen:
    """Wraps ``open`` in the multipart module to see every handle it opens."""

    def __init__(self) -> None:
        self.handles: list[Any] = []
        self.reads: list[int] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        handle = open(*args, **kwargs)  # noqa: SIM115
        self.handles.append(handle)
        original_read = handle.read

        def read(size: int = -1) -> bytes:
            self.reads.append(size)
            return original_read(size)

        handle.read = read
        return handle


def _core_never_opens(*args: object, **kwargs: object) -> None:
    raise AssertionError("the core describes files; the drivers open them")


def test_path_source_is_read_in_chunks_and_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = os.urandom(10_000)
    path = tmp_path / "audio.flac"
    path.write_bytes(data)
    tracker = TrackingOpen()
    monkeypatch.setattr(body_module, "open", tracker, raising=False)
    monkeypatch.setattr(multipart_module, "open", _core_never_opens, raising=False)
    source = file_source(path)
    assert source.size == len(data)
    assert source.filename == "audio.flac"
    assert source.content_type == "audio/flac"
    assert tracker.handles == []  # describing the body opens nothing
    body = multipart_body(None, {"file": source})
    assert body.in_memory() is None
    chunks = list(body_chunks(body, 1024))
    assert b"".join(chunks).count(data) == 1
    assert max(len(c) for c in chunks if c not in (chunks[0], chunks[-1])) <= 1024
    assert len(tracker.handles) == 1 and tracker.handles[0].closed
    assert all(0 < size <= 1024 for size in tracker.reads)
    # Sending again (a retry) reads the file again from the start.
    assert b"".join(body_chunks(body, 4096)) == b"".join(chunks)
    assert len(tracker.handles) == 2 and tracker.handles[1].closed


def test_path_source_closed_when_sending_is_abandoned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"x" * 5000)
    tracker = TrackingOpen()
    monkeypatch.setattr(body_module, "open", tracker, raising=False)
    chunks = body_chunks(multipart_body(None, {"file": file_source(path)}), 100)
    next(chunks)
    next(chunks)
    assert not tracker.handles[0].closed
    chunks.close()
    assert tracker.handles[0].closed


def test_upload_of_a_path(tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    path.write_bytes(b"RIFF" + bytes(range(256)) * 10)
    driver = Driver(script(response(201, file_json())))
    driver.run(files.upload(CONFIG, str(path)))
    sent = driver.sent[0]
    parts = parse(sent.body or b"", sent.header("Content-Type") or "")
    assert parts[0]["filename"] == "take.wav"
    assert parts[0]["data"] == path.read_bytes()
    assert int(sent.header("Content-Length") or 0) == len(sent.body or b"")


def test_path_that_shrinks_mid_read_raises(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"x" * 4000)
    body = multipart_body(None, {"file": file_source(path)})
    path.write_bytes(b"x" * 1000)
    with pytest.raises(SonioxValidationError, match="shrank") as info:
        b"".join(body_chunks(body, 512))
    assert info.value.field == "file"


def test_file_that_grows_sends_only_the_announced_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"a" * 100)
    body = multipart_body(None, {"file": file_source(path)})
    path.write_bytes(b"a" * 100 + b"b" * 100)
    produced = b"".join(body_chunks(body))
    assert len(produced) == body.content_length
    assert parse(produced, body.content_type)[0]["data"] == b"a" * 100


def test_shrinking_file_fails_the_upload_without_retrying(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"x" * 4000)
    op = files.upload(CONFIG, path)
    path.write_bytes(b"")
    driver = Driver(script(response(201, file_json())))
    with pytest.raises(SonioxValidationError):
        driver.run(op)


# --- caller's file objects -------------------------------------------------------------------


def test_stream_is_read_from_its_current_position_and_left_open() -> None:
    stream = io.BytesIO(b"HEADERaudio-bytes")
    stream.seek(6)
    driver = Driver(script(response(201, file_json())))
    driver.run(files.upload(CONFIG, stream, "a.wav"))
    parts = parse(driver.sent[0].body or b"", driver.sent[0].header("Content-Type") or "")
    assert parts[0]["data"] == b"audio-bytes"
    assert not stream.closed
    assert int(driver.sent[0].header("Content-Length") or 0) == len(driver.sent[0].body or b"")


def test_stream_resent_from_the_same_position() -> None:
    stream = io.BytesIO(b"skip|payload")
    stream.seek(5)
    body = multipart_body(None, {"file": file_source(stream)})
    first = b"".join(body_chunks(body, 3))
    second = b"".join(body_chunks(body, 3))
    assert first == second
    assert b"payload" in first and b"skip" not in first


def test_real_file_object_keeps_its_name_and_stays_open(tmp_path: Path) -> None:
    path = tmp_path / "meeting.opus"
    path.write_bytes(b"OggS" * 100)
    with open(path, "rb") as handle:
        source = file_source(handle)
        assert (source.filename, source.content_type, source.size) == ("meeting.opus", "audio/opus", 400)
        produced = b"".join(body_chunks(multipart_body(None, {"file": source}), 64))
        assert b"OggS" * 100 in produced
        assert not handle.closed


def test_stream_that_shrinks_mid_read_raises() -> None:
    stream = io.BytesIO(b"x" * 1000)
    body = multipart_body(None, {"file": file_source(stream)})
    stream.truncate(10)
    with pytest.raises(SonioxValidationError, match="shrank"):
        b"".join(body_chunks(body, 100))


class Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


def test_unseekable_stream_is_sent_chunked() -> None:
    source = file_source(Unseekable(b"abc" * 1000))
    assert source.size is None
    body = multipart_body({"k": "v"}, {"file": source})
    assert body.content_length is None
    assert (b"Transfer-Encoding", b"chunked") in body.headers()
    parts = parse(b"".join(body_chunks(body, 100)), body.content_type)
    assert parts[1]["data"] == b"abc" * 1000


class ReadOnly:
    """The least a file object can be: ``read`` and nothing else (no seekable, tell, name)."""

    def __init__(self, data: bytes | str) -> None:
        self._data = data
        self._done = False

    def read(self, size: int = -1) -> bytes | str:
        if self._done:
            return self._data[:0]
        self._done = True
        return self._data


class TextReader(ReadOnly):
    def seekable(self) -> bool:
        return False


def test_stream_returning_text_is_rejected_while_reading() -> None:
    source = FileSource("a", "b", stream=TextReader("text"), size=None)  # type: ignore[arg-type]
    with pytest.raises(SonioxValidationError, match="binary"):
        b"".join(read_source(source))


def test_object_with_only_read_can_be_uploaded() -> None:
    # file_source() accepts any object with read(); sending it must not need seekable().
    driver = Driver(script(response(201, file_json())))
    driver.run(files.upload(CONFIG, ReadOnly(b"streamed-bytes"), "live.wav"))
    sent = driver.sent[0]
    assert sent.header("Transfer-Encoding") == "chunked"
    parts = parse(sent.body or b"", sent.header("Content-Type") or "")
    assert parts[0]["data"] == b"streamed-bytes"


def test_bytearray_and_memoryview_are_accepted() -> None:
    assert file_source(bytearray(b"abc")).data == b"abc"
    assert file_source(memoryview(b"abc")).size == 3


def test_path_removed_before_sending_is_a_typed_error(tmp_path: Path) -> None:
    # The drivers turn any OSError from sending into a SonioxConnectionError ("the
    # network failed"); a local file that vanished must say what really happened.
    path = tmp_path / "gone.wav"
    path.write_bytes(b"x" * 100)
    op = files.upload(CONFIG, path)
    path.unlink()
    driver = Driver(script(response(201, file_json())))
    with pytest.raises(SonioxValidationError) as info:
        driver.run(op)
    assert info.value.field == "file"
    assert "gone.wav" in str(info.value)


def test_stream_closed_before_sending_is_a_typed_error() -> None:
    stream = io.BytesIO(b"x" * 100)
    op = files.upload(CONFIG, stream, "a.wav")
    stream.close()
    driver = Driver(script(response(201, file_json())))
    with pytest.raises(SonioxValidationError) as info:
        driver.run(op)
    assert info.value.field == "file"
