"""The official ``soniox`` SDK (2.10.0), in its own venv, works against our emulator.

If the emulator's responses parse in the official SDK's strict pydantic models, the
emulator speaks the same API as the service that SDK was written for. The official
client runs in a subprocess (its own interpreter) and prints what it got as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from soniox_emulator import Emulator

OFFICIAL_VERSION = "2.10.0"
OUR_VENV = Path("/tmp/soniox-official-venv")
# Another engineer's venv with the same pinned package is just as good.
CANDIDATE_VENVS = [OUR_VENV, Path("/tmp/official-venv")]

_VERSION_PROBE = "import importlib.metadata as m; print(m.version('soniox'))"


def _official_version(venv: Path) -> str | None:
    python = venv / "bin" / "python"
    if not python.exists():
        return None
    probe = subprocess.run([str(python), "-c", _VERSION_PROBE], capture_output=True, text=True, check=False)
    return probe.stdout.strip() if probe.returncode == 0 else None


@pytest.fixture(scope="session")
def official_python() -> Path:
    """A Python with ``soniox==2.10.0`` installed, made once and then reused."""
    for venv in CANDIDATE_VENVS:
        if _official_version(venv) == OFFICIAL_VERSION:
            return venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(OUR_VENV)], check=True, timeout=120)
    install = subprocess.run(
        [str(OUR_VENV / "bin" / "python"), "-m", "pip", "install", "-q", f"soniox=={OFFICIAL_VERSION}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    assert _official_version(OUR_VENV) == OFFICIAL_VERSION
    return OUR_VENV / "bin" / "python"


_SCRIPT = r"""
import json, sys, uuid
from soniox import SonioxClient
from soniox.errors import SonioxAuthenticationError, SonioxConflictError, SonioxNotFoundError

base_url, audio_path = sys.argv[1:]
out = {}
with SonioxClient(api_key="test-key", api_base_url=base_url) as client:
    uploaded = client.files.upload(audio_path, client_reference_id="interop-file")
    out["upload"] = [uploaded.id, uploaded.filename, uploaded.size, uploaded.client_reference_id]
    out["file_get"] = client.files.get(uploaded.id).id
    out["files_count"] = client.files.count().total
    out["bytes_upload"] = client.files.upload(b"RIFF1234", filename="b.wav").filename

    created = client.stt.create(file_id=uploaded.id, client_reference_id="interop-job")
    out["create"] = [created.id, created.status, created.file_id, created.client_reference_id]
    try:
        client.stt.get_transcript(created.id)
        out["early_transcript"] = "no error"
    except SonioxConflictError as exc:
        out["early_transcript"] = [type(exc).__name__, exc.status_code]
    done = client.stt.wait(created.id, interval_sec=0.02, timeout_sec=10)
    out["wait"] = [done.status, done.audio_duration_ms is not None]
    transcript = client.stt.get_transcript(created.id)
    out["transcript"] = [transcript.id, transcript.text, len(transcript.tokens)]

    by_url = client.stt.transcribe_and_wait(
        audio_url="https://audio.example.test/interop.mp3", wait_interval_sec=0.02, wait_timeout_sec=10
    )
    out["by_url"] = [by_url.status, by_url.audio_url]
    out["list_all_files"] = sorted(f.id for f in client.files.list_all(limit=1))
    out["list_all_transcriptions"] = sorted(t.id for t in client.stt.list_all(limit=1))
    out["transcriptions_count"] = client.stt.count().total

    client.stt.delete(created.id)
    out["after_delete"] = client.stt.get_or_none(created.id) is None
    client.files.delete_if_exists(uploaded.id)
    out["file_after_delete"] = client.files.get_or_none(uploaded.id) is None
    try:
        client.files.get(str(uuid.uuid4()))
        out["not_found"] = "no error"
    except SonioxNotFoundError as exc:
        out["not_found"] = [type(exc).__name__, exc.status_code]
    client.stt.destroy(by_url.id)

    # The official workflow deletes the transcription, then the file it uploaded: the
    # file must still exist after the first delete (the service no longer removes it).
    files_before = client.files.count().total
    with_tokens = client.stt.transcribe_and_wait_with_tokens(
        file=audio_path, delete_after=True, wait_interval_sec=0.02, wait_timeout_sec=10
    )
    out["with_tokens"] = [
        with_tokens.text,
        len(with_tokens.tokens),
        client.files.count().total - files_before,
        client.stt.count().total,
    ]

    out["models"] = [m.id for m in client.models.list().models]
    key = client.auth.create_temporary_api_key(
        usage_type="transcribe_websocket", expires_in_seconds=60, client_reference_id="interop-key"
    )
    out["temporary_key"] = [key.api_key, key.expires_at.isoformat()]

