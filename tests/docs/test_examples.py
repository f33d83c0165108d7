"""Every script in examples/ runs against the emulator; the pytest example's tests pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from snippets import ROOT, emulator_env

from soniox_emulator import Emulator
from soniox_sync import SonioxClient

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
SCRIPTS = [p for p in EXAMPLES if not p.name.startswith("test_")]
# Arguments that keep a run short; every other script runs with its defaults.
ARGS = {"realtime_from_file.py": ["samples/hello.wav", "8"]}
# What each script must print (the emulator's transcript, or its own report lines).
EXPECT = {
    "transcribe_async.py": "Soniox emulator",
    "transcribe_trio.py": "samples/hello.wav: Hello world.",
    "transcribe_sync.py": "wrote hello.srt",
    "realtime_from_file.py": "Soniox emulator",
    "webhook_receiver.py": "webhook: ",
    "error_handling.py": "network: SonioxConnectionError",
}


def test_every_script_is_covered() -> None:
    assert {p.name for p in SCRIPTS} == set(EXPECT)
    assert [p.name for p in EXAMPLES if p.name.startswith("test_")] == ["test_with_emulator.py"]


def _run(command: list[str], workdir: Path, emulator: Emulator) -> subprocess.CompletedProcess[str]:
    import shutil

    shutil.copytree(ROOT / "samples", workdir / "samples")
    return subprocess.run(
        command,
        cwd=workdir,
        env=emulator_env(emulator),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_runs(script: Path, emulator: Emulator, tmp_path: Path) -> None:
    result = _run([sys.executable, str(script), *ARGS.get(script.name, [])], tmp_path, emulator)
    assert result.returncode == 0, result.stdout + result.stderr
    assert EXPECT[script.name] in result.stdout, result.stdout
    # Whatever the script created on the service, it deleted again.
    with SonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url) as client:
        assert client.files.list().files == []
        assert client.stt.list().transcriptions == []


def test_pytest_example_passes(emulator: Emulator, tmp_path: Path) -> None:
    example = ROOT / "examples" / "test_with_emulator.py"
    result = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(example),
        ],
        tmp_path,
        emulator,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout, result.stdout
