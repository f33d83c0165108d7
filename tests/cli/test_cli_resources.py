"""``soniox files``, ``transcriptions``, ``models`` and ``temp-key``."""

from __future__ import annotations

import json
from collections.abc import Sequence

import srt
from cli_helpers import SAMPLE, Run, RunMany, leftovers

from soniox_emulator import Emulator
from soniox_sync import SonioxClient


def _job(client: SonioxClient) -> tuple[str, str]:
    uploaded = client.files.upload(SAMPLE)
    job = client.stt.create(model="stt-async-v5", file_id=uploaded.id)
    client.stt.wait(job.id, interval_sec=0.05, timeout_sec=10)
    return uploaded.id, job.id


def test_files_list_and_delete(
    soniox: Run, soniox_parallel: RunMany, against: Sequence[str], client: SonioxClient
) -> None:
    file_id = client.files.upload(SAMPLE).id
    table, as_json = soniox_parallel(["files", "list", *against], ["files", "list", "--json", *against])
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["ID", "BYTES", "CREATED", "FILENAME"]
    assert file_id in table.stdout and "hello.wav" in table.stdout
    listed = json.loads(as_json.stdout)
    assert [f["id"] for f in listed] == [file_id]
    deleted = soniox("files", "delete", file_id, *against)
    assert deleted.returncode == 0, deleted.stderr
    assert leftovers(client) == (0, 0)
    again = soniox("files", "delete", file_id, *against)
    assert again.returncode == 1
    assert "SonioxNotFoundError" in again.stderr and "file_not_found" in again.stderr


def test_transcriptions_list_get_delete(soniox: Run, against: Sequence[str], client: SonioxClient) -> None:
    _, job_id = _job(client)
    listed = soniox("transcriptions", "list", *against)
    assert listed.returncode == 0 and job_id in listed.stdout and "completed" in listed.stdout
    shown = json.loads(soniox("transcriptions", "get", job_id, *against).stdout)
    assert shown["id"] == job_id and shown["status"] == "completed"
    subtitles = soniox("transcriptions", "get", job_id, "--format", "srt", *against)
    assert len(list(srt.parse(subtitles.stdout))) >= 1
    deleted = soniox("transcriptions", "delete", job_id, "--with-file", *against)
    assert deleted.returncode == 0, deleted.stderr
    assert leftovers(client) == (0, 0)


def test_models(soniox_parallel: RunMany, against: Sequence[str]) -> None:
    result, as_json = soniox_parallel(["models", *against], ["models", "--json", *against])
    assert result.returncode == 0, result.stderr
    assert "stt-async-v5" in result.stdout and "stt-rt-v5" in result.stdout
    assert {"stt-async-v5", "stt-rt-v5"} <= {m["id"] for m in json.loads(as_json.stdout)}


def test_temp_key(soniox: Run, against: Sequence[str], emulator: Emulator) -> None:
    result = soniox("temp-key", "--expires-in", "60", *against)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key and emulator.temporary_key(key) is not None
    assert key not in result.stderr and "expires at" in result.stderr


def test_local_works_for_every_command(soniox: Run) -> None:
    result = soniox("models", "--local")
    assert result.returncode == 0, result.stderr
    assert "stt-async-v5" in result.stdout
    assert "local emulator" in result.stderr
