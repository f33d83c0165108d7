"""``soniox speak``: text to audio files and pipes, on the emulator."""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Sequence
from pathlib import Path

import pytest
from cli_helpers import ROOT, Run, RunMany, clean_env, run_in_terminal, soniox_command

from soniox_emulator import Emulator, recognise


@pytest.fixture
def tts_against(against: Sequence[str], emulator: Emulator) -> list[str]:
    """``against`` plus the emulator's text-to-speech URLs."""
    return [
        *against,
        "--tts-url",
        emulator.tts_api_base_url,
        "--tts-websocket-url",
        emulator.tts_websocket_base_url,
    ]


def run_binary(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The command with stdout kept as bytes (it is audio)."""
    return subprocess.run(
        [*soniox_command(), *args], input=stdin, capture_output=True, env=clean_env(), cwd=ROOT, timeout=30
    )


def check_wav(path: Path) -> wave._wave_params:
    """The file is a complete WAV file: its header's sizes match the bytes present."""
    with wave.open(str(path), "rb") as audio:
        params = audio.getparams()
        frames = audio.readframes(params.nframes)
    assert params.nchannels == 1 and params.sampwidth == 2 and params.nframes > 0
    assert len(frames) == params.nframes * params.sampwidth
    assert path.stat().st_size == 44 + len(frames)
    return params


def test_speak_then_transcribe_round_trip_across_two_local_emulators(soniox: Run, tmp_path: Path) -> None:
    audio = tmp_path / "hello.wav"
    spoken = soniox("speak", "hello there", "--local", "-o", str(audio))
    assert spoken.returncode == 0, spoken.stderr
    assert spoken.stdout == "" and f"wrote {audio}" in spoken.stderr
    check_wav(audio)
    assert [p.name for p in tmp_path.iterdir()] == ["hello.wav"]  # no .part left behind
    heard = soniox("transcribe", str(audio), "--local")
    assert heard.returncode == 0, heard.stderr
    assert heard.stdout.strip() == "hello there"


def test_stdout_pipe_stdin_text_and_format_from_extension(tts_against: Sequence[str], tmp_path: Path) -> None:
    as_wav = run_binary("speak", "-", *tts_against, stdin=b"  good morning\n")
    assert as_wav.returncode == 0, as_wav.stderr
    assert as_wav.stdout[:4] == b"RIFF" and as_wav.stdout[8:12] == b"WAVE"
    assert recognise(as_wav.stdout) == "good morning"
    raw = tmp_path / "morning.pcm"
    as_pcm = run_binary("speak", "good morning", "-o", str(raw), *tts_against)
    assert as_pcm.returncode == 0, as_pcm.stderr
    assert b"pcm_s16le" in as_pcm.stderr
    # The same speech without the 44-byte header: the extension chose raw 16-bit PCM.
    assert raw.read_bytes() == as_wav.stdout[44:]


def test_settings_reach_the_service(
    soniox_parallel: RunMany, tts_against: Sequence[str], tmp_path: Path, emulator: Emulator
) -> None:
    slow, normal = tmp_path / "slow.wav", tmp_path / "normal.wav"
    settings = ["--voice", "Maya", "--model", "tts-rt-v1", "--language", "de", "--sample-rate", "16000"]
    results = soniox_parallel(
        ["speak", "slowly now", "-o", str(slow), "--speed", "0.8", *settings, *tts_against],
        ["speak", "slowly now", "-o", str(normal), *settings, *tts_against],
    )
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    slow_params, normal_params = check_wav(slow), check_wav(normal)
    assert slow_params.framerate == normal_params.framerate == 16000
    assert slow_params.nframes > normal_params.nframes  # --speed 0.8 speaks slower
    assert recognise(slow.read_bytes()) == "slowly now"
    assert {entry.model for entry in emulator.usage.visible()} == {"tts-rt-v1"}


def test_bad_input_is_refused_before_connecting(soniox_parallel: RunMany, tmp_path: Path) -> None:
    too_long = "a" * 5001
    cases = {
        "--speed": ["speak", "hi", "--speed", "2", "-o", str(tmp_path / "a.wav")],
        "empty": ["speak", "   ", "-o", str(tmp_path / "b.wav")],
        "5000": ["speak", too_long, "-o", str(tmp_path / "c.wav")],
        "folder": ["speak", "hi", "-o", str(tmp_path / "missing" / "d.wav")],
        "--format": ["speak", "hi", "--format", "ogg", "-o", str(tmp_path / "e.wav")],
    }
    results = soniox_parallel(*[[*args, "--local"] for args in cases.values()])
    for (name, _), result in zip(cases.items(), results, strict=True):
        assert result.returncode == 2, (name, result.stderr)
        assert "local emulator" not in result.stderr, name  # nothing was started
        # One line says what is wrong (argparse prints the usage above it).
        assert result.stderr.strip().splitlines()[-1].startswith("soniox"), name
    assert "outside 0.7-1.3" in results[0].stderr and "nothing to say" in results[1].stderr
    assert "5001 characters" in results[2].stderr and "--realtime" in results[2].stderr
    assert "no such folder" in results[3].stderr
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_terminal_unless_forced() -> None:
    code, text = run_in_terminal(["speak", "hello", "--local"])
    assert code == 2
    assert "refusing to write audio to a terminal" in text and "local emulator" not in text


def test_service_errors_are_one_line_and_leave_no_file(
    soniox: Run, tts_against: Sequence[str], tmp_path: Path, emulator: Emulator
) -> None:
    audio = tmp_path / "x.wav"
    unknown = soniox("speak", "hi", "--voice", "Nobody", "-o", str(audio), *tts_against)
    assert unknown.returncode == 1
    (line,) = unknown.stderr.strip().splitlines()
    assert "SonioxInvalidRequestError" in line and "Nobody" in line and "request_id=" in line
    emulator.faults.inject("tts_stream_error", path="/tts", after_bytes=2048)
    cut = soniox("speak", "a longer sentence that is cut short", "-o", str(audio), *tts_against)
    assert cut.returncode == 1, cut.stderr
    assert cut.stderr.startswith("soniox: error: ")
    assert list(tmp_path.iterdir()) == []


def test_network_failure_names_the_tts_host_and_never_the_key(soniox: Run, tmp_path: Path) -> None:
    key = "sk-secret-never-printed-1234"
    result = soniox(
        "speak", "hi", "-o", str(tmp_path / "x.wav"), "--api-key", key, "--tts-url", "http://127.0.0.1:9"
    )
    assert result.returncode == 1
    assert "talking to 127.0.0.1:9" in result.stderr
    assert key not in result.stderr + result.stdout
