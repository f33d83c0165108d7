"""Smoke test of benchmarks/: every workload at a tiny size, so the runners cannot rot.

No nginx, node or official SDK here: a small threaded Python server on loopback serves
the same routes and fixtures, and only this SDK's clients and the floor clients run.
Each (workload, client) is a fresh ``runner.py`` process, exactly as in the benchmark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

from bench_data import TINY, generate, upload_file  # noqa: E402
from bench_servers import PyWs, py_http  # noqa: E402

CLIENTS = {
    "W1": [
        "ours-sync",
        "ours-asyncio",
        "ours-trio",
        "floor-sync",
        "floor-asyncio",
        "floor-trio",
        "floor-socket",
    ],
    "W2": ["ours-asyncio", "ours-trio", "floor-asyncio", "floor-trio"],
    "W3": ["ours-sync", "ours-asyncio", "ours-trio", "floor-sync", "floor-socket"],
    "W4": ["ours-sync", "ours-asyncio", "ours-trio", "floor-sync", "floor-asyncio", "floor-socket"],
    "W5": ["ours-sync", "ours-asyncio", "ours-trio", "floor-sync", "floor-asyncio", "floor-socket"],
    "W6": ["ours-sync", "ours-asyncio", "ours-trio", "floor-socket"],
    "W7": ["ours-sync", "ours-asyncio", "floor-sync", "floor-socket"],
    "W8": ["ours-asyncio", "ours-trio", "floor-asyncio", "floor-trio"],
}
EXPECTED = {
    "W1": "rps",
    "W2": "rps",
    "W3": "peak_mib",
    "W4": "growth_mib",
    "W5": "seconds",
    "W6": "cpu_s",
    "W7": "seconds",
    "W8": "cpu_ms_per_session",
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(BENCH)])
    return env


@cache
def _works(code: str) -> bool:
    proc = subprocess.run(
        [sys.executable, "-c", code], env=_env(), capture_output=True, check=False, timeout=60
    )
    return proc.returncode == 0


def _available(workload: str, client: str) -> bool:
    if client.endswith("trio") and not _works("import trio"):
        return False
    if client.startswith("ours-"):
        mod, cls = (
            ("soniox_sync", "SonioxClient")
            if client == "ours-sync"
            else ("soniox_async", "AsyncSonioxClient")
        )
        if workload in ("W6", "W8"):
            # Realtime is optional in this tree until the realtime package lands.
            return _works(f"import {mod}; {mod}.{cls}(api_key='k').realtime.stt")
        return _works(f"import {mod}")
    return True


@dataclass
class Servers:
    http: str
    ws: str
    upload: Path
    uploads: list[tuple[int, int]]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    root = tmp_path_factory.mktemp("bench")
    data = generate(root, TINY)
    upload = upload_file(root, TINY.w4_bytes)
    ws = PyWs()
    ws.start()
    try:
        with py_http(data) as http:
            port = http.server_address[1]
            yield Servers(f"http://127.0.0.1:{port}/v1", ws.url, upload, http.uploads)
    finally:
        ws.stop()


def _run(workload: str, client: str, s: Servers) -> dict[str, float]:
    cmd = [sys.executable, str(BENCH / "runner.py")]
    if workload == "W7":
        cmd += ["W7", client]
    else:
        cmd += [
            workload,
            client,
            "--http",
            s.http,
            "--ws",
            s.ws,
            "--sizes",
            TINY.to_json(),
            "--upload",
            str(s.upload),
        ]
    proc = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=50, check=False)
    assert proc.returncode == 0, f"{workload}/{client}:\n{proc.stderr[-2000:]}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["workload"] == workload and out["client"] == client
    metrics: dict[str, float] = out["metrics"]
    return metrics


@pytest.mark.parametrize("workload", sorted(CLIENTS))
def test_workload_runs_for_every_client(workload: str, servers: Servers) -> None:
    clients = [c for c in CLIENTS[workload] if _available(workload, c)]
    if not clients:
        pytest.skip(f"no client available for {workload}")
    before = len(servers.uploads)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(clients, pool.map(lambda c: _run(workload, c, servers), clients), strict=True))
    for client, metrics in results.items():
        value = metrics[EXPECTED[workload]]
        assert value >= 0, (client, metrics)
    if workload == "W4":
        got = servers.uploads[before:]
        assert len(got) == len(clients)
        assert all(n >= TINY.w4_bytes and status == 201 for n, status in got), got
