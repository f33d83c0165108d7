"""``soniox transcribe``: formats, options, errors and cleanup, through the real script."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import srt
import webvtt
from cli_helpers import SAMPLE, SAMPLE_TEXT, Run, RunMany, clean_env, leftovers

from soniox_emulator import Emulator
from soniox_sync import SonioxClient

EMULATOR_DEFAULT_TEXT = "Hello world. This is the Soniox emulator speaking."


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("soniox: error: "), stderr
    return lines[0]


# --- The README's main job: no key, no network ------------------------------------


def test_local_prints_the_sample_transcript(soniox: Run) -> None:
    result = soniox("transcribe", "samples/hello.wav", "--local")
    assert result.returncode == 0, result.stderr
    assert result.stdout == SAMPLE_TEXT + "\n"
    # The command says plainly that no recognition happened.
    assert "local emulator" in result.stderr and "not recognised" in result.stderr


def test_local_srt_is_valid_subtitles(soniox: Run) -> None:
    result = soniox("transcribe", "samples/hello.wav", "--local", "--format", "srt")
    assert result.returncode == 0, result.stderr
    cues = list(srt.parse(result.stdout))
    assert len(cues) >= 2
    assert " ".join(c.content.replace("\n", " ") for c in cues) == SAMPLE_TEXT
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))
    assert cues[-1].end.total_seconds() <= 5.3  # within the sample's 5.2 s (+ minimum cue)


def test_local_vtt_and_json(soniox_parallel: RunMany) -> None:
    vtt, as_json = soniox_parallel(
        ["transcribe", str(SAMPLE), "--local", "-f", "vtt"],
        ["transcribe", str(SAMPLE), "--local", "-f", "json"],
    )
    assert vtt.returncode == 0, vtt.stderr
    captions = webvtt.from_string(vtt.stdout).captions
    assert " ".join(c.text.replace("\n", " ") for c in captions) == SAMPLE_TEXT
    assert as_json.returncode == 0, as_json.stderr
    body = json.loads(as_json.stdout)
    assert body["text"] == SAMPLE_TEXT
    assert "".join(t["text"] for t in body["tokens"]) == SAMPLE_TEXT
    assert all("speaker" not in t for t in body["tokens"])  # no nulls for absent fields


# --- Against a running emulator ---------------------------------------------------


def test_transcribe_cleans_up_by_default(soniox: Run, against: Sequence[str], client: SonioxClient) -> None:
    result = soniox("transcribe", str(SAMPLE), *against)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EMULATOR_DEFAULT_TEXT + "\n"
    assert result.stderr == ""  # piped: no progress bar, no spinner, nothing to say
    assert leftovers(client) == (0, 0)


def test_keep_leaves_upload_and_transcription(
    soniox: Run, against: Sequence[str], client: SonioxClient, tmp_path: Path
) -> None:
    out = tmp_path / "hello.srt"
    result = soniox("transcribe", str(SAMPLE), *against, "--keep", "-f", "srt", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert len(list(srt.parse(out.read_text(encoding="utf-8")))) >= 1
    assert leftovers(client) == (1, 1)
    assert "kept transcription" in result.stderr


def test_options_reach_the_api(
    soniox: Run, against: Sequence[str], emulator: Emulator, client: SonioxClient
) -> None:
    emulator.set_transcript("Good morning. How are you?", filename="hello.wav")
    result = soniox(
        "transcribe",
        str(SAMPLE),
        *against,
        "--diarize",
        "--translate-to",
        "de",
        "--language",
        "en",
        "--language",
        "fr",
        "--model",
        "stt-async-v4",
        "--keep",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Speaker 1: Good morning.\n\nSpeaker 2: How are you?\n")
    assert "\n\nTranslation (de):\n" in result.stdout
    [job] = client.stt.list_all()
    assert job.model == "stt-async-v4"
    assert job.language_hints == ["en", "fr"]
    assert job.enable_speaker_diarization


def test_url_source_is_not_uploaded(soniox: Run, against: Sequence[str], emulator: Emulator) -> None:
    result = soniox("transcribe", "https://example.com/talk.mp3", *against)
    assert result.returncode == 0, result.stderr
    assert emulator.request_count("POST", "/v1/files") == 0


def test_environment_variables_configure_the_client(soniox: Run, emulator: Emulator) -> None:
    env = clean_env(SONIOX_API_KEY=emulator.api_key, SONIOX_API_BASE_URL=emulator.base_url)
    result = soniox("transcribe", str(SAMPLE), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == EMULATOR_DEFAULT_TEXT


# --- Errors -------------------------------------------------------------------------


def test_wrong_key_is_one_line_with_type_and_request_id(soniox: Run, emulator: Emulator) -> None:
    result = soniox("transcribe", str(SAMPLE), "--api-key", "wrong-key", "--base-url", emulator.base_url)
    assert result.returncode == 1
    line = _one_error_line(result.stderr)
    assert "SonioxAuthenticationError" in line and "unauthenticated" in line
    assert "request_id=" in line and "request_id=none" not in line
    assert result.stdout == ""


def test_missing_key_is_a_clear_error(soniox: Run) -> None:
    result = soniox("models")
    assert result.returncode == 2
    line = _one_error_line(result.stderr)
    # In the command's terms: its flag, not the SDK's keyword argument.
    assert "--api-key" in line and "SONIOX_API_KEY" in line and "api_key=" not in line


def test_missing_file_is_a_usage_error(soniox: Run, against: Sequence[str]) -> None:
    result = soniox("transcribe", "no/such/file.wav", *against)
    assert result.returncode == 2
    assert "no such file" in _one_error_line(result.stderr)


def test_bad_model_leaves_no_upload_behind(
    soniox: Run, against: Sequence[str], client: SonioxClient, emulator: Emulator
) -> None:
    result = soniox("transcribe", str(SAMPLE), *against, "--model", "no-such-model")
    assert result.returncode == 1
    line = _one_error_line(result.stderr)
    assert "request_id=" in line
    assert emulator.request_count("POST", "/v1/files") == 1  # it was uploaded...
    assert leftovers(client) == (0, 0)  # ...and deleted after the failure


def test_server_failure_on_create_leaves_no_upload_behind(
    soniox: Run, against: Sequence[str], client: SonioxClient, emulator: Emulator
) -> None:
    emulator.faults.inject("status", method="POST", path="/v1/transcriptions", times=None, status=500)
    result = soniox("transcribe", str(SAMPLE), *against)
    assert result.returncode == 1
    assert "SonioxServerError" in _one_error_line(result.stderr)
    emulator.faults.clear()
    assert leftovers(client) == (0, 0)


@pytest.mark.parametrize("path", ["/v1/files", "/v1/transcriptions"])
def test_lost_reply_still_leaves_nothing_behind(
    soniox: Run, against: Sequence[str], client: SonioxClient, emulator: Emulator, path: str
) -> None:
    # The server acts on the request, then the connection drops before the reply:
    # the command never learns the id, and finds the leftover by its reference id.
    emulator.faults.inject("reset_after_read", method="POST", path=path, times=None)
    result = soniox("transcribe", str(SAMPLE), *against)
    emulator.faults.clear()
    assert result.returncode == 1
    assert "SonioxConnectionError" in _one_error_line(result.stderr)
    assert emulator.request_count("POST", path) >= 1
    assert leftovers(client) == (0, 0)


def test_failed_transcription_is_reported_and_cleaned_up(
    soniox: Run, against: Sequence[str], client: SonioxClient, emulator: Emulator
) -> None:
    emulator.fail_transcription(filename="hello.wav")
    result = soniox("transcribe", str(SAMPLE), *against)
    assert result.returncode == 1
    line = _one_error_line(result.stderr)
    assert "failed" in line and "audio_decode_error" in line
    assert leftovers(client) == (0, 0)


def test_timeout_gives_up_and_says_what_is_left(
    soniox: Run, against: Sequence[str], client: SonioxClient, emulator: Emulator
) -> None:
    emulator.processing_sec = 30
    result = soniox("transcribe", str(SAMPLE), *against, "--timeout", "0.2")
    assert result.returncode == 1
    warning, error = result.stderr.strip().splitlines()
    assert error.startswith("soniox: error: ") and "did not finish within 0.2 s" in error
    [job] = client.stt.list_all()
    assert f"transcription {job.id} is still running" in warning
    assert leftovers(client) == (0, 1)  # the upload went; the running job cannot yet


def test_verbose_logs_debug_without_the_key(soniox: Run, emulator: Emulator) -> None:
    secret = "cli-secret-key-0123456789"
    emulator.api_keys.add(secret)
    result = soniox(
        "transcribe", str(SAMPLE), "--api-key", secret, "--base-url", emulator.base_url, "--verbose"
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG" in result.stderr
    assert secret not in result.stderr and secret not in result.stdout
