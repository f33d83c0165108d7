"""Which response bodies the runners read into one buffer sized from Content-Length."""

from __future__ import annotations

import io

from soniox_sync._pool import PRESIZE_MAX, PRESIZE_MIN, body_buffer, buffered_body


def headers(length: str) -> list[tuple[bytes, bytes]]:
    return [(b"Content-Type", b"application/json"), (b"Content-Length", length.encode())]


def size(buffer: io.BytesIO | None) -> int:
    assert buffer is not None
    return len(buffer.getvalue())


def test_a_big_body_gets_a_buffer_of_its_size() -> None:
    assert size(body_buffer("GET", 200, headers(str(PRESIZE_MIN)))) == PRESIZE_MIN
    assert (
        size(body_buffer("GET", 200, [(b"content-length", str(PRESIZE_MIN + 1).encode())])) == PRESIZE_MIN + 1
    )


def test_small_unknown_or_absent_bodies_are_collected_instead() -> None:
    assert body_buffer("GET", 200, headers(str(PRESIZE_MIN - 1))) is None
    assert body_buffer("GET", 200, [(b"Transfer-Encoding", b"chunked")]) is None
    assert body_buffer("GET", 200, headers("12x")) is None
    assert body_buffer("HEAD", 200, headers("10000000")) is None
    assert body_buffer("GET", 304, headers("10000000")) is None
    assert body_buffer("DELETE", 204, headers("10000000")) is None


def test_an_announced_length_allocates_no_more_than_the_cap() -> None:
    assert size(body_buffer("GET", 200, headers(str(50 * PRESIZE_MAX)))) == PRESIZE_MAX


def test_the_body_is_what_was_written_whether_shorter_or_longer() -> None:
    for written in (PRESIZE_MIN - 5, PRESIZE_MIN, PRESIZE_MIN + 70_000):
        buffer = body_buffer("GET", 200, headers(str(PRESIZE_MIN)))
        assert buffer is not None
        data = bytes(range(256)) * (written // 256) + b"x" * (written % 256)
        for start in range(0, written, 65536):
            buffer.write(data[start : start + 65536])
        body = buffered_body(buffer)
        assert type(body) is bytes
        assert body == data
