"""Terminal versus pipe, Ctrl-C, and the ``emulator`` command."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Sequence

from cli_helpers import ROOT, SAMPLE, Run, clean_env, leftovers, run_in_terminal, soniox_command

from soniox_emulator import Emulator
from soniox_sync import SonioxClient


def test_terminal_shows_progress_and_spinner(emulator: Emulator, against: Sequence[str]) -> None:
    emulator.processing_sec = 0.4  # long enough for a few spinner frames
    code, screen = run_in_terminal(["transcribe", str(SAMPLE), *against])
    assert code == 0, screen
    assert "Uploading [" in screen and "100%" in screen
    assert "Transcribing" in screen
    assert "\r" in screen
    # The status line is erased before the transcript is printed.
    assert screen.rstrip().endswith("Hello world. This is the Soniox emulator speaking.")


def test_pipes_get_plain_output(soniox: Run, emulator: Emulator, against: Sequence[str]) -> None:
    emulator.processing_sec = 0.4
    result = soniox("transcribe", str(SAMPLE), *against)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\r" not in result.stdout and "\x1b" not in result.stdout


def test_ctrl_c_while_waiting_cleans_up_and_exits_130(
    emulator: Emulator, against: Sequence[str], client: SonioxClient
) -> None:
    emulator.processing_sec = 1.0
    proc = subprocess.Popen(
        [*soniox_command(), "transcribe", str(SAMPLE), *against],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 15
        while emulator.request_count("POST", "/v1/transcriptions") == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        time.sleep(0.2)  # now polling the running transcription
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert stdout == ""
    assert "interrupted" in stderr
    # The running transcription could only be deleted once it stopped (it refused
    # before, 409); it was, and the upload too.
    assert emulator.request_count("DELETE", "/v1/transcriptions/{transcription_id}") > 1
    assert emulator.request_count("DELETE", "/v1/files/{file_id}") == 1
    assert leftovers(client) == (0, 0)


def test_second_ctrl_c_skips_the_wait_and_says_what_is_left(
    emulator: Emulator, against: Sequence[str], client: SonioxClient
) -> None:
    emulator.processing_sec = 60.0
    proc = subprocess.Popen(
        [*soniox_command(), "transcribe", str(SAMPLE), *against],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=ROOT,
    )
    job_route = "/v1/transcriptions/{transcription_id}"
    try:
        deadline = time.monotonic() + 15
        while emulator.request_count("GET", job_route) == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        while emulator.request_count("DELETE", job_route) == 0:  # cleanup waits for the job
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert stdout == ""
    [job] = client.stt.list_all()
    warning, interrupted = stderr.strip().splitlines()
    assert f"transcription {job.id} is still running and was left behind" in warning
    assert f"soniox transcriptions delete {job.id}" in warning
    assert interrupted == "soniox: interrupted"
    assert leftovers(client) == (0, 1)  # the upload went; the running job could not yet


def test_ctrl_c_while_looking_for_leftovers_says_how_to_find_them(
    emulator: Emulator, against: Sequence[str], client: SonioxClient
) -> None:
    emulator.processing_sec = 0.5
    proc = subprocess.Popen(
        [*soniox_command(), "transcribe", str(SAMPLE), *against],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=ROOT,
    )
    job_route = "/v1/transcriptions/{transcription_id}"
    try:
        deadline = time.monotonic() + 15
        while emulator.request_count("GET", job_route) == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        while emulator.request_count("DELETE", job_route) == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        # After the workflow's own cleanup the command lists this run's leftovers: slowly.
        emulator.faults.inject("latency", method="GET", path="/v1/transcriptions", seconds=10, times=None)
        while emulator.request_count("GET", "/v1/transcriptions") == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=15)
    finally:
        emulator.faults.clear()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert stdout == ""
    skipped, interrupted = stderr.strip().splitlines()
    assert "cleanup skipped; may be left behind: transcription " in skipped
    assert "`soniox cleanup --prefix soniox-cli-" in skipped
    assert interrupted == "soniox: interrupted"


def test_emulator_command_prints_urls_and_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [*soniox_command(), "emulator"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        settings = dict(line.strip().split("=", 1) for line in lines)
        assert settings["SONIOX_API_BASE_URL"].startswith("http://127.0.0.1:")
        assert settings["SONIOX_WEBSOCKET_BASE_URL"].startswith("ws://127.0.0.1:")
        assert settings["SONIOX_API_KEY"] == "test-key"  # the emulator's default key
        with SonioxClient(
            api_key=settings["SONIOX_API_KEY"], api_base_url=settings["SONIOX_API_BASE_URL"]
        ) as sdk:
            assert any(m.id == "stt-async-v5" for m in sdk.models.list().models)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
