"""Streaming multipart/form-data parsing for ``POST /v1/files``.

Uploads can be a gigabyte, and the emulator only needs the size, a digest and the
first bytes (to read a WAV header), so file data is hashed and counted as it arrives
and never stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from ._http import Receive, ValidationError, invalid_request
from ._tts_decoder import ToneDecoder

HEAD_BYTES = 64 * 1024
# Uploads longer than this are not searched for the emulator's own TTS audio.
DECODE_BYTES = 64 * 1024 * 1024
_MAX_TEXT_FIELD = 4096  # text parts beyond this are only measured, not kept
MAX_FILENAME = 256


class ClientDisconnected(Exception):
    """The client went away before the request body was complete."""


@dataclass
class Upload:
    """What the emulator keeps of an uploaded file."""

    filename: str
    size: int
    sha256: str
    head: bytes
    client_reference_id: str | None
    spoken_text: str | None = None  # the text, when this is the emulator's own TTS audio
    spoken_times: list[tuple[int, int]] | None = None  # (start_ms, end_ms) of each character
    fields: dict[str, str] = field(default_factory=dict)  # the text parts asked for


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    is_file: bool = False
    text: bytearray = field(default_factory=bytearray)
    text_size: int = 0


class _Collector:
    """Callbacks for python-multipart's push parser."""

    def __init__(self, max_bytes: int | None, text_fields: tuple[str, ...] = ()) -> None:
        self.max_bytes = max_bytes
        self.text_fields = text_fields
        self.fields: dict[str, str] = {}
        self.part = _Part()
        self._field = bytearray()
        self._value = bytearray()
        self.file_seen = False
        self.filename = ""
        self.size = 0
        self.hasher = hashlib.sha256()
        self.head = bytearray()
        self.decoder = ToneDecoder()
        self.client_reference_id: str | None = None
        self.reference_too_long = False
        self.too_large = False
        self.finished = False

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = params.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = params.get(b"filename")
        if raw_filename is not None:
            self.part.filename = raw_filename.decode("utf-8", "replace")
        if self.part.name == "file" and not self.file_seen:
            # Only the first ``file`` part is the upload; repeats are ignored.
            self.file_seen = True
            self.part.is_file = True
            # A file part without a filename still counts; it gets a neutral name.
            self.filename = self.part.filename or "file"

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part.is_file:
            chunk = memoryview(data)[start:end]
            self.size += len(chunk)
            self.hasher.update(chunk)
            if self.size - len(chunk) < DECODE_BYTES:
                self.decoder.feed(bytes(chunk))
            if len(self.head) < HEAD_BYTES:
                self.head += chunk[: HEAD_BYTES - len(self.head)]
            if self.max_bytes is not None and self.size > self.max_bytes:
                self.too_large = True
        elif self.part.name == "client_reference_id" or self.part.name in self.text_fields:
            self.part.text_size += end - start
            if len(self.part.text) < _MAX_TEXT_FIELD:
                self.part.text += data[start:end][: _MAX_TEXT_FIELD - len(self.part.text)]

    def on_part_end(self) -> None:
        if self.part.name == "client_reference_id":
            value = self.part.text.decode("utf-8", "replace")
            self.reference_too_long = self.part.text_size > _MAX_TEXT_FIELD or len(value) > 256
            self.client_reference_id = value
        elif self.part.name in self.text_fields:
            self.fields[self.part.name] = self.part.text.decode("utf-8", "replace")

    def on_end(self) -> None:
        self.finished = True


def _malformed(message: str) -> Exception:
    return invalid_request(
        [ValidationError("value_error", "body", message)], "The multipart body is malformed."
    )


async def read_upload(
    content_type: str,
    receive: Receive,
    max_bytes: int | None = None,
    text_fields: tuple[str, ...] = (),
) -> Upload:
    """Consume the request body and return the upload, or raise an invalid_request error."""
    mime, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise _malformed("Content-Type must be multipart/form-data with a boundary")
    collector = _Collector(max_bytes, text_fields)
    try:
        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": collector.on_part_begin,
                "on_header_field": collector.on_header_field,
                "on_header_value": collector.on_header_value,
                "on_header_end": collector.on_header_end,
                "on_headers_finished": collector.on_headers_finished,
                "on_part_data": collector.on_part_data,
                "on_part_end": collector.on_part_end,
                "on_end": collector.on_end,
            },
        )
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected
            parser.write(message.get("body", b""))
            if collector.too_large:
                raise invalid_request(
                    [
                        ValidationError(
                            "value_error", "file.file", "The file exceeds the per-file upload limit"
                        )
                    ]
                )
            if not message.get("more_body", False):
                break
        parser.finalize()
    except ValueError as exc:  # python-multipart signals framing errors this way
        raise _malformed(str(exc)) from exc
    if not collector.finished:
        raise _malformed("The multipart body ended before its closing boundary")
    errors: list[ValidationError] = []
    if not collector.file_seen:
        errors.append(ValidationError("missing", "file.file", "Field required"))
    elif len(collector.filename) > MAX_FILENAME:
        errors.append(
            ValidationError(
                "string_too_long",
                "file.file.filename",
                f"Filename should have at most {MAX_FILENAME} characters",
            )
        )
    if collector.reference_too_long:
        errors.append(
            ValidationError(
                "string_too_long",
                "file.client_reference_id",
                "String should have at most 256 characters",
            )
        )
    if errors:
        raise invalid_request(errors)
    return Upload(
        filename=collector.filename,
        size=collector.size,
        sha256=collector.hasher.hexdigest(),
        head=bytes(collector.head),
        client_reference_id=collector.client_reference_id,
        spoken_text=collector.decoder.text if collector.decoder.found_preamble else None,
        spoken_times=[(c.start_ms, c.end_ms) for c in collector.decoder.chars]
        if collector.decoder.found_preamble
        else None,
        fields=collector.fields,
    )
