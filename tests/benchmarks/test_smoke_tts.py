"""Smoke test of the TTS memory benchmarks W10 and W11 at a tiny size, as ``run.py`` runs them.

Each (workload, client) is one ``--one`` process: it starts its own emulator, runs the
measured child and prints one result row. Only this SDK's clients run (no official
venv here); the figures are not checked, only that a row comes out for the same work.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_tts_common  # noqa: E402

CLIENTS = ["ours-sync", "ours-asyncio", "ours-trio"]


def _row(workload: str, client: str) -> dict[str, float]:
    script = BENCH / bench_tts_common.SCRIPTS[workload]
    proc = subprocess.run(
        [sys.executable, str(script), "--one", client, "--tiny"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["workload"] == workload and out["client"] == client
    metrics: dict[str, float] = out["metrics"]
    assert metrics["growth_mib"] >= 0 and metrics["cpu_s"] >= 0, metrics
    return metrics


@pytest.mark.parametrize("client", CLIENTS)
def test_w10_writes_the_same_audio_file_for_every_client(client: str) -> None:
    metrics = _row("W10", client)
    # 200 characters of the emulator's voice as 24 kHz WAV: about 13.6 s, 0.62 MiB.
    assert 0.55 < metrics["audio_mib"] < 0.7, metrics


@pytest.mark.parametrize("client", CLIENTS)
def test_w11_streams_the_tiny_session_to_a_file(client: str) -> None:
    metrics = _row("W11", client)
    # The tiny run asks for 10 s of speech; the words end on a word boundary and the
    # stream adds its preamble and tail, so it is a little over.
    assert 10 <= metrics["audio_s"] < 12
    assert metrics["audio_bytes"] == metrics["audio_s"] * 2 * 24000


def test_run_py_registers_w10_and_w11() -> None:
    import run

    assert {"W10", "W11"} <= set(run.PLAN)
    cmd = run.runner_cmd("W11", "official-async", run.Ctx("http://x", "ws://x", run.TINY, Path("u")))
    assert cmd[1].endswith("bench_w11_tts_realtime.py") and "--tiny" in cmd
    assert cmd[cmd.index("--official-python") + 1] == str(run.official_python())
