"""``soniox batch`` and ``soniox cleanup`` against an emulator with its limits on:
thousands of files, SIGKILL and resume, failures lists, the paced sweep."""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from batch_support import leftovers

from soniox_cli.__main__ import run
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

# One real second is ten minutes of the emulator's clock: the per-minute rates are
# enforced (and bite in bursts) without a test lasting minutes.
_SPEEDUP = 600.0


@pytest.fixture(scope="module")
def fast_emu() -> Iterator[Emulator]:
    started = time.monotonic()
    with Emulator(clock=lambda: started + (time.monotonic() - started) * _SPEEDUP) as emulator:
        yield emulator


@pytest.fixture
def limited(fast_emu: Emulator) -> Emulator:
    """The emulator, reset, with no processing delay and every batch-relevant limit on."""
    emu = fast_emu
    emu.reset()
    emu.queued_sec = emu.processing_sec = 0.0
    emu.limits.requests_per_minute = {"file management": 120_000, "async transcription": 250_000}
    emu.limits.max_pending_transcriptions = 6
    emu.limits.max_files = 6
    emu.limits.max_total_file_bytes = 6 * 64
    emu.limits.retry_after_sec = 0.02
    return emu


def cli(emu: Emulator, *words: str) -> list[str]:
    return ["--base-url", emu.base_url, "--api-key", emu.api_key, *words]


def tree(root: Path) -> dict[str, str]:
    return {
        os.path.relpath(p, root): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".soniox-batch")
    }


