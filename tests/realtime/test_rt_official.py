"""The official SDK (soniox==2.10.0) transcribes a file end to end against the emulator.

It runs in its own venv (created once per machine, cached under /tmp) and in a
subprocess, so its dependencies never meet ours.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from soniox_emulator import Emulator

OFFICIAL_VERSION = "2.10.0"
VENV = Path(os.environ.get("SONIOX_OFFICIAL_VENV", f"/tmp/soniox-official-{OFFICIAL_VERSION}-venv"))
SCRIPT = Path(__file__).with_name("official_session.py")


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _has_official(python: Path) -> bool:
    if not python.exists():
        return False
    probe = f"import importlib.metadata as m; assert m.version('soniox') == '{OFFICIAL_VERSION}'"
    return subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def official_python() -> Path:
    """A Python with soniox==2.10.0 installed from the registry (cached between runs)."""
    python = _venv_python()
    if _has_official(python):
        return python
    VENV.parent.mkdir(parents=True, exist_ok=True)
    # Parallel test runs share the cache: one builds it while the others wait.
    with open(f"{VENV}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _has_official(python):
            _build_venv(python)
    if not _has_official(python):
        pytest.skip(f"soniox=={OFFICIAL_VERSION} did not install into {VENV}")
    return python


def _build_venv(python: Path) -> None:
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(VENV)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"soniox=={OFFICIAL_VERSION}"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(
            f"could not create a venv with soniox=={OFFICIAL_VERSION} at {VENV}: "
            f"{exc} {detail.decode(errors='replace')[-500:]}"
        )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_official_sdk_transcribes_a_file(
    official_python: Path, rt_emulator: Emulator, wav_file: Path, mode: str
) -> None:
    result = subprocess.run(
        [str(official_python), str(SCRIPT), rt_emulator.websocket_url, rt_emulator.api_key,
         str(wav_file), mode],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["error"] is None
    assert outcome["text"] == rt_emulator.realtime.transcript
    record = rt_emulator.realtime.sessions[0]
    assert record.auth_method == "header"  # 2.10.0 sends the key on the handshake
    assert record.finished and record.audio_bytes == wav_file.stat().st_size