with SonioxClient(api_key="wrong-key", api_base_url=base_url) as wrong:
    try:
        wrong.models.list()
        out["wrong_key"] = "no error"
    except SonioxAuthenticationError as exc:
        out["wrong_key"] = [type(exc).__name__, exc.status_code]
print(json.dumps(out))
"""


def test_official_sdk_round_trip(official_python: Path, emulator: Emulator, tmp_path: Path) -> None:
    emulator.queued_sec = 0.01
    emulator.processing_sec = 0.03
    audio = tmp_path / "interop.wav"
    audio.write_bytes(b"RIFF" + bytes(range(256)) * 16)
    emulator.set_transcript("Official SDK, meet the emulator.", filename="interop.wav")

    result = subprocess.run(
        [str(official_python), "-c", _SCRIPT, emulator.base_url, str(audio)],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])

    file_id, filename, size, reference = out["upload"]
    assert (filename, size, reference) == ("interop.wav", audio.stat().st_size, "interop-file")
    assert out["file_get"] == file_id
    assert out["files_count"] == 1
    assert out["bytes_upload"] == "b.wav"

    transcription_id, status, created_file_id, job_reference = out["create"]
    assert status in ("queued", "processing")
    assert (created_file_id, job_reference) == (file_id, "interop-job")
    assert out["early_transcript"] == ["SonioxConflictError", 409]
    assert out["wait"] == ["completed", True]
    assert out["transcript"][:2] == [transcription_id, "Official SDK, meet the emulator."]
    assert out["transcript"][2] > 0
    assert out["by_url"] == ["completed", "https://audio.example.test/interop.mp3"]

    assert file_id in out["list_all_files"] and len(out["list_all_files"]) == 2
    assert transcription_id in out["list_all_transcriptions"] and len(out["list_all_transcriptions"]) == 2
    assert emulator.request_count("GET", "/v1/files") >= 2  # limit=1 walked more than one page
    assert out["transcriptions_count"] == 2
    assert out["after_delete"] is True and out["file_after_delete"] is True
    assert out["not_found"] == ["SonioxNotFoundError", 404]
    text, tokens, files_left, transcriptions_left = out["with_tokens"]
    assert (text, files_left, transcriptions_left) == ("Official SDK, meet the emulator.", 0, 0)
    assert tokens > 0

    assert "stt-async-v5" in out["models"]
    key, _expires_at = out["temporary_key"]
    record = emulator.temporary_key(key)
    assert record is not None
    assert (record.usage_type, record.client_reference_id) == ("transcribe_websocket", "interop-key")
    assert out["wrong_key"] == ["SonioxAuthenticationError", 401]

    # Everything the official SDK sent carried its Bearer key and reached a known route.
    assert {r.headers.get("authorization") for r in emulator.requests} == {
        "Bearer test-key",
        "Bearer wrong-key",
    }
    assert {r.route for r in emulator.requests} == {
        "/v1/files",
        "/v1/files/count",
        "/v1/files/{file_id}",
        "/v1/transcriptions",
        "/v1/transcriptions/count",
        "/v1/transcriptions/{transcription_id}",
        "/v1/transcriptions/{transcription_id}/transcript",
        "/v1/models",
        "/v1/auth/temporary-api-key",
    }
    assert emulator.request_count("POST", "/v1/transcriptions") == 3
