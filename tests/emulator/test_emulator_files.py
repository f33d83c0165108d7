"""Files: upload, metadata, listing, pagination, deletion and validation."""

from __future__ import annotations

import http.client
import tracemalloc
from typing import Any

from emulator_helpers import wav_bytes


def test_file_lifecycle(api: Any) -> None:
    created = api.upload("hello.wav", b"0123456789", client_reference_id="ref-1")
    assert created.status == 201
    file = created.json()
    assert file["filename"] == "hello.wav"
    assert file["size"] == 10
    assert file["client_reference_id"] == "ref-1"

    assert api.get(f"/files/{file['id']}").json() == file
    assert api.get("/files/count").json() == {"total": 1, "public_api": 1, "playground": 0}
    assert api.delete(f"/files/{file['id']}").status == 204
    assert api.get(f"/files/{file['id']}").status == 404
    assert api.delete(f"/files/{file['id']}").json()["error_type"] == "file_not_found"
    assert api.get("/files/not-a-uuid").status == 404


def test_pagination_covers_every_file_once(api: Any) -> None:
    ids = [api.upload(f"f{i}.mp3", b"x" * i).json()["id"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = api.get("/files", query=query).json()
        assert len(page["files"]) <= 3
        seen += [f["id"] for f in page["files"]]
        pages += 1
        cursor = page["next_page_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))  # newest first
    assert api.get("/files").json()["next_page_cursor"] is None


def test_pagination_survives_deletion_between_pages(api: Any) -> None:
    ids = [api.upload(f"f{i}.mp3", b"x").json()["id"] for i in range(4)]
    first = api.get("/files", query={"limit": 2}).json()
    api.delete(f"/files/{ids[1]}")
    second = api.get("/files", query={"limit": 2, "cursor": first["next_page_cursor"]}).json()
    assert [f["id"] for f in second["files"]] == [ids[0]]
    assert second["next_page_cursor"] is None


def test_limit_bounds(api: Any) -> None:
    for limit, error_type in (("0", "greater_than_equal"), ("1001", "less_than_equal")):
        reply = api.get("/files", query={"limit": limit})
        assert reply.status == 400
        body = reply.json()
        assert body["error_type"] == "invalid_request"
        assert body["validation_errors"][0]["error_type"] == error_type
        assert body["validation_errors"][0]["location"] == "query.limit"
    assert api.get("/files", query={"limit": "many"}).status == 400
    assert api.get("/files", query={"limit": 1000}).status == 200
    assert api.get("/files", query={"limit": 1}).status == 200


def test_bad_cursors(api: Any) -> None:
    for cursor in ("garbage!!", "Zm9v", "dHJhbnNjcmlwdGlvbnM6MQ"):  # the last is for transcriptions
        reply = api.get("/files", query={"cursor": cursor})
        assert reply.status == 400
        assert reply.json()["error_type"] == "invalid_cursor"


def test_upload_validation(api: Any) -> None:
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--{boundary}--\r\n'
    ).encode()
    missing = api.request(
        "POST",
        "/files",
        body=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert missing.status == 400
    assert missing.json()["validation_errors"] == [
        {"error_type": "missing", "location": "file.file", "message": "Field required"}
    ]

    too_long = api.upload("a.wav", b"x", client_reference_id="r" * 257)
    assert too_long.status == 400
    assert api.upload("a.wav", b"x", client_reference_id="r" * 256).status == 201

    not_multipart = api.request("POST", "/files", body=b"{}", headers={"Content-Type": "text/plain"})
    assert not_multipart.status == 400
    truncated = api.request(
        "POST",
        "/files",
        body=body[:-12],
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert truncated.status == 400
    assert truncated.json()["error_type"] == "invalid_request"


def test_upload_limit(api: Any, emulator: Any) -> None:
    emulator.max_upload_bytes = 100
    assert api.upload("big.wav", b"x" * 101).status == 400
    assert api.upload("ok.wav", b"x" * 100).status == 201


def test_large_upload_is_streamed(api: Any, emulator: Any) -> None:
    """64 MiB sent in chunks: the emulator counts and hashes without keeping it."""
    tracemalloc.start()
    size = 64 * 1024 * 1024
    chunk = b"\x01" * (1024 * 1024)
    head = b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.raw"\r\n\r\n'
    tail = b"\r\n--B--\r\n"
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=30)
    conn.putrequest("POST", "/v1/files")
    conn.putheader("Authorization", "Bearer test-key")
    conn.putheader("Content-Type", "multipart/form-data; boundary=B")
    conn.putheader("Content-Length", str(len(head) + size + len(tail)))
    conn.endheaders()
    conn.send(head)
    for _ in range(size // len(chunk)):
        conn.send(chunk)
    conn.send(tail)
    response = conn.getresponse()
    assert response.status == 201
    assert b'"size":67108864' in response.read()
    conn.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # the server (same process) never held the upload


def test_wav_duration_is_read_from_the_header(api: Any) -> None:
    file = api.upload("speech.wav", wav_bytes(2.5)).json()
    transcription = api.transcribe(file_id=file["id"])
    assert transcription["audio_duration_ms"] is None  # still queued
    api.emulator.queued_sec = 0
    later = api.transcribe(file_id=file["id"])
    got = api.get(f"/transcriptions/{later['id']}").json()
    assert got["audio_duration_ms"] == 2500
