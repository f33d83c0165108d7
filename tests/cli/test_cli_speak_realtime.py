"""``soniox speak --realtime``: stdin spoken line by line over the realtime TTS socket."""

from __future__ import annotations

import os
import select
import subprocess
import time
import wave
from pathlib import Path

from cli_helpers import ROOT, Run, clean_env, soniox_command

from soniox_emulator import Emulator, recognise

# Only a guard against a hung test; nothing below asserts on timing.
_GUARD_SEC = 30.0


def _read_some(fd: int, deadline: float) -> bytes:
    """Whatever the process has written by now, waiting for at least one byte."""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            return os.read(fd, 65536)
    raise AssertionError("no audio arrived")


def test_each_line_is_spoken_before_the_next_one_is_written(emulator: Emulator) -> None:
    proc = subprocess.Popen(
        [
            *soniox_command(), "speak", "-", "--realtime", "--format", "pcm_s16le", "--sample-rate", "16000",
            "--api-key", emulator.api_key, "--tts-websocket-url", emulator.tts_websocket_base_url,
        ],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), cwd=ROOT,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    deadline = time.monotonic() + _GUARD_SEC
    try:
        proc.stdin.write(b"first line\n")
        proc.stdin.flush()
        # Audio of the first line comes back while stdin is still open: the
        # stream has not been told the text ended.
        audio = bytearray(_read_some(proc.stdout.fileno(), deadline))
        assert proc.poll() is None
        proc.stdin.write(b"\nsecond line\n")
        proc.stdin.close()
        audio += proc.stdout.read()
        assert proc.wait(timeout=_GUARD_SEC) == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert recognise(bytes(audio), "pcm_s16le", 16000) == "first line second line"
    (record,) = emulator.tts_realtime.streams
    assert record.text == "first line second line" and record.terminated


def test_realtime_round_trip_into_a_wav_file_across_local_emulators(soniox: Run, tmp_path: Path) -> None:
    audio = tmp_path / "long.wav"
    text = "streamed over the socket " * 250  # past the 5000 characters of one REST request
    spoken = soniox("speak", text, "--realtime", "--local", "-o", str(audio), timeout=60)
    assert spoken.returncode == 0, spoken.stderr
    with wave.open(str(audio), "rb") as wav:  # the streamed header got its true sizes
        frames = wav.readframes(wav.getnframes())
        assert wav.getnframes() > 0 and audio.stat().st_size == 44 + len(frames)
    assert [p.name for p in tmp_path.iterdir()] == ["long.wav"]
    heard = soniox("transcribe", str(audio), "--local", timeout=60)
    assert heard.returncode == 0, heard.stderr
    assert heard.stdout.strip() == text.strip()


def test_realtime_service_error_is_one_line(soniox: Run, emulator: Emulator, tmp_path: Path) -> None:
    result = soniox(
        "speak", "hi", "--realtime", "--voice", "Nobody", "-o", str(tmp_path / "x.wav"),
        "--api-key", emulator.api_key, "--tts-websocket-url", emulator.tts_websocket_base_url,
    )  # fmt: skip
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    line = result.stderr.strip()
    assert line.startswith("soniox: error: ") and "Nobody" in line
    assert list(tmp_path.iterdir()) == []
