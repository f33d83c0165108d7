"""Terminal versus pipe, Ctrl-C, and the ``emulator`` command."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Sequence

from cli_helpers import ROOT, SAMPLE, Run, clean_env, leftovers, run_in_terminal, soniox_command

from soniox_emulator import Emulator
from soniox_sync import SonioxClient

JOB_ROUTE = "/v1/transcriptions/{transcription_id}"


class Transcribing:
    """``soniox transcribe SAMPLE`` in a child process, with Ctrl-C at chosen moments."""

    def __init__(self, emulator: Emulator, against: Sequence[str]) -> None:
        self.emulator = emulator
        self.deadline = time.monotonic() + 15
        self.proc = subprocess.Popen(
            [*soniox_command(), "transcribe", str(SAMPLE), *against],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(),
            cwd=ROOT,
        )

    def wait_for(self, method: str, route: str) -> None:
        """Until the emulator has seen the command make such a request."""
        while self.emulator.request_count(method, route) == 0:
            assert time.monotonic() < self.deadline and self.proc.poll() is None
            time.sleep(0.02)

    def ctrl_c(self) -> None:
        self.proc.send_signal(signal.SIGINT)

    def finish(self) -> tuple[str, str]:
        """stdout and stderr once the command exited with 130 (interrupted), printing nothing."""
        stdout, stderr = self.proc.communicate(timeout=15)
        assert self.proc.returncode == 130, stderr
        assert stdout == ""
        return stdout, stderr

    def __enter__(self) -> Transcribing:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:  # a failed step: no child outlives the test
            self.proc.kill()
            self.proc.communicate()


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
    with Transcribing(emulator, against) as run:
        run.wait_for("POST", "/v1/transcriptions")
        time.sleep(0.2)  # now polling the running transcription
        run.ctrl_c()
        _, stderr = run.finish()
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
    with Transcribing(emulator, against) as run:
        run.wait_for("GET", JOB_ROUTE)
        run.ctrl_c()
        run.wait_for("DELETE", JOB_ROUTE)  # cleanup waits for the job
        run.ctrl_c()
        _, stderr = run.finish()
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
    with Transcribing(emulator, against) as run:
        run.wait_for("GET", JOB_ROUTE)
        run.ctrl_c()
        run.wait_for("DELETE", JOB_ROUTE)
        # After the workflow's own cleanup the command lists this run's leftovers: slowly.
        emulator.faults.inject("latency", method="GET", path="/v1/transcriptions", seconds=10, times=None)
        try:
            run.wait_for("GET", "/v1/transcriptions")
            run.ctrl_c()
            _, stderr = run.finish()
        finally:
            emulator.faults.clear()
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