def test_two_thousand_files_with_limits_on(
    limited: Emulator,
    make_audio: Callable[[int], list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_audio(2000)
    out = tmp_path / "out"
    code = run(cli(limited, "batch", str(tmp_path / "audio"), "--output-dir", str(out), "--concurrency", "8"))
    err = capsys.readouterr().err
    assert code == 0, err
    assert "2000 done, 0 failed" in err
    outputs = tree(out)
    assert len(outputs) == 2000 and all(k.endswith(".txt") for k in outputs)
    assert limited.created["transcriptions"] == 2000
    assert limited.created["files"] == 2000
    assert leftovers(limited) == (0, 0)
    # The limits did answer 429s; every one was absorbed (no failure left).
    assert limited.request_count("POST", "/v1/files") > 2000
    assert not (out / "failures.csv").exists()


def test_failures_list_names_error_types_and_request_ids(
    limited: Emulator,
    make_audio: Callable[[int], list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = make_audio(5)
    limited.fail_transcription(filename=os.path.basename(paths[1]))
    urls = tmp_path / "urls.txt"
    urls.write_text("# URLs\nhttps://audio.example/a.mp3\nhttps://gone.invalid/b.mp3\n")
    out = tmp_path / "out"
    words = [
        "batch",
        str(tmp_path / "audio"),
        f"@{urls}",
        "--output-dir",
        str(out),
        "-f",
        "json",
        "-f",
        "vtt",
    ]
    assert run(cli(limited, *words, "--failures", str(tmp_path / "failed.jsonl"))) == 1
    err = capsys.readouterr().err
    assert "5 done, 2 failed" in err
    lines = (tmp_path / "failed.jsonl").read_text().splitlines()
    assert len(lines) == 2
    assert '"error_type": "audio_decode_error"' in "".join(lines)
    assert '"error_type": "audio_download_error"' in "".join(lines)
    assert len([k for k in tree(out) if k.endswith(".vtt")]) == 5
    assert leftovers(limited) == (0, 0)
    # A second run has nothing left to do; --retry-failed tries the two again.
    assert run(cli(limited, *words)) == 1
    assert limited.created["transcriptions"] == 7
    limited.reset()
    limited.queued_sec = limited.processing_sec = 0.0
    # (The reset forgot the scripted decode failure: that source now succeeds.)
    assert run(cli(limited, *words, "--retry-failed")) == 1
    assert "6 done, 1 failed (1 transcribed in this run" in capsys.readouterr().err
    assert limited.created["transcriptions"] == 2
    with open(out / "failures.csv", newline="") as listing:
        rows = list(csv.DictReader(listing))
    assert [(r["source"], r["error_type"]) for r in rows] == [
        ("https://gone.invalid/b.mp3", "audio_download_error")
    ]


def test_sigkill_five_times_then_resume_equals_one_run(
    limited: Emulator, make_audio: Callable[[int], list[str]], tmp_path: Path
) -> None:
    make_audio(300)
    audio = str(tmp_path / "audio")
    base = cli(limited, "batch", audio, "-f", "text", "-f", "srt", "--concurrency", "6")
    assert run([*base, "--output-dir", str(tmp_path / "once")]) == 0
    expected = tree(tmp_path / "once")
    limited.created.clear()

    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "soniox_cli", *base, "--output-dir", str(killed)]
    rng = random.Random(7)
    for _ in range(5):
        # Kill at a random point: after 10 to 40 more transcripts appear (each run
        # resumes the last; a kill lands mid-upload, mid-create, mid-write or mid-delete).
        target = len(list(killed.rglob("*.srt"))) + rng.randint(10, 40)
        worker = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while len(list(killed.rglob("*.srt"))) < target and worker.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.05))
        assert worker.poll() is None
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert len(list(killed.rglob("*.srt"))) < 300
    assert subprocess.run(command, capture_output=True, timeout=120).returncode == 0
    assert tree(tmp_path / "killed") == expected
    assert not list((tmp_path / "killed").rglob("*.partial"))
    assert limited.created["transcriptions"] == 300
    assert leftovers(limited) == (0, 0)


def test_ctrl_c_stops_cleanly_and_prints_the_resume_command(
    limited: Emulator, make_audio: Callable[[int], list[str]], tmp_path: Path
) -> None:
    make_audio(400)
    limited.processing_sec = 0.05
    command = [sys.executable, "-m", "soniox_cli", *cli(limited, "batch", str(tmp_path / "audio"))]
    command += ["--output-dir", str(tmp_path / "out")]
    worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = tmp_path / "out"
    while len(list(out.rglob("*.txt"))) < 20 and worker.poll() is None:
        time.sleep(0.02)
    worker.send_signal(signal.SIGINT)
    _, err = worker.communicate(timeout=60)
    assert worker.returncode == 130, err
    assert "resume with:" in err and "--job" in err
    resume = err.split("resume with:")[1].strip().splitlines()[0]
    assert resume.startswith("soniox ") and str(tmp_path / "out") in resume
    # Whatever ran was finished or deleted: nothing is left on the service.
    assert leftovers(limited) == (0, 0)


def test_cleanup_lists_first_then_deletes_by_prefix_and_age(
    fast_emu: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = fast_emu
    emu.reset()
    emu.queued_sec = emu.processing_sec = 0.0
    with SonioxClient(api_key=emu.api_key, api_base_url=emu.base_url) as client:
        for i in range(3):
            file = client.files.upload(
                b"RIFF" + bytes(20), filename=f"t{i}.wav", client_reference_id=f"nightly:{i}"
            )
            client.stt.create(file_id=file.id, client_reference_id=f"nightly:{i}")
        client.files.upload(b"RIFF" + bytes(20), filename="keep.wav", client_reference_id="other")
    assert run(cli(emu, "cleanup", "--prefix", "nightly:", "--dry-run")) == 0
    listing = capsys.readouterr().out
    assert "3 transcriptions and 3 files match." in listing
    assert leftovers(emu) == (4, 3)
    assert run(cli(emu, "cleanup", "--prefix", "nightly:", "--yes", "--rate", "6000")) == 0
    assert "Deleted 3 transcriptions and 3 files" in capsys.readouterr().out
    assert leftovers(emu) == (1, 0)
    assert run(cli(emu, "cleanup", "--older-than", "1h", "--yes")) == 0
    assert "0 transcriptions and 0 files match." in capsys.readouterr().out
    assert run(cli(emu, "cleanup", "--all", "--yes", "--rate", "6000")) == 0
    assert leftovers(emu) == (0, 0)
    assert run(cli(emu, "cleanup")) == 2
